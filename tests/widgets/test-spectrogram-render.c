/* test-spectrogram-render.c — the spectrogram's pure pixel function and
 * frequency axis, no display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-colormap.h"
#include "cochlea-spectrogram-render.h"
#include "dsp/cochlea-mel.h"

#define N_BINS 128
#define SR     22050
#define HOP    512

static CochleaSpectrogram *
make_spectrogram (gsize n_frames,
                  int   bright_bin,   /* -1: none */
                  int   bright_frame) /* -1: none */
{
  CochleaSpectrogram *spec = cochlea_spectrogram_new (N_BINS, SR, HOP, 0, SR / 2.0);
  float row[N_BINS];

  for (gsize f = 0; f < n_frames; f++)
    {
      for (int b = 0; b < N_BINS; b++)
        row[b] = (b == bright_bin || (int) f == bright_frame) ? 0.0f : -80.0f;
      cochlea_spectrogram_append (spec, row);
    }
  return spec;
}

static gboolean
is_brightest (const guint8 *p,
              CochleaColormap cmap)
{
  return memcmp (p, cochlea_colormap_get_table (cmap) + 4 * 255, 4) == 0;
}

static double
bin_centre_hz (const CochleaSpectrogram *spec,
               int                       bin)
{
  double mel_min = cochlea_hz_to_mel_slaney (spec->f_min);
  double mel_max = cochlea_hz_to_mel_slaney (spec->f_max);

  return cochlea_mel_to_hz_slaney (mel_min + (bin + 1) * (mel_max - mel_min) / (spec->n_bins + 1));
}

/* A spectrogram with one bright mel band puts its bright pixels exactly
 * on the rows the frequency axis assigns to that band's centre frequency. */
static void
test_render_band_row (void)
{
  static const int bins[] = { 0, 5, 40, 63, 100, 127 };
  static const guint heights[] = { 128, 256, 200, 97 };

  for (guint h = 0; h < G_N_ELEMENTS (heights); h++)
    for (guint i = 0; i < G_N_ELEMENTS (bins); i++)
      {
        g_autoptr(CochleaSpectrogram) spec = make_spectrogram (64, bins[i], -1);
        CochleaSpectrogramRender params = {
          .t_start = -0.5 * HOP / SR,
          .seconds_per_px = (double) HOP / SR,
          .width = 64,
          .height = heights[h],
          .db_min = -80,
          .db_max = 0,
          .colormap = COCHLEA_COLORMAP_VIRIDIS,
        };
        gsize stride = 4 * params.width;
        g_autofree guint8 *pixels = g_malloc0 (stride * params.height);
        int first_bright = -1, last_bright = -1;
        double hz = bin_centre_hz (spec, bins[i]);
        double y_axis = cochlea_spectrogram_freq_to_y (spec, hz, params.height);

        g_assert_true (cochlea_spectrogram_render_pixels (spec, &params, pixels, stride, NULL));

        for (guint y = 0; y < params.height; y++)
          {
            gboolean bright = is_brightest (pixels + y * stride + 4 * 10, params.colormap);

            /* Every column is the same. */
            g_assert_cmpint (bright, ==, is_brightest (pixels + y * stride + 4 * 50, params.colormap));
            if (bright)
              {
                if (first_bright < 0)
                  first_bright = y;
                else
                  g_assert_cmpint (last_bright, ==, (int) y - 1); /* contiguous */
                last_bright = y;
              }
          }

        /* The band is there, about height/n_bins rows tall ... */
        g_assert_cmpint (first_bright, >=, 0);
        g_assert_cmpint (last_bright - first_bright + 1, <=, (int) ceil ((double) params.height / N_BINS));
        /* ... and the axis puts the band's frequency inside it. */
        g_assert_cmpfloat (y_axis, >=, first_bright);
        g_assert_cmpfloat (y_axis, <=, last_bright + 1);
        /* Low frequencies at the bottom. */
        if (bins[i] == 0)
          g_assert_cmpint (last_bright, ==, (int) params.height - 1);
        if (bins[i] == N_BINS - 1)
          g_assert_cmpint (first_bright, ==, 0);
      }
}

/* Known numbers: 128 rows, 1 row per band, f_max = 11025 Hz.  1 kHz is 15
 * Slaney mels; mel(11025) = 15 + 27·ln(11.025)/ln(6.4) ≈ 49.3. */
