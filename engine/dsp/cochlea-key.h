/* cochlea-key.h — streaming chroma with tuning estimation, and key finding
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CochleaKeyProfile:
 * @COCHLEA_KEY_PROFILE_KRUMHANSL: Krumhansl & Kessler 1982 probe-tone ratings
 * @COCHLEA_KEY_PROFILE_TEMPERLEY: Temperley 2007 (Kostka–Payne corpus)
 * @COCHLEA_KEY_PROFILE_ALBRECHT: Albrecht & Shanahan 2013 (classical corpus)
 * @COCHLEA_KEY_PROFILE_SHAATH: Sha'ath 2011 (KeyFinder)
 * @COCHLEA_KEY_PROFILE_EDMA: Faraldo et al. 2016 "edma" (electronic dance music)
 *
 * Major/minor pitch-class profile pairs; the default is chosen by the
 * measurement in docs/attributes.md.
 */
typedef enum
{
  COCHLEA_KEY_PROFILE_KRUMHANSL,
  COCHLEA_KEY_PROFILE_TEMPERLEY,
  COCHLEA_KEY_PROFILE_ALBRECHT,
  COCHLEA_KEY_PROFILE_SHAATH,
  COCHLEA_KEY_PROFILE_EDMA,
  COCHLEA_KEY_N_PROFILES,
} CochleaKeyProfile;

#define COCHLEA_KEY_PROFILE_DEFAULT COCHLEA_KEY_PROFILE_SHAATH

const char *cochlea_key_profile_get_name (CochleaKeyProfile profile);

/**
 * CochleaKey:
 * @key: tonic pitch class 0–11 (C = 0), or -1 when no key is detectable
 * @mode: 1 major, 0 minor
 * @confidence: 0–1
 */
typedef struct
{
  int    key;
  int    mode;
  double confidence;
} CochleaKey;

void cochlea_key_estimate (const double      chroma[12],
                           const double     *bass,
                           CochleaKeyProfile profile,
                           CochleaKey       *out);

/* Streaming chroma: spectral peaks of 4096-sample frames, folded
 * onto a 10-cent pitch-class histogram, then onto 12 classes around the
 * estimated tuning. */
typedef struct _CochleaChroma CochleaChroma;

CochleaChroma *cochlea_chroma_new        (int            sample_rate) G_GNUC_WARN_UNUSED_RESULT;
void           cochlea_chroma_free       (CochleaChroma *self);
void           cochlea_chroma_push       (CochleaChroma *self,
                                          const float   *mono,
                                          gsize          n_samples);
void           cochlea_chroma_get        (CochleaChroma *self,
                                          double         chroma[12],
                                          double        *bass,
                                          double        *tuning_cents,
                                          double        *harmonicity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaChroma, cochlea_chroma_free)

G_END_DECLS
