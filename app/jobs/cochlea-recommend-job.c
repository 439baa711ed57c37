/* cochlea-recommend-job.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Takes the loaded index from the window's cache (which loads it, in this
 * worker, only when there is none yet or the library changed), ranks it
 * against the query's features with the engine's default parameters,
 * opens its own read-only connection for the results' titles, and returns
 * plain structs the window shows.
 */
#define G_LOG_DOMAIN "cochlea-jobs"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cochlea-recommend-job.h"

typedef struct
{
  CochleaIndexCache *cache;   /* owned reference */
  char            *query_path;
  CochleaFeatures *query;     /* owned: handed over by the caller */
  char            *artist;
  double           targets[COCHLEA_N_ATTRIBUTES];  /* NAN: the query's own value */
  guint            k;
} RecommendJob;

static void
recommend_job_free (gpointer data)
{
  RecommendJob *job = data;

  g_clear_pointer (&job->cache, cochlea_index_cache_unref);
  g_free (job->query_path);
  g_clear_pointer (&job->query, cochlea_features_free);
  g_free (job->artist);
  g_free (job);
}

static void
similar_song_free (gpointer data)
{
  CochleaSimilarSong *song = data;

  g_free (song->path);
  g_free (song->title);
  g_free (song->artist);
  g_free (song);
}

static void
recommend_worker (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  RecommendJob *job = task_data;
  g_autoptr(CochleaCatalogue) catalogue = NULL;
  g_autoptr(CochleaSharedIndex) shared = NULL;
  const char *catalogue_path = cochlea_index_cache_get_catalogue_path (job->cache);
  CochleaIndex *index;
  g_autoptr(CochleaTrack) self_track = NULL;
  g_autoptr(GArray) recs = NULL;
  g_autofree double *attrs = NULL;   /* (recs->len, COCHLEA_N_ATTRIBUTES) */
  g_autoptr(GPtrArray) songs = g_ptr_array_new_with_free_func (similar_song_free);
  CochleaRecommendParams params;
  GError *error = NULL;

  if (!g_file_test (catalogue_path, G_FILE_TEST_EXISTS))
    {
      g_task_return_pointer (task, g_steal_pointer (&songs), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  if ((shared = cochlea_index_cache_acquire (job->cache, cancellable, &error)) == NULL ||
      (catalogue = cochlea_catalogue_open (catalogue_path, COCHLEA_CATALOGUE_OPEN_READ_ONLY, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  self_track = cochlea_catalogue_find_track (catalogue, job->query_path, NULL);

  /* The index is shared: queries take turns (cochlea-index-cache.c says
   * why).  A request superseded while it waited is not ranked at all. */
  index = cochlea_shared_index_lock (shared);
  if (g_task_return_error_if_cancelled (task))
    {
      cochlea_shared_index_unlock (shared);
      return;
    }

  if (cochlea_index_get_size (index) == 0 || job->query->vector == NULL ||
      job->query->dim != cochlea_index_get_dim (index))
    {
      /* An empty library, or one analysed with another content model. */
      cochlea_shared_index_unlock (shared);
      g_task_return_pointer (task, g_steal_pointer (&songs), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  cochlea_recommend_params_init (&params);
  params.k = job->k;
  for (guint a = 0; a < COCHLEA_N_ATTRIBUTES; a++)
    if (!isnan (job->targets[a]))
      params.targets[a] = job->targets[a];
  recs = cochlea_index_recommend (index, job->query, self_track ? self_track->id : -1,
                                  job->artist, NULL, &params);
  if (recs != NULL)
    {
      attrs = g_new (double, (gsize) recs->len * COCHLEA_N_ATTRIBUTES);
      for (guint i = 0; i < recs->len; i++)
        cochlea_index_get_attrs (index, g_array_index (recs, CochleaRecommendation, i).row,
                                 attrs + (gsize) i * COCHLEA_N_ATTRIBUTES);
    }
  cochlea_shared_index_unlock (shared);

  for (guint i = 0; recs != NULL && i < recs->len; i++)
    {
      const CochleaRecommendation *rec = &g_array_index (recs, CochleaRecommendation, i);
      g_autoptr(CochleaTrack) track = cochlea_catalogue_get_track (catalogue, rec->id, NULL);
      CochleaSimilarSong *song;

      if (track == NULL)
        continue;

      song = g_new0 (CochleaSimilarSong, 1);
      song->id = rec->id;
      song->path = g_strdup (track->path);
      if (track->title != NULL && *track->title != '\0')
        song->title = g_strdup (track->title);
      else
        song->title = g_filename_display_basename (track->path);
      song->artist = g_strdup (track->artist);
      song->score = rec->score;
      song->content = rec->content;
      song->attribute_match = rec->attributes;
      memcpy (song->attrs, attrs + (gsize) i * COCHLEA_N_ATTRIBUTES, sizeof song->attrs);
      g_ptr_array_add (songs, song);
    }

  g_task_return_pointer (task, g_steal_pointer (&songs), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * cochlea_recommend_job_run_async:
 * @cache: the index of the library (loaded by the job when needed)
 * @query: (transfer full): the playing song's features
 * @targets: (nullable) (array fixed-size=COCHLEA_N_ATTRIBUTES): attribute
 *   values to steer towards, NAN where the query's own value counts
 */
void
cochlea_recommend_job_run_async (CochleaIndexCache   *cache,
                                 const char          *query_path,
                                 CochleaFeatures     *query,
                                 const char          *artist,
                                 const double        *targets,
                                 guint                k,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RecommendJob *job;

  g_return_if_fail (cache != NULL);
  g_return_if_fail (query_path != NULL);
  g_return_if_fail (query != NULL);

  job = g_new0 (RecommendJob, 1);
  job->cache = cochlea_index_cache_ref (cache);
  job->query_path = g_strdup (query_path);
  job->query = query;
  job->artist = g_strdup (artist);
  for (guint a = 0; a < COCHLEA_N_ATTRIBUTES; a++)
    job->targets[a] = targets != NULL ? targets[a] : NAN;
  job->k = MAX (k, 1);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cochlea_recommend_job_run_async);
  g_task_set_name (task, "[cochlea] recommend");
  g_task_set_task_data (task, job, recommend_job_free);
  g_task_run_in_thread (task, recommend_worker);
}

/**
 * cochlea_recommend_job_finish:
 *
 * Returns: (transfer full) (element-type CochleaSimilarSong): best first
 */
GPtrArray *
cochlea_recommend_job_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
