/* cochlea-window-playlists.c — the playlists sidebar: list, create,
 * rename, delete, add the playing or the selected library song, play
 * from a playlist, export to M3U8/XSPF.  Every change runs off the main
 * thread (jobs/cochlea-playlist-job.c) and answers with the fresh state.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cochlea-track-object.h"
#include "cochlea-window-private.h"
#include "jobs/cochlea-playlist-job.h"

static void request (CochleaWindow                *self,
                     const CochleaPlaylistRequest *req);

static const char *
track_title (const CochleaTrack *track,
             char              **owned)
{
  if (track->title != NULL && *track->title != '\0')
    return track->title;
  *owned = g_filename_display_basename (track->path);
  return *owned;
}

static GtkWidget *
make_track_row (const CochleaTrack *track)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *owned = NULL;
  g_autofree char *title = g_markup_escape_text (track_title (track, &owned), -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (track->artist != NULL && *track->artist != '\0')
    {
      g_autofree char *artist = g_markup_escape_text (track->artist, -1);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), artist);
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static GtkWidget *
make_playlist_row (const char *name)
{
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data_full (G_OBJECT (row), "cochlea-playlist", g_strdup (name), g_free);
  return row;
}

static void
remove_all (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    {
      if (GTK_IS_LIST_BOX_ROW (child))
        gtk_list_box_remove (list, child);
      else
        break;  /* the placeholder is not a row */
    }
}

static CochleaTrackObject *
selected_library_track (CochleaWindow *self)
{
  GtkSelectionModel *model = gtk_column_view_get_model (self->library_view);

  if (!GTK_IS_SINGLE_SELECTION (model))
    return NULL;
  return gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (model));
}

void
_cochlea_window_playlists_update_actions (CochleaWindow *self)
{
  gboolean shown = self->playlist_shown != NULL;
  gboolean has_tracks = shown && self->playlist_entries != NULL && self->playlist_entries->len > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.rename-playlist", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-playlist", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-playlist", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play-playlist", has_tracks);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.playlist-remove",
                                 has_tracks && gtk_list_box_get_selected_row (self->playlist_tracks) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.playlist-add-current", shown && self->file != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.playlist-add-selected",
                                 shown && selected_library_track (self) != NULL);

  /* An insensitive button says what it is waiting for. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_current_button),
                               !shown ? _("Choose or create a playlist first")
                               : self->file == NULL ? _("Open a song first")
                               : NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_selected_button),
                               !shown ? _("Choose or create a playlist first")
                               : selected_library_track (self) == NULL ? _("Select a song in the Library first")
                               : NULL);
}

static void
show_result (CochleaWindow         *self,
             CochleaPlaylistResult *result)
{
  GtkListBoxRow *to_select = NULL;

  self->playlists_updating = TRUE;

  remove_all (self->playlists_list);
  for (guint i = 0; i < result->names->len; i++)
    {
      const char *name = g_ptr_array_index (result->names, i);
      GtkWidget *row = make_playlist_row (name);

      gtk_list_box_append (self->playlists_list, row);
      if (g_strcmp0 (name, result->shown) == 0)
        to_select = GTK_LIST_BOX_ROW (row);
    }
  gtk_list_box_select_row (self->playlists_list, to_select);

  g_clear_pointer (&self->playlist_names, g_ptr_array_unref);
  self->playlist_names = g_ptr_array_ref (result->names);
  g_free (self->playlist_shown);
  self->playlist_shown = g_strdup (result->shown);
  g_clear_pointer (&self->playlist_entries, g_ptr_array_unref);
  self->playlist_entries = g_ptr_array_ref (result->tracks);

  remove_all (self->playlist_tracks);
  for (guint i = 0; i < result->tracks->len; i++)
    gtk_list_box_append (self->playlist_tracks, make_track_row (g_ptr_array_index (result->tracks, i)));

  gtk_label_set_label (self->playlist_title, result->shown != NULL ? result->shown : "");
  gtk_label_set_label (self->playlist_placeholder,
                       result->shown == NULL
                       ? (result->names->len > 0 ? _("Select a playlist") : _("Create a playlist with the + button"))
                       : _("Empty: add the playing song or one selected in the library"));

  self->playlists_updating = FALSE;
  _cochlea_window_playlists_update_actions (self);
}

typedef struct
{
  CochleaWindow    *window;     /* owned ref */
  CochleaPlaylistOp op;
  char             *name;
  char             *export_name;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_object_unref (data->window);
  g_free (data->name);
  g_free (data->export_name);
  g_free (data);
}

