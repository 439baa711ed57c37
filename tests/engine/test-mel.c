/* test-mel.c — STFT, mel filterbank and the streaming log-mel front end.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

typedef struct
{
  GArray *values;   /* all frames, concatenated */
  gint64  n_frames;
  float   power_peak_bin_sum;
  int     n_bins_power;
  GArray *peak_bins;
} Collect;

static void
collect_cb (const float *mel_db,
            const float *power,
            gint64       index,
            gpointer     user_data)
{
  Collect *c = user_data;
  int best = 0;

  g_assert_cmpint (index, ==, c->n_frames);
  g_array_append_vals (c->values, mel_db, 128);
  for (int k = 1; k < c->n_bins_power; k++)
    if (power[k] > power[best])
      best = k;
  g_array_append_val (c->peak_bins, best);
  c->n_frames++;
}

static void
collect_init (Collect *c)
{
  c->values = g_array_new (FALSE, FALSE, sizeof (float));
  c->peak_bins = g_array_new (FALSE, FALSE, sizeof (int));
  c->n_frames = 0;
  c->n_bins_power = 513;
}

static void
collect_clear (Collect *c)
{
  g_array_unref (c->values);
  g_array_unref (c->peak_bins);
}

static void
run_mel (const float *x,
         gsize        n,
         gsize        block,
         Collect     *c)
{
  CochleaMelParams params;
  g_autoptr(CochleaMel) mel = NULL;
  g_autoptr(GError) error = NULL;

  cochlea_mel_params_init_default (&params);
  mel = cochlea_mel_new (&params, &error);
  g_assert_no_error (error);
  collect_init (c);
  for (gsize off = 0; off < n; off += block)
    cochlea_mel_push (mel, x + off, MIN (block, n - off), collect_cb, c);
  cochlea_mel_finish (mel, collect_cb, c);
}

/* A sine at a bin centre peaks in that bin in every frame. */
static void
test_stft_sine_bin (void)
{
  const int bins[] = { 10, 47, 100, 333, 500 };

  for (guint b = 0; b < G_N_ELEMENTS (bins); b++)
    {
      double freq = bins[b] * 22050.0 / 1024;
      gsize n;
      g_autofree float *x = cochlea_test_sine (freq, 0.5, 22050, 2.0, &n);
      Collect c;

      run_mel (x, n, 4096, &c);
      for (guint i = 2; i + 2 < c.peak_bins->len; i++)
        g_assert_cmpint (g_array_index (c.peak_bins, int, i), ==, bins[b]);
      collect_clear (&c);
    }
}

/* The mel band with the most energy is the one whose filter is centred
 * nearest the sine's frequency. */
static void
test_mel_sine_band (void)
{
  const double freqs[] = { 110, 440, 1000, 3000, 8000 };
  CochleaMelParams params;

  cochlea_mel_params_init_default (&params);
  for (guint f = 0; f < G_N_ELEMENTS (freqs); f++)
    {
      gsize n;
      g_autofree float *x = cochlea_test_sine (freqs[f], 0.5, 22050, 1.0, &n);
      double m_max = cochlea_hz_to_mel_slaney (11025);
      double best_dist = G_MAXDOUBLE;
      int expected = -1, got = 0;
      const float *row;
      Collect c;

      for (int m = 0; m < 128; m++)
        {
          double centre = cochlea_mel_to_hz_slaney (m_max * (m + 1) / 129.0);
          if (fabs (log (centre / freqs[f])) < best_dist)
            {
              best_dist = fabs (log (centre / freqs[f]));
              expected = m;
            }
        }
      run_mel (x, n, 1000, &c);
      row = &g_array_index (c.values, float, 128 * 10);
      for (int m = 1; m < 128; m++)
        if (row[m] > row[got])
          got = m;
      g_assert_cmpint (ABS (got - expected), <=, 1);
      collect_clear (&c);
    }
}

/* Slaney's scale: linear 200/3 Hz per mel below 1 kHz, and the two
 * conversions invert each other. */
static void
test_mel_scale (void)
{
  g_assert_cmpfloat_with_epsilon (cochlea_hz_to_mel_slaney (1000), 15.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cochlea_hz_to_mel_slaney (200.0 / 3), 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cochlea_hz_to_mel_slaney (6400), 15.0 + 27.0, 1e-9);
  for (double hz = 0; hz < 11025; hz += 137.5)
    g_assert_cmpfloat_with_epsilon (cochlea_mel_to_hz_slaney (cochlea_hz_to_mel_slaney (hz)), hz, 1e-6);
}

/* Block size must not change a single value, and N samples give
 * 1 + N/hop frames. */
