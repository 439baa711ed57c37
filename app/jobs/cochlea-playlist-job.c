/* cochlea-playlist-job.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-jobs"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cochlea-playlist-job.h"

typedef struct
{
  char                   *catalogue_path;
  CochleaPlaylistRequest  request;   /* strings below are owned copies */
} PlaylistJob;

static void
playlist_job_free (gpointer data)
{
  PlaylistJob *job = data;

  g_free (job->catalogue_path);
  g_free ((char *) job->request.name);
  g_free ((char *) job->request.new_name);
  g_free ((char *) job->request.track_path);
  g_free ((char *) job->request.export_path);
  g_free (job);
}

void
cochlea_playlist_result_free (CochleaPlaylistResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->names, g_ptr_array_unref);
  g_clear_pointer (&result->tracks, g_ptr_array_unref);
  g_free (result->shown);
  g_free (result);
}

static GPtrArray *
playlist_tracks (CochleaCatalogue *catalogue,
                 gint64            playlist_id,
                 GError          **error)
{
  g_autoptr(GArray) ids = cochlea_catalogue_playlist_tracks (catalogue, playlist_id, error);
  g_autoptr(GPtrArray) tracks = NULL;

  if (ids == NULL)
    return NULL;

  tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) cochlea_track_free);
  for (guint i = 0; i < ids->len; i++)
    {
      CochleaTrack *track = cochlea_catalogue_get_track (catalogue, g_array_index (ids, gint64, i), error);

      if (track == NULL)
        return NULL;
      g_ptr_array_add (tracks, track);
    }
  return g_steal_pointer (&tracks);
}

static gboolean
export_playlist (const char  *name,
                 GPtrArray   *tracks,
                 const char  *file,
                 GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cochlea_playlist_entry_free);
  CochleaPlaylistFormat format;

  if (!cochlea_playlist_format_for_file (file, &format, error))
    return FALSE;

  for (guint i = 0; i < tracks->len; i++)
    {
      const CochleaTrack *track = g_ptr_array_index (tracks, i);

      g_ptr_array_add (entries, cochlea_playlist_entry_new (track->path, track->title, track->artist,
                                                            track->album, track->duration_s));
    }
  return cochlea_playlist_write (file, format, name, entries, error);
}

/* The change the request asks for; sets *shown to the playlist to show. */
static gboolean
apply (CochleaCatalogue             *catalogue,
       const CochleaPlaylistRequest *req,
       char                        **shown,
       gboolean                     *recorded,
       GError                      **error)
{
  g_autoptr(CochleaTrack) track = NULL;
  g_autoptr(GPtrArray) tracks = NULL;
  gint64 id;

  *shown = g_strdup (req->name);

  switch (req->op)
    {
    case COCHLEA_PLAYLIST_OP_LIST:
      return TRUE;

    case COCHLEA_PLAYLIST_OP_CREATE:
      {
        g_autofree char *name = g_strstrip (g_strdup (req->name));
        g_autoptr(GError) local_error = NULL;

        if (*name == '\0')
          {
            g_set_error_literal (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INVALID,
                                 _("A playlist needs a name"));
            return FALSE;
          }
        if (cochlea_catalogue_find_playlist (catalogue, name, &local_error) >= 0)
          {
            g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INVALID,
                         _("A playlist named “%s” already exists"), name);
            return FALSE;
          }
        g_free (*shown);
        *shown = g_strdup (name);
        return cochlea_catalogue_ensure_playlist (catalogue, name, error) >= 0;
      }

    case COCHLEA_PLAYLIST_OP_RENAME:
      if ((id = cochlea_catalogue_find_playlist (catalogue, req->name, error)) < 0)
        return FALSE;
      if (!cochlea_catalogue_rename_playlist (catalogue, id, req->new_name, error))
        return FALSE;
      g_free (*shown);
      *shown = g_strstrip (g_strdup (req->new_name));
      return TRUE;

    case COCHLEA_PLAYLIST_OP_DELETE:
      if ((id = cochlea_catalogue_find_playlist (catalogue, req->name, error)) < 0)
        return FALSE;
      g_clear_pointer (shown, g_free);
      return cochlea_catalogue_delete_playlist (catalogue, id, error);

    case COCHLEA_PLAYLIST_OP_ADD:
      if ((id = cochlea_catalogue_find_playlist (catalogue, req->name, error)) < 0)
        return FALSE;
      track = cochlea_catalogue_find_track (catalogue, req->track_path, error);
      if (track == NULL)
        {
          if (error == NULL || *error == NULL)
            {
              g_autofree char *display = g_filename_display_name (req->track_path);

              g_set_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND,
                           _("“%s” is not in the library: import its folder first"), display);
            }
          return FALSE;
        }
      if (!cochlea_catalogue_begin (catalogue, error))
        return FALSE;
      if (!cochlea_catalogue_playlist_append (catalogue, id, &track->id, 1, error))
        {
          cochlea_catalogue_rollback (catalogue);
          return FALSE;
        }
      if (req->record && !cochlea_catalogue_get_private_mode (catalogue))
        {
          CochleaEvent event = { track->id, COCHLEA_EVENT_PLAYLIST_ADD, g_get_real_time (), NAN };

          if (!cochlea_catalogue_add_event (catalogue, &event, error))
            {
              cochlea_catalogue_rollback (catalogue);
              return FALSE;
            }
          *recorded = TRUE;
        }
      return cochlea_catalogue_commit (catalogue, error);

    case COCHLEA_PLAYLIST_OP_REMOVE:
      if ((id = cochlea_catalogue_find_playlist (catalogue, req->name, error)) < 0)
        return FALSE;
      return cochlea_catalogue_playlist_remove (catalogue, id, req->index, error);

    case COCHLEA_PLAYLIST_OP_EXPORT:
      if ((id = cochlea_catalogue_find_playlist (catalogue, req->name, error)) < 0)
        return FALSE;
      if (!(tracks = playlist_tracks (catalogue, id, error)))
        return FALSE;
      return export_playlist (req->name, tracks, req->export_path, error);

    default:
      g_assert_not_reached ();
    }
}

