/* test-loudness.c — the segmented K-weighting of cochlea-loudness.c against
 * a plain one-sample-at-a-time filter, and against libebur128
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cochlea-loudness.c filters segments of the signal side by side, each
 * started from zero a warm-up before its first sample (the file's header
 * says why the warm-up makes this exact to double precision).  The
 * reference below runs the same BS.1770 measurement the obvious way: one
 * transposed-direct-form-II cascade per channel, carried from the first
 * sample to the last.  Both must agree to far better than the 0.01 LU the
 * libebur128 parity test allows, on signals several chunks long whose
 * loudness changes at segment boundaries.
 */
#include "config.h"

#include <ebur128.h>
#include <math.h>
#include <string.h>

#include "cochlea-test-utils.h"
#include "dsp/cochlea-loudness.h"

/* The two filters round differently: a K-weighted sample may differ by
 * ~1e-16 (absolute) after loud passages, which is a large relative
 * difference in a block 120 dB down.  So each block's mean square z may
 * differ by what an error of BLOCK_AMPLITUDE in every sample makes
 * (2·√z·a + a²), plus BLOCK_RELATIVE of itself.  A warm-up half as long as
 * cochlea-loudness.c's leaves errors of ~1e-8 in the quiet blocks that
 * follow a loud passage across a segment boundary (make_alternating());
 * the integrated loudness would still agree to 12 digits (both checked by
 * hand when this test was written). */
#define TIGHT_LU        1e-9
#define BLOCK_RELATIVE  1e-12
#define BLOCK_AMPLITUDE 1e-13

typedef struct
{
  double b0, b1, b2, a1, a2;
} Biquad;

typedef struct
{
  Biquad shelf, highpass;
  double state[8][4];
  int    rate;
  guint  channels;
  gsize  quarter_len, fill;
  double sum, quarters[4];
  guint  n_quarters;
  GArray *blocks;
} Reference;

static void
reference_configure (Reference *r,
                     guint      channels,
                     int        rate)
{
  double f0 = 1681.974450955533, gain_db = 3.999843853973347, q = 0.7071752369554196;
  double k = tan (G_PI * f0 / rate), vh = pow (10.0, gain_db / 20.0);
  double vb = pow (vh, 0.4996667741545416), a0 = 1.0 + k / q + k * k;

  r->shelf.b0 = (vh + vb * k / q + k * k) / a0;
  r->shelf.b1 = 2.0 * (k * k - vh) / a0;
  r->shelf.b2 = (vh - vb * k / q + k * k) / a0;
  r->shelf.a1 = 2.0 * (k * k - 1.0) / a0;
  r->shelf.a2 = (1.0 - k / q + k * k) / a0;
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = tan (G_PI * f0 / rate);
  a0 = 1.0 + k / q + k * k;
  r->highpass = (Biquad) { 1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0 };

  memset (r->state, 0, sizeof r->state);
  r->rate = rate;
  r->channels = channels;
  r->quarter_len = (gsize) ((rate + 5) / 10);
  r->fill = 0;
  r->sum = 0.0;
  r->n_quarters = 0;
}

static void
reference_push (Reference   *r,
                const float *x,
                gsize        n,
                guint        channels,
                int          rate)
{
  if (rate != r->rate || channels != r->channels)
    reference_configure (r, channels, rate);

  for (gsize i = 0; i < n; i++)
    {
      for (guint c = 0; c < channels; c++)
        {
          double *s = r->state[c], v = x[i * channels + c], y;

          y = r->shelf.b0 * v + s[0];
          s[0] = r->shelf.b1 * v - r->shelf.a1 * y + s[1];
          s[1] = r->shelf.b2 * v - r->shelf.a2 * y;
          v = y;
          y = r->highpass.b0 * v + s[2];
          s[2] = r->highpass.b1 * v - r->highpass.a1 * y + s[3];
          s[3] = r->highpass.b2 * v - r->highpass.a2 * y;
          r->sum += y * y;
        }
      if (++r->fill == r->quarter_len)
        {
          r->quarters[r->n_quarters++ % 4] = r->sum / r->quarter_len;
          r->sum = 0.0;
          r->fill = 0;
          if (r->n_quarters >= 4)
            {
              double z = (r->quarters[0] + r->quarters[1] + r->quarters[2] + r->quarters[3]) / 4.0;
              g_array_append_val (r->blocks, z);
            }
        }
    }
}

