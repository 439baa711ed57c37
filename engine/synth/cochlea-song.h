/* cochlea-song.h — one procedurally composed song and its labels.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A CochleaSong is a plain, immutable value made by cochlea_song_compose():
 * a score (MIDI-like note events in samples), the spoken or sung text, the
 * mixing and room settings, and every label known by construction.  It does
 * not touch audio; cochlea-synth renders it.  The same (corpus seed, index,
 * options) always gives the same song.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Instrument families: General MIDI's groups of eight programs, minus the
 * sound effects, plus the GM percussion channel.  The order is the label
 * vocabulary's order (docs/corpus.md). */
typedef enum
{
  COCHLEA_FAMILY_PIANO,
  COCHLEA_FAMILY_CHROMATIC_PERCUSSION,
  COCHLEA_FAMILY_ORGAN,
  COCHLEA_FAMILY_GUITAR,
  COCHLEA_FAMILY_BASS,
  COCHLEA_FAMILY_STRINGS,
  COCHLEA_FAMILY_ENSEMBLE,
  COCHLEA_FAMILY_BRASS,
  COCHLEA_FAMILY_REED,
  COCHLEA_FAMILY_PIPE,
  COCHLEA_FAMILY_SYNTH_LEAD,
  COCHLEA_FAMILY_SYNTH_PAD,
  COCHLEA_FAMILY_DRUMS,
  COCHLEA_N_FAMILIES
} CochleaFamily;

/* The parts of a song.  MIDI parts have a channel; voice and speech are
 * rendered by espeak-ng. */
typedef enum
{
  COCHLEA_PART_MELODY,
  COCHLEA_PART_CHORDS,
  COCHLEA_PART_BASS,
  COCHLEA_PART_PAD,
  COCHLEA_PART_DRUMS,
  COCHLEA_PART_VOICE,
  COCHLEA_PART_SPEECH,
  COCHLEA_N_PARTS
} CochleaPart;

#define COCHLEA_PART_MASK(p)    (1u << (p))
#define COCHLEA_PART_MASK_ALL   ((1u << COCHLEA_N_PARTS) - 1)

typedef enum
{
  COCHLEA_NOTE_ON,
  COCHLEA_NOTE_OFF,
} CochleaNoteEventType;

typedef struct
{
  gint64  sample;     /* when, in samples from the start */
  guint8  type;       /* CochleaNoteEventType */
  guint8  part;       /* CochleaPart (its MIDI channel is fixed) */
  guint8  key;        /* MIDI key */
  guint8  velocity;
} CochleaNoteEvent;

/* One sung syllable, following the melody. */
typedef struct
{
  gint64  start;      /* samples */
  gint64  length;     /* samples */
  int     key;        /* MIDI key the syllable is sung at */
  int     syllable;   /* index into cochlea_song_syllables () */
  float   vibrato_depth;  /* semitones, peak (0 = none) */
  float   vibrato_rate;   /* Hz */
} CochleaSungNote;

/* One spoken phrase. */
typedef struct
{
  gint64  start;      /* samples */
  char   *text;
} CochleaSpokenLine;

typedef struct
{
  gboolean    present;
  int         program;      /* GM program 0–127 (drum kit for drums) */
  int         bank;         /* 0, or 128 for drums */
  int         family;       /* CochleaFamily */
  gboolean    acoustic;     /* an acoustic instrument (not electric/electronic) */
  double      level_db;     /* mix level */
  double      pan;          /* -1 left … 1 right */
  const char *name;         /* GM name, static */
} CochleaSongPartInfo;

typedef struct
{
  double   duration;          /* seconds (default 30) */
  int      sample_rate;       /* Hz (default 22050) */
  /* Probabilities of song categories; tests use them to force a kind. */
  double   p_drums;           /* drums in a music song (default 0.75) */
  double   p_voice;           /* sung voice (default 0.25) */
  double   p_speech;          /* spoken word (default 0.2) */
  double   p_live;            /* room + crowd (default 0.2) */
  gboolean allow_no_music;    /* speech alone is allowed (default TRUE) */
} CochleaSongOptions;

typedef struct
{
  /* Identity */
  guint64  corpus_seed;
  guint    index;
  guint64  song_seed;
  double   duration;          /* seconds */
  int      sample_rate;
  gint64   n_samples;

  /* Musical labels (meaningless, and set to 0 / -1, when !music) */
  gboolean music;             /* any instrument plays */
  double   tempo;             /* BPM, quarter-note beats; exact */
  int      time_signature;    /* beats per bar: 3, 4 or 5 (beat = quarter note) */
  double   first_downbeat;    /* seconds */
  GArray  *beats;             /* double seconds, every beat inside the clip */
  GArray  *downbeats;         /* double seconds, the first beat of each bar */
  int      key;               /* tonic pitch class, C = 0, -1 if !music */
  int      mode;              /* 1 major, 0 minor, -1 if !music */
  char    *progression;       /* roman numerals, e.g. "I-V-vi-IV" */
  char    *style;             /* "acoustic", "electronic" or "mixed" */

  CochleaSongPartInfo parts[COCHLEA_N_PARTS];

  /* Content labels */
  guint    families;          /* bit mask of CochleaFamily present */
  gboolean drums;
  gboolean voice;             /* sung voice present */
  gboolean speech;            /* spoken words present */
  double   acoustic;          /* fraction of instrument parts that are acoustic */
  gboolean live;              /* room reverb + crowd noise */

  /* Production */
  char    *voice_name;        /* espeak-ng voice, or NULL */
  int      voice_pitch;       /* espeak-ng -p 0–99 for speech */
  int      speech_rate;       /* espeak-ng -s words per minute */
  double   reverb_room;       /* 0–1 room size, 0 = dry */
  double   reverb_wet;        /* 0–1 */
  double   crowd_db;          /* crowd level, relative to the music */
  double   target_rms_db;     /* level of the final mix, dBFS */
  double   humanize_ms;       /* SD of the pitched parts' timing around the grid */

  /* Score */
  GArray    *events;          /* CochleaNoteEvent, sorted by sample */
  GArray    *sung;            /* CochleaSungNote */
  GPtrArray *spoken;          /* CochleaSpokenLine * */
} CochleaSong;

void         cochlea_song_options_init_default (CochleaSongOptions       *options);
guint64      cochlea_song_seed                 (guint64                   corpus_seed,
                                                guint                     index);
CochleaSong *cochlea_song_compose              (guint64                   corpus_seed,
                                                guint                     index,
                                                const CochleaSongOptions *options) G_GNUC_WARN_UNUSED_RESULT;
void         cochlea_song_free                 (CochleaSong              *song);

/* Labels as the JSON object documented in docs/corpus.md. */
JsonNode    *cochlea_song_labels_to_json       (const CochleaSong        *song,
                                                const char               *soundfont_name,
                                                const char               *audio_name) G_GNUC_WARN_UNUSED_RESULT;

const char  *cochlea_family_name               (CochleaFamily             family);
const char  *cochlea_part_name                 (CochleaPart               part);
const char  *cochlea_key_name                  (int                       pitch_class);
/* NULL-terminated list of the syllables sung voices use. */
const char * const *cochlea_song_syllables     (void);
/* The MIDI channel a MIDI part plays on (9 for drums), -1 otherwise. */
int          cochlea_part_channel              (CochleaPart               part);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaSong, cochlea_song_free)

G_END_DECLS
