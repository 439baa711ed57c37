/* cochlea-catalogue.c — opening, migrating, and the track tables.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cochlea-catalogue-private.h"
#include "cochlea-store-resources.h"

G_DEFINE_QUARK (cochlea-store-error-quark, cochlea_store_error)

#define MIGRATIONS_PATH "/io/github/cochlea/Cochlea/store/migrations/"

static const char *migrations[COCHLEA_CATALOGUE_SCHEMA_VERSION] = {
  "001-tracks.sql",
  "002-feedback.sql",
  "003-playlists.sql",
  "004-features-version.sql",
  "005-generation.sql",
};

#define TRACK_COLUMNS \
  "id, path, size, mtime_us, hash, title, artist, album, genre, duration_s, " \
  "analysis_version, status, error, features_version"

static const char *stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_GET_TRACK] = "SELECT " TRACK_COLUMNS " FROM tracks WHERE id = ?1",
  [STMT_FIND_TRACK] = "SELECT " TRACK_COLUMNS " FROM tracks WHERE path = ?1",
  [STMT_FIND_BY_HASH] = "SELECT " TRACK_COLUMNS " FROM tracks WHERE hash = ?1 AND size = ?2",
  /* '0' is the character after '/': every path under ?1/ sorts in between. */
  [STMT_LIST_UNDER] = "SELECT " TRACK_COLUMNS " FROM tracks WHERE path > ?1 || '/' AND path < ?1 || '0'",
  [STMT_COUNT_TRACKS] = "SELECT count(*) FROM tracks WHERE status = ?1",
  [STMT_UPSERT_TRACK] =
    "INSERT INTO tracks (path, size, mtime_us, hash, title, artist, album, genre, duration_s,"
    "                    analysis_version, status, error, added_us, analysed_us, features_version)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'ok', NULL, ?11, ?11, ?12)"
    " ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_us = excluded.mtime_us,"
    "   hash = excluded.hash, title = excluded.title, artist = excluded.artist,"
    "   album = excluded.album, genre = excluded.genre, duration_s = excluded.duration_s,"
    "   analysis_version = excluded.analysis_version, status = 'ok', error = NULL,"
    "   features_version = excluded.features_version,"
    "   analysed_us = excluded.analysed_us"
    " RETURNING id",
  [STMT_UPSERT_FAILURE] =
    "INSERT INTO tracks (path, size, mtime_us, hash, analysis_version, status, error,"
    "                    added_us, analysed_us, features_version)"
    " VALUES (?1, ?2, ?3, ?4, ?5, 'failed', ?6, ?7, ?7, ?8)"
    " ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_us = excluded.mtime_us,"
    "   hash = excluded.hash, analysis_version = excluded.analysis_version,"
    "   features_version = excluded.features_version,"
    "   status = 'failed', error = excluded.error, analysed_us = excluded.analysed_us"
    " RETURNING id",
  [STMT_DELETE_ATTRIBUTES] = "DELETE FROM attributes WHERE track_id = ?1",
  [STMT_INSERT_ATTRIBUTES] =
    "INSERT INTO attributes (track_id, tempo, tempo_confidence, time_signature, key, mode,"
    "  key_confidence, loudness, energy, danceability, valence, acousticness,"
    "  instrumentalness, speechiness, liveness)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
  [STMT_DELETE_EMBEDDINGS] = "DELETE FROM embeddings WHERE track_id = ?1",
  [STMT_INSERT_EMBEDDING] = "INSERT INTO embeddings (track_id, model, dim, vector) VALUES (?1, ?2, ?3, ?4)",
  [STMT_UPDATE_STAMP] =
    "UPDATE tracks SET path = ?2, size = ?3, mtime_us = ?4, hash = coalesce (?5, hash),"
    " status = CASE WHEN status = 'missing' THEN 'ok' ELSE status END WHERE id = ?1",
  [STMT_SET_STATUS] = "UPDATE tracks SET status = ?2 WHERE id = ?1",
  [STMT_GET_ATTRIBUTES] =
    "SELECT tempo, tempo_confidence, time_signature, key, mode, key_confidence, loudness,"
    " energy, danceability, valence, acousticness, instrumentalness, speechiness, liveness"
    " FROM attributes WHERE track_id = ?1",
  [STMT_GET_EMBEDDING] =
    "SELECT model, dim, vector FROM embeddings WHERE track_id = ?1 AND model <> '" COCHLEA_TIMBRE_MODEL "'"
    " AND model <> '" COCHLEA_RHYTHM_MODEL "'"
    " ORDER BY model = ?2 DESC, model LIMIT 1",
  [STMT_MAIN_MODEL] = "SELECT model FROM embeddings WHERE model <> '" COCHLEA_TIMBRE_MODEL "'"
                      " AND model <> '" COCHLEA_RHYTHM_MODEL "'"
                      " GROUP BY model ORDER BY count(*) DESC, model LIMIT 1",
  [STMT_GET_SETTING] = "SELECT value FROM settings WHERE key = ?1",
  [STMT_SET_SETTING] = "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  [STMT_ADD_EVENT] = "INSERT INTO events (track_id, kind, at_us, position_s) VALUES (?1, ?2, ?3, ?4)",
  [STMT_LIST_EVENTS] = "SELECT track_id, kind, at_us, position_s FROM events ORDER BY at_us, id",
  [STMT_FIND_PLAYLIST] = "SELECT id FROM playlists WHERE name = ?1",
  [STMT_INSERT_PLAYLIST] = "INSERT INTO playlists (name, created_us) VALUES (?1, ?2) RETURNING id",
  [STMT_PLAYLIST_LENGTH] = "SELECT coalesce (max (position) + 1, 0) FROM playlist_items WHERE playlist_id = ?1",
  [STMT_PLAYLIST_INSERT] = "INSERT INTO playlist_items (playlist_id, position, track_id) VALUES (?1, ?2, ?3)",
  [STMT_PLAYLIST_TRACKS] = "SELECT track_id FROM playlist_items WHERE playlist_id = ?1 ORDER BY position",
  [STMT_LIST_PLAYLISTS] = "SELECT name FROM playlists ORDER BY name",
  [STMT_INDEX_ROWS] =
    "SELECT t.id, t.artist, t.album, e.dim, e.vector, a.tempo, a.tempo_confidence,"
    " a.time_signature, a.key, a.mode, a.key_confidence, a.loudness, a.energy, a.danceability,"
    " a.valence, a.acousticness, a.instrumentalness, a.speechiness, a.liveness, m.dim, m.vector"
    " FROM tracks t"
    " LEFT JOIN embeddings e ON e.track_id = t.id AND e.model = ?1"
    " LEFT JOIN attributes a ON a.track_id = t.id"
    " LEFT JOIN embeddings m ON m.track_id = t.id AND m.model = '" COCHLEA_TIMBRE_MODEL "'"
    " WHERE t.status = 'ok' ORDER BY t.id",
  [STMT_GET_TIMBRE] =
    "SELECT dim, vector FROM embeddings WHERE track_id = ?1 AND model = '" COCHLEA_TIMBRE_MODEL "'",
  [STMT_GET_RHYTHM] =
    "SELECT dim, vector FROM embeddings WHERE track_id = ?1 AND model = '" COCHLEA_RHYTHM_MODEL "'",
  [STMT_INDEX_RHYTHM] =
    "SELECT e.track_id, e.dim, e.vector FROM embeddings e JOIN tracks t ON t.id = e.track_id"
    " WHERE e.model = '" COCHLEA_RHYTHM_MODEL "' AND t.status = 'ok' ORDER BY e.track_id",
};

