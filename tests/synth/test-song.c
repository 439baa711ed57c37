/* test-song.c — composed songs: determinism and labels that agree with
 * the score (no audio rendered here; see test-song-audio.c).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

#define N_SONGS 300

static char *
labels_text (const CochleaSong *song)
{
  g_autoptr(JsonNode) node = cochlea_song_labels_to_json (song, "test.sf2", "x.wav");
  return json_to_string (node, FALSE);
}

static void
test_same_seed_same_song (void)
{
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(CochleaSong) a = cochlea_song_compose (42, i, NULL);
      g_autoptr(CochleaSong) b = cochlea_song_compose (42, i, NULL);
      g_autoptr(CochleaSong) c = cochlea_song_compose (43, i, NULL);
      g_autofree char *ta = labels_text (a);
      g_autofree char *tb = labels_text (b);
      g_autofree char *tc = labels_text (c);

      g_assert_cmpstr (ta, ==, tb);
      g_assert_cmpstr (ta, !=, tc);
      g_assert_cmpuint (a->events->len, ==, b->events->len);
      if (a->events->len > 0)
        g_assert_true (memcmp (a->events->data, b->events->data,
                               a->events->len * sizeof (CochleaNoteEvent)) == 0);
      g_assert_cmpuint (a->sung->len, ==, b->sung->len);
    }
}

/* The song seed mixes corpus seed and index: no two of many collide. */
static void
test_song_seeds_distinct (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint64 s = 0; s < 20; s++)
    for (guint i = 0; i < 500; i++)
      {
        gint64 *v = g_new (gint64, 1);
        *v = (gint64) cochlea_song_seed (s, i);
        g_assert_false (g_hash_table_contains (seen, v));
        g_hash_table_add (seen, v);
      }
}

static gboolean
pc_in_key (int pc,
           int key,
           int mode)
{
  static const int major[7] = { 0, 2, 4, 5, 7, 9, 11 };
  static const int minor[8] = { 0, 2, 3, 5, 7, 8, 10, 11 };   /* + raised 7th */
  int rel = ((pc - key) % 12 + 12) % 12;

  if (mode == 1)
    {
      for (int i = 0; i < 7; i++)
        if (major[i] == rel)
          return TRUE;
    }
  else
    {
      for (int i = 0; i < 8; i++)
        if (minor[i] == rel)
          return TRUE;
    }
  return FALSE;
}

static void
test_labels_match_score (void)
{
  guint n_drums = 0, n_voice = 0, n_speech = 0, n_live = 0, n_nomusic = 0;
  guint ts_count[6] = { 0, };
  guint family_count[COCHLEA_N_FAMILIES] = { 0, };

  for (guint i = 0; i < N_SONGS; i++)
    {
      g_autoptr(CochleaSong) song = cochlea_song_compose (7, i, NULL);
      gboolean has_part_events[COCHLEA_N_PARTS] = { FALSE, };
      guint families = 0;
      double beat;

      g_assert_cmpint (song->n_samples, ==, 30 * 22050);
      g_assert_false (song->voice && song->speech);
      g_assert_cmpfloat (song->acoustic, >=, 0.0);
      g_assert_cmpfloat (song->acoustic, <=, 1.0);

      for (guint e = 0; e < song->events->len; e++)
        {
          const CochleaNoteEvent *ev = &g_array_index (song->events, CochleaNoteEvent, e);
          has_part_events[ev->part] = TRUE;
          if (e > 0)
            g_assert_cmpint (ev->sample, >=, g_array_index (song->events, CochleaNoteEvent, e - 1).sample);
          /* Every pitched note is in the labelled key. */
          if (ev->part != COCHLEA_PART_DRUMS)
            g_assert_true (pc_in_key (ev->key % 12, song->key, song->mode));
        }
      for (guint n = 0; n < song->sung->len; n++)
        g_assert_true (pc_in_key (g_array_index (song->sung, CochleaSungNote, n).key % 12,
                                  song->key, song->mode));

      /* Content labels are what the score holds. */
      g_assert_cmpint (song->drums, ==, has_part_events[COCHLEA_PART_DRUMS]);
      g_assert_cmpint (song->voice, ==, song->sung->len > 0);
      g_assert_cmpint (song->speech, ==, song->spoken->len > 0);
      for (int p = COCHLEA_PART_MELODY; p <= COCHLEA_PART_DRUMS; p++)
        {
          g_assert_cmpint (song->parts[p].present, ==, has_part_events[p]);
          if (song->parts[p].present)
            families |= 1u << song->parts[p].family;
        }
      g_assert_cmpuint (families, ==, song->families);
      g_assert_cmpint (song->music, ==, song->events->len > 0);

      if (!song->music)
        {
          n_nomusic++;
          g_assert_true (song->speech);
          g_assert_cmpint (song->key, ==, -1);
          g_assert_cmpint (song->beats->len, ==, 0);
          continue;
        }

      /* Beats: evenly 60/tempo apart from the first downbeat; downbeats
       * every time_signature beats. */
      g_assert_cmpfloat (song->tempo, >=, 60.0);
      g_assert_cmpfloat (song->tempo, <=, 180.0);
      g_assert_cmpint (song->key, >=, 0);
      g_assert_cmpint (song->key, <, 12);
      beat = 60.0 / song->tempo;
      g_assert_cmpfloat_with_epsilon (g_array_index (song->beats, double, 0), song->first_downbeat, 1e-9);
      for (guint b = 1; b < song->beats->len; b++)
        g_assert_cmpfloat_with_epsilon (g_array_index (song->beats, double, b) -
                                        g_array_index (song->beats, double, b - 1), beat, 1e-9);
      g_assert_cmpuint (song->downbeats->len, ==,
                        (song->beats->len + song->time_signature - 1) / song->time_signature);

      /* Every drum hit is on the sixteenth-note grid of the labelled tempo
       * (within one sample of rounding). */
      for (guint e = 0; e < song->events->len; e++)
        {
          const CochleaNoteEvent *ev = &g_array_index (song->events, CochleaNoteEvent, e);
          double pos, frac;
          if (ev->part != COCHLEA_PART_DRUMS || ev->type != COCHLEA_NOTE_ON)
            continue;
          pos = ((double) ev->sample / song->sample_rate - song->first_downbeat) / (beat / 4);
          frac = fabs (pos - round (pos)) * (beat / 4) * song->sample_rate;
          g_assert_cmpfloat (frac, <=, 1.0);
        }

      /* Pitched notes sit on the eighth-note grid, moved by at most the
       * 15 ms of humanisation (whose spread the label gives). */
      g_assert_cmpfloat (song->humanize_ms, >=, 0.0);
      g_assert_cmpfloat (song->humanize_ms, <=, 10.0);
      for (guint e = 0; e < song->events->len; e++)
        {
          const CochleaNoteEvent *ev = &g_array_index (song->events, CochleaNoteEvent, e);
          double pos, off_ms;
          if (ev->part == COCHLEA_PART_DRUMS || ev->type != COCHLEA_NOTE_ON)
            continue;
          pos = ((double) ev->sample / song->sample_rate - song->first_downbeat) / (beat / 2);
          off_ms = fabs (pos - round (pos)) * (beat / 2) * 1000;
          g_assert_cmpfloat (off_ms, <=, 15.0 + 1000.0 / song->sample_rate);
        }

      ts_count[song->time_signature]++;
      n_drums += song->drums;
      n_voice += song->voice;
      n_speech += song->speech;
      n_live += song->live;
      for (int f = 0; f < COCHLEA_N_FAMILIES; f++)
        family_count[f] += (song->families >> f) & 1;
    }

  /* The mixture is roughly what docs/corpus.md says (binomial spreads of
   * more than four sigma would fail). */
  g_test_message ("drums %u voice %u speech %u live %u no-music %u; 3/4 %u 4/4 %u 5/4 %u",
                  n_drums, n_voice, n_speech, n_live, n_nomusic, ts_count[3], ts_count[4], ts_count[5]);
  g_assert_cmpuint (ts_count[4], >, ts_count[3]);
  g_assert_cmpuint (ts_count[3], >, 0);
  g_assert_cmpuint (n_voice, >, 20);
  g_assert_cmpuint (n_speech, >, 20);
  g_assert_cmpuint (n_live, >, 20);
  g_assert_cmpuint (n_nomusic, >, 0);
  for (int f = 0; f < COCHLEA_N_FAMILIES; f++)
    {
      g_test_message ("%s: %u", cochlea_family_name (f), family_count[f]);
      g_assert_cmpuint (family_count[f], >, 5);
    }
}

