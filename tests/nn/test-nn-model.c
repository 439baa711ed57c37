/* test-nn-model.c — the whole network: backward against finite
 * differences, overfitting a tiny batch, bit-identical training steps with
 * 1 and 2 threads, exact resume, and the inference API.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cochlea-error.h"
#include "nn/cochlea-model-private.h"
#include "test-nn-common.h"

typedef struct
{
  CochleaModel *model;
  const float  *frames;
  CochleaActs   a;
  float        *col;
  float        *r;      /* random weights on the embedding */
  int           target;
} GradCase;

/* L = xent(pitch) + bce(flags = [1, 0]) + Σ r·e */
static double
model_loss (GradCase *g)
{
  const CochleaModelConfig *c = &g->model->config;
  float t[2] = { 1.0f, 0.0f }, p[5];
  double loss;

  _cochlea_model_forward (g->model, &g->model->p, g->frames, &g->a, g->col, FALSE, 0);
  loss = cochlea_softmax_xent_forward (p, g->a.logits, 3, g->target);
  loss += cochlea_sigmoid_bce_forward (p + 3, g->a.logits + 3, t, 2);
  for (int i = 0; i < c->embed_dim; i++)
    loss += (double) g->r[i] * g->a.e[i];
  return loss;
}

static void
test_model_backward (void)
{
  CochleaModelConfig config;
  g_autoptr(CochleaModel) model = NULL;
  g_autofree float *frames = g_new (float, 128 * 6);
  g_autofree float *acts = NULL, *dacts = NULL, *col = NULL, *grads = NULL;
  float r[4], t[2] = { 1.0f, 0.0f };
  CochleaActs d;
  CochleaParamPtrs gp;
  GradCase g;
  const float eps = 1e-3f;

  test_tiny_config (&config, 0.0f);
  model = cochlea_model_new (&config, 7, NULL);
  cochlea_model_config_clear (&config);
  g_assert_nonnull (model);
  for (int i = 0; i < 6; i++)
    {
      model->norm_mean[i] = -40.0f;
      model->norm_std[i] = 8.0f;
    }
  /* small positive biases keep most ReLUs away from their kink */
  for (int l = 0; l < COCHLEA_MODEL_N_CONV; l++)
    for (int o = 0; o < model->config.channels[l]; o++)
      model->p.conv_b[l][o] = 0.1f;
  test_fill_gauss (frames, 128 * 6, 3, -40.0f, 8.0f);
  test_fill_gauss (r, 4, 4, 0.0f, 1.0f);

  acts = _cochlea_aligned_alloc0 (_cochlea_model_acts_size (&model->config));
  dacts = _cochlea_aligned_alloc0 (_cochlea_model_acts_size (&model->config));
  col = _cochlea_aligned_alloc0 (_cochlea_model_col_size (&model->config));
  grads = _cochlea_aligned_alloc0 (model->n_params);
  g = (GradCase) { model, frames, { 0 }, col, r, 1 };
  _cochlea_model_point_acts (&model->config, acts, &g.a);
  _cochlea_model_point_acts (&model->config, dacts, &d);
  _cochlea_model_point_params (model, grads, &gp);

  model_loss (&g);
  cochlea_softmax_xent_backward (d.logits, g.a.probs, 3, 1, 1.0f);
  cochlea_sigmoid_bce_backward (d.logits + 3, g.a.probs + 3, t, 2, 1.0f);
  memcpy (d.e, r, sizeof r);
  _cochlea_model_backward (model, &model->p, &g.a, &d, &gp, col);

  for (int k = 0; k < model->n_tensors; k++)
    {
      const CochleaParamInfo *info = &model->info[k];
      double num = 0, den = 0;
      int checked = 0;

      for (gsize i = 0; i < info->size; i += 1 + info->size / 64)
        {
          float *p = model->params + info->offset + i;
          float saved = *p;
          double lp, lm, numeric, analytic = grads[info->offset + i];

          *p = saved + eps;
          lp = model_loss (&g);
          *p = saved - eps;
          lm = model_loss (&g);
          *p = saved;
          numeric = (lp - lm) / (2 * eps);
          num += (analytic - numeric) * (analytic - numeric);
          den += numeric * numeric;
          checked++;
        }
      g_test_message ("%s: %d checked, NMSE %.3g", info->name, checked, num / MAX (den, 1e-30));
      /* a whole network in float32 crosses the odd ReLU/max kink: a
       * looser bound than the single ops' */
      if (den > 1e-10)
        g_assert_cmpfloat (num / den, <, 2e-3);
    }
}

