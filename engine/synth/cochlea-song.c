/* cochlea-song.c — composing a song from a seed: tempo, metre, key, chords,
 * melody, bass, drums, instruments, voice or speech, room; and its labels.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every random choice is drawn from one CochleaRng seeded with
 * cochlea_song_seed (corpus_seed, index), in a fixed order, so a song
 * depends only on those two numbers and the options: not on the number of
 * jobs, the order songs are made in, or songs made before.
 */
#define G_LOG_DOMAIN "cochlea-synth"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-rng-private.h"
#include "cochlea-song.h"

enum
{
  ROLE_MELODY = 1 << 0,
  ROLE_CHORDS = 1 << 1,
  ROLE_BASS   = 1 << 2,
  ROLE_PAD    = 1 << 3,
};

typedef struct
{
  int         program;
  int         family;
  gboolean    acoustic;
  guint       roles;
  const char *name;
} Instrument;

#define M ROLE_MELODY
#define C ROLE_CHORDS
#define B ROLE_BASS
#define P ROLE_PAD
/* A curated subset of General MIDI: programs that sound like their family
 * in both Debian SoundFonts, without the choir/voice patches (they would
 * blur the voice label) and without sound effects. */
static const Instrument instruments[] = {
  {  0, COCHLEA_FAMILY_PIANO, TRUE, M | C, "Acoustic Grand Piano" },
  {  1, COCHLEA_FAMILY_PIANO, TRUE, M | C, "Bright Acoustic Piano" },
  {  4, COCHLEA_FAMILY_PIANO, FALSE, M | C, "Electric Piano 1" },
  {  5, COCHLEA_FAMILY_PIANO, FALSE, C, "Electric Piano 2" },
  {  8, COCHLEA_FAMILY_CHROMATIC_PERCUSSION, TRUE, M, "Celesta" },
  { 10, COCHLEA_FAMILY_CHROMATIC_PERCUSSION, TRUE, M, "Music Box" },
  { 11, COCHLEA_FAMILY_CHROMATIC_PERCUSSION, TRUE, M | C, "Vibraphone" },
  { 12, COCHLEA_FAMILY_CHROMATIC_PERCUSSION, TRUE, M | C, "Marimba" },
  { 13, COCHLEA_FAMILY_CHROMATIC_PERCUSSION, TRUE, M, "Xylophone" },
  { 16, COCHLEA_FAMILY_ORGAN, FALSE, C | P, "Drawbar Organ" },
  { 17, COCHLEA_FAMILY_ORGAN, FALSE, C, "Percussive Organ" },
  { 18, COCHLEA_FAMILY_ORGAN, FALSE, M | C, "Rock Organ" },
  { 19, COCHLEA_FAMILY_ORGAN, TRUE, C | P, "Church Organ" },
  { 21, COCHLEA_FAMILY_ORGAN, TRUE, M | C, "Accordion" },
  { 24, COCHLEA_FAMILY_GUITAR, TRUE, M | C, "Acoustic Guitar (nylon)" },
  { 25, COCHLEA_FAMILY_GUITAR, TRUE, M | C, "Acoustic Guitar (steel)" },
  { 26, COCHLEA_FAMILY_GUITAR, FALSE, M | C, "Electric Guitar (jazz)" },
  { 27, COCHLEA_FAMILY_GUITAR, FALSE, M | C, "Electric Guitar (clean)" },
  { 29, COCHLEA_FAMILY_GUITAR, FALSE, M | C, "Overdriven Guitar" },
  { 30, COCHLEA_FAMILY_GUITAR, FALSE, M, "Distortion Guitar" },
  { 32, COCHLEA_FAMILY_BASS, TRUE, B, "Acoustic Bass" },
  { 33, COCHLEA_FAMILY_BASS, FALSE, B, "Electric Bass (finger)" },
  { 34, COCHLEA_FAMILY_BASS, FALSE, B, "Electric Bass (pick)" },
  { 35, COCHLEA_FAMILY_BASS, FALSE, B, "Fretless Bass" },
  { 38, COCHLEA_FAMILY_BASS, FALSE, B, "Synth Bass 1" },
  { 39, COCHLEA_FAMILY_BASS, FALSE, B, "Synth Bass 2" },
  { 40, COCHLEA_FAMILY_STRINGS, TRUE, M, "Violin" },
  { 41, COCHLEA_FAMILY_STRINGS, TRUE, M, "Viola" },
  { 42, COCHLEA_FAMILY_STRINGS, TRUE, M, "Cello" },
  { 45, COCHLEA_FAMILY_STRINGS, TRUE, C, "Pizzicato Strings" },
  { 46, COCHLEA_FAMILY_STRINGS, TRUE, M | C, "Orchestral Harp" },
  { 48, COCHLEA_FAMILY_ENSEMBLE, TRUE, C | P, "String Ensemble 1" },
  { 49, COCHLEA_FAMILY_ENSEMBLE, TRUE, P, "String Ensemble 2" },
  { 50, COCHLEA_FAMILY_ENSEMBLE, FALSE, C | P, "Synth Strings 1" },
  { 56, COCHLEA_FAMILY_BRASS, TRUE, M, "Trumpet" },
  { 57, COCHLEA_FAMILY_BRASS, TRUE, M, "Trombone" },
  { 60, COCHLEA_FAMILY_BRASS, TRUE, M | P, "French Horn" },
  { 61, COCHLEA_FAMILY_BRASS, TRUE, M | C, "Brass Section" },
  { 62, COCHLEA_FAMILY_BRASS, FALSE, M | C, "Synth Brass 1" },
  { 64, COCHLEA_FAMILY_REED, TRUE, M, "Soprano Sax" },
  { 65, COCHLEA_FAMILY_REED, TRUE, M, "Alto Sax" },
  { 66, COCHLEA_FAMILY_REED, TRUE, M, "Tenor Sax" },
  { 68, COCHLEA_FAMILY_REED, TRUE, M, "Oboe" },
  { 70, COCHLEA_FAMILY_REED, TRUE, M, "Bassoon" },
  { 71, COCHLEA_FAMILY_REED, TRUE, M, "Clarinet" },
  { 72, COCHLEA_FAMILY_PIPE, TRUE, M, "Piccolo" },
  { 73, COCHLEA_FAMILY_PIPE, TRUE, M, "Flute" },
  { 74, COCHLEA_FAMILY_PIPE, TRUE, M, "Recorder" },
  { 75, COCHLEA_FAMILY_PIPE, TRUE, M, "Pan Flute" },
  { 80, COCHLEA_FAMILY_SYNTH_LEAD, FALSE, M, "Lead 1 (square)" },
  { 81, COCHLEA_FAMILY_SYNTH_LEAD, FALSE, M, "Lead 2 (sawtooth)" },
  { 82, COCHLEA_FAMILY_SYNTH_LEAD, FALSE, M, "Lead 3 (calliope)" },
  { 84, COCHLEA_FAMILY_SYNTH_LEAD, FALSE, M, "Lead 5 (charang)" },
  { 87, COCHLEA_FAMILY_SYNTH_LEAD, FALSE, M, "Lead 8 (bass + lead)" },
  { 88, COCHLEA_FAMILY_SYNTH_PAD, FALSE, P | C, "Pad 1 (new age)" },
  { 89, COCHLEA_FAMILY_SYNTH_PAD, FALSE, P | C, "Pad 2 (warm)" },
  { 90, COCHLEA_FAMILY_SYNTH_PAD, FALSE, P | C, "Pad 3 (polysynth)" },
  { 92, COCHLEA_FAMILY_SYNTH_PAD, FALSE, P, "Pad 5 (bowed)" },
  { 95, COCHLEA_FAMILY_SYNTH_PAD, FALSE, P, "Pad 8 (sweep)" },
};
#undef M
#undef C
#undef B
#undef P

