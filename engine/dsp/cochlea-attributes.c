/* cochlea-attributes.c — Spotify-style audio attributes, streamed
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fed from the analysis loop: every PCM block (for loudness and chroma)
 * and every log-mel frame (for onsets and timbre).  Per-frame cues are a
 * few floats (about 0.7 kB per second of audio), everything else is fixed
 * size; the finishing step turns them into the attributes.  The formulas
 * and the reasons for them are in docs/attributes.md.
 */
#define G_LOG_DOMAIN "cochlea-attributes"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-analysis.h"
#include "cochlea-attributes.h"
#include "cochlea-dsp-private.h"
#include "cochlea-error.h"
#include "cochlea-key.h"
#include "cochlea-loudness.h"
#include "cochlea-stft.h"
#include "cochlea-tempo.h"

#define LOUDNESS_FLOOR   (-70.0)  /* LUFS; EBU R 128's absolute gate */
#define SILENT_FRAME_DB  (-90.0)  /* dBFS; below this a frame counts as silence */
#define MEL_FLOOR_DB     80.0     /* onset flux ignores bands this far under the frame's peak */
#define TIMBRE_EVERY     4        /* timbre cues on every 4th mel frame */
#define LOW_BAND_HZ      200.0
#define SPEECH_LO_HZ     300.0
#define SPEECH_HI_HZ     3400.0
#define HF_HZ            5000.0
#define MOD_WINDOW       256      /* frames per modulation window (~6 s) */
#define MOD_RANGE_DB     30.0

struct _CochleaAttributeAnalyzer
{
  /* Owned */
  CochleaLoudness *loudness;   /* fed by push_pcm() or, with use_native, push_native() */
  CochleaChroma *chroma;
  GArray        *onset;        /* float per frame: mean log-mel flux */
  GArray        *onset_low;    /* float per frame: flux under 200 Hz */
  GArray        *level_db;     /* float per frame: dBFS */
  GArray        *speech_db;    /* float per frame: 300–3400 Hz band, dB */
  GArray        *flatness;     /* float per timbre frame (sounding frames only) */
  float         *prev_mel;

  /* State */
  CochleaMelParams params;
  gboolean       native;       /* loudness from push_native(), not push_pcm() */
  double         frame_rate;
  int            n_mels;
  int            n_freqs;
  int            low_mels;     /* mel bands centred under LOW_BAND_HZ */
  int            speech_lo, speech_hi, hf_bin;   /* power-spectrum bins */
  gboolean       have_prev;
  gint64         n_frames;
  double         centroid_sum;
  double         hf_sum;
  guint          n_timbre;
};

/**
 * cochlea_attribute_analyzer_new:
 * @params: the log-mel front end's parameters (its frames are pushed here)
 */
CochleaAttributeAnalyzer *
cochlea_attribute_analyzer_new (const CochleaMelParams *params)
{
  CochleaAttributeAnalyzer *self;
  double bin_hz;

  g_return_val_if_fail (params != NULL, NULL);

  self = g_new0 (CochleaAttributeAnalyzer, 1);
  self->params = *params;
  self->n_mels = params->n_mels;
  self->n_freqs = params->n_fft / 2 + 1;
  self->frame_rate = (double) params->sample_rate / params->hop_length;

  self->loudness = cochlea_loudness_new ();
  self->chroma = cochlea_chroma_new (params->sample_rate);

  self->onset = g_array_sized_new (FALSE, FALSE, sizeof (float), 8192);
  self->onset_low = g_array_sized_new (FALSE, FALSE, sizeof (float), 8192);
  self->level_db = g_array_sized_new (FALSE, FALSE, sizeof (float), 8192);
  self->speech_db = g_array_sized_new (FALSE, FALSE, sizeof (float), 8192);
  self->flatness = g_array_sized_new (FALSE, FALSE, sizeof (float), 2048);
  self->prev_mel = g_new0 (float, params->n_mels);

  /* Mel band centres are equally spaced on the Slaney scale. */
  {
    double mel_min = cochlea_hz_to_mel_slaney (params->f_min);
    double mel_max = cochlea_hz_to_mel_slaney (params->f_max);

    for (int m = 0; m < params->n_mels; m++)
      {
        double centre = cochlea_mel_to_hz_slaney (mel_min + (mel_max - mel_min) * (m + 1) / (params->n_mels + 1));
        if (centre < LOW_BAND_HZ)
          self->low_mels = m + 1;
      }
    self->low_mels = MAX (1, self->low_mels);
  }
  bin_hz = (double) params->sample_rate / params->n_fft;
  self->speech_lo = MAX (1, (int) lround (SPEECH_LO_HZ / bin_hz));
  self->speech_hi = MIN (self->n_freqs - 1, (int) lround (SPEECH_HI_HZ / bin_hz));
  self->hf_bin = MIN (self->n_freqs - 1, (int) lround (HF_HZ / bin_hz));

  return self;
}