static void
request_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RequestData *data = user_data;
  CochleaWindow *self = data->window;
  g_autoptr(CochleaPlaylistResult) playlists = NULL;
  g_autoptr(GError) error = NULL;

  playlists = cochlea_playlist_job_finish (result, &error);
  self->playlists_pending--;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      request_data_free (data);
      return;
    }

  if (playlists == NULL)
    {
      cochlea_window_add_toast (self, error->message);
      /* Show the state as it is after the failure. */
      if (data->op != COCHLEA_PLAYLIST_OP_LIST)
        {
          CochleaPlaylistRequest list = { COCHLEA_PLAYLIST_OP_LIST, .name = self->playlist_shown };

          request (self, &list);
        }
      request_data_free (data);
      return;
    }

  show_result (self, playlists);

  if (data->op == COCHLEA_PLAYLIST_OP_EXPORT)
    {
      g_autofree char *message = NULL;

      /* Translators: playlist name, file name */
      message = g_strdup_printf (_("Exported “%s” to %s"), data->name, data->export_name);
      cochlea_window_add_toast (self, message);
    }
  else if (data->op == COCHLEA_PLAYLIST_OP_ADD)
    {
      g_autofree char *message = g_strdup_printf (_("Added to “%s”"), data->name);

      cochlea_window_add_toast (self, message);
    }

  request_data_free (data);
}

static void
request (CochleaWindow                *self,
         const CochleaPlaylistRequest *req)
{
  RequestData *data = g_new0 (RequestData, 1);

  data->window = g_object_ref (self);
  data->op = req->op;
  data->name = g_strdup (req->name);
  if (req->export_path != NULL)
    data->export_name = g_filename_display_basename (req->export_path);

  self->playlists_pending++;
  cochlea_playlist_job_run_async (self->catalogue_path, req, self->playlists_cancellable,
                                  request_done_cb, data);
}

/* Test and dialog entry points. */

void
_cochlea_window_playlists_reload (CochleaWindow *self)
{
  CochleaPlaylistRequest req = { COCHLEA_PLAYLIST_OP_LIST, .name = self->playlist_shown };

  request (self, &req);
}

void
_cochlea_window_create_playlist (CochleaWindow *self,
                                 const char    *name)
{
  CochleaPlaylistRequest req = { COCHLEA_PLAYLIST_OP_CREATE, .name = name };

  request (self, &req);
}

void
_cochlea_window_rename_playlist (CochleaWindow *self,
                                 const char    *new_name)
{
  CochleaPlaylistRequest req = { COCHLEA_PLAYLIST_OP_RENAME, .name = self->playlist_shown, .new_name = new_name };

  g_return_if_fail (self->playlist_shown != NULL);
  request (self, &req);
}

void
_cochlea_window_delete_playlist (CochleaWindow *self)
{
  CochleaPlaylistRequest req = { COCHLEA_PLAYLIST_OP_DELETE, .name = self->playlist_shown };

  g_return_if_fail (self->playlist_shown != NULL);
  request (self, &req);
}

void
_cochlea_window_export_playlist (CochleaWindow *self,
                                 GFile         *file)
{
  g_autofree char *path = g_file_get_path (file);
  CochleaPlaylistRequest req = { COCHLEA_PLAYLIST_OP_EXPORT, .name = self->playlist_shown, .export_path = path };

  g_return_if_fail (self->playlist_shown != NULL);
  if (path == NULL)
    {
      cochlea_window_add_toast (self, _("Playlists can only be exported to local files"));
      return;
    }
  request (self, &req);
}

