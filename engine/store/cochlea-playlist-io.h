/* cochlea-playlist-io.h — M3U8 and XSPF playlists, UTF-8, paths relative
 * to the playlist where possible.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  COCHLEA_PLAYLIST_M3U8,
  COCHLEA_PLAYLIST_XSPF,
} CochleaPlaylistFormat;

typedef struct
{
  char   *path;        /* absolute, file name encoding */
  char   *title;       /* (nullable) UTF-8 */
  char   *artist;      /* (nullable) */
  char   *album;       /* (nullable) */
  double  duration_s;  /* ≤ 0 when unknown */
} CochleaPlaylistEntry;

CochleaPlaylistEntry *cochlea_playlist_entry_new  (const char *path,
                                                   const char *title,
                                                   const char *artist,
                                                   const char *album,
                                                   double      duration_s) G_GNUC_WARN_UNUSED_RESULT;
void                  cochlea_playlist_entry_free (CochleaPlaylistEntry *entry);

/* From the extension: .m3u8/.m3u or .xspf. */
gboolean   cochlea_playlist_format_for_file (const char             *file,
                                             CochleaPlaylistFormat  *format,
                                             GError                **error);
/* @path relative to @dir ("../b/c.ogg") when both lie in the same
 * top-level folder, else NULL (keep it absolute). */
char      *cochlea_playlist_relative_path   (const char             *dir,
                                             const char             *path) G_GNUC_WARN_UNUSED_RESULT;
/* Writes atomically (temporary file + rename). @entries: CochleaPlaylistEntry* */
gboolean   cochlea_playlist_write           (const char             *file,
                                             CochleaPlaylistFormat   format,
                                             const char             *name,
                                             GPtrArray              *entries,
                                             GError                **error);
/* Returns (element-type CochleaPlaylistEntry) with absolute paths; @name
 * (nullable) receives the playlist's title when it has one. */
GPtrArray *cochlea_playlist_read            (const char             *file,
                                             char                  **name,
                                             GError                **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaPlaylistEntry, cochlea_playlist_entry_free)

G_END_DECLS
