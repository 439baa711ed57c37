/* cochlea-demo-names.h — readable titles, artists and albums for the demo
 * library, derived from each song's labels and written into its WAV file as
 * a RIFF LIST/INFO chunk, which the importer reads as tags.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* From the labels of one song (DIR/NNNNN.json); any may be missing.  The
 * same labels always give the same names; they are data, not UI, so they are
 * not translated.  Returns newly allocated strings. */
void     cochlea_demo_names_for_labels (const char  *key_name,
                                        double       tempo,
                                        const char  *style,
                                        const char  *song_seed,
                                        guint        index,
                                        char       **title,
                                        char       **artist,
                                        char       **album);

/* Reads DIR/NNNNN.json for songs 0 … n_songs-1 and gives DIR/NNNNN.wav a
 * LIST/INFO chunk (INAM title, IART artist, IPRD album) before its data
 * chunk, unless it already has a LIST chunk.  Each file is rewritten to a
 * temporary name and renamed. */
gboolean cochlea_demo_names_write      (const char    *dir,
                                        guint          n_songs,
                                        GCancellable  *cancellable,
                                        GError       **error);

G_END_DECLS
