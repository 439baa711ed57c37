/* cochlea-channel-job.h — which songs in the library excite each channel
 * of the network most: per track, per layer, per channel the mean
 * activation over a few windows of the song, computed lazily off the main
 * thread from the library's files (the catalogue keeps only the final
 * embedding, not the inner layers)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-engine.h"

G_BEGIN_DECLS

/* Windows of the song looked at, evenly spread; enough to tell a channel
 * that fires on the chorus from one that never fires. */
#define COCHLEA_CHANNEL_WINDOWS 3

typedef struct _CochleaChannelIndex CochleaChannelIndex;

typedef struct
{
  guint   track;    /* index into the index's tracks */
  double  value;    /* mean activation */
} CochleaChannelHit;

CochleaChannelIndex *cochlea_channel_index_ref          (CochleaChannelIndex *self);
void                 cochlea_channel_index_unref        (CochleaChannelIndex *self);
guint                cochlea_channel_index_get_n_tracks (CochleaChannelIndex *self);
const char          *cochlea_channel_index_get_title    (CochleaChannelIndex *self,
                                                         guint                track);
const char          *cochlea_channel_index_get_path     (CochleaChannelIndex *self,
                                                         guint                track);
/* -1 when no layer has that name. */
int                  cochlea_channel_index_find_layer   (CochleaChannelIndex *self,
                                                         const char          *name);
guint                cochlea_channel_index_get_n_channels (CochleaChannelIndex *self,
                                                           guint                layer);
double               cochlea_channel_index_get_value    (CochleaChannelIndex *self,
                                                         guint                layer,
                                                         guint                channel,
                                                         guint                track);
/* Up to @k tracks with the highest mean activation of @channel, highest
 * first (ties: library order).  Returns how many were written to @hits. */
guint                cochlea_channel_index_top          (CochleaChannelIndex *self,
                                                         guint                layer,
                                                         guint                channel,
                                                         guint                k,
                                                         CochleaChannelHit   *hits);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaChannelIndex, cochlea_channel_index_unref)

/* @paths, @titles: (array length=n_tracks) the library's songs; copied.
 * @done: (nullable) a g_atomic_rc_box counter, incremented (atomically)
 *   after each song, for progress; the job holds a reference.
 * Songs that cannot be decoded are left out (their values are NAN). */
void                 cochlea_channel_index_build_async  (CochleaModel         *model,
                                                         const char * const   *paths,
                                                         const char * const   *titles,
                                                         guint                 n_tracks,
                                                         guint                *done,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
CochleaChannelIndex *cochlea_channel_index_build_finish (GAsyncResult         *result,
                                                         GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
