/* cochlea-features.h — what the catalogue keeps of an analysis: the
 * Spotify-style attributes and one content vector.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cochlea-analysis.h"
#include "cochlea-rhythm.h"
#include "cochlea-timbre.h"

G_BEGIN_DECLS

/* The columns of the `attributes` table, in this order. */
typedef enum
{
  COCHLEA_ATTR_TEMPO,
  COCHLEA_ATTR_TEMPO_CONFIDENCE,
  COCHLEA_ATTR_TIME_SIGNATURE,
  COCHLEA_ATTR_KEY,
  COCHLEA_ATTR_MODE,
  COCHLEA_ATTR_KEY_CONFIDENCE,
  COCHLEA_ATTR_LOUDNESS,
  COCHLEA_ATTR_ENERGY,
  COCHLEA_ATTR_DANCEABILITY,
  COCHLEA_ATTR_VALENCE,
  COCHLEA_ATTR_ACOUSTICNESS,
  COCHLEA_ATTR_INSTRUMENTALNESS,
  COCHLEA_ATTR_SPEECHINESS,
  COCHLEA_ATTR_LIVENESS,
  COCHLEA_N_ATTRIBUTES
} CochleaAttribute;

typedef struct
{
  const char *name;           /* column and CLI name */
  const char *unit;           /* for explanations; "" when unitless */
  gboolean    is_integer;     /* INTEGER column */
  double      default_weight; /* weight in the attribute distance (0 = not compared) */
  double      scale;          /* one "unit of difference" in the attribute distance */
} CochleaAttributeInfo;

const CochleaAttributeInfo *cochlea_attribute_get_info (CochleaAttribute attr);
/* Returns -1 when @name is not an attribute. */
int                         cochlea_attribute_from_name (const char *name);

/* The interim content vector used until the network's embedding exists:
 * the mean and standard deviation over time of each log-mel band. */
#define COCHLEA_MELSTATS_MODEL "melstats-v1"

/* What the catalogue extracts from an analysis (tracks.features_version):
 * 1 = attributes and one content vector; 2 = also the MFCC timbre model;
 * 3 = also the rhythm descriptor (COCHLEA_RHYTHM_MODEL).
 * An import re-analyses tracks stored by an older one. */
#define COCHLEA_FEATURES_VERSION 3

typedef struct
{
  double  attrs[COCHLEA_N_ATTRIBUTES];  /* NAN = unknown */
  char   *model;                        /* (nullable) what made @vector */
  guint   dim;
  float  *vector;                       /* (nullable) (dim) */
  float  *timbre;                       /* (nullable) (COCHLEA_TIMBRE_DIM) */
  float  *rhythm;                       /* (nullable) (COCHLEA_RHYTHM_DIM) */
} CochleaFeatures;

CochleaFeatures *cochlea_features_new            (void) G_GNUC_WARN_UNUSED_RESULT;
void             cochlea_features_free           (CochleaFeatures       *self);
void             cochlea_features_set_vector     (CochleaFeatures       *self,
                                                  const char            *model,
                                                  const float           *vector,
                                                  guint                  dim);
/* @timbre (nullable): COCHLEA_TIMBRE_DIM floats, copied. */
void             cochlea_features_set_timbre     (CochleaFeatures       *self,
                                                  const float           *timbre);
/* @rhythm (nullable): COCHLEA_RHYTHM_DIM floats, copied. */
void             cochlea_features_set_rhythm     (CochleaFeatures       *self,
                                                  const float           *rhythm);
char            *cochlea_features_dup_cnn_model_id (int embed_dim) G_GNUC_WARN_UNUSED_RESULT;
/* Flags cochlea_analyze_file() needs for cochlea_features_from_analysis(). */
CochleaAnalyzeFlags cochlea_features_analyze_flags (void);
CochleaFeatures *cochlea_features_from_analysis  (const CochleaAnalysis *analysis) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaFeatures, cochlea_features_free)

G_END_DECLS