typedef struct
{
  int         program;
  gboolean    acoustic;
  const char *name;
} DrumKit;

static const DrumKit drum_kits[] = {
  {  0, TRUE, "Standard Kit" },
  {  8, TRUE, "Room Kit" },
  { 16, TRUE, "Power Kit" },
  { 32, TRUE, "Jazz Kit" },
  { 40, TRUE, "Brush Kit" },
  { 24, FALSE, "Electronic Kit" },
  { 25, FALSE, "TR-808 Kit" },
};

static const char * const family_names[COCHLEA_N_FAMILIES] = {
  "piano", "chromatic_percussion", "organ", "guitar", "bass", "strings",
  "ensemble", "brass", "reed", "pipe", "synth_lead", "synth_pad", "drums",
};

static const char * const part_names[COCHLEA_N_PARTS] = {
  "melody", "chords", "bass", "pad", "drums", "voice", "speech",
};

static const char * const key_names[12] = {
  "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B",
};

static const char * const syllables[] = {
  "la", "na", "da", "oh", "ah", "mi", "no", "lo", "ya", "hey", "do", "ma", NULL
};

/* Chord progressions as 0-based scale degrees, one chord per bar. */
typedef struct
{
  int         degrees[4];
  const char *roman;
} Progression;

static const Progression major_progressions[] = {
  { { 0, 4, 5, 3 }, "I-V-vi-IV" },
  { { 0, 3, 4, 0 }, "I-IV-V-I" },
  { { 0, 5, 3, 4 }, "I-vi-IV-V" },
  { { 0, 3, 0, 4 }, "I-IV-I-V" },
  { { 0, 5, 1, 4 }, "I-vi-ii-V" },
  { { 1, 4, 0, 0 }, "ii-V-I-I" },
  { { 0, 2, 3, 4 }, "I-iii-IV-V" },
  { { 3, 4, 0, 0 }, "IV-V-I-I" },
};

static const Progression minor_progressions[] = {
  { { 0, 5, 2, 6 }, "i-VI-III-VII" },
  { { 0, 3, 4, 0 }, "i-iv-V-i" },
  { { 0, 6, 5, 4 }, "i-VII-VI-V" },
  { { 0, 3, 6, 2 }, "i-iv-VII-III" },
  { { 0, 5, 3, 4 }, "i-VI-iv-V" },
  { { 0, 3, 0, 4 }, "i-iv-i-V" },
  { { 0, 0, 3, 4 }, "i-i-iv-V" },
};

static const int major_scale[7] = { 0, 2, 4, 5, 7, 9, 11 };
static const int minor_scale[7] = { 0, 2, 3, 5, 7, 8, 10 };

/* GM percussion keys. */
enum
{
  DRUM_KICK = 36,
  DRUM_STICK = 37,
  DRUM_SNARE = 38,
  DRUM_CLAP = 39,
  DRUM_TOM_LOW = 45,
  DRUM_TOM_MID = 47,
  DRUM_TOM_HIGH = 50,
  DRUM_HAT_CLOSED = 42,
  DRUM_HAT_PEDAL = 44,
  DRUM_HAT_OPEN = 46,
  DRUM_CRASH = 49,
  DRUM_RIDE = 51,
};

static const char * const words_subject[] = {
  "the river", "my neighbour", "a quiet city", "the old radio", "every morning",
  "the teacher", "this small machine", "the evening train", "our garden",
  "the lighthouse", "a distant storm", "the museum", "her grandfather",
};
static const char * const words_verb[] = {
  "remembers", "carries", "follows", "describes", "waits for", "builds",
  "opens", "listens to", "paints", "discovers", "explains", "forgets",
};
static const char * const words_object[] = {
  "the silver morning", "a forgotten letter", "the sound of rain",
  "seven green windows", "the northern road", "a story about the sea",
  "the last summer", "an empty theatre", "the colour of autumn",
  "a thousand questions", "the weekly market", "the light in the hallway",
};
static const char * const words_tail[] = {
  "", " and then it is quiet again", " before the sun goes down",
  " while nobody is watching", " because it is Tuesday",
  " in the middle of the night", " with a careful smile", "",
};

static const char * const male_voices[] = {
  "en+m1", "en+m3", "en+m7", "en-us+m2", "en+michael", "en-us+m4",
};
static const char * const female_voices[] = {
  "en+f1", "en+f2", "en+f3", "en-us+f4", "en+f5", "en-us+f2",
};

void
cochlea_song_options_init_default (CochleaSongOptions *options)
{
  g_return_if_fail (options != NULL);

  options->duration = 30.0;
  options->sample_rate = 22050;
  options->p_drums = 0.75;
  options->p_voice = 0.25;
  options->p_speech = 0.2;
  options->p_live = 0.2;
  options->allow_no_music = TRUE;
}

guint64
cochlea_song_seed (guint64 corpus_seed,
                   guint   index)
{
  guint64 x = corpus_seed;
  guint64 a = cochlea_splitmix64 (&x);
  guint64 y = a ^ ((guint64) index * G_GUINT64_CONSTANT (0xD1B54A32D192ED03));

  return cochlea_splitmix64 (&y);
}

const char *
cochlea_family_name (CochleaFamily family)
{
  g_return_val_if_fail (family < COCHLEA_N_FAMILIES, NULL);
  return family_names[family];
}

const char *
cochlea_part_name (CochleaPart part)
{
  g_return_val_if_fail (part < COCHLEA_N_PARTS, NULL);
  return part_names[part];
}

