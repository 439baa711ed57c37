/* cochlea-ops.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Convolutions and dense layers go through OpenBLAS sgemm/sgemv (one
 * thread: the caller parallelises over the batch; see cochlea_nn_init);
 * bench/bench-nn.c times them against the plain loops of
 * cochlea_conv1d_forward_ref and docs/performance.md has the numbers.
 */
#define G_LOG_DOMAIN "cochlea-nn"

#include "config.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "cochlea-ops.h"

void
cochlea_normalize_forward (float       *restrict y,
                           const float *restrict x,
                           int64_t               x_stride,
                           const float *restrict mean,
                           const float *restrict std,
                           int                   c,
                           int                   t)
{
  for (int ci = 0; ci < c; ci++)
    {
      float m = mean[ci];
      float inv = 1.0f / std[ci];
      float *restrict row = y + (int64_t) ci * t;

      for (int ti = 0; ti < t; ti++)
        row[ti] = (x[ti * x_stride + ci] - m) * inv;
    }
}

static void
im2col (float       *restrict col,
        const float *restrict x,
        int                   c_in,
        int                   t_in,
        int                   k)
{
  int t_out = t_in - k + 1;

  for (int i = 0; i < c_in; i++)
    for (int j = 0; j < k; j++)
      memcpy (col + ((int64_t) i * k + j) * t_out, x + (int64_t) i * t_in + j,
              sizeof (float) * t_out);
}

void
cochlea_conv1d_forward (float       *restrict y,
                        float       *restrict col,
                        const float *restrict x,
                        const float *restrict w,
                        const float *restrict b,
                        int                   c_in,
                        int                   t_in,
                        int                   c_out,
                        int                   k)
{
  int t_out = t_in - k + 1;

  g_assert (t_out > 0);

  im2col (col, x, c_in, t_in, k);
  for (int o = 0; o < c_out; o++)
    {
      float *restrict row = y + (int64_t) o * t_out;
      for (int t = 0; t < t_out; t++)
        row[t] = b[o];
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
               c_out, t_out, c_in * k,
               1.0f, w, c_in * k, col, t_out,
               1.0f, y, t_out);
}

void
cochlea_conv1d_backward (float       *restrict dx,
                         float       *restrict dw,
                         float       *restrict db,
                         float       *restrict col,
                         const float *restrict dy,
                         const float *restrict x,
                         const float *restrict w,
                         int                   c_in,
                         int                   t_in,
                         int                   c_out,
                         int                   k)
{
  int t_out = t_in - k + 1;

  g_assert (t_out > 0);

  /* dw += dy · colᵀ */
  im2col (col, x, c_in, t_in, k);
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
               c_out, c_in * k, t_out,
               1.0f, dy, t_out, col, t_out,
               1.0f, dw, c_in * k);
  for (int o = 0; o < c_out; o++)
    {
      const float *restrict row = dy + (int64_t) o * t_out;
      float s = 0.0f;
      for (int t = 0; t < t_out; t++)
        s += row[t];
      db[o] += s;
    }

  if (dx == NULL)
    return;

  /* dcol = wᵀ · dy, then col2im */
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans,
               c_in * k, t_out, c_out,
               1.0f, w, c_in * k, dy, t_out,
               0.0f, col, t_out);
  memset (dx, 0, sizeof (float) * (gsize) c_in * t_in);
  for (int i = 0; i < c_in; i++)
    for (int j = 0; j < k; j++)
      {
        const float *restrict src = col + ((int64_t) i * k + j) * t_out;
        float *restrict dst = dx + (int64_t) i * t_in + j;
        for (int t = 0; t < t_out; t++)
          dst[t] += src[t];
      }
}

void
cochlea_conv1d_forward_ref (float       *restrict y,
                            const float *restrict x,
                            const float *restrict w,
                            const float *restrict b,
                            int                   c_in,
                            int                   t_in,
                            int                   c_out,
                            int                   k)
{
  int t_out = t_in - k + 1;

  for (int o = 0; o < c_out; o++)
    {
      float *restrict row = y + (int64_t) o * t_out;

      for (int t = 0; t < t_out; t++)
        row[t] = b[o];
      for (int i = 0; i < c_in; i++)
        for (int j = 0; j < k; j++)
          {
            float wv = w[((int64_t) o * c_in + i) * k + j];
            const float *restrict xr = x + (int64_t) i * t_in + j;
            for (int t = 0; t < t_out; t++)
              row[t] += wv * xr[t];
          }
    }
}

