/* test-nn-common.h — small models and data for the nn tests.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "nn/cochlea-model.h"
#include "nn/cochlea-ops.h"
#include "nn/cochlea-train.h"

static const char * const test_classes[] = { "low", "mid", "high", NULL };
static const char * const test_flags[] = { "a", "b", NULL };

/* A network small enough to check by finite differences: 6 bands,
 * 128-frame windows (125 → 31 → 28 → 14 → 11 → 5 → 2 frames). */
static inline void
test_tiny_config (CochleaModelConfig *c,
                  float               dropout)
{
  cochlea_model_config_init_default (c);
  c->mel.n_mels = 6;
  c->window = 128;
  c->hop = 64;
  c->channels[0] = 4;
  c->channels[1] = 5;
  c->channels[2] = 5;
  c->channels[3] = 6;
  c->dense = 12;
  c->embed_dim = 4;
  c->dropout = dropout;
  cochlea_model_config_add_head (c, "pitch", COCHLEA_HEAD_SOFTMAX, test_classes);
  cochlea_model_config_add_head (c, "flags", COCHLEA_HEAD_SIGMOID, test_flags);
  g_assert_true (cochlea_model_config_validate (c, NULL));
}

static inline void
test_fill_gauss (float   *x,
                 gsize    n,
                 guint64  seed,
                 float    mean,
                 float    scale)
{
  guint64 s = seed;

  for (gsize i = 0; i < n; i++)
    {
      float u1 = cochlea_nn_rng_uniform (&s), u2 = cochlea_nn_rng_uniform (&s);
      x[i] = mean + scale * sqrtf (-2.0f * logf (1.0f - u1)) * cosf (6.2831853f * u2);
    }
}

/* Songs whose class is which band pulses, and whose two flags are
 * which of two other bands is louder. */
static inline CochleaDataset *
test_tiny_dataset (int     n_songs,
                   gsize   n_frames,
                   guint64 seed)
{
  CochleaDataset *ds = cochlea_dataset_new (6, 5);

  for (int i = 0; i < n_songs; i++)
    {
      float *mel = g_new (float, n_frames * 6);
      float targets[5] = { 0 };
      int cls = i % 3;
      char name[32];

      test_fill_gauss (mel, n_frames * 6, seed + i, -40.0f, 6.0f);
      targets[cls] = 1.0f;
      targets[3] = (i / 3) % 2;
      targets[4] = (i % 2);
      /* class: a pulsing band 0, 2 or 4; flags: bands 1 and 5 louder */
      for (gsize t = 0; t < n_frames; t++)
        {
          mel[t * 6 + 2 * cls] += 25.0f * (float) ((t / 7 + i) % 2);
          mel[t * 6 + 1] += 15.0f * targets[3];
          mel[t * 6 + 5] += 15.0f * targets[4];
        }
      g_snprintf (name, sizeof name, "song%d", i);
      cochlea_dataset_add (ds, name, mel, n_frames, targets, 0x3);
    }
  return ds;
}
