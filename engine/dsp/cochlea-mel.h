/* cochlea-mel.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CochleaMelParams:
 * @sample_rate: Hz of the input PCM (22050)
 * @n_fft: FFT and window length in samples (1024, 46 ms)
 * @hop_length: samples between frame centres (512, 23 ms)
 * @n_mels: mel bands (128)
 * @f_min: lowest filter edge in Hz (0)
 * @f_max: highest filter edge in Hz (sample_rate / 2)
 * @amin: power floor before the logarithm (1e-10, i.e. −100 dB)
 *
 * The one place the log-mel front end is parameterised.  With the defaults
 * it computes exactly what torchaudio computes with
 * MelSpectrogram(sample_rate=22050, n_fft=1024, hop_length=512, n_mels=128,
 * mel_scale="slaney", norm="slaney", power=2.0, center=True,
 * pad_mode="reflect") followed by 10·log10(max(S, amin)):
 *
 *  - periodic Hann window of n_fft samples;
 *  - frames centred on t·hop_length, the signal reflect-padded by n_fft/2 at
 *    both ends, so a signal of N samples gives 1 + ⌊N / hop_length⌋ frames;
 *  - power spectrum |X|², unnormalised;
 *  - triangular filters equally spaced on the Slaney mel scale (linear below
 *    1 kHz, logarithmic above) between f_min and f_max, each scaled by
 *    2 / (its bandwidth in Hz) so it has unit area ("slaney" norm);
 *  - dB = 10·log10(max(mel power, amin)).
 */
typedef struct
{
  int    sample_rate;
  int    n_fft;
  int    hop_length;
  int    n_mels;
  double f_min;
  double f_max;
  double amin;
} CochleaMelParams;

void    cochlea_mel_params_init_default (CochleaMelParams       *params);
gboolean cochlea_mel_params_validate    (const CochleaMelParams *params,
                                         GError                **error);

double  cochlea_hz_to_mel_slaney        (double hz);
double  cochlea_mel_to_hz_slaney        (double mel);

/**
 * CochleaMelFrameFunc:
 * @mel_db: n_mels log-mel values in dB for this frame
 * @power: n_fft/2+1 power-spectrum bins of the same frame (shared with
 *   other consumers: read only, valid during the call)
 * @index: frame number, from 0
 * @user_data: closure
 *
 * Called once per frame, in order.
 */
typedef void (*CochleaMelFrameFunc) (const float *mel_db,
                                     const float *power,
                                     gint64       index,
                                     gpointer     user_data);

typedef struct _CochleaMel CochleaMel;

CochleaMel *cochlea_mel_new          (const CochleaMelParams *params,
                                      GError                **error) G_GNUC_WARN_UNUSED_RESULT;
void        cochlea_mel_free         (CochleaMel             *self);
const CochleaMelParams *cochlea_mel_get_params (CochleaMel   *self);
const float *cochlea_mel_get_filterbank (CochleaMel          *self);
void        cochlea_mel_push         (CochleaMel             *self,
                                      const float            *pcm,
                                      gsize                   n_samples,
                                      CochleaMelFrameFunc     func,
                                      gpointer                user_data);
void        cochlea_mel_finish       (CochleaMel             *self,
                                      CochleaMelFrameFunc     func,
                                      gpointer                user_data);
void        cochlea_mel_reset        (CochleaMel             *self);
gint64      cochlea_mel_n_frames_for (const CochleaMelParams *params,
                                      gint64                  n_samples);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaMel, cochlea_mel_free)

G_END_DECLS
