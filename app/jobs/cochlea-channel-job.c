/* cochlea-channel-job.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each song: decode at the model's rate, log-mel with the model's
 * front end, keep the frames, run the network on COCHLEA_CHANNEL_WINDOWS
 * windows spread over the song, and average each channel of each layer
 * over the window's steps and over the windows.  The result is one
 * immutable table per layer, (n_channels, n_tracks), shared by reference.
 */
#define G_LOG_DOMAIN "cochlea-jobs"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-channel-job.h"

#define BLOCK_FRAMES 8192

typedef struct
{
  char   *name;
  guint   n_channels;
  float  *values;     /* (n_channels, n_tracks) */
} ChannelLayer;

struct _CochleaChannelIndex
{
  gatomicrefcount  ref_count;
  guint            n_tracks;
  char           **paths;
  char           **titles;
  guint            n_layers;
  ChannelLayer    *layers;
};

CochleaChannelIndex *
cochlea_channel_index_ref (CochleaChannelIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cochlea_channel_index_unref (CochleaChannelIndex *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;

  for (guint i = 0; i < self->n_layers; i++)
    {
      g_free (self->layers[i].name);
      g_free (self->layers[i].values);
    }
  g_free (self->layers);
  g_strfreev (self->paths);
  g_strfreev (self->titles);
  g_free (self);
}

guint
cochlea_channel_index_get_n_tracks (CochleaChannelIndex *self)
{
  return self->n_tracks;
}

const char *
cochlea_channel_index_get_title (CochleaChannelIndex *self,
                                 guint                track)
{
  g_return_val_if_fail (track < self->n_tracks, NULL);
  return self->titles[track];
}

const char *
cochlea_channel_index_get_path (CochleaChannelIndex *self,
                                guint                track)
{
  g_return_val_if_fail (track < self->n_tracks, NULL);
  return self->paths[track];
}

int
cochlea_channel_index_find_layer (CochleaChannelIndex *self,
                                  const char          *name)
{
  for (guint i = 0; i < self->n_layers; i++)
    if (g_strcmp0 (self->layers[i].name, name) == 0)
      return (int) i;
  return -1;
}

guint
cochlea_channel_index_get_n_channels (CochleaChannelIndex *self,
                                      guint                layer)
{
  g_return_val_if_fail (layer < self->n_layers, 0);
  return self->layers[layer].n_channels;
}

double
cochlea_channel_index_get_value (CochleaChannelIndex *self,
                                 guint                layer,
                                 guint                channel,
                                 guint                track)
{
  g_return_val_if_fail (layer < self->n_layers, NAN);
  g_return_val_if_fail (channel < self->layers[layer].n_channels, NAN);
  g_return_val_if_fail (track < self->n_tracks, NAN);

  return self->layers[layer].values[(gsize) channel * self->n_tracks + track];
}

guint
cochlea_channel_index_top (CochleaChannelIndex *self,
                           guint                layer,
                           guint                channel,
                           guint                k,
                           CochleaChannelHit   *hits)
{
  const float *row;
  guint n = 0;

  g_return_val_if_fail (layer < self->n_layers, 0);
  g_return_val_if_fail (channel < self->layers[layer].n_channels, 0);
  g_return_val_if_fail (k == 0 || hits != NULL, 0);

  row = self->layers[layer].values + (gsize) channel * self->n_tracks;

  /* Insertion into a sorted k-list: k is a handful, the library may be
   * large, so one pass. */
  for (guint t = 0; t < self->n_tracks; t++)
    {
      guint pos;

      if (isnan (row[t]))
        continue;
      if (n == k && (k == 0 || row[t] <= hits[k - 1].value))
        continue;

      pos = n < k ? n++ : k - 1;
      while (pos > 0 && hits[pos - 1].value < row[t])
        {
          hits[pos] = hits[pos - 1];
          pos--;
        }
      hits[pos].track = t;
      hits[pos].value = row[t];
    }
  return n;
}

typedef struct
{
  CochleaModel  *model;
  char         **paths;
  char         **titles;
  guint          n_tracks;
  guint         *done;       /* (nullable) g_atomic_rc_box, shared with the caller */
} ChannelJob;

static void
channel_job_free (gpointer data)
{
  ChannelJob *job = data;

  g_clear_pointer (&job->model, cochlea_model_unref);
  g_strfreev (job->paths);
  g_strfreev (job->titles);
  g_clear_pointer (&job->done, g_atomic_rc_box_release);
  g_free (job);
}

/* One element of the frames array is one frame of n_mels floats. */
static void
frame_cb (const float *mel_db,
          const float *power,
          gint64       index,
          gpointer     user_data)
{
  g_array_append_vals (user_data, mel_db, 1);
}

/* The song's log-mel frames, or NULL with @error. */
static GArray *
song_frames (const char          *path,
             const CochleaMelParams *params,
             GCancellable        *cancellable,
             GError             **error)
{
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_autoptr(CochleaMel) mel = NULL;
  g_autofree float *mono = g_new (float, BLOCK_FRAMES);
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (float) * params->n_mels);
  gssize n;

  if (!(mel = cochlea_mel_new (params, error)))
    return NULL;
  if (!(decoder = cochlea_decoder_new (path, params->sample_rate, cancellable, error)))
    return NULL;

  while ((n = cochlea_decoder_read (decoder, mono, NULL, BLOCK_FRAMES, cancellable, error)) > 0)
    cochlea_mel_push (mel, mono, (gsize) n, frame_cb, frames);
  if (n < 0)
    return NULL;
  cochlea_mel_finish (mel, frame_cb, frames);
  return g_steal_pointer (&frames);
}

