/* cochlea-nn-attributes.c — the network's heads feeding the 0–1 attributes
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 4, item 2: where a head was at least as accurate as the
 * [attributes] formula on the held-out songs (bench/nn-vs-attributes.py,
 * table in docs/model.md), its song-level probability becomes that
 * attribute when a model is loaded:
 *
 *   liveness         = P(live)                         `live` head
 *   speechiness      = P(speech) × (1 − ½ P(music))    `speech`, `instruments`
 *   instrumentalness = 1 − max (P(voice), P(speech))   `voice`, `speech`
 *   acousticness     = P(acoustic)                     `acoustic` head
 *
 * P(music) is the most confident of the 13 instrument families: speech
 * with no instrument stays near P(speech), in Spotify's "spoken word" band
 * (> 0.66), and speech over a clearly playing instrument is halved into
 * the "speech and music" band (0.33–0.66).  Which of these are switched on
 * is FEEDS below, decided by the measurement.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-nn-attributes.h"

/* Measured at least as accurate as the formula on the held-out songs
 * (docs/model.md).  Acousticness is not: see there. */
#define FEEDS (COCHLEA_NN_FEEDS_LIVENESS | COCHLEA_NN_FEEDS_SPEECHINESS | \
               COCHLEA_NN_FEEDS_INSTRUMENTALNESS)

/* The loudness the formulas report for silence (the absolute gate): the
 * formulas give 0 for every attribute there and a head's guess on digital
 * silence means nothing. */
#define SILENCE_LUFS (-69.9)

/* Probability of @label in head @name, or NAN when the model has no such
 * head or label. */
static double
head_prob (const CochleaNnResult *nn,
           const char            *name,
           const char            *label)
{
  const CochleaModelConfig *c = cochlea_model_get_config (nn->model);
  int h = cochlea_model_config_find_head (c, name);

  if (h < 0)
    return NAN;
  for (int k = 0; k < c->heads[h].n_out; k++)
    if (strcmp (c->heads[h].labels[k], label) == 0)
      {
        int i = c->heads[h].offset + k;
        return i < nn->n_logits && isfinite (nn->probs[i]) ? CLAMP (nn->probs[i], 0.0, 1.0) : NAN;
      }
  return NAN;
}

/* The largest output of head @name (NAN when missing). */
static double
head_max (const CochleaNnResult *nn,
          const char            *name)
{
  const CochleaModelConfig *c = cochlea_model_get_config (nn->model);
  int h = cochlea_model_config_find_head (c, name);
  double best = NAN;

  if (h < 0)
    return NAN;
  for (int k = 0; k < c->heads[h].n_out; k++)
    {
      int i = c->heads[h].offset + k;
      if (i < nn->n_logits && isfinite (nn->probs[i]))
        best = isnan (best) ? nn->probs[i] : MAX (best, nn->probs[i]);
    }
  return isnan (best) ? NAN : CLAMP (best, 0.0, 1.0);
}

CochleaNnFeeds
cochlea_nn_feed_attributes (const CochleaNnResult *nn,
                            CochleaAttributes     *attributes)
{
  CochleaNnFeeds fed = COCHLEA_NN_FEEDS_NONE;
  double live, speech, voice, music, acoustic;

  g_return_val_if_fail (attributes != NULL, COCHLEA_NN_FEEDS_NONE);

  if (nn == NULL || nn->model == NULL || nn->n_windows <= 0 || attributes->loudness <= SILENCE_LUFS)
    return COCHLEA_NN_FEEDS_NONE;

  live = head_prob (nn, "live", "live");
  speech = head_prob (nn, "speech", "speech");
  voice = head_prob (nn, "voice", "voice");
  music = head_max (nn, "instruments");
  acoustic = head_prob (nn, "acoustic", "acoustic");

  if ((FEEDS & COCHLEA_NN_FEEDS_LIVENESS) && !isnan (live))
    {
      attributes->liveness = live;
      fed |= COCHLEA_NN_FEEDS_LIVENESS;
    }
  if ((FEEDS & COCHLEA_NN_FEEDS_SPEECHINESS) && !isnan (speech) && !isnan (music))
    {
      attributes->speechiness = speech * (1.0 - 0.5 * music);
      fed |= COCHLEA_NN_FEEDS_SPEECHINESS;
    }
  if ((FEEDS & COCHLEA_NN_FEEDS_INSTRUMENTALNESS) && !isnan (speech) && !isnan (voice))
    {
      attributes->instrumentalness = 1.0 - MAX (voice, speech);
      fed |= COCHLEA_NN_FEEDS_INSTRUMENTALNESS;
    }
  if ((FEEDS & COCHLEA_NN_FEEDS_ACOUSTICNESS) && !isnan (acoustic))
    {
      attributes->acousticness = acoustic;
      fed |= COCHLEA_NN_FEEDS_ACOUSTICNESS;
    }
  return fed;
}
