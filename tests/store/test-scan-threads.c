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

/* Helpers held back until the test lets them go. */
typedef struct
{
  GMutex lock;
  GCond  cond;
  guint  held;       /* helpers waiting in the hook */
  gboolean release;
  GArray  *result;   /* the query's, once it returned */
} Gate;

static void
hold_helper (gpointer data)
{
  Gate *gate = data;

  g_mutex_lock (&gate->lock);
  gate->held++;
  g_cond_broadcast (&gate->cond);
  while (!gate->release)
    g_cond_wait (&gate->cond, &gate->lock);
  gate->held--;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->lock);
}

typedef struct
{
  CochleaIndex           *index;
  CochleaFeatures        *f;
  gint64                  id;
  CochleaRecommendParams *params;
  Gate                   *gate;
} Query;

static gpointer
run_query (gpointer data)
{
  Query *query = data;
  GArray *result = cochlea_index_recommend (query->index, query->f, query->id, NULL, NULL, query->params);

  g_mutex_lock (&query->gate->lock);
  query->gate->result = result;
  g_cond_broadcast (&query->gate->cond);
  g_mutex_unlock (&query->gate->lock);
  return NULL;
}

/* A helper thread the scheduler has not run yet (here: one held back in
 * the hook until the query is over) does not hold the query up: the
 * caller takes every chunk itself, and the results are those of one
 * thread.  Waiting for the helpers to begin, the query would never
 * return. */
static void
test_late_helpers (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (62);
  g_autoptr(CochleaIndex) index = timbre_index (rand);
  g_autoptr(CochleaFeatures) f = cochlea_features_new ();
  g_autoptr(GArray) one = NULL;
  g_autoptr(GThread) thread = NULL;
  CochleaRecommendParams params;
  /* Static: a helper thread may reach the hook after this returns. */
  static Gate gate;
  Query query = { index, f, cochlea_index_get_id (index, 5), &params, &gate };
  gint64 deadline;
  float t[COCHLEA_TIMBRE_DIM];

  cochlea_features_set_vector (f, "test-model", cochlea_index_get_vector (index, 5), DIM);
  cochlea_index_get_attrs (index, 5, f->attrs);
  cochlea_test_random_timbre (rand, t);
  cochlea_features_set_timbre (f, t);
  cochlea_recommend_params_init (&params);
  params.k = 10;

  cochlea_index_set_n_threads (index, 1);
  one = cochlea_index_recommend (index, f, query.id, NULL, NULL, &params);

  cochlea_index_set_n_threads (index, 3);
  _cochlea_index_set_helper_hook (index, hold_helper, &gate);
  thread = g_thread_new ("query", run_query, &query);
  deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  g_mutex_lock (&gate.lock);
  while (gate.result == NULL)
    if (!g_cond_wait_until (&gate.cond, &gate.lock, deadline))
      g_error ("the query waited 60 s for helper threads that had not begun (%u held)", gate.held);
  /* Each pass started two helpers, none of which has begun. */
  g_test_message ("the query returned with %u helper threads held back", gate.held);
  gate.release = TRUE;
  g_cond_broadcast (&gate.cond);
  while (gate.held > 0)
    g_cond_wait (&gate.cond, &gate.lock);
  g_mutex_unlock (&gate.lock);
  g_thread_join (g_steal_pointer (&thread));

  assert_same (one, gate.result);
  g_clear_pointer (&gate.result, g_array_unref);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scan-threads/same-results", test_same_results);
  g_test_add_func ("/scan-threads/late-helpers", test_late_helpers);
  return g_test_run ();
}