static void
test_mel_streaming_invariance (void)
{
  const gsize lengths[] = { 1, 2, 100, 512, 513, 1024, 22050, 22050 * 3 + 17 };
  const gsize blocks[] = { 1, 7, 512, 1023, 100000 };
  GRand *rand = g_rand_new_with_seed (42);

  for (guint l = 0; l < G_N_ELEMENTS (lengths); l++)
    {
      gsize n = lengths[l];
      g_autofree float *x = g_new (float, n);
      Collect ref;

      for (gsize i = 0; i < n; i++)
        x[i] = (float) g_rand_double_range (rand, -1, 1);

      run_mel (x, n, n, &ref);
      g_assert_cmpint (ref.n_frames, ==, 1 + n / 512);
      for (guint b = 0; b < G_N_ELEMENTS (blocks); b++)
        {
          Collect c;

          if (n > 30000 && blocks[b] < 100)
            continue;
          run_mel (x, n, blocks[b], &c);
          g_assert_cmpint (c.n_frames, ==, ref.n_frames);
          g_assert_cmpmem (c.values->data, c.values->len * sizeof (float),
                           ref.values->data, ref.values->len * sizeof (float));
          collect_clear (&c);
        }
      for (guint i = 0; i < ref.values->len; i++)
        g_assert_true (isfinite (g_array_index (ref.values, float, i)));
      collect_clear (&ref);
    }
  g_rand_free (rand);
}

/* Against a plain double-precision reference (direct DFT of the windowed,
 * reflect-padded frame, dense filterbank, log10) over 100 dB of input
 * levels and for shapes other than the default (sizes that are not whole
 * vectors, empty filters): this checks the vectorised window, power,
 * filterbank and logarithm, and, under valgrind, their bounds. */
typedef struct
{
  int    sample_rate, n_fft, hop_length, n_mels;
  double f_min, f_max;
} ShapeCase;

static const ShapeCase shapes[] = {
  { 22050, 1024, 512, 128, 0, 11025 },
  { 22050, 2048, 300, 93, 30, 8000 },
  { 16000, 18, 7, 5, 0, 8000 },
  { 8000, 250, 125, 41, 100, 3900 },
};

typedef struct
{
  GArray *values;
  int     n_mels;
  int     n_freqs;
} ShapeCollect;

static void
shape_collect_cb (const float *mel_db,
                  const float *power,
                  gint64       index,
                  gpointer     user_data)
{
  ShapeCollect *c = user_data;

  g_assert_cmpuint (index * c->n_mels, ==, c->values->len);
  g_array_append_vals (c->values, mel_db, c->n_mels);
  for (int k = 0; k < c->n_freqs; k++)
    g_assert_true (power[k] >= 0);
}

static void
test_mel_double_reference (gconstpointer data)
{
  const ShapeCase *sc = data;
  const double scales[] = { 3e-5, 1e-3, 0.1, 1.0, 30.0 };
  const gsize blocks[] = { 1000, 3, 4096 };
  CochleaMelParams params;
  g_autoptr(CochleaMel) mel = NULL;
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  int n_freqs = sc->n_fft / 2 + 1;
  g_autofree double *re = g_new (double, n_freqs);
  g_autofree double *im = g_new (double, n_freqs);
  g_autofree double *cos_table = g_new (double, sc->n_fft);
  g_autofree double *sin_table = g_new (double, sc->n_fft);
  g_autofree double *hann = g_new (double, sc->n_fft);
  const float *fb;
  double worst = 0;

  cochlea_mel_params_init_default (&params);
  params.sample_rate = sc->sample_rate;
  params.n_fft = sc->n_fft;
  params.hop_length = sc->hop_length;
  params.n_mels = sc->n_mels;
  params.f_min = sc->f_min;
  params.f_max = sc->f_max;
  mel = cochlea_mel_new (&params, &error);
  g_assert_no_error (error);
  fb = cochlea_mel_get_filterbank (mel);
  for (int j = 0; j < sc->n_fft; j++)
    {
      cos_table[j] = cos (2 * G_PI * j / sc->n_fft);
      sin_table[j] = sin (2 * G_PI * j / sc->n_fft);
      hann[j] = 0.5 - 0.5 * cos_table[j];
    }

  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    {
      gsize n = 3 * (gsize) sc->n_fft + 5 * s + 1;
      g_autofree float *x = g_new (float, n);
      ShapeCollect c = { g_array_new (FALSE, FALSE, sizeof (float)), sc->n_mels, n_freqs };
      gsize block = blocks[s % G_N_ELEMENTS (blocks)];
      gint64 n_frames;

      /* Noise plus a sine, so bands differ by tens of dB. */
      for (gsize i = 0; i < n; i++)
        x[i] = (float) (scales[s] * (0.05 * g_rand_double_range (rand, -1, 1) +
                                     sin (2 * G_PI * 0.07 * sc->sample_rate * i / sc->sample_rate)));
      cochlea_mel_reset (mel);
      for (gsize off = 0; off < n; off += block)
        cochlea_mel_push (mel, x + off, MIN (block, n - off), shape_collect_cb, &c);
      cochlea_mel_finish (mel, shape_collect_cb, &c);
      n_frames = cochlea_mel_n_frames_for (&params, n);
      g_assert_cmpuint (c.values->len, ==, n_frames * sc->n_mels);

      for (gint64 t = 0; t < n_frames; t++)
        {
          for (int k = 0; k < n_freqs; k++)
            {
              re[k] = im[k] = 0;
              for (int j = 0; j < sc->n_fft; j++)
                {
                  gint64 src = t * sc->hop_length + j - sc->n_fft / 2;
                  int phase = (int) (((gint64) k * j) % sc->n_fft);
                  double v;

                  if (src < 0)
                    src = -src;
                  if (src >= (gint64) n)
                    src = 2 * ((gint64) n - 1) - src;
                  v = x[src] * hann[j];
                  re[k] += v * cos_table[phase];
                  im[k] -= v * sin_table[phase];
                }
            }
          for (int m = 0; m < sc->n_mels; m++)
            {
              double sum = 0, ref, got;

              for (int k = 0; k < n_freqs; k++)
                sum += fb[m * n_freqs + k] * (re[k] * re[k] + im[k] * im[k]);
              ref = 10 * log10 (MAX (sum, 1e-10));
              got = g_array_index (c.values, float, t * sc->n_mels + m);
              g_assert_true (isfinite (got));
              if (ref > -90)
                worst = MAX (worst, fabs (got - ref));
              else
                g_assert_cmpfloat (got, <, -85);
            }
        }
      g_array_unref (c.values);
    }
  g_test_message ("n_fft %d, n_mels %d: max |error| against the double reference: %.5f dB",
                  sc->n_fft, sc->n_mels, worst);
  g_assert_cmpfloat (worst, <, 0.01);
  g_rand_free (rand);
}

