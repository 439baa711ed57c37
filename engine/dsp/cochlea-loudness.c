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
 * libebur128 itself, which stays the reference, and
 * tests/engine/test-loudness.c against a plain one-sample-at-a-time filter.
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
 *
 * Speed: a recursive filter run one sample after another is bound by the
 * latency of its feedback (each sample's output waits for a multiply-add
 * and an add on the previous one), not by arithmetic: that loop, with the
 * two channels in one 2-double vector, took 4.2–4.7 ns per stereo frame
 * at 44.1 kHz (`bench-attributes --part loudness`, docs/performance.md).
 * So the signal is cut into segments that are filtered side by side, one
 * per lane of two 4-double vectors (LANES = 8: four stereo segments, or
 * eight mono ones), and the CPU overlaps the two vectors' chains: 1.6 ns
 * per frame, of which ~0.3 ns is copying the samples in.
 *
 * A segment's filter must start in the state the signal before it left.
 * It is not carried over (that would be serial again): each lane starts
 * from zero `warmup_len` samples before its segment and runs over them
 * without measuring.  The filters are linear, so the difference between
 * that state and the true one is the zero-input response of the cascade
 * to the true state at the warm-up's start, e_W = A^W e_0 (A: the 4×4
 * state matrix of the two biquads).  configure() computes A^n until its
 * largest absolute row sum, ||A^n||∞, is at most 2^−64 and takes that n as
 * the warm-up: the error left in every state is then at most 2^−64 times
 * the largest state at the warm-up's start, 11 bits under double
 * precision's 2^−53, so a passage 66 dB quieter than the one before it is
 * still measured to double precision.  The bound follows from the pole
 * radii: the high-pass's two poles sit at radius ≈ 1 − 2π·38 Hz/rate
 * (0.99458 at 44.1 kHz, close to a double pole, so the response is
 * n·rⁿ-shaped and first grows to ||Aⁿ||∞ ≈ 136); the warm-up comes out at
 * 9 858 samples at 44.1 kHz, 10 746 at 48 kHz, 4 866 at 22.05 kHz,
 * 44 078 at 192 kHz.  Segments are whole quarters and at least
 * SEGMENT_WARMUPS warm-ups long (79 380 samples at 44.1 kHz, 1.8 s), so
 * each lane's 100-ms sums fall on quarter boundaries and the warm-ups cost
 * at most 1/SEGMENT_WARMUPS extra.
 *
 * Layout: the samples are buffered as they come (interleaved), one chunk
 * of n_segments consecutive segments after the last warm-up's worth of the
 * chunk before, so that lane k simply reads warmup_len + segment_len
 * frames from frame k · segment_len of the buffer; the pushes are plain
 * copies.  The loop loads four frames of each segment at a time and
 * transposes them into lanes in registers.  (Writing the samples straight
 * into lane order instead made every push a strided store into a 2.5 MB
 * buffer, which cost more than the filtering.)
 *
 * cochlea_loudness_get_integrated() measures what is buffered without
 * consuming it.
 */
#define G_LOG_DOMAIN "cochlea-loudness"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-dsp-private.h"
#include "cochlea-loudness.h"

#define LANES           8      /* doubles filtered side by side: two 4-double vectors */
#define SEGMENT_WARMUPS 8      /* a segment is at least this many warm-ups long */
#define DECAY_LOG2      (-64)  /* warm-up: until ||A^n||∞ ≤ 2^DECAY_LOG2 */
#define MAX_WARMUP      131072 /* samples; 44 078 are needed at 192 kHz */

typedef struct
{
  double b0, b1, b2, a1, a2;
} Biquad;

struct _CochleaLoudness
{
  /* Owned */
  GArray *blocks;           /* double: mean square of each 400-ms block */
  float  *buffer;           /* (warmup_len + chunk_len, channels): the end of the
                             * chunk before, then the chunk being filled */
  double *lane_sums;        /* (segment_len / quarter_len, LANES): Σy² per quarter */