static double
lufs (double z)
{
  return -0.691 + 10.0 * log10 (z);
}

static double
reference_integrated (Reference *r)
{
  const double *z = (const double *) r->blocks->data;
  double sum = 0.0, relative;
  guint count = 0;

  for (guint j = 0; j < r->blocks->len; j++)
    if (z[j] > 0 && lufs (z[j]) > -70.0)
      sum += z[j], count++;
  if (count == 0)
    return -HUGE_VAL;
  relative = lufs (sum / count) - 10.0;
  sum = 0.0;
  count = 0;
  for (guint j = 0; j < r->blocks->len; j++)
    if (z[j] > 0 && lufs (z[j]) > -70.0 && lufs (z[j]) > relative)
      sum += z[j], count++;
  return count > 0 ? lufs (sum / count) : -HUGE_VAL;
}

/* @seconds of @channels-channel test music at @rate: sections of 0.7 to
 * 3 s (so their edges fall anywhere relative to the segments) of noise,
 * low and high sines, near-silence 50–70 dB down and digital silence, at
 * levels 40 dB apart. */
static float *
make_signal (int     rate,
             guint   channels,
             double  seconds,
             guint32 seed,
             gsize  *n_frames)
{
  gsize n = (gsize) (seconds * rate);
  float *x = g_new (float, n * channels);
  GRand *rand = g_rand_new_with_seed (seed);
  gsize i = 0;

  while (i < n)
    {
      gsize want = (gsize) (g_rand_double_range (rand, 0.7, 3.0) * rate);
      gsize len = MIN (n - i, want);
      int kind = g_rand_int_range (rand, 0, 5);
      double level = pow (10.0, -g_rand_double_range (rand, 0.0, 40.0) / 20.0);
      double freq = kind == 1 ? g_rand_double_range (rand, 20.0, 80.0) : g_rand_double_range (rand, 2000.0, 12000.0);

      if (kind == 3)
        level *= pow (10.0, -g_rand_double_range (rand, 50.0, 70.0) / 20.0);
      for (gsize j = 0; j < len; j++, i++)
        for (guint c = 0; c < channels; c++)
          {
            double v;

            switch (kind)
              {
              case 1:
              case 2:
                v = sin (2 * G_PI * freq * (double) j / rate + c);
                break;
              case 4:
                v = 0.0;
                break;
              default:
                v = g_rand_double_range (rand, -1.0, 1.0);
                break;
              }
            x[i * channels + c] = (float) (0.5 * level * v);
          }
    }
  g_rand_free (rand);
  *n_frames = n;
  return x;
}

static void
assert_same_blocks (CochleaLoudness *ours,
                    Reference       *ref,
                    const char      *what)
{
  gsize n;
  g_autofree double *blocks = cochlea_loudness_dup_blocks (ours, &n);
  const double *want = (const double *) ref->blocks->data;
  double worst = 0.0;

  g_assert_cmpuint (n, ==, ref->blocks->len);
  for (gsize j = 0; j < n; j++)
    {
      double d = fabs (blocks[j] - want[j]);

      if (d > BLOCK_RELATIVE * want[j] + 2 * sqrt (want[j]) * BLOCK_AMPLITUDE + BLOCK_AMPLITUDE * BLOCK_AMPLITUDE)
        g_error ("%s: block %" G_GSIZE_FORMAT " (%.1f s) has mean square %.17g, reference %.17g",
                 what, j, 0.1 * j, blocks[j], want[j]);
      if (want[j] > 1e-20)
        worst = MAX (worst, d / want[j]);
    }
  g_test_message ("%s: %" G_GSIZE_FORMAT " blocks, largest relative difference %.3g", what, n, worst);
}

/* 0.31 s of a loud 30 Hz tone and noise (the high-pass's states swing
 * widely), then 0.46 s of noise 80 dB down, and again: wherever a segment
 * starts, its warm-up began in a loud passage about half the time and its
 * first samples are quiet about half the time. */
