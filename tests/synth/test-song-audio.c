/* test-song-audio.c — rendered songs agree with their labels: tempo from
 * an onset autocorrelation of a drum-only render, key from a chroma
 * template match on a piano-only render, the sung voice on the melody's
 * pitches, crowd before the music of live songs, no drum-like noise in
 * songs labelled without drums.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

#define SR 22050
#define SEED 20261126

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static CochleaSynth *synth;

static const char *
find_soundfont (void)
{
  static const char * const paths[] = {
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
  };
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    if (g_file_test (paths[i], G_FILE_TEST_IS_REGULAR))
      return paths[i];
  return NULL;
}

typedef gboolean (*SongFilter) (const CochleaSong *song);

/* The first @n songs (10 s each) of the test seed that pass @filter. */
static GPtrArray *
pick_songs (SongFilter filter,
            guint      n,
            double     duration)
{
  GPtrArray *songs = g_ptr_array_new_with_free_func ((GDestroyNotify) cochlea_song_free);
  CochleaSongOptions options;

  cochlea_song_options_init_default (&options);
  options.duration = duration;
  for (guint i = 0; songs->len < n && i < 2000; i++)
    {
      CochleaSong *song = cochlea_song_compose (SEED, i, &options);
      if (filter (song))
        g_ptr_array_add (songs, song);
      else
        cochlea_song_free (song);
    }
  g_assert_cmpuint (songs->len, ==, n);
  return songs;
}

static float *
render (const CochleaSong  *song,
        guint               mask,
        CochleaRenderFlags  flags)
{
  g_autoptr(GError) error = NULL;
  float *pcm = cochlea_synth_render (synth, song, mask, flags, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pcm);
  return pcm;
}

static double
rms (const float *x,
     gsize        n)
{
  double acc = 0;

  for (gsize i = 0; i < n; i++)
    acc += (double) x[i] * x[i];
  return n > 0 ? sqrt (acc / n) : 0;
}

/* ---- tempo ------------------------------------------------------------ */

static gboolean
has_drums (const CochleaSong *song)
{
  return song->drums;
}

#define HOP 128

/* Half-wave-rectified log-energy difference, one value per HOP samples. */
static double *
onset_envelope (const float *x,
                gsize        n,
                gsize       *n_frames)
{
  gsize nf = n / HOP;
  double *env = g_new0 (double, nf);
  double prev = 0;

  for (gsize f = 0; f < nf; f++)
    {
      double e = 0, l;
      for (int i = 0; i < HOP; i++)
        e += (double) x[f * HOP + i] * x[f * HOP + i];
      l = log (e + 1e-9);
      env[f] = f > 0 && l > prev ? l - prev : 0;
      prev = l;
    }
  *n_frames = nf;
  return env;
}

/* Tempo from the autocorrelation peak near four beats of @label_bpm
 * (±5 %), refined by a parabola through the peak. */
static double
tempo_from_acf (const double *env,
                gsize         nf,
                double        label_bpm)
{
  double hop_sec = (double) HOP / SR;
  double lag0 = 4 * 60.0 / label_bpm / hop_sec;
  int lo = (int) floor (lag0 * 0.95), hi = (int) ceil (lag0 * 1.05);
  g_autofree double *acf = g_new0 (double, hi + 2);
  double mean = 0, best = -G_MAXDOUBLE, a, b, c, delta;
  int best_lag = lo;

  for (gsize f = 0; f < nf; f++)
    mean += env[f];
  mean /= nf;
  for (int lag = lo - 1; lag <= hi + 1; lag++)
    {
      double s = 0;
      for (gsize f = 0; f + lag < nf; f++)
        s += (env[f] - mean) * (env[f + lag] - mean);
      acf[lag - (lo - 1)] = s / (nf - lag);
    }
  for (int lag = lo; lag <= hi; lag++)
    if (acf[lag - (lo - 1)] > best)
      {
        best = acf[lag - (lo - 1)];
        best_lag = lag;
      }
  a = acf[best_lag - 1 - (lo - 1)];
  b = acf[best_lag - (lo - 1)];
  c = acf[best_lag + 1 - (lo - 1)];
  delta = (a - 2 * b + c) != 0 ? 0.5 * (a - c) / (a - 2 * b + c) : 0;
  return 4 * 60.0 / ((best_lag + CLAMP (delta, -0.5, 0.5)) * hop_sec);
}