  /* State */
  int     rate;
  guint   channels;
  Biquad  shelf, highpass;
  guint   n_segments;       /* per chunk: LANES / channels; lane = segment · channels + channel */
  gsize   quarter_len;      /* samples per 100 ms */
  gsize   warmup_len;
  gsize   segment_len;      /* a multiple of quarter_len */
  gsize   chunk_len;        /* n_segments · segment_len frames */
  gsize   chunk_fill;       /* frames of the chunk buffered */
  gboolean stable;          /* the filters decay: measure (see configure()) */
  double  quarters[4];      /* the last four complete quarters */
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
  g_free (self->buffer);
  g_free (self->lane_sums);
  g_free (self);
}

/* The number of zero-input steps after which any state of the cascade has
 * decayed to 2^DECAY_LOG2 of itself: the first n with ||A^n||∞ ≤ 2^DECAY_LOG2,
 * A being the state matrix (shelf s1 s2, high-pass h1 h2) of k_weight()'s
 * recursion with zero input.  Both filters are stable for any rate above
 * 2 × 1682 Hz; MAX_WARMUP only bounds the work for a nonsensical design. */
static gsize
decay_length (const Biquad *s,
              const Biquad *h)
{
  /* the high-pass's input is the shelf's output, s1 when the input is 0 */
  const double A[4][4] = {
    { -s->a1,         1, 0,      0 },
    { -s->a2,         0, 0,      0 },
    { h->b1 - h->a1,  0, -h->a1, 1 },
    { h->b2 - h->a2,  0, -h->a2, 0 },
  };
  const double limit = ldexp (1.0, DECAY_LOG2);
  double P[4][4] = { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } };
  gsize n;

  for (n = 1; n < MAX_WARMUP; n++)
    {
      double Q[4][4], norm = 0.0;

      for (int i = 0; i < 4; i++)
        {
          double row = 0.0;

          for (int j = 0; j < 4; j++)
            {
              Q[i][j] = A[i][0] * P[0][j] + A[i][1] * P[1][j] + A[i][2] * P[2][j] + A[i][3] * P[3][j];
              row += fabs (Q[i][j]);
            }
          norm = MAX (norm, row);
        }
      memcpy (P, Q, sizeof P);
      if (norm <= limit)
        break;
    }
  return n;
}

/* Flushes the chunk being filled (its complete quarters are kept), then
 * designs the filters and the segments for @channels at @rate. */
static void run_chunk (CochleaLoudness *self, gboolean commit);

static void
configure (CochleaLoudness *self,
           guint            channels,
           int              rate)
{
  double f0, gain_db, q, k, vh, vb, a0;
  gsize n_quarters;

  if (self->chunk_fill > 0)
    run_chunk (self, TRUE);

  self->rate = rate;
  self->channels = channels;
  /* a format change starts a new quarter, as libebur128 drops its partial block */
  self->quarter_len = MAX (1, (gsize) ((rate + 5) / 10));
  self->n_quarters = 0;
  self->chunk_fill = 0;

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

  /* Segments: whole quarters, at least SEGMENT_WARMUPS warm-ups long. */
  self->warmup_len = decay_length (&self->shelf, &self->highpass);
  /* No decay: the filters are unstable (the shelf's design breaks down
   * under 2 × 1682 Hz).  Such audio is not measured, as when the unstable
   * filters overflowed to NaN before the segments; the buffer stays small. */
  self->stable = self->warmup_len < MAX_WARMUP;
  if (!self->stable)
    self->warmup_len = self->quarter_len;
  n_quarters = (SEGMENT_WARMUPS * self->warmup_len + self->quarter_len - 1) / self->quarter_len;
  self->segment_len = MAX (1, n_quarters) * self->quarter_len;
  self->n_segments = MAX (1, LANES / channels);
  self->chunk_len = self->n_segments * self->segment_len;

  /* Zeroed: the first chunk's first segment warms up on silence, which
   * leaves the filters in their true (zero) starting state. */
  g_free (self->buffer);
  g_free (self->lane_sums);
  self->buffer = g_new0 (float, (self->warmup_len + self->chunk_len) * channels);
  self->lane_sums = g_new0 (double, (self->segment_len / self->quarter_len) * LANES);
}

