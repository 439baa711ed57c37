/* test-local-scaling.c — the candidate's side of the similarity's
 * standardisation (docs/catalogue.md, "Similarity"): every part is the
 * mean of the query's z-score and the candidate's own, whose mean and
 * deviation come from a fixed sample of COCHLEA_LOCAL_SAMPLE tracks.
 * Checked against the same score computed here in doubles from the direct
 * formulas, in all three scans; and a hub (a track near everything) is
 * demoted by it.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

#define DIM 16
#define N_PARTS 4   /* content, timbre, rhythm, attributes */

typedef struct
{
  gint64 id;
  float  vector[DIM];
  float  timbre[COCHLEA_TIMBRE_DIM];
  float  rhythm[COCHLEA_RHYTHM_DIM];
  double attrs[COCHLEA_N_ATTRIBUTES];
  gboolean has_timbre, has_rhythm;
} Song;

/* The documented sample: splitmix64's finaliser of (id ^ seed), rows
 * lacking parts last. */
static guint64
mix64 (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

static guint64
sample_key (const Song *s)
{
  guint64 missing = !s->has_timbre + !s->has_rhythm;

  return missing << 61 | mix64 ((guint64) s->id ^ G_GUINT64_CONSTANT (0x6c6f63616c736361)) >> 3;
}

static double
attr_similarity (const Song   *q,
                 const Song   *t,
                 const double *targets)
{
  double d2 = 0, wsum = 0;

  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    {
      const CochleaAttributeInfo *info = cochlea_attribute_get_info (i);
      double target = isfinite (targets[i]) ? targets[i] : q->attrs[i], u;
      if (info->default_weight <= 0 || !isfinite (target) || !isfinite (t->attrs[i]))
        continue;
      if (i == COCHLEA_ATTR_KEY)
        {
          int d = ((((int) lround (t->attrs[i]) - (int) lround (target)) % 12) + 12) % 12;
          int m = (d * 7) % 12;
          u = MIN (m, 12 - m) / info->scale;
        }
      else
        u = fabs (t->attrs[i] - target) / info->scale;
      d2 += info->default_weight * u * u;
      wsum += info->default_weight;
    }
  return wsum > 0 ? exp (-0.5 * d2 / wsum) : NAN;
}

/* The four parts of @a against @b, in doubles; NAN where not compared.
 * @rhythm: the rhythm descriptors z-scored per dimension and normalised. */
static void
parts (const Song   *a,
       const Song   *b,
       const double *rhythm_a,
       const double *rhythm_b,
       const double *targets,
       double       *out)
{
  double c = 0, r = 0;

  for (int j = 0; j < DIM; j++)
    c += (double) a->vector[j] * b->vector[j];
  out[0] = c;
  out[1] = a->has_timbre && b->has_timbre ? -log1p (MAX (0, cochlea_timbre_skl (a->timbre, b->timbre))) : NAN;
  for (int j = 0; j < COCHLEA_RHYTHM_DIM; j++)
    r += rhythm_a[j] * rhythm_b[j];
  out[2] = a->has_rhythm && b->has_rhythm ? r : NAN;
  out[3] = attr_similarity (a, b, targets);
}

static Song *
random_songs (GRand *rand,
              guint  n)
{
  Song *songs = g_new0 (Song, n);

  for (guint i = 0; i < n; i++)
    {
      Song *s = &songs[i];
      s->id = 10 + 3 * i;
      cochlea_test_random_unit (rand, s->vector, DIM);
      cochlea_test_random_timbre (rand, s->timbre);
      for (int j = 0; j < COCHLEA_RHYTHM_DIM; j++)
        s->rhythm[j] = (float) (g_rand_double (rand) * (1 + j % 5));
      s->has_timbre = i % 17 != 4;
      s->has_rhythm = i % 13 != 6;
      for (int a = 0; a < COCHLEA_N_ATTRIBUTES; a++)
        s->attrs[a] = NAN;
      s->attrs[COCHLEA_ATTR_ENERGY] = g_rand_double (rand);
      s->attrs[COCHLEA_ATTR_TEMPO] = g_rand_double_range (rand, 60, 180);
      if (i % 5 != 0)
        s->attrs[COCHLEA_ATTR_KEY] = g_rand_int_range (rand, 0, 12);
    }
  return songs;
}

static CochleaIndex *
index_of (const Song *songs,
          guint       n)
{
  CochleaIndex *index = cochlea_index_new ("test-model", DIM);

  for (guint i = 0; i < n; i++)
    {
      cochlea_index_add (index, songs[i].id, songs[i].vector, songs[i].attrs, NULL, NULL);
      cochlea_index_set_timbre (index, songs[i].id, songs[i].has_timbre ? songs[i].timbre : NULL);
      cochlea_index_set_rhythm (index, songs[i].id, songs[i].has_rhythm ? songs[i].rhythm : NULL);
    }
  cochlea_index_finish (index);
  return index;
}

static CochleaFeatures *
features_of (const Song *s)
{
  CochleaFeatures *f = cochlea_features_new ();

  cochlea_features_set_vector (f, "test-model", s->vector, DIM);
  cochlea_features_set_timbre (f, s->has_timbre ? s->timbre : NULL);
  if (s->has_rhythm)
    f->rhythm = g_memdup2 (s->rhythm, sizeof s->rhythm);
  memcpy (f->attrs, s->attrs, sizeof f->attrs);
  return f;
}

/* The fused score of every song for query @q, computed here: per part the
 * query's z-score over the other songs (sample deviation) and, when
 * @local (per part), the candidate's z-score over the sample rows other
 * than itself (sample deviation), averaged; then the weighted mean over
 * the parts present. */
static void
reference_scores (const Song   *songs,
                  guint         n,
                  const double *rz,
                  guint         q,
                  const double *w,
                  const double *targets,
                  const gboolean *local,
                  const guint  *sample,
                  guint         n_sample,
                  double       *fused)
{
  g_autofree double *p = g_new (double, (gsize) n * N_PARTS);
  double mean[N_PARTS] = { 0 }, sd[N_PARTS] = { 0 }, count[N_PARTS] = { 0 };
  double none[COCHLEA_N_ATTRIBUTES];

  for (int a = 0; a < COCHLEA_N_ATTRIBUTES; a++)
    none[a] = NAN;
  for (guint i = 0; i < n; i++)
    {
      parts (&songs[q], &songs[i], rz + (gsize) q * COCHLEA_RHYTHM_DIM, rz + (gsize) i * COCHLEA_RHYTHM_DIM,
             targets, p + (gsize) i * N_PARTS);
      for (int k = 0; k < N_PARTS && i != q; k++)
        if (!isnan (p[i * N_PARTS + k]))
          mean[k] += p[i * N_PARTS + k], count[k]++;
    }
  for (int k = 0; k < N_PARTS; k++)
    mean[k] /= count[k];
  for (guint i = 0; i < n; i++)
    for (int k = 0; k < N_PARTS && i != q; k++)
      if (!isnan (p[i * N_PARTS + k]))
        sd[k] += pow (p[i * N_PARTS + k] - mean[k], 2) / (count[k] - 1);
  for (int k = 0; k < N_PARTS; k++)
    sd[k] = sqrt (sd[k]);

  for (guint i = 0; i < n; i++)
    {
      double num = 0, den = 0;
      double lm[N_PARTS] = { 0 }, ls[N_PARTS] = { 0 }, lc[N_PARTS] = { 0 };

      /* the candidate's own mean and deviation over the sample */
      for (guint s = 0; s < n_sample; s++)
        {
          double o[N_PARTS];
          if (sample[s] == i)
            continue;
          parts (&songs[i], &songs[sample[s]], rz + (gsize) i * COCHLEA_RHYTHM_DIM,
                 rz + (gsize) sample[s] * COCHLEA_RHYTHM_DIM, none, o);
          for (int k = 0; k < N_PARTS; k++)
            if (!isnan (o[k]))
              lm[k] += o[k], ls[k] += o[k] * o[k], lc[k]++;
        }
      for (int k = 0; k < N_PARTS; k++)
        {
          double x = p[i * N_PARTS + k], z;
          if (w[k] <= 0 || isnan (x))
            continue;
          z = (x - mean[k]) / sd[k];
          if (local[k])
            {
              /* without two sample values its own side counts as average */
              double m = lc[k] > 0 ? lm[k] / lc[k] : 0, v = lc[k] > 1 ? (ls[k] - lm[k] * m) / (lc[k] - 1) : 0;
              z = 0.5 * (z + (lc[k] > 1 ? (x - m) / sqrt (v) : 0));
            }
          num += w[k] * z;
          den += w[k];
        }
      fused[i] = i == q ? -G_MAXDOUBLE : num / den;
    }
}

/* Each rhythm descriptor z-scored per dimension over the songs that have
 * one (population deviation) and L2-normalised, as the index does. */
static double *
rhythm_z (const Song *songs,
          guint       n)
{
  double *rz = g_new0 (double, (gsize) n * COCHLEA_RHYTHM_DIM);

  for (int j = 0; j < COCHLEA_RHYTHM_DIM; j++)
    {
      double m = 0, v = 0, c = 0;
      for (guint i = 0; i < n; i++)
        if (songs[i].has_rhythm)
          m += songs[i].rhythm[j], c++;
      m /= c;
      for (guint i = 0; i < n; i++)
        if (songs[i].has_rhythm)
          v += pow (songs[i].rhythm[j] - m, 2) / c;
      for (guint i = 0; i < n; i++)
        rz[i * COCHLEA_RHYTHM_DIM + j] = songs[i].has_rhythm ? (songs[i].rhythm[j] - m) / sqrt (v) : 0;
    }
  for (guint i = 0; i < n; i++)
    {
      double norm = 0;
      for (int j = 0; j < COCHLEA_RHYTHM_DIM; j++)
        norm += pow (rz[i * COCHLEA_RHYTHM_DIM + j], 2);
      for (int j = 0; j < COCHLEA_RHYTHM_DIM && norm > 0; j++)
        rz[i * COCHLEA_RHYTHM_DIM + j] /= sqrt (norm);
    }
  return rz;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const Song *songs = data;
  guint64 x = sample_key (&songs[*(const guint *) a]), y = sample_key (&songs[*(const guint *) b]);

  return (x > y) - (x < y);
}

/* For 12 queries (some with a target, which keeps the attribute part on
 * the query's side only, and one without local scaling), the 10 results
 * of the float scan, the 16-bit scan and the two-stage search (whose
 * sample and shortlist hold every row here) are the reference's 10 best
 * in order, with its scores. */
static void
test_reference (void)
{
  const guint n = 400;
  g_autoptr(GRand) rand = g_rand_new_with_seed (29);
  g_autofree Song *songs = random_songs (rand, n);
  g_autofree double *rz = rhythm_z (songs, n);
  g_autoptr(CochleaIndex) index = index_of (songs, n);
  g_autofree guint *order = g_new (guint, n);
  g_autofree double *fused = g_new (double, n);
  const CochleaSearch searches[] = { COCHLEA_SEARCH_EXACT_FLOAT, COCHLEA_SEARCH_EXACT, COCHLEA_SEARCH_TWO_STAGE };
  double max_diff = 0;

  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (guint), compare_keys, songs);

  for (guint qi = 0; qi < 12; qi++)
    {
      guint q = (qi * 37 + 3) % n;
      g_autoptr(CochleaFeatures) f = features_of (&songs[q]);
      CochleaRecommendParams params;
      double w[N_PARTS], targets[COCHLEA_N_ATTRIBUTES];
      gboolean local[N_PARTS];

      cochlea_recommend_params_init (&params);
      params.k = 10;
      params.attribute_weight = 0.3;   /* enough to matter */
      if (qi % 4 == 1)
        g_assert_true (cochlea_recommend_params_set_target (&params, "energy=0.9", NULL));
      params.local_scaling = qi != 7;
      memcpy (targets, params.targets, sizeof targets);
      w[0] = params.content_weight;
      w[1] = params.timbre_weight;
      w[2] = params.rhythm_weight;
      w[3] = qi % 4 == 1 ? COCHLEA_STEERING_ATTRIBUTE_WEIGHT : params.attribute_weight;
      for (int k = 0; k < N_PARTS; k++)
        local[k] = params.local_scaling && (k != 3 || qi % 4 != 1);
      reference_scores (songs, n, rz, q, w, targets, local, order, COCHLEA_LOCAL_SAMPLE, fused);

      for (guint si = 0; si < G_N_ELEMENTS (searches); si++)
        {
          g_autoptr(GArray) recs = NULL;
          cochlea_index_set_search (index, searches[si], n);
          recs = cochlea_index_recommend (index, f, songs[q].id, NULL, NULL, &params);
          g_assert_cmpuint (recs->len, ==, 10);
          for (guint r = 0; r < recs->len; r++)
            {
              CochleaRecommendation *rec = &g_array_index (recs, CochleaRecommendation, r);
              guint i = (guint) ((rec->id - 10) / 3), better = 0;
              for (guint o = 0; o < n; o++)
                better += fused[o] > fused[i] + 1e-6;
              /* the r-th result has at most r better songs (ties aside) */
              g_assert_cmpuint (better, <=, r);
              g_assert_cmpfloat_with_epsilon (rec->score, 0.5 * erfc (-fused[i] / sqrt (2)), 2e-5);
              max_diff = MAX (max_diff, fabs (rec->score - 0.5 * erfc (-fused[i] / sqrt (2))));
            }
        }
    }
  g_test_message ("largest score difference from the reference: %.3g", max_diff);
}