struct _CochleaCatalogue
{
  /* Owned */
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];   /* prepared on first use, kept */
  char         *path;
  int           lock_fd;          /* -1 unless cochlea_catalogue_lock_for_import() */

  /* State */
  gboolean      read_only;
};

void
_cochlea_catalogue_set_error (CochleaCatalogue *self,
                              GError          **error,
                              int               rc,
                              const char       *what)
{
  g_autofree char *display = g_filename_display_name (self->path);
  const char *msg = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);
  int primary = rc & 0xff;

  switch (primary)
    {
    case SQLITE_FULL:
      g_set_error (error, COCHLEA_STORE_ERROR, primary,
                   "%s: %s: the disk is full (%s)", display, what, msg);
      break;
    case SQLITE_NOTADB:
      g_set_error (error, COCHLEA_STORE_ERROR, primary,
                   "%s: not a Cochlea catalogue: the file is not an SQLite database", display);
      break;
    case SQLITE_READONLY:
      g_set_error (error, COCHLEA_STORE_ERROR, primary,
                   "%s: %s: the catalogue is read-only (%s)", display, what, msg);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, COCHLEA_STORE_ERROR, primary,
                   "%s: %s: the catalogue is busy (another process is writing to it)", display, what);
      break;
    case SQLITE_CORRUPT:
      g_set_error (error, COCHLEA_STORE_ERROR, primary,
                   "%s: %s: the catalogue is corrupt (%s)", display, what, msg);
      break;
    default:
      g_set_error (error, COCHLEA_STORE_ERROR, primary,
                   "%s: %s: %s", display, what, msg);
      break;
    }
}