static CochleaModel *
tiny_model (float   dropout,
            guint64 seed)
{
  CochleaModelConfig config;
  CochleaModel *model;

  test_tiny_config (&config, dropout);
  model = cochlea_model_new (&config, seed, NULL);
  cochlea_model_config_clear (&config);
  return model;
}

static void
test_overfit (void)
{
  g_autoptr(CochleaModel) model = tiny_model (0.0f, 11);
  g_autoptr(CochleaDataset) ds = test_tiny_dataset (6, 160, 100);
  g_autoptr(CochleaTrainer) trainer = NULL;
  CochleaTrainOptions opt;
  CochleaEpochReport report = { 0 };
  float first = 0, last = 0;

  cochlea_train_options_init_default (&opt);
  opt.batch_size = 12;
  opt.adam.lr = 3e-3f;
  opt.n_threads = 2;
  cochlea_dataset_compute_norm (ds, model->norm_mean, model->norm_std);
  trainer = cochlea_trainer_new (model, ds, ds, &opt, NULL);
  g_assert_nonnull (trainer);
  for (int s = 0; s < 300; s++)
    {
      float loss = cochlea_trainer_step (trainer);
      g_assert_true (isfinite (loss));
      if (s == 0)
        first = loss;
      last = loss;
    }
  g_test_message ("loss %.4f → %.4f", first, last);
  g_assert_cmpfloat (last, <, 0.2 * first);

  cochlea_trainer_evaluate (trainer, ds, &report);
  g_assert_cmpint (report.n_heads, ==, 2);
  g_assert_cmpstr (report.head_names[0], ==, "pitch");
  g_assert_cmpfloat (report.head_metrics[0], ==, 1.0);
  g_assert_cmpfloat (report.head_metrics[1], ==, 1.0);
}

static float *
train_steps (int     n_threads,
             guint64 seed,
             int     n_steps)
{
  g_autoptr(CochleaModel) model = tiny_model (0.5f, 5);
  g_autoptr(CochleaDataset) ds = test_tiny_dataset (10, 300, 200);
  g_autoptr(CochleaTrainer) trainer = NULL;
  CochleaTrainOptions opt;

  cochlea_train_options_init_default (&opt);
  opt.batch_size = 8;
  opt.n_threads = n_threads;
  opt.seed = seed;
  cochlea_dataset_compute_norm (ds, model->norm_mean, model->norm_std);
  trainer = cochlea_trainer_new (model, ds, NULL, &opt, NULL);
  for (int s = 0; s < n_steps; s++)
    cochlea_trainer_step (trainer);
  return g_memdup2 (model->params, sizeof (float) * model->n_params);
}

static void
test_deterministic (void)
{
  g_autoptr(CochleaModel) ref = tiny_model (0.5f, 5);
  gsize bytes = sizeof (float) * ref->n_params;
  g_autofree float *one = train_steps (1, 42, 3);
  g_autofree float *two = train_steps (2, 42, 3);
  g_autofree float *again = train_steps (2, 42, 3);
  g_autofree float *other = train_steps (2, 43, 3);

  g_assert_true (memcmp (one, ref->params, bytes) != 0);   /* it trained */
  g_assert_cmpmem (one, bytes, two, bytes);                 /* 1 thread = 2 threads */
  g_assert_cmpmem (two, bytes, again, bytes);               /* same seed, same result */
  g_assert_true (memcmp (two, other, bytes) != 0);          /* the seed matters */
}

static void
cancel_after_first_epoch (const CochleaEpochReport *report,
                          gpointer                  user_data)
{
  if (report->epoch == 1)
    g_cancellable_cancel (user_data);
}

/* With --cosine-lr the rate depends on the step and the planned epochs
 * only: a run interrupted after its first epoch and resumed from that
 * checkpoint equals an uninterrupted one, and both differ from a run at a
 * constant rate. */
