/* bench-scan.c — the exact scan alone, for load-independent comparisons:
 * an in-memory index of N synthetic tracks (64-float embedding, timbre
 * model, attributes, and with --rhythm a rhythm descriptor; no SQLite),
 * then Q top-10 queries of the default similarity with each search asked
 * for, one thread unless --threads.  Prints the median process CPU ms per query and the
 * recall@10 against EXACT_FLOAT, and the CPU ms and minor page faults of
 * each search's first three queries.  Under callgrind only the queries are
 * instrumented:
 *
 *   valgrind --tool=callgrind --instr-atstart=no bench-scan 100000 5 exact
 *   bench-scan [--rhythm] [--no-recall] [--trace] [--yardsticks] [--threads=T] N Q [exact|float|two-stage|notimbre …]
 *
 * --threads=T: the scan's threads (default 1).  --trace prints every
 * query's wall and CPU ms and the CPU it ended on; --yardsticks also
 * times two yardsticks right before each query in the same process: a
 * compute loop on data in the L1 cache (no memory traffic) and a read of
 * a 64 MB array in 2 MB pages (memory bound), so a slow query can be told
 * apart as the CPU being slower at that moment (both yardsticks slower),
 * memory (only the second) or neither (the scan's own data).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE 1   /* sched_getcpu */
#include "config.h"

#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <valgrind/callgrind.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

static long last_faults;   /* minor page faults of the last query () */
static double last_wall;   /* wall ms of the last query () */

/* The yardsticks of --trace: CPU ms of a fixed amount of arithmetic on
 * 4 KB, and of summing 64 MB of 16-bit integers. */
static volatile float sink;

static double
yard_compute (void)
{
  static float a[1024], b[1024];
  double t0 = cochlea_test_cpu_ms ();
  float acc[8] = { 0 };

  if (a[1] == 0)
    for (int i = 0; i < 1024; i++)
      a[i] = 1e-3f * i, b[i] = 1 - 1e-4f * i;
  for (int rep = 0; rep < 4000; rep++)
    for (int i = 0; i < 1024; i += 8)
      for (int l = 0; l < 8; l++)
        acc[l] += a[i + l] * b[i + l];
  sink = acc[0] + acc[7];
  return cochlea_test_cpu_ms () - t0;
}

typedef gint16 v16hi __attribute__ ((vector_size (32)));

static double
yard_memory (void)
{
  static gint16 *m;
  const gsize n = 32 * 1024 * 1024;
  double t0;
  v16hi acc = { 0 };

  if (m == NULL)
    {
      /* In 2 MB pages, as the index's scan arrays are. */
      if (posix_memalign ((void **) &m, 2 << 20, n * sizeof (gint16)) != 0)
        g_error ("out of memory");
      madvise (m, n * sizeof (gint16), MADV_HUGEPAGE);
      for (gsize i = 0; i < n; i++)
        m[i] = (gint16) i;
    }
  t0 = cochlea_test_cpu_ms ();
  for (gsize i = 0; i < n; i += 16)
    acc += *(const v16hi *) (m + i);
  sink = (float) (acc[0] + acc[15]);
  return cochlea_test_cpu_ms () - t0;
}