sqlite3 *
_cochlea_catalogue_get_db (CochleaCatalogue *self)
{
  return self->db;
}

sqlite3_stmt *
_cochlea_catalogue_stmt (CochleaCatalogue *self,
                         CochleaStmt       id,
                         GError          **error)
{
  g_return_val_if_fail (id < N_STMTS, NULL);

  if (self->stmts[id] == NULL)
    {
      int rc = sqlite3_prepare_v3 (self->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                   &self->stmts[id], NULL);
      if (rc != SQLITE_OK)
        {
          _cochlea_catalogue_set_error (self, error, rc, "preparing a query");
          return NULL;
        }
    }
  else
    {
      sqlite3_reset (self->stmts[id]);
      sqlite3_clear_bindings (self->stmts[id]);
    }
  return self->stmts[id];
}

static gboolean
exec (CochleaCatalogue *self,
      const char       *sql,
      const char       *what,
      GError          **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _cochlea_catalogue_set_error (self, error, rc, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_int (CochleaCatalogue *self,
           const char       *sql,
           gint64           *value,
           GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading the catalogue");
      return FALSE;
    }
  *value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
apply_migration (CochleaCatalogue *self,
                 int               version,
                 GError          **error)
{
  g_autofree char *resource = g_strconcat (MIGRATIONS_PATH, migrations[version - 1], NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *what = g_strdup_printf ("upgrading the schema to version %d", version);

  bytes = g_resource_lookup_data (cochlea_store_get_resource (), resource,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;

  sql = g_strdup_printf ("%.*s\n%sPRAGMA user_version = %d;",
                         (int) g_bytes_get_size (bytes), (const char *) g_bytes_get_data (bytes, NULL),
                         version == 1 ? "PRAGMA application_id = " G_STRINGIFY (COCHLEA_CATALOGUE_APPLICATION_ID) ";\n" : "",
                         version);

  if (!exec (self, "BEGIN IMMEDIATE", what, error))
    return FALSE;
  if (!exec (self, sql, what, error))
    {
      cochlea_catalogue_rollback (self);
      return FALSE;
    }
  return exec (self, "COMMIT", what, error);
}

static gboolean
migrate (CochleaCatalogue *self,
         int               from,
         int               to,
         GError          **error)
{
  for (int v = from + 1; v <= to; v++)
    {
      g_debug ("%s: migrating to schema %d", self->path, v);
      if (!apply_migration (self, v, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
dir_is_writable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  return g_access (dir, W_OK) == 0;
}

static CochleaCatalogue *
open_connection (const char            *path,
                 CochleaCatalogueFlags  flags,
                 GError               **error)
{
  g_autoptr(CochleaCatalogue) self = g_new0 (CochleaCatalogue, 1);
  int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc;

  self->path = g_strdup (path);
  self->lock_fd = -1;
  self->read_only = (flags & COCHLEA_CATALOGUE_OPEN_READ_ONLY) != 0;

  if (self->read_only)
    {
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_autofree char *display = g_filename_display_name (path);
          g_set_error (error, COCHLEA_STORE_ERROR, SQLITE_CANTOPEN,
                       "%s: no catalogue there (run “cochlea-cli import” first)", display);
          return NULL;
        }
      oflags |= SQLITE_OPEN_READONLY;
    }
  else
    oflags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

  if (self->read_only && !dir_is_writable (path))
    {
      /* On a read-only medium SQLite cannot create the WAL index; nobody
       * can write there either, so the file is immutable for us. */
      g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
      g_autofree char *immutable = g_strconcat (uri, "?immutable=1", NULL);
      rc = sqlite3_open_v2 (immutable, &self->db, oflags | SQLITE_OPEN_URI, NULL);
    }
  else
    rc = sqlite3_open_v2 (path, &self->db, oflags, NULL);
  if (rc != SQLITE_OK)
    {
      _cochlea_catalogue_set_error (self, error, rc, "opening");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 10000);
  return g_steal_pointer (&self);
}

/* Checks that the file is ours and not from the future, before anything
 * is written to it. */
static gboolean
check_identity (CochleaCatalogue *self,
                gint64           *version,
                GError          **error)
{
  g_autofree char *display = g_filename_display_name (self->path);
  gint64 app_id, n_objects;

  if (!query_int (self, "PRAGMA application_id", &app_id, error) ||
      !query_int (self, "PRAGMA user_version", version, error) ||
      !query_int (self, "SELECT count(*) FROM sqlite_schema", &n_objects, error))
    return FALSE;

  if ((app_id != 0 && app_id != COCHLEA_CATALOGUE_APPLICATION_ID) ||
      (app_id == 0 && n_objects > 0))
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_CATALOGUE,
                   "%s: not a Cochlea catalogue: an SQLite database of another program; left untouched",
                   display);
      return FALSE;
    }
  if (*version > COCHLEA_CATALOGUE_SCHEMA_VERSION)
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NEWER_SCHEMA,
                   "%s: the catalogue has schema version %" G_GINT64_FORMAT
                   " but this Cochlea knows only up to %d; use a newer Cochlea (the file was not changed)",
                   display, *version, COCHLEA_CATALOGUE_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ensure_parent_dir (const char  *path,
                   GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_autofree char *display = g_filename_display_name (dir);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "Cannot create the folder %s: %s", display, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

char *
cochlea_catalogue_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "cochlea", "catalogue.db", NULL);
}

/**
 * cochlea_catalogue_open:
 * @path: file name encoding
 *
 * Opens (creating and migrating when writable) the catalogue at @path.
 * A file that is not SQLite, another program's database, or a newer schema
 * is refused with a clear error and never written to.
 *
 * Returns: (transfer full): the catalogue, or %NULL with @error set
 */
CochleaCatalogue *
cochlea_catalogue_open (const char            *path,
                        CochleaCatalogueFlags  flags,
                        GError               **error)
{
  g_autoptr(CochleaCatalogue) self = NULL;
  g_autofree char *display = NULL;
  gint64 version = 0;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, COCHLEA_STORE_ERROR, SQLITE_CANTOPEN,
                   "%s: is a folder, not a catalogue file", display);
      return NULL;
    }
  if (!(flags & COCHLEA_CATALOGUE_OPEN_READ_ONLY))
    {
      if (!ensure_parent_dir (path, error))
        return NULL;
      /* WAL needs to write beside the file even to read it. */
      if ((g_file_test (path, G_FILE_TEST_EXISTS) && g_access (path, W_OK) != 0) ||
          !dir_is_writable (path))
        {
          g_set_error (error, COCHLEA_STORE_ERROR, SQLITE_READONLY,
                       "%s: the catalogue is read-only (the file or its folder cannot be written)", display);
          return NULL;
        }
    }
  if (!(self = open_connection (path, flags, error)))
    return NULL;
  if (!check_identity (self, &version, error))
    return NULL;

  if (self->read_only)
    {
      if (version < COCHLEA_CATALOGUE_SCHEMA_VERSION)
        {
          g_set_error (error, COCHLEA_STORE_ERROR, SQLITE_READONLY,
                       version == 0 ? "%s: not a Cochlea catalogue (empty)"
                                    : "%s: the catalogue has an older schema; open it once for writing (e.g. “cochlea-cli import”) to upgrade it",
                       display);
          return NULL;
        }
      return exec (self, "PRAGMA query_only = ON", "opening", error) ? g_steal_pointer (&self) : NULL;
    }

  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      g_set_error (error, COCHLEA_STORE_ERROR, SQLITE_READONLY,
                   "%s: the catalogue is read-only (file or folder not writable)", display);
      return NULL;
    }

  /* journal_mode needs a write lock the first time; busy_timeout covers
   * another writer. */
  if (!exec (self, "PRAGMA journal_mode = WAL", "switching to WAL", error) ||
      !exec (self, "PRAGMA synchronous = NORMAL", "opening", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", "opening", error))
    return NULL;

  if (!migrate (self, (int) version, COCHLEA_CATALOGUE_SCHEMA_VERSION, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
_cochlea_catalogue_create_at_version (const char *path,
                                      int         version,
                                      GError    **error)
{
  g_autoptr(CochleaCatalogue) self = NULL;

  g_return_val_if_fail (version >= 1 && version <= COCHLEA_CATALOGUE_SCHEMA_VERSION, FALSE);

  if (!(self = open_connection (path, COCHLEA_CATALOGUE_OPEN_DEFAULT, error)))
    return FALSE;
  if (!exec (self, "PRAGMA journal_mode = WAL", "switching to WAL", error))
    return FALSE;
  return migrate (self, 0, version, error);
}

void
cochlea_catalogue_free (CochleaCatalogue *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (self->stmts[i]);
  if (self->db != NULL)
    sqlite3_close (self->db);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->path);
  g_free (self);
}

const char *
cochlea_catalogue_get_path (CochleaCatalogue *self)
{
  return self->path;
}

gboolean
cochlea_catalogue_is_read_only (CochleaCatalogue *self)
{
  return self->read_only;
}

static gboolean
step_done (CochleaCatalogue *self,
           sqlite3_stmt     *stmt,
           const char       *what,
           GError          **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cochlea_catalogue_set_error (self, error, rc, what);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
cochlea_catalogue_begin (CochleaCatalogue *self,
                         GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_BEGIN, error);

  return stmt != NULL && step_done (self, stmt, "starting a transaction", error);
}

gboolean
cochlea_catalogue_commit (CochleaCatalogue *self,
                          GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_COMMIT, error);

  if (stmt == NULL || !step_done (self, stmt, "saving", error))
    {
      cochlea_catalogue_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
cochlea_catalogue_rollback (CochleaCatalogue *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
cochlea_catalogue_lock_for_import (CochleaCatalogue *self,
                                   gboolean          wait,
                                   GError          **error)
{
  g_autofree char *lock_path = g_strconcat (self->path, ".lock", NULL);
  g_autofree char *display = g_filename_display_name (self->path);
  int fd;

  if (self->lock_fd >= 0)
    return TRUE;

  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, COCHLEA_STORE_ERROR, SQLITE_CANTOPEN,
                   "%s: cannot create the import lock file: %s", display, g_strerror (errsv));
      return FALSE;
    }
  while (flock (fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0)
    {
      int errsv = errno;
      if (errsv == EINTR)
        continue;
      close (fd);
      if (errsv == EWOULDBLOCK)
        g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_LOCKED,
                     "%s: another import is already running on this catalogue; "
                     "wait for it to finish (or pass --wait)", display);
      else
        g_set_error (error, COCHLEA_STORE_ERROR, SQLITE_CANTOPEN,
                     "%s: cannot lock the catalogue: %s", display, g_strerror (errsv));
      return FALSE;
    }
  self->lock_fd = fd;
  return TRUE;
}

/* Tracks */

void
cochlea_track_free (CochleaTrack *track)
{
  if (track == NULL)
    return;
  g_free (track->path);
  g_free (track->hash);
  g_free (track->title);
  g_free (track->artist);
  g_free (track->album);
  g_free (track->genre);
  g_free (track->error);
  g_free (track);
}

static const char *status_names[] = { "ok", "failed", "missing" };

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);
  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static CochleaTrack *
track_from_row (sqlite3_stmt *stmt)
{
  CochleaTrack *track = g_new0 (CochleaTrack, 1);
  const char *status = (const char *) sqlite3_column_text (stmt, 11);

  track->id = sqlite3_column_int64 (stmt, 0);
  track->path = column_dup (stmt, 1);
  track->size = sqlite3_column_int64 (stmt, 2);
  track->mtime_us = sqlite3_column_int64 (stmt, 3);
  track->hash = column_dup (stmt, 4);
  track->title = column_dup (stmt, 5);
  track->artist = column_dup (stmt, 6);
  track->album = column_dup (stmt, 7);
  track->genre = column_dup (stmt, 8);
  track->duration_s = sqlite3_column_type (stmt, 9) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 9);
  track->analysis_version = sqlite3_column_int (stmt, 10);
  track->status = COCHLEA_TRACK_OK;
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (status, status_names[i]) == 0)
      track->status = i;
  track->error = column_dup (stmt, 12);
  track->features_version = sqlite3_column_int (stmt, 13);
  return track;
}

/* Steps @stmt to collect every row as a CochleaTrack. */
static GPtrArray *
collect_tracks (CochleaCatalogue *self,
                sqlite3_stmt     *stmt,
                GError          **error)
{
  g_autoptr(GPtrArray) tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) cochlea_track_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tracks, track_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading tracks");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&tracks);
}

static CochleaTrack *
one_track (CochleaCatalogue *self,
           sqlite3_stmt     *stmt,
           GError          **error)
{
  g_autoptr(GPtrArray) tracks = collect_tracks (self, stmt, error);

  if (tracks == NULL || tracks->len == 0)
    return NULL;
  return g_ptr_array_steal_index (tracks, 0);
}

CochleaTrack *
cochlea_catalogue_get_track (CochleaCatalogue *self,
                             gint64            id,
                             GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_GET_TRACK, error);
  g_autoptr(GError) local_error = NULL;
  CochleaTrack *track;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  track = one_track (self, stmt, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (track == NULL)
    g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND,
                 "No track with id %" G_GINT64_FORMAT " in the catalogue", id);
  return track;
}

