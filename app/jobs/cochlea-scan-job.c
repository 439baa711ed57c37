/* cochlea-scan-job.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-jobs"

#include "config.h"

#include <glib/gi18n.h>

#include "cochlea-scan-job.h"

#define MAX_DEPTH 16

/**
 * cochlea_is_audio_file_name:
 *
 * Guesses from the name alone (no I/O), so a folder of thousands of files
 * scans quickly; the decoder is the judge of what really plays.
 */
gboolean
cochlea_is_audio_file_name (const char *name)
{
  g_autofree char *content_type = NULL;
  gboolean uncertain = FALSE;

  g_return_val_if_fail (name != NULL, FALSE);

  content_type = g_content_type_guess (name, NULL, 0, &uncertain);
  if (uncertain || content_type == NULL)
    return FALSE;

  return g_content_type_is_a (content_type, "audio/*") &&
         !g_content_type_is_a (content_type, "audio/x-mpegurl") &&
         !g_content_type_is_a (content_type, "audio/x-scpls");
}

static gboolean
scan_folder (GFile         *folder,
             guint          depth,
             GPtrArray     *found,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;

  enumerator = g_file_enumerate_children (folder,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                          G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                          cancellable, error);
  if (enumerator == NULL)
    return FALSE;

  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;

      if (!g_file_enumerator_iterate (enumerator, &info, &child, cancellable, error))
        return FALSE;
      if (info == NULL)
        break;
      if (g_file_info_get_is_hidden (info))
        continue;

      switch (g_file_info_get_file_type (info))
        {
        case G_FILE_TYPE_DIRECTORY:
          /* Unreadable subfolders are skipped, not fatal. */
          if (depth < MAX_DEPTH &&
              !scan_folder (child, depth + 1, found, cancellable, NULL) &&
              g_cancellable_is_cancelled (cancellable))
            return !g_cancellable_set_error_if_cancelled (cancellable, error);
          break;

        case G_FILE_TYPE_REGULAR:
          if (cochlea_is_audio_file_name (g_file_info_get_name (info)))
            g_ptr_array_add (found, g_object_ref (child));
          break;

        case G_FILE_TYPE_UNKNOWN:
        case G_FILE_TYPE_SYMBOLIC_LINK:
        case G_FILE_TYPE_SPECIAL:
        case G_FILE_TYPE_SHORTCUT:
        case G_FILE_TYPE_MOUNTABLE:
        default:
          break;
        }
    }

  return TRUE;
}

static int
compare_files (gconstpointer a,
               gconstpointer b)
{
  g_autofree char *pa = g_file_get_path (*(GFile * const *) a);
  g_autofree char *pb = g_file_get_path (*(GFile * const *) b);

  return g_strcmp0 (pa, pb);
}

static void
scan_worker (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *folder = task_data;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;

  if (!scan_folder (folder, 0, found, cancellable, &error))
    {
      g_autofree char *name = g_file_get_parse_name (folder);

      g_prefix_error (&error, _("Could not read folder “%s”: "), name);
      g_task_return_error (task, error);
      return;
    }

  g_ptr_array_sort (found, compare_files);
  g_task_return_pointer (task, g_steal_pointer (&found), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * cochlea_scan_job_run_async:
 *
 * Recursively collects the audio files under @folder (hidden files and
 * folders skipped, symlinks not followed), sorted by path.
 */
void
cochlea_scan_job_run_async (GFile               *folder,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (folder));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cochlea_scan_job_run_async);
  g_task_set_name (task, "[cochlea] folder scan");
  g_task_set_task_data (task, g_file_dup (folder), g_object_unref);
  g_task_run_in_thread (task, scan_worker);
}

/**
 * cochlea_scan_job_finish:
 *
 * Returns: (transfer full) (element-type GFile): the audio files found
 */
GPtrArray *
cochlea_scan_job_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