void
cochlea_attribute_analyzer_free (CochleaAttributeAnalyzer *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->loudness, cochlea_loudness_free);
  g_clear_pointer (&self->chroma, cochlea_chroma_free);
  g_clear_pointer (&self->onset, g_array_unref);
  g_clear_pointer (&self->onset_low, g_array_unref);
  g_clear_pointer (&self->level_db, g_array_unref);
  g_clear_pointer (&self->speech_db, g_array_unref);
  g_clear_pointer (&self->flatness, g_array_unref);
  g_free (self->prev_mel);
  g_free (self);
}

/**
 * cochlea_attribute_analyzer_use_native_loudness:
 *
 * Loudness will come from cochlea_attribute_analyzer_push_native() (the
 * file's own rate, the whole band) instead of the analysis-rate PCM, whose
 * missing top octave would bias it.  Call before pushing anything.
 */
void
cochlea_attribute_analyzer_use_native_loudness (CochleaAttributeAnalyzer *self)
{
  self->native = TRUE;
}

/**
 * cochlea_attribute_analyzer_push_native:
 * @analyzer: a #CochleaAttributeAnalyzer
 *
 * A #CochleaDecoderTapFunc: the decoded channels at the native rate, for
 * loudness.  May run on another thread than the other calls, but never at
 * the same time as _finish().
 */
void
cochlea_attribute_analyzer_push_native (const float *interleaved,
                                        gsize        n_frames,
                                        guint        channels,
                                        int          rate,
                                        gpointer     analyzer)
{
  CochleaAttributeAnalyzer *self = analyzer;

  if (self->native && n_frames > 0 && channels > 0 && rate > 0)
    cochlea_loudness_push (self->loudness, interleaved, n_frames, channels, rate);
}

/**
 * cochlea_attribute_analyzer_push_pcm:
 * @mono: @n_frames mono samples at the analysis rate
 * @interleaved: (nullable): the same frames in @channels channels, for
 *   loudness; %NULL to measure loudness on @mono
 */
void
cochlea_attribute_analyzer_push_pcm (CochleaAttributeAnalyzer *self,
                                     const float              *mono,
                                     const float              *interleaved,
                                     guint                     channels,
                                     gsize                     n_frames)
{
  if (n_frames == 0)
    return;
  if (!self->native)
    {
      if (interleaved != NULL && channels > 0)
        cochlea_loudness_push (self->loudness, interleaved, n_frames, channels, self->params.sample_rate);
      else
        cochlea_loudness_push (self->loudness, mono, n_frames, 1, self->params.sample_rate);
    }
  cochlea_chroma_push (self->chroma, mono, n_frames);
}

/* Sum of @x[lo..hi] in eight independent float lanes (a loop that
 * vectorises; a single double accumulator cannot be reordered). */