typedef double v4d __attribute__ ((vector_size (32)));
typedef float v4sf __attribute__ ((vector_size (16)));
#ifndef __clang__
typedef gint64 v4di __attribute__ ((vector_size (32)));
#define SHUFFLE(a, b, i, j, k, l) __builtin_shuffle ((a), (b), (v4di) { i, j, k, l })
#else
#define SHUFFLE(a, b, i, j, k, l) __builtin_shufflevector ((a), (b), i, j, k, l)
#endif

typedef struct
{
  v4d sb0, sb1, sb2, sa1, sa2, ha1, ha2;
} Coefficients;

typedef struct
{
  v4d s1, s2, h1, h2;     /* TDF-II states: shelf, high-pass */
  v4d acc;                /* Σy² */
} State;

/* Vectors go through pointers in these helpers: an AVX vector passed by
 * value would change the calling convention of the plain x86-64 build. */
static inline __attribute__ ((always_inline)) void
load4 (v4d         *x,
       const float *p)
{
  v4sf f;

  memcpy (&f, p, sizeof f);
  *x = __builtin_convertvector (f, v4d);
}

/* One K-weighted sample @x for four lanes, its square added to @st->acc.
 * Transposed direct form II, as before the segments, with each state's
 * sum ordered so that the previous output comes in last (s1 = (b1·x + s2)
 * − a1·y): the chain from one output to the next is then two
 * multiply-adds, not a multiply-add, a subtraction and a multiply-add
 * (9 % faster); it rounds differently in the last bits, which
 * test-loudness bounds.  The high-pass numerator is (1, −2, 1), so its
 * three products are adds.  (A direct form I with −a1·y[n−1] added last
 * was about as fast.) */
static inline __attribute__ ((always_inline)) void
k_weight (State              *st,
          const Coefficients *c,
          const v4d          *px)
{
  v4d x = *px, y, v;

  y = c->sb0 * x + st->s1;
  st->s1 = (c->sb1 * x + st->s2) - c->sa1 * y;
  st->s2 = c->sb2 * x - c->sa2 * y;
  v = y;
  y = v + st->h1;
  st->h1 = (st->h2 - (v + v)) - c->ha1 * y;
  st->h2 = v - c->ha2 * y;
  st->acc += y * y;
}

/* Frames @i .. @i + @n of every lane through the filters.  Lane
 * seg · @C + ch reads channel ch of the frames starting at @base + seg ·
 * @seg_stride; @a holds lanes 0–3, @b lanes 4–7.  @C is a constant where
 * this is inlined, so each channel count gets its own loop. */
