/* test-timbre.c — the MFCC timbre model: the streamed accumulator against
 * a two-pass reference, the divergence as an inner product against the
 * direct formula, and the fused scan against a brute-force fusion.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

#define N_MELS 128
#define N      COCHLEA_TIMBRE_N_MFCC
#define DIM    8

/* A song-like sequence of log-mel frames: a spectral envelope that drifts
 * and a per-frame level, so the MFCCs are correlated. */
static float *
random_frames (GRand *rand,
               guint  n_frames,
               double tilt)
{
  float *frames = g_new (float, (gsize) n_frames * N_MELS);
  double level = -30;

  for (guint t = 0; t < n_frames; t++)
    {
      level += g_rand_double_range (rand, -1, 1);
      for (int b = 0; b < N_MELS; b++)
        frames[(gsize) t * N_MELS + b] = (float) (level - tilt * b / N_MELS * 40 +
                                                  6 * sin (b * 0.2 + t * 0.01) +
                                                  g_rand_double_range (rand, -3, 3));
    }
  return frames;
}

static void
timbre_of (const float *frames,
           guint        n_frames,
           float       *vector)
{
  g_autoptr(CochleaTimbre) timbre = cochlea_timbre_new (N_MELS);

  for (guint t = 0; t < n_frames; t++)
    cochlea_timbre_push (timbre, frames + (gsize) t * N_MELS);
  g_assert_true (cochlea_timbre_finish (timbre, vector));
}

/* The accumulator gives the mean and the unbiased covariance of the
 * MFCCs that a two-pass computation in doubles gives. */
static void
test_accumulator (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  guint n_frames = 3000;
  g_autofree float *frames = random_frames (rand, n_frames, 1.0);
  g_autofree double *mfcc = g_new (double, (gsize) n_frames * N);
  float vector[COCHLEA_TIMBRE_DIM];
  double mean[N] = { 0 };
  int o = N;

  timbre_of (frames, n_frames, vector);
  for (guint t = 0; t < n_frames; t++)
    {
      /* MFCC_k = Σ_b x_b √(2/B) cos (π/B (b + ½) k), k = 0 scaled by 1/√2 */
      for (int k = 0; k < N; k++)
        {
          double s = 0;
          for (int b = 0; b < N_MELS; b++)
            s += frames[(gsize) t * N_MELS + b] * cos (G_PI / N_MELS * (b + 0.5) * k);
          mfcc[(gsize) t * N + k] = s * sqrt (2.0 / N_MELS) * (k == 0 ? sqrt (0.5) : 1);
          mean[k] += mfcc[(gsize) t * N + k] / n_frames;
        }
    }
  for (int k = 0; k < N; k++)
    g_assert_cmpfloat_with_epsilon (vector[k], mean[k], 1e-3 * MAX (1, fabs (mean[k])));
  for (int i = 0; i < N; i++)
    for (int j = i; j < N; j++, o++)
      {
        double c = 0;
        for (guint t = 0; t < n_frames; t++)
          c += (mfcc[(gsize) t * N + i] - mean[i]) * (mfcc[(gsize) t * N + j] - mean[j]);
        c /= n_frames - 1;
        g_assert_cmpfloat_with_epsilon (vector[o], c, 1e-3 * MAX (1, fabs (c)));
      }

  /* One frame is not a distribution. */
  {
    g_autoptr(CochleaTimbre) one = cochlea_timbre_new (N_MELS);
    cochlea_timbre_push (one, frames);
    g_assert_false (cochlea_timbre_finish (one, vector));
  }
}

/* An analysis made without COCHLEA_ANALYZE_TIMBRE but with its frames
 * kept (the app's) gets the same model from the frames. */
static void
test_from_spectrogram (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autofree float *frames = random_frames (rand, 500, 0.7);
  g_autofree CochleaAnalysis *analysis = g_new0 (CochleaAnalysis, 1);
  g_autoptr(CochleaFeatures) features = NULL;
  float expected[COCHLEA_TIMBRE_DIM];

  analysis->spectrogram = cochlea_spectrogram_new (N_MELS, 22050, 512, 0, 11025);
  for (guint t = 0; t < 500; t++)
    cochlea_spectrogram_append (analysis->spectrogram, frames + (gsize) t * N_MELS);
  features = cochlea_features_from_analysis (analysis);
  timbre_of (frames, 500, expected);
  g_assert_nonnull (features->timbre);
  for (int i = 0; i < COCHLEA_TIMBRE_DIM; i++)
    g_assert_cmpfloat (features->timbre[i], ==, expected[i]);
  cochlea_spectrogram_unref (analysis->spectrogram);
}