static inline __attribute__ ((always_inline)) double
sum_range (const float *x,
           int          lo,
           int          hi)
{
  typedef float v8sf __attribute__ ((vector_size (32)));
  v8sf acc = { 0 };
  double sum = 0.0;
  int k = lo;

  for (; k + 8 <= hi + 1; k += 8)
    {
      v8sf v;

      memcpy (&v, x + k, sizeof v);
      acc += v;
    }
  for (; k <= hi; k++)
    sum += x[k];
  for (int j = 0; j < 8; j++)
    sum += acc[j];
  return sum;
}

/* The largest of @init and @x[0..n), in eight lanes (a one-lane MAX
 * loop is a chain of dependent maxima, ~3 cycles each). */
static inline __attribute__ ((always_inline)) float
max_of (const float *x,
        int          n,
        float        init)
{
  typedef float v8sf __attribute__ ((vector_size (32)));
  typedef gint32 v8si __attribute__ ((vector_size (32)));
  v8sf best = { init, init, init, init, init, init, init, init };
  float result = init;
  int m = 0;

  for (; m + 8 <= n; m += 8)
    {
      v8sf v;
      v8si mask;

      memcpy (&v, x + m, sizeof v);
      mask = v > best;
      best = (v8sf) (((v8si) v & mask) | ((v8si) best & ~mask));
    }
  for (; m < n; m++)
    result = MAX (result, x[m]);
  for (int j = 0; j < 8; j++)
    result = MAX (result, best[j]);
  return result;
}

/* Σ max (max (@a[m], @floor_db) − max (@b[m], @floor_db), 0) over m in
 * [0, @n), in eight float lanes: the same terms as a plain loop, summed
 * in another order.  The maxima are compare-and-select on whole vectors
 * (the branchy loop mispredicted and kept its second sum in memory: it
 * was two thirds of this function's time). */
static inline __attribute__ ((always_inline)) float
positive_flux (const float *a,
               const float *b,
               float        floor_db,
               int          n)
{
  typedef float v8sf __attribute__ ((vector_size (32)));
  typedef gint32 v8si __attribute__ ((vector_size (32)));
  const v8sf fl = { floor_db, floor_db, floor_db, floor_db, floor_db, floor_db, floor_db, floor_db };
  const v8sf zero = { 0 };
  v8sf acc = { 0 };
  float sum = 0.0f;
  int m = 0;

  for (; m + 8 <= n; m += 8)
    {
      v8sf x, y, d;
      v8si mask;

      memcpy (&x, a + m, sizeof x);
      memcpy (&y, b + m, sizeof y);
      mask = x > fl;
      x = (v8sf) (((v8si) x & mask) | ((v8si) fl & ~mask));
      mask = y > fl;
      y = (v8sf) (((v8si) y & mask) | ((v8si) fl & ~mask));
      d = x - y;
      mask = d > zero;
      acc += (v8sf) ((v8si) d & mask);
    }
  for (; m < n; m++)
    {
      float d = MAX (a[m], floor_db) - MAX (b[m], floor_db);

      if (d > 0)
        sum += d;
    }
  for (int j = 0; j < 8; j++)
    sum += acc[j];
  return sum;
}

/**
 * cochlea_attribute_analyzer_push_frame:
 * @mel_db: n_mels log-mel values of the next frame
 * @power: its n_fft/2+1 power-spectrum bins
 */
