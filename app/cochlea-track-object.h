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
/* With tempo, key, mode and energy (@columns nullable: all unknown). */
CochleaTrackObject *cochlea_track_object_new_with_columns (const CochleaTrack        *track,
                                                           const CochleaTrackColumns *columns) G_GNUC_WARN_UNUSED_RESULT;
/* A row of a list: stands for @track until given another (the getters
 * answer for the track shown). */
CochleaTrackObject *cochlea_track_object_new_row      (CochleaTrackObject *track) G_GNUC_WARN_UNUSED_RESULT;
void                cochlea_track_object_set_row_track (CochleaTrackObject *row,
                                                        CochleaTrackObject *track);
CochleaTrackObject *cochlea_track_object_get_track    (CochleaTrackObject *self);
gint64              cochlea_track_object_get_id       (CochleaTrackObject *self);
const char         *cochlea_track_object_get_path     (CochleaTrackObject *self);
const char         *cochlea_track_object_get_title    (CochleaTrackObject *self);
const char         *cochlea_track_object_get_artist   (CochleaTrackObject *self);
const char         *cochlea_track_object_get_album    (CochleaTrackObject *self);
double              cochlea_track_object_get_duration (CochleaTrackObject *self);
double              cochlea_track_object_get_tempo    (CochleaTrackObject *self);  /* NAN unknown */
int                 cochlea_track_object_get_key      (CochleaTrackObject *self);  /* 0–11, −1 none */
int                 cochlea_track_object_get_mode     (CochleaTrackObject *self);  /* 1 major, 0 minor, −1 */
double              cochlea_track_object_get_energy   (CochleaTrackObject *self);  /* NAN unknown */
gboolean            cochlea_track_object_matches      (CochleaTrackObject *self,
                                                       const char         *needle_casefolded);

/* What the library's columns sort by (a GtkCustomSorter's user data). */
typedef enum
{
  COCHLEA_TRACK_SORT_TITLE,
  COCHLEA_TRACK_SORT_ARTIST,
  COCHLEA_TRACK_SORT_ALBUM,
  COCHLEA_TRACK_SORT_DURATION,
  COCHLEA_TRACK_SORT_TEMPO,     /* unknown last */
  COCHLEA_TRACK_SORT_KEY,       /* pitch class, then mode; no key last */
  COCHLEA_TRACK_SORT_ENERGY,    /* unknown last */
} CochleaTrackSort;

int                 cochlea_track_object_compare      (gconstpointer       a,
                                                       gconstpointer       b,
                                                       gpointer            sort);

G_END_DECLS
