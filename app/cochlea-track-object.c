/* cochlea-track-object.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Immutable: the library list is rebuilt from the catalogue, never edited
 * in place, so the properties are read-only and never notify.  Built off
 * the main thread (cochlea-library-job.c), with the casefolded search text
 * and the sort keys computed once there, so filtering and sorting 10 000
 * rows on the main thread is only strstr() and strcmp().
 *
 * A *row* (cochlea_track_object_new_row()) stands for a track in a list
 * whose rows keep their identity while the tracks they show change (the
 * library's filtered and sorted list, cochlea-library-model.c): every
 * getter, the properties, matching and comparing answer for the track it
 * shows.  Its properties change without notification; the list says when.
 */
#define G_LOG_DOMAIN "cochlea-library"

#include "config.h"

#include <math.h>

#include "cochlea-track-object.h"

struct _CochleaTrackObject
{
  GObject  parent_instance;

  gint64   id;
  char    *path;
  char    *title;       /* tag, or the file name without extension */
  char    *artist;      /* "" when unknown */
  char    *album;       /* "" when unknown */
  char    *haystack;    /* casefolded title, artist, album, file name */
  char    *keys[3];     /* g_utf8_collate_key() of the casefolded title, artist, album */
  double   duration;
  double   tempo;       /* BPM, NAN unknown */
  int      key;         /* 0–11, −1 none */
  int      mode;        /* 1 major, 0 minor, −1 unknown */
  double   energy;      /* 0–1, NAN unknown */

  CochleaTrackObject *shown;  /* (owned) (nullable) a row's track; NULL for a track */
};

G_DEFINE_FINAL_TYPE (CochleaTrackObject, cochlea_track_object, G_TYPE_OBJECT)

/* The object that holds the values: the track itself, or a row's track. */
static inline CochleaTrackObject *
resolve (gconstpointer object)
{
  CochleaTrackObject *self = (CochleaTrackObject *) object;

  return self->shown != NULL ? self->shown : self;
}

enum {
  PROP_0,
  PROP_TITLE,
  PROP_ARTIST,
  PROP_ALBUM,
  PROP_DURATION,
  PROP_TEMPO,
  PROP_KEY,
  PROP_MODE,
  PROP_ENERGY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cochlea_track_object_finalize (GObject *object)
{
  CochleaTrackObject *self = COCHLEA_TRACK_OBJECT (object);

  g_clear_object (&self->shown);
  g_free (self->path);
  g_free (self->title);
  g_free (self->artist);
  g_free (self->album);
  g_free (self->haystack);
  for (guint i = 0; i < G_N_ELEMENTS (self->keys); i++)
    g_free (self->keys[i]);

  G_OBJECT_CLASS (cochlea_track_object_parent_class)->finalize (object);
}

static void
cochlea_track_object_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CochleaTrackObject *self = resolve (COCHLEA_TRACK_OBJECT (object));

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_ARTIST:
      g_value_set_string (value, self->artist);
      break;

    case PROP_ALBUM:
      g_value_set_string (value, self->album);
      break;

    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;

    case PROP_TEMPO:
      g_value_set_double (value, self->tempo);
      break;

    case PROP_KEY:
      g_value_set_int (value, self->key);
      break;

    case PROP_MODE:
      g_value_set_int (value, self->mode);
      break;

