/* cochlea-cli-train.c — `cochlea-cli train CORPUS_DIR -o MODEL`
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Trains the CNN from scratch on a corpus made by `cochlea-cli
 * generate-corpus` (or resumes from a checkpoint), printing per-epoch
 * progress and per-head validation metrics; with --evaluate, measures an
 * existing model on a corpus instead.  docs/model.md documents the
 * command that made the shipped model.
 */
#define G_LOG_DOMAIN "cochlea-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cochlea-engine.h"
#include "cochlea-cli-private.h"

static void
print_metrics (const CochleaEpochReport *r)
{
  for (int h = 0; h < r->n_heads; h++)
    {
      if (isnan (r->head_metrics[h]))
        printf ("  %s –", r->head_names[h]);
      else
        printf ("  %s %s %.3f", r->head_names[h], r->metric_names[h], r->head_metrics[h]);
    }
  if (!isnan (r->embed_top1))
    printf ("  embedding top1 %.3f", r->embed_top1);
}

static void
progress_cb (const CochleaEpochReport *r,
             gpointer                  user_data)
{
  printf ("epoch %d/%d  step %" G_GINT64_FORMAT "  loss %.4f  (%.1f s)  val:",
          r->epoch, r->n_epochs, r->step, r->train_loss, r->seconds);
  print_metrics (r);
  printf ("\n");
  fflush (stdout);
}

static gboolean
parse_channels (const char *text,
                int        *channels)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  if (g_strv_length (parts) != COCHLEA_MODEL_N_CONV)
    return FALSE;
  for (int i = 0; i < COCHLEA_MODEL_N_CONV; i++)
    {
      char *end = NULL;
      gint64 v = g_ascii_strtoll (parts[i], &end, 10);
      if (end == parts[i] || *end != '\0' || v < 1 || v > 2048)
        return FALSE;
      channels[i] = (int) v;
    }
  return TRUE;
}

static char *
metrics_json (const CochleaEpochReport *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  for (int h = 0; h < r->n_heads; h++)
    {
      g_autofree char *key = g_strdup_printf ("%s_%s", r->head_names[h], r->metric_names[h]);
      cochlea_json_add_finite (b, key, r->head_metrics[h]);
    }
  cochlea_json_add_finite (b, "embedding_top1", r->embed_top1);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static int
evaluate (const char *model_path,
          const char *corpus,
          int         n_threads,
          int         max_songs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaModel) model = NULL;
  g_autoptr(CochleaDataset) data = NULL;
  g_autoptr(CochleaTrainer) trainer = NULL;
  g_autofree char *json = NULL;
  CochleaTrainOptions opt;
  CochleaEpochReport report = { 0 };

  if (!(model = cochlea_model_load (model_path, &error)) ||
      !cochlea_corpus_load (corpus, cochlea_model_get_config (model), 0, max_songs, n_threads,
                            &data, NULL, NULL, cochlea_cli_get_cancellable (), &error))
    {
      g_printerr ("cochlea-cli train: %s\n", error->message);
      return CLI_EXIT_FAILED;
    }
  cochlea_train_options_init_default (&opt);
  opt.batch_size = 2;
  opt.n_shards = 1;
  if (!(trainer = cochlea_trainer_new (model, data, NULL, &opt, &error)))
    {
      g_printerr ("cochlea-cli train: %s\n", error->message);
      return CLI_EXIT_FAILED;
    }
  cochlea_trainer_evaluate (trainer, data, &report);
  printf ("%u songs:", cochlea_dataset_get_n_songs (data));
  print_metrics (&report);
  json = metrics_json (&report);
  printf ("\n%s\n", json);
  return CLI_EXIT_OK;
}

