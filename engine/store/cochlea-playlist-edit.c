/* cochlea-playlist-edit.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rare user actions, so the statements are prepared per call rather than
 * cached with the catalogue's (cochlea-catalogue.c keeps that table).
 */
#define G_LOG_DOMAIN "cochlea-engine"

#include "config.h"

#include "cochlea-catalogue-private.h"
#include "cochlea-playlist-edit.h"

/* Runs @sql with @id (and @text, when set) bound; returns the number of
 * rows changed, or -1 with @error. */
static int
run_change (CochleaCatalogue *self,
            const char       *sql,
            gint64            id,
            const char       *text,
            gint64            number,
            const char       *what,
            GError          **error)
{
  sqlite3 *db = _cochlea_catalogue_get_db (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _cochlea_catalogue_set_error (self, error, rc, what);
      return -1;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  if (text != NULL)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 2, number);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, what);
      return -1;
    }
  return sqlite3_changes (db);
}

static gboolean
playlist_exists (CochleaCatalogue *self,
                 gint64            playlist_id,
                 GError          **error)
{
  sqlite3 *db = _cochlea_catalogue_get_db (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT 1 FROM playlists WHERE id = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, playlist_id);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading playlists");
      return FALSE;
    }
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND,
                   "No playlist with id %" G_GINT64_FORMAT, playlist_id);
      return FALSE;
    }
  return TRUE;
}

gboolean
cochlea_catalogue_rename_playlist (CochleaCatalogue  *self,
                                   gint64             playlist_id,
                                   const char        *name,
                                   GError           **error)
{
  g_autofree char *stripped = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 other;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  stripped = g_strstrip (g_strdup (name));
  if (*stripped == '\0' || !g_utf8_validate (stripped, -1, NULL))
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INVALID,
                   "A playlist needs a name");
      return FALSE;
    }
  if (!playlist_exists (self, playlist_id, error))
    return FALSE;

  other = cochlea_catalogue_find_playlist (self, stripped, &local_error);
  if (other == playlist_id)
    return TRUE;
  if (other >= 0)
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INVALID,
                   "A playlist named “%s” already exists", stripped);
      return FALSE;
    }
  if (!g_error_matches (local_error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return run_change (self, "UPDATE playlists SET name = ?2 WHERE id = ?1",
                     playlist_id, stripped, 0, "renaming a playlist", error) >= 0;
}

gboolean
cochlea_catalogue_delete_playlist (CochleaCatalogue  *self,
                                   gint64             playlist_id,
                                   GError           **error)
{
  int changed;

  g_return_val_if_fail (self != NULL, FALSE);

  /* Items go with it (ON DELETE CASCADE, foreign_keys=ON). */
  changed = run_change (self, "DELETE FROM playlists WHERE id = ?1 AND ?2 IS NOT NULL",
                        playlist_id, NULL, 1, "deleting a playlist", error);
  if (changed < 0)
    return FALSE;
  if (changed == 0)
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND,
                   "No playlist with id %" G_GINT64_FORMAT, playlist_id);
      return FALSE;
    }
  return TRUE;
}

gboolean
cochlea_catalogue_playlist_remove (CochleaCatalogue  *self,
                                   gint64             playlist_id,
                                   guint              index,
                                   GError           **error)
{
  int changed;

  g_return_val_if_fail (self != NULL, FALSE);

  changed = run_change (self,
                        "DELETE FROM playlist_items WHERE playlist_id = ?1 AND position = "
                        "(SELECT position FROM playlist_items WHERE playlist_id = ?1 "
                        " ORDER BY position LIMIT 1 OFFSET ?2)",
                        playlist_id, NULL, index, "removing from a playlist", error);
  if (changed < 0)
    return FALSE;
  if (changed == 0)
    {
      g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND,
                   "The playlist has no item %u", index + 1);
      return FALSE;
    }
  return TRUE;
}
