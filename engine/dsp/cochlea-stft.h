/* cochlea-stft.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A real-to-complex FFT of one size, shared between threads.
 *
 * Plans come from a process-wide cache keyed by size; making a plan takes
 * the engine's planner lock (FFTW's planner is not thread-safe), executing
 * one does not.  Buffers passed to cochlea_fft_forward() must come from
 * cochlea_fft_alloc() so their alignment matches the plan's. */
typedef struct _CochleaFft CochleaFft;

CochleaFft *cochlea_fft_get       (int          n);
int         cochlea_fft_get_size  (CochleaFft  *fft);
float      *cochlea_fft_alloc     (gsize        n_floats) G_GNUC_WARN_UNUSED_RESULT;
void        cochlea_fft_free      (float       *buffer);
void        cochlea_fft_forward   (CochleaFft  *fft,
                                   float       *in,
                                   float       *out_complex);

void        cochlea_hann_periodic (float       *window,
                                   int          n);

G_END_DECLS
