/* cochlea-library-job.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-jobs"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "cochlea-library-job.h"
#include "cochlea-track-object.h"

struct _CochleaImportProgress
{
  gatomicrefcount    ref_count;
  GMutex             mutex;
  CochleaImportStats stats;
  gint64             start_us;
};

CochleaImportProgress *
cochlea_import_progress_new (void)
{
  CochleaImportProgress *self = g_new0 (CochleaImportProgress, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->mutex);
  self->stats.walking = TRUE;
  self->start_us = g_get_monotonic_time ();
  return self;
}

CochleaImportProgress *
cochlea_import_progress_ref (CochleaImportProgress *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cochlea_import_progress_unref (CochleaImportProgress *self)
{
  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_mutex_clear (&self->mutex);
      g_free (self);
    }
}

void
cochlea_import_progress_get (CochleaImportProgress *self,
                             CochleaImportStats    *stats,
                             double                *elapsed_s)
{
  g_mutex_lock (&self->mutex);
  *stats = self->stats;
  *elapsed_s = (g_get_monotonic_time () - self->start_us) / (double) G_USEC_PER_SEC;
  g_mutex_unlock (&self->mutex);
}

static void
import_progress_cb (const CochleaImportStats *stats,
                    gpointer                  user_data)
{
  CochleaImportProgress *self = user_data;

  g_mutex_lock (&self->mutex);
  self->stats = *stats;
  g_mutex_unlock (&self->mutex);
}

/* Loading */

static void
load_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(CochleaCatalogue) catalogue = NULL;
  g_autoptr(GPtrArray) tracks = NULL;
  g_autoptr(GHashTable) columns = NULL;
  GPtrArray *objects;
  GError *error = NULL;

  /* No catalogue yet is an empty library, not an error. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func (g_object_unref),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  catalogue = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_READ_ONLY, &error);
  if (catalogue == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  tracks = cochlea_catalogue_list_under (catalogue, "/", &error);
  if (tracks == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Tempo, key and energy for the columns, in one query. */
  columns = cochlea_catalogue_read_track_columns (catalogue, &error);
  if (columns == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The list objects, with their search text and sort keys, are made here
   * rather than on the main thread (10 000 rows: 113 M instructions). */
  objects = g_ptr_array_new_full (tracks->len, g_object_unref);
  for (guint i = 0; i < tracks->len; i++)
    {
      const CochleaTrack *track = g_ptr_array_index (tracks, i);
      CochleaTrackColumns c;

      if (track->status != COCHLEA_TRACK_OK)
        continue;
      cochlea_track_columns_lookup (columns, track->id, &c);
      g_ptr_array_add (objects, cochlea_track_object_new_with_columns (track, &c));
    }
  g_task_return_pointer (task, objects, (GDestroyNotify) g_ptr_array_unref);
}

void
cochlea_library_load_async (const char          *catalogue_path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (catalogue_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cochlea_library_load_async);
  g_task_set_name (task, "[cochlea] library load");
  g_task_set_task_data (task, g_strdup (catalogue_path), g_free);
  g_task_run_in_thread (task, load_worker);
}

/**
 * cochlea_library_load_finish:
 *
 * Returns: (transfer full) (element-type CochleaTrackObject): every
 *   playable track, as list objects made off the main thread
 */
GPtrArray *
cochlea_library_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Importing */

typedef struct
{
  char                  *catalogue_path;
  char                  *root;
  CochleaImportProgress *progress;
} ImportJob;

static void
import_job_free (gpointer data)
{
  ImportJob *job = data;

  g_free (job->catalogue_path);
  g_free (job->root);
  cochlea_import_progress_unref (job->progress);
  g_free (job);
}

static void
import_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(CochleaCatalogue) catalogue = NULL;
  g_autofree char *dir = g_path_get_dirname (job->catalogue_path);
  const char *roots[] = { job->root, NULL };
  CochleaImportOptions options = { 0 };
  CochleaImportStats *stats = g_new0 (CochleaImportStats, 1);
  GError *error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_free (stats);
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create the folder “%s”: %s"),
                               dir, g_strerror (saved_errno));
      return;
    }

  catalogue = cochlea_catalogue_open (job->catalogue_path, COCHLEA_CATALOGUE_OPEN_DEFAULT, &error);
  if (catalogue == NULL || !cochlea_catalogue_lock_for_import (catalogue, FALSE, &error))
    {
      g_free (stats);
      g_task_return_error (task, error);
      return;
    }

  options.progress = import_progress_cb;
  options.user_data = job->progress;
  if (!cochlea_import_run (catalogue, roots, &options, stats, cancellable, &error))
    {
      g_free (stats);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, stats, g_free);
}

void
cochlea_library_import_async (const char            *catalogue_path,
                              GFile                 *folder,
                              CochleaImportProgress *progress,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job;

  g_return_if_fail (catalogue_path != NULL);
  g_return_if_fail (G_IS_FILE (folder));
  g_return_if_fail (progress != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cochlea_library_import_async);
  g_task_set_name (task, "[cochlea] import");

  job = g_new0 (ImportJob, 1);
  job->catalogue_path = g_strdup (catalogue_path);
  job->root = g_file_get_path (folder);
  job->progress = cochlea_import_progress_ref (progress);
  g_task_set_task_data (task, job, import_job_free);

  if (job->root == NULL)
    {
      g_autofree char *uri = g_file_get_uri (folder);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Cannot import “%s”: only local folders are supported"), uri);
      return;
    }

  g_task_run_in_thread (task, import_worker);
}

gboolean
cochlea_library_import_finish (GAsyncResult        *result,
                               CochleaImportStats  *stats,
                               GError             **error)
{
  g_autofree CochleaImportStats *s = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  s = g_task_propagate_pointer (G_TASK (result), error);
  if (s == NULL)
    return FALSE;
  if (stats != NULL)
    *stats = *s;
  return TRUE;
}