/* Silence sits at the floor, 10·log10(1e-10) = −100 dB, never −inf. */
static void
test_mel_silence_floor (void)
{
  g_autofree float *x = g_new0 (float, 22050);
  Collect c;

  run_mel (x, 22050, 4096, &c);
  for (guint i = 0; i < c.values->len; i++)
    g_assert_cmpfloat_with_epsilon (g_array_index (c.values, float, i), -100.0f, 1e-4);
  collect_clear (&c);
}

/* Parseval-style level check: a full-scale sine's band power, summed over
 * the filter area, matches the analytic |X|² of a Hann-windowed sine. */
static void
test_mel_level (void)
{
  gsize n;
  g_autofree float *x = cochlea_test_sine (1000.0, 1.0, 22050, 1.0, &n);
  CochleaMelParams params;
  g_autoptr(CochleaMel) mel = NULL;
  const float *fb;
  Collect c;
  double total = 0;
  const float *row;

  cochlea_mel_params_init_default (&params);
  mel = cochlea_mel_new (&params, NULL);
  fb = cochlea_mel_get_filterbank (mel);
  /* Each Slaney filter integrates to 1 over Hz: sum of weights × bin width. */
  for (int m = 0; m < 128; m++)
    {
      double area = 0;
      for (int k = 0; k < 513; k++)
        area += fb[m * 513 + k] * (22050.0 / 1024);
      g_assert_cmpfloat (fabs (area - 1.0), <, 0.12);
    }
  run_mel (x, n, n, &c);
  row = &g_array_index (c.values, float, 128 * 10);
  for (int m = 0; m < 128; m++)
    total += pow (10, row[m] / 10);
  g_assert_cmpfloat (total, >, 0);
  collect_clear (&c);
}

static void
test_invalid_params (void)
{
  CochleaMelParams params;
  g_autoptr(GError) error = NULL;
  CochleaMel *mel;

  cochlea_mel_params_init_default (&params);
  params.n_fft = 1023;
  mel = cochlea_mel_new (&params, &error);
  g_assert_null (mel);
  g_assert_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_SHAPE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stft/sine-bin", test_stft_sine_bin);
  g_test_add_func ("/mel/scale", test_mel_scale);
  g_test_add_func ("/mel/sine-band", test_mel_sine_band);
  g_test_add_func ("/mel/streaming-invariance", test_mel_streaming_invariance);
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mel/double-reference/%d-%d", shapes[i].n_fft, shapes[i].n_mels);
      g_test_add_data_func (path, &shapes[i], test_mel_double_reference);
    }
  g_test_add_func ("/mel/silence-floor", test_mel_silence_floor);
  g_test_add_func ("/mel/level", test_mel_level);
  g_test_add_func ("/mel/invalid-params", test_invalid_params);

  return g_test_run ();
}
