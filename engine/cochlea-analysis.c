/* cochlea-analysis.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One streamed pass over a file: decode → log-mel → (every consumer of the
 * frames).  The PCM is never held whole; only what a consumer asks to keep.
 */
#define G_LOG_DOMAIN "cochlea-analysis"

#include "config.h"

#include <math.h>

#include "cochlea-analysis.h"
#include "cochlea-error.h"
#include "nn/cochlea-nn-attributes.h"
#include "store/cochlea-rhythm.h"
#include "store/cochlea-timbre.h"

#define BLOCK_FRAMES 8192

typedef struct
{
  CochleaAnalysis *result;
  CochleaNnRunner *nn;      /* (nullable) */
  CochleaAttributeAnalyzer *attributes;
  CochleaTimbre   *timbre;  /* (nullable) */
  CochleaRhythm   *rhythm;  /* (nullable) */
} FrameSink;

static void
frame_cb (const float *mel_db,
          const float *power,
          gint64       index,
          gpointer     user_data)
{
  FrameSink *sink = user_data;

  if (sink->result->spectrogram != NULL)
    cochlea_spectrogram_append (sink->result->spectrogram, mel_db);
  cochlea_attribute_analyzer_push_frame (sink->attributes, mel_db, power);
  if (sink->nn != NULL)
    cochlea_nn_runner_push (sink->nn, mel_db);
  if (sink->timbre != NULL)
    cochlea_timbre_push (sink->timbre, mel_db);
  if (sink->rhythm != NULL)
    cochlea_rhythm_push (sink->rhythm, mel_db);
  sink->result->n_frames = index + 1;
}

/**
 * cochlea_analyze_file:
 * @path: file name encoding
 * @progress: (nullable): called now and then from this thread
 *
 * Analyses one file in a single streamed pass.  Safe to call from any
 * thread, and from several at once.
 *
 * Returns: (transfer full): the analysis, or %NULL with @error naming the
 *   file and the problem
 */
CochleaAnalysis *
cochlea_analyze_file (const char           *path,
                      CochleaAnalyzeFlags   flags,
                      CochleaProgressFunc   progress,
                      gpointer              progress_data,
                      GCancellable         *cancellable,
                      GError              **error)
{
  g_autoptr(CochleaAnalysis) result = NULL;
  g_autoptr(CochleaAttributeAnalyzer) attributes = NULL;  /* freed after the decoder's tap */
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_autoptr(CochleaMel) mel = NULL;
  g_autoptr(CochleaModel) model = NULL;
  g_autoptr(CochleaNnRunner) nn = NULL;
  g_autoptr(CochleaTimbre) timbre = NULL;
  g_autoptr(CochleaRhythm) rhythm = NULL;
  g_autofree float *mono = NULL;
  g_autofree float *interleaved = NULL;
  CochleaMelParams params;
  FrameSink sink;
  gint64 last_report = 0;
  gssize n;

  g_return_val_if_fail (path != NULL, NULL);

  cochlea_mel_params_init_default (&params);
  if (!(mel = cochlea_mel_new (&params, error)))
    return NULL;
  /* Loudness needs the whole band: the attributes see the native rate too. */
  attributes = cochlea_attribute_analyzer_new (&params);
  cochlea_attribute_analyzer_use_native_loudness (attributes);
  if (!(decoder = cochlea_decoder_new_with_tap (path, params.sample_rate,
                                                cochlea_attribute_analyzer_push_native, attributes,
                                                cancellable, error)))
    return NULL;

  result = g_new0 (CochleaAnalysis, 1);
  result->path = g_strdup (path);
  result->display_path = g_filename_display_name (path);
  result->sample_rate = params.sample_rate;
  if (flags & COCHLEA_ANALYZE_KEEP_SPECTROGRAM)
    result->spectrogram = cochlea_spectrogram_new (params.n_mels, params.sample_rate,
                                                   params.hop_length, params.f_min, params.f_max);
  sink.result = result;
  /* the network, when a model is installed (docs/model.md) */
  if ((model = cochlea_model_get_default ()) != NULL)
    nn = cochlea_nn_runner_new (model);
  sink.nn = nn;
  sink.attributes = attributes;
  if (flags & COCHLEA_ANALYZE_TIMBRE)
    timbre = cochlea_timbre_new (params.n_mels);
  sink.timbre = timbre;
  if (flags & COCHLEA_ANALYZE_RHYTHM)
    rhythm = cochlea_rhythm_new (params.n_mels);
  sink.rhythm = rhythm;

  mono = g_new (float, BLOCK_FRAMES);
  interleaved = g_new (float, BLOCK_FRAMES * COCHLEA_DECODER_MAX_CHANNELS);

  while ((n = cochlea_decoder_read (decoder, mono, interleaved, BLOCK_FRAMES, cancellable, error)) > 0)
    {
      cochlea_mel_push (mel, mono, n, frame_cb, &sink);
      cochlea_attribute_analyzer_push_pcm (attributes, mono, interleaved,
                                           cochlea_decoder_get_channels (decoder), n);
      result->n_samples += n;

      if (progress != NULL && result->n_samples - last_report > params.sample_rate * 10)
        {
          double total = cochlea_decoder_get_tags (decoder)->duration_s;
          last_report = result->n_samples;
          progress (total > 0 ? MIN (1.0, result->n_samples / (total * params.sample_rate)) : -1,
                    progress_data);
        }
    }
  if (n < 0)
    return NULL;

  if (result->n_samples == 0)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_NO_AUDIO,
                   "%s: decoded to no audio at all (empty or corrupt stream)",
                   result->display_path);
      return NULL;
    }

  cochlea_mel_finish (mel, frame_cb, &sink);
  if (nn != NULL)
    result->nn = cochlea_nn_runner_finish (nn);
  cochlea_attribute_analyzer_finish (attributes, &result->attributes);
  if (result->nn != NULL)
    cochlea_nn_feed_attributes (result->nn, &result->attributes);
  result->have_attributes = TRUE;
  if (timbre != NULL)
    {
      result->timbre = g_new (float, COCHLEA_TIMBRE_DIM);
      if (!cochlea_timbre_finish (timbre, result->timbre))
        g_clear_pointer (&result->timbre, g_free);
    }
  if (rhythm != NULL)
    {
      result->rhythm = g_new (float, COCHLEA_RHYTHM_DIM);
      if (!cochlea_rhythm_finish (rhythm, result->rhythm))
        g_clear_pointer (&result->rhythm, g_free);
    }

  cochlea_tags_copy (&result->tags, cochlea_decoder_get_tags (decoder));
  result->channels = cochlea_decoder_get_channels (decoder);
  result->duration_s = (double) result->n_samples / params.sample_rate;

  if (progress != NULL)
    progress (1.0, progress_data);

  return g_steal_pointer (&result);
}