    case PROP_ENERGY:
      g_value_set_double (value, self->energy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cochlea_track_object_class_init (CochleaTrackObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cochlea_track_object_finalize;
  object_class->get_property = cochlea_track_object_get_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ARTIST] =
    g_param_spec_string ("artist", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ALBUM] =
    g_param_spec_string ("album", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /* NAN when unknown (GParamSpecDouble accepts it as a value). */
  properties[PROP_TEMPO] =
    g_param_spec_double ("tempo", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_KEY] =
    g_param_spec_int ("key", NULL, NULL, -1, 11, -1,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_MODE] =
    g_param_spec_int ("mode", NULL, NULL, -1, 1, -1,
                      (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_ENERGY] =
    g_param_spec_double ("energy", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cochlea_track_object_init (CochleaTrackObject *self)
{
  self->tempo = NAN;
  self->key = -1;
  self->mode = -1;
  self->energy = NAN;
}

static char *
title_from_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *display = g_filename_display_name (base);
  char *dot = strrchr (display, '.');

  if (dot != NULL && dot != display)
    *dot = '\0';
  return g_steal_pointer (&display);
}

CochleaTrackObject *
cochlea_track_object_new (const CochleaTrack *track)
{
  CochleaTrackObject *self;
  g_autofree char *name = NULL;
  g_autofree char *joined = NULL;

  g_return_val_if_fail (track != NULL, NULL);

  self = g_object_new (COCHLEA_TYPE_TRACK_OBJECT, NULL);
  self->id = track->id;
  self->path = g_strdup (track->path);
  self->title = (track->title != NULL && *track->title != '\0') ? g_strdup (track->title)
                                                                 : title_from_path (track->path);
  self->artist = g_strdup (track->artist ? track->artist : "");
  self->album = g_strdup (track->album ? track->album : "");
  self->duration = track->duration_s;

  name = g_filename_display_basename (track->path);
  joined = g_strjoin ("\n", self->title, self->artist, self->album, name, NULL);
  self->haystack = g_utf8_casefold (joined, -1);

  /* As GtkStringSorter orders: casefolded, then collated. */
  {
    const char *fields[G_N_ELEMENTS (self->keys)] = { self->title, self->artist, self->album };

    for (guint i = 0; i < G_N_ELEMENTS (self->keys); i++)
      {
        g_autofree char *folded = g_utf8_casefold (fields[i], -1);

        self->keys[i] = g_utf8_collate_key (folded, -1);
      }
  }

  return self;
}

CochleaTrackObject *
cochlea_track_object_new_with_columns (const CochleaTrack        *track,
                                       const CochleaTrackColumns *columns)
{
  CochleaTrackObject *self = cochlea_track_object_new (track);

  if (self != NULL && columns != NULL)
    {
      self->tempo = columns->tempo;
      self->key = columns->key >= 0 && columns->key < 12 ? columns->key : -1;
      self->mode = self->key >= 0 && (columns->mode == 0 || columns->mode == 1) ? columns->mode : -1;
      self->energy = columns->energy;
    }
  return self;
}

gint64
cochlea_track_object_get_id (CochleaTrackObject *self)
{
  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (self), -1);
  self = resolve (self);
  return self->id;
}

const char *
cochlea_track_object_get_path (CochleaTrackObject *self)
{
  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (self), NULL);
  self = resolve (self);
  return self->path;
}

const char *
cochlea_track_object_get_title (CochleaTrackObject *self)
{
  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (self), NULL);
  self = resolve (self);
  return self->title;
}

const char *
cochlea_track_object_get_artist (CochleaTrackObject *self)
{
  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (self), NULL);
  self = resolve (self);
  return self->artist;
}

const char *
cochlea_track_object_get_album (CochleaTrackObject *self)
{
  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (self), NULL);
  self = resolve (self);
  return self->album;
}

double
cochlea_track_object_get_duration (CochleaTrackObject *self)
{
  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (self), 0);
  self = resolve (self);
  return self->duration;
}

double
cochlea_track_object_get_tempo (CochleaTrackObject *self)
{
  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (self), NAN);
  self = resolve (self);
  return self->tempo;
}

int
cochlea_track_object_get_key (CochleaTrackObject *self)
{
  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (self), -1);
  self = resolve (self);
  return self->key;
}

int
cochlea_track_object_get_mode (CochleaTrackObject *self)
{
  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (self), -1);
  self = resolve (self);
  return self->mode;
}

