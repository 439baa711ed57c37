/* test-catalogue.c — schema, migrations, refusals, track/event/playlist
 * round trips.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"
#include "store/cochlea-catalogue-private.h"

static char *
tmp_db (const char *name)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  return g_build_filename (dir, name, NULL);
}

static gint64
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 v;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *msg = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
  sqlite3_close (db);
}

/* The schema as SQLite stores it, one string, for comparisons. */
static char *
schema_of (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *s = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT type, name, sql FROM sqlite_schema ORDER BY name", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (s, "%s %s %s\n", sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (s, FALSE);
}

static void
test_fresh (void)
{
  g_autofree char *path = tmp_db ("fresh.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) cat = cochlea_catalogue_open (path, 0, &error);
  sqlite3 *db;
  char *msg = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, COCHLEA_CATALOGUE_SCHEMA_VERSION);
  g_assert_cmpint (sql_int (path, "PRAGMA application_id"), ==, COCHLEA_CATALOGUE_APPLICATION_ID);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE '%STRICT'"), ==, 0);

  db = _cochlea_catalogue_get_db (cat);
  /* STRICT: a string in an INTEGER column is refused. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO tracks (path, size, mtime_us, analysis_version, added_us, analysed_us)"
                                     " VALUES ('/x', 'big', 0, 1, 0, 0)", NULL, NULL, &msg), !=, SQLITE_OK);
  sqlite3_free (msg);
  /* Foreign keys are on. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO events (track_id, kind, at_us) VALUES (999, 'play', 0)",
                                 NULL, NULL, &msg), !=, SQLITE_OK);
  sqlite3_free (msg);
  {
    sqlite3_stmt *stmt;
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA synchronous", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);  /* NORMAL */
    sqlite3_finalize (stmt);
  }
}

/* Data written under each older schema survives the upgrade, and the
 * upgraded schema is exactly the fresh one. */
static void
test_migrations (void)
{
  g_autofree char *fresh = tmp_db ("fresh.db");
  g_autofree char *fresh_schema = NULL;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CochleaCatalogue) cat = cochlea_catalogue_open (fresh, 0, &error);
    g_assert_no_error (error);
  }
  fresh_schema = schema_of (fresh);

  for (int v = 1; v < COCHLEA_CATALOGUE_SCHEMA_VERSION; v++)
    {
      g_autofree char *name = g_strdup_printf ("v%d.db", v);
      g_autofree char *path = tmp_db (name);
      g_autofree char *schema = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CochleaCatalogue) cat = NULL;

      g_test_message ("migrating from version %d", v);
      g_assert_true (_cochlea_catalogue_create_at_version (path, v, &error));
      g_assert_no_error (error);
      g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, v);
      sql_exec (path, "INSERT INTO tracks (path, size, mtime_us, analysis_version, added_us, analysed_us, artist)"
                      " VALUES ('/music/a.ogg', 10, 20, 1, 0, 0, 'Artist');"
                      "INSERT INTO embeddings VALUES (1, 'm', 1, x'0000803f');");
      if (v >= 2)
        sql_exec (path, "INSERT INTO events (track_id, kind, at_us) VALUES (1, 'like', 5)");

      cat = cochlea_catalogue_open (path, 0, &error);
      g_assert_no_error (error);
      g_clear_pointer (&cat, cochlea_catalogue_free);

      g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, COCHLEA_CATALOGUE_SCHEMA_VERSION);
      g_assert_cmpint (sql_int (path, "SELECT count(*) FROM tracks WHERE artist = 'Artist'"), ==, 1);
      /* stored before the timbre model: the next import analyses it again */
      g_assert_cmpint (sql_int (path, "SELECT features_version FROM tracks"), ==, 1);
      g_assert_cmpint (sql_int (path, "SELECT count(*) FROM embeddings"), ==, 1);
      g_assert_cmpint (sql_int (path, "SELECT count(*) FROM events"), ==, v >= 2 ? 1 : 0);
      /* schema 5: the generation counter starts at 0 and moves with writes */
      g_assert_cmpint (sql_int (path, "SELECT value FROM generation"), ==, 0);
      g_assert_cmpint (sql_int (path, "SELECT length (uuid) FROM generation"), ==, 32);
      sql_exec (path, "UPDATE tracks SET artist = 'Other'");
      g_assert_cmpint (sql_int (path, "SELECT value FROM generation"), ==, 1);
      schema = schema_of (path);
      g_assert_cmpstr (schema, ==, fresh_schema);
    }
}

static void
assert_file_unchanged (const char *path,
                       const char *before,
                       gsize       before_len)
{
  g_autofree char *after = NULL;
  gsize after_len = 0;

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
}

static void
test_not_sqlite (void)
{
  g_autofree char *path = tmp_db ("notes.db");
  const char *text = "these are my notes, not a database\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) cat = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  cat = cochlea_catalogue_open (path, 0, &error);
  g_assert_null (cat);
  g_assert_error (error, COCHLEA_STORE_ERROR, SQLITE_NOTADB);
  g_assert_nonnull (strstr (error->message, "notes.db"));
  g_assert_nonnull (strstr (error->message, "not an SQLite database"));
  assert_file_unchanged (path, text, strlen (text));
}