static inline __attribute__ ((always_inline)) void
run_steps (State              *a,
           State              *b,
           const Coefficients *c,
           const float        *base,
           gsize               seg_stride,
           guint               C,
           guint               n_lanes,
           gsize               i,
           gsize               n)
{
  gsize end = i + n;

  if (C == 2)
    /* four stereo segments: load two frames of each as four doubles,
     * then pick the (L, R) pairs of two segments per step */
    for (; i + 4 <= end; i += 4)
      {
        const float *p = base + 2 * i;
        v4d s0a, s0b, s1a, s1b, s2a, s2b, s3a, s3b, x;

        load4 (&s0a, p);
        load4 (&s0b, p + 4);
        load4 (&s1a, p + seg_stride);
        load4 (&s1b, p + seg_stride + 4);
        load4 (&s2a, p + 2 * seg_stride);
        load4 (&s2b, p + 2 * seg_stride + 4);
        load4 (&s3a, p + 3 * seg_stride);
        load4 (&s3b, p + 3 * seg_stride + 4);

        x = SHUFFLE (s0a, s1a, 0, 1, 4, 5); k_weight (a, c, &x);
        x = SHUFFLE (s2a, s3a, 0, 1, 4, 5); k_weight (b, c, &x);
        x = SHUFFLE (s0a, s1a, 2, 3, 6, 7); k_weight (a, c, &x);
        x = SHUFFLE (s2a, s3a, 2, 3, 6, 7); k_weight (b, c, &x);
        x = SHUFFLE (s0b, s1b, 0, 1, 4, 5); k_weight (a, c, &x);
        x = SHUFFLE (s2b, s3b, 0, 1, 4, 5); k_weight (b, c, &x);
        x = SHUFFLE (s0b, s1b, 2, 3, 6, 7); k_weight (a, c, &x);
        x = SHUFFLE (s2b, s3b, 2, 3, 6, 7); k_weight (b, c, &x);
      }
  else if (C == 1)
    /* eight mono segments: four frames of each, transposed 4 × 4 */
    for (; i + 4 <= end; i += 4)
      {
        const float *p = base + i;
        v4d d[8], t0, t1, t2, t3, x;

        for (int k = 0; k < 8; k++)
          load4 (&d[k], p + k * seg_stride);
        for (int half = 0; half < 2; half++)
          {
            State *st = half == 0 ? a : b;
            const v4d *e = d + 4 * half;

            t0 = SHUFFLE (e[0], e[1], 0, 4, 2, 6);
            t1 = SHUFFLE (e[0], e[1], 1, 5, 3, 7);
            t2 = SHUFFLE (e[2], e[3], 0, 4, 2, 6);
            t3 = SHUFFLE (e[2], e[3], 1, 5, 3, 7);
            x = SHUFFLE (t0, t2, 0, 1, 4, 5); k_weight (st, c, &x);
            x = SHUFFLE (t1, t3, 0, 1, 4, 5); k_weight (st, c, &x);
            x = SHUFFLE (t0, t2, 2, 3, 6, 7); k_weight (st, c, &x);
            x = SHUFFLE (t1, t3, 2, 3, 6, 7); k_weight (st, c, &x);
          }
      }

  /* what is left, and any other channel count: lane by lane */
  for (; i < end; i++)
    {
      float f[LANES] = { 0 };
      v4d x;

      for (guint l = 0; l < n_lanes; l++)
        f[l] = base[(l / C) * seg_stride + i * C + l % C];
      load4 (&x, f);
      k_weight (a, c, &x);
      load4 (&x, f + 4);
      k_weight (b, c, &x);
    }
}

static inline __attribute__ ((always_inline)) void
filter_lanes_for (const Coefficients *c,
                  const float        *base,
                  gsize               seg_stride,
                  guint               C,
                  guint               n_lanes,
                  gsize               warm_len,
                  gsize               n_quarters,
                  gsize               quarter_len,
                  double             *sums)
{
  State a, b;

  memset (&a, 0, sizeof a);
  memset (&b, 0, sizeof b);
  run_steps (&a, &b, c, base, seg_stride, C, n_lanes, 0, warm_len);
  for (gsize qu = 0; qu < n_quarters; qu++)
    {
      memset (&a.acc, 0, sizeof a.acc);
      memset (&b.acc, 0, sizeof b.acc);
      run_steps (&a, &b, c, base, seg_stride, C, n_lanes, warm_len + qu * quarter_len, quarter_len);
      memcpy (sums + qu * LANES, &a.acc, sizeof a.acc);
      memcpy (sums + qu * LANES + 4, &b.acc, sizeof b.acc);
    }
}

/* The hot loop, built for plain x86-64 and x86-64-v3 (COCHLEA_DSP_CLONES):
 * every lane from zero state over @warm_len frames (not measured), then
 * @n_quarters × @quarter_len frames, storing each lane's Σy² per quarter
 * in @sums (@n_quarters rows of LANES).  See run_steps() for the lanes. */
