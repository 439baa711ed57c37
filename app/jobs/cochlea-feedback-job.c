/* cochlea-feedback-job.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-jobs"

#include "config.h"

#include "cochlea-feedback-job.h"

typedef struct
{
  char             *catalogue_path;
  char             *track_path;
  CochleaEventKind  kind;
  double            position_s;
} FeedbackJob;

static void
feedback_job_free (gpointer data)
{
  FeedbackJob *job = data;

  g_free (job->catalogue_path);
  g_free (job->track_path);
  g_free (job);
}

static void
feedback_worker (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  FeedbackJob *job = task_data;
  g_autoptr(CochleaCatalogue) catalogue = NULL;
  g_autoptr(CochleaTrack) track = NULL;
  CochleaEvent event = { 0 };
  GError *error = NULL;

  if (!g_file_test (job->catalogue_path, G_FILE_TEST_EXISTS))
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  catalogue = cochlea_catalogue_open (job->catalogue_path, COCHLEA_CATALOGUE_OPEN_DEFAULT, &error);
  if (catalogue == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  track = cochlea_catalogue_find_track (catalogue, job->track_path, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (track == NULL || cochlea_catalogue_get_private_mode (catalogue))
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  event.track_id = track->id;
  event.kind = job->kind;
  event.at_us = g_get_real_time ();
  event.position_s = job->position_s;
  if (!cochlea_catalogue_add_event (catalogue, &event, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cochlea_feedback_record_async (const char          *catalogue_path,
                               const char          *track_path,
                               CochleaEventKind     kind,
                               double               position_s,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FeedbackJob *job;

  g_return_if_fail (catalogue_path != NULL);
  g_return_if_fail (track_path != NULL);

  job = g_new0 (FeedbackJob, 1);
  job->catalogue_path = g_strdup (catalogue_path);
  job->track_path = g_strdup (track_path);
  job->kind = kind;
  job->position_s = position_s;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cochlea_feedback_record_async);
  g_task_set_name (task, "[cochlea] feedback");
  g_task_set_task_data (task, job, feedback_job_free);
  g_task_run_in_thread (task, feedback_worker);
}

gboolean
cochlea_feedback_record_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