static void
test_other_sqlite (void)
{
  g_autofree char *path = tmp_db ("other.db");
  g_autofree char *before = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) cat = NULL;

  sql_exec (path, "CREATE TABLE recipes (name TEXT)");
  g_assert_true (g_file_get_contents (path, &before, &len, NULL));
  cat = cochlea_catalogue_open (path, 0, &error);
  g_assert_null (cat);
  g_assert_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_CATALOGUE);
  assert_file_unchanged (path, before, len);
}

static void
test_newer_schema (void)
{
  g_autofree char *path = tmp_db ("future.db");
  g_autofree char *before = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) cat = NULL;

  {
    g_autoptr(CochleaCatalogue) c = cochlea_catalogue_open (path, 0, &error);
    g_assert_no_error (error);
  }
  sql_exec (path, "PRAGMA user_version = 99");
  g_assert_true (g_file_get_contents (path, &before, &len, NULL));

  cat = cochlea_catalogue_open (path, 0, &error);
  g_assert_null (cat);
  g_assert_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, "99"));
  assert_file_unchanged (path, before, len);
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, 99);
}

static void
test_read_only_open (void)
{
  g_autofree char *path = tmp_db ("ro.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) cat = NULL;

  /* Read-only on a missing file: a clear error, and no file created. */
  cat = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_READ_ONLY, &error);
  g_assert_null (cat);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "import"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  cat = cochlea_catalogue_open (path, 0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&cat, cochlea_catalogue_free);

  cat = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (cochlea_catalogue_is_read_only (cat));
  g_assert_cmpint (cochlea_catalogue_set_private_mode (cat, TRUE, &error), ==, FALSE);
  g_assert_error (error, COCHLEA_STORE_ERROR, SQLITE_READONLY);
}

static CochleaAnalysis *
fake_analysis (const char *artist,
               const char *album)
{
  CochleaAnalysis *a = g_new0 (CochleaAnalysis, 1);

  a->path = g_strdup ("/x");
  a->display_path = g_strdup ("/x");
  a->tags.artist = g_strdup (artist);
  a->tags.album = g_strdup (album);
  a->tags.title = g_strdup ("Título ☃");
  a->duration_s = 12.5;
  return a;
}

