/* cochlea-tempo.c — tempo and time signature from an onset-strength envelope
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The envelope (one value per log-mel frame, spectral flux) is detrended
 * and rectified, then two periodicity functions are computed over it:
 *
 *  - F(b): the magnitude of its Fourier transform at b/60 Hz, from one
 *    zero-padded FFT.  A pulse train at tempo T has peaks at T, 2T, 3T…,
 *    so F alone confuses T with its multiples;
 *  - r(P): its normalised autocorrelation at lag P = 60·fps/b.  A pulse
 *    train has peaks at P, 2P, 3P…, so r alone confuses T with T/2, T/3.
 *
 * Their product only peaks where both agree, at the pulse itself (Peeters,
 * "Template-based estimation of time-varying tempo", 2007, uses the same
 * product).  A log-normal prior centred on 120 BPM (one octave wide)
 * settles what is left of the ambiguity, and the peak is refined on F,
 * whose resolution is only limited by the length of the song.
 *
 * Metrical level: the winner b, b/2 and 2b are then compared on three
 * terms — the product F·r, the same tempo prior, and how many strong
 * onsets fall on each beat.  A strong onset is a local maximum of the
 * envelope above half the largest one within ±0.5 s; the beat is taken to
 * carry about one of them (log-normal, σ half an octave): kick and snare
 * on every beat with weaker hi-hats between, or the accented notes of an
 * arpeggio, but not the bass on beats 1 and 3 alone (half the tempo) nor
 * every eighth note (twice it).  The constants were chosen on the training
 * songs of bench/eval-attributes (docs/attributes.md).
 */
#define G_LOG_DOMAIN "cochlea-tempo"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-stft.h"
#include "cochlea-tempo.h"

#define MIN_BPM          40.0
#define MAX_BPM          240.0
#define BPM_STEP         1.0025   /* ratio between grid candidates */
#define PRIOR_BPM        120.0
#define PRIOR_OCTAVES    1.0      /* σ of the log2-normal prior */
#define MIN_FRAMES       32
#define PHASE_STEPS      32
#define LOCAL_WINDOW_S   8.0
#define STRONG_FRACTION  0.5      /* a strong onset: ≥ this × the largest within ±STRONG_WINDOW_S */
#define STRONG_WINDOW_S  0.5
#define STRONG_GAP_S     0.05
#define ONSETS_PER_BEAT  1.0      /* strong onsets expected per beat … */
#define ONSETS_OCTAVES   0.5      /* … σ of its log2-normal prior */
#define SALIENCE_WEIGHT  0.5      /* weight of ln(F·r) against the two priors */

/* Linear interpolation into @x of length @n at fractional index @pos. */
static double
interp (const double *x,
        gsize         n,
        double        pos)
{
  gsize i;
  double f;

  if (pos < 0 || pos > (double) (n - 1))
    return 0.0;
  i = (gsize) pos;
  if (i + 1 >= n)
    return x[n - 1];
  f = pos - i;
  return x[i] * (1.0 - f) + x[i + 1] * f;
}

/* Centred moving average of width @w subtracted, then half-wave rectified. */
static void
detrend_rectify (const float *in,
                 double      *out,
                 gsize        n,
                 gsize        w)
{
  double sum = 0.0;
  gsize half = w / 2;
  gsize lo = 0, hi = 0;   /* window is [lo, hi) */

  for (gsize t = 0; t < n; t++)
    {
      gsize want_lo = t > half ? t - half : 0;
      gsize want_hi = MIN (n, t + half + 1);

      while (hi < want_hi)
        sum += in[hi++];
      while (lo < want_lo)
        sum -= in[lo++];
      out[t] = MAX (0.0, in[t] - sum / (hi - lo));
    }
}