const char *
cochlea_key_name (int pitch_class)
{
  g_return_val_if_fail (pitch_class >= 0 && pitch_class < 12, NULL);
  return key_names[pitch_class];
}

const char * const *
cochlea_song_syllables (void)
{
  return syllables;
}

int
cochlea_part_channel (CochleaPart part)
{
  switch (part)
    {
    case COCHLEA_PART_MELODY: return 0;
    case COCHLEA_PART_CHORDS: return 1;
    case COCHLEA_PART_BASS: return 2;
    case COCHLEA_PART_PAD: return 3;
    case COCHLEA_PART_DRUMS: return 9;
    case COCHLEA_PART_VOICE:
    case COCHLEA_PART_SPEECH:
    case COCHLEA_N_PARTS:
    default:
      return -1;
    }
}

static void
spoken_line_free (gpointer data)
{
  CochleaSpokenLine *line = data;

  g_free (line->text);
  g_free (line);
}

void
cochlea_song_free (CochleaSong *song)
{
  if (song == NULL)
    return;
  g_clear_pointer (&song->beats, g_array_unref);
  g_clear_pointer (&song->downbeats, g_array_unref);
  g_clear_pointer (&song->events, g_array_unref);
  g_clear_pointer (&song->sung, g_array_unref);
  g_clear_pointer (&song->spoken, g_ptr_array_unref);
  g_free (song->progression);
  g_free (song->style);
  g_free (song->voice_name);
  g_free (song);
}

/* How often a family is drawn for a role, relative to the others: organs
 * fit both instrument sets and both accompaniment roles, so they are drawn
 * less; families that only lead (synth leads only in electronic sets;
 * reeds, pipes, solo strings) more.  Tuned so that, over a corpus, every
 * family appears in at least 7 % of the songs (docs/corpus.md). */
static double
family_weight (int   family,
               guint role)
{
  switch (family)
    {
    case COCHLEA_FAMILY_ORGAN:
      return (role & (ROLE_CHORDS | ROLE_PAD)) ? 0.4 : 1.0;
    case COCHLEA_FAMILY_SYNTH_LEAD:
      return 3.0;
    case COCHLEA_FAMILY_REED:
    case COCHLEA_FAMILY_PIPE:
    case COCHLEA_FAMILY_STRINGS:
      return (role & ROLE_MELODY) ? 2.2 : 1.0;
    case COCHLEA_FAMILY_CHROMATIC_PERCUSSION:
      return (role & ROLE_MELODY) ? 1.5 : 1.0;
    case COCHLEA_FAMILY_SYNTH_PAD:
      return 1.5;
    default:
      return 1.0;
    }
}

/* Picks an instrument for @role: a family first (by family_weight(), so
 * families are balanced whatever their number of programs), then a program
 * in it uniformly.
 * @acoustic: 1 only acoustic, 0 only electric/electronic, -1 either. */
static const Instrument *
pick_instrument (CochleaRng *rng,
                 guint       role,
                 int         acoustic)
{
  int families[COCHLEA_N_FAMILIES];
  double weights[COCHLEA_N_FAMILIES];
  int n_families = 0, family, n = 0, choice;

  for (int f = 0; f < COCHLEA_N_FAMILIES; f++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (instruments); i++)
        {
          const Instrument *ins = &instruments[i];
          if (ins->family == f && (ins->roles & role) &&
              (acoustic < 0 || ins->acoustic == (acoustic == 1)))
            {
              weights[n_families] = family_weight (f, role);
              families[n_families++] = f;
              break;
            }
        }
    }
  g_assert (n_families > 0);
  family = families[cochlea_rng_weighted (rng, weights, n_families)];

  for (guint i = 0; i < G_N_ELEMENTS (instruments); i++)
    {
      const Instrument *ins = &instruments[i];
      if (ins->family == family && (ins->roles & role) &&
          (acoustic < 0 || ins->acoustic == (acoustic == 1)))
        n++;
    }
  choice = cochlea_rng_int (rng, n);
  for (guint i = 0; i < G_N_ELEMENTS (instruments); i++)
    {
      const Instrument *ins = &instruments[i];
      if (ins->family == family && (ins->roles & role) &&
          (acoustic < 0 || ins->acoustic == (acoustic == 1)))
        {
          if (choice-- == 0)
            return ins;
        }
    }
  g_assert_not_reached ();
  return NULL;
}

static void
set_part (CochleaSong       *song,
          CochleaPart        part,
          const Instrument  *ins,
          double             level_db,
          double             pan)
{
  CochleaSongPartInfo *info = &song->parts[part];

  info->present = TRUE;
  info->program = ins->program;
  info->bank = 0;
  info->family = ins->family;
  info->acoustic = ins->acoustic;
  info->level_db = level_db;
  info->pan = pan;
  info->name = ins->name;
}

static gint64
to_samples (const CochleaSong *song,
            double             seconds)
{
  return (gint64) llround (seconds * song->sample_rate);
}

static void
add_note (CochleaSong *song,
          CochleaPart  part,
          double       start,
          double       length,
          int          key,
          int          velocity)
{
  CochleaNoteEvent on = { 0, }, off = { 0, };
  gint64 s0 = to_samples (song, start);
  gint64 s1 = to_samples (song, start + length);

  if (s0 >= song->n_samples || key < 0 || key > 127)
    return;
  if (s1 <= s0)
    s1 = s0 + 1;
  on.sample = s0;
  on.type = COCHLEA_NOTE_ON;
  on.part = part;
  on.key = key;
  on.velocity = CLAMP (velocity, 1, 127);
  off = on;
  off.sample = s1;
  off.type = COCHLEA_NOTE_OFF;
  off.velocity = 0;
  g_array_append_val (song->events, on);
  g_array_append_val (song->events, off);
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const CochleaNoteEvent *ea = a, *eb = b;

  if (ea->sample != eb->sample)
    return ea->sample < eb->sample ? -1 : 1;
  /* Offs before ons at the same instant, so a repeated key retriggers. */
  if (ea->type != eb->type)
    return ea->type == COCHLEA_NOTE_OFF ? -1 : 1;
  if (ea->part != eb->part)
    return ea->part < eb->part ? -1 : 1;
  return (int) ea->key - (int) eb->key;
}

/* Semitones above the tonic of scale degree @deg (any integer, octaves
 * included). */
static int
degree_semitones (const int *scale,
                  int        deg)
{
  int octave = deg >= 0 ? deg / 7 : -((-deg + 6) / 7);
  int d = deg - 7 * octave;

  return 12 * octave + scale[d];
}

