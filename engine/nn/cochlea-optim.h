/* cochlea-optim.h — Adam with decoupled weight decay (AdamW).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  float lr;            /* 1e-3 */
  float beta1;         /* 0.9 */
  float beta2;         /* 0.999 */
  float eps;           /* 1e-8 */
  float weight_decay;  /* decoupled, applied to weights only (1e-4) */
} CochleaAdamParams;

void cochlea_adam_params_init_default (CochleaAdamParams *params);

/* One AdamW update of n values at step @t (from 1):
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²
 *   p ← p − lr·( m̂ / (sqrt(v̂) + eps) + wd·p ),  m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ)
 * with wd = @params->weight_decay when @decay, else 0. */
void cochlea_adamw_update (float                   *restrict p,
                           const float             *restrict g,
                           float                   *restrict m,
                           float                   *restrict v,
                           gsize                    n,
                           const CochleaAdamParams *params,
                           gboolean                 decay,
                           gint64                   t);

G_END_DECLS