static GArray *
query (CochleaIndex    *index,
       CochleaFeatures *f,
       CochleaSearch    search,
       gboolean         timbre,
       double          *cpu)
{
  CochleaRecommendParams params;
  GArray *res;
  struct rusage ru0, ru1;
  double t0;

  cochlea_recommend_params_init (&params);
  params.exclude_same_artist = TRUE;
  if (!timbre)
    params.timbre_weight = 0;
  cochlea_index_set_search (index, search, 0);
  t0 = cochlea_test_cpu_ms ();
  CALLGRIND_START_INSTRUMENTATION;
  getrusage (RUSAGE_SELF, &ru0);
  last_wall = g_get_monotonic_time ();
  res = cochlea_index_recommend (index, f, -1, "Artist 1", NULL, &params);
  last_wall = (g_get_monotonic_time () - last_wall) / 1e3;
  getrusage (RUSAGE_SELF, &ru1);
  CALLGRIND_STOP_INSTRUMENTATION;
  *cpu = cochlea_test_cpu_ms () - t0;
  last_faults = ru1.ru_minflt - ru0.ru_minflt;
  return res;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);
  g_autoptr(CochleaIndex) index = cochlea_index_new ("bench-model", 64);
  gboolean rhythm = FALSE, recall = TRUE, trace = FALSE, yardsticks = FALSE;
  guint n_threads = 1;
  guint n, n_queries, found = 0, total = 0;
  int a0 = 1;
  CochleaFeatures **queries;
  float v[64], t[COCHLEA_TIMBRE_DIM], r[COCHLEA_RHYTHM_DIM];
  double attrs[COCHLEA_N_ATTRIBUTES], t0;

  for (; a0 < argc && g_str_has_prefix (argv[a0], "--"); a0++)
    if (g_strcmp0 (argv[a0], "--rhythm") == 0)
      rhythm = TRUE;
    else if (g_strcmp0 (argv[a0], "--no-recall") == 0)
      recall = FALSE;
    else if (g_strcmp0 (argv[a0], "--trace") == 0)
      trace = TRUE;
    else if (g_strcmp0 (argv[a0], "--yardsticks") == 0)
      trace = yardsticks = TRUE;
    else if (g_str_has_prefix (argv[a0], "--threads="))
      n_threads = MAX (1, (guint) g_ascii_strtoull (argv[a0] + 10, NULL, 10));
  if (argc < a0 + 2)
    {
      fprintf (stderr, "usage: bench-scan [--rhythm] [--no-recall] [--trace] [--yardsticks] [--threads=T] N Q [exact|float|two-stage|notimbre …]\n");
      return 1;
    }
  n = (guint) g_ascii_strtoull (argv[a0], NULL, 10);
  n_queries = (guint) g_ascii_strtoull (argv[a0 + 1], NULL, 10);
  queries = g_new0 (CochleaFeatures *, n_queries);
  for (guint i = 0; i < n + n_queries; i++)
    {
      g_autofree char *artist = g_strdup_printf ("Artist %u", i % 5000);
      cochlea_test_random_unit (rand, v, 64);
      cochlea_test_random_timbre (rand, t);
      cochlea_test_random_attrs (rand, attrs);
      for (int j = 0; j < COCHLEA_RHYTHM_DIM; j++)
        r[j] = (float) (g_rand_double_range (rand, 0.5, 1.5) * (1 + j % COCHLEA_RHYTHM_GROUPS));
      if (i < n)
        {
          cochlea_index_add (index, i + 1, v, attrs, artist, NULL);
          cochlea_index_set_timbre (index, i + 1, t);
          if (rhythm)
            cochlea_index_set_rhythm (index, i + 1, r);
        }
      else
        {
          CochleaFeatures *f = queries[i - n] = cochlea_features_new ();
          cochlea_features_set_vector (f, "bench-model", v, 64);
          cochlea_features_set_timbre (f, t);
          if (rhythm)
            cochlea_features_set_rhythm (f, r);
          for (int j = 0; j < COCHLEA_N_ATTRIBUTES; j++)
            f->attrs[j] = attrs[j];
        }
    }
  t0 = cochlea_test_cpu_ms ();
  cochlea_index_finish (index);
  printf ("%u tracks%s: index finished in %.0f ms CPU\n", n, rhythm ? " with rhythm" : "", cochlea_test_cpu_ms () - t0);
  cochlea_index_set_n_threads (index, n_threads);
  {
    g_autofree char *smaps = NULL;
    char *huge;
    if (g_file_get_contents ("/proc/self/smaps_rollup", &smaps, NULL, NULL) &&
        (huge = strstr (smaps, "AnonHugePages:")) != NULL)
      printf ("%.*s\n", (int) strcspn (huge, "\n"), huge);
  }

  for (int s = a0 + 2; s < argc; s++)
    {
      g_autofree double *cpu = g_new (double, n_queries);
      CochleaSearch search = COCHLEA_SEARCH_EXACT;
      gboolean timbre = TRUE;
      guint fallbacks = cochlea_index_get_n_fallbacks (index);

      if (g_strcmp0 (argv[s], "float") == 0)
        search = COCHLEA_SEARCH_EXACT_FLOAT;
      else if (g_strcmp0 (argv[s], "two-stage") == 0)
        search = COCHLEA_SEARCH_TWO_STAGE;
      else if (g_strcmp0 (argv[s], "notimbre") == 0)
        timbre = FALSE;
      for (guint q = 0; q < n_queries; q++)
        {
          double yc = yardsticks ? yard_compute () : NAN, ym = yardsticks ? yard_memory () : NAN;
          g_autoptr(GArray) res = query (index, queries[q], search, timbre, &cpu[q]);
          if (trace)
            printf ("  %s query %u: %.2f ms wall, %.2f ms CPU; yardsticks: compute %.2f ms, memory %.2f ms; on CPU %d, %ld faults\n",
                    argv[s], q, last_wall, cpu[q], yc, ym, sched_getcpu (), last_faults);
          else if (q < 3)
            printf ("  %s query %u: %.2f ms CPU, %ld minor page faults\n", argv[s], q, cpu[q], last_faults);
          if (recall && timbre && search != COCHLEA_SEARCH_EXACT_FLOAT)
            {
              double ignored;
              g_autoptr(GArray) ref = query (index, queries[q], COCHLEA_SEARCH_EXACT_FLOAT, TRUE, &ignored);
              for (guint i = 0; i < ref->len; i++, total++)
                for (guint j = 0; j < res->len; j++)
                  if (g_array_index (res, CochleaRecommendation, j).id == g_array_index (ref, CochleaRecommendation, i).id)
                    {
                      found++;
                      break;
                    }
            }
        }
      printf ("%s: median %.2f ms CPU per query (%u thread%s), recall@10 vs float %.4f, %u second scans\n",
              argv[s], cochlea_test_median (cpu, n_queries), n_threads, n_threads == 1 ? "" : "s", total > 0 ? (double) found / total : NAN,
              cochlea_index_get_n_fallbacks (index) - fallbacks);
      found = total = 0;
    }
  for (guint q = 0; q < n_queries; q++)
    cochlea_features_free (queries[q]);
  g_free (queries);
  return 0;
}