/* The sample, and so every track's stats, depend on the track ids, not
 * on the order the rows were added in: the same catalogue added forwards
 * and backwards gives the same results with local scaling (float scan;
 * scores within rounding of the sums' order). */
static void
test_order_independent (void)
{
  const guint n = 300;
  g_autoptr(GRand) rand = g_rand_new_with_seed (37);
  g_autofree Song *songs = random_songs (rand, n);
  g_autofree Song *reversed = g_new (Song, n);
  g_autoptr(CochleaIndex) forwards = NULL, backwards = NULL;
  guint differ_from_plain = 0;

  for (guint i = 0; i < n; i++)
    reversed[i] = songs[n - 1 - i];
  forwards = index_of (songs, n);
  backwards = index_of (reversed, n);
  cochlea_index_set_search (forwards, COCHLEA_SEARCH_EXACT_FLOAT, 0);
  cochlea_index_set_search (backwards, COCHLEA_SEARCH_EXACT_FLOAT, 0);
  for (guint q = 0; q < n; q += 23)
    {
      g_autoptr(CochleaFeatures) f = features_of (&songs[q]);
      g_autoptr(GArray) a = NULL, b = NULL, plain = NULL;
      CochleaRecommendParams params;

      cochlea_recommend_params_init (&params);
      a = cochlea_index_recommend (forwards, f, songs[q].id, NULL, NULL, &params);
      b = cochlea_index_recommend (backwards, f, songs[q].id, NULL, NULL, &params);
      params.local_scaling = FALSE;
      plain = cochlea_index_recommend (forwards, f, songs[q].id, NULL, NULL, &params);
      g_assert_cmpuint (a->len, ==, b->len);
      for (guint i = 0; i < a->len; i++)
        {
          CochleaRecommendation *x = &g_array_index (a, CochleaRecommendation, i);
          CochleaRecommendation *y = &g_array_index (b, CochleaRecommendation, i);
          g_assert_cmpint (x->id, ==, y->id);
          g_assert_cmpfloat_with_epsilon (x->score, y->score, 1e-9);
          differ_from_plain += x->id != g_array_index (plain, CochleaRecommendation, i).id;
        }
    }
  /* and the scaling is in effect */
  g_assert_cmpuint (differ_from_plain, >, 0);
}

