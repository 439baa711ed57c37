/* bench-recommend.c — top-10 latency over synthetic catalogues: the exact
 * scan of the in-memory index (1 and 2 threads) with the default fused
 * similarity (embedding + MFCC timbre model + attributes), its pass 1
 * over the 16-bit timbre terms (the default) and over the float terms,
 * and without the timbre model, against two baselines in the same run: a
 * naive scalar loop over the same precomputed terms (one thread, no SIMD,
 * no heap) and a scan in SQL with a dot-product function over the stored
 * BLOBs; the two-stage search (proxy over every row, exact over a
 * shortlist); recall@10 of each against the float exact scan; the time to
 * load the index from the catalogue, to save it as the file beside it and
 * to open that file; the bytes per track.
 *
 *   bench-recommend [--quick] [--keep DIR] [N …]   (default: 100000 1000000)
 *   --quick: no naive and SQL baselines, 50 recall queries
 *   --keep DIR: leave each catalogue in DIR (DIR/bench-N.db, with its
 *   index file), e.g. to time `cochlea-cli recommend --db` on it
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

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"
#include "store/cochlea-catalogue-private.h"

#define N_QUERIES 15
static int n_recall = 200;

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
  sqlite3_stmt *track = NULL, *attr = NULL, *emb = NULL, *timbre = NULL;
  g_autofree float *v = g_new (float, dim);
  float tv[COCHLEA_TIMBRE_DIM];

  g_assert_no_error (error);
  db = _cochlea_catalogue_get_db (cat);
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO tracks (id, path, size, mtime_us, hash, title, artist, album, duration_s,"
                          " analysis_version, added_us, analysed_us, features_version)"
                          " VALUES (?1, ?2, 5000000, 1, ?3, ?4, ?5, ?6, 200.5, 1, 1, 1, 2)",
                      -1, &track, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO embeddings VALUES (?1, '" COCHLEA_TIMBRE_MODEL "', ?2, ?3)", -1, &timbre, NULL);
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

      cochlea_test_random_attrs (rand, a);
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

      cochlea_test_random_unit (rand, v, dim);
      sqlite3_bind_int64 (emb, 1, i);
      sqlite3_bind_int (emb, 2, dim);
      sqlite3_bind_blob (emb, 3, v, dim * 4, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (emb), ==, SQLITE_DONE);
      sqlite3_reset (emb);

      cochlea_test_random_timbre (rand, tv);
      sqlite3_bind_int64 (timbre, 1, i);
      sqlite3_bind_int (timbre, 2, COCHLEA_TIMBRE_DIM);
      sqlite3_bind_blob (timbre, 3, tv, sizeof tv, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (timbre), ==, SQLITE_DONE);
      sqlite3_reset (timbre);
    }
  sqlite3_finalize (track);
  sqlite3_finalize (timbre);
  sqlite3_finalize (attr);
  sqlite3_finalize (emb);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

static double
time_index (CochleaIndex     *index,
            CochleaCatalogue *cat,
            guint             n_threads,
            GRand            *rand,
            double            diversity,
            gboolean          timbre,
            double           *cpu)
{
  double t[N_QUERIES], c[N_QUERIES];
  CochleaRecommendParams params;
  guint dim = cochlea_index_get_dim (index);

  cochlea_recommend_params_init (&params);
  params.k = 10;
  params.diversity = diversity;
  if (!timbre)
    params.timbre_weight = 0;
  params.exclude_same_artist = TRUE;
  cochlea_index_set_n_threads (index, n_threads);
  for (int q = 0; q < N_QUERIES; q++)
    {
      guint row = g_rand_int_range (rand, 0, cochlea_index_get_size (index));
      g_autoptr(CochleaFeatures) f = cochlea_catalogue_get_features (cat, cochlea_index_get_id (index, row), NULL);
      g_autoptr(GArray) res = NULL;
      gint64 t0;
      double c0;

      g_assert_nonnull (f->timbre);
      cochlea_features_set_vector (f, "bench", cochlea_index_get_vector (index, row), dim);
      c0 = cochlea_test_cpu_ms ();
      t0 = g_get_monotonic_time ();
      res = cochlea_index_recommend (index, f, cochlea_index_get_id (index, row), "Artist 1", NULL, &params);
      t[q] = (g_get_monotonic_time () - t0) / 1000.0;
      c[q] = cochlea_test_cpu_ms () - c0;
      g_assert_cmpuint (res->len, ==, 10);
    }
  *cpu = cochlea_test_median (c, N_QUERIES);
  return cochlea_test_median (t, N_QUERIES);
}

/* The share of the float exact scan's top 10 that @search returns, over
 * @n_queries random queries (default similarity, 2 threads). */
