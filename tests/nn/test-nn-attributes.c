/* test-nn-attributes.c — the heads feeding liveness, speechiness and
 * instrumentalness (engine/nn/cochlea-nn-attributes.c).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mapping on hand-set head outputs, then the shipped model end to end:
 * a generated live song against its dry studio twin, and espeak-ng speech.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-engine.h"
#include "nn/cochlea-nn-attributes.h"
#include "cochlea-test-utils.h"
#include "test-nn-common.h"

#define SR 22050

/* Sets every output of @head to @p (NAN: leave it). */
static void
set_head (CochleaNnResult *r,
          const char      *head,
          const char      *label,
          double           p)
{
  const CochleaModelConfig *c = cochlea_model_get_config (r->model);
  int h = cochlea_model_config_find_head (c, head);

  g_assert_cmpint (h, >=, 0);
  for (int k = 0; k < c->heads[h].n_out; k++)
    if (label == NULL || strcmp (c->heads[h].labels[k], label) == 0)
      r->probs[c->heads[h].offset + k] = (float) p;
}

static CochleaNnResult *
fake_result (CochleaModel *model)
{
  CochleaNnResult *r = g_new0 (CochleaNnResult, 1);
  const CochleaModelConfig *c = cochlea_model_get_config (model);

  r->model = cochlea_model_ref (model);
  r->n_windows = 1;
  r->embed_dim = c->embed_dim;
  r->embedding = g_new0 (float, c->embed_dim);
  r->n_logits = c->n_logits;
  r->probs = g_new0 (float, c->n_logits);
  return r;
}

static void
formula_values (CochleaAttributes *a)
{
  memset (a, 0, sizeof *a);
  a->loudness = -14.0;
  a->liveness = 0.123;
  a->speechiness = 0.234;
  a->instrumentalness = 0.345;
  a->acousticness = 0.456;
}

/* Spotify's bands: speech alone > 0.66, speech over music 0.33–0.66,
 * music < 0.33; the values are the documented formulas of the heads. */
static void
test_mapping (void)
{
  CochleaModelConfig config;
  g_autoptr(CochleaModel) model = NULL;
  g_autoptr(CochleaNnResult) r = NULL;
  g_autoptr(GError) error = NULL;
  CochleaAttributes a;
  CochleaNnFeeds fed;

  cochlea_model_config_init_default (&config);
  cochlea_model_config_add_corpus_heads (&config);
  g_assert_true (cochlea_model_config_validate (&config, &error));
  model = cochlea_model_new (&config, 1, &error);
  g_assert_no_error (error);
  cochlea_model_config_clear (&config);
  r = fake_result (model);

  /* spoken word: speech, no instrument */
  set_head (r, "speech", "speech", 0.98);
  set_head (r, "voice", "voice", 0.01);
  set_head (r, "instruments", NULL, 0.02);
  set_head (r, "live", "live", 0.9);
  set_head (r, "live", "studio", 0.1);
  set_head (r, "acoustic", "acoustic", 0.8);
  formula_values (&a);
  fed = cochlea_nn_feed_attributes (r, &a);
  g_assert_true (fed & COCHLEA_NN_FEEDS_LIVENESS);
  g_assert_true (fed & COCHLEA_NN_FEEDS_SPEECHINESS);
  g_assert_true (fed & COCHLEA_NN_FEEDS_INSTRUMENTALNESS);
  g_assert_cmpfloat_with_epsilon (a.liveness, 0.9, 1e-6);
  g_assert_cmpfloat (a.speechiness, >, 0.66);
  g_assert_cmpfloat_with_epsilon (a.instrumentalness, 0.02, 1e-6);
  /* acousticness stays the formula's unless it is fed */
  if (!(fed & COCHLEA_NN_FEEDS_ACOUSTICNESS))
    g_assert_cmpfloat (a.acousticness, ==, 0.456);

  /* speech over a confidently playing instrument: the middle band */
  set_head (r, "instruments", "piano", 0.95);
  formula_values (&a);
  cochlea_nn_feed_attributes (r, &a);
  g_assert_cmpfloat (a.speechiness, >=, 0.33);
  g_assert_cmpfloat (a.speechiness, <=, 0.66);

  /* a sung song: music, not speech; vocals all the same */
  set_head (r, "speech", "speech", 0.03);
  set_head (r, "voice", "voice", 0.97);
  formula_values (&a);
  cochlea_nn_feed_attributes (r, &a);
  g_assert_cmpfloat (a.speechiness, <, 0.33);
  g_assert_cmpfloat (a.instrumentalness, <, 0.5);

  /* silence keeps the formulas' zeros */
  formula_values (&a);
  a.loudness = -70.0;
  g_assert_cmpint (cochlea_nn_feed_attributes (r, &a), ==, COCHLEA_NN_FEEDS_NONE);
  g_assert_cmpfloat (a.liveness, ==, 0.123);

  /* no result at all */
  formula_values (&a);
  g_assert_cmpint (cochlea_nn_feed_attributes (NULL, &a), ==, COCHLEA_NN_FEEDS_NONE);
  g_assert_cmpfloat (a.speechiness, ==, 0.234);
}

/* A model without the corpus heads feeds nothing. */
static void
test_other_heads (void)
{
  CochleaModelConfig config;
  g_autoptr(CochleaModel) model = NULL;
  g_autoptr(CochleaNnResult) r = NULL;
  g_autoptr(GError) error = NULL;
  CochleaAttributes a;

  test_tiny_config (&config, 0.0f);
  model = cochlea_model_new (&config, 1, &error);
  g_assert_no_error (error);
  cochlea_model_config_clear (&config);
  r = fake_result (model);
  for (int i = 0; i < r->n_logits; i++)
    r->probs[i] = 0.9f;
  formula_values (&a);
  g_assert_cmpint (cochlea_nn_feed_attributes (r, &a), ==, COCHLEA_NN_FEEDS_NONE);
  g_assert_cmpfloat (a.liveness, ==, 0.123);
  g_assert_cmpfloat (a.speechiness, ==, 0.234);
  g_assert_cmpfloat (a.instrumentalness, ==, 0.345);
}