static COCHLEA_DSP_CLONES void
filter_lanes (const Biquad *s,
              const Biquad *h,
              const float  *base,
              gsize         seg_stride,
              guint         C,
              guint         n_lanes,
              gsize         warm_len,
              gsize         n_quarters,
              gsize         quarter_len,
              double       *sums)
{
  const Coefficients c = {
    .sb0 = { s->b0, s->b0, s->b0, s->b0 },
    .sb1 = { s->b1, s->b1, s->b1, s->b1 },
    .sb2 = { s->b2, s->b2, s->b2, s->b2 },
    .sa1 = { s->a1, s->a1, s->a1, s->a1 },
    .sa2 = { s->a2, s->a2, s->a2, s->a2 },
    .ha1 = { h->a1, h->a1, h->a1, h->a1 },
    .ha2 = { h->a2, h->a2, h->a2, h->a2 },
  };

  if (C == 2)
    filter_lanes_for (&c, base, seg_stride, 2, n_lanes, warm_len, n_quarters, quarter_len, sums);
  else if (C == 1)
    filter_lanes_for (&c, base, seg_stride, 1, n_lanes, warm_len, n_quarters, quarter_len, sums);
  else
    filter_lanes_for (&c, base, seg_stride, C, n_lanes, warm_len, n_quarters, quarter_len, sums);
}

static void
end_quarter (CochleaLoudness *self,
             double           mean_square)
{
  self->quarters[self->n_quarters % 4] = mean_square;
  self->n_quarters++;
  if (self->n_quarters >= 4)
    {
      double z = (self->quarters[0] + self->quarters[1] + self->quarters[2] + self->quarters[3]) / 4.0;
      g_array_append_val (self->blocks, z);
    }
}

/* Filters the @chunk_fill frames buffered and adds their complete quarters
 * to the blocks, in time order.  @commit: the chunk is full (or the format
 * is about to change) and will be refilled, so its last warm-up's worth of
 * frames moves to the front of the buffer for the next chunk's first
 * segment; otherwise (a measurement mid-chunk) nothing changes that the
 * next run needs. */
static void
run_chunk (CochleaLoudness *self,
           gboolean         commit)
{
  const gsize W = self->warmup_len, S = self->segment_len, Q = self->quarter_len;
  const guint C = self->channels;
  gsize n_valid = self->chunk_fill;
  gsize n_quarters = self->stable ? MIN (S, n_valid) / Q : 0;   /* the first segment has the most */

  /* Lane k reads buffer frames from k·S: its warm-up is the end of
   * segment k − 1 (for k = 0, of the chunk before). */
  if (n_quarters > 0)
    filter_lanes (&self->shelf, &self->highpass, self->buffer, S * C, C,
                  self->n_segments * C, W, n_quarters, Q, self->lane_sums);

  /* Complete quarters, segment after segment.  Frames past @n_valid are
   * stale or zero; they only reach their own lane's later, incomplete
   * quarters, and the next lane's warm-up, whose segment is then empty. */
  for (guint seg = 0; seg < self->n_segments; seg++)
    for (gsize qu = 0; qu < n_quarters; qu++)
      {
        double sum = 0.0;

        if (seg * S + (qu + 1) * Q > n_valid)
          goto done;
        for (guint c = 0; c < C; c++)
          sum += self->lane_sums[qu * LANES + seg * C + c];
        end_quarter (self, sum / Q);
      }
done:

  if (commit)
    {
      memmove (self->buffer, self->buffer + self->chunk_len * C, W * C * sizeof (float));
      self->chunk_fill = 0;
    }
}

/**
 * cochlea_loudness_push:
 * @interleaved: @n_frames frames of @channels float samples
 * @rate: their sample rate; a change of rate or channels restarts the
 *   filters and the current 100 ms, keeping the blocks already measured
 *
 * Up to %LANES channels are measured (the decoder hands out at most two).
 */