static void
add_path (CochleaWindow *self,
          const char    *path)
{
  CochleaPlaylistRequest req = {
    COCHLEA_PLAYLIST_OP_ADD,
    .name = self->playlist_shown,
    .track_path = path,
    /* Adding is recorded as feedback, except in private mode. */
    .record = !g_settings_get_boolean (self->settings, "private-mode"),
  };

  request (self, &req);
}

/* Actions */

static void
name_changed_cb (GtkEditable      *entry,
                 AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "ok", *name != '\0');
}

static void
name_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  CochleaWindow    *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gboolean rename = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "cochlea-rename"));

  if (!g_str_equal (response, "ok"))
    return;
  if (rename)
    _cochlea_window_rename_playlist (self, gtk_editable_get_text (entry));
  else
    _cochlea_window_create_playlist (self, gtk_editable_get_text (entry));
}

static void
ask_name (CochleaWindow *self,
          gboolean       rename)
{
  GtkWidget *dialog;
  GtkWidget *entry = gtk_entry_new ();

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   rename ? _("Rename Playlist") : _("New Playlist"),
                                   NULL);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "ok", rename ? _("_Rename") : _("C_reate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Playlist name"),
                                  -1);
  if (rename)
    gtk_editable_set_text (GTK_EDITABLE (entry), self->playlist_shown);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  name_changed_cb (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect (entry, "changed", G_CALLBACK (name_changed_cb), dialog);

  g_object_set_data (G_OBJECT (dialog), "cochlea-rename", GINT_TO_POINTER (rename));
  g_signal_connect_object (dialog, "response", G_CALLBACK (name_response_cb), self, 0);
  g_set_weak_pointer (&self->playlist_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
toggle_playlists_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  CochleaWindow *self = COCHLEA_WINDOW (widget);

  adw_flap_set_reveal_flap (self->playlists_flap, !adw_flap_get_reveal_flap (self->playlists_flap));
}

static void
new_playlist_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CochleaWindow *self = COCHLEA_WINDOW (widget);

  adw_flap_set_reveal_flap (self->playlists_flap, TRUE);
  ask_name (self, FALSE);
}

static void
rename_playlist_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  ask_name (COCHLEA_WINDOW (widget), TRUE);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    CochleaWindow    *self)
{
  if (g_str_equal (response, "delete") && self->playlist_shown != NULL)
    _cochlea_window_delete_playlist (self);
}

