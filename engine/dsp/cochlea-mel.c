/* cochlea-mel.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Streaming log-mel spectrogram.  The signal arrives in blocks of any size;
 * frames leave through a callback as soon as their window is complete.
 *
 * Centred frames with reflect padding make the first and last frames depend
 * on samples on both sides of the signal's ends.  The left pad is the
 * mirror of x[1..n_fft/2], available once n_fft/2+1 samples have arrived;
 * the right pad is the mirror of the last samples, known only at
 * cochlea_mel_finish().  Between the two the buffer holds the last window
 * and at most BUF_WINDOWS windows of input, so memory does not grow with the
 * length of the file or of the blocks pushed.
 *
 * The per-frame work (window, |X|², filterbank, dB) is written four floats
 * at a time with GCC's vector extensions (SSE on x86-64, NEON on aarch64),
 * because GCC 12 at -O2 leaves these loops scalar.  bench/bench-mel.c
 * measures it; tests/engine/test-mel-parity.c holds it to torchaudio.
 */
#define G_LOG_DOMAIN "cochlea-mel"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-error.h"
#include "cochlea-mel.h"
#include "cochlea-stft.h"

#if !defined(__GNUC__)
# error "cochlea-mel.c uses GCC/Clang vector extensions"
#endif

typedef float  v4sf __attribute__ ((vector_size (16)));
typedef gint32 v4si __attribute__ ((vector_size (16)));

#define V4(c) ((v4sf) { (c), (c), (c), (c) })

/* The input buffer holds this many windows before it is compacted. */
#define BUF_WINDOWS 16

static inline v4sf
load4 (const float *p)
{
  v4sf v;

  memcpy (&v, p, sizeof v);   /* unaligned load */
  return v;
}

static inline void
store4 (float *p,
        v4sf   v)
{
  memcpy (p, &v, sizeof v);
}

struct _CochleaMel
{
  CochleaMelParams params;
  CochleaFft      *fft;          /* borrowed from the plan cache */

  /* Owned */
  float  *window;                /* (n_fft) periodic Hann */
  float  *frame;                 /* (n_fft) windowed samples, FFTW-aligned */
  float  *spectrum;              /* (n_fft/2+1) × 2 interleaved complex, then 6 zeros */
  float  *power;                 /* (n_fft/2+1, then 4 zeros read by padded bands) */
  float  *mel_power;             /* (n_mels rounded up to 4) */
  float  *mel_db;                /* (n_mels rounded up to 4) */
  float  *filterbank;            /* (n_mels, n_fft/2+1) dense, for inspection */
  int    *band_start;            /* (n_mels) first non-zero bin of each filter */
  int    *band_len;              /* (n_mels) non-zero bins, rounded up to 4 */
  float  *band_weights;          /* packed weights, bands in order, zero-padded */
  float  *buf;                   /* padded signal not yet consumed */
  gsize   buf_cap;

  /* State */
  gsize   buf_len;               /* floats valid in buf */
  gsize   buf_start;             /* buf[0..buf_start) no longer needed */
  gint64  buf_origin;            /* padded-signal index of buf[0] */
  gint64  n_input;               /* signal samples received */
  gint64  n_emitted;             /* frames emitted */
  float  *head_buf;              /* first n_fft/2+1 samples until left pad is made */
  gsize   head_len;
  gboolean started;              /* left pad written into buf */
};

void
cochlea_mel_params_init_default (CochleaMelParams *params)
{
  params->sample_rate = 22050;
  params->n_fft = 1024;
  params->hop_length = 512;
  params->n_mels = 128;
  params->f_min = 0.0;
  params->f_max = 11025.0;
  params->amin = 1e-10;
}

gboolean
cochlea_mel_params_validate (const CochleaMelParams *p,
                             GError                **error)
{
  if (p->sample_rate < 1000 || p->n_fft < 16 || p->n_fft > 65536 || p->n_fft % 2 != 0 ||
      p->hop_length < 1 || p->hop_length > p->n_fft || p->n_mels < 1 || p->n_mels > 1024 ||
      p->f_min < 0 || p->f_max <= p->f_min || p->f_max > p->sample_rate / 2.0 + 1e-9 ||
      !(p->amin > 0))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_SHAPE,
                   "invalid mel parameters (sample_rate %d, n_fft %d, hop %d, n_mels %d, %g–%g Hz)",
                   p->sample_rate, p->n_fft, p->hop_length, p->n_mels, p->f_min, p->f_max);
      return FALSE;
    }
  return TRUE;
}