COCHLEA_DSP_CLONES void
cochlea_attribute_analyzer_push_frame (CochleaAttributeAnalyzer *self,
                                       const float              *mel_db,
                                       const float              *power)
{
  const int n_mels = self->n_mels;
  const double n_fft = self->params.n_fft;
  float peak = -1000.0f, flux = 0.0f, flux_low = 0.0f;
  double total = 0.0, speech = 0.0, level, speech_level;

  peak = max_of (mel_db, n_mels, peak);

  if (self->have_prev)
    {
      float floor_db = peak - MEL_FLOOR_DB;

      flux = positive_flux (mel_db, self->prev_mel, floor_db, n_mels) / n_mels;
      flux_low = positive_flux (mel_db, self->prev_mel, floor_db, self->low_mels) / self->low_mels;
    }
  memcpy (self->prev_mel, mel_db, n_mels * sizeof (float));
  self->have_prev = TRUE;

  total = sum_range (power, 0, self->n_freqs - 1);
  speech = sum_range (power, self->speech_lo, self->speech_hi);
  /* Parseval with a Hann window (mean w² = 3/8): one-sided power → mean
   * square of the frame, so a full-scale sine reads about −3 dBFS. */
  level = 10.0 * log10 (2.0 * total / (n_fft * n_fft * 0.375) + 1e-20);
  speech_level = 10.0 * log10 (2.0 * speech / (n_fft * n_fft * 0.375) + 1e-20);

  g_array_append_val (self->onset, flux);
  g_array_append_val (self->onset_low, flux_low);
  {
    float l = (float) level, s = (float) speech_level;
    g_array_append_val (self->level_db, l);
    g_array_append_val (self->speech_db, s);
  }

  if (self->n_frames % TIMBRE_EVERY == 0 && level > SILENT_FRAME_DB)
    {
      double log_sum = 0.0, lin_sum = 0.0, weighted = 0.0, hf = 0.0;
      float flat;

      for (int m = 0; m < n_mels; m++)
        {
          log_sum += mel_db[m];
          lin_sum += expf (mel_db[m] * (float) (G_LN10 / 10.0));
        }
      /* geometric / arithmetic mean of the band powers */
      flat = (float) CLAMP (exp (log_sum / n_mels * (G_LN10 / 10.0)) / (lin_sum / n_mels), 0.0, 1.0);
      g_array_append_val (self->flatness, flat);

      /* Σ k·power[k] in eight float lanes (see sum_range) */
      {
        typedef float v8sf __attribute__ ((vector_size (32)));
        v8sf acc = { 0 }, idx = { 0, 1, 2, 3, 4, 5, 6, 7 };
        int k = 0;

        for (; k + 8 <= self->n_freqs; k += 8)
          {
            v8sf v;

            memcpy (&v, power + k, sizeof v);
            acc += idx * v;
            idx += 8;
          }
        for (; k < self->n_freqs; k++)
          weighted += k * (double) power[k];
        for (int j = 0; j < 8; j++)
          weighted += acc[j];
      }
      hf = sum_range (power, self->hf_bin, self->n_freqs - 1);
      if (total > 0)
        {
          self->centroid_sum += weighted / total * self->params.sample_rate / self->params.n_fft;
          self->hf_sum += hf / total;
        }
      self->n_timbre++;
    }

  self->n_frames++;
}

static int
compare_float (gconstpointer a,
               gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return (x > y) - (x < y);
}

/* The @q quantile (0–1) of @x[0..n), which is sorted in place unless
 * @sorted says it already is. */
static double
quantile (float   *x,
          gsize    n,
          double   q,
          gboolean sorted)
{
  if (n == 0)
    return 0.0;
  if (!sorted)
    qsort (x, n, sizeof (float), compare_float);
  return x[(gsize) CLAMP (q * (n - 1) + 0.5, 0, n - 1)];
}

static double
clamp01 (double x)
{
  return isfinite (x) ? CLAMP (x, 0.0, 1.0) : 0.0;
}

/* Onsets per second: local maxima of the flux that stand out from its
 * moving median-ish level (mean + half a standard deviation over ±0.5 s),
 * at least 50 ms apart. */
