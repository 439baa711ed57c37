/* test-attributes.c — tempo, key, loudness and the 0–1 attributes on
 * signals made here with known answers.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <ebur128.h>
#include <math.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"
#include "dsp/cochlea-attributes.h"
#include "dsp/cochlea-key.h"
#include "dsp/cochlea-loudness.h"
#include "dsp/cochlea-tempo.h"

#define SR 22050

/* ---- signal makers ---------------------------------------------------- */

typedef struct
{
  float *x;
  gsize  n;
} Signal;

static Signal
signal_new (double seconds)
{
  Signal s;

  s.n = (gsize) (seconds * SR);
  s.x = g_new0 (float, s.n);
  return s;
}

/* A 30-ms decaying 2 kHz blip with a bit of noise at every beat from
 * @from_s to @to_s. */
static void
add_clicks (Signal *s,
            double  bpm,
            double  from_s,
            double  to_s,
            double  amplitude)
{
  GRand *rand = g_rand_new_with_seed (7);

  for (double t = from_s; t < to_s - 1e-9; t += 60.0 / bpm)
    {
      gsize start = (gsize) (t * SR);
      for (gsize i = 0; i < (gsize) (0.03 * SR) && start + i < s->n; i++)
        {
          double env = exp (-(double) i / (0.006 * SR));
          s->x[start + i] += (float) (amplitude * env * (0.7 * sin (2 * G_PI * 2000.0 * i / SR) +
                                                         0.3 * g_rand_double_range (rand, -1, 1)));
        }
    }
  g_rand_free (rand);
}

/* A harmonic tone (6 partials, 1/h amplitudes) of MIDI note @midi. */
static void
add_note (Signal *s,
          int     midi,
          double  from_s,
          double  to_s,
          double  amplitude)
{
  double f0 = 440.0 * pow (2.0, (midi - 69) / 12.0);
  gsize a = (gsize) (from_s * SR), b = MIN (s->n, (gsize) (to_s * SR));

  for (gsize i = a; i < b; i++)
    {
      double t = (double) (i - a) / SR;
      double env = MIN (1.0, t / 0.01) * exp (-t * 0.8);
      double v = 0.0;

      for (int h = 1; h <= 6; h++)
        if (f0 * h < SR / 2.0)
          v += sin (2 * G_PI * f0 * h * t) / h;
      s->x[i] += (float) (amplitude * env * v);
    }
}

/* Chords (MIDI triads), one per @chord_s seconds, looped for @seconds, with
 * the root doubled an octave lower. */
static Signal
make_progression (const int (*chords)[3],
                  int         n_chords,
                  double      chord_s,
                  double      seconds,
                  double      amplitude)
{
  Signal s = signal_new (seconds);
  int i = 0;

  for (double t = 0; t + chord_s <= seconds + 1e-9; t += chord_s, i++)
    {
      const int *c = chords[i % n_chords];
      for (int k = 0; k < 3; k++)
        add_note (&s, c[k], t, t + chord_s, amplitude);
      add_note (&s, c[0] - 12, t, t + chord_s, amplitude);
    }
  return s;
}

static const int c_major[][3] = {
  { 60, 64, 67 },   /* C */
  { 65, 69, 72 },   /* F */
  { 67, 71, 74 },   /* G */
  { 60, 64, 67 },   /* C */
  { 57, 60, 64 },   /* Am */
  { 62, 65, 69 },   /* Dm */
  { 67, 71, 74 },   /* G */
  { 60, 64, 67 },   /* C */
};

static const int a_minor[][3] = {
  { 57, 60, 64 },   /* Am */
  { 62, 65, 69 },   /* Dm */
  { 64, 68, 71 },   /* E  */
  { 57, 60, 64 },   /* Am */
  { 53, 57, 60 },   /* F  */
  { 62, 65, 69 },   /* Dm */
  { 64, 68, 71 },   /* E  */
  { 57, 60, 64 },   /* Am */
};

/* ---- running the analyser without a decoder ------------------------- */