void
cochlea_relu_forward (float   *restrict x,
                      int64_t           n)
{
  for (int64_t i = 0; i < n; i++)
    x[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void
cochlea_relu_backward (float       *restrict dy,
                       const float *restrict y,
                       int64_t               n)
{
  for (int64_t i = 0; i < n; i++)
    dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

void
cochlea_maxpool1d_forward (float       *restrict y,
                           const float *restrict x,
                           int                   c,
                           int                   t,
                           int                   p)
{
  int t_out = t / p;

  for (int ci = 0; ci < c; ci++)
    {
      const float *restrict xr = x + (int64_t) ci * t;
      float *restrict yr = y + (int64_t) ci * t_out;

      for (int to = 0; to < t_out; to++)
        {
          float m = xr[to * p];
          for (int j = 1; j < p; j++)
            m = xr[to * p + j] > m ? xr[to * p + j] : m;
          yr[to] = m;
        }
    }
}

void
cochlea_maxpool1d_backward (float       *restrict dx,
                            const float *restrict dy,
                            const float *restrict x,
                            int                   c,
                            int                   t,
                            int                   p)
{
  int t_out = t / p;

  memset (dx, 0, sizeof (float) * (gsize) c * t);
  for (int ci = 0; ci < c; ci++)
    {
      const float *restrict xr = x + (int64_t) ci * t;
      float *restrict dxr = dx + (int64_t) ci * t;

      for (int to = 0; to < t_out; to++)
        {
          int best = to * p;
          for (int j = 1; j < p; j++)
            if (xr[to * p + j] > xr[best])
              best = to * p + j;
          dxr[best] = dy[(int64_t) ci * t_out + to];
        }
    }
}

void
cochlea_global_pool_forward (float       *restrict y,
                             const float *restrict x,
                             int                   c,
                             int                   t)
{
  for (int ci = 0; ci < c; ci++)
    {
      const float *restrict xr = x + (int64_t) ci * t;
      float s = 0.0f, s2 = 0.0f, m = xr[0];

      for (int ti = 0; ti < t; ti++)
        {
          s += xr[ti];
          s2 += xr[ti] * xr[ti];
          m = xr[ti] > m ? xr[ti] : m;
        }
      y[ci] = s / t;
      y[c + ci] = m;
      y[2 * c + ci] = sqrtf (s2 / t + COCHLEA_GLOBAL_POOL_EPS);
    }
}

void
cochlea_global_pool_backward (float       *restrict dx,
                              const float *restrict dy,
                              const float *restrict x,
                              const float *restrict y,
                              int                   c,
                              int                   t)
{
  for (int ci = 0; ci < c; ci++)
    {
      const float *restrict xr = x + (int64_t) ci * t;
      float *restrict dxr = dx + (int64_t) ci * t;
      float dmean = dy[ci] / t;
      float dl2 = dy[2 * c + ci] / (t * y[2 * c + ci]);
      int best = 0;

      for (int ti = 0; ti < t; ti++)
        {
          dxr[ti] = dmean + dl2 * xr[ti];
          if (xr[ti] > xr[best])
            best = ti;
        }
      dxr[best] += dy[c + ci];
    }
}

void
cochlea_dense_forward (float       *restrict y,
                       const float *restrict x,
                       const float *restrict w,
                       const float *restrict b,
                       int                   n_in,
                       int                   n_out)
{
  memcpy (y, b, sizeof (float) * n_out);
  cblas_sgemv (CblasRowMajor, CblasNoTrans, n_out, n_in,
               1.0f, w, n_in, x, 1, 1.0f, y, 1);
}

void
cochlea_dense_backward (float       *restrict dx,
                        float       *restrict dw,
                        float       *restrict db,
                        const float *restrict dy,
                        const float *restrict x,
                        const float *restrict w,
                        int                   n_in,
                        int                   n_out)
{
  cblas_sger (CblasRowMajor, n_out, n_in, 1.0f, dy, 1, x, 1, dw, n_in);
  for (int o = 0; o < n_out; o++)
    db[o] += dy[o];
  if (dx != NULL)
    cblas_sgemv (CblasRowMajor, CblasTrans, n_out, n_in,
                 1.0f, w, n_in, dy, 1, 0.0f, dx, 1);
}

void
cochlea_dropout_fill_mask (float   *restrict mask,
                           int64_t           n,
                           float             p,
                           guint64           seed)
{
  guint64 state = seed;
  float keep = 1.0f / (1.0f - p);

  for (int64_t i = 0; i < n; i++)
    mask[i] = cochlea_nn_rng_uniform (&state) < p ? 0.0f : keep;
}

void
cochlea_dropout_forward (float       *restrict y,
                         const float *restrict x,
                         const float *restrict mask,
                         int64_t               n)
{
  for (int64_t i = 0; i < n; i++)
    y[i] = x[i] * mask[i];
}

void
cochlea_dropout_backward (float       *restrict dx,
                          const float *restrict dy,
                          const float *restrict mask,
                          int64_t               n)
{
  for (int64_t i = 0; i < n; i++)
    dx[i] = dy[i] * mask[i];
}

#define L2NORM_EPS 1e-12f

void
cochlea_l2norm_forward (float       *restrict y,
                        const float *restrict x,
                        int                   n)
{
  float s = 0.0f, inv;

  for (int i = 0; i < n; i++)
    s += x[i] * x[i];
  inv = 1.0f / sqrtf (s + L2NORM_EPS);
  for (int i = 0; i < n; i++)
    y[i] = x[i] * inv;
}

void
cochlea_l2norm_backward (float       *restrict dx,
                         const float *restrict dy,
                         const float *restrict x,
                         const float *restrict y,
                         int                   n)
{
  float s = 0.0f, dot = 0.0f, inv;

  for (int i = 0; i < n; i++)
    {
      s += x[i] * x[i];
      dot += y[i] * dy[i];
    }
  inv = 1.0f / sqrtf (s + L2NORM_EPS);
  for (int i = 0; i < n; i++)
    dx[i] = (dy[i] - y[i] * dot) * inv;
}

float
cochlea_softmax_xent_forward (float       *restrict probs,
                              const float *restrict logits,
                              int                   n,
                              int                   target)
{
  float m = logits[0], s = 0.0f;

  for (int i = 1; i < n; i++)
    m = logits[i] > m ? logits[i] : m;
  for (int i = 0; i < n; i++)
    {
      probs[i] = expf (logits[i] - m);
      s += probs[i];
    }
  for (int i = 0; i < n; i++)
    probs[i] /= s;
  if (target < 0 || target >= n)
    return 0.0f;
  return -(logits[target] - m - logf (s));
}

void
cochlea_softmax_xent_backward (float       *restrict dlogits,
                               const float *restrict probs,
                               int                   n,
                               int                   target,
                               float                 scale)
{
  for (int i = 0; i < n; i++)
    dlogits[i] = scale * (probs[i] - (i == target ? 1.0f : 0.0f));
}

float
cochlea_sigmoid_bce_forward (float       *restrict probs,
                             const float *restrict logits,
                             const float *restrict targets,
                             int                   n)
{
  float loss = 0.0f;

  for (int i = 0; i < n; i++)
    {
      float z = logits[i];
      probs[i] = 1.0f / (1.0f + expf (-z));
      if (targets != NULL)
        loss += (z > 0.0f ? z : 0.0f) - z * targets[i] + log1pf (expf (-fabsf (z)));
    }
  return loss;
}

void
cochlea_sigmoid_bce_backward (float       *restrict dlogits,
                              const float *restrict probs,
                              const float *restrict targets,
                              int                   n,
                              float                 scale)
{
  for (int i = 0; i < n; i++)
    dlogits[i] = scale * (probs[i] - targets[i]);
}

float
cochlea_mse_forward (const float *restrict y,
                     const float *restrict t,
                     int                   n)
{
  float s = 0.0f;

  for (int i = 0; i < n; i++)
    s += (y[i] - t[i]) * (y[i] - t[i]);
  return s / n;
}

void
cochlea_mse_backward (float       *restrict dy,
                      const float *restrict y,
                      const float *restrict t,
                      int                   n,
                      float                 scale)
{
  for (int i = 0; i < n; i++)
    dy[i] = scale * 2.0f * (y[i] - t[i]) / n;
}

float
cochlea_contrastive_forward_backward (float       *restrict de,
                                      float       *restrict sim,
                                      const float *restrict e,
                                      int                   b,
                                      int                   d,
                                      float                 tau,
                                      float                 scale)
{
  double loss = 0.0;

  g_assert (b % 2 == 0);

  /* sim = e·eᵀ / tau; each row then becomes its softmax (diagonal 0). */
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, b, b, d,
               1.0f / tau, e, d, e, d, 0.0f, sim, b);
  for (int i = 0; i < b; i++)
    {
      float *restrict row = sim + (int64_t) i * b;
      int partner = i ^ 1;
      float m = -G_MAXFLOAT, s = 0.0f;

      for (int j = 0; j < b; j++)
        if (j != i)
          m = row[j] > m ? row[j] : m;
      for (int j = 0; j < b; j++)
        {
          row[j] = j == i ? 0.0f : expf (row[j] - m);
          s += row[j];
        }
      for (int j = 0; j < b; j++)
        row[j] /= s;
      loss -= log (MAX (row[partner], 1e-30f));
      /* row becomes ∂loss_i/∂s_ij = p_ij − [j = partner], over b rows */
      row[partner] -= 1.0f;
      for (int j = 0; j < b; j++)
        row[j] *= scale / b;
    }

  if (de != NULL)
    {
      /* ∂/∂e = (G + Gᵀ)·e / tau */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, b, d, b,
                   1.0f / tau, sim, b, e, d, 0.0f, de, d);
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, b, d, b,
                   1.0f / tau, sim, b, e, d, 1.0f, de, d);
    }
  return (float) (loss / b);
}