/* row (x) · query (y) + const (y) = 2·SKL + 40, against the direct
 * formula in doubles; symmetric; zero for a track against itself. */
static void
test_divergence (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  float v[6][COCHLEA_TIMBRE_DIM];
  float offset[N];

  for (int s = 0; s < 6; s++)
    {
      g_autofree float *frames = random_frames (rand, 800 + 100 * s, 0.5 + 0.3 * s);
      timbre_of (frames, 800 + 100 * s, v[s]);
    }
  for (int i = 0; i < N; i++)
    offset[i] = v[0][i];

  for (int x = 0; x < 6; x++)
    for (int y = 0; y < 6; y++)
      {
        float row[COCHLEA_TIMBRE_TERMS], query[COCHLEA_TIMBRE_TERMS], c;
        double dot = 0, skl, ref = cochlea_timbre_skl (v[x], v[y]);

        g_assert_true (cochlea_timbre_terms (v[x], offset, row, NULL, NULL));
        g_assert_true (cochlea_timbre_terms (v[y], offset, NULL, query, &c));
        for (int j = 0; j < COCHLEA_TIMBRE_TERMS; j++)
          dot += (double) row[j] * query[j];
        skl = 0.5 * (dot + c) - N;
        g_test_message ("SKL(%d, %d) = %.4f, direct %.4f", x, y, skl, ref);
        g_assert_true (isfinite (ref));
        /* float32 terms: within 0.01 + 0.1 % (neighbours are several units apart) */
        g_assert_cmpfloat_with_epsilon (skl, ref, 0.01 + 1e-3 * ref);
        g_assert_cmpfloat_with_epsilon (ref, cochlea_timbre_skl (v[y], v[x]), 1e-9 * MAX (1, ref));
        if (x == y)
          g_assert_cmpfloat (fabs (ref), <, 1e-6);
        else
          g_assert_cmpfloat (ref, >, 0);
      }

  /* Garbage is refused, not divided by. */
  {
    float bad[COCHLEA_TIMBRE_DIM];
    float row[COCHLEA_TIMBRE_TERMS];
    memcpy (bad, v[1], sizeof bad);
    bad[N] = NAN;
    g_assert_false (cochlea_timbre_terms (bad, NULL, row, NULL, NULL));
    g_assert_true (isnan (cochlea_timbre_skl (bad, v[0])));
    memcpy (bad, v[1], sizeof bad);
    bad[N] = -50;   /* a negative variance: not positive definite */
    g_assert_false (cochlea_timbre_terms (bad, NULL, row, NULL, NULL));
  }
}

typedef struct
{
  float  vectors[DIM];
  float  timbre[COCHLEA_TIMBRE_DIM];
  double energy;
} Song;

/* The index ranks by w_c·z(cos) + w_t·z(−log (1 + SKL)) + w_a·z(attributes),
 * each z-scored over the query's candidates: checked against the same
 * fusion computed here from the direct formulas, in doubles. */