/* Slaney's Auditory Toolbox mel scale, as in librosa (htk=False) and
 * torchaudio (mel_scale="slaney"): 3 mels per 200 Hz below 1 kHz, then
 * 27 mels per factor 6.4 in frequency. */
#define F_SP         (200.0 / 3.0)
#define MIN_LOG_HZ   1000.0
#define MIN_LOG_MEL  (MIN_LOG_HZ / F_SP)
#define LOGSTEP      (1.8562979903656263 / 27.0) /* ln(6.4) / 27 */

double
cochlea_hz_to_mel_slaney (double hz)
{
  if (hz >= MIN_LOG_HZ)
    return MIN_LOG_MEL + log (hz / MIN_LOG_HZ) / LOGSTEP;
  return hz / F_SP;
}

double
cochlea_mel_to_hz_slaney (double mel)
{
  if (mel >= MIN_LOG_MEL)
    return MIN_LOG_HZ * exp (LOGSTEP * (mel - MIN_LOG_MEL));
  return F_SP * mel;
}

/* torchaudio.functional.melscale_fbanks (…, norm="slaney", mel_scale="slaney"),
 * computed in double and stored as float. */
static void
make_filterbank (CochleaMel *self)
{
  const CochleaMelParams *p = &self->params;
  gsize n_freqs = (gsize) p->n_fft / 2 + 1;
  gsize n_mels = (gsize) p->n_mels;
  double m_min = cochlea_hz_to_mel_slaney (p->f_min);
  double m_max = cochlea_hz_to_mel_slaney (p->f_max);
  g_autofree double *f_pts = g_new (double, n_mels + 2);
  gsize n_weights = 0;

  for (gsize i = 0; i < n_mels + 2; i++)
    f_pts[i] = cochlea_mel_to_hz_slaney (m_min + (m_max - m_min) * i / (double) (n_mels + 1));

  self->filterbank = g_new0 (float, n_mels * n_freqs);
  for (gsize m = 0; m < n_mels; m++)
    {
      double lower = f_pts[m], centre = f_pts[m + 1], upper = f_pts[m + 2];
      double enorm = 2.0 / (upper - lower);

      for (gsize k = 0; k < n_freqs; k++)
        {
          /* all_freqs = linspace(0, sample_rate // 2, n_freqs) */
          double f = (double) (p->sample_rate / 2) * k / (double) (n_freqs - 1);
          double down = (f - lower) / (centre - lower);
          double up = (upper - f) / (upper - centre);
          double w = MAX (0.0, MIN (down, up));

          self->filterbank[m * n_freqs + k] = (float) (w * enorm);
        }
    }

  /* Pack the non-zero runs: each filter touches a few dozen bins at most. */
  self->band_start = g_new0 (int, n_mels);
  self->band_len = g_new0 (int, n_mels);
  for (gsize m = 0; m < n_mels; m++)
    {
      const float *row = self->filterbank + m * n_freqs;
      int first = -1, last = -1;

      for (int k = 0; k < (int) n_freqs; k++)
        if (row[k] != 0.0f)
          {
            if (first < 0)
              first = k;
            last = k;
          }
      self->band_start[m] = first < 0 ? 0 : first;
      /* Whole vectors: the extra weights are zero, and the power array has
       * room (zeros) for a read up to 3 bins past its end. */
      self->band_len[m] = first < 0 ? 0 : (last - first + 1 + 3) & ~3;
      n_weights += self->band_len[m];
    }
  self->band_weights = g_new0 (float, MAX (n_weights, 1));
  n_weights = 0;
  for (gsize m = 0; m < n_mels; m++)
    {
      gsize len = MIN ((gsize) self->band_len[m], n_freqs - self->band_start[m]);

      memcpy (self->band_weights + n_weights,
              self->filterbank + m * n_freqs + self->band_start[m],
              sizeof (float) * len);
      n_weights += self->band_len[m];
    }
}