/* r[l] for l in 0..max_lag of the mean-removed @x, normalised by r[0]. */
static void
autocorrelation (const double *x,
                 gsize         n,
                 gsize         max_lag,
                 double       *r)
{
  double mean = 0.0;
  g_autofree double *c = g_new (double, n);

  for (gsize t = 0; t < n; t++)
    mean += x[t];
  mean /= n;
  for (gsize t = 0; t < n; t++)
    c[t] = x[t] - mean;

  for (gsize l = 0; l <= max_lag; l++)
    {
      double s = 0.0;
      for (gsize t = 0; t + l < n; t++)
        s += c[t] * c[t + l];
      r[l] = s / (n - l);
    }
  if (r[0] <= 0.0)
    {
      memset (r, 0, sizeof (double) * (max_lag + 1));
      return;
    }
  for (gsize l = max_lag + 1; l-- > 0;)
    r[l] /= r[0];
}

/* Normalised autocorrelation of @x[0..n) at one fractional lag. */
static double
autocorrelation_at (const double *x,
                    gsize         n,
                    double        lag)
{
  double mean = 0.0, num = 0.0, den = 0.0;
  gsize count = 0;

  for (gsize t = 0; t < n; t++)
    mean += x[t];
  mean /= n;
  for (gsize t = 0; t < n; t++)
    den += (x[t] - mean) * (x[t] - mean);
  for (gsize t = 0; (double) t + lag < n - 1; t++)
    {
      num += (x[t] - mean) * (interp (x, n, t + lag) - mean);
      count++;
    }
  if (den <= 0.0 || count == 0)
    return 0.0;
  return (num / count) / (den / n);
}

static double
prior (double bpm)
{
  double z = log2 (bpm / PRIOR_BPM) / PRIOR_OCTAVES;
  return exp (-0.5 * z * z);
}

typedef struct
{
  const double *mag;     /* |FFT| of the envelope, n_fft/2+1 bins */
  gsize         n_fft;
  double        frame_rate;
  double        dc;
} Spectrum;

static double
spectrum_at (const Spectrum *s,
             double          bpm)
{
  double bin = bpm / 60.0 * s->n_fft / s->frame_rate;

  return s->dc > 0 ? interp (s->mag, s->n_fft / 2 + 1, bin) / s->dc : 0.0;
}

/* The maximum of F within ±2 % of @bpm: F is sharp and unbiased. */
static double
refine_on_spectrum (const Spectrum *spec,
                    double          bpm)
{
  double best_b = bpm, best_f = spectrum_at (spec, bpm);

  for (int j = -100; j <= 100; j++)
    {
      double b = bpm * (1.0 + j * 0.0002);
      double f = spectrum_at (spec, b);
      if (f > best_f)
        {
          best_f = f;
          best_b = b;
        }
    }
  return best_b;
}

/* Beat phase: the offset whose comb collects the most onset strength. */
static double
find_phase (const double *o,
            gsize         n,
            double        period)
{
  double best_phase = 0.0, best_score = -1.0;

  for (int j = 0; j < PHASE_STEPS; j++)
    {
      double phi = period * j / PHASE_STEPS, s = 0.0;
      for (double t = phi; t < n - 1; t += period)
        s += interp (o, n, t);
      if (s > best_score)
        {
          best_score = s;
          best_phase = phi;
        }
    }
  return best_phase;
}

/* Strong onsets per second: local maxima of @o that reach STRONG_FRACTION
 * of the largest value within ±STRONG_WINDOW_S (and 5 % of the global
 * maximum), at least STRONG_GAP_S apart. */
static double
strong_onset_rate (const double *o,
                   gsize         n,
                   double        frame_rate)
{
  gsize half = (gsize) (STRONG_WINDOW_S * frame_rate);
  gsize gap = (gsize) MAX (1.0, STRONG_GAP_S * frame_rate);
  gsize count = 0, last = 0;
  double global = 0.0;

  if (n < 3)
    return 0.0;
  for (gsize t = 0; t < n; t++)
    global = MAX (global, o[t]);

  for (gsize t = 1; t + 1 < n; t++)
    {
      gsize lo = t > half ? t - half : 0, hi = MIN (n - 1, t + half);
      double local = 0.0;

      if (!(o[t] > o[t - 1] && o[t] >= o[t + 1]) || o[t] <= 0.05 * global)
        continue;
      for (gsize i = lo; i <= hi; i++)
        local = MAX (local, o[i]);
      if (o[t] > STRONG_FRACTION * local && (count == 0 || t - last >= gap))
        {
          count++;
          last = t;
        }
    }
  return count / (n / frame_rate);
}

