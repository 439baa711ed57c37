/* cochlea-player.h — playback for the app (decoding for analysis is the engine's)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define COCHLEA_TYPE_PLAYER (cochlea_player_get_type ())

G_DECLARE_FINAL_TYPE (CochleaPlayer, cochlea_player, COCHLEA, PLAYER, GObject)

CochleaPlayer *cochlea_player_new              (void) G_GNUC_WARN_UNUSED_RESULT;
const char    *cochlea_player_get_uri          (CochleaPlayer *self);
gboolean       cochlea_player_get_playing      (CochleaPlayer *self);
gboolean       cochlea_player_get_audio_device (CochleaPlayer *self);
double         cochlea_player_get_duration     (CochleaPlayer *self);
double         cochlea_player_get_position     (CochleaPlayer *self);
double         cochlea_player_get_volume       (CochleaPlayer *self);
void           cochlea_player_set_uri          (CochleaPlayer *self,
                                                const char    *uri);
void           cochlea_player_set_volume       (CochleaPlayer *self,
                                                double         volume);
void           cochlea_player_play             (CochleaPlayer *self);
void           cochlea_player_pause            (CochleaPlayer *self);
void           cochlea_player_toggle           (CochleaPlayer *self);
void           cochlea_player_seek             (CochleaPlayer *self,
                                                double         seconds);

G_END_DECLS