static void
test_freq_axis_values (void)
{
  g_autoptr(CochleaSpectrogram) spec = make_spectrogram (1, -1, -1);
  double step = cochlea_hz_to_mel_slaney (11025) / 129;
  double y1k = cochlea_spectrogram_freq_to_y (spec, 1000, 128);

  g_assert_cmpfloat_with_epsilon (cochlea_spectrogram_bin_position (spec, 1000), 15 / step - 1, 1e-9);
  g_assert_cmpfloat_with_epsilon (y1k, 127.5 - (15 / step - 1), 1e-9);
  /* Inverse. */
  for (double hz = 50; hz < 11000; hz *= 1.7)
    g_assert_cmpfloat_with_epsilon (cochlea_spectrogram_y_to_freq (spec, cochlea_spectrogram_freq_to_y (spec, hz, 300), 300),
                                    hz, 1e-6 * hz);
  /* Monotonic: higher frequency, smaller y. */
  g_assert_cmpfloat (cochlea_spectrogram_freq_to_y (spec, 2000, 128), <, y1k);
  /* Rows map to bands nearest-neighbour, top row = top band. */
  g_assert_cmpuint (cochlea_spectrogram_row_to_bin (128, 0.5, 128), ==, 127);
  g_assert_cmpuint (cochlea_spectrogram_row_to_bin (128, 127.5, 128), ==, 0);
  g_assert_cmpuint (cochlea_spectrogram_row_to_bin (128, -3, 128), ==, 127);
  g_assert_cmpuint (cochlea_spectrogram_row_to_bin (128, 999, 128), ==, 0);
}

static int
bright_columns (const guint8 *pixels,
                guint         width,
                int          *first)
{
  int n = 0;

  *first = -1;
  for (guint x = 0; x < width; x++)
    if (is_brightest (pixels + 4 * x, COCHLEA_COLORMAP_MAGMA))
      {
        if (*first < 0)
          *first = x;
        n++;
      }
  return n;
}

/* Zoomed out a column keeps the loudest of its frames; zoomed in each
 * frame becomes a crisp block of whole columns. */
static void
test_render_time_columns (void)
{
  g_autoptr(CochleaSpectrogram) spec = make_spectrogram (40, -1, 10);
  double hop_s = (double) HOP / SR;
  CochleaSpectrogramRender params = {
    .t_start = 0,
    .seconds_per_px = 4 * hop_s,
    .width = 10,
    .height = 4,
    .db_min = -80,
    .db_max = 0,
    .colormap = COCHLEA_COLORMAP_MAGMA,
  };
  guint8 pixels[4 * 4 * 200];
  int first;
  gsize needed;

  g_assert_true (cochlea_spectrogram_render_pixels (spec, &params, pixels, 4 * params.width, &needed));
  g_assert_cmpint (bright_columns (pixels, params.width, &first), ==, 1);
  g_assert_cmpint (first, ==, 2); /* frames 8..11 */
  g_assert_cmpuint (needed, ==, 40);

  params.seconds_per_px = hop_s / 4;
  params.width = 100;
  g_assert_true (cochlea_spectrogram_render_pixels (spec, &params, pixels, 4 * params.width, NULL));
  g_assert_cmpint (bright_columns (pixels, params.width, &first), ==, 4);
  g_assert_cmpint (first, ==, 38); /* nearest-frame columns 38..41 */
}

/* Columns past the last frame are transparent and the tile says it is
 * not complete, so live mode knows to redo it. */
static void
test_render_past_end (void)
{
  g_autoptr(CochleaSpectrogram) spec = make_spectrogram (20, 3, -1);
  double hop_s = (double) HOP / SR;
  CochleaSpectrogramRender params = {
    .t_start = -0.5 * hop_s,
    .seconds_per_px = hop_s,
    .width = 30,
    .height = 8,
    .db_min = -80,
    .db_max = 0,
    .colormap = COCHLEA_COLORMAP_VIRIDIS,
  };
  guint8 pixels[4 * 30 * 8];
  gsize needed;

  g_assert_false (cochlea_spectrogram_render_pixels (spec, &params, pixels, 4 * 30, &needed));
  g_assert_cmpuint (needed, ==, 30);
  g_assert_cmpint (pixels[4 * 19 + 3], ==, 255);
  g_assert_cmpint (pixels[4 * 20 + 3], ==, 0);
  g_assert_cmpint (pixels[7 * 4 * 30 + 4 * 29 + 3], ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/spectrogram-render/band-row", test_render_band_row);
  g_test_add_func ("/spectrogram-render/freq-axis", test_freq_axis_values);
  g_test_add_func ("/spectrogram-render/time-columns", test_render_time_columns);
  g_test_add_func ("/spectrogram-render/past-end", test_render_past_end);

  return g_test_run ();
}