static void
delete_playlist_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  CochleaWindow *self = COCHLEA_WINDOW (widget);
  g_autofree char *heading = g_strdup_printf (_("Delete “%s”?"), self->playlist_shown);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("The songs stay in the library; only the playlist goes."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  g_set_weak_pointer (&self->playlist_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
has_playlist_extension (const char *name)
{
  g_autofree char *lower = g_utf8_strdown (name, -1);

  return g_str_has_suffix (lower, ".m3u8") || g_str_has_suffix (lower, ".m3u") ||
         g_str_has_suffix (lower, ".xspf");
}

static void
export_response_cb (CochleaWindow        *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT && self->playlist_shown != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *basename = file ? g_file_get_basename (file) : NULL;

      /* No extension typed: the chosen filter's format. */
      if (file != NULL && !has_playlist_extension (basename))
        {
          GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (chooser));
          gboolean xspf = filter != NULL && g_object_get_data (G_OBJECT (filter), "cochlea-xspf") != NULL;
          g_autofree char *name = g_strconcat (basename, xspf ? ".xspf" : ".m3u8", NULL);
          g_autoptr(GFile) parent = g_file_get_parent (file);
          GFile *child = g_file_get_child (parent, name);

          g_object_unref (file);
          file = child;
        }
      if (file != NULL)
        _cochlea_window_export_playlist (self, file);
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  if (self->export_chooser == chooser)
    g_clear_object (&self->export_chooser);
}

static void
export_playlist_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  CochleaWindow *self = COCHLEA_WINDOW (widget);
  g_autoptr(GtkFileFilter) m3u8 = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) xspf = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->export_chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_chooser));
      g_clear_object (&self->export_chooser);
    }

  self->export_chooser = gtk_file_chooser_native_new (_("Export Playlist"), GTK_WINDOW (self),
                                                      GTK_FILE_CHOOSER_ACTION_SAVE,
                                                      _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->export_chooser), TRUE);

  gtk_file_filter_set_name (m3u8, _("M3U8 Playlist"));
  gtk_file_filter_add_pattern (m3u8, "*.m3u8");
  gtk_file_filter_add_pattern (m3u8, "*.m3u");
  gtk_file_filter_set_name (xspf, _("XSPF Playlist"));
  gtk_file_filter_add_pattern (xspf, "*.xspf");
  g_object_set_data (G_OBJECT (xspf), "cochlea-xspf", GINT_TO_POINTER (TRUE));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->export_chooser), m3u8);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->export_chooser), xspf);

  name = g_strconcat (self->playlist_shown, ".m3u8", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_chooser), name);

  g_signal_connect_object (self->export_chooser, "response",
                           G_CALLBACK (export_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_chooser));
}

static void
play_from (CochleaWindow *self,
           guint          index)
{
  g_autoptr(GFile) file = NULL;

  if (self->playlist_entries == NULL || index >= self->playlist_entries->len)
    return;

  g_clear_pointer (&self->queue, g_ptr_array_unref);
  self->queue = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < self->playlist_entries->len; i++)
    g_ptr_array_add (self->queue, g_strdup (((CochleaTrack *) g_ptr_array_index (self->playlist_entries, i))->path));
  self->queue_pos = index;

  file = g_file_new_for_path (g_ptr_array_index (self->queue, index));
  _cochlea_window_open_track (self, file);
}

/**
 * _cochlea_window_play_playlist:
 * @index: the song to start with
 *
 * Plays the shown playlist from @index; the next songs follow at the end
 * of each (until another song is opened).
 */
void
_cochlea_window_play_playlist (CochleaWindow *self,
                               guint          index)
{
  play_from (self, index);
}

static void
play_playlist_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  play_from (COCHLEA_WINDOW (widget), 0);
}

static void
add_current_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CochleaWindow *self = COCHLEA_WINDOW (widget);
  g_autofree char *path = self->file ? g_file_get_path (self->file) : NULL;

  if (path != NULL && self->playlist_shown != NULL)
    add_path (self, path);
}

static void
add_selected_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CochleaWindow *self = COCHLEA_WINDOW (widget);
  CochleaTrackObject *track = selected_library_track (self);

  if (track != NULL && self->playlist_shown != NULL)
    add_path (self, cochlea_track_object_get_path (track));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CochleaWindow *self = COCHLEA_WINDOW (widget);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->playlist_tracks);
  CochleaPlaylistRequest req = { COCHLEA_PLAYLIST_OP_REMOVE, .name = self->playlist_shown };

  if (row == NULL || self->playlist_shown == NULL)
    return;
  req.index = (guint) gtk_list_box_row_get_index (row);
  request (self, &req);
}

/* Callbacks */

static void
playlist_selected_cb (CochleaWindow *self,
                      GtkListBoxRow *row,
                      GtkListBox    *list)
{
  const char *name;
  CochleaPlaylistRequest req = { COCHLEA_PLAYLIST_OP_LIST };

  if (self->playlists_updating || row == NULL)
    return;

  name = g_object_get_data (G_OBJECT (row), "cochlea-playlist");
  if (g_strcmp0 (name, self->playlist_shown) == 0)
    return;
  req.name = name;
  request (self, &req);
}