static void
test_tempo_matches_drums (void)
{
  g_autoptr(GPtrArray) songs = pick_songs (has_drums, 8, 12.0);

  for (guint i = 0; i < songs->len; i++)
    {
      const CochleaSong *song = g_ptr_array_index (songs, i);
      g_autofree float *pcm = render (song, COCHLEA_PART_MASK (COCHLEA_PART_DRUMS), COCHLEA_RENDER_DRY);
      g_autofree double *env = NULL;
      gsize nf;
      double est, wrong;

      env = onset_envelope (pcm, song->n_samples, &nf);
      est = tempo_from_acf (env, nf, song->tempo);
      g_test_message ("song %u: label %.1f BPM (%d/4), drums say %.2f", song->index, song->tempo,
                      song->time_signature, est);
      g_assert_cmpfloat (fabs (est - song->tempo) / song->tempo, <, 0.02);

      /* The check can fail: a label 3 % off is caught (the peak search is
       * centred on the wrong tempo and the true peak lies near its edge). */
      wrong = tempo_from_acf (env, nf, song->tempo * 1.03);
      g_assert_cmpfloat (fabs (wrong - song->tempo * 1.03) / (song->tempo * 1.03), >, 0.005);
    }
}

/* ---- key -------------------------------------------------------------- */

static gboolean
has_harmony (const CochleaSong *song)
{
  return song->music && (song->parts[COCHLEA_PART_CHORDS].present || song->parts[COCHLEA_PART_PAD].present);
}

/* Chroma: magnitude at the equal-tempered pitches MIDI 28–107 by Goertzel
 * over 8192-sample frames; from the lowest note up, each note's expected
 * harmonics (2nd–6th, amplitude 0.6^(h-1)) are taken out of the notes
 * above it, then notes fold into pitch classes. */
static void
chroma (const float *x,
        gsize        n,
        double       out[12])
{
  const int frame = 8192;
  const int lo = 28, hi = 108;
  static const int harmonic_semitones[5] = { 12, 19, 24, 28, 31 };
  double mag[128];

  memset (out, 0, 12 * sizeof (double));
  for (gsize start = 0; start + frame <= n; start += frame)
    {
      for (int midi = lo; midi < hi; midi++)
        {
          double f = 440.0 * pow (2.0, (midi - 69) / 12.0);
          double coeff = 2 * cos (2 * G_PI * f / SR);
          double s1 = 0, s2 = 0;
          for (int i = 0; i < frame; i++)
            {
              double s0 = x[start + i] + coeff * s1 - s2;
              s2 = s1;
              s1 = s0;
            }
          mag[midi] = sqrt (MAX (0.0, s1 * s1 + s2 * s2 - coeff * s1 * s2));
        }
      for (int midi = lo; midi < hi; midi++)
        {
          double a = 0.6;
          for (int h = 0; h < 5; h++, a *= 0.6)
            {
              int m = midi + harmonic_semitones[h];
              if (m < hi)
                mag[m] = MAX (0.0, mag[m] - a * mag[midi]);
            }
          if (midi >= 36 && midi < 96)
            out[midi % 12] += mag[midi];
        }
    }
}

/* Krumhansl–Kessler probe-tone profiles. */
static const double kk_major[12] = { 6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88 };
static const double kk_minor[12] = { 6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17 };

/* What a key profile sounds like through harmonic tones: each pitch class
 * also feeds its 3rd harmonic (a fifth up) with weight s^2, octaves fold
 * onto the pitch class (Gómez's HPCP templates, s = 0.6). */
static void
harmonic_template (const double *profile,
                   double       *out)
{
  const double s = 0.6;

  for (int pc = 0; pc < 12; pc++)
    out[pc] = profile[pc] * (1 + s + s * s * s) + profile[(pc + 5) % 12] * s * s;
}