static void
frame_cb (const float *mel_db,
          const float *power,
          gint64       index,
          gpointer     user_data)
{
  cochlea_attribute_analyzer_push_frame (user_data, mel_db, power);
}

/* Streams @x (mono; stereo with both channels equal when @stereo) through
 * the log-mel front end and the attribute analyser in uneven blocks, as the
 * analysis loop does. */
static void
analyse (const float       *x,
         gsize              n,
         gboolean           stereo,
         CochleaAttributes *out)
{
  CochleaMelParams params;
  g_autoptr(CochleaMel) mel = NULL;
  g_autoptr(CochleaAttributeAnalyzer) an = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *inter = g_new (float, 2 * 5000);
  gsize off = 0, block = 1000;

  cochlea_mel_params_init_default (&params);
  mel = cochlea_mel_new (&params, &error);
  g_assert_no_error (error);
  an = cochlea_attribute_analyzer_new (&params);

  while (off < n)
    {
      gsize m = MIN (block, n - off);

      for (gsize i = 0; i < m; i++)
        inter[2 * i] = inter[2 * i + 1] = x[off + i];
      cochlea_mel_push (mel, x + off, m, frame_cb, an);
      cochlea_attribute_analyzer_push_pcm (an, x + off, stereo ? inter : NULL, 2, m);
      off += m;
      block = block == 1000 ? 4999 : 1000;
    }
  cochlea_mel_finish (mel, frame_cb, an);
  cochlea_attribute_analyzer_finish (an, out);
}

static void
assert_unit (double v, const char *name)
{
  if (!(isfinite (v) && v >= 0.0 && v <= 1.0))
    g_error ("%s = %g is not in 0–1", name, v);
}

/* Every field finite and in its documented range. */
static void
assert_in_range (const CochleaAttributes *a)
{
  g_assert_true (isfinite (a->tempo));
  g_assert_cmpfloat (a->tempo, >=, 0.0);
  g_assert_cmpfloat (a->tempo, <=, 300.0);
  assert_unit (a->tempo_confidence, "tempo_confidence");
  g_assert_cmpint (a->time_signature, >=, 3);
  g_assert_cmpint (a->time_signature, <=, 7);
  g_assert_cmpint (a->key, >=, -1);
  g_assert_cmpint (a->key, <=, 11);
  g_assert_true (a->mode == 0 || a->mode == 1);
  assert_unit (a->key_confidence, "key_confidence");
  g_assert_true (isfinite (a->loudness));
  g_assert_cmpfloat (a->loudness, >=, -70.0);
  g_assert_cmpfloat (a->loudness, <=, 5.0);
  assert_unit (a->energy, "energy");
  assert_unit (a->danceability, "danceability");
  assert_unit (a->valence, "valence");
  assert_unit (a->acousticness, "acousticness");
  assert_unit (a->instrumentalness, "instrumentalness");
  assert_unit (a->speechiness, "speechiness");
  assert_unit (a->liveness, "liveness");
}

static void
assert_tempo_near (double got,
                   double want,
                   double tolerance)
{
  if (fabs (got - want) > tolerance * want)
    g_error ("tempo %.2f BPM, expected %.2f ± %.0f %%", got, want, tolerance * 100);
}

/* ---- tests ------------------------------------------------------------ */

static void
test_silence (void)
{
  Signal s = signal_new (5.0);
  CochleaAttributes a;

  analyse (s.x, s.n, TRUE, &a);
  assert_in_range (&a);
  g_assert_cmpfloat (a.tempo, ==, 0.0);
  g_assert_cmpfloat (a.tempo_confidence, ==, 0.0);
  g_assert_cmpint (a.key, ==, -1);
  g_assert_cmpfloat (a.key_confidence, ==, 0.0);
  g_assert_cmpfloat (a.loudness, ==, -70.0);
  g_assert_cmpfloat (a.energy, ==, 0.0);
  g_free (s.x);
}

static void
test_clicks (gconstpointer data)
{
  double bpm = *(const double *) data;
  Signal s = signal_new (30.0);
  CochleaAttributes a;

  add_clicks (&s, bpm, 0.25, 30.0, 0.5);
  analyse (s.x, s.n, FALSE, &a);
  assert_in_range (&a);
  assert_tempo_near (a.tempo, bpm, 0.02);
  g_assert_cmpfloat (a.tempo_confidence, >, 0.5);
  g_free (s.x);
}

