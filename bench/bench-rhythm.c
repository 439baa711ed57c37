/* bench-rhythm.c — what the rhythm part (engine/store/cochlea-rhythm.c)
 * costs, against the timbre model in the same run:
 *   1. the analysis pass: CPU time of the rhythm accumulator over the
 *      frames of a 3-minute song, and of the timbre accumulator (the
 *      baseline) over the same frames;
 *   2. the exact top-10 scan of an in-memory index of N synthetic tracks
 *      (content vector, timbre model, attributes, rhythm descriptor) with
 *      the default weights, against the same index queried with
 *      --rhythm-weight 0 (the previous similarity), 1 and 2 threads.
 * CPU time (all threads of the process), median of the queries: the
 * machine may be shared.
 *
 *   bench-rhythm [N …]   (default: 100000)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

#define N_QUERIES 21
#define N_MELS    128
#define SONG      7752   /* frames of 3 minutes at 22050 / 512 */


static void
bench_accumulators (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autofree float *frames = g_new (float, (gsize) SONG * N_MELS);
  double t_rhythm[5], t_timbre[5];
  float out[COCHLEA_TIMBRE_DIM];

  for (gsize i = 0; i < (gsize) SONG * N_MELS; i++)
    frames[i] = (float) g_rand_double_range (rand, -80, 0);
  for (int rep = 0; rep < 5; rep++)
    {
      g_autoptr(CochleaRhythm) rhythm = cochlea_rhythm_new (N_MELS);
      g_autoptr(CochleaTimbre) timbre = cochlea_timbre_new (N_MELS);
      double t0 = cochlea_test_cpu_ms ();

      for (int t = 0; t < SONG; t++)
        cochlea_rhythm_push (rhythm, frames + (gsize) t * N_MELS);
      g_assert_true (cochlea_rhythm_finish (rhythm, out));
      t_rhythm[rep] = cochlea_test_cpu_ms () - t0;
      t0 = cochlea_test_cpu_ms ();
      for (int t = 0; t < SONG; t++)
        cochlea_timbre_push (timbre, frames + (gsize) t * N_MELS);
      g_assert_true (cochlea_timbre_finish (timbre, out));
      t_timbre[rep] = cochlea_test_cpu_ms () - t0;
    }
  printf ("| analysis pass, 3-minute song (%d frames) | rhythm accumulator %.2f ms CPU | timbre accumulator %.2f ms CPU | ratio %.2f |\n",
          SONG, cochlea_test_median (t_rhythm, 5), cochlea_test_median (t_timbre, 5), cochlea_test_median (t_rhythm, 5) / cochlea_test_median (t_timbre, 5));
}

static void
bench_scan (guint n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);
  g_autoptr(CochleaIndex) index = cochlea_index_new ("bench-model", 64);
  CochleaFeatures *query[N_QUERIES] = { NULL };
  float v[64], t[COCHLEA_TIMBRE_DIM], r[COCHLEA_RHYTHM_DIM];
  double a[COCHLEA_N_ATTRIBUTES];

  for (guint i = 0; i < n + N_QUERIES; i++)
    {
      cochlea_test_random_unit (rand, v, 64);
      cochlea_test_random_timbre (rand, t);
      for (int j = 0; j < COCHLEA_N_ATTRIBUTES; j++)
        a[j] = g_rand_double (rand);
      a[COCHLEA_ATTR_TEMPO] = g_rand_double_range (rand, 60, 180);
      a[COCHLEA_ATTR_KEY] = g_rand_int_range (rand, 0, 12);
      for (int j = 0; j < COCHLEA_RHYTHM_DIM; j++)
        r[j] = (float) (g_rand_double_range (rand, 0.5, 1.5) * (1 + j % COCHLEA_RHYTHM_GROUPS));
      if (i < n)
        {
          cochlea_index_add (index, i + 1, v, a, NULL, NULL);
          cochlea_index_set_timbre (index, i + 1, t);
          cochlea_index_set_rhythm (index, i + 1, r);
        }
      else
        {
          CochleaFeatures *f = query[i - n] = cochlea_features_new ();
          cochlea_features_set_vector (f, "bench-model", v, 64);
          cochlea_features_set_timbre (f, t);
          cochlea_features_set_rhythm (f, r);
          for (int j = 0; j < COCHLEA_N_ATTRIBUTES; j++)
            f->attrs[j] = a[j];
        }
    }
  cochlea_index_finish (index);
  cochlea_index_set_search (index, COCHLEA_SEARCH_EXACT, 0);

  for (guint threads = 1; threads <= 2; threads++)
    {
      double with[N_QUERIES], without[N_QUERIES];

      cochlea_index_set_n_threads (index, threads);
      for (int q = 0; q < N_QUERIES; q++)
        {
          CochleaRecommendParams params;
          g_autoptr(GArray) a1 = NULL, a2 = NULL;
          double t0;

          cochlea_recommend_params_init (&params);
          t0 = cochlea_test_cpu_ms ();
          a1 = cochlea_index_recommend (index, query[q], -1, NULL, NULL, &params);
          with[q] = cochlea_test_cpu_ms () - t0;
          params.rhythm_weight = 0;
          t0 = cochlea_test_cpu_ms ();
          a2 = cochlea_index_recommend (index, query[q], -1, NULL, NULL, &params);
          without[q] = cochlea_test_cpu_ms () - t0;
          g_assert_cmpuint (a1->len, ==, 10);
          g_assert_cmpuint (a2->len, ==, 10);
        }
      printf ("| exact top-10, %u tracks, %u thread%s | default (with rhythm) %.1f ms CPU | rhythm weight 0 %.1f ms CPU | ratio %.2f |\n",
              n, threads, threads > 1 ? "s" : "", cochlea_test_median (with, N_QUERIES), cochlea_test_median (without, N_QUERIES),
              cochlea_test_median (with, N_QUERIES) / cochlea_test_median (without, N_QUERIES));
    }
  for (int q = 0; q < N_QUERIES; q++)
    cochlea_features_free (query[q]);
}

int
main (int   argc,
      char *argv[])
{
  printf ("| what | rhythm | baseline | ratio |\n|---|---|---|---|\n");
  bench_accumulators ();
  if (argc < 2)
    bench_scan (100000);
  for (int i = 1; i < argc; i++)
    bench_scan ((guint) g_ascii_strtoull (argv[i], NULL, 10));
  return 0;
}