static double
measure_recall (CochleaIndex     *index,
                CochleaCatalogue *cat,
                GRand            *rand,
                int               n_queries,
                CochleaSearch     search)
{
  CochleaRecommendParams params;
  guint dim = cochlea_index_get_dim (index);
  guint found = 0, total = 0;

  cochlea_recommend_params_init (&params);
  params.exclude_same_artist = TRUE;
  cochlea_index_set_n_threads (index, 2);
  for (int q = 0; q < n_queries; q++)
    {
      guint row = g_rand_int_range (rand, 0, cochlea_index_get_size (index));
      g_autoptr(CochleaFeatures) f = cochlea_catalogue_get_features (cat, cochlea_index_get_id (index, row), NULL);
      g_autoptr(GArray) exact = NULL, fast = NULL;

      cochlea_features_set_vector (f, "bench", cochlea_index_get_vector (index, row), dim);
      cochlea_index_set_search (index, COCHLEA_SEARCH_EXACT_FLOAT, 0);
      exact = cochlea_index_recommend (index, f, cochlea_index_get_id (index, row), "Artist 1", NULL, &params);
      cochlea_index_set_search (index, search, 0);
      fast = cochlea_index_recommend (index, f, cochlea_index_get_id (index, row), "Artist 1", NULL, &params);
      for (guint i = 0; i < exact->len; i++, total++)
        for (guint j = 0; j < fast->len; j++)
          if (g_array_index (fast, CochleaRecommendation, j).id == g_array_index (exact, CochleaRecommendation, i).id)
            {
              found++;
              break;
            }
    }
  return total > 0 ? (double) found / total : NAN;
}

/* The baseline: the same fused score written plainly — scalar loops in
 * doubles over the same precomputed terms, one thread, no SIMD, top 10 by
 * insertion.  Built from the catalogue without timing. */
typedef struct
{
  guint   n, dim;
  float  *vectors;   /* (n, dim) unit */
  float  *terms;     /* (n, COCHLEA_TIMBRE_TERMS) */
  double *attrs;     /* (n, COCHLEA_N_ATTRIBUTES) */
  gint64 *ids;
} Naive;

