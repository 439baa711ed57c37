/* cochlea-catalogue-private.h — shared by engine/store and its tests.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "cochlea-catalogue.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef enum
{
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_GET_TRACK,
  STMT_FIND_TRACK,
  STMT_FIND_BY_HASH,
  STMT_LIST_UNDER,
  STMT_COUNT_TRACKS,
  STMT_UPSERT_TRACK,
  STMT_UPSERT_FAILURE,
  STMT_DELETE_ATTRIBUTES,
  STMT_INSERT_ATTRIBUTES,
  STMT_DELETE_EMBEDDINGS,
  STMT_INSERT_EMBEDDING,
  STMT_UPDATE_STAMP,
  STMT_SET_STATUS,
  STMT_GET_ATTRIBUTES,
  STMT_GET_EMBEDDING,
  STMT_MAIN_MODEL,
  STMT_GET_SETTING,
  STMT_SET_SETTING,
  STMT_ADD_EVENT,
  STMT_LIST_EVENTS,
  STMT_FIND_PLAYLIST,
  STMT_INSERT_PLAYLIST,
  STMT_PLAYLIST_LENGTH,
  STMT_PLAYLIST_INSERT,
  STMT_PLAYLIST_TRACKS,
  STMT_LIST_PLAYLISTS,
  STMT_INDEX_ROWS,
  STMT_GET_TIMBRE,
  STMT_GET_RHYTHM,
  STMT_INDEX_RHYTHM,
  N_STMTS
} CochleaStmt;

sqlite3      *_cochlea_catalogue_get_db   (CochleaCatalogue *self);
/* The cached statement, reset and with bindings cleared; NULL with @error
 * when it cannot be prepared. */
sqlite3_stmt *_cochlea_catalogue_stmt     (CochleaCatalogue *self,
                                           CochleaStmt       id,
                                           GError          **error);
void          _cochlea_catalogue_set_error (CochleaCatalogue *self,
                                            GError          **error,
                                            int               rc,
                                            const char       *what);
/* Creates a new catalogue at @path holding schema @version (1 ≤ version ≤
 * COCHLEA_CATALOGUE_SCHEMA_VERSION) and closes it: the migration tests
 * start from every earlier version this way. */
gboolean      _cochlea_catalogue_create_at_version (const char *path,
                                                    int         version,
                                                    GError    **error);

G_END_DECLS
