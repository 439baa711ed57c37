/* cochlea-analysis-job.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worker sees only its own copy of the inputs (a path and flags); the
 * result leaves through g_task_return_pointer.
 */
#define G_LOG_DOMAIN "cochlea-jobs"

#include "config.h"

#include <glib/gi18n.h>

#include "cochlea-analysis-job.h"

typedef struct
{
  char                *path;
  CochleaAnalyzeFlags  flags;
} AnalysisJob;

static void
analysis_job_free (gpointer data)
{
  AnalysisJob *job = data;

  g_free (job->path);
  g_free (job);
}

static void
analysis_worker (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AnalysisJob *job = task_data;
  g_autoptr(CochleaAnalysis) analysis = NULL;
  GError *error = NULL;

  analysis = cochlea_analyze_file (job->path, job->flags, NULL, NULL, cancellable, &error);
  if (analysis == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&analysis),
                           (GDestroyNotify) cochlea_analysis_free);
}

/**
 * cochlea_analysis_job_run_async:
 * @file: a local file
 *
 * Runs cochlea_analyze_file() in a worker thread.  Files without a local
 * path fail with %G_IO_ERROR_NOT_SUPPORTED.
 */
void
cochlea_analysis_job_run_async (GFile               *file,
                                CochleaAnalyzeFlags  flags,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AnalysisJob *job;
  char *path;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cochlea_analysis_job_run_async);
  g_task_set_name (task, "[cochlea] analysis");

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Cannot analyse “%s”: only local files are supported"),
                               uri);
      return;
    }

  job = g_new0 (AnalysisJob, 1);
  job->path = path;
  job->flags = flags;
  g_task_set_task_data (task, job, analysis_job_free);
  g_task_run_in_thread (task, analysis_worker);
}

CochleaAnalysis *
cochlea_analysis_job_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
