/* bench-similar.c — what one Similar-page request costs with the index
 * loaded for every request (as before the index cache) and with it kept
 * between requests (a re-rank after a slider move), through the app's own
 * recommend job on a synthetic catalogue
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   ninja -C BUILDDIR bench/bench-similar && BUILDDIR/bench/bench-similar [N_TRACKS] [N_REQUESTS]
 *
 * Both modes run in the same process, one after the other, and print the
 * median wall time and the mean process CPU time (every thread, getrusage)
 * per request, and their ratio.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"
#include "jobs/cochlea-index-cache.h"
#include "jobs/cochlea-recommend-job.h"
#include "store/cochlea-catalogue-private.h"

#define DIM 64



static void
fill_catalogue (const char *path,
                guint       n,
                GRand      *rand)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) cat = cochlea_catalogue_open (path, 0, &error);
  sqlite3_stmt *track = NULL, *attr = NULL, *emb = NULL, *timbre = NULL;
  float v[DIM], tv[COCHLEA_TIMBRE_DIM];
  sqlite3 *db;

  if (cat == NULL)
    g_error ("%s", error->message);
  db = _cochlea_catalogue_get_db (cat);
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO tracks (id, path, size, mtime_us, hash, title, artist, album, duration_s,"
                          " analysis_version, added_us, analysed_us, features_version)"
                          " VALUES (?1, ?2, 5000000, 1, ?3, ?4, ?5, ?6, 200.5, 1, 1, 1, 2)",
                      -1, &track, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO attributes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                      -1, &attr, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO embeddings VALUES (?1, 'bench', ?2, ?3)", -1, &emb, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO embeddings VALUES (?1, '" COCHLEA_TIMBRE_MODEL "', ?2, ?3)", -1, &timbre, NULL);
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *p = g_strdup_printf ("/home/user/Music/Artist %u/%02u Track %u.flac", i % 500, i % 12, i);
      g_autofree char *artist = g_strdup_printf ("Artist %u", i % 500);
      g_autofree char *title = g_strdup_printf ("Track %u", i);

      sqlite3_bind_int64 (track, 1, i);
      sqlite3_bind_text (track, 2, p, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (track, 3, "0123456789abcdef0123456789abcdef01234567", -1, SQLITE_STATIC);
      sqlite3_bind_text (track, 4, title, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (track, 5, artist, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (track, 6, "Album", -1, SQLITE_STATIC);
      if (sqlite3_step (track) != SQLITE_DONE)
        g_error ("track: %s", sqlite3_errmsg (db));
      sqlite3_reset (track);

      sqlite3_bind_int64 (attr, 1, i);
      for (int k = 0; k < COCHLEA_N_ATTRIBUTES; k++)
        {
          double a = g_rand_double (rand);

          if (k == COCHLEA_ATTR_TEMPO)
            a = g_rand_double_range (rand, 60, 180);
          else if (k == COCHLEA_ATTR_KEY)
            a = g_rand_int_range (rand, 0, 12);
          else if (k == COCHLEA_ATTR_MODE)
            a = g_rand_int_range (rand, 0, 2);
          else if (k == COCHLEA_ATTR_TIME_SIGNATURE)
            a = 4;
          else if (k == COCHLEA_ATTR_LOUDNESS)
            a = g_rand_double_range (rand, -30, -5);
          if (cochlea_attribute_get_info (k)->is_integer)
            sqlite3_bind_int64 (attr, k + 2, (gint64) a);
          else
            sqlite3_bind_double (attr, k + 2, a);
        }
      if (sqlite3_step (attr) != SQLITE_DONE)
        g_error ("attributes: %s", sqlite3_errmsg (db));
      sqlite3_reset (attr);

      cochlea_test_random_unit (rand, v, DIM);
      sqlite3_bind_int64 (emb, 1, i);
      sqlite3_bind_int (emb, 2, DIM);
      sqlite3_bind_blob (emb, 3, v, sizeof v, SQLITE_TRANSIENT);
      if (sqlite3_step (emb) != SQLITE_DONE)
        g_error ("embedding: %s", sqlite3_errmsg (db));
      sqlite3_reset (emb);

      cochlea_test_random_timbre (rand, tv);
      sqlite3_bind_int64 (timbre, 1, i);
      sqlite3_bind_int (timbre, 2, COCHLEA_TIMBRE_DIM);
      sqlite3_bind_blob (timbre, 3, tv, sizeof tv, SQLITE_TRANSIENT);
      if (sqlite3_step (timbre) != SQLITE_DONE)
        g_error ("timbre: %s", sqlite3_errmsg (db));
      sqlite3_reset (timbre);
    }
  sqlite3_finalize (track);
  sqlite3_finalize (attr);
  sqlite3_finalize (emb);
  sqlite3_finalize (timbre);
  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("commit: %s", sqlite3_errmsg (db));
  sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

static double
cpu_seconds (void)
{
  struct rusage u;

  getrusage (RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec * 1e-6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec * 1e-6;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GPtrArray **songs = user_data;
  g_autoptr(GError) error = NULL;

  *songs = cochlea_recommend_job_finish (result, &error);
  if (*songs == NULL)
    g_error ("recommend: %s", error->message);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* One request as the Similar page makes it after a slider move. */
