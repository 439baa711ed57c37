/* cochlea-rhythm.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * x_b(t)      = mean of mel_db over the bins of band b (B bands of n_mels / B bins)
 * for every window w of W frames starting at w · H:
 *   y_b(t)    = (x_b(t) − mean_t x_b) · hann(t),  hann(t) = ½ − ½ cos (2πt / (W − 1))
 *   F_b,w(k)  = | Σ_t y_b(t) e^(−2πi k t / W) |,  k = 1 … 30
 *   G_b,w(g)  = mean of F_b,w(k) over the bins k of group g
 * stored      = median over w of G_b,w(g)  (the mean of the two middle
 *               values when the count is even, as NumPy's median)
 * bench/eval-catalogue/explore.py (rhythm_of) is the reference.
 */
#define G_LOG_DOMAIN "cochlea-store"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cochlea-rhythm.h"

#define B COCHLEA_RHYTHM_BANDS
#define G COCHLEA_RHYTHM_GROUPS
#define W COCHLEA_RHYTHM_WINDOW
/* Modulation bins 1 … N_BINS. */
#define N_BINS 30

/* First bin of each group, and one past the last group's last bin. */
static const int group_start[G + 1] = { 1, 2, 3, 4, 6, 8, 11, 16, 22, 31 };

struct _CochleaRhythm
{
  int     n_mels;
  float   ring[W][B];         /* the last W frames' band values; frame i at i % W */
  double  cos_t[N_BINS][W];   /* hann (t) cos (2πkt/W) */
  double  sin_t[N_BINS][W];
  gint64  n_frames;
  GArray *windows;            /* float, G · B per window (band-major) */
};

CochleaRhythm *
cochlea_rhythm_new (int n_mels)
{
  CochleaRhythm *self;

  g_return_val_if_fail (n_mels >= B, NULL);

  self = g_new0 (CochleaRhythm, 1);
  self->n_mels = n_mels;
  for (int k = 0; k < N_BINS; k++)
    for (int t = 0; t < W; t++)
      {
        double hann = 0.5 - 0.5 * cos (2 * G_PI * t / (W - 1));
        double phase = 2 * G_PI * (double) ((k + 1) * t % W) / W;
        self->cos_t[k][t] = hann * cos (phase);
        self->sin_t[k][t] = hann * sin (phase);
      }
  self->windows = g_array_new (FALSE, FALSE, sizeof (float));
  return self;
}

void
cochlea_rhythm_free (CochleaRhythm *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->windows);
  g_free (self);
}

/* The window ending with the latest frame. */
static void
add_window (CochleaRhythm *self)
{
  double y[W];
  float out[B * G];
  int first = (int) ((self->n_frames - W) % W);

  for (int b = 0; b < B; b++)
    {
      double mean = 0, mag[N_BINS];

      for (int t = 0; t < W; t++)
        mean += y[t] = self->ring[(first + t) % W][b];
      mean /= W;
      for (int t = 0; t < W; t++)
        y[t] -= mean;
      for (int k = 0; k < N_BINS; k++)
        {
          double re = 0, im = 0;
          for (int t = 0; t < W; t++)
            {
              re += y[t] * self->cos_t[k][t];
              im += y[t] * self->sin_t[k][t];
            }
          mag[k] = sqrt (re * re + im * im);
        }
      for (int g = 0; g < G; g++)
        {
          double s = 0;
          for (int k = group_start[g]; k < group_start[g + 1]; k++)
            s += mag[k - 1];
          out[b * G + g] = (float) (s / (group_start[g + 1] - group_start[g]));
        }
    }
  g_array_append_vals (self->windows, out, B * G);
}

void
cochlea_rhythm_push (CochleaRhythm *self,
                     const float   *mel_db)
{
  float *row = self->ring[self->n_frames % W];

  for (int b = 0; b < B; b++)
    {
      int lo = b * self->n_mels / B, hi = (b + 1) * self->n_mels / B;
      double s = 0;
      for (int m = lo; m < hi; m++)
        s += mel_db[m];
      row[b] = (float) (s / (hi - lo));
    }
  self->n_frames++;
  if (self->n_frames >= W && (self->n_frames - W) % COCHLEA_RHYTHM_HOP == 0)
    add_window (self);
}

static int
compare_floats (const void *a,
                const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return (x > y) - (x < y);
}

gboolean
cochlea_rhythm_finish (CochleaRhythm *self,
                       float         *vector)
{
  guint n = self->windows->len / (B * G);
  g_autofree float *column = NULL;
  const float *w = (const float *) (gpointer) self->windows->data;

  if (n == 0)
    return FALSE;
  column = g_new (float, n);
  for (int d = 0; d < B * G; d++)
    {
      for (guint i = 0; i < n; i++)
        column[i] = w[(gsize) i * B * G + d];
      qsort (column, n, sizeof (float), compare_floats);
      vector[d] = n % 2 == 1 ? column[n / 2] : (float) (0.5 * ((double) column[n / 2 - 1] + column[n / 2]));
    }
  return TRUE;
}
