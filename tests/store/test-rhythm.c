/* test-rhythm.c — the rhythm descriptor (fluctuation pattern): the
 * streamed accumulator against a direct computation in doubles, a
 * modulation at a known rate in one band peaking in the right cell, short
 * input, and the vector's way through the catalogue into the index's
 * similarity.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

#define N_MELS 128
#define B      COCHLEA_RHYTHM_BANDS
#define G      COCHLEA_RHYTHM_GROUPS
#define W      COCHLEA_RHYTHM_WINDOW
#define FPS    (22050.0 / 512)

/* Log-mel frames whose band @band is amplitude-modulated at @rate Hz
 * (a pulse train's envelope in dB) over noise. */
static float *
pulse_frames (GRand *rand,
              guint  n_frames,
              int    band,
              double rate)
{
  float *frames = g_new (float, (gsize) n_frames * N_MELS);

  for (guint t = 0; t < n_frames; t++)
    for (int m = 0; m < N_MELS; m++)
      {
        double v = -40 + g_rand_double_range (rand, -2, 2);
        if (m / (N_MELS / B) == band)
          v += 15 * sin (2 * G_PI * rate * t / FPS);
        frames[(gsize) t * N_MELS + m] = (float) v;
      }
  return frames;
}

static gboolean
rhythm_of (const float *frames,
           guint        n_frames,
           float       *vector)
{
  g_autoptr(CochleaRhythm) rhythm = cochlea_rhythm_new (N_MELS);

  for (guint t = 0; t < n_frames; t++)
    cochlea_rhythm_push (rhythm, frames + (gsize) t * N_MELS);
  return cochlea_rhythm_finish (rhythm, vector);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The definition in cochlea-rhythm.c, computed directly: every window's
 * DFT with complex exponentials, all windows kept, the median sorted. */
static void
reference (const float *frames,
           guint        n_frames,
           double      *out)
{
  static const int start[G + 1] = { 1, 2, 3, 4, 6, 8, 11, 16, 22, 31 };
  guint n_windows = (n_frames - W) / COCHLEA_RHYTHM_HOP + 1;
  g_autofree double *cells = g_new (double, (gsize) n_windows * B * G);

  for (guint w = 0; w < n_windows; w++)
    for (int b = 0; b < B; b++)
      {
        double x[W], mean = 0;
        for (int t = 0; t < W; t++)
          {
            double s = 0;
            for (int m = b * N_MELS / B; m < (b + 1) * N_MELS / B; m++)
              s += frames[(gsize) (w * COCHLEA_RHYTHM_HOP + t) * N_MELS + m];
            x[t] = s / (N_MELS / B);
            mean += x[t] / W;
          }
        for (int g = 0; g < G; g++)
          {
            double sum = 0;
            for (int k = start[g]; k < start[g + 1]; k++)
              {
                double complex f = 0;
                for (int t = 0; t < W; t++)
                  f += (x[t] - mean) * (0.5 - 0.5 * cos (2 * G_PI * t / (W - 1))) * cexp (-2 * G_PI * I * k * t / W);
                sum += cabs (f);
              }
            cells[((gsize) w * B + b) * G + g] = sum / (start[g + 1] - start[g]);
          }
      }
  for (int d = 0; d < B * G; d++)
    {
      g_autofree double *column = g_new (double, n_windows);
      for (guint w = 0; w < n_windows; w++)
        column[w] = cells[(gsize) w * B * G + d];
      qsort (column, n_windows, sizeof (double), compare_doubles);
      out[d] = n_windows % 2 ? column[n_windows / 2]
                             : 0.5 * (column[n_windows / 2 - 1] + column[n_windows / 2]);
    }
}

static void
test_accumulator (void)
{
  /* an odd and an even number of windows (the median differs) */
  const guint lengths[] = { 1000, 1064, W };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (11 + i);
      g_autofree float *frames = pulse_frames (rand, lengths[i], 3, 2.0);
      float vector[COCHLEA_RHYTHM_DIM];
      double ref[COCHLEA_RHYTHM_DIM];

      g_assert_true (rhythm_of (frames, lengths[i], vector));
      reference (frames, lengths[i], ref);
      for (int d = 0; d < COCHLEA_RHYTHM_DIM; d++)
        g_assert_cmpfloat_with_epsilon (vector[d], ref[d], 1e-4 * MAX (1, fabs (ref[d])));
    }
}

/* A 2 Hz modulation in band 5: that band's strongest group is the one
 * holding 2 Hz (bins 6–7, 1.68–2.35 Hz), and it is far above the same
 * group in an unmodulated band. */
static void
test_modulation_rate (void)
{
  const struct { double rate; int group; } cases[] = { { 2.0, 4 }, { 0.7, 1 }, { 6.0, 7 } };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (3);
      g_autofree float *frames = pulse_frames (rand, 2000, 5, cases[c].rate);
      float v[COCHLEA_RHYTHM_DIM];
      int best = 0;

      g_assert_true (rhythm_of (frames, 2000, v));
      for (int g = 1; g < G; g++)
        if (v[5 * G + g] > v[5 * G + best])
          best = g;
      g_assert_cmpint (best, ==, cases[c].group);
      g_assert_cmpfloat (v[5 * G + best], >, 10 * v[0 * G + best]);
    }
}