/* Even a 1-second clip has its music start early and notes in it. */
static void
test_short_songs (void)
{
  CochleaSongOptions options;

  cochlea_song_options_init_default (&options);
  options.duration = 1.0;
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(CochleaSong) song = cochlea_song_compose (11, i, &options);

      g_assert_cmpint (song->n_samples, ==, 22050);
      if (!song->music)
        continue;
      g_assert_cmpfloat (song->first_downbeat, <=, 0.25);
      g_assert_cmpuint (song->beats->len, >=, 1);
      g_assert_cmpuint (song->events->len, >, 0);
      for (guint e = 0; e < song->events->len; e++)
        {
          const CochleaNoteEvent *ev = &g_array_index (song->events, CochleaNoteEvent, e);
          if (ev->type == COCHLEA_NOTE_ON)
            g_assert_cmpint (ev->sample, <, song->n_samples);
        }
    }
}

static void
test_labels_json (void)
{
  g_autoptr(CochleaSong) song = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj;
  guint i;

  /* The first music song of seed 3. */
  for (i = 0;; i++)
    {
      g_clear_pointer (&song, cochlea_song_free);
      song = cochlea_song_compose (3, i, NULL);
      if (song->music)
        break;
    }
  node = cochlea_song_labels_to_json (song, "TimGM6mb.sf2", "00000.wav");
  obj = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (obj, "format"), ==, "cochlea-corpus-song");
  g_assert_cmpfloat (json_object_get_double_member (obj, "tempo"), ==, song->tempo);
  g_assert_cmpint (json_object_get_int_member (obj, "key"), ==, song->key);
  g_assert_cmpint (json_object_get_int_member (obj, "mode"), ==, song->mode);
  g_assert_cmpint (json_object_get_int_member (obj, "time_signature"), ==, song->time_signature);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "beats")), ==, song->beats->len);
  g_assert_cmpstr (json_object_get_string_member (obj, "soundfont"), ==, "TimGM6mb.sf2");
  g_assert_true (json_object_get_boolean_member (obj, "music"));
  g_assert_cmpint (json_object_get_boolean_member (obj, "drums"), ==, song->drums);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/synth/song/same-seed-same-song", test_same_seed_same_song);
  g_test_add_func ("/synth/song/seeds-distinct", test_song_seeds_distinct);
  g_test_add_func ("/synth/song/labels-match-score", test_labels_match_score);
  g_test_add_func ("/synth/song/short-songs", test_short_songs);
  g_test_add_func ("/synth/song/labels-json", test_labels_json);

  return g_test_run ();
}
