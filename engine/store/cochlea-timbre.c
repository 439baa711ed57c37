/* cochlea-timbre.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MFCC_k = Σ_b mel_db[b] · sqrt(2/B) · cos (π/B · (b + ½) · k),  k < 20
 *          (k = 0 scaled by 1/√2: the orthonormal DCT-II of the log-mel)
 * Stored per track: the mean of the MFCCs and their covariance (upper
 * triangle, divided by n − 1), COCHLEA_TIMBRE_DIM floats.
 */
#define G_LOG_DOMAIN "cochlea-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-timbre.h"

#define N COCHLEA_TIMBRE_N_MFCC

struct _CochleaTimbre
{
  int     n_mels;
  double *basis;          /* (N, n_mels) */
  double  shift[N];       /* the first frame: sums are taken around it */
  double  sum[N];
  double  sum2[N * N];    /* upper triangle used */
  gint64  n_frames;
};

static void
fill_basis (double *basis,
            int     n_mels)
{
  for (int k = 0; k < N; k++)
    for (int b = 0; b < n_mels; b++)
      basis[k * n_mels + b] = cos (G_PI / n_mels * (b + 0.5) * k) * sqrt (2.0 / n_mels) *
                              (k == 0 ? M_SQRT1_2 : 1.0);
}

CochleaTimbre *
cochlea_timbre_new (int n_mels)
{
  CochleaTimbre *self;

  g_return_val_if_fail (n_mels >= N, NULL);

  self = g_new0 (CochleaTimbre, 1);
  self->n_mels = n_mels;
  self->basis = g_new (double, (gsize) N * n_mels);
  fill_basis (self->basis, n_mels);
  return self;
}

void
cochlea_timbre_free (CochleaTimbre *self)
{
  if (self == NULL)
    return;
  g_free (self->basis);
  g_free (self);
}

static void
mfcc_with_basis (const double *basis,
                 const float  *mel_db,
                 int           n_mels,
                 double       *mfcc)
{
  for (int k = 0; k < N; k++)
    {
      const double *row = basis + k * n_mels;
      double s = 0;
      for (int b = 0; b < n_mels; b++)
        s += row[b] * mel_db[b];
      mfcc[k] = s;
    }
}

void
cochlea_timbre_mfcc (const float *mel_db,
                     int          n_mels,
                     double      *mfcc)
{
  g_autofree double *basis = g_new (double, (gsize) N * n_mels);

  fill_basis (basis, n_mels);
  mfcc_with_basis (basis, mel_db, n_mels, mfcc);
}

void
cochlea_timbre_push (CochleaTimbre *self,
                     const float   *mel_db)
{
  double m[N];

  mfcc_with_basis (self->basis, mel_db, self->n_mels, m);
  /* Sums around the first frame: no cancellation in the covariance. */
  if (self->n_frames == 0)
    memcpy (self->shift, m, sizeof m);
  for (int i = 0; i < N; i++)
    m[i] -= self->shift[i];
  for (int i = 0; i < N; i++)
    {
      self->sum[i] += m[i];
      for (int j = i; j < N; j++)
        self->sum2[i * N + j] += m[i] * m[j];
    }
  self->n_frames++;
}

gboolean
cochlea_timbre_finish (CochleaTimbre *self,
                       float         *vector)
{
  double n = (double) self->n_frames;
  int o = N;

  if (self->n_frames < 2)
    return FALSE;
  for (int i = 0; i < N; i++)
    vector[i] = (float) (self->shift[i] + self->sum[i] / n);
  for (int i = 0; i < N; i++)
    for (int j = i; j < N; j++)
      vector[o++] = (float) ((self->sum2[i * N + j] - self->sum[i] * self->sum[j] / n) / (n - 1));
  return TRUE;
}

/* Index of (i, j), i ≤ j, in the stored upper triangle. */
static inline int
tri (int i,
     int j)
{
  return N + i * N - i * (i - 1) / 2 + (j - i);
}

/* Σ (regularised as the evaluation's baseline: + 10⁻³ I), μ − offset and
 * Σ⁻¹ in doubles; FALSE when not finite or not positive definite. */