static void
request (CochleaIndexCache *cache,
         CochleaCatalogue  *cat,
         const char        *query_path,
         double             energy,
         double            *wall,
         double            *cpu)
{
  g_autoptr(GPtrArray) songs = NULL;
  CochleaFeatures *features = cochlea_catalogue_get_features (cat, 1, NULL);
  double targets[COCHLEA_N_ATTRIBUTES];
  gint64 t0;
  double c0;

  for (guint a = 0; a < COCHLEA_N_ATTRIBUTES; a++)
    targets[a] = NAN;
  targets[COCHLEA_ATTR_ENERGY] = energy;

  t0 = g_get_monotonic_time ();
  c0 = cpu_seconds ();
  cochlea_recommend_job_run_async (cache, query_path, features, "Artist 1", targets, 10,
                                   NULL, done_cb, &songs);
  while (songs == NULL)
    g_main_context_iteration (NULL, TRUE);
  *cpu = cpu_seconds () - c0;
  *wall = (g_get_monotonic_time () - t0) * 1e-6;
  if (songs->len != 10)
    g_error ("expected 10 similar songs, got %u", songs->len);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  guint n_requests = argc > 2 ? (guint) atoi (argv[2]) : 20;
  g_autofree char *dir = g_dir_make_tmp ("bench-similar-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "catalogue.db", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(CochleaCatalogue) cat = NULL;
  g_autoptr(CochleaTrack) query = NULL;
  g_autoptr(CochleaIndexCache) cache = NULL;
  g_autofree double *wall = g_new (double, n_requests);
  double cpu_sum[2] = { 0, 0 }, wall_median[2];
  double loadavg[3] = { 0, 0, 0 };

  fill_catalogue (path, n, rand);
  cat = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_READ_ONLY, NULL);
  query = cochlea_catalogue_get_track (cat, 1, NULL);
  cache = cochlea_index_cache_new (path);

  for (int mode = 0; mode < 2; mode++)
    {
      double w, c;

      /* Warm-up (SQLite page cache, the first load). */
      request (cache, cat, query->path, 0.5, &w, &c);
      for (guint r = 0; r < n_requests; r++)
        {
          if (mode == 0)
            cochlea_index_cache_invalidate (cache);   /* a load per request, as before */
          request (cache, cat, query->path, (r + 1.0) / (n_requests + 1.0), &wall[r], &c);
          cpu_sum[mode] += c;
        }
      qsort (wall, n_requests, sizeof (double), compare_doubles);
      wall_median[mode] = wall[n_requests / 2];
    }

  if (getloadavg (loadavg, 3) < 0)
    loadavg[0] = NAN;
  printf ("tracks %u, requests %u per mode, index loads %u, load average %.2f\n",
          n, n_requests, cochlea_index_cache_get_n_loads (cache), loadavg[0]);
  printf ("%-28s %12s %14s\n", "mode", "wall median", "CPU mean");
  printf ("%-28s %9.1f ms %11.1f ms\n", "load per request (before)", wall_median[0] * 1e3, cpu_sum[0] / n_requests * 1e3);
  printf ("%-28s %9.1f ms %11.1f ms\n", "cached index (after)", wall_median[1] * 1e3, cpu_sum[1] / n_requests * 1e3);
  printf ("CPU ratio before/after %.1f, wall ratio %.1f\n",
          cpu_sum[0] / MAX (cpu_sum[1], 1e-9), wall_median[0] / MAX (wall_median[1], 1e-9));

  g_clear_pointer (&cat, cochlea_catalogue_free);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (dir);
  }
  return 0;
}