static float *
make_alternating (int     rate,
                  guint   channels,
                  double  seconds,
                  gsize  *n_frames)
{
  gsize n = (gsize) (seconds * rate);
  float *x = g_new (float, n * channels);
  GRand *rand = g_rand_new_with_seed (5);

  for (gsize i = 0; i < n; i++)
    {
      double t = fmod ((double) i / rate, 0.77);

      for (guint c = 0; c < channels; c++)
        x[i * channels + c] = (float) (t < 0.31 ? 0.4 * sin (2 * G_PI * 30 * i / rate) + g_rand_double_range (rand, -0.2, 0.2)
                                               : 1e-4 * g_rand_double_range (rand, -1, 1));
    }
  g_rand_free (rand);
  *n_frames = n;
  return x;
}

/* Many chunks at several rates and channel counts: every block within
 * BLOCK_RELATIVE of the reference, the integrated loudness within TIGHT_LU
 * of it and within 0.01 LU of libebur128. */
static void
test_reference (void)
{
  static const struct { int rate; guint channels; double seconds; gboolean alternating; } cases[] = {
    { 44100, 2, 30.0, TRUE },
    { 44100, 2, 60.0 },
    { 48000, 1, 45.0 },
    { 22050, 2, 30.0 },
    { 96000, 2, 25.0 },
    { 44100, 3, 20.0 },   /* six of the eight lanes in use */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gsize n;
      g_autofree float *x = cases[c].alternating ? make_alternating (cases[c].rate, cases[c].channels, cases[c].seconds, &n)
                                                 : make_signal (cases[c].rate, cases[c].channels, cases[c].seconds, 100 + c, &n);
      g_autoptr(CochleaLoudness) ours = cochlea_loudness_new ();
      Reference ref = { .blocks = g_array_new (FALSE, FALSE, sizeof (double)) };
      ebur128_state *st = ebur128_init (cases[c].channels, cases[c].rate, EBUR128_MODE_I);
      double want, got, lib;

      /* uneven pushes, as the decoder hands them out */
      for (gsize off = 0, step = 1; off < n; off += step, step = step * 7 % 9973 + 1)
        {
          step = MIN (step, n - off);
          cochlea_loudness_push (ours, x + off * cases[c].channels, step, cases[c].channels, cases[c].rate);
        }
      reference_push (&ref, x, n, cases[c].channels, cases[c].rate);
      ebur128_add_frames_float (st, x, n);
      ebur128_loudness_global (st, &lib);
      ebur128_destroy (&st);

      want = reference_integrated (&ref);
      got = cochlea_loudness_get_integrated (ours);
      assert_same_blocks (ours, &ref, "segments");
      g_test_message ("%d Hz × %u: %.12f LUFS, reference %.12f, libebur128 %.6f",
                      cases[c].rate, cases[c].channels, got, want, lib);
      g_assert_true (isfinite (want));
      if (!(fabs (got - want) < TIGHT_LU))
        g_error ("%d Hz × %u: %.12f LUFS, one-sample-at-a-time reference %.12f",
                 cases[c].rate, cases[c].channels, got, want);
      if (!(fabs (got - lib) < 0.01))
        g_error ("%d Hz × %u: %.4f LUFS, libebur128 %.4f", cases[c].rate, cases[c].channels, got, lib);
      g_array_unref (ref.blocks);
    }
}

/* The segments do not depend on how the samples were pushed, so neither
 * does the result, to the last bit; measuring halfway changes nothing. */
