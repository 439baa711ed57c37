/* cochlea-activation-job.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One forward pass over the window of the song's log-mel-spectrogram that
 * contains the playhead.  The worker sees refs to the (immutable) model and
 * spectrogram and returns a CochleaActivationMaps the view then shares.
 */
#define G_LOG_DOMAIN "cochlea-jobs"

#include "config.h"

#include <glib/gi18n.h>

#include "cochlea-activation-job.h"

typedef struct
{
  CochleaModel       *model;
  CochleaSpectrogram *spectrogram;
  gsize               start_frame;
} ActivationJob;

static void
activation_job_free (gpointer data)
{
  ActivationJob *job = data;

  g_clear_pointer (&job->model, cochlea_model_unref);
  g_clear_pointer (&job->spectrogram, cochlea_spectrogram_unref);
  g_free (job);
}

/**
 * cochlea_activation_window_start:
 *
 * The first frame of the window the network covers at @seconds: windows
 * start every config->hop frames, and the last one is aligned to the end
 * of the song (as CochleaNnRunner does).
 */
gsize
cochlea_activation_window_start (const CochleaModel       *model,
                                 const CochleaSpectrogram *spectrogram,
                                 double                    seconds)
{
  const CochleaModelConfig *config = cochlea_model_get_config (model);
  gsize window = (gsize) config->window;
  gsize hop = (gsize) config->hop;
  double frame;
  gsize start;

  if (spectrogram->n_frames <= window)
    return 0;

  frame = seconds * spectrogram->sample_rate / spectrogram->hop_length;
  start = frame <= 0 ? 0 : (gsize) frame / hop * hop;
  return MIN (start, spectrogram->n_frames - window);
}

static void
activation_worker (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ActivationJob *job = task_data;
  const CochleaModelConfig *config = cochlea_model_get_config (job->model);
  const CochleaSpectrogram *spec = job->spectrogram;
  gsize window = (gsize) config->window;
  gsize n_bins = spec->n_bins;
  g_autofree float *frames = NULL;
  g_autoptr(CochleaNnContext) context = NULL;
  CochleaActivationMaps *maps;
  double seconds_per_frame = (double) spec->hop_length / spec->sample_rate;
  float floor_db = G_MAXFLOAT;

  if (n_bins != (gsize) config->mel.n_mels)
    {
      g_task_return_new_error (task, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_SHAPE,
                               _("The model expects %d mel bands, the spectrogram has %u"),
                               config->mel.n_mels, (guint) n_bins);
      return;
    }

  /* A song shorter than a window is padded with its quietest value. */
  for (gsize i = 0; i < spec->n_frames * n_bins; i++)
    floor_db = MIN (floor_db, spec->data[i]);
  if (spec->n_frames == 0)
    floor_db = -100.0f;

  frames = g_new (float, window * n_bins);
  for (gsize t = 0; t < window; t++)
    {
      gsize src = job->start_frame + t;

      if (src < spec->n_frames)
        memcpy (frames + t * n_bins, cochlea_spectrogram_get_row (spec, src), n_bins * sizeof (float));
      else
        for (gsize b = 0; b < n_bins; b++)
          frames[t * n_bins + b] = floor_db;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  context = cochlea_nn_context_new (job->model);
  cochlea_nn_context_forward (context, frames);

  maps = cochlea_activation_maps_new ();
  for (int i = 0; i < cochlea_nn_context_get_n_layers (context); i++)
    {
      CochleaActivationMap map;

      cochlea_nn_context_get_layer (context, i, &map);
      cochlea_activation_maps_add_nn_map (maps, &map,
                                          job->start_frame * seconds_per_frame,
                                          seconds_per_frame, (guint) window);
    }

  g_task_return_pointer (task, maps, (GDestroyNotify) cochlea_activation_maps_unref);
}

void
cochlea_activation_job_run_async (CochleaModel        *model,
                                  CochleaSpectrogram  *spectrogram,
                                  gsize                start_frame,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  static gsize nn_initialised;
  g_autoptr(GTask) task = NULL;
  ActivationJob *job;

  g_return_if_fail (model != NULL);
  g_return_if_fail (spectrogram != NULL);

  if (g_once_init_enter (&nn_initialised))
    {
      cochlea_nn_init ();
      g_once_init_leave (&nn_initialised, 1);
    }

  job = g_new0 (ActivationJob, 1);
  job->model = cochlea_model_ref (model);
  job->spectrogram = cochlea_spectrogram_ref (spectrogram);
  job->start_frame = start_frame;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cochlea_activation_job_run_async);
  g_task_set_name (task, "[cochlea] activations");
  g_task_set_task_data (task, job, activation_job_free);
  g_task_run_in_thread (task, activation_worker);
}

/**
 * cochlea_activation_job_finish:
 *
 * Returns: (transfer full): the window's activation maps
 */
CochleaActivationMaps *
cochlea_activation_job_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
