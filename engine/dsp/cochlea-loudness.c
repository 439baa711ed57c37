/* cochlea-loudness.c — streaming integrated loudness (ITU-R BS.1770-4, EBU R 128)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The measurement libebur128 makes in EBUR128_MODE_I, written for one pass
 * over every sample at the file's own rate at a fraction of the cost:
 * libebur128 recomputes each 400-ms gating block from its samples (every
 * sample is squared and summed four times) and this code keeps the sums of
 * the four 100-ms quarters instead.  At 44.1 kHz stereo that was the
 * difference between adding ~45 % and ~9 % to decode + log-mel
 * (docs/performance.md).  tests/engine/test-attributes.c checks it against
 * libebur128 itself, which stays the reference.
 *
 *  - K-weighting: the BS.1770 high shelf (+4 dB above ~1.7 kHz) and the RLB
 *    high-pass (~38 Hz), designed for the actual rate with the same
 *    bilinear-transform formulas libebur128 uses, run as two biquads per
 *    channel in double precision;
 *  - mean square per 100-ms quarter (rate/10 samples, rounded as libebur128
 *    rounds), channels weighted 1 (mono, left, right);
 *  - a gating block every 100 ms once 400 ms are in: the mean of its four
 *    quarters;
 *  - gates: absolute −70 LUFS, then relative −10 LU below the loudness of
 *    the blocks above the absolute gate.  Loudness = −0.691 + 10·log10(z).
 */
#define G_LOG_DOMAIN "cochlea-loudness"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-dsp-private.h"
#include "cochlea-loudness.h"

#define MAX_CHANNELS 8

typedef struct
{
  double b0, b1, b2, a1, a2;
} Biquad;

/* Two channels in one register (GCC/Clang vector extension): stereo runs
 * both filters side by side, which halves the instructions per sample. */
typedef double v2d __attribute__ ((vector_size (16)));

/* The filter loop is built for plain x86-64 and for x86-64-v3
 * (COCHLEA_DSP_CLONES).  Callgrind: ~34 instructions per stereo frame
 * without, ~19 with; the FMA build stays within 0.01 LU of libebur128
 * (test). */
struct _CochleaLoudness
{
  /* Owned */
  GArray *blocks;                     /* double: mean square of each 400-ms block */

  /* State */
  int     rate;
  guint   channels;
  Biquad  shelf, highpass;
  double  state[MAX_CHANNELS][4];     /* TDF-II states: shelf s1 s2, high-pass s1 s2 */
  gsize   quarter_len;                /* samples per 100 ms */
  gsize   quarter_fill;
  double  quarter_sum;
  double  quarters[4];                /* the last four complete quarters */
  guint   n_quarters;
};

CochleaLoudness *
cochlea_loudness_new (void)
{
  CochleaLoudness *self = g_new0 (CochleaLoudness, 1);

  self->blocks = g_array_new (FALSE, FALSE, sizeof (double));
  return self;
}

void
cochlea_loudness_free (CochleaLoudness *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->blocks);
  g_free (self);
}

static void
configure (CochleaLoudness *self,
           guint            channels,
           int              rate)
{
  double f0, gain_db, q, k, vh, vb, a0;

  self->rate = rate;
  self->channels = channels;
  memset (self->state, 0, sizeof self->state);
  /* a format change starts a new quarter, as libebur128 drops its partial block */
  self->quarter_len = (gsize) ((rate + 5) / 10);
  self->quarter_fill = 0;
  self->quarter_sum = 0.0;
  self->n_quarters = 0;

  /* Stage 1: the head's high shelf. */
  f0 = 1681.974450955533;
  gain_db = 3.999843853973347;
  q = 0.7071752369554196;
  k = tan (G_PI * f0 / rate);
  vh = pow (10.0, gain_db / 20.0);
  vb = pow (vh, 0.4996667741545416);
  a0 = 1.0 + k / q + k * k;
  self->shelf.b0 = (vh + vb * k / q + k * k) / a0;
  self->shelf.b1 = 2.0 * (k * k - vh) / a0;
  self->shelf.b2 = (vh - vb * k / q + k * k) / a0;
  self->shelf.a1 = 2.0 * (k * k - 1.0) / a0;
  self->shelf.a2 = (1.0 - k / q + k * k) / a0;

  /* Stage 2: the revised low-frequency B-curve high-pass. */
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = tan (G_PI * f0 / rate);
  a0 = 1.0 + k / q + k * k;
  self->highpass.b0 = 1.0;
  self->highpass.b1 = -2.0;
  self->highpass.b2 = 1.0;
  self->highpass.a1 = 2.0 * (k * k - 1.0) / a0;
  self->highpass.a2 = (1.0 - k / q + k * k) / a0;
}