static double
onset_rate (const float *o,
            gsize        n,
            double       frame_rate)
{
  gsize half = (gsize) (frame_rate * 0.5), min_gap = (gsize) MAX (1, frame_rate * 0.05);
  gsize count = 0, last = 0;
  double global = 0.0;

  if (n < 3)
    return 0.0;
  for (gsize t = 0; t < n; t++)
    global = MAX (global, o[t]);
  if (!(global > 0))
    return 0.0;

  for (gsize t = 1; t + 1 < n; t++)
    {
      gsize lo = t > half ? t - half : 0, hi = MIN (n, t + half + 1);
      double mean = 0.0, var = 0.0;

      if (!(o[t] > o[t - 1] && o[t] >= o[t + 1]) || o[t] < 0.05 * global)
        continue;
      for (gsize i = lo; i < hi; i++)
        mean += o[i];
      mean /= hi - lo;
      for (gsize i = lo; i < hi; i++)
        var += (o[i] - mean) * (o[i] - mean);
      var /= hi - lo;
      if (o[t] > mean + 0.5 * sqrt (var) && (count == 0 || t - last >= min_gap))
        {
          count++;
          last = t;
        }
    }
  return count / (n / frame_rate);
}

/* Share of the 3–6 Hz band in the 0.5–16 Hz modulation spectrum of the
 * speech-band level, averaged over ~6-s windows that contain sound. */
static double
speech_modulation (const float *db,
                   const float *level,
                   gsize        n,
                   double       frame_rate)
{
  CochleaFft *fft = cochlea_fft_get (MOD_WINDOW);
  float *in = cochlea_fft_alloc (MOD_WINDOW);
  float *out = cochlea_fft_alloc (MOD_WINDOW + 2);
  double sum = 0.0;
  guint count = 0;
  float window[MOD_WINDOW];

  cochlea_hann_periodic (window, MOD_WINDOW);

  for (gsize start = 0; start + MOD_WINDOW <= n; start += MOD_WINDOW / 2)
    {
      double mean = 0.0, in_band = 0.0, all = 0.0, loud = -1000.0, top = -1000.0;
      float floor_db;

      for (int i = 0; i < MOD_WINDOW; i++)
        {
          top = MAX (top, db[start + i]);
          loud = MAX (loud, level[start + i]);
        }
      if (loud < SILENT_FRAME_DB + 30)
        continue;
      /* 30 dB of range: a pause counts as a dip, not as a 70-dB cliff
       * whose edges would swamp the spectrum with low frequencies */
      floor_db = (float) (top - MOD_RANGE_DB);
      for (int i = 0; i < MOD_WINDOW; i++)
        mean += MAX (db[start + i], floor_db);
      mean /= MOD_WINDOW;

      for (int i = 0; i < MOD_WINDOW; i++)
        in[i] = (float) ((MAX (db[start + i], floor_db) - mean) * window[i]);
      cochlea_fft_forward (fft, in, out);
      for (int k = 1; k < MOD_WINDOW / 2; k++)
        {
          double f = k * frame_rate / MOD_WINDOW;
          double p = (double) out[2 * k] * out[2 * k] + (double) out[2 * k + 1] * out[2 * k + 1];

          if (f < 0.5 || f > 16.0)
            continue;
          all += p;
          if (f >= 3.0 && f <= 6.0)
            in_band += p;
        }
      if (all > 0)
        {
          sum += in_band / all;
          count++;
        }
    }
  cochlea_fft_free (in);
  cochlea_fft_free (out);
  return count > 0 ? sum / count : 0.0;
}

static double
gauss (double x,
       double sigma)
{
  return exp (-0.5 * (x / sigma) * (x / sigma));
}

/**
 * cochlea_attribute_analyzer_finish:
 *
 * Computes the attributes from everything pushed so far.  Every field of
 * @out is finite and in its documented range, whatever the input (silence
 * included).
 */