void
cochlea_loudness_push (CochleaLoudness *self,
                       const float     *interleaved,
                       gsize            n_frames,
                       guint            channels,
                       int              rate)
{
  guint used;

  g_return_if_fail (channels >= 1);
  g_return_if_fail (rate > 0);

  used = MIN (channels, LANES);
  if (rate != self->rate || used != self->channels)
    configure (self, used, rate);

  while (n_frames > 0)
    {
      gsize take = MIN (n_frames, self->chunk_len - self->chunk_fill);
      float *dst = self->buffer + (self->warmup_len + self->chunk_fill) * used;

      if (used == channels)
        memcpy (dst, interleaved, take * used * sizeof (float));
      else
        for (gsize i = 0; i < take; i++)
          memcpy (dst + i * used, interleaved + i * channels, used * sizeof (float));

      self->chunk_fill += take;
      interleaved += take * channels;
      n_frames -= take;
      if (self->chunk_fill == self->chunk_len)
        run_chunk (self, TRUE);
    }
}

static double
to_lufs (double z)
{
  return -0.691 + 10.0 * log10 (z);
}

/* What measuring the buffered samples changes, to be taken back: their
 * quarters count now, and are measured again, with what follows, when
 * their chunk is full. */
typedef struct
{
  guint  n_blocks;
  guint  n_quarters;
  double quarters[4];
} Pending;

static void
add_pending (CochleaLoudness *self,
             Pending         *saved)
{
  saved->n_blocks = self->blocks->len;
  saved->n_quarters = self->n_quarters;
  memcpy (saved->quarters, self->quarters, sizeof saved->quarters);
  if (self->chunk_fill > 0)
    run_chunk (self, FALSE);
}

static void
drop_pending (CochleaLoudness *self,
              const Pending   *saved)
{
  g_array_set_size (self->blocks, saved->n_blocks);
  self->n_quarters = saved->n_quarters;
  memcpy (self->quarters, saved->quarters, sizeof saved->quarters);
}

/**
 * cochlea_loudness_dup_blocks:
 * @n_blocks: (out): the number of blocks
 *
 * The mean square of the K-weighted signal (channels summed) in every
 * 400-ms gating block so far, one every 100 ms, before any gate.
 *
 * Returns: (transfer full) (nullable): @n_blocks doubles
 */
double *
cochlea_loudness_dup_blocks (CochleaLoudness *self,
                             gsize           *n_blocks)
{
  Pending saved;
  double *blocks;

  add_pending (self, &saved);
  *n_blocks = self->blocks->len;
  blocks = g_memdup2 (self->blocks->data, self->blocks->len * sizeof (double));
  drop_pending (self, &saved);
  return blocks;
}

/**
 * cochlea_loudness_get_integrated:
 *
 * Measures what was pushed so far; more can be pushed afterwards.
 *
 * Returns: the gated integrated loudness in LUFS so far, or -HUGE_VAL when
 *   no 400-ms block rose above the −70 LUFS absolute gate
 */
double
cochlea_loudness_get_integrated (CochleaLoudness *self)
{
  const double *z;
  double sum = 0.0, relative, result;
  guint count = 0;
  Pending saved;

  add_pending (self, &saved);

  z = (const double *) self->blocks->data;
  for (guint j = 0; j < self->blocks->len; j++)
    if (z[j] > 0 && to_lufs (z[j]) > -70.0)
      {
        sum += z[j];
        count++;
      }
  if (count == 0)
    {
      result = -HUGE_VAL;
      goto out;
    }

  relative = to_lufs (sum / count) - 10.0;
  sum = 0.0;
  count = 0;
  for (guint j = 0; j < self->blocks->len; j++)
    if (z[j] > 0 && to_lufs (z[j]) > -70.0 && to_lufs (z[j]) > relative)
      {
        sum += z[j];
        count++;
      }
  result = count > 0 ? to_lufs (sum / count) : -HUGE_VAL;

out:
  drop_pending (self, &saved);
  return result;
}
