/* cochlea-features.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-features.h"

/* Weights and scales are documented in docs/catalogue.md ("Similarity"). */
static const CochleaAttributeInfo attribute_info[COCHLEA_N_ATTRIBUTES] = {
  [COCHLEA_ATTR_TEMPO]            = { "tempo",            "BPM", FALSE, 1.0,  20.0 },
  [COCHLEA_ATTR_TEMPO_CONFIDENCE] = { "tempo_confidence", "",    FALSE, 0.0,  1.0 },
  [COCHLEA_ATTR_TIME_SIGNATURE]   = { "time_signature",   "/4",  TRUE,  0.25, 1.0 },
  [COCHLEA_ATTR_KEY]              = { "key",              "",    TRUE,  0.5,  2.0 },
  [COCHLEA_ATTR_MODE]             = { "mode",             "",    TRUE,  0.5,  1.0 },
  [COCHLEA_ATTR_KEY_CONFIDENCE]   = { "key_confidence",   "",    FALSE, 0.0,  1.0 },
  [COCHLEA_ATTR_LOUDNESS]         = { "loudness",         "dB",  FALSE, 0.5,  6.0 },
  [COCHLEA_ATTR_ENERGY]           = { "energy",           "",    FALSE, 1.0,  0.2 },
  [COCHLEA_ATTR_DANCEABILITY]     = { "danceability",     "",    FALSE, 1.0,  0.2 },
  [COCHLEA_ATTR_VALENCE]          = { "valence",          "",    FALSE, 1.0,  0.2 },
  [COCHLEA_ATTR_ACOUSTICNESS]     = { "acousticness",     "",    FALSE, 1.0,  0.2 },
  [COCHLEA_ATTR_INSTRUMENTALNESS] = { "instrumentalness", "",    FALSE, 0.5,  0.3 },
  [COCHLEA_ATTR_SPEECHINESS]      = { "speechiness",      "",    FALSE, 0.5,  0.2 },
  [COCHLEA_ATTR_LIVENESS]         = { "liveness",         "",    FALSE, 0.25, 0.3 },
};

const CochleaAttributeInfo *
cochlea_attribute_get_info (CochleaAttribute attr)
{
  g_return_val_if_fail (attr < COCHLEA_N_ATTRIBUTES, NULL);
  return &attribute_info[attr];
}

int
cochlea_attribute_from_name (const char *name)
{
  g_return_val_if_fail (name != NULL, -1);

  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    if (g_ascii_strcasecmp (name, attribute_info[i].name) == 0)
      return i;
  return -1;
}

CochleaFeatures *
cochlea_features_new (void)
{
  CochleaFeatures *self = g_new0 (CochleaFeatures, 1);

  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    self->attrs[i] = NAN;
  return self;
}

void
cochlea_features_free (CochleaFeatures *self)
{
  if (self == NULL)
    return;
  g_free (self->model);
  g_free (self->vector);
  g_free (self->timbre);
  g_free (self->rhythm);
  g_free (self);
}

void
cochlea_features_set_vector (CochleaFeatures *self,
                             const char      *model,
                             const float     *vector,
                             guint            dim)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (model != NULL);
  g_return_if_fail (vector != NULL && dim > 0);

  g_free (self->model);
  g_free (self->vector);
  self->model = g_strdup (model);
  self->vector = g_memdup2 (vector, sizeof (float) * dim);
  self->dim = dim;
}

void
cochlea_features_set_timbre (CochleaFeatures *self,
                             const float     *timbre)
{
  g_return_if_fail (self != NULL);

  g_free (self->timbre);
  self->timbre = timbre != NULL ? g_memdup2 (timbre, sizeof (float) * COCHLEA_TIMBRE_DIM) : NULL;
}

void
cochlea_features_set_rhythm (CochleaFeatures *self,
                             const float     *rhythm)
{
  g_return_if_fail (self != NULL);

  g_free (self->rhythm);
  self->rhythm = rhythm != NULL ? g_memdup2 (rhythm, sizeof (float) * COCHLEA_RHYTHM_DIM) : NULL;
}

/* The content vector of the network, named so that a new model (which
 * bumps COCHLEA_ANALYSIS_VERSION) is never compared with an old one. */
char *
cochlea_features_dup_cnn_model_id (int embed_dim)
{
  return g_strdup_printf ("cochlea-cnn-v%d-d%d", COCHLEA_ANALYSIS_VERSION, embed_dim);
}

CochleaAnalyzeFlags
cochlea_features_analyze_flags (void)
{
  g_autoptr(CochleaModel) model = cochlea_model_get_default ();

  /* Without a network the interim vector needs every frame. */
  return COCHLEA_ANALYZE_TIMBRE | COCHLEA_ANALYZE_RHYTHM |
         (model != NULL ? COCHLEA_ANALYZE_NONE : COCHLEA_ANALYZE_KEEP_SPECTROGRAM);
}

