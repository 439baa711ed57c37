/* test-nn-ops.c — every layer's forward against hand-computed cases and
 * its backward against central finite differences (ggml's
 * test-backend-ops idea: NMSE threshold, kinks skipped).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "nn/cochlea-ops.h"
#include "nn/cochlea-model.h"
#include "nn/cochlea-tensor.h"

#define FD_EPS   1e-2f
#define MAX_NMSE 1e-4

static void
fill_gauss (float   *x,
            gsize    n,
            guint64  seed,
            float    scale)
{
  guint64 s = seed;

  for (gsize i = 0; i < n; i++)
    {
      float u1 = cochlea_nn_rng_uniform (&s), u2 = cochlea_nn_rng_uniform (&s);
      x[i] = scale * sqrtf (-2.0f * logf (1.0f - u1)) * cosf (6.2831853f * u2);
    }
}

static double
dot (const float *a,
     const float *b,
     gsize        n)
{
  double s = 0;

  for (gsize i = 0; i < n; i++)
    s += (double) a[i] * b[i];
  return s;
}

/* The scalar whose gradient is checked: L(x) = Σ r·f(x). */
typedef double (*LossFunc) (gpointer data);

typedef struct
{
  double num;     /* Σ (analytic − numeric)² */
  double den;     /* Σ numeric² */
  int    checked;
} Nmse;

/* Compares @analytic (∂L/∂x) with central differences of @loss over every
 * element of @x, skipping the elements @skip says sit on a kink. */
static void
check_grad (const char *what,
            float      *x,
            gsize       n,
            const float *analytic,
            LossFunc    loss,
            gpointer    data,
            gboolean  (*skip) (gpointer data, gsize i),
            double      max_nmse)
{
  Nmse e = { 0, 0, 0 };

  for (gsize i = 0; i < n; i++)
    {
      float saved = x[i];
      double lp, lm, numeric;

      if (skip != NULL && skip (data, i))
        continue;
      x[i] = saved + FD_EPS;
      lp = loss (data);
      x[i] = saved - FD_EPS;
      lm = loss (data);
      x[i] = saved;
      numeric = (lp - lm) / (2.0 * FD_EPS);
      e.num += (analytic[i] - numeric) * (analytic[i] - numeric);
      e.den += numeric * numeric;
      e.checked++;
    }
  g_test_message ("%s: %d of %zu checked, NMSE %.3g", what, e.checked, n, e.num / MAX (e.den, 1e-30));
  g_assert_cmpint (e.checked, >, (int) n / 2);
  g_assert_cmpfloat (e.den, >, 0.0);
  g_assert_cmpfloat (e.num / e.den, <, max_nmse);
}

/* ---- conv1d ---- */

typedef struct
{
  int ci, t, co, k;
  float *x, *w, *b, *y, *col, *r;
} ConvCase;

static double
conv_loss (gpointer data)
{
  ConvCase *c = data;

  cochlea_conv1d_forward (c->y, c->col, c->x, c->w, c->b, c->ci, c->t, c->co, c->k);
  return dot (c->y, c->r, (gsize) c->co * (c->t - c->k + 1));
}