CochleaTrack *
cochlea_catalogue_find_track (CochleaCatalogue *self,
                              const char       *path,
                              GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_FIND_TRACK, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, path, -1, SQLITE_TRANSIENT);
  return one_track (self, stmt, error);
}

GPtrArray *
cochlea_catalogue_find_by_hash (CochleaCatalogue *self,
                                const char       *hash,
                                gint64            size,
                                GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_FIND_BY_HASH, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, size);
  return collect_tracks (self, stmt, error);
}

GPtrArray *
cochlea_catalogue_list_under (CochleaCatalogue *self,
                              const char       *dir,
                              GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_LIST_UNDER, error);
  g_autofree char *trimmed = g_strdup (dir);
  gsize len = strlen (trimmed);

  if (stmt == NULL)
    return NULL;
  while (len > 1 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';
  sqlite3_bind_text (stmt, 1, strcmp (trimmed, "/") == 0 ? "" : trimmed, -1, SQLITE_TRANSIENT);
  return collect_tracks (self, stmt, error);
}

gint64
cochlea_catalogue_count_tracks (CochleaCatalogue   *self,
                                CochleaTrackStatus  status,
                                GError            **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_COUNT_TRACKS, error);
  gint64 n;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, status_names[status], -1, SQLITE_STATIC);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      _cochlea_catalogue_set_error (self, error, rc, "counting tracks");
      sqlite3_reset (stmt);
      return -1;
    }
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           col,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, col);
}