void
cochlea_attribute_analyzer_finish (CochleaAttributeAnalyzer *self,
                                   CochleaAttributes        *out)
{
  CochleaAttributeCues *cues = &out->cues;
  CochleaTempo tempo;
  CochleaKey key;
  double loudness = -HUGE_VAL, harmonicity = 0.0;
  gsize n = self->n_frames;
  g_autofree float *sorted = NULL;
  gsize n_sounding = 0;
  double p95 = 0, p10 = 0, p90 = 0, loudness_n, onset_n, flat_n, hf_n, dr_n, mode_term;
  double tempo_n, bright_n, speech_n, tempo_fit, silent_frac;

  memset (out, 0, sizeof *out);

  /* Loudness (EBU R 128 integrated; cochlea-loudness.c, checked against libebur128). */
  loudness = cochlea_loudness_get_integrated (self->loudness);
  if (!isfinite (loudness))
    loudness = LOUDNESS_FLOOR;
  out->loudness = MAX (LOUDNESS_FLOOR, loudness);

  /* Tempo and metre. */
  cochlea_tempo_estimate ((const float *) self->onset->data, (const float *) self->onset_low->data,
                          n, self->frame_rate, &tempo);
  out->tempo = tempo.tempo;
  out->tempo_confidence = clamp01 (tempo.confidence);
  out->time_signature = CLAMP (tempo.time_signature, 3, 7);
  cues->pulse_strength = tempo.local_strength;
  cues->pulse_stability = tempo.local_stability;

  /* Key. */
  cochlea_chroma_get (self->chroma, cues->chroma, cues->bass_chroma, &cues->tuning_cents, &harmonicity);
  cochlea_key_estimate (cues->chroma, cues->bass_chroma, COCHLEA_KEY_PROFILE_DEFAULT, &key);
  out->key = key.key;
  out->mode = key.mode;
  out->key_confidence = clamp01 (key.confidence);
  cues->harmonicity = clamp01 (harmonicity);

  /* Level statistics over sounding frames. */
  sorted = g_new (float, MAX (n, 1));
  for (gsize t = 0; t < n; t++)
    {
      float l = g_array_index (self->level_db, float, t);
      if (l > SILENT_FRAME_DB)
        sorted[n_sounding++] = l;
    }
  silent_frac = n > 0 ? 1.0 - (double) n_sounding / n : 1.0;
  if (n_sounding > 0)
    {
      gsize quiet = 0;
      double floor_flat = 0.0, floor_level;

      p10 = quantile (sorted, n_sounding, 0.10, FALSE);
      p90 = quantile (sorted, n_sounding, 0.90, TRUE);
      p95 = quantile (sorted, n_sounding, 0.95, TRUE);
      cues->dynamic_range_db = p95 - p10;
      for (gsize i = 0; i < n_sounding; i++)
        if (sorted[i] < p90 - 25.0)
          quiet++;
      cues->pause_ratio = (double) quiet / n_sounding;

      /* The quietest tenth of the sounding frames: how noisy (flat) and how
       * close to the loud level it stays.  Audiences keep a flat, high floor. */
      if (self->flatness->len > 0)
        {
          g_autofree float *flat = g_memdup2 (self->flatness->data, self->flatness->len * sizeof (float));
          floor_flat = quantile (flat, self->flatness->len, 0.5, FALSE);
        }
      floor_level = clamp01 (1.0 - (p90 - p10) / 30.0);
      cues->noise_floor = clamp01 (floor_flat * floor_level);
    }
  cues->onset_rate = onset_rate ((const float *) self->onset->data, n, self->frame_rate);
  if (self->flatness->len > 0)
    {
      double s = 0.0;
      for (guint i = 0; i < self->flatness->len; i++)
        s += g_array_index (self->flatness, float, i);
      cues->flatness = s / self->flatness->len;
    }
  if (self->n_timbre > 0)
    {
      cues->centroid_hz = self->centroid_sum / self->n_timbre;
      cues->hf_ratio = self->hf_sum / self->n_timbre;
    }
  cues->speech_modulation = speech_modulation ((const float *) self->speech_db->data,
                                               (const float *) self->level_db->data,
                                               n, self->frame_rate);

  /* Silence has no attributes to speak of. */
  if (n_sounding == 0)
    {
      out->key = -1;
      out->mode = 1;
      out->key_confidence = 0.0;
      out->tempo = 0.0;
      out->tempo_confidence = 0.0;
      out->time_signature = 4;
      out->instrumentalness = 0.0;
      return;
    }

  /* Normalised cues (0–1), then the attributes. */
  loudness_n = clamp01 ((out->loudness + 35.0) / 30.0);
  onset_n = clamp01 (cues->onset_rate / 6.0);
  flat_n = clamp01 (cues->flatness / 0.5);
  hf_n = clamp01 (cues->hf_ratio * 5.0);
  dr_n = clamp01 ((cues->dynamic_range_db - 6.0) / 30.0);
  tempo_n = out->tempo > 0 ? clamp01 ((out->tempo - 60.0) / 120.0) : 0.0;
  bright_n = clamp01 ((cues->centroid_hz - 500.0) / 2500.0);
  tempo_fit = out->tempo > 0 ? gauss (log2 (out->tempo / 118.0), 0.35) : 0.0;
  speech_n = clamp01 (2.5 * (cues->speech_modulation - 0.2));
  mode_term = out->key < 0 ? 0.5 : out->mode == 1 ? 0.5 + 0.5 * out->key_confidence
                                                  : 0.5 - 0.5 * out->key_confidence;

  out->energy = clamp01 (0.45 * loudness_n + 0.20 * onset_n
                         + 0.20 * (0.5 * flat_n + 0.5 * hf_n) + 0.15 * (1.0 - dr_n));
  out->danceability = clamp01 (0.30 * out->tempo_confidence + 0.20 * cues->pulse_strength
                               + 0.15 * cues->pulse_stability + 0.25 * tempo_fit
                               + 0.10 * (1.0 - dr_n));
  out->valence = clamp01 (0.35 * mode_term + 0.20 * tempo_n + 0.20 * bright_n + 0.25 * out->energy);
  out->acousticness = clamp01 (0.35 * (1.0 - flat_n) + 0.25 * dr_n + 0.25 * (1.0 - hf_n)
                               + 0.15 * cues->harmonicity);
  out->speechiness = clamp01 ((0.75 * speech_n + 0.25 * clamp01 (cues->pause_ratio * 3.0))
                              * (1.0 - 0.6 * out->tempo_confidence));
  out->instrumentalness = clamp01 (1.0 - 1.5 * out->speechiness - 0.5 * speech_n * (1.0 - silent_frac));
  out->liveness = clamp01 (0.1 + 0.8 * cues->noise_floor * (1.0 - out->tempo_confidence * 0.5) * cues->pulse_stability);
}

