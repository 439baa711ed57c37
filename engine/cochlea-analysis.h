/* cochlea-analysis.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "dsp/cochlea-attributes.h"
#include "dsp/cochlea-mel.h"
#include "dsp/cochlea-spectrogram.h"
#include "media/cochlea-decoder.h"
#include "nn/cochlea-model.h"

G_BEGIN_DECLS

/* Bump when anything that changes analysis results changes (front end,
 * attributes, model); the catalogue re-analyses tracks with an older one. */
#define COCHLEA_ANALYSIS_VERSION 2

typedef enum
{
  COCHLEA_ANALYZE_NONE             = 0,
  COCHLEA_ANALYZE_KEEP_SPECTROGRAM = 1 << 0,  /* keep every frame in result->spectrogram */
  COCHLEA_ANALYZE_TIMBRE           = 1 << 1,  /* MFCC mean + covariance in result->timbre (engine/store/cochlea-timbre.h) */
  COCHLEA_ANALYZE_RHYTHM           = 1 << 2,  /* fluctuation pattern in result->rhythm (engine/store/cochlea-rhythm.h) */
} CochleaAnalyzeFlags;

/**
 * CochleaAnalysis:
 *
 * Everything the engine learns from one file in one streamed pass.  Later
 * stages (attributes, the network) add their fields here and their keys to
 * cochlea_analysis_to_json(); keys already there keep their meaning.
 */
typedef struct
{
  char               *path;          /* file name encoding */
  char               *display_path;  /* UTF-8 */
  CochleaTags         tags;
  double              duration_s;    /* decoded samples / sample_rate */
  int                 sample_rate;
  gint64              n_samples;
  gint64              n_frames;
  guint               channels;      /* decoded channels before downmix (1–2) */
  CochleaSpectrogram *spectrogram;   /* (nullable) with KEEP_SPECTROGRAM */
  CochleaNnResult    *nn;            /* (nullable) the network over the whole song; NULL without a model */
  gboolean            have_attributes;
  CochleaAttributes   attributes;    /* tempo, key, loudness, energy… */
  float              *timbre;        /* (nullable) with TIMBRE: COCHLEA_TIMBRE_DIM floats */
  float              *rhythm;        /* (nullable) with RHYTHM: COCHLEA_RHYTHM_DIM floats; NULL below one window */
} CochleaAnalysis;

/**
 * CochleaProgressFunc:
 * @fraction: 0–1, or -1 when the duration is unknown
 */
typedef void (*CochleaProgressFunc) (double   fraction,
                                     gpointer user_data);

CochleaAnalysis *cochlea_analyze_file    (const char           *path,
                                          CochleaAnalyzeFlags   flags,
                                          CochleaProgressFunc   progress,
                                          gpointer              progress_data,
                                          GCancellable         *cancellable,
                                          GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void             cochlea_analysis_free   (CochleaAnalysis      *self);
void             cochlea_analysis_to_json (const CochleaAnalysis *self,
                                           JsonBuilder           *builder);

void             cochlea_json_add_string_or_null (JsonBuilder *builder,
                                                  const char  *key,
                                                  const char  *value);
void             cochlea_json_add_finite         (JsonBuilder *builder,
                                                  const char  *key,
                                                  double       value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaAnalysis, cochlea_analysis_free)

G_END_DECLS