static void
playlist_worker (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PlaylistJob *job = task_data;
  g_autoptr(CochleaPlaylistResult) result = g_new0 (CochleaPlaylistResult, 1);
  g_autoptr(CochleaCatalogue) catalogue = NULL;
  GError *error = NULL;

  result->tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) cochlea_track_free);

  /* Nothing to list before the first import. */
  if (job->request.op == COCHLEA_PLAYLIST_OP_LIST && !g_file_test (job->catalogue_path, G_FILE_TEST_EXISTS))
    {
      result->names = g_ptr_array_new_with_free_func (g_free);
      g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) cochlea_playlist_result_free);
      return;
    }

  catalogue = cochlea_catalogue_open (job->catalogue_path, COCHLEA_CATALOGUE_OPEN_DEFAULT, &error);
  if (catalogue == NULL ||
      !apply (catalogue, &job->request, &result->shown, &result->recorded, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!(result->names = cochlea_catalogue_list_playlists (catalogue, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  if (result->shown != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 id = cochlea_catalogue_find_playlist (catalogue, result->shown, &local_error);

      if (id < 0)
        g_clear_pointer (&result->shown, g_free);  /* gone meanwhile: show none */
      else
        {
          g_clear_pointer (&result->tracks, g_ptr_array_unref);
          if (!(result->tracks = playlist_tracks (catalogue, id, &error)))
            {
              g_task_return_error (task, error);
              return;
            }
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) cochlea_playlist_result_free);
}

void
cochlea_playlist_job_run_async (const char                   *catalogue_path,
                                const CochleaPlaylistRequest *request,
                                GCancellable                 *cancellable,
                                GAsyncReadyCallback           callback,
                                gpointer                      user_data)
{
  g_autoptr(GTask) task = NULL;
  PlaylistJob *job;

  g_return_if_fail (catalogue_path != NULL);
  g_return_if_fail (request != NULL);
  g_return_if_fail (request->op == COCHLEA_PLAYLIST_OP_LIST || request->name != NULL);

  job = g_new0 (PlaylistJob, 1);
  job->catalogue_path = g_strdup (catalogue_path);
  job->request = *request;
  job->request.name = g_strdup (request->name);
  job->request.new_name = g_strdup (request->new_name);
  job->request.track_path = g_strdup (request->track_path);
  job->request.export_path = g_strdup (request->export_path);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cochlea_playlist_job_run_async);
  g_task_set_name (task, "[cochlea] playlists");
  g_task_set_task_data (task, job, playlist_job_free);
  g_task_run_in_thread (task, playlist_worker);
}

/**
 * cochlea_playlist_job_finish:
 *
 * Returns: (transfer full): the playlists after the change
 */
CochleaPlaylistResult *
cochlea_playlist_job_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
