/* bench-recommend.c — top-10 latency over synthetic catalogues: the exact
 * scan of the in-memory float matrix (1 and 2 threads) against a scan in
 * SQL with a dot-product function over the stored BLOBs, plus the time to
 * load the matrix from the catalogue and the catalogue's bytes per track.
 *
 *   bench-recommend [N …]        (default: 100000 1000000)
 *
 * Prints a Markdown table; docs/performance.md has the measured one.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cochlea-engine.h"
#include "store/cochlea-catalogue-private.h"

#define N_QUERIES 15

/* CPU time of the whole process (all threads), ms: the machine may be
 * shared, and wall time then says more about the other processes. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v,
        int     n)
{
  qsort (v, n, sizeof (double), compare_double);
  return v[n / 2];
}

static void
random_unit (GRand *rand,
             float *v,
             guint  dim)
{
  double norm = 0;

  for (guint j = 0; j < dim; j++)
    {
      v[j] = (float) g_rand_double_range (rand, -1, 1);
      norm += v[j] * v[j];
    }
  for (guint j = 0; j < dim; j++)
    v[j] /= sqrt (norm);
}

static void
random_attrs (GRand  *rand,
              double *a)
{
  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    a[i] = g_rand_double (rand);
  a[COCHLEA_ATTR_TEMPO] = g_rand_double_range (rand, 60, 180);
  a[COCHLEA_ATTR_KEY] = g_rand_int_range (rand, 0, 12);
  a[COCHLEA_ATTR_MODE] = g_rand_int_range (rand, 0, 2);
  a[COCHLEA_ATTR_TIME_SIGNATURE] = 4;
  a[COCHLEA_ATTR_LOUDNESS] = g_rand_double_range (rand, -30, -5);
}

static void
sql_dot (sqlite3_context *ctx,
         int              argc,
         sqlite3_value  **argv)
{
  const float *a = sqlite3_value_blob (argv[0]);
  const float *b = sqlite3_value_blob (argv[1]);
  int n = sqlite3_value_bytes (argv[0]) / 4;
  double d = 0;

  if (a == NULL || b == NULL || sqlite3_value_bytes (argv[1]) != n * 4)
    {
      sqlite3_result_null (ctx);
      return;
    }
  for (int j = 0; j < n; j++)
    d += a[j] * b[j];
  sqlite3_result_double (ctx, d);
}

/* A catalogue with @n synthetic tracks (one transaction). */
static void
fill_catalogue (const char *path,
                guint       n,
                guint       dim,
                GRand      *rand)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) cat = cochlea_catalogue_open (path, 0, &error);
  sqlite3 *db;
  sqlite3_stmt *track = NULL, *attr = NULL, *emb = NULL;
  g_autofree float *v = g_new (float, dim);

  g_assert_no_error (error);
  db = _cochlea_catalogue_get_db (cat);
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO tracks (id, path, size, mtime_us, hash, title, artist, album, duration_s,"
                          " analysis_version, added_us, analysed_us) VALUES (?1, ?2, 5000000, 1, ?3, ?4, ?5, ?6, 200.5, 1, 1, 1)",
                      -1, &track, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO attributes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                      -1, &attr, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO embeddings VALUES (?1, 'bench', ?2, ?3)", -1, &emb, NULL);
  for (guint i = 1; i <= n; i++)
    {
      double a[COCHLEA_N_ATTRIBUTES];
      g_autofree char *p = g_strdup_printf ("/home/user/Music/Artist %u/Album %u/%02u Track title number %u.flac",
                                            i % 5000, i % 20000, i % 12, i);
      g_autofree char *artist = g_strdup_printf ("Artist %u", i % 5000);
      g_autofree char *album = g_strdup_printf ("Album %u", i % 20000);
      g_autofree char *title = g_strdup_printf ("Track title number %u", i);

      sqlite3_bind_int64 (track, 1, i);
      sqlite3_bind_text (track, 2, p, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (track, 3, "0123456789abcdef0123456789abcdef01234567", -1, SQLITE_STATIC);
      sqlite3_bind_text (track, 4, title, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (track, 5, artist, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (track, 6, album, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (track), ==, SQLITE_DONE);
      sqlite3_reset (track);

      random_attrs (rand, a);
      sqlite3_bind_int64 (attr, 1, i);
      for (int k = 0; k < COCHLEA_N_ATTRIBUTES; k++)
        {
          if (cochlea_attribute_get_info (k)->is_integer)
            sqlite3_bind_int64 (attr, k + 2, (gint64) a[k]);
          else
            sqlite3_bind_double (attr, k + 2, a[k]);
        }
      g_assert_cmpint (sqlite3_step (attr), ==, SQLITE_DONE);
      sqlite3_reset (attr);

      random_unit (rand, v, dim);
      sqlite3_bind_int64 (emb, 1, i);
      sqlite3_bind_int (emb, 2, dim);
      sqlite3_bind_blob (emb, 3, v, dim * 4, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (emb), ==, SQLITE_DONE);
      sqlite3_reset (emb);
    }
  sqlite3_finalize (track);
  sqlite3_finalize (attr);
  sqlite3_finalize (emb);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

static double
time_index (CochleaIndex *index,
            guint         n_threads,
            GRand        *rand,
            double        diversity,
            double       *cpu)
{
  double t[N_QUERIES], c[N_QUERIES];
  CochleaRecommendParams params;
  guint dim = cochlea_index_get_dim (index);

  cochlea_recommend_params_init (&params);
  params.k = 10;
  params.diversity = diversity;
  params.exclude_same_artist = TRUE;
  cochlea_index_set_n_threads (index, n_threads);
  for (int q = 0; q < N_QUERIES; q++)
    {
      guint row = g_rand_int_range (rand, 0, cochlea_index_get_size (index));
      g_autoptr(CochleaFeatures) f = cochlea_features_new ();
      g_autoptr(GArray) res = NULL;
      gint64 t0;
      double c0;

      cochlea_features_set_vector (f, "bench", cochlea_index_get_vector (index, row), dim);
      cochlea_index_get_attrs (index, row, f->attrs);
      c0 = cpu_ms ();
      t0 = g_get_monotonic_time ();
      res = cochlea_index_recommend (index, f, cochlea_index_get_id (index, row), "Artist 1", NULL, &params);
      t[q] = (g_get_monotonic_time () - t0) / 1000.0;
      c[q] = cpu_ms () - c0;
      g_assert_cmpuint (res->len, ==, 10);
    }
  *cpu = median (c, N_QUERIES);
  return median (t, N_QUERIES);
}

static double
time_sql (const char *path,
          guint       dim,
          GRand      *rand,
          int         n_queries,
          double     *cpu)
{
  g_autofree double *c = g_new (double, n_queries);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree float *q = g_new (float, dim);
  g_autofree double *t = g_new (double, n_queries);

  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  sqlite3_create_function (db, "dot", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_dot, NULL, NULL);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT track_id FROM embeddings WHERE model = 'bench'"
                                           " ORDER BY dot (vector, ?1) DESC LIMIT 10", -1, &stmt, NULL), ==, SQLITE_OK);
  for (int i = 0; i < n_queries; i++)
    {
      gint64 t0;
      double c0;
      int rows = 0;
      random_unit (rand, q, dim);
      c0 = cpu_ms ();
      t0 = g_get_monotonic_time ();
      sqlite3_bind_blob (stmt, 1, q, dim * 4, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        rows++;
      sqlite3_reset (stmt);
      t[i] = (g_get_monotonic_time () - t0) / 1000.0;
      c[i] = cpu_ms () - c0;
      g_assert_cmpint (rows, ==, 10);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  *cpu = median (c, n_queries);
  return median (t, n_queries);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint sizes[8] = { 100000, 1000000 };
  guint n_sizes = 2;
  guint dims[] = { 64, 256 };
  g_autofree char *dir = g_dir_make_tmp ("cochlea-bench-XXXXXX", NULL);

  if (argc > 1)
    {
      n_sizes = 0;
      for (int i = 1; i < argc && n_sizes < G_N_ELEMENTS (sizes); i++)
        sizes[n_sizes++] = (guint) g_ascii_strtoull (argv[i], NULL, 10);
    }

  printf ("Times are medians of %d queries (SQL: 3–7): wall ms, and in brackets the process CPU ms.\n\n", N_QUERIES);
  printf ("| tracks | dim | index, 1 thread | index, 2 threads | index + MMR 0.3, 2 threads | SQL scan with dot() | SQL ÷ index (1 thread, CPU) | load from catalogue (s wall [CPU]) | catalogue bytes/track | matrix MB |\n");
  printf ("|---|---|---|---|---|---|---|---|---|---|\n");
  for (guint s = 0; s < n_sizes; s++)
    for (guint d = 0; d < G_N_ELEMENTS (dims); d++)
      {
        guint n = sizes[s], dim = dims[d];
        g_autofree char *path = g_strdup_printf ("%s/bench-%u-%u.db", dir, n, dim);
        g_autoptr(GError) error = NULL;
        g_autoptr(CochleaCatalogue) cat = NULL;
        g_autoptr(CochleaIndex) index = NULL;
        GStatBuf st;
        double t1, t2, tm, tsql, tload, c1, c2, cm, csql, cload;
        gint64 t0;

        fill_catalogue (path, n, dim, rand);
        g_stat (path, &st);

        cat = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_READ_ONLY, &error);
        g_assert_no_error (error);
        cload = cpu_ms ();
        t0 = g_get_monotonic_time ();
        index = cochlea_index_load (cat, &error);
        tload = (g_get_monotonic_time () - t0) / 1e6;
        cload = (cpu_ms () - cload) / 1e3;
        g_assert_no_error (error);
        g_assert_cmpuint (cochlea_index_get_size (index), ==, n);

        t1 = time_index (index, 1, rand, 0, &c1);
        t2 = time_index (index, 2, rand, 0, &c2);
        tm = time_index (index, 2, rand, 0.3, &cm);
        tsql = time_sql (path, dim, rand, n >= 1000000 ? 3 : 7, &csql);
        printf ("| %u | %u | %.1f [%.1f] | %.1f [%.1f] | %.1f [%.1f] | %.0f [%.0f] | %.0f× | %.2f [%.2f] | %.0f | %.0f |\n",
                n, dim, t1, c1, t2, c2, tm, cm, tsql, csql, csql / c1, tload, cload,
                (double) st.st_size / n, (double) n * dim * 4 / 1e6);
        fflush (stdout);
        g_clear_pointer (&index, cochlea_index_free);
        g_clear_pointer (&cat, cochlea_catalogue_free);
        g_unlink (path);
      }
  g_rmdir (dir);
  return 0;
}