static void
test_fused_scan (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  guint n = 300, q = 7;
  g_autofree Song *songs = g_new0 (Song, n);
  g_autoptr(CochleaIndex) index = cochlea_index_new ("test-model", DIM);
  g_autoptr(CochleaFeatures) query = cochlea_features_new ();
  g_autoptr(GArray) recs = NULL;
  g_autoptr(GArray) timbre_only = NULL;
  g_autofree double *comp = g_new (double, (gsize) n * 3);
  g_autofree double *fused = g_new (double, n);
  double mean[3] = { 0 }, sd[3] = { 0 }, w[3] = { 0.2, 0.8, 0.05 };
  CochleaRecommendParams params;

  for (guint i = 0; i < n; i++)
    {
      g_autofree float *frames = random_frames (rand, 400, g_rand_double_range (rand, 0, 2));
      double attrs[COCHLEA_N_ATTRIBUTES], norm = 0;
      for (int a = 0; a < COCHLEA_N_ATTRIBUTES; a++)
        attrs[a] = NAN;
      songs[i].energy = attrs[COCHLEA_ATTR_ENERGY] = g_rand_double (rand);
      for (int j = 0; j < DIM; j++)
        {
          songs[i].vectors[j] = (float) g_rand_double_range (rand, -1, 1);
          norm += songs[i].vectors[j] * songs[i].vectors[j];
        }
      for (int j = 0; j < DIM; j++)
        songs[i].vectors[j] /= sqrt (norm);
      timbre_of (frames, 400, songs[i].timbre);
      cochlea_index_add (index, 100 + i, songs[i].vectors, attrs, NULL, NULL);
      /* Every tenth song has no timbre model (analysed before it existed). */
      if (i % 10 != 3)
        cochlea_index_set_timbre (index, 100 + i, songs[i].timbre);
    }
  cochlea_index_finish (index);

  cochlea_features_set_vector (query, "test-model", songs[q].vectors, DIM);
  cochlea_features_set_timbre (query, songs[q].timbre);
  query->attrs[COCHLEA_ATTR_ENERGY] = songs[q].energy;
  cochlea_recommend_params_init (&params);
  for (int a = 0; a < COCHLEA_N_ATTRIBUTES; a++)
    params.attr_weights[a] = a == COCHLEA_ATTR_ENERGY ? 1 : 0;
  params.content_weight = w[0];
  params.timbre_weight = w[1];
  params.attribute_weight = w[2];
  params.local_scaling = FALSE;   /* the query's side only (test-local-scaling has both) */
  params.k = 10;
  recs = cochlea_index_recommend (index, query, 100 + q, NULL, NULL, &params);

  /* The same fusion, brute force. */
  {
    double count[3] = { 0 };
    for (guint i = 0; i < n; i++)
      {
        double c = 0, u = fabs (songs[i].energy - songs[q].energy) / 0.2;
        for (int j = 0; j < DIM; j++)
          c += (double) songs[i].vectors[j] * songs[q].vectors[j];
        comp[i * 3] = c;
        comp[i * 3 + 1] = i % 10 != 3 ? -log1p (MAX (0, cochlea_timbre_skl (songs[i].timbre, songs[q].timbre))) : NAN;
        comp[i * 3 + 2] = exp (-0.5 * u * u);
        if (i == q)
          continue;
        for (int k = 0; k < 3; k++)
          if (!isnan (comp[i * 3 + k]))
            mean[k] += comp[i * 3 + k], count[k]++;
      }
    for (int k = 0; k < 3; k++)
      mean[k] /= count[k];
    for (guint i = 0; i < n; i++)
      for (int k = 0; k < 3; k++)
        if (i != q && !isnan (comp[i * 3 + k]))
          sd[k] += pow (comp[i * 3 + k] - mean[k], 2) / (count[k] - 1);
    for (int k = 0; k < 3; k++)
      sd[k] = sqrt (sd[k]);
    for (guint i = 0; i < n; i++)
      {
        double num = 0, den = 0;
        for (int k = 0; k < 3; k++)
          if (!isnan (comp[i * 3 + k]))
            num += w[k] * (comp[i * 3 + k] - mean[k]) / sd[k], den += w[k];
        fused[i] = i == q ? -G_MAXDOUBLE : num / den;
      }
  }

  g_assert_cmpuint (recs->len, ==, 10);
  for (guint r = 0; r < recs->len; r++)
    {
      CochleaRecommendation *rec = &g_array_index (recs, CochleaRecommendation, r);
      guint i = rec->id - 100, better = 0;

      g_assert_cmpuint (i, !=, q);
      for (guint o = 0; o < n; o++)
        better += fused[o] > fused[i] + 1e-6;
      /* the r-th result has at most r better songs (ties aside) */
      g_assert_cmpuint (better, <=, r);
      g_assert_cmpfloat_with_epsilon (rec->score, 0.5 * erfc (-fused[i] / sqrt (2)), 1e-4);
      g_assert_cmpfloat_with_epsilon (rec->content, comp[i * 3], 1e-5);
      if (i % 10 == 3)
        g_assert_true (isnan (rec->timbre_kl));
      else
        g_assert_cmpfloat_with_epsilon (rec->timbre_kl, cochlea_timbre_skl (songs[i].timbre, songs[q].timbre),
                                        0.01 + 1e-3 * rec->timbre_kl);
    }

  /* Timbre alone: the nearest by divergence, and songs without a model
   * still rank (on what they have) rather than disappear. */
  params.content_weight = 0;
  params.attribute_weight = 0;
  params.k = n;
  timbre_only = cochlea_index_recommend (index, query, 100 + q, NULL, NULL, &params);
  g_assert_cmpuint (timbre_only->len, ==, n - 1);
  {
    CochleaRecommendation *first = &g_array_index (timbre_only, CochleaRecommendation, 0);
    double best = G_MAXDOUBLE;
    for (guint i = 0; i < n; i++)
      if (i != q && i % 10 != 3)
        best = MIN (best, cochlea_timbre_skl (songs[i].timbre, songs[q].timbre));
    g_assert_cmpfloat_with_epsilon (first->timbre_kl, best, 0.01 + 1e-3 * best);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timbre/accumulator", test_accumulator);
  g_test_add_func ("/timbre/from-spectrogram", test_from_spectrogram);
  g_test_add_func ("/timbre/divergence", test_divergence);
  g_test_add_func ("/timbre/fused-scan", test_fused_scan);

  return g_test_run ();
}