static gint64
step_returning_id (CochleaCatalogue *self,
                   sqlite3_stmt     *stmt,
                   const char       *what,
                   GError          **error)
{
  gint64 id;
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      _cochlea_catalogue_set_error (self, error, rc, what);
      sqlite3_reset (stmt);
      return -1;
    }
  id = sqlite3_column_int64 (stmt, 0);
  /* Run RETURNING statements to completion so the write is done. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, what);
      return -1;
    }
  return id;
}

/* float32 little-endian BLOB ↔ host floats (in place). */
static void
swap_le (float *v,
         gsize  n)
{
#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (gsize i = 0; i < n; i++)
    {
      guint32 u;
      memcpy (&u, &v[i], 4);
      u = GUINT32_SWAP_LE_BE (u);
      memcpy (&v[i], &u, 4);
    }
#else
  (void) v;
  (void) n;
#endif
}

static gboolean
insert_vector (CochleaCatalogue *self,
               gint64            id,
               const char       *model,
               const float      *vector,
               guint             dim,
               GError          **error)
{
  g_autofree float *le = g_memdup2 (vector, sizeof (float) * dim);
  sqlite3_stmt *stmt;

  swap_le (le, dim);
  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_INSERT_EMBEDDING, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, model, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, dim);
  sqlite3_bind_blob (stmt, 4, le, (int) (sizeof (float) * dim), SQLITE_TRANSIENT);
  return step_done (self, stmt, "storing the content vector", error);
}