/* Mean and standard deviation over time of each log-mel band (dB). */
static void
set_melstats (CochleaFeatures          *self,
              const CochleaSpectrogram *spec)
{
  gsize n_bins = spec->n_bins;
  g_autofree double *sum = g_new0 (double, n_bins);
  g_autofree double *sum2 = g_new0 (double, n_bins);
  g_autofree float *vector = g_new (float, 2 * n_bins);

  for (gsize t = 0; t < spec->n_frames; t++)
    {
      const float *row = cochlea_spectrogram_get_row (spec, t);
      for (gsize b = 0; b < n_bins; b++)
        {
          sum[b] += row[b];
          sum2[b] += (double) row[b] * row[b];
        }
    }
  for (gsize b = 0; b < n_bins; b++)
    {
      double mean = sum[b] / spec->n_frames;
      double var = sum2[b] / spec->n_frames - mean * mean;
      vector[b] = (float) mean;
      vector[n_bins + b] = (float) sqrt (MAX (var, 0.0));
    }
  cochlea_features_set_vector (self, COCHLEA_MELSTATS_MODEL, vector, 2 * n_bins);
}

/**
 * cochlea_features_from_analysis:
 *
 * Collects what the catalogue stores: the attributes, and as the content
 * vector the network's embedding, or the interim mel-band statistics
 * (COCHLEA_MELSTATS_MODEL) when no model is installed.
 *
 * Returns: (transfer full): the features
 */
CochleaFeatures *
cochlea_features_from_analysis (const CochleaAnalysis *analysis)
{
  g_autoptr(CochleaFeatures) self = cochlea_features_new ();

  g_return_val_if_fail (analysis != NULL, NULL);

  if (analysis->have_attributes)
    {
      const CochleaAttributes *a = &analysis->attributes;
      double *v = self->attrs;

      v[COCHLEA_ATTR_TEMPO] = a->tempo > 0 ? a->tempo : NAN;   /* 0: no pulse */
      v[COCHLEA_ATTR_TEMPO_CONFIDENCE] = a->tempo_confidence;
      v[COCHLEA_ATTR_TIME_SIGNATURE] = a->time_signature;
      v[COCHLEA_ATTR_KEY] = a->key;                            /* −1: no key */
      v[COCHLEA_ATTR_MODE] = a->mode;
      v[COCHLEA_ATTR_KEY_CONFIDENCE] = a->key_confidence;
      v[COCHLEA_ATTR_LOUDNESS] = a->loudness;
      v[COCHLEA_ATTR_ENERGY] = a->energy;
      v[COCHLEA_ATTR_DANCEABILITY] = a->danceability;
      v[COCHLEA_ATTR_VALENCE] = a->valence;
      v[COCHLEA_ATTR_ACOUSTICNESS] = a->acousticness;
      v[COCHLEA_ATTR_INSTRUMENTALNESS] = a->instrumentalness;
      v[COCHLEA_ATTR_SPEECHINESS] = a->speechiness;
      v[COCHLEA_ATTR_LIVENESS] = a->liveness;
    }

  if (analysis->nn != NULL && analysis->nn->embedding != NULL && analysis->nn->embed_dim > 0)
    {
      g_autofree char *model = cochlea_features_dup_cnn_model_id (analysis->nn->embed_dim);
      cochlea_features_set_vector (self, model, analysis->nn->embedding, analysis->nn->embed_dim);
    }
  else if (analysis->spectrogram != NULL && analysis->spectrogram->n_frames > 0)
    set_melstats (self, analysis->spectrogram);
  if (analysis->timbre != NULL)
    cochlea_features_set_timbre (self, analysis->timbre);
  else if (analysis->spectrogram != NULL && analysis->spectrogram->n_frames > 1)
    {
      /* Analysed without COCHLEA_ANALYZE_TIMBRE but with every frame kept
       * (the app's analysis): the same model from the kept frames. */
      g_autoptr(CochleaTimbre) timbre = cochlea_timbre_new (analysis->spectrogram->n_bins);
      float vector[COCHLEA_TIMBRE_DIM];

      for (gsize t = 0; t < analysis->spectrogram->n_frames; t++)
        cochlea_timbre_push (timbre, cochlea_spectrogram_get_row (analysis->spectrogram, t));
      if (cochlea_timbre_finish (timbre, vector))
        cochlea_features_set_timbre (self, vector);
    }
  if (analysis->rhythm != NULL)
    cochlea_features_set_rhythm (self, analysis->rhythm);
  else if (analysis->spectrogram != NULL)
    {
      /* the same from the kept frames, as the timbre model above */
      g_autoptr(CochleaRhythm) rhythm = cochlea_rhythm_new (analysis->spectrogram->n_bins);
      float vector[COCHLEA_RHYTHM_DIM];

      for (gsize t = 0; t < analysis->spectrogram->n_frames; t++)
        cochlea_rhythm_push (rhythm, cochlea_spectrogram_get_row (analysis->spectrogram, t));
      if (cochlea_rhythm_finish (rhythm, vector))
        cochlea_features_set_rhythm (self, vector);
    }

  return g_steal_pointer (&self);
}
