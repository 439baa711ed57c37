/* test-playlists.c — the playlists sidebar: create, add the playing and
 * the selected library song, rename, export to M3U8 and XSPF, play from
 * it, remove, delete; adding is recorded unless private mode is on, and
 * private mode is visible on screen
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "app-test-utils.h"
#include "cochlea-test-utils.h"
#include "cochlea-track-object.h"
#include "cochlea-window-private.h"

static gboolean
playlists_idle (gpointer data)
{
  return COCHLEA_WINDOW (data)->playlists_pending == 0;
}

static gboolean
feedback_idle (gpointer data)
{
  return COCHLEA_WINDOW (data)->feedback_pending == 0;
}

static gboolean
is_idle (gpointer data)
{
  CochleaWindow *window = data;

  return !cochlea_window_get_busy (window) && window->analysis != NULL;
}

static gboolean
action_enabled (CochleaWindow *window,
                const char    *name)
{
  /* An actionable button is sensitive exactly when its action is enabled. */
  GtkWidget *probe = gtk_button_new ();
  gboolean enabled;

  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), name);
  gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (window->add_current_button))), probe);
  enabled = gtk_widget_get_sensitive (probe);
  gtk_box_remove (GTK_BOX (gtk_widget_get_parent (probe)), probe);
  return enabled;
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}

static void
select_library_row (CochleaWindow *window,
                    const char    *basename)
{
  GtkSelectionModel *model = gtk_column_view_get_model (window->library_view);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CochleaTrackObject) track = g_list_model_get_item (G_LIST_MODEL (model), i);
      g_autofree char *name = g_path_get_basename (cochlea_track_object_get_path (track));

      if (g_str_equal (name, basename))
        {
          gtk_selection_model_select_item (model, i, TRUE);
          return;
        }
    }
  g_assert_not_reached ();
}

static const char *
entry_basename (CochleaWindow *window,
                guint          index)
{
  static char *name;

  g_free (name);
  name = g_path_get_basename (((CochleaTrack *) g_ptr_array_index (window->playlist_entries, index))->path);
  return name;
}

static void
check_export (const char *path,
              const char *first,
              const char *second)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GPtrArray) entries = cochlea_playlist_read (path, &name, &error);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  a = g_path_get_basename (((CochleaPlaylistEntry *) g_ptr_array_index (entries, 0))->path);
  b = g_path_get_basename (((CochleaPlaylistEntry *) g_ptr_array_index (entries, 1))->path);
  g_assert_cmpstr (a, ==, first);
  g_assert_cmpstr (b, ==, second);
  g_assert_true (g_path_is_absolute (((CochleaPlaylistEntry *) g_ptr_array_index (entries, 0))->path));
}

static gboolean
playing_second (gpointer data)
{
  CochleaWindow *window = data;
  g_autofree char *name = window->file ? g_file_get_basename (window->file) : NULL;

  return g_strcmp0 (name, "song-2.wav") == 0 && !cochlea_window_get_busy (window);
}