static void
end_quarter (CochleaLoudness *self)
{
  self->quarters[self->n_quarters % 4] = self->quarter_sum / self->quarter_len;
  self->n_quarters++;
  self->quarter_sum = 0.0;
  self->quarter_fill = 0;
  if (self->n_quarters >= 4)
    {
      double z = (self->quarters[0] + self->quarters[1] + self->quarters[2] + self->quarters[3]) / 4.0;
      g_array_append_val (self->blocks, z);
    }
}

/**
 * cochlea_loudness_push:
 * @interleaved: @n_frames frames of @channels float samples
 * @rate: their sample rate; a change of rate or channels restarts the
 *   filters and the current 100 ms, keeping the blocks already measured
 */
COCHLEA_DSP_CLONES void
cochlea_loudness_push (CochleaLoudness *self,
                       const float     *interleaved,
                       gsize            n_frames,
                       guint            channels,
                       int              rate)
{
  const Biquad *s, *h;

  g_return_if_fail (channels >= 1);
  g_return_if_fail (rate > 0);

  channels = MIN (channels, MAX_CHANNELS);
  if (rate != self->rate || channels != self->channels)
    configure (self, channels, rate);
  s = &self->shelf;
  h = &self->highpass;

  while (n_frames > 0)
    {
      gsize take = MIN (n_frames, self->quarter_len - self->quarter_fill);
      double sum = 0.0;

      if (channels == 2)
        {
          v2d s1 = { self->state[0][0], self->state[1][0] }, s2 = { self->state[0][1], self->state[1][1] };
          v2d h1 = { self->state[0][2], self->state[1][2] }, h2 = { self->state[0][3], self->state[1][3] };
          v2d acc = { 0.0, 0.0 };
          /* Coefficients broadcast once, outside the loop; the high-pass
           * numerator is (1, −2, 1), so its three products are adds. */
          const v2d sb0 = { s->b0, s->b0 }, sb1 = { s->b1, s->b1 }, sb2 = { s->b2, s->b2 };
          const v2d sa1 = { s->a1, s->a1 }, sa2 = { s->a2, s->a2 };
          const v2d ha1 = { h->a1, h->a1 }, ha2 = { h->a2, h->a2 };

          for (gsize i = 0; i < take; i++)
            {
              v2d v = { interleaved[2 * i], interleaved[2 * i + 1] };
              v2d y = sb0 * v + s1;

              s1 = sb1 * v - sa1 * y + s2;
              s2 = sb2 * v - sa2 * y;
              v = y;
              y = v + h1;
              h1 = (-(v + v) - ha1 * y) + h2;   /* bit for bit b1·v − a1·y + s2 */
              h2 = v - ha2 * y;
              acc += y * y;
            }
          for (int c = 0; c < 2; c++)
            {
              self->state[c][0] = s1[c];
              self->state[c][1] = s2[c];
              self->state[c][2] = h1[c];
              self->state[c][3] = h2[c];
            }
          sum = acc[0] + acc[1];
        }
      else for (guint c = 0; c < channels; c++)
        {
          double s1 = self->state[c][0], s2 = self->state[c][1];
          double h1 = self->state[c][2], h2 = self->state[c][3];
          const float *x = interleaved + c;

          for (gsize i = 0; i < take; i++)
            {
              double v = x[i * channels];
              double y = s->b0 * v + s1;

              s1 = s->b1 * v - s->a1 * y + s2;
              s2 = s->b2 * v - s->a2 * y;
              v = y;
              y = h->b0 * v + h1;
              h1 = h->b1 * v - h->a1 * y + h2;
              h2 = h->b2 * v - h->a2 * y;
              sum += y * y;
            }
          self->state[c][0] = s1;
          self->state[c][1] = s2;
          self->state[c][2] = h1;
          self->state[c][3] = h2;
        }

      self->quarter_sum += sum;
      self->quarter_fill += take;
      interleaved += take * channels;
      n_frames -= take;
      if (self->quarter_fill == self->quarter_len)
        end_quarter (self);
    }
}

static double
to_lufs (double z)
{
  return -0.691 + 10.0 * log10 (z);
}

/**
 * cochlea_loudness_get_integrated:
 *
 * Returns: the gated integrated loudness in LUFS so far, or -HUGE_VAL when
 *   no 400-ms block rose above the −70 LUFS absolute gate
 */
double
cochlea_loudness_get_integrated (CochleaLoudness *self)
{
  const double *z = (const double *) self->blocks->data;
  double sum = 0.0, relative;
  guint count = 0;

  for (guint j = 0; j < self->blocks->len; j++)
    if (z[j] > 0 && to_lufs (z[j]) > -70.0)
      {
        sum += z[j];
        count++;
      }
  if (count == 0)
    return -HUGE_VAL;

  relative = to_lufs (sum / count) - 10.0;
  sum = 0.0;
  count = 0;
  for (guint j = 0; j < self->blocks->len; j++)
    if (z[j] > 0 && to_lufs (z[j]) > -70.0 && to_lufs (z[j]) > relative)
      {
        sum += z[j];
        count++;
      }
  return count > 0 ? to_lufs (sum / count) : -HUGE_VAL;
}