static void
test_resume_cosine (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cochlea-nn-XXXXXX", NULL);
  g_autofree char *ckpt = g_build_filename (dir, "ckpt.safetensors", NULL);
  g_autoptr(CochleaDataset) ds = test_tiny_dataset (8, 300, 300);
  g_autoptr(CochleaModel) straight = tiny_model (0.5f, 9);
  g_autoptr(CochleaModel) constant = tiny_model (0.5f, 9);
  g_autoptr(CochleaModel) first = tiny_model (0.5f, 9);
  g_autoptr(CochleaModel) resumed = tiny_model (0.5f, 1234);   /* overwritten by the checkpoint */
  g_autoptr(CochleaTrainer) t1 = NULL, t2 = NULL, t3 = NULL, t4 = NULL;
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gsize bytes = straight->n_params * sizeof (float);
  CochleaTrainOptions opt;

  cochlea_train_options_init_default (&opt);
  opt.batch_size = 4;
  opt.epochs = 3;
  cochlea_dataset_compute_norm (ds, straight->norm_mean, straight->norm_std);
  cochlea_dataset_compute_norm (ds, constant->norm_mean, constant->norm_std);
  cochlea_dataset_compute_norm (ds, first->norm_mean, first->norm_std);

  t4 = cochlea_trainer_new (constant, ds, NULL, &opt, NULL);
  g_assert_true (cochlea_trainer_run (t4, NULL, NULL, NULL, &error));

  opt.cosine_lr = TRUE;
  t1 = cochlea_trainer_new (straight, ds, NULL, &opt, NULL);
  g_assert_true (cochlea_trainer_run (t1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (memcmp (straight->params, constant->params, bytes) != 0);

  opt.checkpoint_path = ckpt;
  t2 = cochlea_trainer_new (first, ds, NULL, &opt, NULL);
  g_assert_false (cochlea_trainer_run (t2, cancel_after_first_epoch, cancel, cancel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (memcmp (first->params, straight->params, bytes) != 0);

  opt.checkpoint_path = NULL;
  t3 = cochlea_trainer_new (resumed, ds, NULL, &opt, NULL);
  g_assert_true (cochlea_trainer_resume (t3, ckpt, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cochlea_trainer_get_epoch (t3), ==, 1);
  g_assert_true (cochlea_trainer_run (t3, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (straight->params, bytes, resumed->params, bytes);

  g_unlink (ckpt);
  g_rmdir (dir);
}

static void
test_resume (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cochlea-nn-XXXXXX", NULL);
  g_autofree char *ckpt = g_build_filename (dir, "ckpt.safetensors", NULL);
  g_autoptr(CochleaDataset) ds = test_tiny_dataset (8, 300, 300);
  g_autoptr(CochleaModel) straight = tiny_model (0.5f, 9);
  g_autoptr(CochleaModel) first = tiny_model (0.5f, 9);
  g_autoptr(CochleaModel) resumed = tiny_model (0.123f, 1234);   /* overwritten by the checkpoint */
  g_autoptr(CochleaTrainer) t1 = NULL, t2 = NULL, t3 = NULL;
  g_autoptr(GError) error = NULL;
  CochleaTrainOptions opt;

  cochlea_train_options_init_default (&opt);
  opt.batch_size = 4;
  opt.epochs = 3;
  cochlea_dataset_compute_norm (ds, straight->norm_mean, straight->norm_std);
  cochlea_dataset_compute_norm (ds, first->norm_mean, first->norm_std);

  t1 = cochlea_trainer_new (straight, ds, NULL, &opt, NULL);
  g_assert_true (cochlea_trainer_run (t1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  opt.epochs = 1;
  opt.checkpoint_path = ckpt;
  t2 = cochlea_trainer_new (first, ds, NULL, &opt, NULL);
  g_assert_true (cochlea_trainer_run (t2, NULL, NULL, NULL, &error));

  opt.epochs = 3;
  opt.checkpoint_path = NULL;
  /* dropout differs in the config only: the resumed model must be the
   * checkpoint's architecture; use the same one */
  g_clear_pointer (&resumed, cochlea_model_unref);
  resumed = tiny_model (0.5f, 1234);
  t3 = cochlea_trainer_new (resumed, ds, NULL, &opt, NULL);
  cochlea_trainer_resume (t3, ckpt, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cochlea_trainer_get_epoch (t3), ==, 1);
  g_assert_true (cochlea_trainer_run (t3, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpmem (straight->params, straight->n_params * sizeof (float),
                   resumed->params, resumed->n_params * sizeof (float));

  /* a plain model is not a checkpoint */
  g_assert_true (cochlea_model_save (straight, ckpt, NULL));
  g_assert_false (cochlea_trainer_resume (t3, ckpt, &error));
  g_assert_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_SHAPE);
  g_unlink (ckpt);
  g_rmdir (dir);
}

static void
test_inference (void)
{
  g_autoptr(CochleaModel) model = tiny_model (0.5f, 3);
  g_autoptr(CochleaNnContext) ctx = cochlea_nn_context_new (model);
  g_autoptr(CochleaNnRunner) runner = cochlea_nn_runner_new (model);
  g_autoptr(CochleaNnResult) whole = NULL, streamed = NULL, shorter = NULL;
  gsize n_frames = 300;   /* windows at 0, 64, 128 and one at 172 for the end */
  g_autofree float *frames = g_new (float, n_frames * 6);
  double sum_e[4] = { 0 }, sum_p[5] = { 0 }, norm = 0;
  int starts[4] = { 0, 64, 128, 172 };
  int ran = 0;
  CochleaActivationMap map;
  CochleaTensor tensor;

  test_fill_gauss (frames, n_frames * 6, 77, 0.0f, 1.0f);
  for (int w = 0; w < 4; w++)
    {
      cochlea_nn_context_forward (ctx, frames + starts[w] * 6);
      for (int i = 0; i < 4; i++)
        sum_e[i] += cochlea_nn_context_get_embedding (ctx)[i];
      for (int i = 0; i < 5; i++)
        sum_p[i] += cochlea_nn_context_get_probs (ctx)[i];
    }
  for (int i = 0; i < 4; i++)
    norm += sum_e[i] * sum_e[i];

  whole = cochlea_nn_run_frames (model, frames, n_frames);
  g_assert_cmpint (whole->n_windows, ==, 4);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (whole->embedding[i], sum_e[i] / sqrt (norm), 1e-5);
  for (int i = 0; i < 5; i++)
    g_assert_cmpfloat_with_epsilon (whole->probs[i], sum_p[i] / 4, 1e-5);
  /* softmax head sums to one */
  g_assert_cmpfloat_with_epsilon (whole->probs[0] + whole->probs[1] + whole->probs[2], 1.0, 1e-5);

  for (gsize t = 0; t < n_frames; t++)
    ran += cochlea_nn_runner_push (runner, frames + t * 6);
  g_assert_cmpint (ran, ==, 3);
  streamed = cochlea_nn_runner_finish (runner);
  g_assert_cmpmem (streamed->embedding, 4 * sizeof (float), whole->embedding, 4 * sizeof (float));

  /* a song shorter than a window is padded and still gives a result */
  shorter = cochlea_nn_run_frames (model, frames, 50);
  g_assert_cmpint (shorter->n_windows, ==, 1);
  g_assert_true (isfinite (shorter->embedding[0]));

  /* every layer's activations, with the shapes of docs/model.md */
  cochlea_nn_context_forward (ctx, frames);
  g_assert_cmpint (cochlea_nn_context_get_n_layers (ctx), ==, 11);
  cochlea_nn_context_get_layer (ctx, 1, &map);
  g_assert_cmpstr (map.name, ==, "conv1");
  g_assert_cmpint (map.n_channels, ==, 4);
  g_assert_cmpint (map.n_times, ==, 125);
  g_assert_cmpint (map.frames_per_step, ==, 1);
  cochlea_nn_context_get_layer (ctx, 2, &map);
  g_assert_cmpstr (map.name, ==, "pool1");
  g_assert_cmpint (map.n_times, ==, 31);
  g_assert_cmpint (map.frames_per_step, ==, 4);
  cochlea_nn_context_get_layer (ctx, 7, &map);
  g_assert_cmpstr (map.name, ==, "conv4");
  g_assert_cmpint (map.n_channels, ==, 6);
  g_assert_cmpint (map.n_times, ==, 2);
  g_assert_cmpint (map.frames_per_step, ==, 16);
  for (int i = 0; i < 12; i++)
    g_assert_cmpfloat (map.data[i], >=, 0.0f);   /* after the ReLU */
  cochlea_nn_context_get_layer_tensor (ctx, 8, &tensor);
  g_assert_cmpint (tensor.ne[1], ==, 18);
  g_assert_false (tensor.owned);
  cochlea_nn_context_get_layer (ctx, 10, &map);
  g_assert_cmpstr (map.name, ==, "embedding");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/nn/model/backward", test_model_backward);
  g_test_add_func ("/nn/model/inference", test_inference);
  g_test_add_func ("/nn/train/overfit", test_overfit);
  g_test_add_func ("/nn/train/deterministic", test_deterministic);
  g_test_add_func ("/nn/train/resume", test_resume);
  g_test_add_func ("/nn/train/resume-cosine", test_resume_cosine);
  return g_test_run ();
}