/* 20 s at 100 BPM then 10 s at 140: the dominant tempo is 100. */
static void
test_tempo_change (void)
{
  Signal s = signal_new (30.0);
  CochleaAttributes a;

  add_clicks (&s, 100.0, 0.25, 20.0, 0.5);
  add_clicks (&s, 140.0, 20.0, 30.0, 0.5);
  analyse (s.x, s.n, FALSE, &a);
  assert_in_range (&a);
  assert_tempo_near (a.tempo, 100.0, 0.02);
  g_free (s.x);
}

/* Without drums: a bass note on beats 1 and 3, a softer note on every beat
 * and eighth notes between them, at @bpm.  The beat is the middle level,
 * not the half notes of the loud bass nor the eighths.  (The first version
 * of the tempo estimator read 140 BPM as 70: the beats alternate strong
 * and weak, which it took for eighth-note hi-hats.) */
static Signal
make_drumless (double bpm,
               double seconds)
{
  Signal s = signal_new (seconds);
  double beat = 60.0 / bpm;
  int k = 0;

  for (double t = 0.1; t + beat <= seconds; t += beat, k++)
    {
      if (k % 2 == 0)
        add_note (&s, 36, t, MIN (seconds, t + 2 * beat), 0.4);
      add_note (&s, k % 4 == 0 ? 60 : 64, t, t + beat, 0.05);
      add_note (&s, 72, t + beat / 2, t + beat, 0.05);
    }
  return s;
}

static void
test_tempo_drumless (gconstpointer data)
{
  double bpm = *(const double *) data;
  Signal s = make_drumless (bpm, 20.0);
  CochleaAttributes a;

  analyse (s.x, s.n, FALSE, &a);
  assert_in_range (&a);
  assert_tempo_near (a.tempo, bpm, 0.02);
  g_free (s.x);
}

/* A drum pattern over a sustained chord and a −55 dB noise floor:
 * broadband kick/snare clicks on the beat, narrow 8 kHz "hi-hat" ticks on
 * every eighth.  The beat, not the eighths.  (Without the noise floor —
 * digital silence around the ticks — the log-mel flux of a tick rises from
 * the 80-dB floor and is as strong as a hit: the beat then reads as 2×.) */
static void
test_tempo_hihat_eighths (gconstpointer data)
{
  double bpm = *(const double *) data;
  Signal s = signal_new (20.0);
  GRand *rand = g_rand_new_with_seed (3);
  CochleaAttributes a;

  for (gsize i = 0; i < s.n; i++)
    s.x[i] = (float) g_rand_double_range (rand, -0.002, 0.002);
  g_rand_free (rand);
  for (int k = 0; k < 5; k++)
    {
      add_note (&s, 48, 4.0 * k, 4.0 * k + 4.0, 0.1);
      add_note (&s, 55, 4.0 * k, 4.0 * k + 4.0, 0.1);
    }
  add_clicks (&s, bpm, 0.25, 20.0, 0.5);
  for (double t = 0.25; t < 20.0; t += 30.0 / bpm)
    {
      gsize start = (gsize) (t * SR);
      for (gsize i = 0; i < (gsize) (0.02 * SR) && start + i < s.n; i++)
        s.x[start + i] += (float) (0.1 * exp (-(double) i / (0.004 * SR)) * sin (2 * G_PI * 8000.0 * i / SR));
    }
  analyse (s.x, s.n, FALSE, &a);
  assert_in_range (&a);
  assert_tempo_near (a.tempo, bpm, 0.02);
  g_free (s.x);
}

/* Two seconds is less than most analysis windows: still sane, and the
 * pulse of a 120 BPM click is still found within 4 %. */
