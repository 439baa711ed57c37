/* cochlea-demo-job.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The songs are the [cnn] training generator's (fluidsynth + a General MIDI
 * SoundFont, espeak-ng voices), written as WAV files with their labels;
 * the same seed always gives the same library.  Then each WAV file gets a
 * title, an artist and an album from its labels (cochlea-demo-names.c).
 */
#define G_LOG_DOMAIN "cochlea-jobs"

#include "config.h"

#include "cochlea-demo-job.h"
#include "cochlea-demo-names.h"
#include "cochlea-engine.h"

#define DEMO_SEED 2026

typedef struct
{
  char  *dir;
  guint  n_songs;
  double seconds;
  guint *n_done;   /* (nullable) g_atomic_rc_box, shared with the caller */
} DemoJob;

static void
demo_job_free (gpointer data)
{
  DemoJob *job = data;

  g_free (job->dir);
  if (job->n_done != NULL)
    g_atomic_rc_box_release (job->n_done);
  g_free (job);
}

static void
demo_progress_cb (guint    index,
                  gboolean skipped,
                  guint    n_done,
                  guint    n_songs,
                  gpointer user_data)
{
  DemoJob *job = user_data;

  if (job->n_done != NULL)
    g_atomic_int_set (job->n_done, n_done);
}

static void
demo_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DemoJob *job = task_data;
  CochleaCorpusOptions options = { 0 };
  GError *error = NULL;

  options.dir = job->dir;
  options.n_songs = job->n_songs;
  options.seed = DEMO_SEED;
  options.duration = job->seconds;
  options.n_jobs = 0;

  if (!cochlea_corpus_generate (&options, demo_progress_cb, job, cancellable, &error) ||
      !cochlea_demo_names_write (job->dir, job->n_songs, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cochlea_demo_generate_async:
 * @n_done: (nullable): a g_atomic_rc_box_new0 (guint) the job keeps a
 *   reference to and sets atomically as songs are finished
 */
void
cochlea_demo_generate_async (const char          *dir,
                             guint                n_songs,
                             double               seconds,
                             guint               *n_done,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DemoJob *job;

  g_return_if_fail (dir != NULL);
  g_return_if_fail (n_songs > 0);

  job = g_new0 (DemoJob, 1);
  job->dir = g_strdup (dir);
  job->n_songs = n_songs;
  job->seconds = seconds;
  job->n_done = n_done != NULL ? g_atomic_rc_box_acquire (n_done) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cochlea_demo_generate_async);
  g_task_set_name (task, "[cochlea] demo library");
  g_task_set_task_data (task, job, demo_job_free);
  g_task_run_in_thread (task, demo_worker);
}

gboolean
cochlea_demo_generate_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
