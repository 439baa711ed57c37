/* cochlea-spectrogram.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-spectrogram"

#include "config.h"

#include <string.h>

#include "cochlea-spectrogram.h"

CochleaSpectrogram *
cochlea_spectrogram_new (gsize  n_bins,
                         int    sample_rate,
                         int    hop_length,
                         double f_min,
                         double f_max)
{
  CochleaSpectrogram *self;

  g_return_val_if_fail (n_bins > 0, NULL);
  g_return_val_if_fail (sample_rate > 0 && hop_length > 0, NULL);

  self = g_new0 (CochleaSpectrogram, 1);
  self->n_bins = n_bins;
  self->sample_rate = sample_rate;
  self->hop_length = hop_length;
  self->f_min = f_min;
  self->f_max = f_max;
  self->ref_count = 1;
  return self;
}

CochleaSpectrogram *
cochlea_spectrogram_ref (CochleaSpectrogram *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
cochlea_spectrogram_unref (CochleaSpectrogram *self)
{
  if (self == NULL)
    return;
  if (g_atomic_int_dec_and_test (&self->ref_count))
    {
      g_free (self->data);
      g_free (self);
    }
}

/* Appends one row of n_bins values.  Only while the spectrogram is still
 * owned by the thread building it. */
void
cochlea_spectrogram_append (CochleaSpectrogram *self,
                            const float        *row)
{
  if (self->n_frames == self->capacity)
    {
      self->capacity = MAX (256, self->capacity * 2);
      self->data = g_renew (float, self->data, self->capacity * self->n_bins);
    }
  memcpy (self->data + self->n_frames * self->n_bins, row, self->n_bins * sizeof (float));
  self->n_frames++;
}

double
cochlea_spectrogram_get_duration (const CochleaSpectrogram *self)
{
  return (double) self->n_frames * self->hop_length / self->sample_rate;
}

double
cochlea_spectrogram_frame_time (const CochleaSpectrogram *self,
                                gsize                     frame)
{
  return (double) frame * self->hop_length / self->sample_rate;
}

const float *
cochlea_spectrogram_get_row (const CochleaSpectrogram *self,
                             gsize                     frame)
{
  g_return_val_if_fail (frame < self->n_frames, NULL);
  return self->data + frame * self->n_bins;
}