static void
test_short_clip (void)
{
  Signal s = signal_new (2.0);
  CochleaAttributes a;

  add_clicks (&s, 120.0, 0.1, 2.0, 0.5);
  add_note (&s, 60, 0.0, 2.0, 0.1);
  analyse (s.x, s.n, TRUE, &a);
  assert_in_range (&a);
  assert_tempo_near (a.tempo, 120.0, 0.04);
  g_free (s.x);
}

static void
test_sustained_note (void)
{
  Signal s = signal_new (10.0);
  CochleaAttributes a;

  add_note (&s, 57, 0.0, 10.0, 0.3);   /* A3, decaying */
  analyse (s.x, s.n, FALSE, &a);
  assert_in_range (&a);
  g_assert_cmpfloat (a.tempo_confidence, <, 0.3);
  /* One pitch class: no key, or the key of that note. */
  g_assert_true (a.key == -1 || a.key == 9);
  g_free (s.x);
}

static void
test_noise (void)
{
  Signal s = signal_new (10.0);
  GRand *rand = g_rand_new_with_seed (42);
  CochleaAttributes a;

  for (gsize i = 0; i < s.n; i++)
    s.x[i] = (float) g_rand_double_range (rand, -0.3, 0.3);
  analyse (s.x, s.n, TRUE, &a);
  assert_in_range (&a);
  g_assert_cmpfloat (a.tempo_confidence, <, 0.3);
  g_assert_cmpfloat (a.key_confidence, <, 0.5);
  g_rand_free (rand);
  g_free (s.x);
}

static void
test_key_c_major (void)
{
  Signal s = make_progression (c_major, G_N_ELEMENTS (c_major), 1.0, 16.0, 0.05);
  CochleaAttributes a;

  analyse (s.x, s.n, TRUE, &a);
  assert_in_range (&a);
  g_assert_cmpint (a.key, ==, 0);
  g_assert_cmpint (a.mode, ==, 1);
  g_assert_cmpfloat (a.key_confidence, >, 0.3);
  g_assert_cmpfloat (fabs (a.cues.tuning_cents), <, 10.0);
  g_free (s.x);
}

static void
test_key_a_minor (void)
{
  Signal s = make_progression (a_minor, G_N_ELEMENTS (a_minor), 1.0, 16.0, 0.05);
  CochleaAttributes a;

  analyse (s.x, s.n, TRUE, &a);
  assert_in_range (&a);
  g_assert_cmpint (a.key, ==, 9);
  g_assert_cmpint (a.mode, ==, 0);
  g_free (s.x);
}

/* Tuned 30 cents sharp: the tuning estimate follows, the key does not move. */
static void
test_key_detuned (void)
{
  Signal s;
  CochleaAttributes a;
  double ratio = pow (2.0, 30.0 / 1200.0);
  g_autofree float *y = NULL;

  /* Render at a lower rate, read at SR: every pitch goes up by @ratio. */
  s = make_progression (c_major, G_N_ELEMENTS (c_major), 1.0, 16.0 * ratio, 0.05);
  y = g_new (float, (gsize) (s.n / ratio));
  for (gsize i = 0; i < (gsize) (s.n / ratio); i++)
    {
      double pos = i * ratio;
      gsize j = (gsize) pos;
      double f = pos - j;
      y[i] = (float) (j + 1 < s.n ? s.x[j] * (1 - f) + s.x[j + 1] * f : 0.0);
    }
  analyse (y, (gsize) (s.n / ratio), FALSE, &a);
  g_assert_cmpint (a.key, ==, 0);
  g_assert_cmpint (a.mode, ==, 1);
  g_assert_cmpfloat (fabs (a.cues.tuning_cents - 30.0), <, 8.0);
  g_free (s.x);
}

/* EBU Tech 3341 case 1's principle: a stereo 1 kHz sine at −20 dBFS
 * (amplitude 0.1 in each channel) reads −20 LUFS. */
static void
test_loudness_sine (void)
{
  gsize n;
  g_autofree float *x = cochlea_test_sine (1000.0, 0.1, SR, 20.0, &n);
  CochleaAttributes a;

  analyse (x, n, TRUE, &a);
  assert_in_range (&a);
  if (fabs (a.loudness - (-20.0)) > 0.2)
    g_error ("loudness %.3f LUFS, expected −20 ± 0.2", a.loudness);
}