static gboolean
unpack (const float *v,
        const float *offset,
        double      *mu,
        double      *cov,
        double      *inv)
{
  double l[N * N] = { 0 }, linv[N * N] = { 0 };

  for (int i = 0; i < N; i++)
    {
      mu[i] = (double) v[i] - (offset != NULL ? offset[i] : 0);
      if (!isfinite (mu[i]))
        return FALSE;
      for (int j = i; j < N; j++)
        {
          double c = v[tri (i, j)] + (i == j ? 1e-3 : 0);
          if (!isfinite (c))
            return FALSE;
          cov[i * N + j] = cov[j * N + i] = c;
        }
    }
  /* Cholesky Σ = L Lᵀ, then Σ⁻¹ = L⁻ᵀ L⁻¹. */
  for (int j = 0; j < N; j++)
    {
      double d = cov[j * N + j];
      for (int k = 0; k < j; k++)
        d -= l[j * N + k] * l[j * N + k];
      if (!(d > 1e-12))
        return FALSE;
      l[j * N + j] = sqrt (d);
      for (int i = j + 1; i < N; i++)
        {
          double s = cov[i * N + j];
          for (int k = 0; k < j; k++)
            s -= l[i * N + k] * l[j * N + k];
          l[i * N + j] = s / l[j * N + j];
        }
    }
  for (int i = 0; i < N; i++)
    {
      linv[i * N + i] = 1 / l[i * N + i];
      for (int j = 0; j < i; j++)
        {
          double s = 0;
          for (int k = j; k < i; k++)
            s -= l[i * N + k] * linv[k * N + j];
          linv[i * N + j] = s / l[i * N + i];
        }
    }
  for (int i = 0; i < N; i++)
    for (int j = i; j < N; j++)
      {
        double s = 0;
        for (int k = j; k < N; k++)
          s += linv[k * N + i] * linv[k * N + j];
        inv[i * N + j] = inv[j * N + i] = s;
      }
  return TRUE;
}

double
cochlea_timbre_skl (const float *a,
                    const float *b)
{
  double mu_a[N], mu_b[N], cov_a[N * N], cov_b[N * N], inv_a[N * N], inv_b[N * N];
  double s = 0;

  if (!unpack (a, NULL, mu_a, cov_a, inv_a) || !unpack (b, NULL, mu_b, cov_b, inv_b))
    return NAN;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++)
      {
        s += inv_b[i * N + j] * cov_a[j * N + i] + inv_a[i * N + j] * cov_b[j * N + i];
        s += (mu_a[i] - mu_b[i]) * (inv_a[i * N + j] + inv_b[i * N + j]) * (mu_a[j] - mu_b[j]);
      }
  return 0.5 * s - N;
}

gboolean
cochlea_timbre_terms (const float *vector,
                      const float *offset,
                      float       *row,
                      float       *query,
                      float       *query_const)
{
  double mu[N], cov[N * N], inv[N * N], bvec[N], c = 0;
  int o = 0;

  if (!unpack (vector, offset, mu, cov, inv))
    return FALSE;
  for (int i = 0; i < N; i++)
    {
      bvec[i] = 0;
      for (int j = 0; j < N; j++)
        bvec[i] += inv[i * N + j] * mu[j];
      c += mu[i] * bvec[i];
    }
  for (int i = 0; i < N; i++)
    for (int j = i; j < N; j++, o++)
      {
        double s = (cov[i * N + j] + mu[i] * mu[j]) * (i == j ? 1 : 2);
        if (row != NULL)
          {
            row[o] = (float) s;
            row[COCHLEA_TIMBRE_TRI + o] = (float) inv[i * N + j];
          }
        if (query != NULL)
          {
            query[o] = (float) inv[i * N + j];
            query[COCHLEA_TIMBRE_TRI + o] = (float) s;
          }
      }
  o = 2 * COCHLEA_TIMBRE_TRI;
  for (int i = 0; i < N; i++)
    {
      if (row != NULL)
        {
          row[o + i] = (float) bvec[i];
          row[o + N + i] = (float) mu[i];
        }
      if (query != NULL)
        {
          query[o + i] = (float) (-2 * mu[i]);
          query[o + N + i] = (float) (-2 * bvec[i]);
        }
    }
  if (row != NULL)
    row[o + 2 * N] = (float) c;
  if (query != NULL)
    query[o + 2 * N] = 1;
  if (query_const != NULL)
    *query_const = (float) c;
  return TRUE;
}
