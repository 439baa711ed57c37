/* cochlea-rng-private.h — the generator's seedable RNG (xoshiro256**).
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Our own, so that a seed gives the same corpus on every machine and GLib
 * version: splitmix64 expands a 64-bit seed into the state, xoshiro256**
 * (Blackman & Vigna 2018) draws.  Every draw is integer arithmetic or an
 * exact conversion, so results do not depend on the compiler's floating
 * point choices.
 */
#pragma once

#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 s[4];
} CochleaRng;

static inline guint64
cochlea_splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static inline void
cochlea_rng_init (CochleaRng *rng,
                  guint64     seed)
{
  guint64 x = seed;

  for (int i = 0; i < 4; i++)
    rng->s[i] = cochlea_splitmix64 (&x);
}

static inline guint64
cochlea_rng_rotl (guint64 x,
                  int     k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
cochlea_rng_next (CochleaRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = cochlea_rng_rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = cochlea_rng_rotl (s[3], 45);
  return result;
}

/* Uniform in [0, 1), 53 random bits. */
static inline double
cochlea_rng_uniform (CochleaRng *rng)
{
  return (double) (cochlea_rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform in [lo, hi). */
static inline double
cochlea_rng_range (CochleaRng *rng,
                   double      lo,
                   double      hi)
{
  return lo + (hi - lo) * cochlea_rng_uniform (rng);
}

/* Uniform integer in [0, n). */
static inline int
cochlea_rng_int (CochleaRng *rng,
                 int         n)
{
  g_assert (n > 0);
  return (int) ((cochlea_rng_next (rng) >> 11) % (guint64) n);
}

static inline gboolean
cochlea_rng_chance (CochleaRng *rng,
                    double      p)
{
  return cochlea_rng_uniform (rng) < p;
}

/* Index drawn with probability proportional to @weights[i]. */
static inline int
cochlea_rng_weighted (CochleaRng   *rng,
                      const double *weights,
                      int           n)
{
  double total = 0, x;

  for (int i = 0; i < n; i++)
    total += weights[i];
  x = cochlea_rng_uniform (rng) * total;
  for (int i = 0; i < n; i++)
    {
      if (x < weights[i])
        return i;
      x -= weights[i];
    }
  return n - 1;
}

/* Standard normal (Box–Muller; log/cos/sqrt are correctly rounded enough
 * in glibc to be identical across x86-64 machines). */
static inline double
cochlea_rng_gauss (CochleaRng *rng)
{
  double u1 = 1.0 - cochlea_rng_uniform (rng);
  double u2 = cochlea_rng_uniform (rng);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

G_END_DECLS