static void
test_playlists (void)
{
  GtkWidget *widget = app_test_present_window ();
  CochleaWindow *window = COCHLEA_WINDOW (widget);
  g_autofree char *dir = app_test_import_songs (widget, 3);
  g_autofree char *first = g_build_filename (dir, "song-0.wav", NULL);
  g_autofree char *m3u8 = g_build_filename (dir, "road.m3u8", NULL);
  g_autofree char *xspf = g_build_filename (dir, "road.xspf", NULL);

  g_settings_set_boolean (window->settings, "autoplay", FALSE);
  app_test_wait_until (playlists_idle, window);
  g_assert_cmpuint (n_rows (window->playlists_list), ==, 0);
  g_assert_null (window->playlist_shown);
  g_assert_false (action_enabled (window, "win.rename-playlist"));
  g_assert_false (action_enabled (window, "win.playlist-add-current"));
  g_assert_true (action_enabled (window, "win.new-playlist"));
  /* the insensitive Add buttons say what they wait for */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->add_current_button)), ==,
                   "Choose or create a playlist first");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->add_selected_button)), ==,
                   "Choose or create a playlist first");

  /* The sidebar opens from the header bar, and F9 toggles it. */
  gtk_toggle_button_set_active (window->playlists_button, TRUE);
  g_assert_true (adw_flap_get_reveal_flap (window->playlists_flap));
  gtk_widget_activate_action (widget, "win.toggle-playlists", NULL);
  g_assert_false (adw_flap_get_reveal_flap (window->playlists_flap));
  g_assert_false (gtk_toggle_button_get_active (window->playlists_button));
  gtk_widget_activate_action (widget, "win.toggle-playlists", NULL);
  g_assert_true (adw_flap_get_reveal_flap (window->playlists_flap));
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app_test_application ()),
                                                                  "win.toggle-playlists");

    g_assert_cmpstr (accels[0], ==, "F9");
  }

  /* New Playlist asks for a name in a dialog; its response creates it. */
  gtk_widget_activate_action (widget, "win.new-playlist", NULL);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (window->playlist_dialog));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (window->playlist_dialog))),
                         "Road");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (window->playlist_dialog), "ok");
  gtk_window_destroy (GTK_WINDOW (window->playlist_dialog));
  app_test_wait_until (playlists_idle, window);
  g_assert_cmpuint (n_rows (window->playlists_list), ==, 1);
  g_assert_cmpstr (window->playlist_shown, ==, "Road");
  g_assert_cmpstr (gtk_label_get_label (window->playlist_title), ==, "Road");
  g_assert_cmpuint (window->playlist_entries->len, ==, 0);
  g_assert_false (action_enabled (window, "win.play-playlist"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->add_current_button)), ==, "Open a song first");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->add_selected_button)), ==,
                   "Select a song in the Library first");

  /* A second playlist of the same name is refused (a toast), nothing changes. */
  _cochlea_window_create_playlist (window, "Road");
  app_test_wait_until (playlists_idle, window);
  g_assert_cmpuint (n_rows (window->playlists_list), ==, 1);

  /* Add the playing song, then one selected in the library. */
  app_test_play_and_wait (widget, first);
  g_assert_true (action_enabled (window, "win.playlist-add-current"));
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (window->add_current_button)));
  gtk_widget_activate_action (widget, "win.playlist-add-current", NULL);
  app_test_wait_until (playlists_idle, window);
  select_library_row (window, "song-2.wav");
  g_assert_true (action_enabled (window, "win.playlist-add-selected"));
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (window->add_selected_button)));
  gtk_widget_activate_action (widget, "win.playlist-add-selected", NULL);
  app_test_wait_until (playlists_idle, window);
  g_assert_cmpuint (window->playlist_entries->len, ==, 2);
  g_assert_cmpuint (n_rows (window->playlist_tracks), ==, 2);
  g_assert_cmpstr (entry_basename (window, 0), ==, "song-0.wav");
  g_assert_cmpstr (entry_basename (window, 1), ==, "song-2.wav");
  g_assert_cmpstr (app_test_events (GTK_WIDGET (window), COCHLEA_EVENT_PLAYLIST_ADD), ==, "playlist-add playlist-add");

  /* In private mode the song is still added, but nothing is recorded, and
   * the banner says so on screen. */
  g_settings_set_boolean (window->settings, "private-mode", TRUE);
  app_test_wait_frames (widget, 20);
  g_assert_true (gtk_revealer_get_child_revealed (window->private_mode_revealer));
  g_assert_true (gtk_widget_get_mapped (gtk_revealer_get_child (window->private_mode_revealer)));
  g_assert_cmpint (gtk_widget_get_height (gtk_revealer_get_child (window->private_mode_revealer)), >, 0);
  g_assert_true (gtk_toggle_button_get_active (window->private_mode_button));
  {
    g_autoptr(GdkTexture) texture = app_test_render (widget);
    g_autofree char *png = app_test_save_png (texture, "cochlea-private-mode.png");
  }
  select_library_row (window, "song-1.wav");
  gtk_widget_activate_action (widget, "win.playlist-add-selected", NULL);
  app_test_wait_until (playlists_idle, window);
  g_assert_cmpuint (window->playlist_entries->len, ==, 3);
  g_assert_cmpstr (app_test_events (GTK_WIDGET (window), COCHLEA_EVENT_PLAYLIST_ADD), ==, "playlist-add playlist-add");
  g_settings_set_boolean (window->settings, "private-mode", FALSE);

  /* Remove the selected song from the playlist. */
  gtk_list_box_select_row (window->playlist_tracks, gtk_list_box_get_row_at_index (window->playlist_tracks, 2));
  g_assert_true (action_enabled (window, "win.playlist-remove"));
  gtk_widget_activate_action (widget, "win.playlist-remove", NULL);
  app_test_wait_until (playlists_idle, window);
  g_assert_cmpuint (window->playlist_entries->len, ==, 2);

  /* Rename through the dialog, prefilled with the old name. */
  gtk_widget_activate_action (widget, "win.rename-playlist", NULL);
  {
    GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (window->playlist_dialog)));

    g_assert_cmpstr (gtk_editable_get_text (entry), ==, "Road");
    gtk_editable_set_text (entry, "");
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (window->playlist_dialog), "ok"));
    gtk_editable_set_text (entry, "Long Road");
    g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (window->playlist_dialog), "ok"));
  }
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (window->playlist_dialog), "ok");
  gtk_window_destroy (GTK_WINDOW (window->playlist_dialog));
  app_test_wait_until (playlists_idle, window);
  g_assert_cmpstr (window->playlist_shown, ==, "Long Road");
  g_assert_cmpuint (window->playlist_entries->len, ==, 2);

  /* Export: the file chooser is a save dialog with both formats; what it
   * answers goes to the same function the test calls. */
  gtk_widget_activate_action (widget, "win.export-playlist", NULL);
  g_assert_nonnull (window->export_chooser);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (window->export_chooser)), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
  {
    g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (window->export_chooser));

    g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 2);
  }
  gtk_native_dialog_hide (GTK_NATIVE_DIALOG (window->export_chooser));
  {
    g_autoptr(GFile) file = g_file_new_for_path (m3u8);

    _cochlea_window_export_playlist (window, file);
    app_test_wait_until (playlists_idle, window);
    g_object_unref (file);
    file = g_file_new_for_path (xspf);
    _cochlea_window_export_playlist (window, file);
    app_test_wait_until (playlists_idle, window);
  }
  check_export (m3u8, "song-0.wav", "song-2.wav");
  check_export (xspf, "song-0.wav", "song-2.wav");

  {
    g_autoptr(GdkTexture) texture = NULL;
    g_autofree char *png = NULL;

    gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
    app_test_wait_frames (widget, 3);
    texture = app_test_render (widget);
    png = app_test_save_png (texture, "cochlea-playlists.png");
  }

  /* Play from the second song; at its end (EOS) nothing follows, and
   * playing from the first goes on to the second. */
  g_signal_emit_by_name (window->playlist_tracks, "row-activated",
                         gtk_list_box_get_row_at_index (window->playlist_tracks, 1));
  app_test_wait_until (playing_second, window);
  app_test_wait_until (is_idle, window);
  _cochlea_window_play_playlist (window, 0);
  app_test_wait_until (is_idle, window);
  g_signal_emit_by_name (window->player, "eos");
  app_test_wait_until (playing_second, window);
  app_test_wait_until (is_idle, window);
  app_test_wait_until (feedback_idle, window);

  /* Delete after confirming; the songs stay in the library. */
  gtk_widget_activate_action (widget, "win.delete-playlist", NULL);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (window->playlist_dialog), "delete");
  gtk_window_destroy (GTK_WINDOW (window->playlist_dialog));
  app_test_wait_until (playlists_idle, window);
  g_assert_cmpuint (n_rows (window->playlists_list), ==, 0);
  g_assert_null (window->playlist_shown);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->library)), ==, 3);

  g_settings_reset (window->settings, "autoplay");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/playlists/sidebar", test_playlists);

  return g_test_run ();
}