static gboolean
write_features (CochleaCatalogue      *self,
                gint64                 id,
                const CochleaFeatures *features,
                GError               **error)
{
  sqlite3_stmt *stmt;
  gboolean any = FALSE;

  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_DELETE_ATTRIBUTES, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!step_done (self, stmt, "storing attributes", error))
    return FALSE;
  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_DELETE_EMBEDDINGS, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!step_done (self, stmt, "storing the content vector", error))
    return FALSE;

  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    any |= !isnan (features->attrs[i]);
  if (any)
    {
      if (!(stmt = _cochlea_catalogue_stmt (self, STMT_INSERT_ATTRIBUTES, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
        {
          double v = features->attrs[i];
          if (!isfinite (v))
            sqlite3_bind_null (stmt, i + 2);
          else if (cochlea_attribute_get_info (i)->is_integer)
            sqlite3_bind_int64 (stmt, i + 2, (gint64) lround (v));
          else
            sqlite3_bind_double (stmt, i + 2, v);
        }
      if (!step_done (self, stmt, "storing attributes", error))
        return FALSE;
    }

  if (features->vector != NULL)
    {
      g_autofree float *le = g_memdup2 (features->vector, sizeof (float) * features->dim);

#if G_BYTE_ORDER == G_BIG_ENDIAN
      for (guint i = 0; i < features->dim; i++)
        {
          guint32 u;
          memcpy (&u, &le[i], 4);
          u = GUINT32_SWAP_LE_BE (u);
          memcpy (&le[i], &u, 4);
        }
#endif
      if (!(stmt = _cochlea_catalogue_stmt (self, STMT_INSERT_EMBEDDING, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, features->model, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, features->dim);
      sqlite3_bind_blob (stmt, 4, le, (int) (sizeof (float) * features->dim), SQLITE_TRANSIENT);
      if (!step_done (self, stmt, "storing the content vector", error))
        return FALSE;
    }
  if (features->timbre != NULL &&
      !insert_vector (self, id, COCHLEA_TIMBRE_MODEL, features->timbre, COCHLEA_TIMBRE_DIM, error))
    return FALSE;
  if (features->rhythm != NULL &&
      !insert_vector (self, id, COCHLEA_RHYTHM_MODEL, features->rhythm, COCHLEA_RHYTHM_DIM, error))
    return FALSE;
  return TRUE;
}

gint64
cochlea_catalogue_store_analysis (CochleaCatalogue       *self,
                                  const CochleaFileStamp *stamp,
                                  const CochleaAnalysis  *analysis,
                                  const CochleaFeatures  *features,
                                  GError                **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (!self->read_only, -1);
  g_return_val_if_fail (stamp != NULL && analysis != NULL && features != NULL, -1);

  if (!cochlea_catalogue_begin (self, error))
    return -1;
  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_UPSERT_TRACK, error)))
    goto fail;
  sqlite3_bind_text (stmt, 1, stamp->path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, stamp->size);
  sqlite3_bind_int64 (stmt, 3, stamp->mtime_us);
  bind_text_or_null (stmt, 4, stamp->hash);
  bind_text_or_null (stmt, 5, analysis->tags.title);
  bind_text_or_null (stmt, 6, analysis->tags.artist);
  bind_text_or_null (stmt, 7, analysis->tags.album);
  bind_text_or_null (stmt, 8, analysis->tags.genre);
  sqlite3_bind_double (stmt, 9, analysis->duration_s);
  sqlite3_bind_int (stmt, 10, COCHLEA_ANALYSIS_VERSION);
  sqlite3_bind_int64 (stmt, 11, g_get_real_time ());
  sqlite3_bind_int (stmt, 12, COCHLEA_FEATURES_VERSION);
  if ((id = step_returning_id (self, stmt, "storing a track", error)) < 0)
    goto fail;
  if (!write_features (self, id, features, error))
    goto fail;
  if (!cochlea_catalogue_commit (self, error))
    return -1;
  return id;

fail:
  cochlea_catalogue_rollback (self);
  return -1;
}

gint64
cochlea_catalogue_store_failure (CochleaCatalogue       *self,
                                 const CochleaFileStamp *stamp,
                                 const char             *reason,
                                 GError                **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (!self->read_only, -1);

  if (!cochlea_catalogue_begin (self, error))
    return -1;
  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_UPSERT_FAILURE, error)))
    goto fail;
  sqlite3_bind_text (stmt, 1, stamp->path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, stamp->size);
  sqlite3_bind_int64 (stmt, 3, stamp->mtime_us);
  bind_text_or_null (stmt, 4, stamp->hash);
  sqlite3_bind_int (stmt, 5, COCHLEA_ANALYSIS_VERSION);
  sqlite3_bind_text (stmt, 6, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
  sqlite3_bind_int (stmt, 8, COCHLEA_FEATURES_VERSION);
  if ((id = step_returning_id (self, stmt, "recording a failure", error)) < 0)
    goto fail;
  /* Whatever was known of the old bytes no longer describes this file. */
  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_DELETE_ATTRIBUTES, error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!step_done (self, stmt, "recording a failure", error))
    goto fail;
  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_DELETE_EMBEDDINGS, error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!step_done (self, stmt, "recording a failure", error))
    goto fail;
  if (!cochlea_catalogue_commit (self, error))
    return -1;
  return id;