static void
test_push_sizes (void)
{
  const int rate = 44100;
  gsize n;
  g_autofree float *x = make_signal (rate, 2, 20.0, 7, &n);
  g_autoptr(CochleaLoudness) whole = cochlea_loudness_new ();
  g_autoptr(CochleaLoudness) single = cochlea_loudness_new ();
  double a, b, mid_whole, mid_single;

  cochlea_loudness_push (whole, x, n / 2, 2, rate);
  for (gsize i = 0; i < n / 2; i++)
    cochlea_loudness_push (single, x + 2 * i, 1, 2, rate);
  mid_whole = cochlea_loudness_get_integrated (whole);
  mid_single = cochlea_loudness_get_integrated (single);
  g_assert_cmpfloat (mid_whole, ==, mid_single);
  g_assert_cmpfloat (cochlea_loudness_get_integrated (whole), ==, mid_whole);

  cochlea_loudness_push (whole, x + 2 * (n / 2), n - n / 2, 2, rate);
  for (gsize i = n / 2; i < n; i++)
    cochlea_loudness_push (single, x + 2 * i, 1, 2, rate);
  a = cochlea_loudness_get_integrated (whole);
  b = cochlea_loudness_get_integrated (single);
  g_assert_cmpfloat (a, ==, b);
  g_assert_cmpfloat (a, !=, mid_whole);
}

/* A change of rate or channels mid-stream restarts the filters and the
 * current 100 ms and keeps the blocks measured so far, as the reference
 * (and the code before the segments) did. */
static void
test_format_change (void)
{
  gsize n1, n2;
  g_autofree float *x1 = make_signal (44100, 2, 12.0, 21, &n1);
  g_autofree float *x2 = make_signal (48000, 1, 9.0, 22, &n2);
  g_autoptr(CochleaLoudness) ours = cochlea_loudness_new ();
  Reference ref = { .blocks = g_array_new (FALSE, FALSE, sizeof (double)) };
  double got, want;

  cochlea_loudness_push (ours, x1, n1, 2, 44100);
  cochlea_loudness_push (ours, x2, n2, 1, 48000);
  reference_push (&ref, x1, n1, 2, 44100);
  reference_push (&ref, x2, n2, 1, 48000);
  got = cochlea_loudness_get_integrated (ours);
  want = reference_integrated (&ref);
  g_assert_cmpuint (ref.blocks->len, >, 100);
  assert_same_blocks (ours, &ref, "format change");
  if (!(fabs (got - want) < TIGHT_LU))
    g_error ("after a format change: %.12f LUFS, reference %.12f", got, want);
  g_array_unref (ref.blocks);
}

/* Silence, and less than one 400-ms block, have no loudness. */
static void
test_empty (void)
{
  g_autoptr(CochleaLoudness) ours = cochlea_loudness_new ();
  g_autofree float *zeros = g_new0 (float, 2 * 44100 * 3);
  gsize n;
  g_autofree float *tone = cochlea_test_sine (1000.0, 0.1, 44100, 0.35, &n);

  g_assert_true (isinf (cochlea_loudness_get_integrated (ours)));
  cochlea_loudness_push (ours, zeros, 44100 * 3, 2, 44100);
  g_assert_true (isinf (cochlea_loudness_get_integrated (ours)));

  g_clear_pointer (&ours, cochlea_loudness_free);
  ours = cochlea_loudness_new ();
  cochlea_loudness_push (ours, tone, n, 1, 44100);
  g_assert_true (isinf (cochlea_loudness_get_integrated (ours)));
}

/* Under 2 × 1682 Hz the shelf cannot be designed and the filters do not
 * decay: no loudness (rather than overflowing numbers); at 4 kHz they do. */
static void
test_low_rates (void)
{
  static const int rates[] = { 1, 100, 2000, 3000 };
  gsize n;
  g_autofree float *x = make_signal (4000, 1, 10.0, 31, &n);
  g_autoptr(CochleaLoudness) ok = cochlea_loudness_new ();

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    {
      g_autoptr(CochleaLoudness) ours = cochlea_loudness_new ();

      cochlea_loudness_push (ours, x, n, 1, rates[r]);
      g_assert_true (isinf (cochlea_loudness_get_integrated (ours)));
    }
  cochlea_loudness_push (ok, x, n, 1, 4000);
  g_assert_true (isfinite (cochlea_loudness_get_integrated (ok)));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/loudness/segments-vs-reference", test_reference);
  g_test_add_func ("/loudness/push-sizes", test_push_sizes);
  g_test_add_func ("/loudness/format-change", test_format_change);
  g_test_add_func ("/loudness/empty", test_empty);
  g_test_add_func ("/loudness/low-rates", test_low_rates);

  return g_test_run ();
}
