/* cochlea-optim.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-nn"

#include "config.h"

#include <math.h>

#include "cochlea-optim.h"

void
cochlea_adam_params_init_default (CochleaAdamParams *params)
{
  params->lr = 1e-3f;
  params->beta1 = 0.9f;
  params->beta2 = 0.999f;
  params->eps = 1e-8f;
  params->weight_decay = 1e-4f;
}

void
cochlea_adamw_update (float                   *restrict p,
                      const float             *restrict g,
                      float                   *restrict m,
                      float                   *restrict v,
                      gsize                    n,
                      const CochleaAdamParams *params,
                      gboolean                 decay,
                      gint64                   t)
{
  float b1 = params->beta1, b2 = params->beta2;
  float c1 = 1.0f / (1.0f - powf (b1, (float) t));
  float c2 = 1.0f / (1.0f - powf (b2, (float) t));
  float lr = params->lr, eps = params->eps;
  float wd = decay ? params->weight_decay : 0.0f;

  for (gsize i = 0; i < n; i++)
    {
      m[i] = b1 * m[i] + (1.0f - b1) * g[i];
      v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
      p[i] -= lr * ((m[i] * c1) / (sqrtf (v[i] * c2) + eps) + wd * p[i]);
    }
}