/* The chord on scale degree @root_deg as semitone offsets from the tonic
 * (root, third, fifth); in minor, V is major (harmonic minor). */
static void
chord_tones (const CochleaSong *song,
             int                root_deg,
             int                tones[3])
{
  const int *scale = song->mode == 1 ? major_scale : minor_scale;

  tones[0] = degree_semitones (scale, root_deg);
  tones[1] = degree_semitones (scale, root_deg + 2);
  tones[2] = degree_semitones (scale, root_deg + 4);
  if (song->mode == 0 && root_deg % 7 == 4)
    tones[1] += 1;
}

/* Melody (or sung line) over the whole song, as notes in the song's score
 * or as sung syllables. */
static void
compose_melody (CochleaSong       *song,
                CochleaRng        *rng,
                const Progression *prog,
                double             bar_sec,
                int                n_bars,
                int                base_key,
                gboolean           sung)
{
  const int *scale = song->mode == 1 ? major_scale : minor_scale;
  double eighth = 30.0 / song->tempo;
  int steps = song->time_signature * 2;
  int deg = 4;

  for (int bar = 0; bar < n_bars; bar++)
    {
      int chord[3];
      int root_deg = prog->degrees[bar % 4];
      gboolean phrase_end = bar % 4 == 3;
      double bar_start = song->first_downbeat + bar * bar_sec;
      int pos = 0;

      chord_tones (song, root_deg, chord);

      /* A sung line breathes: rest for the last bar of each 8-bar phrase. */
      if (sung && bar % 8 == 7)
        continue;

      while (pos < steps)
        {
          static const double len_weights[4] = { 3, 4, 1, 2 };
          int len = 1 + cochlea_rng_weighted (rng, len_weights, 4);
          int key, semis;
          gboolean rest;

          if (phrase_end && pos >= steps / 2)
            len = steps - pos;
          if (pos + len > steps)
            len = steps - pos;
          if (sung && len == 1 && cochlea_rng_chance (rng, 0.5))
            len = MIN (2, steps - pos);

          rest = pos > 0 && cochlea_rng_chance (rng, 0.12);

          if (pos % 2 == 0)
            {
              /* On a beat: the nearest chord tone (in scale degrees). */
              int best = deg, best_dist = 100;
              for (int d = deg - 3; d <= deg + 3; d++)
                {
                  int pc = ((degree_semitones (scale, d) % 12) + 12) % 12;
                  for (int c = 0; c < 3; c++)
                    {
                      if (pc == ((chord[c] % 12) + 12) % 12 && ABS (d - deg) < best_dist)
                        {
                          best = d;
                          best_dist = ABS (d - deg);
                        }
                    }
                }
              deg = best;
            }
          else
            {
              static const double step_weights[7] = { 0.03, 0.12, 0.3, 0.1, 0.3, 0.12, 0.03 };
              deg += cochlea_rng_weighted (rng, step_weights, 7) - 3;
            }
          if (phrase_end && pos + len == steps)
            deg = 7 * (int) floor (deg / 7.0 + 0.5);   /* end the phrase on the tonic */
          deg = CLAMP (deg, -2, 9);

          semis = degree_semitones (scale, deg);
          /* Leading tone in minor over V. */
          if (song->mode == 0 && root_deg == 4 && ((deg % 7) + 7) % 7 == 6)
            semis += 1;
          key = base_key + semis;

          if (!rest)
            {
              double start = bar_start + pos * eighth;
              double length = len * eighth * (sung ? 0.92 : 0.95);

              if (sung)
                {
                  CochleaSungNote note;
                  note.start = to_samples (song, start);
                  note.length = to_samples (song, length);
                  note.key = key;
                  note.syllable = cochlea_rng_int (rng, G_N_ELEMENTS (syllables) - 1);
                  /* Held notes get a singer's vibrato: 0.2–0.5 semitone at
                   * 5–6.5 Hz. */
                  note.vibrato_depth = (float) cochlea_rng_range (rng, 0.2, 0.5);
                  note.vibrato_rate = (float) cochlea_rng_range (rng, 5.0, 6.5);
                  if (note.start < song->n_samples)
                    g_array_append_val (song->sung, note);
                }
              else
                {
                  add_note (song, COCHLEA_PART_MELODY, start, length, key,
                            80 + cochlea_rng_int (rng, 26) + (pos == 0 ? 8 : 0));
                }
            }
          pos += len;
        }
    }
}

static void
compose_chords (CochleaSong       *song,
                CochleaRng        *rng,
                const Progression *prog,
                double             bar_sec,
                int                n_bars)
{
  double beat = 60.0 / song->tempo;
  int ts = song->time_signature;
  int pattern = cochlea_rng_int (rng, 5);
  int octave = cochlea_rng_int (rng, 2);

  for (int bar = 0; bar < n_bars; bar++)
    {
      int chord[3], voicing[3];
      double t0 = song->first_downbeat + bar * bar_sec;
      int root_pc, root;

      chord_tones (song, prog->degrees[bar % 4], chord);
      root_pc = (song->key + chord[0]) % 12;
      root = 48 + 12 * octave + root_pc;
      if (root > 61 + 12 * octave - 6)
        root -= 12;
      for (int c = 0; c < 3; c++)
        voicing[c] = root + chord[c] - chord[0];

      switch (pattern)
        {
        case 0:   /* block chord, whole bar */
          for (int c = 0; c < 3; c++)
            add_note (song, COCHLEA_PART_CHORDS, t0, bar_sec * 0.97, voicing[c], 78);
          break;
        case 1:   /* on every beat */
          for (int b = 0; b < ts; b++)
            for (int c = 0; c < 3; c++)
              add_note (song, COCHLEA_PART_CHORDS, t0 + b * beat, beat * 0.8, voicing[c], b == 0 ? 84 : 70);
          break;
        case 2:   /* off-beats */
          for (int b = 0; b < ts; b++)
            for (int c = 0; c < 3; c++)
              add_note (song, COCHLEA_PART_CHORDS, t0 + (b + 0.5) * beat, beat * 0.4, voicing[c], 72);
          break;
        case 3:   /* arpeggio in eighths */
          for (int e = 0; e < 2 * ts; e++)
            {
              static const int order[4] = { 0, 1, 2, 1 };
              int k = voicing[order[e % 4]] + (e % 8 == 4 ? 12 : 0);
              add_note (song, COCHLEA_PART_CHORDS, t0 + e * beat / 2, beat * 0.9, k, e == 0 ? 84 : 70);
            }
          break;
        case 4:   /* root-position hit, then the upper tones */
        default:
          add_note (song, COCHLEA_PART_CHORDS, t0, beat * 0.9, voicing[0], 82);
          for (int b = 1; b < ts; b++)
            for (int c = 1; c < 3; c++)
              add_note (song, COCHLEA_PART_CHORDS, t0 + b * beat, beat * 0.7, voicing[c], 68);
          break;
        }
    }
}