/**
 * cochlea_mel_new:
 * @params: the front end's parameters (copied)
 *
 * Returns: (transfer full): a streaming log-mel transform, or %NULL when
 *   @params are invalid
 */
CochleaMel *
cochlea_mel_new (const CochleaMelParams *params,
                 GError                **error)
{
  CochleaMel *self;
  int n_fft, n_freqs;

  if (!cochlea_mel_params_validate (params, error))
    return NULL;

  self = g_new0 (CochleaMel, 1);
  self->params = *params;
  n_fft = params->n_fft;
  n_freqs = n_fft / 2 + 1;

  self->fft = cochlea_fft_get (n_fft);
  self->window = g_new (float, n_fft);
  cochlea_hann_periodic (self->window, n_fft);
  self->frame = cochlea_fft_alloc (n_fft);
  /* Room for the power loop's last vector to read past bin n_fft/2. */
  self->spectrum = cochlea_fft_alloc (2 * n_freqs + 6);
  memset (self->spectrum, 0, (2 * n_freqs + 6) * sizeof (float));
  self->power = g_new0 (float, n_freqs + 4);
  self->mel_power = g_new0 (float, (params->n_mels + 3) & ~3);
  self->mel_db = g_new0 (float, (params->n_mels + 3) & ~3);
  self->head_buf = g_new0 (float, n_fft / 2 + 1);
  self->buf_cap = BUF_WINDOWS * (gsize) n_fft;
  self->buf = g_new (float, self->buf_cap);
  make_filterbank (self);

  return self;
}

void
cochlea_mel_free (CochleaMel *self)
{
  if (self == NULL)
    return;
  g_free (self->window);
  cochlea_fft_free (self->frame);
  cochlea_fft_free (self->spectrum);
  g_free (self->power);
  g_free (self->mel_power);
  g_free (self->mel_db);
  g_free (self->filterbank);
  g_free (self->band_start);
  g_free (self->band_len);
  g_free (self->band_weights);
  g_free (self->head_buf);
  g_free (self->buf);
  g_free (self);
}

const CochleaMelParams *
cochlea_mel_get_params (CochleaMel *self)
{
  return &self->params;
}

/**
 * cochlea_mel_get_filterbank:
 *
 * Returns: (transfer none): the dense (n_mels, n_fft/2+1) filter matrix
 */
const float *
cochlea_mel_get_filterbank (CochleaMel *self)
{
  return self->filterbank;
}

/* Number of frames torch.stft(center=True) gives for n samples. */
gint64
cochlea_mel_n_frames_for (const CochleaMelParams *params,
                          gint64                  n_samples)
{
  if (n_samples <= 0)
    return 0;
  return 1 + n_samples / params->hop_length;
}

void
cochlea_mel_reset (CochleaMel *self)
{
  self->buf_len = 0;
  self->buf_start = 0;
  self->buf_origin = 0;
  self->n_input = 0;
  self->n_emitted = 0;
  self->head_len = 0;
  self->started = FALSE;
}

/* Appends to the buffer, first dropping what no frame needs any more when
 * the buffer is full: one memmove every few windows, not one per block. */
static void
buf_append (CochleaMel  *self,
            const float *x,
            gsize        n)
{
  if (self->buf_len + n > self->buf_cap && self->buf_start > 0)
    {
      memmove (self->buf, self->buf + self->buf_start,
               (self->buf_len - self->buf_start) * sizeof (float));
      self->buf_len -= self->buf_start;
      self->buf_origin += self->buf_start;
      self->buf_start = 0;
    }
  if (self->buf_len + n > self->buf_cap)
    {
      self->buf_cap = MAX (self->buf_cap * 2, self->buf_len + n);
      self->buf = g_renew (float, self->buf, self->buf_cap);
    }
  memcpy (self->buf + self->buf_len, x, n * sizeof (float));
  self->buf_len += n;
}

/* log2 of four positive normal floats: exponent plus a series for the
 * mantissa m in [√½, √2): ln m = 2·atanh t = 2(t + t³/3 + t⁵/5 + …) with
 * t = (m − 1)/(m + 1), |t| ≤ 0.172, so the terms after t⁹ are below 1e-9.
 * The error against log10f is about 1e-6 dB over the whole range. */