static void
test_tracks (void)
{
  g_autofree char *path = tmp_db ("tracks.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) cat = cochlea_catalogue_open (path, 0, &error);
  g_autoptr(CochleaAnalysis) analysis = fake_analysis ("A", "B");
  g_autoptr(CochleaFeatures) features = cochlea_features_new ();
  g_autoptr(CochleaFeatures) back = NULL;
  g_autoptr(CochleaTrack) track = NULL;
  g_autoptr(GPtrArray) under = NULL;
  const float vec[4] = { 1, -2, 3.5f, 0 };
  CochleaFileStamp stamp = { "/music/x/a.flac", 100, 200, "abc" };
  CochleaFileStamp moved = { "/music/y/a.flac", 100, 300, "abc" };
  gint64 id, id2;

  g_assert_no_error (error);
  features->attrs[COCHLEA_ATTR_TEMPO] = 120.5;
  features->attrs[COCHLEA_ATTR_KEY] = 7;
  cochlea_features_set_vector (features, "m1", vec, 4);

  id = cochlea_catalogue_store_analysis (cat, &stamp, analysis, features, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  /* Storing the same path again replaces, never duplicates. */
  id2 = cochlea_catalogue_store_analysis (cat, &stamp, analysis, features, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id2, ==, id);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM tracks"), ==, 1);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM embeddings"), ==, 1);

  track = cochlea_catalogue_find_track (cat, "/music/x/a.flac", &error);
  g_assert_no_error (error);
  g_assert_nonnull (track);
  g_assert_cmpstr (track->title, ==, "Título ☃");
  g_assert_cmpstr (track->artist, ==, "A");
  g_assert_cmpint (track->status, ==, COCHLEA_TRACK_OK);
  g_assert_cmpfloat_with_epsilon (track->duration_s, 12.5, 1e-9);

  back = cochlea_catalogue_get_features (cat, id, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (back->attrs[COCHLEA_ATTR_TEMPO], 120.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (back->attrs[COCHLEA_ATTR_KEY], 7, 1e-9);
  g_assert_true (isnan (back->attrs[COCHLEA_ATTR_ENERGY]));
  g_assert_cmpstr (back->model, ==, "m1");
  g_assert_cmpuint (back->dim, ==, 4);
  g_assert_cmpmem (back->vector, 16, vec, 16);

  under = cochlea_catalogue_list_under (cat, "/music/x/", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (under->len, ==, 1);
  g_clear_pointer (&under, g_ptr_array_unref);
  under = cochlea_catalogue_list_under (cat, "/music/xy", &error);
  g_assert_cmpuint (under->len, ==, 0);

  g_assert_true (cochlea_catalogue_update_stamp (cat, id, &moved, &error));
  g_clear_pointer (&track, cochlea_track_free);
  track = cochlea_catalogue_get_track (cat, id, &error);
  g_assert_cmpstr (track->path, ==, "/music/y/a.flac");

  /* A failure replaces what was known about the file. */
  id2 = cochlea_catalogue_store_failure (cat, &moved, "broken", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id2, ==, id);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM embeddings"), ==, 0);
  g_clear_pointer (&track, cochlea_track_free);
  track = cochlea_catalogue_get_track (cat, id, &error);
  g_assert_cmpint (track->status, ==, COCHLEA_TRACK_FAILED);
  g_assert_cmpstr (track->error, ==, "broken");

  g_clear_pointer (&track, cochlea_track_free);
  track = cochlea_catalogue_get_track (cat, 12345, &error);
  g_assert_null (track);
  g_assert_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND);
}

static void
test_events_and_playlists (void)
{
  g_autofree char *path = tmp_db ("events.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) cat = cochlea_catalogue_open (path, 0, &error);
  g_autoptr(CochleaAnalysis) analysis = fake_analysis ("A", "B");
  g_autoptr(CochleaFeatures) features = cochlea_features_new ();
  g_autoptr(GArray) events = NULL;
  g_autoptr(GArray) items = NULL;
  CochleaFileStamp s1 = { "/m/1.ogg", 1, 1, NULL }, s2 = { "/m/2.ogg", 2, 2, NULL };
  CochleaEvent ev = { 0, COCHLEA_EVENT_SKIP, 1000, 12.0 };
  gint64 ids[3];
  gint64 pl;

  ids[0] = cochlea_catalogue_store_analysis (cat, &s1, analysis, features, &error);
  ids[1] = cochlea_catalogue_store_analysis (cat, &s2, analysis, features, &error);
  ids[2] = ids[0];
  g_assert_no_error (error);

  ev.track_id = ids[0];
  g_assert_true (cochlea_catalogue_add_event (cat, &ev, &error));
  g_assert_true (cochlea_catalogue_set_private_mode (cat, TRUE, &error));
  g_assert_true (cochlea_catalogue_get_private_mode (cat));
  ev.kind = COCHLEA_EVENT_LIKE;
  g_assert_true (cochlea_catalogue_add_event (cat, &ev, &error));   /* recorded as nothing */
  g_assert_true (cochlea_catalogue_set_private_mode (cat, FALSE, &error));
  ev.kind = COCHLEA_EVENT_COMPLETE;
  ev.position_s = NAN;
  ev.at_us = 2000;
  g_assert_true (cochlea_catalogue_add_event (cat, &ev, &error));
  g_assert_no_error (error);

  events = cochlea_catalogue_list_events (cat, &error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (g_array_index (events, CochleaEvent, 0).kind, ==, COCHLEA_EVENT_SKIP);
  g_assert_cmpfloat_with_epsilon (g_array_index (events, CochleaEvent, 0).position_s, 12.0, 1e-9);
  g_assert_cmpint (g_array_index (events, CochleaEvent, 1).kind, ==, COCHLEA_EVENT_COMPLETE);
  g_assert_true (isnan (g_array_index (events, CochleaEvent, 1).position_s));

  pl = cochlea_catalogue_ensure_playlist (cat, "Mix ♫", &error);
  g_assert_cmpint (pl, >, 0);
  g_assert_cmpint (cochlea_catalogue_ensure_playlist (cat, "Mix ♫", &error), ==, pl);
  g_assert_true (cochlea_catalogue_playlist_append (cat, pl, ids, 2, &error));
  g_assert_true (cochlea_catalogue_playlist_append (cat, pl, ids + 2, 1, &error));
  items = cochlea_catalogue_playlist_tracks (cat, pl, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpint (g_array_index (items, gint64, 0), ==, ids[0]);
  g_assert_cmpint (g_array_index (items, gint64, 1), ==, ids[1]);
  g_assert_cmpint (g_array_index (items, gint64, 2), ==, ids[0]);
  g_assert_cmpint (cochlea_catalogue_find_playlist (cat, "nope", &error), ==, -1);
  g_assert_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/catalogue/fresh", test_fresh);
  g_test_add_func ("/catalogue/migrations", test_migrations);
  g_test_add_func ("/catalogue/not-sqlite", test_not_sqlite);
  g_test_add_func ("/catalogue/other-sqlite", test_other_sqlite);
  g_test_add_func ("/catalogue/newer-schema", test_newer_schema);
  g_test_add_func ("/catalogue/read-only-open", test_read_only_open);
  g_test_add_func ("/catalogue/tracks", test_tracks);
  g_test_add_func ("/catalogue/events-and-playlists", test_events_and_playlists);
  return g_test_run ();
}