static void
compose_pad (CochleaSong       *song,
             const Progression *prog,
             double             bar_sec,
             int                n_bars)
{
  for (int bar = 0; bar < n_bars; bar++)
    {
      int chord[3];
      double t0 = song->first_downbeat + bar * bar_sec;
      int root;

      chord_tones (song, prog->degrees[bar % 4], chord);
      root = 60 + (song->key + chord[0]) % 12;
      if (root > 66)
        root -= 12;
      for (int c = 0; c < 3; c++)
        add_note (song, COCHLEA_PART_PAD, t0, bar_sec, root + chord[c] - chord[0], 64);
    }
}

static void
compose_bass (CochleaSong       *song,
              CochleaRng        *rng,
              const Progression *prog,
              double             bar_sec,
              int                n_bars)
{
  double beat = 60.0 / song->tempo;
  int ts = song->time_signature;
  int pattern = cochlea_rng_int (rng, 4);

  for (int bar = 0; bar < n_bars; bar++)
    {
      int chord[3];
      double t0 = song->first_downbeat + bar * bar_sec;
      int root;

      chord_tones (song, prog->degrees[bar % 4], chord);
      root = 36 + (song->key + chord[0]) % 12;
      if (root > 43)
        root -= 12;
      if (root < 28)
        root += 12;

      switch (pattern)
        {
        case 0:   /* whole notes */
          add_note (song, COCHLEA_PART_BASS, t0, bar_sec * 0.95, root, 96);
          break;
        case 1:   /* roots on every beat */
          for (int b = 0; b < ts; b++)
            add_note (song, COCHLEA_PART_BASS, t0 + b * beat, beat * 0.85, root, b == 0 ? 100 : 88);
          break;
        case 2:   /* root and fifth */
          for (int b = 0; b < ts; b++)
            add_note (song, COCHLEA_PART_BASS, t0 + b * beat, beat * 0.85,
                      b % 2 == 0 ? root : root + chord[2] - chord[0], b == 0 ? 100 : 86);
          break;
        case 3:   /* eighth-note pulse */
        default:
          for (int e = 0; e < 2 * ts; e++)
            add_note (song, COCHLEA_PART_BASS, t0 + e * beat / 2, beat * 0.42,
                      e == 2 * ts - 1 && cochlea_rng_chance (rng, 0.3) ? root + 12 : root,
                      e == 0 ? 102 : (e % 2 == 0 ? 90 : 78));
          break;
        }
    }
}

static void
compose_drums (CochleaSong *song,
               CochleaRng  *rng,
               double       bar_sec,
               int          n_bars,
               gboolean     electronic)
{
  double beat = 60.0 / song->tempo;
  int ts = song->time_signature;
  int style = cochlea_rng_int (rng, ts == 4 ? 4 : 2);
  int hat_div = song->tempo > 150 ? 1 : (song->tempo < 90 && cochlea_rng_chance (rng, 0.5) ? 4 : 2);
  gboolean ride = !electronic && cochlea_rng_chance (rng, 0.2);
  int snare_key = electronic && cochlea_rng_chance (rng, 0.5) ? DRUM_CLAP : DRUM_SNARE;

  for (int bar = 0; bar < n_bars; bar++)
    {
      double t0 = song->first_downbeat + bar * bar_sec;
      gboolean fill = bar % 8 == 7;

      if (bar % 8 == 0)
        add_note (song, COCHLEA_PART_DRUMS, t0, beat, DRUM_CRASH, 100);

      for (int b = 0; b < ts; b++)
        {
          double tb = t0 + b * beat;
          gboolean kick = FALSE, snare = FALSE;

          if (fill && b == ts - 1)
            {
              static const int toms[4] = { DRUM_TOM_HIGH, DRUM_TOM_MID, DRUM_TOM_LOW, DRUM_TOM_LOW };
              for (int s = 0; s < 4; s++)
                add_note (song, COCHLEA_PART_DRUMS, tb + s * beat / 4, beat / 4, toms[s], 96 - 4 * s);
              continue;
            }

          switch (ts)
            {
            case 3:
              kick = b == 0;
              snare = b > 0 && style == 1;
              break;
            case 5:
              kick = b == 0 || b == 3;
              snare = b == 2 || b == 4;
              break;
            case 4:
            default:
              switch (style)
                {
                case 0: kick = b == 0 || b == 2; snare = b == 1 || b == 3; break;   /* rock */
                case 1: kick = TRUE; snare = b == 1 || b == 3; break;               /* four on the floor */
                case 2: kick = b == 0; snare = b == 2; break;                       /* half time */
                case 3:                                                             /* syncopated */
                default:
                  kick = b == 0;
                  snare = b == 1 || b == 3;
                  if (b == 1)
                    add_note (song, COCHLEA_PART_DRUMS, tb + beat * 0.75, beat / 4, DRUM_KICK, 92);
                  if (b == 2)
                    add_note (song, COCHLEA_PART_DRUMS, tb + beat * 0.5, beat / 4, DRUM_KICK, 92);
                  break;
                }
              break;
            }
          if (ts == 3 && style == 0 && b > 0)
            add_note (song, COCHLEA_PART_DRUMS, tb, beat / 2, DRUM_HAT_PEDAL, 70);

          if (kick)
            add_note (song, COCHLEA_PART_DRUMS, tb, beat / 2, DRUM_KICK, b == 0 ? 112 : 100);
          if (snare)
            add_note (song, COCHLEA_PART_DRUMS, tb, beat / 2, snare_key, 104);

          for (int h = 0; h < hat_div; h++)
            {
              double th = tb + h * beat / hat_div;
              int key = ride ? DRUM_RIDE : DRUM_HAT_CLOSED;
              int vel = h == 0 ? 84 : 62;

              if (!ride && style == 1 && ts == 4 && hat_div == 2 && h == 1)
                key = DRUM_HAT_OPEN;
              add_note (song, COCHLEA_PART_DRUMS, th, beat / hat_div * 0.9, key,
                        vel + cochlea_rng_int (rng, 8));
            }
        }
    }
}

/* Players are not sequencers: every pitched note (and sung syllable) moves
 * off the grid by a Gaussian amount, a few milliseconds in acoustic and
 * mixed songs, a fraction of one in electronic ones.  Drums stay on the
 * grid, so the beat labels are where the drums are.  A separate RNG, so
 * the score's other choices do not depend on it. */
