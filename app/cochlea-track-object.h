/* cochlea-track-object.h — a catalogue track as a GObject for list models
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cochlea-engine.h"

G_BEGIN_DECLS

#define COCHLEA_TYPE_TRACK_OBJECT (cochlea_track_object_get_type ())

G_DECLARE_FINAL_TYPE (CochleaTrackObject, cochlea_track_object, COCHLEA, TRACK_OBJECT, GObject)

CochleaTrackObject *cochlea_track_object_new          (const CochleaTrack *track) G_GNUC_WARN_UNUSED_RESULT;
gint64              cochlea_track_object_get_id       (CochleaTrackObject *self);
const char         *cochlea_track_object_get_path     (CochleaTrackObject *self);
const char         *cochlea_track_object_get_title    (CochleaTrackObject *self);
const char         *cochlea_track_object_get_artist   (CochleaTrackObject *self);
const char         *cochlea_track_object_get_album    (CochleaTrackObject *self);
double              cochlea_track_object_get_duration (CochleaTrackObject *self);
gboolean            cochlea_track_object_matches      (CochleaTrackObject *self,
                                                       const char         *needle_casefolded);

/* What the library's columns sort by (a GtkCustomSorter's user data). */
typedef enum
{
  COCHLEA_TRACK_SORT_TITLE,
  COCHLEA_TRACK_SORT_ARTIST,
  COCHLEA_TRACK_SORT_ALBUM,
  COCHLEA_TRACK_SORT_DURATION,
} CochleaTrackSort;

int                 cochlea_track_object_compare      (gconstpointer       a,
                                                       gconstpointer       b,
                                                       gpointer            sort);

G_END_DECLS