static double
correlate (const double *a,
           const double *raw_profile,
           int           shift)
{
  double ma = 0, mb = 0, num = 0, da = 0, db = 0;
  double profile[12];

  harmonic_template (raw_profile, profile);

  for (int i = 0; i < 12; i++)
    {
      ma += a[i] / 12;
      mb += profile[i] / 12;
    }
  for (int i = 0; i < 12; i++)
    {
      double x = a[(i + shift) % 12] - ma, y = profile[i] - mb;
      num += x * y;
      da += x * x;
      db += y * y;
    }
  return num / sqrt (da * db + 1e-300);
}

static void
test_key_matches_chroma (void)
{
  g_autoptr(GPtrArray) songs = pick_songs (has_harmony, 12, 30.0);
  guint correct = 0;
  guint mask = COCHLEA_PART_MASK (COCHLEA_PART_MELODY) | COCHLEA_PART_MASK (COCHLEA_PART_CHORDS) |
               COCHLEA_PART_MASK (COCHLEA_PART_PAD) | COCHLEA_PART_MASK (COCHLEA_PART_BASS);

  for (guint i = 0; i < songs->len; i++)
    {
      const CochleaSong *song = g_ptr_array_index (songs, i);
      g_autofree float *pcm = render (song, mask, COCHLEA_RENDER_DRY | COCHLEA_RENDER_ALL_PIANO);
      double c[12], best = -2;
      int best_key = -1, best_mode = -1;

      chroma (pcm, song->n_samples, c);
      for (int k = 0; k < 12; k++)
        for (int m = 0; m < 2; m++)
          {
            double r = correlate (c, m == 1 ? kk_major : kk_minor, k);
            if (r > best)
              {
                best = r;
                best_key = k;
                best_mode = m;
              }
          }
      g_test_message ("song %u: label %s %s (%s), chroma says %s %s (r = %.2f)", song->index,
                      cochlea_key_name (song->key), song->mode ? "major" : "minor", song->progression,
                      cochlea_key_name (best_key), best_mode ? "major" : "minor", best);
      correct += best_key == song->key && best_mode == song->mode;
    }
  /* A template matcher confuses relative keys now and then; the labels
   * must agree with it on nearly every song. */
  g_test_message ("%u of %u keys agree", correct, songs->len);
  g_assert_cmpuint (correct, >=, songs->len - 1);
}

/* ---- sung voice -------------------------------------------------------- */

static gboolean
has_voice (const CochleaSong *song)
{
  return song->voice;
}

/* f0 by normalised autocorrelation, 60–1000 Hz: the first lag whose
 * correlation is within 10 % of the best (no octave-down errors); 0 when
 * the stretch is not clearly periodic (best correlation under 0.6). */
static double
estimate_f0 (const float *x,
             gsize        n)
{
  int lag_min = SR / 1000, lag_max = SR / 60;
  double r[SR / 60 + 1], best = 0;

  if (n < (gsize) (2 * lag_max))
    return 0;
  for (int lag = lag_min; lag <= lag_max; lag++)
    {
      double num = 0, e0 = 0, e1 = 0;
      for (gsize i = 0; i + lag < n; i++)
        {
          num += (double) x[i] * x[i + lag];
          e0 += (double) x[i] * x[i];
          e1 += (double) x[i + lag] * x[i + lag];
        }
      r[lag] = num / sqrt (e0 * e1 + 1e-30);
      best = MAX (best, r[lag]);
    }
  if (best < 0.6)
    return 0;   /* not clearly periodic */
  for (int lag = lag_min + 1; lag < lag_max; lag++)
    if (r[lag] >= 0.9 * best && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1])
      return (double) SR / lag;
  return 0;
}

