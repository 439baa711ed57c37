/* cochlea-spectrogram-render.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-spectrogram-view"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-spectrogram-render.h"
#include "dsp/cochlea-mel.h"

/**
 * cochlea_spectrogram_row_to_bin:
 * @n_bins: mel bands
 * @y: a row (0 at the top), may be fractional
 * @height: rows in the picture
 *
 * Returns: the mel band shown at @y (the top row shows band n_bins − 1)
 */
guint
cochlea_spectrogram_row_to_bin (gsize  n_bins,
                                double y,
                                double height)
{
  double k = floor (y * n_bins / height);

  k = CLAMP (k, 0, (double) n_bins - 1);
  return (guint) (n_bins - 1 - (gsize) k);
}

/**
 * cochlea_spectrogram_render_pixels:
 * @spec: the spectrogram (read only)
 * @params: what to draw
 * @pixels: (out caller-allocates): @params->height rows of @stride bytes,
 *   written as premultiplied RGBA8 (GDK_MEMORY_R8G8B8A8_PREMULTIPLIED)
 * @stride: bytes per row, at least 4 × @params->width
 * @frames_needed: (out) (optional): one past the highest frame index any
 *   column wanted, even if the spectrogram does not have it yet
 *
 * Returns: %TRUE when every column found its frames (the picture will not
 *   change if frames are appended later); %FALSE when some columns are past
 *   the end of the data and were left transparent.
 */
gboolean
cochlea_spectrogram_render_pixels (const CochleaSpectrogram       *spec,
                                   const CochleaSpectrogramRender *params,
                                   guint8                         *pixels,
                                   gsize                           stride,
                                   gsize                          *frames_needed)
{
  const guint8 *table = cochlea_colormap_get_table (params->colormap);
  g_autofree float *column = NULL;
  g_autofree guint *row_bin = NULL;
  double hop_s;
  gsize n_bins = spec->n_bins;
  gsize needed = 0;
  gboolean complete = TRUE;

  g_return_val_if_fail (params->seconds_per_px > 0, FALSE);
  g_return_val_if_fail (stride >= 4 * (gsize) params->width, FALSE);

  hop_s = (double) spec->hop_length / spec->sample_rate;
  column = g_new (float, n_bins);
  row_bin = g_new (guint, MAX (params->height, 1));
  for (guint y = 0; y < params->height; y++)
    row_bin[y] = cochlea_spectrogram_row_to_bin (n_bins, y + 0.5, params->height);

  for (guint x = 0; x < params->width; x++)
    {
      double t0 = params->t_start + x * params->seconds_per_px;
      double t1 = t0 + params->seconds_per_px;
      gint64 f0 = (gint64) ceil (t0 / hop_s);
      gint64 f1 = (gint64) ceil (t1 / hop_s); /* frames [f0, f1) have centres in [t0, t1) */
      gboolean have = FALSE;

      if (f1 <= f0)
        {
          f0 = (gint64) floor (0.5 * (t0 + t1) / hop_s + 0.5);
          f1 = f0 + 1;
        }

      if (f1 > 0 && (gsize) f1 > needed)
        needed = (gsize) f1;

      for (gint64 f = MAX (f0, 0); f < f1 && (gsize) f < spec->n_frames; f++)
        {
          const float *row = spec->data + (gsize) f * n_bins;

          if (!have)
            memcpy (column, row, n_bins * sizeof (float));
          else
            for (gsize b = 0; b < n_bins; b++)
              column[b] = MAX (column[b], row[b]);
          have = TRUE;
        }

      if (f1 > 0 && (gsize) f1 > spec->n_frames)
        complete = FALSE;

      for (guint y = 0; y < params->height; y++)
        {
          guint8 *p = pixels + y * stride + 4 * x;

          if (have)
            memcpy (p, table + 4 * cochlea_colormap_db_to_index (column[row_bin[y]],
                                                                 params->db_min,
                                                                 params->db_max), 4);
          else
            memset (p, 0, 4);
        }
    }

  if (frames_needed)
    *frames_needed = needed;

  return complete;
}

/**
 * cochlea_spectrogram_bin_position:
 * @spec: a spectrogram (its n_bins, f_min and f_max are used)
 * @hz: a frequency
 *
 * The Slaney-mel filterbank has n_bins + 2 points equally spaced in mel
 * between f_min and f_max; band b peaks at point b + 1.
 *
 * Returns: the fractional band index whose filter peaks at @hz
 */
double
cochlea_spectrogram_bin_position (const CochleaSpectrogram *spec,
                                  double                    hz)
{
  double mel_min = cochlea_hz_to_mel_slaney (spec->f_min);
  double mel_max = cochlea_hz_to_mel_slaney (spec->f_max);
  double step = (mel_max - mel_min) / (spec->n_bins + 1);

  return (cochlea_hz_to_mel_slaney (hz) - mel_min) / step - 1.0;
}

/**
 * cochlea_spectrogram_freq_to_y:
 * @spec: a spectrogram
 * @hz: a frequency
 * @height: pixel height of the picture
 *
 * Returns: the row (0 at top) of the centre of the band peaking at @hz, on
 *   the same mapping as cochlea_spectrogram_row_to_bin()
 */
double
cochlea_spectrogram_freq_to_y (const CochleaSpectrogram *spec,
                               double                    hz,
                               double                    height)
{
  double p = cochlea_spectrogram_bin_position (spec, hz);

  return (spec->n_bins - 0.5 - p) * height / spec->n_bins;
}

/**
 * cochlea_spectrogram_y_to_freq:
 * @spec: a spectrogram
 * @y: a row, 0 at the top
 * @height: pixel height of the picture
 *
 * Returns: the inverse of cochlea_spectrogram_freq_to_y(), in Hz
 */
double
cochlea_spectrogram_y_to_freq (const CochleaSpectrogram *spec,
                               double                    y,
                               double                    height)
{
  double mel_min = cochlea_hz_to_mel_slaney (spec->f_min);
  double mel_max = cochlea_hz_to_mel_slaney (spec->f_max);
  double step = (mel_max - mel_min) / (spec->n_bins + 1);
  double p = spec->n_bins - 0.5 - y * spec->n_bins / height;

  return cochlea_mel_to_hz_slaney (mel_min + (p + 1.0) * step);
}

/**
 * cochlea_spectrogram_max_db:
 * @spec: a spectrogram
 * @first_frame: where to start looking
 *
 * Returns: the largest finite value in frames [@first_frame, n_frames), or
 *   -INFINITY when there is none
 */
float
cochlea_spectrogram_max_db (const CochleaSpectrogram *spec,
                            gsize                     first_frame)
{
  float m = -INFINITY;

  for (gsize i = first_frame * spec->n_bins; i < spec->n_frames * spec->n_bins; i++)
    if (isfinite (spec->data[i]) && spec->data[i] > m)
      m = spec->data[i];

  return m;
}