static void
humanize (CochleaSong *song)
{
  CochleaRng timing;
  gint64 floor_sample = to_samples (song, song->first_downbeat);
  double sd;

  cochlea_rng_init (&timing, song->song_seed ^ G_GUINT64_CONSTANT (0x74696D696E67));
  sd = g_strcmp0 (song->style, "electronic") == 0 ? cochlea_rng_range (&timing, 0.0, 1.0)
                                                  : cochlea_rng_range (&timing, 3.0, 10.0);
  song->humanize_ms = floor (sd * 100 + 0.5) / 100;

  /* add_note() appends each note as an (on, off) pair. */
  for (guint e = 0; e + 1 < song->events->len; e += 2)
    {
      CochleaNoteEvent *on = &g_array_index (song->events, CochleaNoteEvent, e);
      CochleaNoteEvent *off = &g_array_index (song->events, CochleaNoteEvent, e + 1);
      double ms;
      gint64 shift;

      g_assert (on->type == COCHLEA_NOTE_ON && off->type == COCHLEA_NOTE_OFF);
      if (on->part == COCHLEA_PART_DRUMS)
        continue;
      ms = cochlea_rng_gauss (&timing) * song->humanize_ms;   /* once: CLAMP is a macro */
      ms = CLAMP (ms, -15.0, 15.0);
      shift = (gint64) llround (ms * song->sample_rate / 1000.0);
      if (on->sample + shift >= song->n_samples)
        shift = 0;   /* a note in the clip stays in it */
      on->sample = MAX (floor_sample, on->sample + shift);
      off->sample = MAX (on->sample + 1, off->sample + shift);
    }
  for (guint n = 0; n < song->sung->len; n++)
    {
      CochleaSungNote *note = &g_array_index (song->sung, CochleaSungNote, n);
      double ms = cochlea_rng_gauss (&timing) * song->humanize_ms;
      gint64 shift;

      ms = CLAMP (ms, -15.0, 15.0);
      shift = (gint64) llround (ms * song->sample_rate / 1000.0);
      if (note->start + shift >= song->n_samples)
        shift = 0;
      note->start = MAX (floor_sample, note->start + shift);
    }
}

static char *
make_sentence (CochleaRng *rng)
{
  /* One draw per statement: the order of a call's arguments is unspecified. */
  int tail = cochlea_rng_int (rng, G_N_ELEMENTS (words_tail));
  int object = cochlea_rng_int (rng, G_N_ELEMENTS (words_object));
  int verb = cochlea_rng_int (rng, G_N_ELEMENTS (words_verb));
  int subject = cochlea_rng_int (rng, G_N_ELEMENTS (words_subject));
  g_autofree char *s = g_strdup_printf ("%s %s %s%s.", words_subject[subject], words_verb[verb],
                                        words_object[object], words_tail[tail]);
  s[0] = g_ascii_toupper (s[0]);
  return g_steal_pointer (&s);
}