static void
test_voice_follows_melody (void)
{
  g_autoptr(GPtrArray) songs = pick_songs (has_voice, 3, 12.0);
  guint checked = 0, voiced = 0, on_pitch = 0;

  if (!have_program ("espeak-ng"))
    {
      g_test_skip ("espeak-ng is not installed");
      return;
    }
  for (guint i = 0; i < songs->len; i++)
    {
      const CochleaSong *song = g_ptr_array_index (songs, i);
      g_autofree float *pcm = render (song, COCHLEA_PART_MASK (COCHLEA_PART_VOICE), COCHLEA_RENDER_DRY);
      g_autofree float *rest = render (song, COCHLEA_PART_MASK_ALL & ~COCHLEA_PART_MASK (COCHLEA_PART_VOICE),
                                       COCHLEA_RENDER_DRY | COCHLEA_RENDER_RAW_LEVEL);

      g_assert_cmpfloat (rms (pcm, song->n_samples), >, 1e-3);
      for (guint k = 0; k < song->sung->len; k++)
        {
          const CochleaSungNote *note = &g_array_index (song->sung, CochleaSungNote, k);
          double target = 440.0 * pow (2.0, (note->key - 69) / 12.0), f0, semis;
          gint64 a = note->start + note->length * 45 / 100, b = note->start + note->length * 85 / 100;

          if (note->length < SR / 4 || b >= song->n_samples)
            continue;
          f0 = estimate_f0 (pcm + a, b - a);
          semis = f0 > 0 ? 12 * log2 (f0 / target) : 99;
          voiced += f0 > 0;
          if (g_getenv ("COCHLEA_TEST_VERBOSE"))
            g_test_message ("  note %d syllable %s: %.2f semitones off", note->key,
                            cochlea_song_syllables ()[note->syllable], semis);
          checked++;
          on_pitch += fabs (semis) < 0.7;
        }
      /* Without the voice nothing melodic remains on the melody part. */
      g_assert_false (song->parts[COCHLEA_PART_MELODY].present);
      (void) rest;
    }
  g_test_message ("%u held notes, %u of them clearly voiced, %u of those within 0.7 semitone of the melody",
                  checked, voiced, on_pitch);
  g_assert_cmpuint (checked, >=, 10);
  g_assert_cmpuint (voiced, >=, checked * 7 / 10);
  g_assert_cmpuint (on_pitch, >=, voiced * 9 / 10);
}

/* ---- speech, live, and what is absent ---------------------------------- */

static gboolean
is_live_music (const CochleaSong *song)
{
  return song->live && song->music;
}

static gboolean
is_studio_music (const CochleaSong *song)
{
  return !song->live && song->music && !song->speech;
}

static double
max_abs (const float *x,
         gsize        n)
{
  double m = 0;

  for (gsize i = 0; i < n; i++)
    m = MAX (m, fabs (x[i]));
  return m;
}

/* ---- presence ----------------------------------------------------------- */

/* A live song has a crowd (applause) before its first downbeat; a studio
 * song is silent there, since nothing plays before beat one. */
static void
test_live_has_crowd (void)
{
  g_autoptr(GPtrArray) live = pick_songs (is_live_music, 3, 8.0);
  g_autoptr(GPtrArray) studio = pick_songs (is_studio_music, 3, 8.0);
  guint mask = COCHLEA_PART_MASK_ALL & ~(COCHLEA_PART_MASK (COCHLEA_PART_VOICE) | COCHLEA_PART_MASK (COCHLEA_PART_SPEECH));

  for (guint i = 0; i < live->len; i++)
    {
      const CochleaSong *song = g_ptr_array_index (live, i);
      g_autofree float *pcm = render (song, mask, COCHLEA_RENDER_DEFAULT);
      g_autofree float *dry = render (song, mask, COCHLEA_RENDER_DRY);
      gsize intro = (gsize) ((song->first_downbeat - 0.05) * SR);

      g_assert_cmpfloat (song->first_downbeat, >, 0.6);
      g_assert_cmpfloat (rms (pcm, intro), >, 0.003);
      g_assert_cmpfloat (max_abs (dry, intro), <, 1e-6);
    }
  for (guint i = 0; i < studio->len; i++)
    {
      const CochleaSong *song = g_ptr_array_index (studio, i);
      g_autofree float *pcm = render (song, COCHLEA_PART_MASK_ALL, COCHLEA_RENDER_DEFAULT);
      gsize intro = (gsize) ((song->first_downbeat - 0.01) * SR);

      g_assert_cmpfloat (max_abs (pcm, intro), <, 1e-6);
    }
}

static gboolean
is_plain (const CochleaSong *song)
{
  return song->music && !song->drums && !song->voice && !song->speech;
}