static void
test_conv1d (void)
{
  ConvCase c = { 5, 19, 7, 4, NULL, NULL, NULL, NULL, NULL, NULL };
  int to = c.t - c.k + 1;
  g_autofree float *x = g_new (float, c.ci * c.t), *w = g_new (float, c.co * c.ci * c.k);
  g_autofree float *b = g_new (float, c.co), *y = g_new (float, c.co * to), *yref = g_new (float, c.co * to);
  g_autofree float *col = g_new (float, c.ci * c.k * to), *r = g_new (float, c.co * to);
  g_autofree float *dx = g_new (float, c.ci * c.t), *dw = g_new0 (float, c.co * c.ci * c.k);
  g_autofree float *db = g_new0 (float, c.co);

  c.x = x; c.w = w; c.b = b; c.y = y; c.col = col; c.r = r;
  fill_gauss (x, c.ci * c.t, 1, 1.0f);
  fill_gauss (w, c.co * c.ci * c.k, 2, 0.5f);
  fill_gauss (b, c.co, 3, 0.5f);
  fill_gauss (r, c.co * to, 4, 1.0f);

  /* GEMM path equals the plain loops */
  cochlea_conv1d_forward (y, col, x, w, b, c.ci, c.t, c.co, c.k);
  cochlea_conv1d_forward_ref (yref, x, w, b, c.ci, c.t, c.co, c.k);
  for (int i = 0; i < c.co * to; i++)
    g_assert_cmpfloat_with_epsilon (y[i], yref[i], 1e-4);

  /* one hand-computed value: y[o=2, t=3] */
  {
    double s = b[2];
    for (int i = 0; i < c.ci; i++)
      for (int j = 0; j < c.k; j++)
        s += w[(2 * c.ci + i) * c.k + j] * x[i * c.t + 3 + j];
    g_assert_cmpfloat_with_epsilon (y[2 * to + 3], s, 1e-4);
  }

  cochlea_conv1d_backward (dx, dw, db, col, r, x, w, c.ci, c.t, c.co, c.k);
  check_grad ("conv1d dx", x, c.ci * c.t, dx, conv_loss, &c, NULL, MAX_NMSE);
  check_grad ("conv1d dw", w, c.co * c.ci * c.k, dw, conv_loss, &c, NULL, MAX_NMSE);
  check_grad ("conv1d db", b, c.co, db, conv_loss, &c, NULL, MAX_NMSE);

  /* backward accumulates parameter gradients */
  {
    float dw0 = dw[5], db0 = db[1];
    cochlea_conv1d_backward (NULL, dw, db, col, r, x, w, c.ci, c.t, c.co, c.k);
    g_assert_cmpfloat_with_epsilon (dw[5], 2 * dw0, 1e-4);
    g_assert_cmpfloat_with_epsilon (db[1], 2 * db0, 1e-4);
  }
}

/* ---- relu ---- */

typedef struct
{
  gsize n;
  float *x, *y, *r;
} PointCase;

static double
relu_loss (gpointer data)
{
  PointCase *c = data;

  memcpy (c->y, c->x, sizeof (float) * c->n);
  cochlea_relu_forward (c->y, c->n);
  return dot (c->y, c->r, c->n);
}

static gboolean
relu_skip (gpointer data,
           gsize    i)
{
  PointCase *c = data;

  return fabsf (c->x[i]) < 2 * FD_EPS;
}

static void
test_relu (void)
{
  enum { N = 64 };
  float x[N], y[N], r[N], d[N];
  PointCase c = { N, x, y, r };
  float hand[4] = { -1.0f, 0.0f, 0.5f, 3.0f };

  cochlea_relu_forward (hand, 4);
  g_assert_cmpfloat (hand[0], ==, 0.0f);
  g_assert_cmpfloat (hand[1], ==, 0.0f);
  g_assert_cmpfloat (hand[2], ==, 0.5f);
  g_assert_cmpfloat (hand[3], ==, 3.0f);

  fill_gauss (x, N, 11, 1.0f);
  fill_gauss (r, N, 12, 1.0f);
  relu_loss (&c);
  memcpy (d, r, sizeof d);
  cochlea_relu_backward (d, y, N);
  check_grad ("relu", x, N, d, relu_loss, &c, relu_skip, MAX_NMSE);
}

/* ---- maxpool ---- */

typedef struct
{
  int ch, t, p;
  float *x, *y, *r;
} PoolCase;

static double
pool_loss (gpointer data)
{
  PoolCase *c = data;

  cochlea_maxpool1d_forward (c->y, c->x, c->ch, c->t, c->p);
  return dot (c->y, c->r, (gsize) c->ch * (c->t / c->p));
}

/* a kink: the element is within 2·eps of another in its pool window */
static gboolean
pool_skip (gpointer data,
           gsize    i)
{
  PoolCase *c = data;
  int ch = i / c->t, t = i % c->t, w = t / c->p;

  if (w >= c->t / c->p)
    return FALSE;
  for (int j = 0; j < c->p; j++)
    {
      int k = w * c->p + j;
      if (k != t && fabsf (c->x[ch * c->t + k] - c->x[i]) < 2.5f * FD_EPS)
        return TRUE;
    }
  return FALSE;
}

