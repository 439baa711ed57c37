/* bench-nn.c — the C side of bench/nn-parity.py: dumps a forward pass
 * and one batch's gradients for comparison with PyTorch, and times the
 * forward pass of one window and one training step on one thread.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-nn dump MODEL OUTDIR     raw float32 files + OUTDIR/manifest.json
 *   bench-nn speed MODEL [REPEATS] one JSON line of timings (ms)
 *   bench-nn widths [REPEATS]      forward time and size of candidate widths
 *
 * Never run as a test; docs/performance.md has the numbers.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cochlea-engine.h"
#include "nn/cochlea-ops.h"
#include "nn/cochlea-train-private.h"

#define BATCH 32

static void
fill (float   *x,
      gsize    n,
      guint64  seed,
      float    mean,
      float    scale)
{
  guint64 s = seed;

  for (gsize i = 0; i < n; i++)
    {
      float u1 = cochlea_nn_rng_uniform (&s), u2 = cochlea_nn_rng_uniform (&s);
      x[i] = mean + scale * sqrtf (-2.0f * logf (1.0f - u1)) * cosf (6.2831853f * u2);
    }
}

static void
write_array (JsonBuilder   *manifest,
             const char    *dir,
             const char    *name,
             const float   *data,
             int            ndim,
             const gint64  *shape)
{
  g_autofree char *file = g_strdup_printf ("%s.f32", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  gsize n = 1;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < ndim; i++)
    n *= shape[i];
  if (!g_file_set_contents (path, (const char *) data, n * sizeof (float), &error))
    {
      fprintf (stderr, "bench-nn: %s\n", error->message);
      exit (1);
    }
  json_builder_set_member_name (manifest, name);
  json_builder_begin_array (manifest);
  for (int i = 0; i < ndim; i++)
    json_builder_add_int_value (manifest, shape[i]);
  json_builder_end_array (manifest);
}

/* The same weights with dropout off, so PyTorch can match a training
 * step exactly. */
static CochleaModel *
without_dropout (CochleaModel *model)
{
  CochleaModelConfig config;
  CochleaModel *copy;

  cochlea_model_config_copy (&config, cochlea_model_get_config (model));
  config.dropout = 0.0f;
  copy = cochlea_model_new (&config, 0, NULL);
  cochlea_model_config_clear (&config);
  memcpy (copy->params, model->params, sizeof (float) * model->n_params);
  cochlea_model_set_norm (copy, model->norm_mean, model->norm_std);
  return copy;
}

/* B/2 songs of exactly one window (crops are then the whole song) with
 * random targets for every head. */
static CochleaDataset *
random_batch_data (const CochleaModelConfig *c,
                   int                       n_songs,
                   guint64                   seed)
{
  CochleaDataset *ds = cochlea_dataset_new (c->mel.n_mels, c->n_logits);

  for (int i = 0; i < n_songs; i++)
    {
      gsize n = (gsize) c->window * c->mel.n_mels;
      float *mel = g_new (float, n);
      g_autofree float *targets = g_new0 (float, c->n_logits);
      guint64 s = cochlea_nn_rng_seed3 (seed, 77, i);

      fill (mel, n, seed + 1000 + i, -45.0f, 15.0f);
      for (int h = 0; h < c->n_heads; h++)
        {
          const CochleaHeadSpec *head = &c->heads[h];
          if (head->kind == COCHLEA_HEAD_SOFTMAX)
            targets[head->offset + (int) (cochlea_nn_rng_uniform (&s) * head->n_out) % head->n_out] = 1.0f;
          else
            for (int k = 0; k < head->n_out; k++)
              targets[head->offset + k] = cochlea_nn_rng_uniform (&s) < 0.5f ? 1.0f : 0.0f;
        }
      cochlea_dataset_add (ds, "random", mel, c->window, targets, (1u << c->n_heads) - 1);
    }
  return ds;
}