void
cochlea_analysis_free (CochleaAnalysis *self)
{
  if (self == NULL)
    return;
  g_free (self->path);
  g_free (self->display_path);
  cochlea_tags_clear (&self->tags);
  g_clear_pointer (&self->spectrogram, cochlea_spectrogram_unref);
  g_clear_pointer (&self->nn, cochlea_nn_result_free);
  g_free (self->timbre);
  g_free (self->rhythm);
  g_free (self);
}

void
cochlea_json_add_string_or_null (JsonBuilder *builder,
                                 const char  *key,
                                 const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* JSON has no NaN or infinity: those become null, never a broken line. */
void
cochlea_json_add_finite (JsonBuilder *builder,
                         const char  *key,
                         double       value)
{
  json_builder_set_member_name (builder, key);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * cochlea_analysis_to_json:
 * @builder: positioned inside an object
 *
 * Adds this analysis's members to the object being built.  The keys are
 * the CLI's stable output format (docs/cli.md).
 */
void
cochlea_analysis_to_json (const CochleaAnalysis *self,
                          JsonBuilder           *builder)
{
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, self->display_path);
  cochlea_json_add_finite (builder, "duration_s", self->duration_s);
  json_builder_set_member_name (builder, "sample_rate");
  json_builder_add_int_value (builder, self->sample_rate);
  json_builder_set_member_name (builder, "frames");
  json_builder_add_int_value (builder, self->n_frames);
  json_builder_set_member_name (builder, "channels");
  json_builder_add_int_value (builder, self->channels);
  cochlea_json_add_string_or_null (builder, "title", self->tags.title);
  cochlea_json_add_string_or_null (builder, "artist", self->tags.artist);
  cochlea_json_add_string_or_null (builder, "album", self->tags.album);
  cochlea_json_add_string_or_null (builder, "genre", self->tags.genre);
  if (self->nn != NULL)
    cochlea_nn_result_to_json (self->nn, builder);
  if (self->have_attributes)
    cochlea_attributes_to_json (&self->attributes, builder);
}