static double
prob (const CochleaNnResult *r,
      const char            *head,
      const char            *label)
{
  const CochleaModelConfig *c = cochlea_model_get_config (r->model);
  int h = cochlea_model_config_find_head (c, head);

  g_assert_cmpint (h, >=, 0);
  for (int k = 0; k < c->heads[h].n_out; k++)
    if (strcmp (c->heads[h].labels[k], label) == 0)
      return r->probs[c->heads[h].offset + k];
  g_assert_not_reached ();
}

static CochleaAnalysis *
analyze_samples (const char  *dir,
                 const char  *name,
                 const float *x,
                 gsize        n)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  CochleaAnalysis *a;

  cochlea_test_write_wav (path, x, n, SR, 1);
  a = cochlea_analyze_file (path, COCHLEA_ANALYZE_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a->nn);
  return a;
}

/* Generated live songs (room reverb + crowd) against the same scores
 * rendered dry: the live one must read as more live, and liveness must be
 * the live head's probability. */
static void
test_live_twin (void)
{
  const char *sf = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autoptr(CochleaSynth) synth = NULL;
  g_autoptr(GError) error = NULL;
  CochleaSongOptions options;
  guint found = 0;

  if (!g_file_test (sf, G_FILE_TEST_IS_REGULAR))
    {
      g_test_skip ("FluidR3_GM.sf2 (fluid-soundfont-gm) is not installed");
      return;
    }
  synth = cochlea_synth_new (sf, SR, &error);
  g_assert_no_error (error);
  cochlea_song_options_init_default (&options);
  options.duration = 12.0;
  options.p_live = 1.0;
  options.p_voice = 0.0;
  options.p_speech = 0.0;
  options.allow_no_music = FALSE;

  for (guint i = 0; found < 3; i++)
    {
      g_autoptr(CochleaSong) song = cochlea_song_compose (77, i, &options);
      g_autofree float *live_pcm = NULL, *dry_pcm = NULL;
      g_autoptr(CochleaAnalysis) live = NULL, dry = NULL;
      g_autofree char *live_name = g_strdup_printf ("live-%u.wav", i);
      g_autofree char *dry_name = g_strdup_printf ("dry-%u.wav", i);

      g_assert_cmpuint (i, <, 50);
      if (!song->live || !song->music)
        continue;
      found++;
      live_pcm = cochlea_synth_render (synth, song, COCHLEA_PART_MASK_ALL, COCHLEA_RENDER_DEFAULT, NULL, &error);
      g_assert_no_error (error);
      dry_pcm = cochlea_synth_render (synth, song, COCHLEA_PART_MASK_ALL, COCHLEA_RENDER_DRY, NULL, &error);
      g_assert_no_error (error);
      live = analyze_samples (dir, live_name, live_pcm, song->n_samples);
      dry = analyze_samples (dir, dry_name, dry_pcm, song->n_samples);

      g_test_message ("song %u: liveness live %.3f, dry %.3f (formula cue: noise floor %.3f / %.3f)",
                      i, live->attributes.liveness, dry->attributes.liveness,
                      live->attributes.cues.noise_floor, dry->attributes.cues.noise_floor);
      g_assert_cmpfloat_with_epsilon (live->attributes.liveness, prob (live->nn, "live", "live"), 1e-6);
      g_assert_cmpfloat_with_epsilon (dry->attributes.liveness, prob (dry->nn, "live", "live"), 1e-6);
      g_assert_cmpfloat (live->attributes.liveness, >, dry->attributes.liveness);
    }
}

/* espeak-ng reading two sentences is spoken word in Spotify's sense. */
static void
test_speech (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "speech.wav", NULL);
  const char *argv[] = { "espeak-ng", "-w", path,
                         "The quick brown fox jumps over the lazy dog. Music information "
                         "retrieval is the interdisciplinary science of retrieving information "
                         "from music, with a background in musicology, psychoacoustics, "
                         "signal processing and machine learning.", NULL };
  g_autoptr(CochleaAnalysis) a = NULL;
  g_autoptr(GError) error = NULL;

  if (g_find_program_in_path ("espeak-ng") == NULL)
    {
      g_test_skip ("espeak-ng is not installed");
      return;
    }
  g_assert_cmpint (cochlea_test_run (argv, NULL, NULL), ==, 0);
  a = cochlea_analyze_file (path, COCHLEA_ANALYZE_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a->nn);
  g_test_message ("speechiness %.3f (P(speech) %.3f), instrumentalness %.3f",
                  a->attributes.speechiness, prob (a->nn, "speech", "speech"),
                  a->attributes.instrumentalness);
  g_assert_cmpfloat (a->attributes.speechiness, >, 0.66);
  g_assert_cmpfloat (a->attributes.instrumentalness, <, 0.5);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(CochleaModel) model = NULL;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nn/attributes/mapping", test_mapping);
  g_test_add_func ("/nn/attributes/other-heads", test_other_heads);
  /* the shipped model (data/models), found as cochlea_analyze_file()
   * finds it: it is part of the source tree, so its absence is a failure */
  model = cochlea_model_get_default ();
  g_assert_nonnull (model);
  g_test_add_func ("/nn/attributes/live-twin", test_live_twin);
  g_test_add_func ("/nn/attributes/speech", test_speech);
  return g_test_run ();
}