static int
dump (CochleaModel *loaded,
      const char   *dir)
{
  g_autoptr(CochleaModel) model = without_dropout (loaded);
  const CochleaModelConfig *c = cochlea_model_get_config (model);
  g_autoptr(CochleaNnContext) ctx = cochlea_nn_context_new (model);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(CochleaDataset) ds = random_batch_data (c, BATCH / 2, 4242);
  g_autoptr(CochleaTrainer) trainer = NULL;
  g_autofree float *window = g_new (float, (gsize) c->window * c->mel.n_mels);
  g_autofree float *targets = g_new (float, (gsize) BATCH * c->n_logits);
  g_autofree char *text = NULL, *path = NULL;
  CochleaTrainOptions opt;
  gint64 shape[3];
  float loss;

  g_mkdir_with_parents (dir, 0755);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "arrays");
  json_builder_begin_object (b);

  /* one window, every layer */
  fill (window, (gsize) c->window * c->mel.n_mels, 99, -45.0f, 15.0f);
  cochlea_nn_context_forward (ctx, window);
  shape[0] = c->window;
  shape[1] = c->mel.n_mels;
  write_array (b, dir, "input", window, 2, shape);
  for (int l = 0; l < cochlea_nn_context_get_n_layers (ctx); l++)
    {
      CochleaActivationMap map;
      g_autofree char *name = NULL;

      cochlea_nn_context_get_layer (ctx, l, &map);
      name = g_strdup_printf ("act_%s", map.name);
      shape[0] = map.n_channels;
      shape[1] = map.n_times;
      write_array (b, dir, name, map.data, 2, shape);
    }
  shape[0] = c->n_logits;
  write_array (b, dir, "probs", cochlea_nn_context_get_probs (ctx), 1, shape);

  /* one batch's gradients */
  cochlea_train_options_init_default (&opt);
  opt.batch_size = BATCH;
  opt.n_threads = 1;
  opt.n_shards = 1;
  trainer = cochlea_trainer_new (model, ds, NULL, &opt, NULL);
  loss = _cochlea_trainer_compute_gradients (trainer);
  shape[0] = BATCH;
  shape[1] = c->window;
  shape[2] = c->mel.n_mels;
  write_array (b, dir, "batch_input", _cochlea_trainer_get_inputs (trainer), 3, shape);
  for (int j = 0; j < BATCH; j++)
    memcpy (targets + (gsize) j * c->n_logits, _cochlea_trainer_get_batch_song (trainer, j)->targets,
            sizeof (float) * c->n_logits);
  shape[0] = BATCH;
  shape[1] = c->n_logits;
  write_array (b, dir, "batch_targets", targets, 2, shape);
  for (int i = 0; i < model->n_tensors; i++)
    {
      g_autofree char *name = g_strdup_printf ("grad_%s", model->info[i].name);
      write_array (b, dir, name, _cochlea_trainer_get_grads (trainer) + model->info[i].offset,
                   model->info[i].ndim, model->info[i].shape);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "loss");
  json_builder_add_double_value (b, loss);
  json_builder_set_member_name (b, "contrastive_weight");
  json_builder_add_double_value (b, opt.contrastive_weight);
  json_builder_set_member_name (b, "tau");
  json_builder_add_double_value (b, opt.tau);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);
  path = g_build_filename (dir, "manifest.json", NULL);
  g_file_set_contents (path, text, -1, NULL);
  return 0;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v,
        int     n)
{
  qsort (v, n, sizeof (double), compare_double);
  return v[n / 2];
}