/* Loudness is measured on the file's own rate through the decoder's tap:
 * white noise at 44.1 kHz has half its power above the analysis band, and
 * still reads what libebur128 reads on the whole signal. */
static void
test_loudness_native_rate (void)
{
  const int rate = 44100;
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "noise-44k.wav", NULL);
  gsize n = (gsize) rate * 8;
  g_autofree float *x = g_new (float, n);
  g_autofree float *stereo = g_new (float, 2 * n);
  g_autoptr(CochleaAnalysis) analysis = NULL;
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (3);
  ebur128_state *st = ebur128_init (2, rate, EBUR128_MODE_I);
  double reference;

  for (gsize i = 0; i < n; i++)
    {
      /* what the 16-bit WAV will hold */
      x[i] = (float) (lrint (g_rand_double_range (rand, -0.25, 0.25) * 32768.0) / 32768.0);
      stereo[2 * i] = stereo[2 * i + 1] = x[i];
    }
  ebur128_add_frames_float (st, stereo, n);
  ebur128_loudness_global (st, &reference);
  ebur128_destroy (&st);
  g_rand_free (rand);
  cochlea_test_write_wav (path, x, n, rate, 2);

  analysis = cochlea_analyze_file (path, COCHLEA_ANALYZE_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (analysis->have_attributes);
  assert_in_range (&analysis->attributes);
  if (fabs (analysis->attributes.loudness - reference) > 0.02)
    g_error ("loudness %.3f LUFS through the decoder, %.3f LUFS on the 44.1 kHz samples",
             analysis->attributes.loudness, reference);
}

/* The streaming BS.1770 implementation against libebur128 (the reference
 * it replaces in the hot path) on signals that exercise each part: both
 * filters, the gates, odd block sizes, mono and stereo, several rates. */
static void
test_loudness_parity (void)
{
  static const struct { int rate; guint channels; int kind; } cases[] = {
    { 44100, 2, 0 },   /* white noise */
    { 48000, 1, 1 },   /* loud, quiet and silent sections: both gates bite */
    { 22050, 2, 2 },   /* 50 Hz sine: the high-pass region */
    { 32000, 2, 3 },   /* 9 kHz sine: the shelf */
    { 44100, 1, 4 },   /* 0.3 s: no complete block */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      int rate = cases[c].rate;
      guint ch = cases[c].channels;
      gsize n = cases[c].kind == 4 ? (gsize) (0.3 * rate) : (gsize) rate * 8;
      g_autofree float *x = g_new (float, n * ch);
      g_autoptr(CochleaLoudness) ours = cochlea_loudness_new ();
      ebur128_state *st = ebur128_init (ch, rate, EBUR128_MODE_I);
      GRand *rand = g_rand_new_with_seed (11 + c);
      double ref = 0, got;

      for (gsize i = 0; i < n; i++)
        for (guint k = 0; k < ch; k++)
          {
            double t = (double) i / rate, v;

            switch (cases[c].kind)
              {
              case 0: v = g_rand_double_range (rand, -0.3, 0.3); break;
              case 1: v = (t < 3 ? 0.3 : t < 6 ? 0.01 : 0.0) * g_rand_double_range (rand, -1, 1); break;
              case 2: v = 0.5 * sin (2 * G_PI * 50 * t + k); break;
              case 3: v = 0.2 * sin (2 * G_PI * 9000 * t); break;
              default: v = 0.2 * sin (2 * G_PI * 1000 * t); break;
              }
            x[i * ch + k] = (float) v;
          }
      g_rand_free (rand);

      ebur128_add_frames_float (st, x, n);
      ebur128_loudness_global (st, &ref);
      ebur128_destroy (&st);
      /* uneven pushes, as the decoder hands them out */
      for (gsize off = 0, step = 777; off < n; off += step, step = step == 777 ? 4096 : 777)
        cochlea_loudness_push (ours, x + off * ch, MIN (step, n - off), ch, rate);
      got = cochlea_loudness_get_integrated (ours);

      if (cases[c].kind == 4)
        {
          g_assert_true (isinf (ref) && ref < 0);
          g_assert_true (isinf (got) && got < 0);
        }
      else if (!(fabs (got - ref) < 0.01))
        g_error ("case %u: %.4f LUFS, libebur128 %.4f LUFS", c, got, ref);
    }
}