static void
test_maxpool (void)
{
  PoolCase c = { 3, 18, 4, NULL, NULL, NULL };   /* 18 = 4·4 + 2 dropped */
  float x[54], y[12], r[12], dx[54];
  float hand_x[8] = { 1, 5, 2, 3, -1, -4, -2, -3 }, hand_y[2];

  cochlea_maxpool1d_forward (hand_y, hand_x, 1, 8, 4);
  g_assert_cmpfloat (hand_y[0], ==, 5.0f);
  g_assert_cmpfloat (hand_y[1], ==, -1.0f);

  c.x = x; c.y = y; c.r = r;
  fill_gauss (x, 54, 21, 1.0f);
  fill_gauss (r, 12, 22, 1.0f);
  cochlea_maxpool1d_backward (dx, r, x, c.ch, c.t, c.p);
  /* the dropped tail gets no gradient */
  g_assert_cmpfloat (dx[16], ==, 0.0f);
  g_assert_cmpfloat (dx[17], ==, 0.0f);
  check_grad ("maxpool1d", x, 54, dx, pool_loss, &c, pool_skip, MAX_NMSE);
}

/* ---- global pool ---- */

static double
gpool_loss (gpointer data)
{
  PoolCase *c = data;

  cochlea_global_pool_forward (c->y, c->x, c->ch, c->t);
  return dot (c->y, c->r, 3 * c->ch);
}

static gboolean
gpool_skip (gpointer data,
            gsize    i)
{
  PoolCase *c = data;
  int ch = i / c->t;

  for (int k = 0; k < c->t; k++)
    if (k != (int) i % c->t && fabsf (c->x[ch * c->t + k] - c->x[i]) < 2.5f * FD_EPS)
      return TRUE;
  return FALSE;
}

static void
test_global_pool (void)
{
  PoolCase c = { 4, 10, 0, NULL, NULL, NULL };
  float x[40], y[12], r[12], dx[40];
  float hand_x[4] = { 1, 3, 0, 4 }, hand_y[3];

  cochlea_global_pool_forward (hand_y, hand_x, 1, 4);
  g_assert_cmpfloat_with_epsilon (hand_y[0], 2.0f, 1e-6);
  g_assert_cmpfloat_with_epsilon (hand_y[1], 4.0f, 1e-6);
  g_assert_cmpfloat_with_epsilon (hand_y[2], sqrtf (26.0f / 4 + COCHLEA_GLOBAL_POOL_EPS), 1e-5);

  c.x = x; c.y = y; c.r = r;
  fill_gauss (x, 40, 31, 1.0f);
  fill_gauss (r, 12, 32, 1.0f);
  gpool_loss (&c);
  cochlea_global_pool_backward (dx, r, x, y, c.ch, c.t);
  check_grad ("global pool", x, 40, dx, gpool_loss, &c, gpool_skip, MAX_NMSE);
}

/* ---- dense ---- */

typedef struct
{
  int ni, no;
  float *x, *w, *b, *y, *r;
} DenseCase;

static double
dense_loss (gpointer data)
{
  DenseCase *c = data;

  cochlea_dense_forward (c->y, c->x, c->w, c->b, c->ni, c->no);
  return dot (c->y, c->r, c->no);
}

static void
test_dense (void)
{
  DenseCase c = { 9, 6, NULL, NULL, NULL, NULL, NULL };
  float x[9], w[54], b[6], y[6], r[6], dx[9], dw[54] = { 0 }, db[6] = { 0 };
  float hw[6] = { 1, 2, 3, 4, 5, 6 }, hb[2] = { 0.5f, -1 }, hx[3] = { 1, 0, -1 }, hy[2];

  cochlea_dense_forward (hy, hx, hw, hb, 3, 2);
  g_assert_cmpfloat_with_epsilon (hy[0], 1 - 3 + 0.5f, 1e-6);
  g_assert_cmpfloat_with_epsilon (hy[1], 4 - 6 - 1, 1e-6);

  c.x = x; c.w = w; c.b = b; c.y = y; c.r = r;
  fill_gauss (x, 9, 41, 1.0f);
  fill_gauss (w, 54, 42, 1.0f);
  fill_gauss (b, 6, 43, 1.0f);
  fill_gauss (r, 6, 44, 1.0f);
  cochlea_dense_backward (dx, dw, db, r, x, w, 9, 6);
  check_grad ("dense dx", x, 9, dx, dense_loss, &c, NULL, MAX_NMSE);
  check_grad ("dense dw", w, 54, dw, dense_loss, &c, NULL, MAX_NMSE);
  check_grad ("dense db", b, 6, db, dense_loss, &c, NULL, MAX_NMSE);
}