CochleaSong *
cochlea_song_compose (guint64                   corpus_seed,
                      guint                     index,
                      const CochleaSongOptions *options)
{
  g_autoptr(CochleaSong) song = g_new0 (CochleaSong, 1);
  CochleaSongOptions defaults;
  CochleaRng rng;
  const Progression *prog;
  int speech_kind = 0;   /* 0 none, 1 alone, 2 over quiet music, 3 over music */
  int acoustic_pref, n_parts = 0, n_acoustic = 0;
  double bar_sec, music_db = 0;
  int n_bars;
  gboolean female;

  if (options == NULL)
    {
      cochlea_song_options_init_default (&defaults);
      options = &defaults;
    }
  g_return_val_if_fail (options->duration > 0, NULL);
  g_return_val_if_fail (options->sample_rate >= 8000, NULL);

  song->corpus_seed = corpus_seed;
  song->index = index;
  song->song_seed = cochlea_song_seed (corpus_seed, index);
  song->duration = options->duration;
  song->sample_rate = options->sample_rate;
  song->n_samples = to_samples (song, options->duration);
  song->beats = g_array_new (FALSE, FALSE, sizeof (double));
  song->downbeats = g_array_new (FALSE, FALSE, sizeof (double));
  song->events = g_array_new (FALSE, FALSE, sizeof (CochleaNoteEvent));
  song->sung = g_array_new (FALSE, FALSE, sizeof (CochleaSungNote));
  song->spoken = g_ptr_array_new_with_free_func (spoken_line_free);
  cochlea_rng_init (&rng, song->song_seed);

  /* 1. What kind of recording. */
  song->speech = cochlea_rng_chance (&rng, options->p_speech);
  if (song->speech)
    {
      static const double kinds[3] = { 0.25, 0.4, 0.35 };
      speech_kind = 1 + cochlea_rng_weighted (&rng, kinds, 3);
      if (speech_kind == 1 && !options->allow_no_music)
        speech_kind = 2;
    }
  song->voice = !song->speech && cochlea_rng_chance (&rng, options->p_voice);
  song->live = cochlea_rng_chance (&rng, options->p_live);
  song->music = speech_kind != 1;
  female = cochlea_rng_chance (&rng, 0.5);

  /* 2. Musical frame. */
  {
    static const double ts_weights[3] = { 0.25, 0.7, 0.05 };
    static const double style_weights[3] = { 0.4, 0.35, 0.25 };
    static const char * const style_names[3] = { "acoustic", "electronic", "mixed" };
    int style;

    song->tempo = floor (cochlea_rng_range (&rng, 60.0, 180.0) * 10.0 + 0.5) / 10.0;
    song->time_signature = 3 + cochlea_rng_weighted (&rng, ts_weights, 3);
    song->key = cochlea_rng_int (&rng, 12);
    song->mode = cochlea_rng_chance (&rng, 0.5) ? 1 : 0;
    style = cochlea_rng_weighted (&rng, style_weights, 3);
    song->style = g_strdup (style_names[style]);
    acoustic_pref = style == 0 ? 1 : style == 1 ? 0 : -1;
    if (song->mode == 1)
      prog = &major_progressions[cochlea_rng_int (&rng, G_N_ELEMENTS (major_progressions))];
    else
      prog = &minor_progressions[cochlea_rng_int (&rng, G_N_ELEMENTS (minor_progressions))];
    song->progression = g_strdup (prog->roman);
    song->first_downbeat = floor (cochlea_rng_range (&rng, 0.1, 1.0) * 1000.0 + 0.5) / 1000.0;
    if (song->live)
      song->first_downbeat += floor (cochlea_rng_range (&rng, 0.5, 2.5) * 1000.0 + 0.5) / 1000.0;
    /* Short clips still get music for most of their length. */
    song->first_downbeat = MIN (song->first_downbeat, floor (song->duration * 250.0) / 1000.0);
  }

  /* 3. Parts and instruments. */
  if (song->music)
    {
      int a = acoustic_pref;
      gboolean want_chords = cochlea_rng_chance (&rng, 0.9);
      gboolean want_bass = cochlea_rng_chance (&rng, 0.85);
      gboolean want_pad = cochlea_rng_chance (&rng, 0.3);
      gboolean want_drums = cochlea_rng_chance (&rng, options->p_drums);
      double pan = cochlea_rng_range (&rng, -0.4, 0.4);

      /* Each part draws its level, then its instrument: two statements,
       * since C leaves the order of a call's arguments unspecified. */
#define PICK_PART(part, role, lo, hi, pan_)                                           \
      G_STMT_START {                                                                  \
        double level_ = cochlea_rng_range (&rng, lo, hi);                             \
        int want_acoustic_ = a < 0 ? (cochlea_rng_chance (&rng, 0.5) ? 1 : 0) : a;   \
        set_part (song, part, pick_instrument (&rng, role, want_acoustic_), level_, pan_); \
      } G_STMT_END
      if (!song->voice)
        PICK_PART (COCHLEA_PART_MELODY, ROLE_MELODY, -2, 2, pan);
      if (want_chords || !want_pad)
        PICK_PART (COCHLEA_PART_CHORDS, ROLE_CHORDS, -7, -3, -pan);
      if (want_bass)
        PICK_PART (COCHLEA_PART_BASS, ROLE_BASS, -5, -1, 0);
      if (want_pad)
        PICK_PART (COCHLEA_PART_PAD, ROLE_PAD, -12, -7, 0);
#undef PICK_PART
      if (want_drums)
        {
          CochleaSongPartInfo *info = &song->parts[COCHLEA_PART_DRUMS];
          int ac = a < 0 ? (cochlea_rng_chance (&rng, 0.5) ? 1 : 0) : a;
          const DrumKit *kit;
          int n = 0, choice;

          for (guint i = 0; i < G_N_ELEMENTS (drum_kits); i++)
            n += drum_kits[i].acoustic == (ac == 1);
          choice = cochlea_rng_int (&rng, n);
          kit = NULL;
          for (guint i = 0; i < G_N_ELEMENTS (drum_kits) && kit == NULL; i++)
            if (drum_kits[i].acoustic == (ac == 1) && choice-- == 0)
              kit = &drum_kits[i];
          info->present = TRUE;
          info->program = kit->program;
          info->bank = 128;
          info->family = COCHLEA_FAMILY_DRUMS;
          info->acoustic = kit->acoustic;
          info->level_db = cochlea_rng_range (&rng, -6, -2);
          info->pan = 0;
          info->name = kit->name;
        }
    }

  if (song->voice || song->speech)
    {
      const char * const *voices = female ? female_voices : male_voices;
      song->voice_name = g_strdup (voices[cochlea_rng_int (&rng, G_N_ELEMENTS (male_voices))]);
      song->voice_pitch = 30 + cochlea_rng_int (&rng, 40);
      song->speech_rate = 130 + cochlea_rng_int (&rng, 50);
      song->parts[song->voice ? COCHLEA_PART_VOICE : COCHLEA_PART_SPEECH].present = TRUE;
      /* Vocals lead the mix, as in produced songs. */
      song->parts[song->voice ? COCHLEA_PART_VOICE : COCHLEA_PART_SPEECH].level_db =
        song->voice ? cochlea_rng_range (&rng, 3, 7) : cochlea_rng_range (&rng, 5, 9);
      song->parts[song->voice ? COCHLEA_PART_VOICE : COCHLEA_PART_SPEECH].acoustic = TRUE;
    }

  /* Speech over quiet music: everything else 14–22 dB down. */
  if (speech_kind == 2)
    music_db = -cochlea_rng_range (&rng, 14, 22);
  for (int p = 0; p <= COCHLEA_PART_DRUMS; p++)
    song->parts[p].level_db += music_db;

  /* 4. Room and level. */
  if (song->live)
    {
      song->reverb_room = cochlea_rng_range (&rng, 0.7, 0.95);
      song->reverb_wet = cochlea_rng_range (&rng, 0.25, 0.45);
      song->crowd_db = cochlea_rng_range (&rng, -18, -10);
    }
  else if (cochlea_rng_chance (&rng, 0.4))
    {
      song->reverb_room = cochlea_rng_range (&rng, 0.2, 0.6);
      song->reverb_wet = cochlea_rng_range (&rng, 0.05, 0.2);
      song->crowd_db = -120;
    }
  else
    song->crowd_db = -120;
  song->target_rms_db = cochlea_rng_range (&rng, -24, -14);

  /* 5. The score. */
  bar_sec = song->time_signature * 60.0 / song->tempo;
  n_bars = (int) ceil ((song->duration - song->first_downbeat) / bar_sec) + 1;

  if (song->music)
    {
      double beat = 60.0 / song->tempo;
      int base_key = 60 + song->key - (song->key > 6 ? 12 : 0);

      for (int k = 0;; k++)
        {
          double t = song->first_downbeat + k * beat;
          if (t >= song->duration)
            break;
          g_array_append_val (song->beats, t);
          if (k % song->time_signature == 0)
            g_array_append_val (song->downbeats, t);
        }

      if (song->parts[COCHLEA_PART_MELODY].present)
        compose_melody (song, &rng, prog, bar_sec, n_bars, base_key, FALSE);
      if (song->voice)
        compose_melody (song, &rng, prog, bar_sec, n_bars, base_key - (female ? 0 : 12), TRUE);
      if (song->parts[COCHLEA_PART_CHORDS].present)
        compose_chords (song, &rng, prog, bar_sec, n_bars);
      if (song->parts[COCHLEA_PART_PAD].present)
        compose_pad (song, prog, bar_sec, n_bars);
      if (song->parts[COCHLEA_PART_BASS].present)
        compose_bass (song, &rng, prog, bar_sec, n_bars);
      if (song->parts[COCHLEA_PART_DRUMS].present)
        compose_drums (song, &rng, bar_sec, n_bars, !song->parts[COCHLEA_PART_DRUMS].acoustic);
      humanize (song);
      g_array_sort (song->events, compare_events);
    }
  else
    {
      song->tempo = 0;
      song->time_signature = 0;
      song->first_downbeat = 0;
      song->key = -1;
      song->mode = -1;
      g_clear_pointer (&song->progression, g_free);
      g_clear_pointer (&song->style, g_free);
    }

  if (song->speech)
    {
      double t = song->music ? song->first_downbeat + cochlea_rng_range (&rng, 0.0, 2.0)
                             : cochlea_rng_range (&rng, 0.2, 1.0);
      /* More sentences than fit (about 3 s each): the renderer speaks
       * them in one go from the first start and stops at the clip's end. */
      for (int i = 0; i < 2 + (int) (song->duration / 3.0); i++)
        {
          CochleaSpokenLine *line = g_new0 (CochleaSpokenLine, 1);
          line->start = to_samples (song, t);
          line->text = make_sentence (&rng);
          g_ptr_array_add (song->spoken, line);
        }
    }

  /* 6. Derived labels. */
  for (int p = 0; p <= COCHLEA_PART_DRUMS; p++)
    {
      if (!song->parts[p].present)
        continue;
      song->families |= 1u << song->parts[p].family;
      n_parts++;
      n_acoustic += song->parts[p].acoustic;
    }
  song->drums = song->parts[COCHLEA_PART_DRUMS].present;
  song->acoustic = n_parts > 0 ? (double) n_acoustic / n_parts : 1.0;

  return g_steal_pointer (&song);
}

