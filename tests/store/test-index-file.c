/* test-index-file.c — the similarity index persisted beside the
 * catalogue: the same results as the index built from SQLite, rebuilt when
 * the catalogue changed, never trusted when truncated, damaged, of another
 * version or stale, and a read-only folder only means no file.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <unistd.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"
#include "store/cochlea-catalogue-private.h"

#define DIM 16

static void
exec_sql (CochleaCatalogue *cat,
          const char       *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (_cochlea_catalogue_get_db (cat), sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

/* Tracks @first … @last with a content vector, a timbre model and
 * attributes (every tenth without a timbre model), in one transaction. */
static void
add_tracks (CochleaCatalogue *cat,
            guint             first,
            guint             last,
            GRand            *rand)
{
  sqlite3 *db = _cochlea_catalogue_get_db (cat);
  sqlite3_stmt *track = NULL, *attr = NULL, *emb = NULL;

  exec_sql (cat, "BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tracks (id, path, size, mtime_us, artist, album, analysis_version,"
                                           " added_us, analysed_us, features_version)"
                                           " VALUES (?1, ?2, 1, 1, ?3, ?4, 1, 1, 1, 2)", -1, &track, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO attributes (track_id, tempo, energy, key) VALUES (?1, ?2, ?3, ?4)",
                                       -1, &attr, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO embeddings VALUES (?1, ?2, ?3, ?4)", -1, &emb, NULL), ==, SQLITE_OK);
  for (guint i = first; i <= last; i++)
    {
      g_autofree char *path = g_strdup_printf ("/music/%u.ogg", i);
      g_autofree char *artist = g_strdup_printf ("Artist %u", i % 37);
      g_autofree char *album = g_strdup_printf ("Album %u", i % 91);
      float v[DIM], t[COCHLEA_TIMBRE_DIM];

      sqlite3_bind_int64 (track, 1, i);
      sqlite3_bind_text (track, 2, path, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (track, 3, artist, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (track, 4, album, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (track), ==, SQLITE_DONE);
      sqlite3_reset (track);

      sqlite3_bind_int64 (attr, 1, i);
      sqlite3_bind_double (attr, 2, g_rand_double_range (rand, 60, 180));
      sqlite3_bind_double (attr, 3, g_rand_double (rand));
      sqlite3_bind_int (attr, 4, g_rand_int_range (rand, 0, 12));
      g_assert_cmpint (sqlite3_step (attr), ==, SQLITE_DONE);
      sqlite3_reset (attr);

      cochlea_test_random_unit (rand, v, DIM);
      sqlite3_bind_int64 (emb, 1, i);
      sqlite3_bind_text (emb, 2, "test-model", -1, SQLITE_STATIC);
      sqlite3_bind_int (emb, 3, DIM);
      sqlite3_bind_blob (emb, 4, v, sizeof v, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (emb), ==, SQLITE_DONE);
      sqlite3_reset (emb);

      if (i % 10 == 0)
        continue;
      cochlea_test_random_timbre (rand, t);
      sqlite3_bind_int64 (emb, 1, i);
      sqlite3_bind_text (emb, 2, COCHLEA_TIMBRE_MODEL, -1, SQLITE_STATIC);
      sqlite3_bind_int (emb, 3, COCHLEA_TIMBRE_DIM);
      sqlite3_bind_blob (emb, 4, t, sizeof t, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (emb), ==, SQLITE_DONE);
      sqlite3_reset (emb);
    }
  sqlite3_finalize (track);
  sqlite3_finalize (attr);
  sqlite3_finalize (emb);
  exec_sql (cat, "COMMIT");
}

static CochleaCatalogue *
new_catalogue (const char *path,
               guint       n,
               guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  CochleaCatalogue *cat = cochlea_catalogue_open (path, 0, &error);

  g_assert_no_error (error);
  add_tracks (cat, 1, n, rand);
  return cat;
}

/* The two indexes give the same top 10 (ids, scores, parts) for a few
 * queries, with and without exclusions by name. */
static void
assert_same_results (CochleaCatalogue *cat,
                     CochleaIndex     *a,
                     CochleaIndex     *b)
{
  g_assert_cmpuint (cochlea_index_get_size (a), ==, cochlea_index_get_size (b));
  g_assert_cmpuint (cochlea_index_get_dim (a), ==, cochlea_index_get_dim (b));
  g_assert_cmpstr (cochlea_index_get_model (a), ==, cochlea_index_get_model (b));
  for (guint row = 0; row < cochlea_index_get_size (a); row += 97)
    {
      gint64 id = cochlea_index_get_id (a, row);
      g_autoptr(GError) error = NULL;
      g_autoptr(CochleaFeatures) f = cochlea_catalogue_get_features (cat, id, &error);
      g_autoptr(CochleaTrack) track = cochlea_catalogue_get_track (cat, id, &error);
      g_autoptr(GArray) ra = NULL, rb = NULL;
      CochleaRecommendParams params;

      g_assert_no_error (error);
      g_assert_cmpint (cochlea_index_get_id (b, row), ==, id);
      g_assert_cmpint (cochlea_index_find_row (b, id), ==, (int) row);
      cochlea_recommend_params_init (&params);
      params.exclude_same_artist = row % 2 == 0;
      params.exclude_same_album = row % 3 == 0;
      ra = cochlea_index_recommend (a, f, id, track->artist, track->album, &params);
      rb = cochlea_index_recommend (b, f, id, track->artist, track->album, &params);
      g_assert_cmpuint (ra->len, ==, 10);
      g_assert_cmpuint (rb->len, ==, ra->len);
      for (guint i = 0; i < ra->len; i++)
        {
          CochleaRecommendation *x = &g_array_index (ra, CochleaRecommendation, i);
          CochleaRecommendation *y = &g_array_index (rb, CochleaRecommendation, i);
          g_assert_cmpint (x->id, ==, y->id);
          g_assert_cmpfloat (x->score, ==, y->score);
          g_assert_cmpfloat (x->content, ==, y->content);
          if (params.exclude_same_artist)
            {
              g_autoptr(CochleaTrack) t = cochlea_catalogue_get_track (cat, x->id, NULL);
              g_assert_cmpstr (t->artist, !=, track->artist);
            }
        }
    }
}

/* The local scaling's per-track stats come back from the file: with it,
 * the mapped index scores as the built one, and those scores are not the
 * query's side alone (so the stats are there and used). */
static void
assert_local_scaling_kept (CochleaCatalogue *cat,
                           CochleaIndex     *built,
                           CochleaIndex     *mapped)
{
  guint differ = 0;

  for (guint row = 5; row < cochlea_index_get_size (built); row += 211)
    {
      gint64 id = cochlea_index_get_id (built, row);
      g_autoptr(CochleaFeatures) f = cochlea_catalogue_get_features (cat, id, NULL);
      g_autoptr(GArray) a = NULL, b = NULL, plain = NULL;
      CochleaRecommendParams params;

      cochlea_recommend_params_init (&params);
      g_assert_true (params.local_scaling);
      a = cochlea_index_recommend (built, f, id, NULL, NULL, &params);
      b = cochlea_index_recommend (mapped, f, id, NULL, NULL, &params);
      params.local_scaling = FALSE;
      plain = cochlea_index_recommend (mapped, f, id, NULL, NULL, &params);
      g_assert_cmpuint (a->len, ==, b->len);
      for (guint i = 0; i < a->len; i++)
        {
          g_assert_cmpint (g_array_index (a, CochleaRecommendation, i).id, ==,
                           g_array_index (b, CochleaRecommendation, i).id);
          g_assert_cmpfloat (g_array_index (a, CochleaRecommendation, i).score, ==,
                             g_array_index (b, CochleaRecommendation, i).score);
          differ += g_array_index (a, CochleaRecommendation, i).score !=
                    g_array_index (plain, CochleaRecommendation, i).score;
        }
    }
  g_assert_cmpuint (differ, >, 0);
}

/* Saved and mapped again, the index answers exactly as the one built from
 * the catalogue — the exact scan and, with its sketch, the two-stage one. */
static void
test_round_trip (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "cat.db", NULL);
  g_autofree char *file = cochlea_index_file_path_for (db);
  g_autoptr(CochleaCatalogue) cat = new_catalogue (db, 1500, 3);
  g_autoptr(CochleaIndex) built = NULL;
  g_autoptr(CochleaIndex) mapped = NULL;
  g_autoptr(GError) error = NULL;
  CochleaCatalogueStamp stamp;

  g_assert_true (cochlea_catalogue_get_stamp (cat, &stamp, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stamp.generation, >, 0);
  g_assert_cmpuint (strlen (stamp.uuid), ==, 32);

  built = cochlea_index_load (cat, &error);
  g_assert_no_error (error);
  g_assert_true (cochlea_index_file_save (built, &stamp, file, &error));
  g_assert_no_error (error);
  mapped = cochlea_index_file_open (file, &stamp, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mapped);
  assert_same_results (cat, built, mapped);
  assert_local_scaling_kept (cat, built, mapped);
  g_assert_cmpint (cochlea_index_find_row (mapped, 999999), ==, -1);
  g_clear_pointer (&mapped, cochlea_index_free);

  /* with the two-stage search's sketch in the file */
  cochlea_index_set_search (built, COCHLEA_SEARCH_TWO_STAGE, 200);
  g_assert_true (cochlea_index_file_save (built, &stamp, file, &error));
  mapped = cochlea_index_file_open (file, &stamp, &error);
  g_assert_no_error (error);
  cochlea_index_set_search (mapped, COCHLEA_SEARCH_TWO_STAGE, 200);
  assert_same_results (cat, built, mapped);
}

static gint64
generation (CochleaCatalogue *cat)
{
  CochleaCatalogueStamp stamp;

  g_assert_true (cochlea_catalogue_get_stamp (cat, &stamp, NULL));
  return stamp.generation;
}

/* Schema 5's counter moves with every kind of write to the tables the
 * index is built from, and not with the others. */
static void
test_generation (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "cat.db", NULL);
  g_autoptr(CochleaCatalogue) cat = new_catalogue (db, 20, 5);
  const char *writes[] = {
    "UPDATE tracks SET artist = 'Someone' WHERE id = 3",
    "UPDATE attributes SET energy = 0.5 WHERE track_id = 4",
    "UPDATE embeddings SET dim = dim WHERE track_id = 5 AND model = 'test-model'",
    "DELETE FROM embeddings WHERE track_id = 6 AND model = '" COCHLEA_TIMBRE_MODEL "'",
    "DELETE FROM attributes WHERE track_id = 7",
    "DELETE FROM tracks WHERE id = 8",
    "INSERT INTO tracks (path, size, mtime_us, analysis_version, added_us, analysed_us) VALUES ('/x.ogg', 1, 1, 1, 1, 1)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (writes); i++)
    {
      gint64 before = generation (cat);
      exec_sql (cat, writes[i]);
      g_assert_cmpint (generation (cat), >, before);
    }
  {
    gint64 before = generation (cat);
    exec_sql (cat, "INSERT INTO events (track_id, kind, at_us) VALUES (1, 'like', 1)");
    exec_sql (cat, "INSERT INTO settings VALUES ('private', '1')");
    g_assert_cmpint (generation (cat), ==, before);
  }
}

/* cochlea_index_load_cached: built and saved, then mapped; after an
 * import (new tracks, changed attributes) the file is stale and rebuilt,
 * and the new index has the new rows. */
static void
test_stale_after_import (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "cat.db", NULL);
  g_autofree char *file = cochlea_index_file_path_for (db);
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  g_autoptr(CochleaCatalogue) cat = new_catalogue (db, 400, 7);
  g_autoptr(GError) error = NULL;
  CochleaIndexOrigin origin;
  CochleaIndex *index;

  index = cochlea_index_load_cached (cat, &origin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (origin, ==, COCHLEA_INDEX_BUILT_SAVED);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  cochlea_index_free (index);

  index = cochlea_index_load_cached (cat, &origin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (origin, ==, COCHLEA_INDEX_FROM_FILE);
  g_assert_cmpuint (cochlea_index_get_size (index), ==, 400);
  cochlea_index_free (index);

  add_tracks (cat, 401, 410, rand);
  index = cochlea_index_load_cached (cat, &origin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (origin, ==, COCHLEA_INDEX_BUILT_SAVED);
  g_assert_cmpuint (cochlea_index_get_size (index), ==, 410);
  g_assert_cmpint (cochlea_index_find_row (index, 410), ==, 409);
  cochlea_index_free (index);

  /* a change of a value only, same row count */
  exec_sql (cat, "UPDATE attributes SET energy = 0.123 WHERE track_id = 5");
  index = cochlea_index_load_cached (cat, &origin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (origin, ==, COCHLEA_INDEX_BUILT_SAVED);
  {
    double attrs[COCHLEA_N_ATTRIBUTES];
    cochlea_index_get_attrs (index, cochlea_index_find_row (index, 5), attrs);
    g_assert_cmpfloat_with_epsilon (attrs[COCHLEA_ATTR_ENERGY], 0.123, 1e-6);
  }
  cochlea_index_free (index);

  /* another catalogue with the same generation is not this one */
  {
    CochleaCatalogueStamp stamp;
    g_autoptr(CochleaIndex) mapped = NULL;
    g_assert_true (cochlea_catalogue_get_stamp (cat, &stamp, NULL));
    stamp.uuid[0] = stamp.uuid[0] == 'a' ? 'b' : 'a';
    mapped = cochlea_index_file_open (file, &stamp, &error);
    g_assert_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INDEX_STALE);
    g_assert_null (mapped);
  }
}

typedef enum
{
  TRUNCATE,
  RANDOM_BYTES,
  WRONG_VERSION,
  OLD_VERSION,
  FLIPPED_BIT,
  EMPTY,
} Damage;

/* A damaged file is refused by cochlea_index_file_open () with a clear
 * error, and cochlea_index_load_cached () rebuilds it without an error
 * and with the same results. */
static void
test_damaged (gconstpointer data)
{
  Damage damage = GPOINTER_TO_INT (data);
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "cat.db", NULL);
  g_autofree char *file = cochlea_index_file_path_for (db);
  g_autoptr(CochleaCatalogue) cat = new_catalogue (db, 300, 11);
  g_autoptr(CochleaIndex) good = NULL;
  g_autoptr(CochleaIndex) mapped = NULL;
  g_autoptr(CochleaIndex) rebuilt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  g_autofree char *bytes = NULL;
  CochleaCatalogueStamp stamp;
  CochleaIndexOrigin origin;
  gsize len;

  good = cochlea_index_load_cached (cat, &origin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (origin, ==, COCHLEA_INDEX_BUILT_SAVED);
  g_assert_true (g_file_get_contents (file, &bytes, &len, NULL));
  switch (damage)
    {
    case TRUNCATE:
      len = len * 2 / 3;
      break;
    case RANDOM_BYTES:
      for (gsize i = 0; i < len; i++)
        bytes[i] = (char) g_rand_int_range (rand, 0, 256);
      break;
    case WRONG_VERSION:
      bytes[8] = (char) (bytes[8] + 1);
      break;
    case OLD_VERSION:   /* e.g. one written before the local scaling's stats */
      bytes[8] = (char) (COCHLEA_INDEX_FILE_VERSION - 1);
      break;
    case FLIPPED_BIT:
      bytes[len - 100] ^= 0x10;   /* in the data, not the header */
      break;
    case EMPTY:
      len = 0;
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_true (g_file_set_contents (file, bytes, len, NULL));

  g_assert_true (cochlea_catalogue_get_stamp (cat, &stamp, NULL));
  mapped = cochlea_index_file_open (file, &stamp, &error);
  g_assert_null (mapped);
  g_assert_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INDEX_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "cat.db.index"));
  g_clear_error (&error);

  rebuilt = cochlea_index_load_cached (cat, &origin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (origin, ==, COCHLEA_INDEX_BUILT_SAVED);
  assert_same_results (cat, good, rebuilt);
  g_clear_pointer (&rebuilt, cochlea_index_free);
  rebuilt = cochlea_index_load_cached (cat, &origin, &error);
  g_assert_cmpint (origin, ==, COCHLEA_INDEX_FROM_FILE);
}

/* A folder that cannot be written: the index is built in memory, without
 * an error, and nothing is left behind; COCHLEA_INDEX_FILE=off likewise
 * writes nothing. */
static void
test_read_only_folder (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *ro = g_build_filename (dir, "ro", NULL);
  g_autofree char *db = g_build_filename (ro, "cat.db", NULL);
  g_autofree char *file = cochlea_index_file_path_for (db);
  g_autoptr(CochleaCatalogue) cat = NULL;
  g_autoptr(GError) error = NULL;
  CochleaIndexOrigin origin;
  CochleaIndex *index;
  gboolean mounted = FALSE;

  g_assert_cmpint (g_mkdir (ro, 0755), ==, 0);
  if (geteuid () == 0)
    mounted = mount ("tmpfs", ro, "tmpfs", 0, "size=8m") == 0;
  g_clear_pointer (&cat, cochlea_catalogue_free);
  cat = new_catalogue (db, 200, 17);
  g_clear_pointer (&cat, cochlea_catalogue_free);

  g_setenv ("COCHLEA_INDEX_FILE", "off", TRUE);
  cat = cochlea_catalogue_open (db, COCHLEA_CATALOGUE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  index = cochlea_index_load_cached (cat, &origin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (origin, ==, COCHLEA_INDEX_BUILT);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  cochlea_index_free (index);
  g_unsetenv ("COCHLEA_INDEX_FILE");
  g_clear_pointer (&cat, cochlea_catalogue_free);

  if (mounted)
    g_assert_cmpint (mount ("tmpfs", ro, "tmpfs", MS_REMOUNT | MS_RDONLY, NULL), ==, 0);
  else if (geteuid () != 0)
    g_assert_cmpint (g_chmod (ro, 0555), ==, 0);
  else
    {
      g_test_skip ("root without mount(2): cannot make a folder read-only");
      return;
    }

  cat = cochlea_catalogue_open (db, COCHLEA_CATALOGUE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  index = cochlea_index_load_cached (cat, &origin, &error);
  g_assert_no_error (error);
  g_assert_nonnull (index);
  g_assert_cmpint (origin, ==, COCHLEA_INDEX_BUILT);
  g_assert_cmpuint (cochlea_index_get_size (index), ==, 200);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  {
    g_autoptr(GDir) d = g_dir_open (ro, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (d)) != NULL)
      g_assert_false (g_str_has_prefix (name, "cat.db.index"));
  }
  cochlea_index_free (index);
  g_clear_pointer (&cat, cochlea_catalogue_free);

  if (mounted)
    umount2 (ro, MNT_DETACH);
  else
    g_chmod (ro, 0755);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/index-file/round-trip", test_round_trip);
  g_test_add_func ("/index-file/generation", test_generation);
  g_test_add_func ("/index-file/stale-after-import", test_stale_after_import);
  g_test_add_data_func ("/index-file/damaged/truncated", GINT_TO_POINTER (TRUNCATE), test_damaged);
  g_test_add_data_func ("/index-file/damaged/random-bytes", GINT_TO_POINTER (RANDOM_BYTES), test_damaged);
  g_test_add_data_func ("/index-file/damaged/wrong-version", GINT_TO_POINTER (WRONG_VERSION), test_damaged);
  g_test_add_data_func ("/index-file/damaged/old-version", GINT_TO_POINTER (OLD_VERSION), test_damaged);
  g_test_add_data_func ("/index-file/damaged/flipped-bit", GINT_TO_POINTER (FLIPPED_BIT), test_damaged);
  g_test_add_data_func ("/index-file/damaged/empty", GINT_TO_POINTER (EMPTY), test_damaged);
  g_test_add_func ("/index-file/read-only-folder", test_read_only_folder);
  return g_test_run ();
}