/* ---- dropout ---- */

static void
test_dropout (void)
{
  enum { N = 20000 };
  g_autofree float *mask = g_new (float, N), *mask2 = g_new (float, N);
  float x[4] = { 1, 2, 3, 4 }, m[4] = { 0, 2, 2, 0 }, y[4], dx[4];
  int zeros = 0;

  cochlea_dropout_fill_mask (mask, N, 0.5f, 99);
  cochlea_dropout_fill_mask (mask2, N, 0.5f, 99);
  g_assert_cmpmem (mask, N * sizeof (float), mask2, N * sizeof (float));
  for (int i = 0; i < N; i++)
    {
      g_assert_true (mask[i] == 0.0f || mask[i] == 2.0f);
      zeros += mask[i] == 0.0f;
    }
  g_assert_cmpint (zeros, >, N * 0.47);
  g_assert_cmpint (zeros, <, N * 0.53);

  cochlea_dropout_forward (y, x, m, 4);
  g_assert_cmpfloat (y[0], ==, 0.0f);
  g_assert_cmpfloat (y[1], ==, 4.0f);
  cochlea_dropout_backward (dx, x, m, 4);   /* linear: backward = forward */
  g_assert_cmpmem (dx, sizeof dx, y, sizeof y);
}

/* ---- l2norm ---- */

static double
l2_loss (gpointer data)
{
  PointCase *c = data;

  cochlea_l2norm_forward (c->y, c->x, c->n);
  return dot (c->y, c->r, c->n);
}

static void
test_l2norm (void)
{
  enum { N = 12 };
  float x[N], y[N], r[N], dx[N];
  PointCase c = { N, x, y, r };
  float hx[2] = { 3, 4 }, hy[2];

  cochlea_l2norm_forward (hy, hx, 2);
  g_assert_cmpfloat_with_epsilon (hy[0], 0.6f, 1e-6);
  g_assert_cmpfloat_with_epsilon (hy[1], 0.8f, 1e-6);

  fill_gauss (x, N, 51, 1.0f);
  fill_gauss (r, N, 52, 1.0f);
  l2_loss (&c);
  cochlea_l2norm_backward (dx, r, x, y, N);
  check_grad ("l2norm", x, N, dx, l2_loss, &c, NULL, MAX_NMSE);
}

/* ---- losses ---- */

typedef struct
{
  int n, target;
  float *z, *p, *t;
} LossCase;

static double
xent_loss (gpointer data)
{
  LossCase *c = data;

  return cochlea_softmax_xent_forward (c->p, c->z, c->n, c->target);
}

static double
bce_loss (gpointer data)
{
  LossCase *c = data;

  return cochlea_sigmoid_bce_forward (c->p, c->z, c->t, c->n);
}

static double
mse_loss (gpointer data)
{
  LossCase *c = data;

  return cochlea_mse_forward (c->z, c->t, c->n);
}

static void
test_losses (void)
{
  float z[7], p[7], t[7] = { 1, 0, 0, 1, 0.3f, 1, 0 }, dz[7];
  LossCase c = { 7, 3, z, p, t };
  float hz[2] = { 0, 0 }, hp[2];

  /* hand cases: uniform softmax, sigmoid(0) */
  g_assert_cmpfloat_with_epsilon (cochlea_softmax_xent_forward (hp, hz, 2, 1), logf (2.0f), 1e-6);
  g_assert_cmpfloat_with_epsilon (hp[0], 0.5f, 1e-6);
  g_assert_cmpfloat_with_epsilon (cochlea_sigmoid_bce_forward (hp, hz, t, 2), 2 * logf (2.0f), 1e-6);

  fill_gauss (z, 7, 61, 2.0f);
  xent_loss (&c);
  cochlea_softmax_xent_backward (dz, p, 7, 3, 1.0f);
  check_grad ("softmax xent", z, 7, dz, xent_loss, &c, NULL, MAX_NMSE);

  bce_loss (&c);
  cochlea_sigmoid_bce_backward (dz, p, t, 7, 1.0f);
  check_grad ("sigmoid bce", z, 7, dz, bce_loss, &c, NULL, MAX_NMSE);

  cochlea_mse_backward (dz, z, t, 7, 1.0f);
  check_grad ("mse", z, 7, dz, mse_loss, &c, NULL, MAX_NMSE);
}