static void
add_double_array (JsonBuilder *b,
                  const char  *name,
                  GArray      *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; values != NULL && i < values->len; i++)
    json_builder_add_double_value (b, floor (g_array_index (values, double, i) * 1e6 + 0.5) / 1e6);
  json_builder_end_array (b);
}

JsonNode *
cochlea_song_labels_to_json (const CochleaSong *song,
                             const char        *soundfont_name,
                             const char        *audio_name)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *id = g_strdup_printf ("%05u", song->index);

  g_return_val_if_fail (song != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "cochlea-corpus-song");
  json_builder_set_member_name (b, "format_version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, song->index);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) song->corpus_seed);
  json_builder_set_member_name (b, "song_seed");
  {
    g_autofree char *s = g_strdup_printf ("%016" G_GINT64_MODIFIER "x", song->song_seed);
    json_builder_add_string_value (b, s);
  }
  json_builder_set_member_name (b, "audio");
  json_builder_add_string_value (b, audio_name);
  json_builder_set_member_name (b, "sample_rate");
  json_builder_add_int_value (b, song->sample_rate);
  json_builder_set_member_name (b, "channels");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "n_samples");
  json_builder_add_int_value (b, song->n_samples);
  json_builder_set_member_name (b, "duration");
  json_builder_add_double_value (b, song->duration);
  json_builder_set_member_name (b, "soundfont");
  json_builder_add_string_value (b, soundfont_name);

  json_builder_set_member_name (b, "music");
  json_builder_add_boolean_value (b, song->music);
  json_builder_set_member_name (b, "tempo");
  json_builder_add_double_value (b, song->tempo);
  json_builder_set_member_name (b, "time_signature");
  json_builder_add_int_value (b, song->time_signature);
  json_builder_set_member_name (b, "first_downbeat");
  json_builder_add_double_value (b, song->first_downbeat);
  add_double_array (b, "beats", song->beats);
  add_double_array (b, "downbeats", song->downbeats);
  json_builder_set_member_name (b, "key");
  json_builder_add_int_value (b, song->key);
  json_builder_set_member_name (b, "mode");
  json_builder_add_int_value (b, song->mode);
  json_builder_set_member_name (b, "key_name");
  if (song->key >= 0)
    {
      g_autofree char *s = g_strdup_printf ("%s %s", key_names[song->key], song->mode == 1 ? "major" : "minor");
      json_builder_add_string_value (b, s);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "progression");
  if (song->progression != NULL)
    json_builder_add_string_value (b, song->progression);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "style");
  if (song->style != NULL)
    json_builder_add_string_value (b, song->style);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "families");
  json_builder_begin_array (b);
  for (int f = 0; f < COCHLEA_N_FAMILIES; f++)
    if (song->families & (1u << f))
      json_builder_add_string_value (b, family_names[f]);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "drums");
  json_builder_add_boolean_value (b, song->drums);
  json_builder_set_member_name (b, "voice");
  json_builder_add_boolean_value (b, song->voice);
  json_builder_set_member_name (b, "speech");
  json_builder_add_boolean_value (b, song->speech);
  json_builder_set_member_name (b, "acoustic");
  json_builder_add_double_value (b, floor (song->acoustic * 1e4 + 0.5) / 1e4);
  json_builder_set_member_name (b, "live");
  json_builder_add_boolean_value (b, song->live);

  json_builder_set_member_name (b, "parts");
  json_builder_begin_array (b);
  for (int p = 0; p < COCHLEA_N_PARTS; p++)
    {
      const CochleaSongPartInfo *info = &song->parts[p];
      if (!info->present)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "part");
      json_builder_add_string_value (b, part_names[p]);
      if (p <= COCHLEA_PART_DRUMS)
        {
          json_builder_set_member_name (b, "family");
          json_builder_add_string_value (b, family_names[info->family]);
          json_builder_set_member_name (b, "program");
          json_builder_add_int_value (b, info->program);
          json_builder_set_member_name (b, "bank");
          json_builder_add_int_value (b, info->bank);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, info->name);
        }
      else
        {
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, song->voice_name);
        }
      json_builder_set_member_name (b, "acoustic");
      json_builder_add_boolean_value (b, info->acoustic);
      json_builder_set_member_name (b, "level_db");
      json_builder_add_double_value (b, floor (info->level_db * 100 + 0.5) / 100);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "reverb");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "room_size");
  json_builder_add_double_value (b, floor (song->reverb_room * 1000 + 0.5) / 1000);
  json_builder_set_member_name (b, "wet");
  json_builder_add_double_value (b, floor (song->reverb_wet * 1000 + 0.5) / 1000);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "humanize_ms");
  json_builder_add_double_value (b, song->humanize_ms);
  json_builder_set_member_name (b, "crowd_db");
  if (song->live)
    json_builder_add_double_value (b, floor (song->crowd_db * 100 + 0.5) / 100);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "vocals_start");
  if (song->sung->len > 0 || song->spoken->len > 0)
    {
      gint64 start = song->sung->len > 0 ? g_array_index (song->sung, CochleaSungNote, 0).start
                                         : ((CochleaSpokenLine *) g_ptr_array_index (song->spoken, 0))->start;
      json_builder_add_double_value (b, floor ((double) start / song->sample_rate * 1e6 + 0.5) / 1e6);
      json_builder_set_member_name (b, "voice_name");
      json_builder_add_string_value (b, song->voice_name);
    }
  else
    json_builder_add_null_value (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}