/* 40 dB quieter (about −60 LUFS, near the −70 LUFS absolute gate) changes
 * the loudness by 40 LU and nothing musical. */
static void
test_very_quiet (void)
{
  Signal loud = make_progression (c_major, G_N_ELEMENTS (c_major), 1.0, 16.0, 0.05);
  Signal quiet = make_progression (c_major, G_N_ELEMENTS (c_major), 1.0, 16.0, 0.05e-2);
  CochleaAttributes a, b;

  add_clicks (&loud, 120.0, 0.0, 16.0, 0.2);
  add_clicks (&quiet, 120.0, 0.0, 16.0, 0.2e-2);
  analyse (loud.x, loud.n, TRUE, &a);
  analyse (quiet.x, quiet.n, TRUE, &b);
  assert_in_range (&b);
  g_assert_cmpfloat (fabs ((a.loudness - b.loudness) - 40.0), <, 0.1);
  g_assert_cmpint (b.key, ==, a.key);
  g_assert_cmpint (b.mode, ==, a.mode);
  assert_tempo_near (b.tempo, 120.0, 0.02);
  g_assert_cmpfloat (b.energy, <, a.energy);
  g_free (loud.x);
  g_free (quiet.x);
}

/* Driven ×20 into hard clipping: still in range, same key and tempo. */
static void
test_clipped (void)
{
  Signal s = make_progression (c_major, G_N_ELEMENTS (c_major), 1.0, 16.0, 0.05);
  CochleaAttributes a;

  add_clicks (&s, 120.0, 0.0, 16.0, 0.2);
  for (gsize i = 0; i < s.n; i++)
    s.x[i] = CLAMP (s.x[i] * 20.0f, -1.0f, 1.0f);
  analyse (s.x, s.n, TRUE, &a);
  assert_in_range (&a);
  g_assert_cmpint (a.key, ==, 0);
  assert_tempo_near (a.tempo, 120.0, 0.02);
  g_assert_cmpfloat (a.loudness, >, -10.0);
  g_free (s.x);
}

/* Waltz accents (strong–weak–weak) read as 3 beats per bar, a rock
 * pattern (bass on 1 and 3) as 4. */
static void
test_time_signature (void)
{
  Signal waltz = signal_new (30.0), rock = signal_new (30.0);
  CochleaAttributes a;
  int beat = 0;

  for (double t = 0.25; t < 30.0; t += 0.5, beat++)
    {
      add_clicks (&waltz, 1.0, t, t + 0.01, beat % 3 == 0 ? 0.8 : 0.2);
      add_note (&waltz, beat % 3 == 0 ? 36 : 60, t, t + 0.2, beat % 3 == 0 ? 0.5 : 0.05);
      add_clicks (&rock, 1.0, t, t + 0.01, beat % 4 == 0 ? 0.8 : 0.2);
      add_note (&rock, beat % 4 == 0 ? 36 : 60, t, t + 0.2, beat % 4 == 0 ? 0.5 : 0.05);
    }
  analyse (waltz.x, waltz.n, FALSE, &a);
  assert_in_range (&a);
  g_assert_cmpint (a.time_signature, ==, 3);
  analyse (rock.x, rock.n, FALSE, &a);
  g_assert_cmpint (a.time_signature, ==, 4);
  g_free (waltz.x);
  g_free (rock.x);
}

