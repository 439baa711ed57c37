/* cochlea-crowd.c — crowd noise for the "live" label.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-synth"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-crowd.h"
#include "cochlea-rng-private.h"

/* A two-pole resonator (RBJ band-pass, constant peak gain). */
typedef struct
{
  float b0, b2, a1, a2;
  float x1, x2, y1, y2;
} Bandpass;

static void
bandpass_init (Bandpass *f,
               double    freq,
               double    q,
               int       sample_rate)
{
  double w = 2 * G_PI * freq / sample_rate;
  double alpha = sin (w) / (2 * q);
  double a0 = 1 + alpha;

  memset (f, 0, sizeof *f);
  f->b0 = (float) (alpha / a0);
  f->b2 = (float) (-alpha / a0);
  f->a1 = (float) (-2 * cos (w) / a0);
  f->a2 = (float) ((1 - alpha) / a0);
}

static inline float
bandpass_run (Bandpass *f,
              float     x)
{
  float y = f->b0 * x + f->b2 * f->x2 - f->a1 * f->y1 - f->a2 * f->y2;

  f->x2 = f->x1;
  f->x1 = x;
  f->y2 = f->y1;
  f->y1 = y;
  return y;
}

static double
rms (const float *x,
     gsize        n)
{
  double acc = 0;

  for (gsize i = 0; i < n; i++)
    acc += (double) x[i] * x[i];
  return n > 0 ? sqrt (acc / n) : 0;
}

void
cochlea_crowd_render (float   *out,
                      gsize    n_samples,
                      int      sample_rate,
                      double   music_start,
                      double   outro_seconds,
                      guint64  seed)
{
  CochleaRng rng;
  Bandpass murmur[3];
  double swell_freq[3], swell_phase[3];
  double duration = (double) n_samples / sample_rate;
  double t, r;
  int n_cheers;

  g_return_if_fail (out != NULL || n_samples == 0);

  memset (out, 0, n_samples * sizeof (float));
  if (n_samples == 0)
    return;
  cochlea_rng_init (&rng, seed);

  /* 1. Murmur: noise through three broad "vowel-ish" bands, slowly swelling. */
  for (int k = 0; k < 3; k++)
    {
      bandpass_init (&murmur[k], cochlea_rng_range (&rng, 250, 1800), 1.2, sample_rate);
      swell_freq[k] = cochlea_rng_range (&rng, 0.1, 0.7);
      swell_phase[k] = cochlea_rng_range (&rng, 0, 2 * G_PI);
    }
  for (gsize i = 0; i < n_samples; i++)
    {
      double ti = (double) i / sample_rate;
      float x = (float) (cochlea_rng_uniform (&rng) * 2 - 1);
      float y = 0;

      for (int k = 0; k < 3; k++)
        y += bandpass_run (&murmur[k], x) *
             (float) (0.6 + 0.4 * sin (2 * G_PI * swell_freq[k] * ti + swell_phase[k]));
      out[i] = 0.25f * y;
    }

  /* 2. Applause: claps as a Poisson process whose rate follows an envelope
   * (loud before the music, fading under it; rising over the outro). */
  t = 0;
  while (t < duration)
    {
      double rate, env_in, env_out, q, centre;
      gint64 start, len;
      Bandpass clap;
      float amp, decay, a;

      env_in = t < music_start ? 1.0 : exp (-(t - music_start) / 1.5);
      env_out = t > duration - outro_seconds ? (t - (duration - outro_seconds)) / outro_seconds : 0.0;
      rate = 8 + 300 * MAX (env_in, env_out);   /* claps per second */
      t += -log (1.0 - cochlea_rng_uniform (&rng)) / rate;
      if (t >= duration)
        break;

      start = (gint64) (t * sample_rate);
      len = (gint64) (0.02 * sample_rate);
      q = cochlea_rng_range (&rng, 1.5, 4);   /* one draw per statement */
      centre = cochlea_rng_range (&rng, 700, 2600);
      bandpass_init (&clap, centre, q, sample_rate);
      amp = (float) (cochlea_rng_range (&rng, 0.4, 1.0) * (0.15 + 0.85 * MAX (env_in, env_out)));
      decay = (float) exp (-1.0 / (cochlea_rng_range (&rng, 0.002, 0.006) * sample_rate));
      a = amp * 2.5f;
      for (gint64 j = 0; j < len && start + j < (gint64) n_samples; j++)
        {
          float x = (float) (cochlea_rng_uniform (&rng) * 2 - 1) * a;
          out[start + j] += bandpass_run (&clap, x);
          a *= decay;
        }
    }

  /* 3. A few cheers: narrow noise with a gliding centre, a second long. */
  n_cheers = 1 + cochlea_rng_int (&rng, 4);
  for (int c = 0; c < n_cheers; c++)
    {
      double t0 = cochlea_rng_range (&rng, 0, duration);
      double len = cochlea_rng_range (&rng, 0.4, 1.2);
      double f0 = cochlea_rng_range (&rng, 500, 1100), f1 = f0 * cochlea_rng_range (&rng, 0.7, 1.5);
      gint64 s0 = (gint64) (t0 * sample_rate), n = (gint64) (len * sample_rate);
      Bandpass f;

      bandpass_init (&f, f0, 8, sample_rate);
      for (gint64 j = 0; j < n && s0 + j < (gint64) n_samples; j++)
        {
          double frac = (double) j / n;
          float x = (float) (cochlea_rng_uniform (&rng) * 2 - 1);
          if (j % 64 == 0)
            {
              Bandpass g;
              bandpass_init (&g, f0 + (f1 - f0) * frac, 8, sample_rate);
              f.b0 = g.b0;
              f.b2 = g.b2;
              f.a1 = g.a1;
              f.a2 = g.a2;
            }
          out[s0 + j] += 1.2f * bandpass_run (&f, x) * (float) sin (G_PI * frac);
        }
    }

  /* Normalise to RMS 0.1. */
  r = rms (out, n_samples);
  if (r > 0)
    for (gsize i = 0; i < n_samples; i++)
      out[i] *= (float) (0.1 / r);
}
