/* cochlea-taste.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-taste.h"

#define L2          0.05   /* λ of the penalty λ/2 ‖w‖² (bias not penalised) */
#define STEPS       400
#define LEARN_RATE  0.5
#define MAX_WEIGHT  3.0    /* a track's evidence is capped */
#define PSEUDO_WEIGHT 0.2  /* unlabelled tracks standing in for the missing class */

struct _CochleaTaste
{
  /* Owned */
  double *w;          /* (n_features): content dims, attributes, bias */
  double *attr_mean;  /* (COCHLEA_N_ATTRIBUTES) catalogue means, to centre */

  /* State */
  guint   dim;
  guint   n_features;
  guint   n_positive;
  guint   n_negative;
};

double
cochlea_taste_event_label (const CochleaEvent *event)
{
  switch (event->kind)
    {
    case COCHLEA_EVENT_LIKE:
      return 2.0;
    case COCHLEA_EVENT_UNLIKE:
      return -2.0;
    case COCHLEA_EVENT_PLAYLIST_ADD:
      return 1.0;
    case COCHLEA_EVENT_COMPLETE:
      return 1.0;
    case COCHLEA_EVENT_SKIP:
      /* A skip without a position counts as early. */
      return !(event->position_s >= COCHLEA_TASTE_EARLY_SKIP_S) ? -1.0 : 0.0;
    case COCHLEA_EVENT_PLAY:
    case COCHLEA_N_EVENTS:
    default:
      return 0.0;
    }
}

/* Attributes that enter the model as (value − mean) / scale; key and mode
 * are categorical and left out. */
static gboolean
attr_used (int i)
{
  return cochlea_attribute_get_info (i)->default_weight > 0 &&
         i != COCHLEA_ATTR_KEY && i != COCHLEA_ATTR_MODE && i != COCHLEA_ATTR_TIME_SIGNATURE;
}

static void
features_of (CochleaTaste *self,
             CochleaIndex *index,
             guint         row,
             double       *x)
{
  const float *v = cochlea_index_get_vector (index, row);
  double attrs[COCHLEA_N_ATTRIBUTES];
  guint j = 0;

  for (guint d = 0; d < self->dim; d++)
    x[j++] = v != NULL ? v[d] : 0;
  cochlea_index_get_attrs (index, row, attrs);
  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    if (attr_used (i))
      x[j++] = isfinite (attrs[i]) && isfinite (self->attr_mean[i])
             ? (attrs[i] - self->attr_mean[i]) / cochlea_attribute_get_info (i)->scale : 0;
  x[j++] = 1.0;
  g_assert (j == self->n_features);
}

static double
sigmoid (double z)
{
  return z >= 0 ? 1 / (1 + exp (-z)) : exp (z) / (1 + exp (z));
}

typedef struct
{
  guint  row;
  double y;       /* 0 or 1 */
  double weight;
} Sample;