/* Key estimation alone, on ideal chroma vectors, for every profile set. */
static void
test_key_profiles (void)
{
  for (int p = 0; p < COCHLEA_KEY_N_PROFILES; p++)
    for (int tonic = 0; tonic < 12; tonic++)
      {
        /* Tonic triad weighted over a diatonic scale. */
        static const int major_scale[] = { 0, 2, 4, 5, 7, 9, 11 };
        static const int minor_scale[] = { 0, 2, 3, 5, 7, 8, 10 };
        double chroma[12] = { 0 };
        CochleaKey key;

        for (int i = 0; i < 7; i++)
          chroma[(tonic + major_scale[i]) % 12] += 1.0;
        chroma[tonic] += 2.0;
        chroma[(tonic + 4) % 12] += 1.0;
        chroma[(tonic + 7) % 12] += 1.5;
        cochlea_key_estimate (chroma, NULL, p, &key);
        g_assert_cmpint (key.key, ==, tonic);
        g_assert_cmpint (key.mode, ==, 1);

        memset (chroma, 0, sizeof chroma);
        for (int i = 0; i < 7; i++)
          chroma[(tonic + minor_scale[i]) % 12] += 1.0;
        chroma[tonic] += 2.0;
        chroma[(tonic + 3) % 12] += 1.0;
        chroma[(tonic + 7) % 12] += 1.5;
        cochlea_key_estimate (chroma, NULL, p, &key);
        g_assert_cmpint (key.key, ==, tonic);
        g_assert_cmpint (key.mode, ==, 0);
      }
}

/* ii–V–I–I in C with each note's third harmonic (a fifth up) at 0.2 of
 * the note: G is then the strongest class, and a plain profile match reads
 * G major; the default (polyphonic) profile must still read C major. */
static void
test_key_third_harmonics (void)
{
  static const int chords[4][3] = { { 2, 5, 9 }, { 7, 11, 2 }, { 0, 4, 7 }, { 0, 4, 7 } };
  double chroma[12] = { 0 };
  CochleaKey key;

  for (int c = 0; c < 4; c++)
    for (int i = 0; i < 3; i++)
      {
        chroma[chords[c][i]] += 1.0;
        chroma[(chords[c][i] + 7) % 12] += 0.2;
      }
  cochlea_key_estimate (chroma, NULL, COCHLEA_KEY_PROFILE_DEFAULT, &key);
  g_assert_cmpint (key.key, ==, 0);
  g_assert_cmpint (key.mode, ==, 1);
}

/* Spoken words (espeak-ng) against a chord progression with a beat: the
 * speech cues must rank them the right way round. */