static inline v4sf
log2_v4 (v4sf x)
{
  const v4si bits = (v4si) x;
  v4si e = ((bits >> 23) & 0xff) - 127;
  v4sf m = (v4sf) ((bits & 0x007fffff) | 0x3f800000);     /* [1, 2) */
  const v4si big = m > V4 ((float) G_SQRT2);               /* −1 where true */
  v4sf t, t2, series;

  m = (v4sf) (((v4si) (m * V4 (0.5f)) & big) | ((v4si) m & ~big));
  e -= big;
  t = (m - V4 (1.0f)) / (m + V4 (1.0f));
  t2 = t * t;
  series = V4 (1.0f / 9.0f);
  series = series * t2 + V4 (1.0f / 7.0f);
  series = series * t2 + V4 (1.0f / 5.0f);
  series = series * t2 + V4 (1.0f / 3.0f);
  series = series * t2 + V4 (1.0f);
  return __builtin_convertvector (e, v4sf) + t * series * V4 ((float) (2.0 / G_LN2));
}

/* One frame: window, FFT, power, mel, dB.  @x is n_fft samples. */
static void
compute_frame (CochleaMel          *self,
               const float         *x,
               CochleaMelFrameFunc  func,
               gpointer             user_data)
{
  const int n_fft = self->params.n_fft;
  const int n_freqs = n_fft / 2 + 1;
  const int n_mels = self->params.n_mels;
  const float amin = (float) self->params.amin;
  /* 10·log10(p) = 10·log10(2) · log2(p) */
  const v4sf db_per_octave = V4 ((float) (10.0 * G_LOG_2_BASE_10));
  float *frame = self->frame;
  const float *window = self->window;
  const float *spectrum = self->spectrum;
  float *power = self->power;
  float *mel_power = self->mel_power;
  const float *weights = self->band_weights;
  int i;

  for (i = 0; i + 4 <= n_fft; i += 4)
    store4 (frame + i, load4 (x + i) * load4 (window + i));
  for (; i < n_fft; i++)
    frame[i] = x[i] * window[i];

  cochlea_fft_forward (self->fft, frame, self->spectrum);

  /* |X|² from interleaved (re, im): square, then add neighbours pairwise. */
  for (i = 0; i + 4 <= n_freqs; i += 4)
    {
      v4sf a = load4 (spectrum + 2 * i), b = load4 (spectrum + 2 * i + 4);

      a *= a;
      b *= b;
      store4 (power + i, __builtin_shufflevector (a, b, 0, 2, 4, 6) +
                         __builtin_shufflevector (a, b, 1, 3, 5, 7));
    }
  for (; i < n_freqs; i++)
    power[i] = spectrum[2 * i] * spectrum[2 * i] + spectrum[2 * i + 1] * spectrum[2 * i + 1];

  /* Each band's weights are padded to whole vectors with zeros. */
  for (int m = 0; m < n_mels; m++)
    {
      const float *p = power + self->band_start[m];
      const int len = self->band_len[m];
      v4sf acc = V4 (0.0f);
      float sum;

      for (int j = 0; j < len; j += 4)
        acc += load4 (weights + j) * load4 (p + j);
      weights += len;
      sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
      mel_power[m] = sum > amin ? sum : amin;   /* NaN → amin, like MAX () */
    }
  for (int m = n_mels; m < ((n_mels + 3) & ~3); m++)
    mel_power[m] = 1.0f;

  for (int m = 0; m < n_mels; m += 4)
    store4 (self->mel_db + m, db_per_octave * log2_v4 (load4 (mel_power + m)));

  func (self->mel_db, power, self->n_emitted, user_data);
  self->n_emitted++;
}

/* Emits every frame whose window lies inside the buffer, then drops the
 * samples no later frame needs. */