/* A hub: every track leans towards one direction (a common component
 * under independent 63-dimensional noise of varying strength), and the
 * hub is that direction, nearer to each track than most tracks are to
 * each other (measured: in the top 10 of 39 of 60 queries, 3 with).
 * On the query's side alone it is among the 10 nearest of most queries;
 * once each candidate is also standardised by its own similarity to the
 * sample (high and narrow for the hub), of few. */
#define HUB_DIM 64

static void
test_hub (void)
{
  const guint n = 2000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (31);
  g_autoptr(CochleaIndex) index = cochlea_index_new ("test-model", HUB_DIM);
  g_autofree float *vectors = g_new (float, (gsize) n * HUB_DIM);
  guint with = 0, without = 0, n_queries = 60;

  for (guint i = 0; i < n; i++)
    {
      float *v = vectors + (gsize) i * HUB_DIM;
      double norm = 0;
      float amplitude = (float) g_rand_double_range (rand, 1.2, 1.8);
      cochlea_test_random_unit (rand, v + 1, HUB_DIM - 1);
      for (int j = 1; j < HUB_DIM; j++)
        v[j] *= i == 0 ? 0.f : amplitude;
      v[0] = 1;
      for (int j = 0; j < HUB_DIM; j++)
        norm += (double) v[j] * v[j];
      for (int j = 0; j < HUB_DIM; j++)
        v[j] /= sqrt (norm);
      cochlea_index_add (index, 1 + i, v, NULL, NULL, NULL);
    }
  cochlea_index_finish (index);

  for (guint qi = 0; qi < n_queries; qi++)
    {
      guint row = 1 + qi * 31 % (n - 1);
      g_autoptr(CochleaFeatures) f = cochlea_features_new ();
      CochleaRecommendParams params;

      cochlea_features_set_vector (f, "test-model", vectors + (gsize) row * HUB_DIM, HUB_DIM);
      cochlea_recommend_params_init (&params);
      params.k = 10;
      for (int scaled = 0; scaled < 2; scaled++)
        {
          g_autoptr(GArray) recs = NULL;
          params.local_scaling = scaled;
          recs = cochlea_index_recommend (index, f, 1 + row, NULL, NULL, &params);
          g_assert_cmpuint (recs->len, ==, 10);
          for (guint r = 0; r < recs->len; r++)
            if (g_array_index (recs, CochleaRecommendation, r).id == 1)
              *(scaled ? &with : &without) += 1;
        }
    }
  g_test_message ("the hub in the top 10 of %u of %u queries without local scaling, %u with",
                  without, n_queries, with);
  g_assert_cmpuint (without, >=, n_queries / 2);
  g_assert_cmpuint (with, <=, without / 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/local-scaling/reference", test_reference);
  g_test_add_func ("/local-scaling/order-independent", test_order_independent);
  g_test_add_func ("/local-scaling/hub", test_hub);

  return g_test_run ();
}