static void
test_absent_content (void)
{
  g_autoptr(GPtrArray) plain = pick_songs (is_plain, 4, 8.0);
  g_autoptr(GPtrArray) drummed = pick_songs (has_drums, 4, 8.0);

  for (guint i = 0; i < plain->len; i++)
    {
      const CochleaSong *song = g_ptr_array_index (plain, i);
      g_autofree float *all = render (song, COCHLEA_PART_MASK_ALL, COCHLEA_RENDER_DRY | COCHLEA_RENDER_RAW_LEVEL);
      g_autofree float *pitched = render (song, COCHLEA_PART_MASK (COCHLEA_PART_MELODY) | COCHLEA_PART_MASK (COCHLEA_PART_CHORDS) |
                                                COCHLEA_PART_MASK (COCHLEA_PART_BASS) | COCHLEA_PART_MASK (COCHLEA_PART_PAD),
                                          COCHLEA_RENDER_DRY | COCHLEA_RENDER_RAW_LEVEL);

      /* Nothing but the pitched parts is in the song. */
      g_assert_true (memcmp (all, pitched, song->n_samples * sizeof (float)) == 0);
      /* And no drum render exists to add. */
      g_free (pitched);
      pitched = render (song, COCHLEA_PART_MASK (COCHLEA_PART_DRUMS) | COCHLEA_PART_MASK (COCHLEA_PART_VOICE) |
                              COCHLEA_PART_MASK (COCHLEA_PART_SPEECH), COCHLEA_RENDER_DRY | COCHLEA_RENDER_RAW_LEVEL);
      g_assert_cmpfloat (max_abs (pitched, song->n_samples), ==, 0.0);
    }
  /* Where drums are labelled, the drum render carries a good part of the
   * energy. */
  for (guint i = 0; i < drummed->len; i++)
    {
      const CochleaSong *song = g_ptr_array_index (drummed, i);
      g_autofree float *drums = render (song, COCHLEA_PART_MASK (COCHLEA_PART_DRUMS), COCHLEA_RENDER_DRY | COCHLEA_RENDER_RAW_LEVEL);
      g_autofree float *all = render (song, COCHLEA_PART_MASK_ALL, COCHLEA_RENDER_DRY | COCHLEA_RENDER_RAW_LEVEL);
      g_assert_cmpfloat (rms (drums, song->n_samples), >, 0.1 * rms (all, song->n_samples));
    }
}

static gboolean
is_speech_alone (const CochleaSong *song)
{
  return song->speech && !song->music;
}

static void
test_speech_alone (void)
{
  g_autoptr(GPtrArray) songs = pick_songs (is_speech_alone, 1, 8.0);
  const CochleaSong *song = g_ptr_array_index (songs, 0);
  g_autofree float *pcm = NULL;

  if (!have_program ("espeak-ng"))
    {
      g_test_skip ("espeak-ng is not installed");
      return;
    }
  pcm = render (song, COCHLEA_PART_MASK_ALL, COCHLEA_RENDER_DRY);
  g_assert_cmpuint (song->events->len, ==, 0);
  g_assert_cmpint (song->key, ==, -1);
  g_assert_cmpfloat (rms (pcm, song->n_samples), >, 0.01);
}

int
main (int    argc,
      char **argv)
{
  const char *sf;
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  sf = find_soundfont ();
  if (sf == NULL)
    {
      g_print ("1..0 # SKIP no General MIDI SoundFont installed (timgm6mb-soundfont)\n");
      return 0;
    }
  synth = cochlea_synth_new (sf, SR, &error);
  g_assert_no_error (error);

  g_test_add_func ("/synth/audio/tempo-matches-drums", test_tempo_matches_drums);
  g_test_add_func ("/synth/audio/key-matches-chroma", test_key_matches_chroma);
  g_test_add_func ("/synth/audio/voice-follows-melody", test_voice_follows_melody);
  g_test_add_func ("/synth/audio/live-has-crowd", test_live_has_crowd);
  g_test_add_func ("/synth/audio/absent-content", test_absent_content);
  g_test_add_func ("/synth/audio/speech-alone", test_speech_alone);

  ret = g_test_run ();
  cochlea_synth_free (synth);
  return ret;
}