static void
channel_worker (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ChannelJob *job = task_data;
  const CochleaModelConfig *config = cochlea_model_get_config (job->model);
  g_autoptr(CochleaNnContext) context = cochlea_nn_context_new (job->model);
  gsize window = (gsize) config->window;
  gsize n_mels = (gsize) config->mel.n_mels;
  g_autofree float *input = g_new (float, window * n_mels);
  CochleaChannelIndex *index;

  index = g_new0 (CochleaChannelIndex, 1);
  g_atomic_ref_count_init (&index->ref_count);
  index->n_tracks = job->n_tracks;
  index->paths = g_strdupv (job->paths);
  index->titles = g_strdupv (job->titles);
  index->n_layers = (guint) cochlea_nn_context_get_n_layers (context);
  index->layers = g_new0 (ChannelLayer, index->n_layers);
  for (guint l = 0; l < index->n_layers; l++)
    {
      CochleaActivationMap map;

      cochlea_nn_context_get_layer (context, (int) l, &map);
      index->layers[l].name = g_strdup (map.name);
      index->layers[l].n_channels = (guint) map.n_channels;
      index->layers[l].values = g_new (float, (gsize) map.n_channels * job->n_tracks);
      for (gsize i = 0; i < (gsize) map.n_channels * job->n_tracks; i++)
        index->layers[l].values[i] = NAN;
    }

  for (guint t = 0; t < job->n_tracks; t++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) frames = NULL;
      gsize n_frames, n_windows;

      if (g_cancellable_is_cancelled (cancellable))
        {
          cochlea_channel_index_unref (index);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
          return;
        }

      frames = song_frames (job->paths[t], &config->mel, cancellable, &error);
      if (frames == NULL || frames->len == 0)
        {
          g_debug ("Channel index: skipping %s: %s", job->paths[t], error ? error->message : "no audio");
          if (job->done != NULL)
            g_atomic_int_inc (job->done);
          continue;
        }

      n_frames = frames->len;
      n_windows = n_frames <= window ? 1 : COCHLEA_CHANNEL_WINDOWS;
      for (gsize w = 0; w < n_windows; w++)
        {
          /* Windows spread from the start to the end of the song; a short
           * song is padded with its quietest frame value. */
          gsize start = n_frames <= window ? 0 : (n_frames - window) * w / MAX (n_windows - 1, 1);
          gsize copy = MIN (window, n_frames - start);
          float floor_db = G_MAXFLOAT;

          memcpy (input, (float *) frames->data + start * n_mels, copy * n_mels * sizeof (float));
          if (copy < window)
            {
              for (gsize i = 0; i < copy * n_mels; i++)
                floor_db = MIN (floor_db, input[i]);
              for (gsize i = copy * n_mels; i < window * n_mels; i++)
                input[i] = floor_db;
            }

          cochlea_nn_context_forward (context, input);
          for (guint l = 0; l < index->n_layers; l++)
            {
              CochleaActivationMap map;
              ChannelLayer *layer = &index->layers[l];

              cochlea_nn_context_get_layer (context, (int) l, &map);
              for (int c = 0; c < map.n_channels; c++)
                {
                  double sum = 0;
                  float *slot = &layer->values[(gsize) c * job->n_tracks + t];

                  for (int s = 0; s < map.n_times; s++)
                    sum += map.data[(gsize) c * map.n_times + s];
                  sum /= MAX (map.n_times, 1);
                  *slot = (w == 0 ? 0 : *slot) + (float) (sum / n_windows);
                }
            }
        }

      if (job->done != NULL)
        g_atomic_int_inc (job->done);
    }

  g_task_return_pointer (task, index, (GDestroyNotify) cochlea_channel_index_unref);
}

void
cochlea_channel_index_build_async (CochleaModel        *model,
                                   const char * const  *paths,
                                   const char * const  *titles,
                                   guint                n_tracks,
                                   guint               *done,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ChannelJob *job;

  g_return_if_fail (model != NULL);
  g_return_if_fail (n_tracks == 0 || (paths != NULL && titles != NULL));

  job = g_new0 (ChannelJob, 1);
  job->model = cochlea_model_ref (model);
  job->n_tracks = n_tracks;
  job->paths = g_new0 (char *, n_tracks + 1);
  job->titles = g_new0 (char *, n_tracks + 1);
  for (guint i = 0; i < n_tracks; i++)
    {
      job->paths[i] = g_strdup (paths[i]);
      job->titles[i] = g_strdup (titles[i]);
    }
  job->done = done != NULL ? g_atomic_rc_box_acquire (done) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cochlea_channel_index_build_async);
  g_task_set_name (task, "[cochlea] channel index");
  g_task_set_task_data (task, job, channel_job_free);
  g_task_run_in_thread (task, channel_worker);
}

/**
 * cochlea_channel_index_build_finish:
 *
 * Returns: (transfer full): the index
 */
CochleaChannelIndex *
cochlea_channel_index_build_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