static void
test_short (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autofree float *frames = pulse_frames (rand, W - 1, 0, 2.0);
  float v[COCHLEA_RHYTHM_DIM];

  g_assert_false (rhythm_of (frames, W - 1, v));
  g_assert_false (rhythm_of (frames, 0, v));
}

/* A WAV of noise bursts at @rate per second. */
static void
write_pulses (const char *path,
              double      rate,
              guint       seed)
{
  const int sr = 22050, n = sr * 12;
  g_autofree float *pcm = g_new (float, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (int i = 0; i < n; i++)
    {
      double phase = fmod (i * rate / sr, 1.0);
      pcm[i] = (float) ((phase < 0.15 ? 0.5 : 0.02) * g_rand_double_range (rand, -1, 1));
    }
  cochlea_test_write_wav (path, pcm, n, sr, 1);
}

/* Through the product: analysed, stored, read back, loaded into the index;
 * with the rhythm part alone, a file pulsing at 2 Hz finds the other 2 Hz
 * file before the 5 Hz ones. */
static void
test_catalogue (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "c.db", NULL);
  const double rates[] = { 2.0, 2.0, 5.0, 5.0, 3.3 };
  g_autoptr(CochleaCatalogue) cat = NULL;
  g_autoptr(CochleaIndex) index = NULL, mapped = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ids[G_N_ELEMENTS (rates)];

  cat = cochlea_catalogue_open (db, COCHLEA_CATALOGUE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      g_autofree char *name = g_strdup_printf ("p%u.wav", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(CochleaAnalysis) analysis = NULL;
      g_autoptr(CochleaFeatures) features = NULL, back = NULL;
      CochleaFileStamp stamp = { 0 };

      write_pulses (path, rates[i], 100 + i);
      analysis = cochlea_analyze_file (path, cochlea_features_analyze_flags (), NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (analysis->rhythm);
      features = cochlea_features_from_analysis (analysis);
      g_assert_nonnull (features->rhythm);
      stamp.path = path;
      stamp.size = 1;
      stamp.mtime_us = 1;
      ids[i] = cochlea_catalogue_store_analysis (cat, &stamp, analysis, features, &error);
      g_assert_no_error (error);
      back = cochlea_catalogue_get_features (cat, ids[i], &error);
      g_assert_no_error (error);
      g_assert_nonnull (back->rhythm);
      for (int d = 0; d < COCHLEA_RHYTHM_DIM; d++)
        g_assert_cmpfloat (back->rhythm[d], ==, features->rhythm[d]);
      /* the rhythm vector is never taken for the content vector */
      g_assert_true (back->model == NULL || !g_str_equal (back->model, COCHLEA_RHYTHM_MODEL));
    }

  index = cochlea_index_load (cat, &error);
  g_assert_no_error (error);
  /* the persisted index holds the same rhythm part */
  {
    g_autofree char *file = g_build_filename (dir, "c.db.index", NULL);
    CochleaCatalogueStamp stamp;

    g_assert_true (cochlea_catalogue_get_stamp (cat, &stamp, &error));
    g_assert_no_error (error);
    g_assert_true (cochlea_index_file_save (index, &stamp, file, &error));
    g_assert_no_error (error);
    mapped = cochlea_index_file_open (file, &stamp, &error);
    g_assert_no_error (error);
  }
  for (guint q = 0; q < 4; q++)
    {
      g_autoptr(CochleaFeatures) query = cochlea_catalogue_get_features (cat, ids[q], &error);
      g_autoptr(GArray) recs = NULL;
      CochleaRecommendParams params;

      g_assert_no_error (error);
      cochlea_recommend_params_init (&params);
      params.k = 4;
      params.content_weight = 0;
      params.timbre_weight = 0;
      params.attribute_weight = 0;
      params.rhythm_weight = 1;
      recs = cochlea_index_recommend (index, query, ids[q], NULL, NULL, &params);
      g_assert_cmpuint (recs->len, ==, 4);
      /* its twin: 0↔1, 2↔3 */
      g_assert_cmpint (g_array_index (recs, CochleaRecommendation, 0).id, ==, ids[q ^ 1]);
      g_assert_cmpfloat (g_array_index (recs, CochleaRecommendation, 0).rhythm, >,
                         g_array_index (recs, CochleaRecommendation, 3).rhythm);
      {
        g_autoptr(GArray) again = cochlea_index_recommend (mapped, query, ids[q], NULL, NULL, &params);
        g_assert_cmpuint (again->len, ==, recs->len);
        for (guint i = 0; i < recs->len; i++)
          {
            g_assert_cmpint (g_array_index (again, CochleaRecommendation, i).id, ==,
                             g_array_index (recs, CochleaRecommendation, i).id);
            g_assert_cmpfloat (g_array_index (again, CochleaRecommendation, i).rhythm, ==,
                               g_array_index (recs, CochleaRecommendation, i).rhythm);
          }
      }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rhythm/accumulator", test_accumulator);
  g_test_add_func ("/rhythm/modulation-rate", test_modulation_rate);
  g_test_add_func ("/rhythm/short", test_short);
  g_test_add_func ("/rhythm/catalogue", test_catalogue);
  return g_test_run ();
}
