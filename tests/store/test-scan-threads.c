/* test-scan-threads.c — the exact scan gives the same results, to the last
 * bit of every score, whatever the number of threads that share its rows.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"
#include "store/cochlea-recommend-private.h"

#define DIM 16
/* Several of the scan's chunks of rows (SCAN_CHUNK, 4 096), the last one
 * partial, so 7 threads have chunks to share. */
#define N_ROWS 30001

static CochleaIndex *
timbre_index (GRand *rand)
{
  CochleaIndex *index = cochlea_index_new ("test-model", DIM);

  for (guint i = 0; i < N_ROWS; i++)
    {
      double attrs[COCHLEA_N_ATTRIBUTES];
      float v[DIM], t[COCHLEA_TIMBRE_DIM], r[COCHLEA_RHYTHM_DIM];
      g_autofree char *artist = g_strdup_printf ("Artist %u", i % 300);

      cochlea_test_random_attrs (rand, attrs);
      cochlea_test_random_unit (rand, v, DIM);
      cochlea_test_random_timbre (rand, t);
      for (int j = 0; j < COCHLEA_RHYTHM_DIM; j++)
        r[j] = (float) g_rand_double_range (rand, 0.5, 1.5);
      /* Some rows lack a part, so the parts' counts differ. */
      cochlea_index_add (index, 1 + i, i % 97 == 0 ? NULL : v, attrs, artist, NULL);
      if (i % 89 != 0)
        cochlea_index_set_timbre (index, 1 + i, t);
      if (i % 3 != 0)
        cochlea_index_set_rhythm (index, 1 + i, r);
    }
  cochlea_index_finish (index);
  _cochlea_index_set_min_rows_per_thread (index, 1);
  return index;
}

static void
assert_same (GArray *a,
             GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const CochleaRecommendation *x = &g_array_index (a, CochleaRecommendation, i);
      const CochleaRecommendation *y = &g_array_index (b, CochleaRecommendation, i);

      g_assert_cmpint (x->id, ==, y->id);
      /* Bit for bit: the standardisation must not depend on the split. */
      g_assert_cmpfloat (x->score, ==, y->score);
      g_assert_cmpfloat (x->content, ==, y->content);
      g_assert_true (x->timbre_kl == y->timbre_kl || (isnan (x->timbre_kl) && isnan (y->timbre_kl)));
      g_assert_true (x->rhythm == y->rhythm || (isnan (x->rhythm) && isnan (y->rhythm)));
      g_assert_true (x->attributes == y->attributes || (isnan (x->attributes) && isnan (y->attributes)));
    }
}

/* 1, 2, 3 and 7 threads: the same top k and the same scores, with the
 * 16-bit pass 1 (the default) and the float one, plain, with MMR and a
 * taste model, and with an exclusion. */
static void
test_same_results (void)
{
  static const guint threads[] = { 2, 3, 7 };
  static const CochleaSearch searches[] = { COCHLEA_SEARCH_EXACT, COCHLEA_SEARCH_EXACT_FLOAT };
  g_autoptr(GRand) rand = g_rand_new_with_seed (61);
  g_autoptr(CochleaIndex) index = timbre_index (rand);
  g_autofree float *taste = g_new (float, N_ROWS);
  guint fallbacks = 0, compared = 0;

  for (guint i = 0; i < N_ROWS; i++)
    taste[i] = (float) g_rand_double (rand);
  for (guint qi = 0; qi < 6; qi++)
    for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
      {
        guint row = g_rand_int_range (rand, 0, N_ROWS);
        g_autoptr(CochleaFeatures) f = cochlea_features_new ();
        g_autoptr(GArray) one = NULL;
        float t[COCHLEA_TIMBRE_DIM], r[COCHLEA_RHYTHM_DIM];
        CochleaRecommendParams params;

        cochlea_features_set_vector (f, "test-model", cochlea_index_get_vector (index, row), DIM);
        cochlea_index_get_attrs (index, row, f->attrs);
        cochlea_test_random_timbre (rand, t);
        cochlea_features_set_timbre (f, t);
        for (int j = 0; j < COCHLEA_RHYTHM_DIM; j++)
          r[j] = (float) g_rand_double_range (rand, 0.5, 1.5);
        cochlea_features_set_rhythm (f, r);
        cochlea_recommend_params_init (&params);
        params.k = 10;
        params.exclude_same_artist = qi % 2 == 0;
        params.diversity = qi % 3 == 1 ? 0.3 : 0;
        params.taste = qi % 3 == 2 ? taste : NULL;

        cochlea_index_set_search (index, searches[s], 0);
        cochlea_index_set_n_threads (index, 1);
        fallbacks = cochlea_index_get_n_fallbacks (index);
        one = cochlea_index_recommend (index, f, cochlea_index_get_id (index, row),
                                       "Artist 7", NULL, &params);
        g_assert_cmpuint (one->len, ==, 10);
        for (guint t_i = 0; t_i < G_N_ELEMENTS (threads); t_i++)
          {
            g_autoptr(GArray) many = NULL;

            cochlea_index_set_n_threads (index, threads[t_i]);
            many = cochlea_index_recommend (index, f, cochlea_index_get_id (index, row),
                                            "Artist 7", NULL, &params);
            assert_same (one, many);
            compared++;
          }
        /* Whether pass 1's 16-bit ranking was confirmed does not depend
         * on the threads either: all four or none scanned twice. */
        g_assert_true (cochlea_index_get_n_fallbacks (index) - fallbacks == 0 ||
                       cochlea_index_get_n_fallbacks (index) - fallbacks == 4);
      }
  g_test_message ("%u multi-thread queries compared with one thread", compared);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scan-threads/same-results", test_same_results);
  return g_test_run ();
}
