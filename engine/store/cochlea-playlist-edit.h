/* cochlea-playlist-edit.h — renaming, deleting and trimming playlists in
 * the catalogue (an additive companion to cochlea-catalogue.h's create,
 * append and list, used by the app's playlists sidebar)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-catalogue.h"

G_BEGIN_DECLS

/* COCHLEA_STORE_ERROR_INVALID for an empty name or one another playlist
 * has; COCHLEA_STORE_ERROR_NOT_FOUND when @playlist_id does not exist. */
gboolean cochlea_catalogue_rename_playlist (CochleaCatalogue  *self,
                                            gint64             playlist_id,
                                            const char        *name,
                                            GError           **error);
/* Deletes the playlist and its items (not the tracks). */
gboolean cochlea_catalogue_delete_playlist (CochleaCatalogue  *self,
                                            gint64             playlist_id,
                                            GError           **error);
/* Removes the item at @index (0-based, in playlist order). */
gboolean cochlea_catalogue_playlist_remove (CochleaCatalogue  *self,
                                            gint64             playlist_id,
                                            guint              index,
                                            GError           **error);

G_END_DECLS