fail:
  cochlea_catalogue_rollback (self);
  return -1;
}

gboolean
cochlea_catalogue_update_stamp (CochleaCatalogue       *self,
                                gint64                  id,
                                const CochleaFileStamp *stamp,
                                GError                **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_UPDATE_STAMP, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, stamp->path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, stamp->size);
  sqlite3_bind_int64 (stmt, 4, stamp->mtime_us);
  bind_text_or_null (stmt, 5, stamp->hash);
  return step_done (self, stmt, "updating a track", error);
}

gboolean
cochlea_catalogue_set_status (CochleaCatalogue   *self,
                              gint64              id,
                              CochleaTrackStatus  status,
                              GError            **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_SET_STATUS, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, status_names[status], -1, SQLITE_STATIC);
  return step_done (self, stmt, "updating a track", error);
}

CochleaFeatures *
cochlea_catalogue_get_features (CochleaCatalogue *self,
                                gint64            id,
                                GError          **error)
{
  g_autoptr(CochleaFeatures) features = cochlea_features_new ();
  g_autofree char *model = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_GET_ATTRIBUTES, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
        if (sqlite3_column_type (stmt, i) != SQLITE_NULL)
          features->attrs[i] = sqlite3_column_double (stmt, i);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading attributes");
      return NULL;
    }

  {
    g_autoptr(GError) local_error = NULL;
    model = cochlea_catalogue_dup_main_model (self, &local_error);
    if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
  }
  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_GET_EMBEDDING, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  bind_text_or_null (stmt, 2, model);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint dim = sqlite3_column_int (stmt, 1);
      const float *blob = sqlite3_column_blob (stmt, 2);
      if (blob != NULL && sqlite3_column_bytes (stmt, 2) == (int) (dim * sizeof (float)))
        {
          g_autofree float *v = g_memdup2 (blob, dim * sizeof (float));
#if G_BYTE_ORDER == G_BIG_ENDIAN
          for (guint i = 0; i < dim; i++)
            {
              guint32 u;
              memcpy (&u, &v[i], 4);
              u = GUINT32_SWAP_LE_BE (u);
              memcpy (&v[i], &u, 4);
            }
#endif
          cochlea_features_set_vector (features, (const char *) sqlite3_column_text (stmt, 0), v, dim);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading the content vector");
      return NULL;
    }

  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_GET_TIMBRE, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == COCHLEA_TIMBRE_DIM &&
      sqlite3_column_bytes (stmt, 1) == (int) (COCHLEA_TIMBRE_DIM * sizeof (float)))
    {
      float v[COCHLEA_TIMBRE_DIM];
      memcpy (v, sqlite3_column_blob (stmt, 1), sizeof v);
      swap_le (v, COCHLEA_TIMBRE_DIM);
      cochlea_features_set_timbre (features, v);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading the timbre model");
      return NULL;
    }

  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_GET_RHYTHM, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == COCHLEA_RHYTHM_DIM &&
      sqlite3_column_bytes (stmt, 1) == (int) (COCHLEA_RHYTHM_DIM * sizeof (float)))
    {
      float v[COCHLEA_RHYTHM_DIM];
      memcpy (v, sqlite3_column_blob (stmt, 1), sizeof v);
      swap_le (v, COCHLEA_RHYTHM_DIM);
      cochlea_features_set_rhythm (features, v);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading the rhythm descriptor");
      return NULL;
    }
  return g_steal_pointer (&features);
}

char *
cochlea_catalogue_dup_main_model (CochleaCatalogue *self,
                                  GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_MAIN_MODEL, error);
  char *model = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    model = column_dup (stmt, 0);
  else if (rc != SQLITE_DONE)
    _cochlea_catalogue_set_error (self, error, rc, "reading the content vectors");
  sqlite3_reset (stmt);
  return model;
}
