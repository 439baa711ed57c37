/* cochlea-ops.h — the network's layers as forward/backward pairs.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * llm.c discipline: every function is void, works on preallocated buffers
 * given as restrict pointers with explicit extents, never allocates, logs
 * or fails.  Shapes are validated once when a model is built; the kernels
 * only g_assert them.  Layouts are row-major with time fastest: a feature
 * map is (C, T), a conv weight is (C_out, C_in, K) as in PyTorch's Conv1d,
 * a dense weight is (N_out, N_in) as in nn.Linear.
 *
 * Backward functions ACCUMULATE parameter gradients (dw, db) and
 * OVERWRITE input gradients (dx), so a mini-batch sums into one gradient
 * block and zeroing it is one memset.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Per-channel affine input normalisation of a time-major window:
 * y[c, t] = (x[t·x_stride + c] − mean[c]) / std[c].  Transposes the
 * mel frames (T, C) into the network's (C, T) layout on the way. */
void  cochlea_normalize_forward   (float       *restrict y,
                                   const float *restrict x,
                                   int64_t               x_stride,
                                   const float *restrict mean,
                                   const float *restrict std,
                                   int                   c,
                                   int                   t);

/* Valid 1-D convolution, stride 1: y (C_out, T−K+1) = w ⊛ x + b.
 * @col is scratch of (C_in·K)·(T−K+1) floats (im2col; the product is one
 * sgemm).  Backward recomputes the columns into @col; @dx may be NULL. */
void  cochlea_conv1d_forward      (float       *restrict y,
                                   float       *restrict col,
                                   const float *restrict x,
                                   const float *restrict w,
                                   const float *restrict b,
                                   int                   c_in,
                                   int                   t_in,
                                   int                   c_out,
                                   int                   k);
void  cochlea_conv1d_backward     (float       *restrict dx,
                                   float       *restrict dw,
                                   float       *restrict db,
                                   float       *restrict col,
                                   const float *restrict dy,
                                   const float *restrict x,
                                   const float *restrict w,
                                   int                   c_in,
                                   int                   t_in,
                                   int                   c_out,
                                   int                   k);
/* Plain loops, the reference the GEMM version is tested and timed against. */
void  cochlea_conv1d_forward_ref  (float       *restrict y,
                                   const float *restrict x,
                                   const float *restrict w,
                                   const float *restrict b,
                                   int                   c_in,
                                   int                   t_in,
                                   int                   c_out,
                                   int                   k);

/* In place.  Backward multiplies @dy by (y > 0) in place, y being the
 * forward OUTPUT. */
void  cochlea_relu_forward        (float       *restrict x,
                                   int64_t               n);
void  cochlea_relu_backward       (float       *restrict dy,
                                   const float *restrict y,
                                   int64_t               n);

/* Non-overlapping max-pool in time: y (C, ⌊T/p⌋); a trailing remainder
 * shorter than p is dropped; ties go to the first maximum. */
void  cochlea_maxpool1d_forward   (float       *restrict y,
                                   const float *restrict x,
                                   int                   c,
                                   int                   t,
                                   int                   p);
void  cochlea_maxpool1d_backward  (float       *restrict dx,
                                   const float *restrict dy,
                                   const float *restrict x,
                                   int                   c,
                                   int                   t,
                                   int                   p);

#define COCHLEA_GLOBAL_POOL_EPS 1e-6f

/* Global temporal pooling of x (C, T) into y (3·C): [mean | max | L2],
 * where the L2 part is the root-mean-square sqrt(mean_t x² + eps), i.e.
 * the L2 norm over time divided by sqrt(T) so it does not grow with the
 * window. */
void  cochlea_global_pool_forward (float       *restrict y,
                                   const float *restrict x,
                                   int                   c,
                                   int                   t);
void  cochlea_global_pool_backward (float       *restrict dx,
                                    const float *restrict dy,
                                    const float *restrict x,
                                    const float *restrict y,
                                    int                   c,
                                    int                   t);

/* y (N_out) = w (N_out, N_in) · x + b. */
void  cochlea_dense_forward       (float       *restrict y,
                                   const float *restrict x,
                                   const float *restrict w,
                                   const float *restrict b,
                                   int                   n_in,
                                   int                   n_out);
