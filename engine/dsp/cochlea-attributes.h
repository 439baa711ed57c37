/* cochlea-attributes.h — Spotify-style audio attributes, streamed
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cochlea-mel.h"

G_BEGIN_DECLS

/**
 * CochleaAttributeCues:
 *
 * The measurements the 0–1 attributes are made from (docs/attributes.md),
 * kept so that they can be inspected and evaluated.
 */
typedef struct
{
  double onset_rate;        /* onsets per second */
  double pulse_strength;    /* mean autocorrelation at the beat in 8-s windows, 0–1 */
  double pulse_stability;   /* 1 − spread of that strength, 0–1 */
  double flatness;          /* mean spectral flatness of the mel bands, 0–1 */
  double centroid_hz;       /* mean spectral centroid */
  double hf_ratio;          /* mean fraction of power above 5 kHz */
  double dynamic_range_db;  /* 95th − 10th percentile of frame level */
  double harmonicity;       /* fraction of 50 Hz–5 kHz power in spectral peaks */
  double speech_modulation; /* share of 3–6 Hz in the 0.5–16 Hz modulation of the 300–3400 Hz band */
  double pause_ratio;       /* fraction of sounding frames 25 dB under the loud level */
  double noise_floor;       /* flatness × level of the quietest sounding frames, 0–1 */
  double tuning_cents;      /* deviation from A = 440 Hz */
  double chroma[12];        /* pitch-class energy, C first, sums to 1 */
  double bass_chroma[12];   /* the same under 200 Hz */
} CochleaAttributeCues;

/**
 * CochleaAttributes:
 *
 * The JSON fields of `cochlea-cli analyze` (docs/attributes.md has each
 * one's method, cues and limits).  Every value is finite.
 */
typedef struct
{
  double tempo;             /* BPM, 0 when there is no pulse */
  double tempo_confidence;  /* 0–1 */
  int    time_signature;    /* 3–7 */
  int    key;               /* 0–11 (C = 0), −1 when none */
  int    mode;              /* 1 major, 0 minor */
  double key_confidence;    /* 0–1 */
  double loudness;          /* integrated LUFS (EBU R 128), ≥ −70 */
  double energy;
  double danceability;
  double valence;
  double acousticness;
  double instrumentalness;
  double speechiness;
  double liveness;
  CochleaAttributeCues cues;
} CochleaAttributes;

typedef struct _CochleaAttributeAnalyzer CochleaAttributeAnalyzer;

CochleaAttributeAnalyzer *cochlea_attribute_analyzer_new (const CochleaMelParams *params) G_GNUC_WARN_UNUSED_RESULT;
void     cochlea_attribute_analyzer_free       (CochleaAttributeAnalyzer *self);
void     cochlea_attribute_analyzer_use_native_loudness (CochleaAttributeAnalyzer *self);
void     cochlea_attribute_analyzer_push_native (const float             *interleaved,
                                                 gsize                    n_frames,
                                                 guint                    channels,
                                                 int                      rate,
                                                 gpointer                 analyzer);
void     cochlea_attribute_analyzer_push_pcm   (CochleaAttributeAnalyzer *self,
                                                const float              *mono,
                                                const float              *interleaved,
                                                guint                     channels,
                                                gsize                     n_frames);
void     cochlea_attribute_analyzer_push_frame (CochleaAttributeAnalyzer *self,
                                                const float              *mel_db,
                                                const float              *power);
void     cochlea_attribute_analyzer_finish     (CochleaAttributeAnalyzer *self,
                                                CochleaAttributes        *out);

void     cochlea_attributes_to_json            (const CochleaAttributes  *self,
                                                JsonBuilder              *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaAttributeAnalyzer, cochlea_attribute_analyzer_free)

G_END_DECLS
