/* fuzz-seeds.c — writes the valid starting inputs of each fuzz target
 * into tests/fuzz/corpus/<target>/ (seed-*), with the engine's own
 * writers so they follow the formats exactly.  Run by hand after a
 * format change:  _build-qa-fuzz/tests/fuzz/fuzz-seeds tests/fuzz/corpus
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "dsp/cochlea-npy.h"
#include "nn/cochlea-model.h"
#include "nn/cochlea-train-data.h"

static void
write_npy (const char *path,
           gsize       rows,
           gsize       cols)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaNpyWriter) w = cochlea_npy_writer_new (path, cols, &error);
  g_autofree float *row = g_new0 (float, MAX (cols, 1));

  g_assert_no_error (error);
  for (gsize r = 0; r < rows; r++)
    {
      for (gsize c = 0; c < cols; c++)
        row[c] = (float) r - 0.5f * (float) c;
      g_assert_true (cochlea_npy_writer_append (w, row, &error));
    }
  g_assert_true (cochlea_npy_writer_commit (w, &error));
}

static void
write_model (const char *path,
             gboolean    with_heads)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaModel) model = NULL;
  CochleaModelConfig config;

  /* the smallest network the validator accepts, so seeds stay tiny */
  cochlea_model_config_init_default (&config);
  config.mel.n_mels = 4;
  config.mel.f_max = 2000.0;
  config.window = 8;
  config.hop = 4;
  config.kernel = 1;
  for (int l = 0; l < COCHLEA_MODEL_N_CONV; l++)
    config.channels[l] = 2;
  for (int l = 0; l < COCHLEA_MODEL_N_CONV - 1; l++)
    config.pools[l] = 1;
  config.dense = 2;
  config.embed_dim = 2;
  if (with_heads)
    cochlea_model_config_add_corpus_heads (&config);
  model = cochlea_model_new (&config, 1, &error);
  g_assert_no_error (error);
  g_assert_true (cochlea_model_save (model, path, &error));
  cochlea_model_config_clear (&config);
}

static void
write_text (const char *path,
            const char *text,
            gsize       len)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, (gssize) len, &error));
}

int
main (int    argc,
      char **argv)
{
  const char *root;
  g_autofree char *npy = NULL, *model = NULL, *labels = NULL;
  static const char label0[] =
    "\000{\"audio\": \"00000.flac\", \"music\": true, \"families\": [\"piano\", \"bass\", \"drums\"],"
    " \"voice\": true, \"speech\": false, \"acoustic\": 0.8, \"live\": false,"
    " \"tempo\": 121.5, \"key\": 9, \"mode\": 0}";
  static const char label1[] =
    "\377{\"audio\": \"00001.flac\", \"music\": true, \"families\": [\"organ\", 3, null],"
    " \"voice\": false, \"speech\": true, \"acoustic\": 0.1, \"live\": true,"
    " \"tempo\": 178, \"key\": 11, \"mode\": 1}";

  if (argc != 2)
    {
      g_printerr ("usage: fuzz-seeds CORPUS-DIR\n");
      return 2;
    }
  root = argv[1];
  npy = g_build_filename (root, "npy", NULL);
  model = g_build_filename (root, "model", NULL);
  labels = g_build_filename (root, "labels", NULL);
  g_mkdir_with_parents (npy, 0755);
  g_mkdir_with_parents (model, 0755);
  g_mkdir_with_parents (labels, 0755);

  {
    g_autofree char *a = g_build_filename (npy, "seed-3x4.npy", NULL);
    g_autofree char *b = g_build_filename (npy, "seed-0x128.npy", NULL);
    g_autofree char *c = g_build_filename (model, "seed-tiny.safetensors", NULL);
    g_autofree char *d = g_build_filename (model, "seed-tiny-heads.safetensors", NULL);
    g_autofree char *e = g_build_filename (labels, "seed-corpus-heads.json", NULL);
    g_autofree char *f = g_build_filename (labels, "seed-small-heads.json", NULL);

    write_npy (a, 3, 4);
    write_npy (b, 0, 128);
    write_model (c, FALSE);
    write_model (d, TRUE);
    write_text (e, label0, sizeof label0 - 1);
    write_text (f, label1, sizeof label1 - 1);
  }
  return 0;
}