/**
 * cochlea_attributes_to_json:
 * @builder: positioned inside an object
 *
 * Adds the attribute members (names and ranges of Spotify's audio
 * features; docs/attributes.md).
 */
void
cochlea_attributes_to_json (const CochleaAttributes *self,
                            JsonBuilder             *builder)
{
  cochlea_json_add_finite (builder, "tempo", self->tempo);
  cochlea_json_add_finite (builder, "tempo_confidence", self->tempo_confidence);
  json_builder_set_member_name (builder, "time_signature");
  json_builder_add_int_value (builder, self->time_signature);
  json_builder_set_member_name (builder, "key");
  json_builder_add_int_value (builder, self->key);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_int_value (builder, self->mode);
  cochlea_json_add_finite (builder, "key_confidence", self->key_confidence);
  cochlea_json_add_finite (builder, "loudness", self->loudness);
  cochlea_json_add_finite (builder, "energy", self->energy);
  cochlea_json_add_finite (builder, "danceability", self->danceability);
  cochlea_json_add_finite (builder, "valence", self->valence);
  cochlea_json_add_finite (builder, "acousticness", self->acousticness);
  cochlea_json_add_finite (builder, "instrumentalness", self->instrumentalness);
  cochlea_json_add_finite (builder, "speechiness", self->speechiness);
  cochlea_json_add_finite (builder, "liveness", self->liveness);
}
