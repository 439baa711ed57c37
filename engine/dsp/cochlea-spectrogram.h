/* cochlea-spectrogram.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CochleaSpectrogram:
 *
 * A log-mel spectrogram: n_frames rows of n_bins dB values, frame t centred
 * at t·hop_length/sample_rate seconds.  Built by appending rows; once handed
 * to another thread or a widget it is treated as immutable and shared by
 * reference (the widgets hold refs, never mutate).
 */
typedef struct
{
  /*< public, read-only >*/
  float  *data;          /* (n_frames, n_bins), row-major */
  gsize   n_frames;
  gsize   n_bins;
  int     sample_rate;
  int     hop_length;
  double  f_min;         /* Hz of the lowest filter edge */
  double  f_max;         /* Hz of the highest filter edge */

  /*< private >*/
  gsize   capacity;
  gint    ref_count;
} CochleaSpectrogram;

CochleaSpectrogram *cochlea_spectrogram_new        (gsize               n_bins,
                                                    int                 sample_rate,
                                                    int                 hop_length,
                                                    double              f_min,
                                                    double              f_max) G_GNUC_WARN_UNUSED_RESULT;
CochleaSpectrogram *cochlea_spectrogram_ref        (CochleaSpectrogram *self);
void                cochlea_spectrogram_unref      (CochleaSpectrogram *self);
void                cochlea_spectrogram_append     (CochleaSpectrogram *self,
                                                    const float        *row);
double              cochlea_spectrogram_get_duration (const CochleaSpectrogram *self);
double              cochlea_spectrogram_frame_time (const CochleaSpectrogram *self,
                                                    gsize               frame);
const float        *cochlea_spectrogram_get_row    (const CochleaSpectrogram *self,
                                                    gsize               frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaSpectrogram, cochlea_spectrogram_unref)

G_END_DECLS