static void
test_speech_vs_music (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *speech_path = g_build_filename (dir, "speech.wav", NULL);
  g_autofree char *music_path = g_build_filename (dir, "music.wav", NULL);
  const char *argv[] = { "espeak-ng", "-w", speech_path,
                         "The quick brown fox jumps over the lazy dog. Music information "
                         "retrieval is the interdisciplinary science of retrieving information "
                         "from music, with a background in musicology, psychoacoustics, "
                         "signal processing and machine learning.", NULL };
  g_autoptr(CochleaAnalysis) speech = NULL;
  g_autoptr(CochleaAnalysis) music = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *espeak = g_find_program_in_path ("espeak-ng");
  Signal s;

  if (espeak == NULL)
    {
      g_test_skip ("espeak-ng is not installed");
      return;
    }
  g_assert_cmpint (cochlea_test_run (argv, NULL, NULL), ==, 0);
  s = make_progression (c_major, G_N_ELEMENTS (c_major), 1.0, 16.0, 0.05);
  add_clicks (&s, 120.0, 0.0, 16.0, 0.2);
  cochlea_test_write_wav (music_path, s.x, s.n, SR, 2);
  g_free (s.x);

  speech = cochlea_analyze_file (speech_path, COCHLEA_ANALYZE_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  music = cochlea_analyze_file (music_path, COCHLEA_ANALYZE_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_in_range (&speech->attributes);
  assert_in_range (&music->attributes);
  g_assert_cmpfloat (speech->attributes.speechiness, >, 0.33);
  g_assert_cmpfloat (speech->attributes.speechiness, >, music->attributes.speechiness + 0.2);
  g_assert_cmpfloat (speech->attributes.instrumentalness, <, 0.5);
  g_assert_cmpfloat (music->attributes.instrumentalness, >, 0.5);
  g_assert_cmpfloat (music->attributes.danceability, >, speech->attributes.danceability);
}

/* The whole path: a WAV through cochlea_analyze_file() and the CLI. */
static void
test_cli_prints_fields (void)
{
  static const char *fields[] = {
    "tempo", "tempo_confidence", "time_signature", "key", "mode", "key_confidence",
    "loudness", "energy", "danceability", "valence", "acousticness",
    "instrumentalness", "speechiness", "liveness",
  };
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "progression.wav", NULL);
  Signal s = make_progression (c_major, G_N_ELEMENTS (c_major), 0.5, 12.0, 0.05);
  const char *cli = g_getenv ("COCHLEA_CLI");
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *obj;

  add_clicks (&s, 120.0, 0.0, 12.0, 0.2);
  cochlea_test_write_wav (path, s.x, s.n, SR, 2);
  g_free (s.x);

  if (cli == NULL)
    {
      g_test_skip ("COCHLEA_CLI not set");
      return;
    }
  {
    const char *argv[] = { cli, "analyze", path, NULL };
    g_assert_cmpint (cochlea_test_run (argv, &out, NULL), ==, 0);
  }
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  obj = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      JsonNode *node = json_object_get_member (obj, fields[i]);
      if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
        g_error ("field %s missing or null in: %s", fields[i], out);
    }
  g_assert_cmpint (json_object_get_int_member (obj, "key"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (obj, "mode"), ==, 1);
  assert_tempo_near (json_object_get_double_member (obj, "tempo"), 120.0, 0.02);
}

int
main (int    argc,
      char **argv)
{
  static const double bpms[] = { 60.0, 120.0, 180.0 };
  static const double drumless_bpms[] = { 80.0, 140.0 };
  static const double hihat_bpms[] = { 75.0, 150.0 };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attributes/silence", test_silence);
  for (guint i = 0; i < G_N_ELEMENTS (bpms); i++)
    {
      g_autofree char *name = g_strdup_printf ("/attributes/tempo/clicks-%.0f", bpms[i]);
      g_test_add_data_func (name, &bpms[i], test_clicks);
    }
  for (guint i = 0; i < G_N_ELEMENTS (drumless_bpms); i++)
    {
      g_autofree char *name = g_strdup_printf ("/attributes/tempo/drumless-%.0f", drumless_bpms[i]);
      g_test_add_data_func (name, &drumless_bpms[i], test_tempo_drumless);
    }
  for (guint i = 0; i < G_N_ELEMENTS (hihat_bpms); i++)
    {
      g_autofree char *name = g_strdup_printf ("/attributes/tempo/hihat-eighths-%.0f", hihat_bpms[i]);
      g_test_add_data_func (name, &hihat_bpms[i], test_tempo_hihat_eighths);
    }
  g_test_add_func ("/attributes/tempo/change", test_tempo_change);
  g_test_add_func ("/attributes/tempo/short-clip", test_short_clip);
  g_test_add_func ("/attributes/time-signature", test_time_signature);
  g_test_add_func ("/attributes/sustained-note", test_sustained_note);
  g_test_add_func ("/attributes/noise", test_noise);
  g_test_add_func ("/attributes/key/profiles", test_key_profiles);
  g_test_add_func ("/attributes/key/third-harmonics", test_key_third_harmonics);
  g_test_add_func ("/attributes/key/c-major", test_key_c_major);
  g_test_add_func ("/attributes/key/a-minor", test_key_a_minor);
  g_test_add_func ("/attributes/key/detuned", test_key_detuned);
  g_test_add_func ("/attributes/loudness/sine", test_loudness_sine);
  g_test_add_func ("/attributes/loudness/native-rate", test_loudness_native_rate);
  g_test_add_func ("/attributes/loudness/libebur128-parity", test_loudness_parity);
  g_test_add_func ("/attributes/very-quiet", test_very_quiet);
  g_test_add_func ("/attributes/clipped", test_clipped);
  g_test_add_func ("/attributes/speech-vs-music", test_speech_vs_music);
  g_test_add_func ("/attributes/cli", test_cli_prints_fields);

  return g_test_run ();
}
