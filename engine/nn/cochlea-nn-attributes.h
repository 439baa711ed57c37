/* cochlea-nn-attributes.h — the network's heads feeding the 0–1 attributes
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "dsp/cochlea-attributes.h"
#include "nn/cochlea-model.h"

G_BEGIN_DECLS

/* Which attributes a head set (docs/attributes.md, "Which attributes come
 * from the network"). */
typedef enum
{
  COCHLEA_NN_FEEDS_NONE             = 0,
  COCHLEA_NN_FEEDS_LIVENESS         = 1 << 0,
  COCHLEA_NN_FEEDS_SPEECHINESS      = 1 << 1,
  COCHLEA_NN_FEEDS_INSTRUMENTALNESS = 1 << 2,
  COCHLEA_NN_FEEDS_ACOUSTICNESS     = 1 << 3,
} CochleaNnFeeds;

/* Replaces the formula values in @attributes that a head of @nn measured
 * better on held-out songs (docs/model.md, "Heads against the attribute
 * formulas"), as far as @nn's model has the heads needed; the others keep
 * the formula's value.  Returns what was replaced. */
CochleaNnFeeds cochlea_nn_feed_attributes (const CochleaNnResult *nn,
                                           CochleaAttributes     *attributes);

G_END_DECLS