typedef struct
{
  int b, d;
  float *x, *e, *sim;
} ContrastCase;

static double
contrast_loss (gpointer data)
{
  ContrastCase *c = data;

  for (int i = 0; i < c->b; i++)
    cochlea_l2norm_forward (c->e + i * c->d, c->x + i * c->d, c->d);
  return cochlea_contrastive_forward_backward (NULL, c->sim, c->e, c->b, c->d, 0.2f, 1.0f);
}

static void
test_contrastive (void)
{
  enum { B = 6, D = 5 };
  float x[B * D], e[B * D], sim[B * B], de[B * D], dx[B * D];
  ContrastCase c = { B, D, x, e, sim };
  float loss_close, loss_far;

  fill_gauss (x, B * D, 71, 1.0f);
  contrast_loss (&c);
  cochlea_contrastive_forward_backward (de, sim, e, B, D, 0.2f, 1.0f);
  for (int i = 0; i < B; i++)
    cochlea_l2norm_backward (dx + i * D, de + i * D, x + i * D, e + i * D, D);
  check_grad ("contrastive", x, B * D, dx, contrast_loss, &c, NULL, MAX_NMSE);

  /* pairs that coincide cost less than pairs that do not */
  loss_far = contrast_loss (&c);
  for (int i = 0; i < B; i += 2)
    memcpy (x + (i + 1) * D, x + i * D, sizeof (float) * D);
  loss_close = contrast_loss (&c);
  g_assert_cmpfloat (loss_close, <, loss_far);
}

/* ---- tensors ---- */

static void
test_tensor (void)
{
  g_autoptr(CochleaTensor) t = cochlea_tensor_new (2, 3, 4, 5);
  g_autoptr(CochleaTensor) v = NULL;
  int64_t ne[4] = { 1, 3, 1, 5 };

  g_assert_cmpint (cochlea_tensor_nelements (t), ==, 120);
  g_assert_true (t->owned);
  g_assert_cmpint (t->nb[0], ==, 60);
  g_assert_cmpint (t->nb[1], ==, 20);
  g_assert_cmpint (t->nb[2], ==, 5);
  g_assert_cmpint (t->nb[3], ==, 1);
  cochlea_tensor_set (t, 1, 2, 3, 4, 7.0f);
  g_assert_cmpfloat (t->data[119], ==, 7.0f);

  /* a view of n = 1, h = 3 without copying: strides of the parent */
  v = cochlea_tensor_view (t, 60 + 15, ne, t->nb);
  g_assert_false (v->owned);
  g_assert_false (cochlea_tensor_is_contiguous (v));
  g_assert_cmpfloat (cochlea_tensor_get (v, 0, 2, 0, 4), ==, 7.0f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cochlea_nn_init ();

  g_test_add_func ("/nn/tensor", test_tensor);
  g_test_add_func ("/nn/ops/conv1d", test_conv1d);
  g_test_add_func ("/nn/ops/relu", test_relu);
  g_test_add_func ("/nn/ops/maxpool1d", test_maxpool);
  g_test_add_func ("/nn/ops/global-pool", test_global_pool);
  g_test_add_func ("/nn/ops/dense", test_dense);
  g_test_add_func ("/nn/ops/dropout", test_dropout);
  g_test_add_func ("/nn/ops/l2norm", test_l2norm);
  g_test_add_func ("/nn/ops/losses", test_losses);
  g_test_add_func ("/nn/ops/contrastive", test_contrastive);
  return g_test_run ();
}