CochleaTaste *
cochlea_taste_train (CochleaIndex *index,
                     const GArray *events,
                     guint64       seed)
{
  g_autoptr(CochleaTaste) self = g_new0 (CochleaTaste, 1);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_autofree double *evidence = NULL;
  g_autofree double *x = NULL;
  g_autofree double *grad = NULL;
  g_autofree double *count = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) seed);
  guint n = cochlea_index_get_size (index);
  double total_weight = 0;

  if (n == 0 || events == NULL)
    return NULL;

  self->dim = g_strcmp0 (cochlea_index_get_model (index), NULL) != 0 ? cochlea_index_get_dim (index) : 0;
  self->n_features = self->dim + 1;
  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    self->n_features += attr_used (i);
  self->w = g_new0 (double, self->n_features);
  self->attr_mean = g_new0 (double, COCHLEA_N_ATTRIBUTES);
  count = g_new0 (double, COCHLEA_N_ATTRIBUTES);
  for (guint r = 0; r < n; r++)
    {
      double attrs[COCHLEA_N_ATTRIBUTES];
      cochlea_index_get_attrs (index, r, attrs);
      for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
        if (isfinite (attrs[i]))
          self->attr_mean[i] += attrs[i], count[i]++;
    }
  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    self->attr_mean[i] = count[i] > 0 ? self->attr_mean[i] / count[i] : NAN;

  /* Sum each track's evidence. */
  evidence = g_new0 (double, n);
  for (guint e = 0; e < events->len; e++)
    {
      const CochleaEvent *ev = &g_array_index (events, CochleaEvent, e);
      int row = cochlea_index_find_row (index, ev->track_id);
      if (row >= 0)
        evidence[row] += cochlea_taste_event_label (ev);
    }
  for (guint r = 0; r < n; r++)
    if (evidence[r] != 0)
      {
        Sample s = { r, evidence[r] > 0, MIN (fabs (evidence[r]), MAX_WEIGHT) };
        g_array_append_val (samples, s);
        if (s.y > 0)
          self->n_positive++;
        else
          self->n_negative++;
      }
  if (samples->len == 0)
    return NULL;

  /* One class only: unlabelled tracks, at a small weight, stand in for the
   * other (the usual implicit-feedback assumption). */
  if (self->n_positive == 0 || self->n_negative == 0)
    {
      guint want = MIN (n - samples->len, MAX (20, 3 * samples->len));
      double y = self->n_positive > 0 ? 0 : 1;
      for (guint tries = 0; want > 0 && tries < 20 * n; tries++)
        {
          guint r = g_rand_int_range (rand, 0, n);
          if (evidence[r] != 0)
            continue;
          evidence[r] = y > 0 ? 1e-9 : -1e-9;  /* taken */
          {
            Sample s = { r, y, PSEUDO_WEIGHT };
            g_array_append_val (samples, s);
          }
          want--;
        }
    }

  /* Full-batch gradient descent on the weighted, penalised log-loss. */
  x = g_new (double, (gsize) samples->len * self->n_features);
  for (guint i = 0; i < samples->len; i++)
    {
      Sample *s = &g_array_index (samples, Sample, i);
      features_of (self, index, s->row, x + (gsize) i * self->n_features);
      total_weight += s->weight;
    }
  grad = g_new (double, self->n_features);
  for (int step = 0; step < STEPS; step++)
    {
      memset (grad, 0, sizeof (double) * self->n_features);
      for (guint i = 0; i < samples->len; i++)
        {
          Sample *s = &g_array_index (samples, Sample, i);
          const double *xi = x + (gsize) i * self->n_features;
          double z = 0, err;
          for (guint j = 0; j < self->n_features; j++)
            z += self->w[j] * xi[j];
          err = (sigmoid (z) - s->y) * s->weight / total_weight;
          for (guint j = 0; j < self->n_features; j++)
            grad[j] += err * xi[j];
        }
      for (guint j = 0; j + 1 < self->n_features; j++)
        grad[j] += L2 * self->w[j];
      for (guint j = 0; j < self->n_features; j++)
        self->w[j] -= LEARN_RATE * grad[j];
    }
  return g_steal_pointer (&self);
}

void
cochlea_taste_free (CochleaTaste *self)
{
  if (self == NULL)
    return;
  g_free (self->w);
  g_free (self->attr_mean);
  g_free (self);
}

guint
cochlea_taste_get_n_positive (CochleaTaste *self)
{
  return self->n_positive;
}

guint
cochlea_taste_get_n_negative (CochleaTaste *self)
{
  return self->n_negative;
}

float *
cochlea_taste_score_all (CochleaTaste *self,
                         CochleaIndex *index)
{
  guint n = cochlea_index_get_size (index);
  float *scores = g_new (float, MAX (n, 1));
  g_autofree double *x = g_new (double, self->n_features);

  for (guint r = 0; r < n; r++)
    {
      double z = 0;
      features_of (self, index, r, x);
      for (guint j = 0; j < self->n_features; j++)
        z += self->w[j] * x[j];
      scores[r] = (float) sigmoid (z);
    }
  return scores;
}

guint8 *
cochlea_taste_heard_rows (CochleaIndex *index,
                          const GArray *events)
{
  guint8 *heard = g_new0 (guint8, MAX (cochlea_index_get_size (index), 1));

  for (guint e = 0; events != NULL && e < events->len; e++)
    {
      int row = cochlea_index_find_row (index, g_array_index (events, CochleaEvent, e).track_id);
      if (row >= 0)
        heard[row] = 1;
    }
  return heard;
}