double
cochlea_track_object_get_energy (CochleaTrackObject *self)
{
  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (self), NAN);
  self = resolve (self);
  return self->energy;
}

/* Ascending, unknown (NAN) after every known value. */
static int
compare_known_first (double x,
                     double y)
{
  gboolean kx = !isnan (x), ky = !isnan (y);

  if (kx != ky)
    return kx ? -1 : 1;
  if (!kx)
    return 0;
  return (x > y) - (x < y);
}

/**
 * cochlea_track_object_matches:
 * @needle_casefolded: g_utf8_casefold() of the search text
 *
 * Whether title, artist, album or file name contains the text.
 */
gboolean
cochlea_track_object_matches (CochleaTrackObject *self,
                              const char         *needle_casefolded)
{
  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (self), FALSE);

  if (needle_casefolded == NULL || *needle_casefolded == '\0')
    return TRUE;
  self = resolve (self);
  return strstr (self->haystack, needle_casefolded) != NULL;
}

/**
 * cochlea_track_object_compare:
 * @sort: a #CochleaTrackSort, as a pointer
 *
 * Orders two tracks by a column, as GtkStringSorter would (casefolded,
 * collated) but from keys computed when the object was made.  A
 * GCompareDataFunc for gtk_custom_sorter_new().
 */
int
cochlea_track_object_compare (gconstpointer a,
                              gconstpointer b,
                              gpointer      sort)
{
  const CochleaTrackObject *x = resolve (a), *y = resolve (b);
  CochleaTrackSort by = GPOINTER_TO_INT (sort);

  if (by == COCHLEA_TRACK_SORT_DURATION)
    return (x->duration > y->duration) - (x->duration < y->duration);
  if (by == COCHLEA_TRACK_SORT_TEMPO)
    return compare_known_first (x->tempo, y->tempo);
  if (by == COCHLEA_TRACK_SORT_ENERGY)
    return compare_known_first (x->energy, y->energy);
  if (by == COCHLEA_TRACK_SORT_KEY)
    {
      /* 0–11 × 2 + mode; no key after every key. */
      int kx = x->key >= 0 ? x->key * 2 + MAX (x->mode, 0) : G_MAXINT;
      int ky = y->key >= 0 ? y->key * 2 + MAX (y->mode, 0) : G_MAXINT;

      return (kx > ky) - (kx < ky);
    }
  g_return_val_if_fail (by >= 0 && by < (int) G_N_ELEMENTS (x->keys), 0);
  return strcmp (x->keys[by], y->keys[by]);
}

/**
 * cochlea_track_object_new_row:
 * @track: the track the row shows first (not a row)
 *
 * Returns: (transfer full): a row of a list, showing @track.
 */
CochleaTrackObject *
cochlea_track_object_new_row (CochleaTrackObject *track)
{
  CochleaTrackObject *self;

  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (track), NULL);

  self = g_object_new (COCHLEA_TYPE_TRACK_OBJECT, NULL);
  self->shown = g_object_ref (cochlea_track_object_get_track (track));
  return self;
}

/**
 * cochlea_track_object_set_row_track:
 *
 * Makes the row show @track instead.
 */
void
cochlea_track_object_set_row_track (CochleaTrackObject *row,
                                    CochleaTrackObject *track)
{
  g_return_if_fail (COCHLEA_IS_TRACK_OBJECT (row));
  g_return_if_fail (row->shown != NULL);
  g_return_if_fail (COCHLEA_IS_TRACK_OBJECT (track));

  g_set_object (&row->shown, cochlea_track_object_get_track (track));
}

/**
 * cochlea_track_object_get_track:
 *
 * Returns: (transfer none): the track a row shows, or @self for a track.
 */
CochleaTrackObject *
cochlea_track_object_get_track (CochleaTrackObject *self)
{
  g_return_val_if_fail (COCHLEA_IS_TRACK_OBJECT (self), NULL);

  return resolve (self);
}