static double
log2_normal (double x,
             double centre,
             double octaves)
{
  double z = log2 (x / centre) / octaves;
  return -0.5 * z * z;
}

/* Bar length from beat-level accents: the normalised autocorrelation of the
 * accent sequence at m and 2m beats, with 4 preferred unless another
 * meter is clearly stronger. */
static int
estimate_time_signature (const double *accent,
                         gsize         n_beats)
{
  double r[16] = { 0 };
  double score[8] = { 0 };
  double mean = 0.0;
  int best = 4;

  if (n_beats < 12)
    return 4;

  for (gsize k = 0; k < n_beats; k++)
    mean += accent[k];
  mean /= n_beats;
  for (gsize m = 0; m < G_N_ELEMENTS (r) && m < n_beats / 2; m++)
    {
      double s = 0.0;
      for (gsize k = 0; k + m < n_beats; k++)
        s += (accent[k] - mean) * (accent[k + m] - mean);
      r[m] = s / (n_beats - m);
    }
  if (r[0] <= 0.0)
    return 4;

  for (int m = 2; m <= 7; m++)
    {
      double s = 0.0;
      int count = 0;

      for (int mult = 1; mult <= 2; mult++)
        if (m * mult < (int) G_N_ELEMENTS (r) && (gsize) (m * mult) < n_beats / 2)
          {
            s += r[m * mult] / r[0];
            count++;
          }
      score[m] = count > 0 ? s / count : 0.0;
    }

  /* 2/4 and 4/4 are one answer here: beats per bar in 3–7. */
  score[4] = MAX (score[4], score[2]);
  for (int m = 3; m <= 7; m++)
    if (m != 4 && score[m] > 0.1 && score[m] > score[best] + 0.05)
      best = m;
  /* A strong 6 is usually a compound 3 already seen at 3. */
  if (best == 6 && score[3] > score[6] - 0.1)
    best = 3;
  return best;
}