static void
drain (CochleaMel          *self,
       gint64               max_frames,
       CochleaMelFrameFunc  func,
       gpointer             user_data)
{
  const gint64 hop = self->params.hop_length;
  const gint64 n_fft = self->params.n_fft;
  gint64 keep;

  while (self->n_emitted < max_frames)
    {
      gint64 start = self->n_emitted * hop - self->buf_origin;

      if (start + n_fft > (gint64) self->buf_len)
        break;
      compute_frame (self, self->buf + start, func, user_data);
    }

  /* The next frame starts at n_emitted·hop; keep the last window's worth
   * too, since the right pad mirrors those samples.  buf_append() reclaims
   * the rest when it needs the room. */
  keep = MIN (self->n_emitted * hop - self->buf_origin, (gint64) self->buf_len - n_fft);
  if (keep > (gint64) self->buf_start)
    self->buf_start = (gsize) keep;
}

/* Reflection of index i into [0, n), repeated as often as needed: numpy's
 * "reflect" for pads shorter than the signal, and well defined for a signal
 * shorter than the pad (which torch refuses). */
static gsize
reflect_index (gint64 i,
               gint64 n)
{
  gint64 period;

  if (n == 1)
    return 0;
  period = 2 * (n - 1);
  i %= period;
  if (i < 0)
    i += period;
  if (i >= n)
    i = period - i;
  return (gsize) i;
}

static void
start (CochleaMel *self)
{
  const gint64 half = self->params.n_fft / 2;
  g_autofree float *pad = g_new (float, half);

  /* left pad: x[half], x[half-1], …, x[1] */
  for (gint64 i = 0; i < half; i++)
    pad[i] = self->head_buf[reflect_index (half - i, self->head_len)];
  buf_append (self, pad, half);
  buf_append (self, self->head_buf, self->head_len);
  self->started = TRUE;
}

/**
 * cochlea_mel_push:
 * @pcm: (array length=n_samples): mono samples at params->sample_rate
 * @func: called for each frame completed by these samples
 *
 * Feeds samples.  Allocates only when a block is larger than any before.
 */
void
cochlea_mel_push (CochleaMel          *self,
                  const float         *pcm,
                  gsize                n_samples,
                  CochleaMelFrameFunc  func,
                  gpointer             user_data)
{
  const gsize need = self->params.n_fft / 2 + 1;

  g_return_if_fail (self != NULL);
  g_return_if_fail (func != NULL);

  if (n_samples == 0)
    return;

  if (!self->started)
    {
      gsize take = MIN (need - self->head_len, n_samples);

      memcpy (self->head_buf + self->head_len, pcm, take * sizeof (float));
      self->head_len += take;
      self->n_input += take;
      pcm += take;
      n_samples -= take;
      if (self->head_len < need)
        return;
      start (self);
    }

  /* Append in window-sized slices so the buffer stays small. */
  while (n_samples > 0)
    {
      gsize take = MIN (n_samples, (gsize) self->params.n_fft);

      buf_append (self, pcm, take);
      self->n_input += take;
      pcm += take;
      n_samples -= take;
      drain (self, G_MAXINT64, func, user_data);
    }
}

/**
 * cochlea_mel_finish:
 *
 * Pads the end of the signal and emits the remaining frames, so that a
 * signal of N samples has given 1 + ⌊N / hop⌋ frames in all.  The object
 * can then be reused after cochlea_mel_reset().
 */
void
cochlea_mel_finish (CochleaMel          *self,
                    CochleaMelFrameFunc  func,
                    gpointer             user_data)
{
  const gint64 half = self->params.n_fft / 2;
  gint64 n = self->n_input;
  gint64 total = cochlea_mel_n_frames_for (&self->params, n);
  g_autofree float *tail = NULL;

  g_return_if_fail (self != NULL);

  if (n == 0)
    return;

  if (!self->started)
    start (self);

  /* Right pad: x[n-2], x[n-3], …, x[n-1-half].  The samples needed lie in
   * the buffer, which holds at least the last window's worth. */
  tail = g_new (float, half);
  for (gint64 i = 0; i < half; i++)
    {
      gint64 src = (gint64) reflect_index (n - 2 - i, n);   /* signal index */
      gint64 at = src + half - self->buf_origin;             /* buffer index */

      if (at >= 0 && at < (gint64) self->buf_len)
        tail[i] = self->buf[at];
      else
        tail[i] = self->head_buf[reflect_index (src, MIN ((gint64) self->head_len, n))];
    }
  buf_append (self, tail, half);
  drain (self, total, func, user_data);
  g_warn_if_fail (self->n_emitted == total);
}