static void
naive_init (Naive            *nv,
            CochleaIndex     *index,
            CochleaCatalogue *cat)
{
  sqlite3 *db = _cochlea_catalogue_get_db (cat);
  sqlite3_stmt *stmt = NULL;
  guint r = 0;

  nv->n = cochlea_index_get_size (index);
  nv->dim = cochlea_index_get_dim (index);
  nv->vectors = g_new (float, (gsize) nv->n * nv->dim);
  nv->terms = g_new (float, (gsize) nv->n * COCHLEA_TIMBRE_TERMS);
  nv->attrs = g_new (double, (gsize) nv->n * COCHLEA_N_ATTRIBUTES);
  nv->ids = g_new (gint64, nv->n);
  for (guint i = 0; i < nv->n; i++)
    {
      memcpy (nv->vectors + (gsize) i * nv->dim, cochlea_index_get_vector (index, i), nv->dim * sizeof (float));
      cochlea_index_get_attrs (index, i, nv->attrs + (gsize) i * COCHLEA_N_ATTRIBUTES);
      nv->ids[i] = cochlea_index_get_id (index, i);
    }
  sqlite3_prepare_v2 (db, "SELECT vector FROM embeddings WHERE model = '" COCHLEA_TIMBRE_MODEL "' ORDER BY track_id",
                      -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW && r < nv->n)
    {
      g_assert_true (cochlea_timbre_terms (sqlite3_column_blob (stmt, 0), NULL,
                                           nv->terms + (gsize) r * COCHLEA_TIMBRE_TERMS, NULL, NULL));
      r++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (r, ==, nv->n);
}

static void
naive_clear (Naive *nv)
{
  g_free (nv->vectors);
  g_free (nv->terms);
  g_free (nv->attrs);
  g_free (nv->ids);
}

static double
time_naive (Naive            *nv,
            CochleaCatalogue *cat,
            GRand            *rand,
            int               n_queries,
            double           *cpu)
{
  CochleaRecommendParams params;
  g_autofree double *comp = g_new (double, (gsize) nv->n * 3);
  g_autofree double *t = g_new (double, n_queries);
  g_autofree double *c = g_new (double, n_queries);

  cochlea_recommend_params_init (&params);
  for (int qi = 0; qi < n_queries; qi++)
    {
      guint row = g_rand_int_range (rand, 0, nv->n);
      g_autoptr(CochleaFeatures) f = cochlea_catalogue_get_features (cat, nv->ids[row], NULL);
      float query[COCHLEA_TIMBRE_TERMS], qc;
      const float *qv = nv->vectors + (gsize) row * nv->dim;
      const double *qa = nv->attrs + (gsize) row * COCHLEA_N_ATTRIBUTES;
      double w[3] = { params.content_weight, params.timbre_weight, params.attribute_weight };
      double mean[3] = { 0 }, sd[3] = { 0 }, best[10];
      guint best_row[10], n_best = 0;
      gint64 t0;
      double c0;

      c0 = cochlea_test_cpu_ms ();
      t0 = g_get_monotonic_time ();
      cochlea_timbre_terms (f->timbre, NULL, NULL, query, &qc);
      for (guint i = 0; i < nv->n; i++)
        {
          const float *v = nv->vectors + (gsize) i * nv->dim;
          const float *tr = nv->terms + (gsize) i * COCHLEA_TIMBRE_TERMS;
          const double *a = nv->attrs + (gsize) i * COCHLEA_N_ATTRIBUTES;
          double cos = 0, dot = 0, d2 = 0, ws = 0;
          for (guint j = 0; j < nv->dim; j++)
            cos += (double) v[j] * qv[j];
          for (guint j = 0; j < COCHLEA_TIMBRE_TERMS; j++)
            dot += (double) tr[j] * query[j];
          for (int k = 0; k < COCHLEA_N_ATTRIBUTES; k++)
            {
              const CochleaAttributeInfo *info = cochlea_attribute_get_info (k);
              double u = fabs (a[k] - qa[k]) / info->scale;
              if (k == COCHLEA_ATTR_KEY)
                {
                  int d = ((((int) a[k] - (int) qa[k]) % 12) + 12) % 12, m = (d * 7) % 12;
                  u = MIN (m, 12 - m) / info->scale;
                }
              d2 += info->default_weight * u * u;
              ws += info->default_weight;
            }
          comp[i * 3] = cos;
          comp[i * 3 + 1] = -log1p (MAX (0, 0.5 * (dot + qc) - COCHLEA_TIMBRE_N_MFCC));
          comp[i * 3 + 2] = exp (-0.5 * d2 / ws);
          for (int k = 0; k < 3; k++)
            mean[k] += comp[i * 3 + k] / nv->n;
        }
      for (guint i = 0; i < nv->n; i++)
        for (int k = 0; k < 3; k++)
          sd[k] += pow (comp[i * 3 + k] - mean[k], 2) / nv->n;
      for (guint i = 0; i < nv->n; i++)
        {
          double z = 0;
          guint p;
          if (i == row)
            continue;
          for (int k = 0; k < 3; k++)
            z += w[k] * (comp[i * 3 + k] - mean[k]) / sqrt (sd[k]);
          if (n_best == 10 && z <= best[9])
            continue;
          p = n_best < 10 ? n_best++ : 9;
          while (p > 0 && best[p - 1] < z)
            {
              best[p] = best[p - 1];
              best_row[p] = best_row[p - 1];
              p--;
            }
          best[p] = z;
          best_row[p] = i;
        }
      t[qi] = (g_get_monotonic_time () - t0) / 1000.0;
      c[qi] = cochlea_test_cpu_ms () - c0;
      g_assert_cmpuint (n_best, ==, 10);
    }
  *cpu = cochlea_test_median (c, n_queries);
  return cochlea_test_median (t, n_queries);
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
      cochlea_test_random_unit (rand, q, dim);
      c0 = cochlea_test_cpu_ms ();
      t0 = g_get_monotonic_time ();
      sqlite3_bind_blob (stmt, 1, q, dim * 4, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        rows++;
      sqlite3_reset (stmt);
      t[i] = (g_get_monotonic_time () - t0) / 1000.0;
      c[i] = cochlea_test_cpu_ms () - c0;
      g_assert_cmpint (rows, ==, 10);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  *cpu = cochlea_test_median (c, n_queries);
  return cochlea_test_median (t, n_queries);
}

static void
row (const char *what,
     double      w1,
     double      c1,
     double      w2,
     double      c2,
     double      recall)
{
  if (isnan (w1))
    printf ("| %s | — | ", what);
  else
    printf ("| %s | %.1f [%.1f] | ", what, w1, c1);
  if (isnan (w2))
    printf ("— | ");
  else
    printf ("%.1f [%.1f] | ", w2, c2);
  if (isnan (recall))
    printf ("— |\n");
  else
    printf ("%.4f |\n", recall);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint sizes[8] = { 100000, 1000000 };
  guint n_sizes = 0;
  const guint dim = 64;   /* the shipped network's embedding */
  g_autofree char *dir = NULL;
  const char *keep = NULL;
  gboolean quick = FALSE;

  for (int i = 1; i < argc && n_sizes < G_N_ELEMENTS (sizes); i++)
    if (g_strcmp0 (argv[i], "--quick") == 0)
      quick = TRUE;
    else if (g_strcmp0 (argv[i], "--keep") == 0 && i + 1 < argc)
      keep = argv[++i];
    else
      sizes[n_sizes++] = (guint) g_ascii_strtoull (argv[i], NULL, 10);
  if (n_sizes == 0)
    n_sizes = 2;
  dir = keep != NULL ? g_strdup (keep) : g_dir_make_tmp ("cochlea-bench-XXXXXX", NULL);
  g_mkdir_with_parents (dir, 0755);
  if (quick)
    n_recall = 50;

  printf ("Times are medians of %d queries (naive: 3, SQL: 3–7): wall ms, and in brackets the process CPU ms.\n"
          "Recall@10 is against the exact scan over the float terms, %d queries.\n", N_QUERIES, n_recall);
  for (guint s = 0; s < n_sizes; s++)
    {
      guint n = sizes[s];
      g_autofree char *path = g_strdup_printf ("%s/bench-%u.db", dir, n);
      g_autofree char *index_path = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CochleaCatalogue) cat = NULL;
      g_autoptr(CochleaIndex) index = NULL;
      g_autoptr(CochleaIndex) mapped = NULL;
      CochleaCatalogueStamp stamp;
      Naive nv;
      GStatBuf st, ist;
      double w1, w2, c1, c2, cf1, recall;
      double tload, cload, tsave, csave, topen, copen;
      guint fallbacks;
      gint64 t0;

      fill_catalogue (path, n, dim, rand);
      g_stat (path, &st);

      cat = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_READ_ONLY, &error);
      g_assert_no_error (error);
      cload = cochlea_test_cpu_ms ();
      t0 = g_get_monotonic_time ();
      index = cochlea_index_load (cat, &error);
      tload = (g_get_monotonic_time () - t0) / 1e6;
      cload = (cochlea_test_cpu_ms () - cload) / 1e3;
      g_assert_no_error (error);
      g_assert_cmpuint (cochlea_index_get_size (index), ==, n);

      printf ("\n#### %u tracks (embedding dim %u)\n\n", n, dim);
      printf ("| search | 1 thread | 2 threads | recall@10 vs exact (float) |\n|---|---|---|---|\n");
      cochlea_index_set_search (index, COCHLEA_SEARCH_EXACT, 0);
      fallbacks = cochlea_index_get_n_fallbacks (index);
      w1 = time_index (index, cat, 1, rand, 0, TRUE, &c1);
      w2 = time_index (index, cat, 2, rand, 0, TRUE, &c2);
      recall = measure_recall (index, cat, rand, n_recall, COCHLEA_SEARCH_EXACT);
      row ("exact, 16-bit pass 1 + float re-score (the default below " G_STRINGIFY (COCHLEA_TWO_STAGE_MIN_ROWS) ")",
           w1, c1, w2, c2, recall);
      fallbacks = cochlea_index_get_n_fallbacks (index) - fallbacks;
      cochlea_index_set_search (index, COCHLEA_SEARCH_EXACT, 0);
      w2 = time_index (index, cat, 2, rand, 0.3, TRUE, &c2);
      row ("same + MMR 0.3", NAN, NAN, w2, c2, NAN);
      cochlea_index_set_search (index, COCHLEA_SEARCH_EXACT_FLOAT, 0);
      w1 = time_index (index, cat, 1, rand, 0, TRUE, &cf1);
      w2 = time_index (index, cat, 2, rand, 0, TRUE, &c2);
      row ("exact, float pass 1 (before)", w1, cf1, w2, c2, 1);
      cochlea_index_set_search (index, COCHLEA_SEARCH_TWO_STAGE, 0);
      w1 = time_index (index, cat, 1, rand, 0, TRUE, &c1);
      w2 = time_index (index, cat, 2, rand, 0, TRUE, &c2);
      recall = measure_recall (index, cat, rand, n_recall, COCHLEA_SEARCH_TWO_STAGE);
      row ("two-stage (the default from " G_STRINGIFY (COCHLEA_TWO_STAGE_MIN_ROWS) ")", w1, c1, w2, c2, recall);
      cochlea_index_set_search (index, COCHLEA_SEARCH_EXACT, 0);
      w1 = time_index (index, cat, 1, rand, 0, FALSE, &c1);
      w2 = time_index (index, cat, 2, rand, 0, FALSE, &c2);
      row ("exact without the timbre model", w1, c1, w2, c2, NAN);
      /* The first row measured after the index is built ran slower than
       * the same scan measured later (warm-up: freshly mapped pages, clock
       * ramp-up), so the default is timed again after the others. */
      cochlea_index_set_search (index, COCHLEA_SEARCH_EXACT, 0);
      w1 = time_index (index, cat, 1, rand, 0, TRUE, &c1);
      w2 = time_index (index, cat, 2, rand, 0, TRUE, &c2);
      row ("exact, 16-bit pass 1 + float re-score, timed again last", w1, c1, w2, c2, NAN);
      if (!quick)
        {
          double cn, cs;
          naive_init (&nv, index, cat);
          w1 = time_naive (&nv, cat, rand, 3, &cn);
          naive_clear (&nv);
          row ("naive scalar loop (float terms, doubles)", w1, cn, NAN, NAN, NAN);
          w1 = time_sql (path, dim, rand, n >= 1000000 ? 3 : 7, &cs);
          row ("SQL dot() scan, content only", w1, cs, NAN, NAN, NAN);
          printf ("\nNaive ÷ exact float pass 1 (CPU, 1 thread): %.1f×.\n", cn / cf1);
        }
      printf ("\nExact scans confirmed without a second scan: %u of %u.\n",
              2 * N_QUERIES + n_recall - fallbacks, 2 * N_QUERIES + n_recall);

      /* The persisted index beside the catalogue. */
      index_path = cochlea_index_file_path_for (path);
      g_assert_true (cochlea_catalogue_get_stamp (cat, &stamp, &error));
      csave = cochlea_test_cpu_ms ();
      t0 = g_get_monotonic_time ();
      g_assert_true (cochlea_index_file_save (index, &stamp, index_path, &error));
      tsave = (g_get_monotonic_time () - t0) / 1e6;
      csave = (cochlea_test_cpu_ms () - csave) / 1e3;
      g_stat (index_path, &ist);
      copen = cochlea_test_cpu_ms ();
      t0 = g_get_monotonic_time ();
      mapped = cochlea_index_file_open (index_path, &stamp, &error);
      topen = (g_get_monotonic_time () - t0) / 1e6;
      copen = (cochlea_test_cpu_ms () - copen) / 1e3;
      g_assert_no_error (error);
      cochlea_index_set_search (mapped, COCHLEA_SEARCH_EXACT, 0);
      recall = measure_recall (mapped, cat, rand, 20, COCHLEA_SEARCH_AUTO);
      printf ("\n| index | s wall [CPU] |\n|---|---|\n"
              "| load from the catalogue (SQLite) | %.2f [%.2f] |\n"
              "| save to the file (%.0f MB, %.0f bytes/track; write + fsync) | %.2f [%.2f] |\n"
              "| open the file (warm page cache; checksums every byte) | %.2f [%.2f] |\n\n"
              "Catalogue %.0f bytes/track.  The mapped index's default search, recall@10 vs exact (float): %.4f.\n",
              tload, cload, ist.st_size / 1e6, (double) ist.st_size / n, tsave, csave, topen, copen,
              (double) st.st_size / n, recall);
      fflush (stdout);
      g_clear_pointer (&mapped, cochlea_index_free);
      g_clear_pointer (&index, cochlea_index_free);
      g_clear_pointer (&cat, cochlea_catalogue_free);
      if (keep == NULL)
        {
          g_unlink (index_path);
          g_unlink (path);
        }
    }
  if (keep == NULL)
    g_rmdir (dir);
  return 0;
}