static void
track_activated_cb (CochleaWindow *self,
                    GtkListBoxRow *row,
                    GtkListBox    *list)
{
  play_from (self, (guint) gtk_list_box_row_get_index (row));
}

static void
track_selected_cb (CochleaWindow *self,
                   GtkListBoxRow *row,
                   GtkListBox    *list)
{
  if (!self->playlists_updating)
    _cochlea_window_playlists_update_actions (self);
}

static void
library_selection_cb (CochleaWindow     *self,
                      GParamSpec        *pspec,
                      GtkSelectionModel *model)
{
  _cochlea_window_playlists_update_actions (self);
}

/* At the end of a song played from a playlist, the next one. */
static void
player_eos_cb (CochleaWindow *self,
               CochleaPlayer *player)
{
  g_autoptr(GFile) expected = NULL;

  if (self->queue == NULL || self->file == NULL || self->queue_pos >= self->queue->len)
    return;

  expected = g_file_new_for_path (g_ptr_array_index (self->queue, self->queue_pos));
  if (!g_file_equal (expected, self->file))
    {
      g_clear_pointer (&self->queue, g_ptr_array_unref);  /* another song was opened */
      return;
    }

  if (self->queue_pos + 1 < self->queue->len)
    {
      g_autoptr(GFile) next = g_file_new_for_path (g_ptr_array_index (self->queue, ++self->queue_pos));

      _cochlea_window_open_track (self, next);
      cochlea_player_play (self->player);
    }
  else
    g_clear_pointer (&self->queue, g_ptr_array_unref);
}

void
_cochlea_window_playlists_class_init (CochleaWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.toggle-playlists", NULL, toggle_playlists_action);
  gtk_widget_class_install_action (widget_class, "win.new-playlist", NULL, new_playlist_action);
  gtk_widget_class_install_action (widget_class, "win.rename-playlist", NULL, rename_playlist_action);
  gtk_widget_class_install_action (widget_class, "win.delete-playlist", NULL, delete_playlist_action);
  gtk_widget_class_install_action (widget_class, "win.export-playlist", NULL, export_playlist_action);
  gtk_widget_class_install_action (widget_class, "win.play-playlist", NULL, play_playlist_action);
  gtk_widget_class_install_action (widget_class, "win.playlist-add-current", NULL, add_current_action);
  gtk_widget_class_install_action (widget_class, "win.playlist-add-selected", NULL, add_selected_action);
  gtk_widget_class_install_action (widget_class, "win.playlist-remove", NULL, remove_action);
}

void
_cochlea_window_playlists_init (CochleaWindow *self)
{
  self->playlists_cancellable = g_cancellable_new ();

  g_signal_connect_object (self->playlists_list, "row-selected",
                           G_CALLBACK (playlist_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->playlist_tracks, "row-activated",
                           G_CALLBACK (track_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->playlist_tracks, "row-selected",
                           G_CALLBACK (track_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_column_view_get_model (self->library_view), "notify::selected",
                           G_CALLBACK (library_selection_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->player, "eos",
                           G_CALLBACK (player_eos_cb), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  gtk_label_set_label (self->playlist_placeholder, _("Create a playlist with the + button"));
  _cochlea_window_playlists_update_actions (self);
  _cochlea_window_playlists_reload (self);
}

void
_cochlea_window_playlists_dispose (CochleaWindow *self)
{
  g_cancellable_cancel (self->playlists_cancellable);
  g_clear_object (&self->playlists_cancellable);
  if (self->export_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_chooser));
  g_clear_object (&self->export_chooser);
  g_clear_weak_pointer (&self->playlist_dialog);
  g_clear_pointer (&self->playlist_names, g_ptr_array_unref);
  g_clear_pointer (&self->playlist_entries, g_ptr_array_unref);
  g_clear_pointer (&self->playlist_shown, g_free);
  g_clear_pointer (&self->queue, g_ptr_array_unref);
}