static int
speed (CochleaModel *model,
       int           repeats)
{
  const CochleaModelConfig *c = cochlea_model_get_config (model);
  g_autoptr(CochleaNnContext) ctx = cochlea_nn_context_new (model);
  g_autoptr(CochleaDataset) ds = random_batch_data (c, BATCH / 2, 5);
  g_autoptr(CochleaTrainer) trainer = NULL;
  g_autofree float *window = g_new (float, (gsize) c->window * c->mel.n_mels);
  g_autofree double *t = g_new (double, repeats);
  g_autofree float *x = NULL, *w = NULL, *bias = NULL, *y = NULL, *col = NULL;
  CochleaTrainOptions opt;
  double fwd, step, conv_gemm, conv_loops;
  int to = c->window - c->kernel + 1, k_in = c->mel.n_mels;

  fill (window, (gsize) c->window * c->mel.n_mels, 1, -45.0f, 15.0f);
  for (int i = 0; i < 3; i++)
    cochlea_nn_context_forward (ctx, window);
  for (int i = 0; i < repeats; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      cochlea_nn_context_forward (ctx, window);
      t[i] = (g_get_monotonic_time () - t0) / 1e3;
    }
  fwd = median (t, repeats);

  cochlea_train_options_init_default (&opt);
  opt.batch_size = BATCH;
  opt.n_threads = 1;
  trainer = cochlea_trainer_new (model, ds, NULL, &opt, NULL);
  cochlea_trainer_step (trainer);
  for (int i = 0; i < MIN (repeats, 20); i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      cochlea_trainer_step (trainer);
      t[i] = (g_get_monotonic_time () - t0) / 1e3;
    }
  step = median (t, MIN (repeats, 20));

  /* conv1 alone: OpenBLAS im2col + sgemm against plain loops */
  x = g_new (float, (gsize) k_in * c->window);
  w = g_new (float, (gsize) c->channels[0] * k_in * c->kernel);
  bias = g_new0 (float, c->channels[0]);
  y = g_new (float, (gsize) c->channels[0] * to);
  col = g_new (float, (gsize) k_in * c->kernel * to);
  fill (x, (gsize) k_in * c->window, 3, 0, 1);
  fill (w, (gsize) c->channels[0] * k_in * c->kernel, 4, 0, 0.1f);
  for (int i = 0; i < repeats; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      cochlea_conv1d_forward (y, col, x, w, bias, k_in, c->window, c->channels[0], c->kernel);
      t[i] = (g_get_monotonic_time () - t0) / 1e3;
    }
  conv_gemm = median (t, repeats);
  for (int i = 0; i < repeats; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      cochlea_conv1d_forward_ref (y, x, w, bias, k_in, c->window, c->channels[0], c->kernel);
      t[i] = (g_get_monotonic_time () - t0) / 1e3;
    }
  conv_loops = median (t, repeats);

  printf ("{\"forward_ms\": %.4f, \"train_step_ms\": %.3f, \"batch\": %d, "
          "\"conv1_gemm_ms\": %.4f, \"conv1_loops_ms\": %.4f}\n",
          fwd, step, BATCH, conv_gemm, conv_loops);
  return 0;
}

/* The candidates docs/model.md weighs: forward time of one window on
 * one thread, parameters, file size. */
static int
widths (int repeats)
{
  static const int cand[][5] = {
    { 64, 64, 128, 128, 256 },
    { 128, 128, 256, 256, 512 },
    { 256, 256, 512, 512, 2048 },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cand); k++)
    {
      CochleaModelConfig c;
      g_autoptr(CochleaModel) model = NULL;
      g_autoptr(CochleaNnContext) ctx = NULL;
      g_autofree float *window = NULL;
      g_autofree double *t = g_new (double, repeats);

      cochlea_model_config_init_default (&c);
      for (int l = 0; l < 4; l++)
        c.channels[l] = cand[k][l];
      c.dense = cand[k][4];
      cochlea_model_config_add_corpus_heads (&c);
      model = cochlea_model_new (&c, 1, NULL);
      cochlea_model_config_clear (&c);
      ctx = cochlea_nn_context_new (model);
      window = g_new (float, (gsize) model->config.window * model->config.mel.n_mels);
      fill (window, (gsize) model->config.window * model->config.mel.n_mels, 1, -45.0f, 15.0f);
      for (int i = 0; i < 3; i++)
        cochlea_nn_context_forward (ctx, window);
      for (int i = 0; i < repeats; i++)
        {
          gint64 t0 = g_get_monotonic_time ();
          cochlea_nn_context_forward (ctx, window);
          t[i] = (g_get_monotonic_time () - t0) / 1e3;
        }
      printf ("{\"channels\": [%d, %d, %d, %d], \"dense\": %d, \"params\": %" G_GSIZE_FORMAT
              ", \"megabytes\": %.1f, \"forward_ms\": %.3f}\n",
              cand[k][0], cand[k][1], cand[k][2], cand[k][3], cand[k][4],
              cochlea_model_get_n_params (model), cochlea_model_get_n_params (model) * 4 / 1e6,
              median (t, repeats));
    }
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaModel) model = NULL;

  if (argc < 3)
    {
      fprintf (stderr, "usage: bench-nn dump MODEL OUTDIR | speed MODEL [REPEATS] | widths REPEATS\n");
      return 2;
    }
  cochlea_nn_init ();
  if (strcmp (argv[1], "widths") == 0)
    return widths (atoi (argv[2]));
  if (!(model = cochlea_model_load (argv[2], &error)))
    {
      fprintf (stderr, "bench-nn: %s\n", error->message);
      return 1;
    }
  if (strcmp (argv[1], "dump") == 0 && argc == 4)
    return dump (model, argv[3]);
  if (strcmp (argv[1], "speed") == 0)
    return speed (model, argc > 3 ? atoi (argv[3]) : 200);
  fprintf (stderr, "usage: bench-nn dump MODEL OUTDIR | speed MODEL [REPEATS]\n");
  return 2;
}