void  cochlea_dense_backward      (float       *restrict dx,
                                   float       *restrict dw,
                                   float       *restrict db,
                                   const float *restrict dy,
                                   const float *restrict x,
                                   const float *restrict w,
                                   int                   n_in,
                                   int                   n_out);

/* Inverted dropout: @mask holds 0 or 1/(1−p) per element, drawn by the
 * caller from its seeded generator (cochlea_dropout_fill_mask). */
void  cochlea_dropout_fill_mask   (float       *restrict mask,
                                   int64_t               n,
                                   float                 p,
                                   guint64               seed);
void  cochlea_dropout_forward     (float       *restrict y,
                                   const float *restrict x,
                                   const float *restrict mask,
                                   int64_t               n);
void  cochlea_dropout_backward    (float       *restrict dx,
                                   const float *restrict dy,
                                   const float *restrict mask,
                                   int64_t               n);

/* Unit-length normalisation y = x / sqrt(|x|² + eps). */
void  cochlea_l2norm_forward      (float       *restrict y,
                                   const float *restrict x,
                                   int                   n);
void  cochlea_l2norm_backward     (float       *restrict dx,
                                   const float *restrict dy,
                                   const float *restrict x,
                                   const float *restrict y,
                                   int                   n);

/* Softmax cross-entropy for one example: writes the probabilities, returns
 * −log p[target]; the backward writes scale·(p − onehot). */
float cochlea_softmax_xent_forward (float       *restrict probs,
                                    const float *restrict logits,
                                    int                   n,
                                    int                   target);
void  cochlea_softmax_xent_backward (float       *restrict dlogits,
                                     const float *restrict probs,
                                     int                   n,
                                     int                   target,
                                     float                 scale);

/* Independent sigmoids with binary cross-entropy, summed over the n
 * outputs (targets in [0, 1]); backward writes scale·(σ(z) − y). */
float cochlea_sigmoid_bce_forward (float       *restrict probs,
                                   const float *restrict logits,
                                   const float *restrict targets,
                                   int                   n);
void  cochlea_sigmoid_bce_backward (float       *restrict dlogits,
                                    const float *restrict probs,
                                    const float *restrict targets,
                                    int                   n,
                                    float                 scale);

/* Mean squared error over n values and its gradient scale·2(y − t)/n. */
float cochlea_mse_forward         (const float *restrict y,
                                   const float *restrict t,
                                   int                   n);
void  cochlea_mse_backward        (float       *restrict dy,
                                   const float *restrict y,
                                   const float *restrict t,
                                   int                   n,
                                   float                 scale);

/* In-batch contrastive loss (InfoNCE / NT-Xent) over B unit embeddings
 * e (B, D) in which rows 2i and 2i+1 are two crops of the same song:
 * s = e·eᵀ / tau with the diagonal excluded, loss = mean over rows of
 * −log softmax(s_i)[partner(i)].  @sim is scratch of B·B floats.  With
 * @de non-NULL, writes scale·∂loss/∂e (overwriting). */
float cochlea_contrastive_forward_backward (float       *restrict de,
                                            float       *restrict sim,
                                            const float *restrict e,
                                            int                   b,
                                            int                   d,
                                            float                 tau,
                                            float                 scale);

/* A counter-based generator: the same (seed, a, b) always gives the same
 * stream, whichever thread asks (SplitMix64). */
static inline guint64
cochlea_nn_rng_mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

static inline guint64
cochlea_nn_rng_seed3 (guint64 seed,
                   guint64 a,
                   guint64 b)
{
  return cochlea_nn_rng_mix (cochlea_nn_rng_mix (cochlea_nn_rng_mix (seed) ^ a) ^ b);
}

/* Advances *state; a float uniform in [0, 1). */
static inline float
cochlea_nn_rng_uniform (guint64 *state)
{
  guint64 z;

  *state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z = *state;
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  z ^= z >> 31;
  return (float) (z >> 40) * (1.0f / 16777216.0f);
}

G_END_DECLS