void
cochlea_tempo_estimate (const float  *onset,
                        const float  *onset_low,
                        gsize         n_frames,
                        double        frame_rate,
                        CochleaTempo *out)
{
  g_autofree double *o = NULL;
  g_autofree double *r = NULL;
  g_autofree double *mag = NULL;
  g_autofree double *salience = NULL;
  g_autofree double *product = NULL;
  g_autofree double *accent = NULL;
  float *fft_in, *fft_out;
  Spectrum spec;
  gsize n = n_frames, max_lag, n_fft, n_grid, best_i = 0;
  double peak = 0.0, bpm, period, rp, fp, best_phase, rate, best_score = -HUGE_VAL, b0;
  gsize n_beats;

  memset (out, 0, sizeof *out);
  out->time_signature = 4;

  if (n < MIN_FRAMES || frame_rate <= 0)
    return;

  o = g_new (double, n);
  detrend_rectify (onset, o, n, (gsize) MAX (3, lround (frame_rate)));
  for (gsize t = 0; t < n; t++)
    peak = MAX (peak, o[t]);
  if (!(peak > 1e-6))
    return;

  /* Fourier side, zero-padded for a fine grid whatever the length. */
  n_fft = 16384;
  while (n_fft < 2 * n)
    n_fft *= 2;
  fft_in = cochlea_fft_alloc (n_fft);
  fft_out = cochlea_fft_alloc (n_fft + 2);
  for (gsize t = 0; t < n_fft; t++)
    fft_in[t] = t < n ? (float) o[t] : 0.0f;
  cochlea_fft_forward (cochlea_fft_get ((int) n_fft), fft_in, fft_out);
  mag = g_new (double, n_fft / 2 + 1);
  for (gsize k = 0; k <= n_fft / 2; k++)
    mag[k] = hypot (fft_out[2 * k], fft_out[2 * k + 1]);
  cochlea_fft_free (fft_in);
  cochlea_fft_free (fft_out);
  spec.mag = mag;
  spec.n_fft = n_fft;
  spec.frame_rate = frame_rate;
  spec.dc = mag[0];

  /* Lag side. */
  max_lag = MIN (n * 3 / 4, (gsize) ceil (60.0 * frame_rate / MIN_BPM) + 2);
  r = g_new0 (double, max_lag + 1);
  autocorrelation (o, n, max_lag, r);

  n_grid = (gsize) (log (MAX_BPM / MIN_BPM) / log (BPM_STEP)) + 1;
  salience = g_new0 (double, n_grid);
  product = g_new0 (double, n_grid);
  for (gsize i = 0; i < n_grid; i++)
    {
      double b = MIN_BPM * pow (BPM_STEP, i);
      double lag = 60.0 * frame_rate / b;

      rp = lag <= max_lag ? MAX (0.0, interp (r, max_lag + 1, lag)) : 0.0;
      fp = spectrum_at (&spec, b);
      product[i] = fp * rp;
      salience[i] = product[i] * prior (b);
      if (salience[i] > salience[best_i])
        best_i = i;
    }
  if (!(salience[best_i] > 0.0))
    return;

  /* Metrical level: b, b/2 or 2b, whichever carries about one strong
   * onset per beat at a plausible tempo with a salient pulse. */
  b0 = refine_on_spectrum (&spec, MIN_BPM * pow (BPM_STEP, best_i));
  rate = strong_onset_rate (o, n, frame_rate);
  bpm = b0;
  for (int level = -1; level <= 1; level++)
    {
      double b = b0 * pow (2.0, level), s = 0.0, score;
      gssize i;

      if (b < MIN_BPM || b > MAX_BPM)
        continue;
      i = lround (log (b / MIN_BPM) / log (BPM_STEP));
      for (gssize j = MAX (0, i - 2); j <= i + 2 && j < (gssize) n_grid; j++)
        s = MAX (s, product[j]);
      score = SALIENCE_WEIGHT * log (s + 1e-9) + log2_normal (b, PRIOR_BPM, PRIOR_OCTAVES);
      if (rate > 0)
        score += log2_normal (rate * 60.0 / b, ONSETS_PER_BEAT, ONSETS_OCTAVES);
      if (score > best_score)
        {
          best_score = score;
          bpm = b;
        }
    }
  if (bpm != b0)
    bpm = refine_on_spectrum (&spec, bpm);
  period = 60.0 * frame_rate / bpm;
  best_phase = find_phase (o, n, period);

  rp = period <= max_lag ? MAX (0.0, interp (r, max_lag + 1, period)) : 0.0;
  fp = spectrum_at (&spec, bpm);
  out->tempo = bpm;
  out->period_frames = period;
  out->confidence = CLAMP (sqrt (rp * MIN (1.0, fp)), 0.0, 1.0);

  out->phase_frames = best_phase;

  /* Beat accents: the strongest onset (full band plus bass) near each beat. */
  n_beats = (gsize) ((n - 1 - best_phase) / period) + 1;
  accent = g_new0 (double, n_beats);
  for (gsize k = 0; k < n_beats; k++)
    {
      double centre = best_phase + k * period;
      gssize lo = (gssize) floor (centre - period / 6);
      gssize hi = (gssize) ceil (centre + period / 6);
      double a = 0.0;

      for (gssize t = MAX (lo, 0); t <= hi && t < (gssize) n; t++)
        a = MAX (a, onset[t] + (onset_low != NULL ? onset_low[t] : 0.0f));
      accent[k] = a;
    }
  out->time_signature = estimate_time_signature (accent, n_beats);

  /* How steady the pulse is: its strength in 8-s windows (hop 4 s). */
  {
    gsize w = (gsize) (LOCAL_WINDOW_S * frame_rate);
    double sum = 0.0, sum2 = 0.0;
    guint count = 0;

    if (w > n || period * 2 > w)
      w = n;
    for (gsize start = 0; start + w <= n; start += MAX (1, w / 2))
      {
        double v = MAX (0.0, autocorrelation_at (o + start, w, period));
        sum += v;
        sum2 += v * v;
        count++;
      }
    if (count > 0)
      {
        double mean = sum / count;
        double sd = sqrt (MAX (0.0, sum2 / count - mean * mean));
        out->local_strength = CLAMP (mean, 0.0, 1.0);
        out->local_stability = CLAMP (1.0 - sd / (mean + 0.1), 0.0, 1.0);
      }
  }
}
