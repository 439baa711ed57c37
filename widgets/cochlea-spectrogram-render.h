/* cochlea-spectrogram-render.h — pure pixel and geometry functions behind
 * CochleaSpectrogramView; no display needed (thread-safe, reentrant).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cochlea-colormap.h"
#include "dsp/cochlea-spectrogram.h"

G_BEGIN_DECLS

/**
 * CochleaSpectrogramRender:
 * @t_start: seconds at the left edge of pixel column 0
 * @seconds_per_px: horizontal scale (seconds per output pixel column)
 * @width: output columns
 * @height: output rows; row 0 is the top (highest mel band)
 * @db_min: level drawn with the first colour of @colormap
 * @db_max: level drawn with the last colour
 * @colormap: the colour map
 *
 * What cochlea_spectrogram_render_pixels() draws.  Frame f of the
 * spectrogram is centred at f·hop/sample_rate seconds.  A column shows the
 * per-band maximum of the frames whose centres fall inside it (so zoomed
 * out, short events stay visible), or the frame nearest its centre when
 * none does (zoomed in: each frame becomes a crisp block of columns).
 * Rows map to mel bands by nearest neighbour.  Columns before frame 0 or
 * after the last frame are transparent.
 */
typedef struct
{
  double          t_start;
  double          seconds_per_px;
  guint           width;
  guint           height;
  float           db_min;
  float           db_max;
  CochleaColormap colormap;
} CochleaSpectrogramRender;

gboolean cochlea_spectrogram_render_pixels (const CochleaSpectrogram       *spec,
                                            const CochleaSpectrogramRender *params,
                                            guint8                         *pixels,
                                            gsize                           stride,
                                            gsize                          *frames_needed);

guint    cochlea_spectrogram_row_to_bin    (gsize  n_bins,
                                            double y,
                                            double height);
double   cochlea_spectrogram_bin_position  (const CochleaSpectrogram *spec,
                                            double                    hz);
double   cochlea_spectrogram_freq_to_y     (const CochleaSpectrogram *spec,
                                            double                    hz,
                                            double                    height);
double   cochlea_spectrogram_y_to_freq     (const CochleaSpectrogram *spec,
                                            double                    y,
                                            double                    height);
float    cochlea_spectrogram_max_db        (const CochleaSpectrogram *spec,
                                            gsize                     first_frame);

G_END_DECLS
