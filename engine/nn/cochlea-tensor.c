/* cochlea-tensor.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-nn"

#include "config.h"

#include <string.h>

#include "cochlea-tensor.h"

static void
set_contiguous_strides (CochleaTensor *self)
{
  self->nb[3] = 1;
  self->nb[2] = self->ne[3];
  self->nb[1] = self->ne[2] * self->ne[3];
  self->nb[0] = self->ne[1] * self->ne[2] * self->ne[3];
}

void
cochlea_tensor_init_borrowed (CochleaTensor *self,
                              float         *data,
                              int64_t        n,
                              int64_t        c,
                              int64_t        h,
                              int64_t        w)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (n >= 0 && c >= 0 && h >= 0 && w >= 0);

  self->data = data;
  self->ne[0] = n;
  self->ne[1] = c;
  self->ne[2] = h;
  self->ne[3] = w;
  self->owned = FALSE;
  set_contiguous_strides (self);
}

/**
 * cochlea_tensor_new:
 *
 * Returns: (transfer full): a contiguous zero-filled tensor owning its data
 */
CochleaTensor *
cochlea_tensor_new (int64_t n,
                    int64_t c,
                    int64_t h,
                    int64_t w)
{
  CochleaTensor *self;

  g_return_val_if_fail (n >= 0 && c >= 0 && h >= 0 && w >= 0, NULL);

  self = g_new0 (CochleaTensor, 1);
  cochlea_tensor_init_borrowed (self, NULL, n, c, h, w);
  self->data = g_new0 (float, MAX (1, n * c * h * w));
  self->owned = TRUE;
  return self;
}

/**
 * cochlea_tensor_new_borrowed:
 * @data: (transfer none): must outlive the tensor
 *
 * Returns: (transfer full): a contiguous tensor over @data
 */
CochleaTensor *
cochlea_tensor_new_borrowed (float   *data,
                             int64_t  n,
                             int64_t  c,
                             int64_t  h,
                             int64_t  w)
{
  CochleaTensor *self = g_new0 (CochleaTensor, 1);

  cochlea_tensor_init_borrowed (self, data, n, c, h, w);
  return self;
}

/**
 * cochlea_tensor_view:
 * @offset: in elements from @self's first element
 * @nb: (nullable): strides in elements, %NULL for contiguous
 *
 * Returns: (transfer full): a borrowed view; @self must outlive it
 */
CochleaTensor *
cochlea_tensor_view (const CochleaTensor *self,
                     int64_t              offset,
                     const int64_t        ne[4],
                     const int64_t        nb[4])
{
  CochleaTensor *view;

  g_return_val_if_fail (self != NULL, NULL);

  view = cochlea_tensor_new_borrowed (self->data + offset, ne[0], ne[1], ne[2], ne[3]);
  if (nb != NULL)
    memcpy (view->nb, nb, sizeof view->nb);
  return view;
}

void
cochlea_tensor_free (CochleaTensor *self)
{
  if (self == NULL)
    return;
  if (self->owned)
    g_free (self->data);
  g_free (self);
}

int64_t
cochlea_tensor_nelements (const CochleaTensor *self)
{
  return self->ne[0] * self->ne[1] * self->ne[2] * self->ne[3];
}

gboolean
cochlea_tensor_is_contiguous (const CochleaTensor *self)
{
  return self->nb[3] == 1 && self->nb[2] == self->ne[3] &&
         self->nb[1] == self->ne[2] * self->ne[3] &&
         self->nb[0] == self->ne[1] * self->ne[2] * self->ne[3];
}

float
cochlea_tensor_get (const CochleaTensor *self,
                    int64_t              n,
                    int64_t              c,
                    int64_t              h,
                    int64_t              w)
{
  g_assert (n < self->ne[0] && c < self->ne[1] && h < self->ne[2] && w < self->ne[3]);
  return self->data[n * self->nb[0] + c * self->nb[1] + h * self->nb[2] + w * self->nb[3]];
}

void
cochlea_tensor_set (CochleaTensor *self,
                    int64_t        n,
                    int64_t        c,
                    int64_t        h,
                    int64_t        w,
                    float          value)
{
  g_assert (n < self->ne[0] && c < self->ne[1] && h < self->ne[2] && w < self->ne[3]);
  self->data[n * self->nb[0] + c * self->nb[1] + h * self->nb[2] + w * self->nb[3]] = value;
}