int
cochlea_cli_train (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaModel) model = NULL;
  g_autoptr(CochleaDataset) train = NULL, val = NULL;
  g_autoptr(CochleaTrainer) trainer = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char *output = NULL, *checkpoint = NULL, *channels = NULL, *eval_model = NULL;
  g_autofree char *corpus_json = NULL, *training_json = NULL, *final_json = NULL;
  gboolean resume = FALSE, cosine_lr = FALSE;
  int epochs = 20, batch = 32, seed = 1, threads = 2, dense = -1, embed = -1;
  int window = -1, hop = -1, val_every = 10, max_songs = 0;
  double lr = 1e-3, weight_decay = 1e-4, dropout = -1;
  CochleaModelConfig config;
  CochleaTrainOptions opt;
  CochleaEpochReport report = { 0 };
  gint64 start;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the trained model to FILE"), N_("FILE") },
    { "epochs", 0, 0, G_OPTION_ARG_INT, &epochs, N_("Passes over the training songs (20)"), N_("N") },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, N_("Windows per step, even: two crops of each song (32)"), N_("N") },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &lr, N_("Adam learning rate (0.001)"), N_("RATE") },
    { "weight-decay", 0, 0, G_OPTION_ARG_DOUBLE, &weight_decay, N_("Decoupled weight decay (0.0001)"), N_("W") },
    { "cosine-lr", 0, 0, G_OPTION_ARG_NONE, &cosine_lr, N_("Decay the learning rate to 0 over the run (half a cosine); default constant"), NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Seed for initialisation, order, crops and dropout (1)"), N_("S") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Worker threads (2); results do not depend on it"), N_("N") },
    { "channels", 0, 0, G_OPTION_ARG_STRING, &channels, N_("Conv widths (128,128,256,256)"), N_("A,B,C,D") },
    { "dense", 0, 0, G_OPTION_ARG_INT, &dense, N_("Dense units (512)"), N_("N") },
    { "embedding", 0, 0, G_OPTION_ARG_INT, &embed, N_("Embedding size (64)"), N_("N") },
    { "dropout", 0, 0, G_OPTION_ARG_DOUBLE, &dropout, N_("Dropout on the dense layer (0.5)"), N_("P") },
    { "window", 0, 0, G_OPTION_ARG_INT, &window, N_("Frames per window (256)"), N_("N") },
    { "hop", 0, 0, G_OPTION_ARG_INT, &hop, N_("Frames between windows over a song (128)"), N_("N") },
    { "val-every", 0, 0, G_OPTION_ARG_INT, &val_every, N_("Every Nth song is held out for validation (10)"), N_("N") },
    { "max-songs", 0, 0, G_OPTION_ARG_INT, &max_songs, N_("Use only the first N songs (all)"), N_("N") },
    { "checkpoint", 0, 0, G_OPTION_ARG_FILENAME, &checkpoint, N_("Write a checkpoint to FILE after every epoch"), N_("FILE") },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &resume, N_("Continue from the --checkpoint file"), NULL },
    { "evaluate", 0, 0, G_OPTION_ARG_FILENAME, &eval_model, N_("Only measure MODEL on every song of the corpus"), N_("MODEL") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, N_("CORPUS_DIR") },
    { NULL }
  };

  context = g_option_context_new (_("CORPUS_DIR — train the network"));
  g_option_context_set_summary (context,
    _("Trains the CNN on a corpus made by “cochlea-cli generate-corpus” and\n"
      "writes the model (safetensors).  Prints one line per epoch with the\n"
      "training loss and each head's validation metric.  See docs/model.md."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cochlea_cli_parse (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (args == NULL || args[0] == NULL || args[1] != NULL)
    {
      g_printerr ("cochlea-cli train: %s\n", _("expected one CORPUS_DIR"));
      return CLI_EXIT_USAGE;
    }
  if (eval_model != NULL)
    return evaluate (eval_model, args[0], threads, max_songs);
  if (output == NULL)
    {
      g_printerr ("cochlea-cli train: %s\n", _("expected -o MODEL_FILE"));
      return CLI_EXIT_USAGE;
    }
  if (resume && checkpoint == NULL)
    {
      g_printerr ("cochlea-cli train: %s\n", _("--resume needs --checkpoint FILE"));
      return CLI_EXIT_USAGE;
    }

  cochlea_model_config_init_default (&config);
  if (channels != NULL && !parse_channels (channels, config.channels))
    {
      g_printerr ("cochlea-cli train: %s\n", _("--channels wants four widths, e.g. 128,128,256,256"));
      return CLI_EXIT_USAGE;
    }
  if (dense > 0) config.dense = dense;
  if (embed > 0) config.embed_dim = embed;
  if (dropout >= 0) config.dropout = (float) dropout;
  if (window > 0) config.window = window;
  if (hop > 0) config.hop = hop;
  cochlea_model_config_add_corpus_heads (&config);
  if (!cochlea_model_config_validate (&config, &error) ||
      !(model = cochlea_model_new (&config, (guint64) seed, &error)))
    {
      g_printerr ("cochlea-cli train: %s\n", error->message);
      cochlea_model_config_clear (&config);
      return CLI_EXIT_USAGE;
    }

  start = g_get_monotonic_time ();
  printf ("loading %s …\n", args[0]);
  fflush (stdout);
  if (!cochlea_corpus_load (args[0], &config, MAX (0, val_every), MAX (0, max_songs), threads,
                            &train, &val, &corpus_json, cochlea_cli_get_cancellable (), &error))
    {
      g_printerr ("cochlea-cli train: %s\n", error->message);
      cochlea_model_config_clear (&config);
      return CLI_EXIT_FAILED;
    }
  cochlea_model_config_clear (&config);
  printf ("%u training songs, %u validation songs, loaded in %.1f s; %" G_GSIZE_FORMAT " parameters\n",
          cochlea_dataset_get_n_songs (train), cochlea_dataset_get_n_songs (val),
          (g_get_monotonic_time () - start) / 1e6, cochlea_model_get_n_params (model));
  fflush (stdout);

  cochlea_train_options_init_default (&opt);
  opt.epochs = epochs;
  opt.batch_size = batch;
  opt.adam.lr = (float) lr;
  opt.adam.weight_decay = (float) weight_decay;
  opt.seed = (guint64) seed;
  opt.cosine_lr = cosine_lr;
  opt.n_threads = threads;
  opt.checkpoint_path = checkpoint;
  if (!(trainer = cochlea_trainer_new (model, train, val, &opt, &error)))
    {
      g_printerr ("cochlea-cli train: %s\n", error->message);
      return CLI_EXIT_USAGE;
    }
  if (resume)
    {
      if (!cochlea_trainer_resume (trainer, checkpoint, &error))
        {
          g_printerr ("cochlea-cli train: %s\n", error->message);
          return CLI_EXIT_FAILED;
        }
      printf ("resumed after epoch %d\n", cochlea_trainer_get_epoch (trainer));
    }
  else
    {
      g_autofree float *mean = g_new (float, 512), *std = g_new (float, 512);
      cochlea_dataset_compute_norm (train, mean, std);
      cochlea_model_set_norm (model, mean, std);
    }

  if (!cochlea_trainer_run (trainer, progress_cb, NULL, cochlea_cli_get_cancellable (), &error))
    {
      g_printerr ("cochlea-cli train: %s\n", error->message);
      return CLI_EXIT_FAILED;
    }

  cochlea_trainer_evaluate (trainer, val, &report);
  final_json = metrics_json (&report);
  training_json = g_strdup_printf ("{\"command\":\"cochlea-cli train\",\"epochs\":%d,\"batch\":%d,\"lr\":%g,"
                                   "\"weight_decay\":%g,\"lr_schedule\":\"%s\",\"seed\":%d,\"optimizer\":\"AdamW\","
                                   "\"loss\":\"per-head xent/BCE + %g x in-batch contrastive (tau %g) on the embedding\","
                                   "\"crops\":\"random windows, two per song per batch\","
                                   "\"validation\":%s,\"seconds\":%.0f}",
                                   epochs, batch, lr, weight_decay, cosine_lr ? "cosine" : "constant", seed, opt.contrastive_weight, opt.tau,
                                   final_json, (g_get_monotonic_time () - start) / 1e6);
  cochlea_model_set_description (model, corpus_json, training_json);
  if (!cochlea_model_save (model, output, &error))
    {
      g_printerr ("cochlea-cli train: %s\n", error->message);
      return CLI_EXIT_FAILED;
    }
  printf ("wrote %s (%.1f s in all)\nvalidation: %s\n", output, (g_get_monotonic_time () - start) / 1e6, final_json);
  return CLI_EXIT_OK;
}
