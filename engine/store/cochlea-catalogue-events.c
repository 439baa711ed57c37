/* cochlea-catalogue-events.c — listening events, settings, playlists.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-catalogue-private.h"

static const char *event_names[COCHLEA_N_EVENTS] = {
  [COCHLEA_EVENT_PLAY] = "play",
  [COCHLEA_EVENT_SKIP] = "skip",
  [COCHLEA_EVENT_COMPLETE] = "complete",
  [COCHLEA_EVENT_LIKE] = "like",
  [COCHLEA_EVENT_UNLIKE] = "unlike",
  [COCHLEA_EVENT_PLAYLIST_ADD] = "playlist-add",
};

const char *
cochlea_event_kind_to_string (CochleaEventKind kind)
{
  g_return_val_if_fail (kind < COCHLEA_N_EVENTS, NULL);
  return event_names[kind];
}

int
cochlea_event_kind_from_string (const char *name)
{
  for (int i = 0; i < COCHLEA_N_EVENTS; i++)
    if (g_strcmp0 (name, event_names[i]) == 0)
      return i;
  return -1;
}

static gboolean
step_done (CochleaCatalogue *self,
           sqlite3_stmt     *stmt,
           const char       *what,
           GError          **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, what);
      return FALSE;
    }
  return TRUE;
}

static char *
get_setting (CochleaCatalogue *self,
             const char       *key)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_GET_SETTING, NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
cochlea_catalogue_get_private_mode (CochleaCatalogue *self)
{
  g_autofree char *value = get_setting (self, "private-mode");

  return g_strcmp0 (value, "true") == 0;
}

gboolean
cochlea_catalogue_set_private_mode (CochleaCatalogue *self,
                                    gboolean          private_mode,
                                    GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_SET_SETTING, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, "private-mode", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, private_mode ? "true" : "false", -1, SQLITE_STATIC);
  return step_done (self, stmt, "changing private mode", error);
}

gboolean
cochlea_catalogue_add_event (CochleaCatalogue   *self,
                             const CochleaEvent *event,
                             GError            **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (event != NULL && event->kind < COCHLEA_N_EVENTS, FALSE);

  if (cochlea_catalogue_get_private_mode (self))
    return TRUE;
  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_ADD_EVENT, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, event->track_id);
  sqlite3_bind_text (stmt, 2, event_names[event->kind], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, event->at_us);
  if (isfinite (event->position_s))
    sqlite3_bind_double (stmt, 4, event->position_s);
  else
    sqlite3_bind_null (stmt, 4);
  return step_done (self, stmt, "recording an event", error);
}

GArray *
cochlea_catalogue_list_events (CochleaCatalogue *self,
                               GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_LIST_EVENTS, error);
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (CochleaEvent));
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CochleaEvent ev;
      int kind = cochlea_event_kind_from_string ((const char *) sqlite3_column_text (stmt, 1));
      if (kind < 0)
        continue;
      ev.track_id = sqlite3_column_int64 (stmt, 0);
      ev.kind = kind;
      ev.at_us = sqlite3_column_int64 (stmt, 2);
      ev.position_s = sqlite3_column_type (stmt, 3) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 3);
      g_array_append_val (events, ev);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading events");
      return NULL;
    }
  return g_steal_pointer (&events);
}

gint64
cochlea_catalogue_find_playlist (CochleaCatalogue *self,
                                 const char       *name,
                                 GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_FIND_PLAYLIST, error);
  gint64 id = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND,
                 "No playlist named “%s”", name);
  else if (rc != SQLITE_ROW)
    _cochlea_catalogue_set_error (self, error, rc, "reading playlists");
  return id;
}

gint64
cochlea_catalogue_ensure_playlist (CochleaCatalogue *self,
                                   const char       *name,
                                   GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  id = cochlea_catalogue_find_playlist (self, name, &local_error);
  if (id >= 0)
    return id;
  if (!g_error_matches (local_error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_INSERT_PLAYLIST, error)))
    return -1;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  rc = sqlite3_step (stmt);
  id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
  if (rc == SQLITE_ROW)
    rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, "creating a playlist");
      return -1;
    }
  return id;
}

gboolean
cochlea_catalogue_playlist_append (CochleaCatalogue *self,
                                   gint64            playlist_id,
                                   const gint64     *track_ids,
                                   guint             n_ids,
                                   GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 position;
  int rc;

  if (!(stmt = _cochlea_catalogue_stmt (self, STMT_PLAYLIST_LENGTH, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, playlist_id);
  rc = sqlite3_step (stmt);
  position = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading a playlist");
      return FALSE;
    }
  for (guint i = 0; i < n_ids; i++)
    {
      if (!(stmt = _cochlea_catalogue_stmt (self, STMT_PLAYLIST_INSERT, error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, playlist_id);
      sqlite3_bind_int64 (stmt, 2, position + i);
      sqlite3_bind_int64 (stmt, 3, track_ids[i]);
      if (!step_done (self, stmt, "adding to a playlist", error))
        return FALSE;
    }
  return TRUE;
}

GArray *
cochlea_catalogue_playlist_tracks (CochleaCatalogue *self,
                                   gint64            playlist_id,
                                   GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_PLAYLIST_TRACKS, error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, playlist_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading a playlist");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

GPtrArray *
cochlea_catalogue_list_playlists (CochleaCatalogue *self,
                                  GError          **error)
{
  sqlite3_stmt *stmt = _cochlea_catalogue_stmt (self, STMT_LIST_PLAYLISTS, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading playlists");
      return NULL;
    }
  return g_steal_pointer (&names);
}
