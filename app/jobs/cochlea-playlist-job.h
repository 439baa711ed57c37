/* cochlea-playlist-job.h — the catalogue's playlists, read and changed off
 * the main thread; every request answers with the fresh list of playlists
 * and the tracks of the one shown, so the sidebar simply redraws
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-engine.h"

G_BEGIN_DECLS

typedef enum
{
  COCHLEA_PLAYLIST_OP_LIST,    /* nothing changes; @name (nullable) is shown */
  COCHLEA_PLAYLIST_OP_CREATE,  /* @name */
  COCHLEA_PLAYLIST_OP_RENAME,  /* @name → @new_name */
  COCHLEA_PLAYLIST_OP_DELETE,  /* @name */
  COCHLEA_PLAYLIST_OP_ADD,     /* @track_path appended to @name */
  COCHLEA_PLAYLIST_OP_REMOVE,  /* item @index of @name */
  COCHLEA_PLAYLIST_OP_EXPORT,  /* @name written to @export_path (.m3u8 or .xspf) */
} CochleaPlaylistOp;

typedef struct
{
  CochleaPlaylistOp  op;
  const char        *name;
  const char        *new_name;
  const char        *track_path;
  guint              index;
  const char        *export_path;
  gboolean           record;       /* ADD: record a playlist-add event (FALSE in private mode) */
} CochleaPlaylistRequest;

typedef struct
{
  GPtrArray *names;     /* (element-type utf8) every playlist, by name */
  char      *shown;     /* (nullable) the playlist whose tracks follow */
  GPtrArray *tracks;    /* (element-type CochleaTrack) its tracks, in order */
  gboolean   recorded;  /* ADD: a playlist-add event was written */
} CochleaPlaylistResult;

void                   cochlea_playlist_result_free   (CochleaPlaylistResult        *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaPlaylistResult, cochlea_playlist_result_free)

/* @request is copied. */
void                   cochlea_playlist_job_run_async (const char                   *catalogue_path,
                                                       const CochleaPlaylistRequest *request,
                                                       GCancellable                 *cancellable,
                                                       GAsyncReadyCallback           callback,
                                                       gpointer                      user_data);
CochleaPlaylistResult *cochlea_playlist_job_finish    (GAsyncResult                 *result,
                                                       GError                      **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
