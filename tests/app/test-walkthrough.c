/* test-walkthrough.c — what a person trips on in the walk-through of
 * docs/walkthrough.md, one test per fix
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "app-test-utils.h"
#include "cochlea-window-private.h"

/* On the empty state the bottom view switcher bar must stay hidden even on a
 * narrow window (where AdwViewSwitcherTitle hides its switcher and the bar
 * would otherwise reveal itself with pages nobody can see); once a song is
 * open it is back. */
static void
test_switcher_bar_on_empty_state (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cochlea-walk-XXXXXX", NULL);
  g_autofree char *path = app_test_write_song (dir, "walk.wav", 2.0);
  CochleaWindow *window = COCHLEA_WINDOW (app_test_present_window ());

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  app_test_wait_frames (GTK_WIDGET (window), 3);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "empty");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->switcher_bar)));

  app_test_play_and_wait (GTK_WIDGET (window), path);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "content");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->switcher_bar)));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* At 360 px the similar songs' list and the radar are stacked, and a row's
 * title is ellipsized on one line instead of broken every few letters; at
 * 1280 px they are side by side. */
static void
test_similar_narrow (void)
{
  CochleaWindow *window = COCHLEA_WINDOW (app_test_present_window ());
  g_autofree char *dir = app_test_import_songs (GTK_WIDGET (window), 3);
  g_autofree char *path = g_build_filename (dir, "song-0.wav", NULL);
  GtkListBoxRow *row;

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  app_test_wait_frames (GTK_WIDGET (window), 3);
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->similar_box)), ==, GTK_ORIENTATION_VERTICAL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  app_test_wait_frames (GTK_WIDGET (window), 3);
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->similar_box)), ==, GTK_ORIENTATION_HORIZONTAL);

  app_test_play_and_wait (GTK_WIDGET (window), path);
  row = gtk_list_box_get_row_at_index (window->similar_list, 0);
  g_assert_nonnull (row);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpint (adw_action_row_get_title_lines (ADW_ACTION_ROW (row)), ==, 1);

  /* stacked on the similar page, the list still shows about three rows */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  adw_view_stack_set_visible_child_name (window->view_stack, "similar");
  app_test_wait_frames (GTK_WIDGET (window), 5);
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->similar_box)), ==, GTK_ORIENTATION_VERTICAL);
  g_assert_cmpint (gtk_widget_get_height (gtk_widget_get_ancestor (GTK_WIDGET (window->similar_list), GTK_TYPE_SCROLLED_WINDOW)), >=, 160);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The playlists sidebar takes its own width, not half the window. */
static void
test_sidebar_width (void)
{
  CochleaWindow *window = COCHLEA_WINDOW (app_test_present_window ());
  GtkWidget *sidebar = adw_flap_get_flap (window->playlists_flap);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  adw_flap_set_reveal_flap (window->playlists_flap, TRUE);
  app_test_wait_frames (GTK_WIDGET (window), 5);

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >=, 1200);
  g_assert_cmpint (gtk_widget_get_width (sidebar), >=, 240);
  g_assert_cmpint (gtk_widget_get_width (sidebar), <, 400);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A library search that matches nothing says so; clearing it hides that. */
static void
test_library_no_match (void)
{
  CochleaWindow *window = COCHLEA_WINDOW (app_test_present_window ());
  g_autofree char *dir = app_test_import_songs (GTK_WIDGET (window), 2);

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->library_no_match)));

  gtk_editable_set_text (GTK_EDITABLE (window->library_search), "zzzz no such song");
  g_signal_emit_by_name (window->library_search, "search-changed");
  app_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->library_no_match)));

  gtk_editable_set_text (GTK_EDITABLE (window->library_search), "");
  g_signal_emit_by_name (window->library_search, "search-changed");
  app_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->library_no_match)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
prerolled (gpointer data)
{
  CochleaWindow *window = data;

  return cochlea_player_get_duration (window->player) > 0 && window->analysis != NULL;
}

/* A click on the spectrogram before pressing play moves the song, the
 * playhead and the transport bar to the same place, and they stay there;
 * also when the click comes while the song is still being opened (before
 * GStreamer has prerolled it, when a pipeline drops a seek). */
typedef struct
{
  gboolean    while_opening;
  double      seconds;
  const char *label;
} SeekCase;

static const SeekCase seek_paused = { FALSE, 2.5, "0:02" };
static const SeekCase seek_while_opening = { TRUE, 3.0, "0:03" };

static void
test_seek_before_play (gconstpointer data)
{
  const SeekCase *c = data;
  g_autofree char *dir = g_dir_make_tmp ("cochlea-walk-XXXXXX", NULL);
  g_autofree char *path = app_test_write_song (dir, "seek.wav", 4.0);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CochleaWindow *window = COCHLEA_WINDOW (app_test_present_window ());

  g_settings_set_boolean (window->settings, "autoplay", FALSE);
  _cochlea_window_open_track (window, file);
  if (c->while_opening)
    g_signal_emit_by_name (window->spectrogram_view, "seek", c->seconds);
  app_test_wait_until (prerolled, window);
  g_assert_false (cochlea_player_get_playing (window->player));
  if (!c->while_opening)
    g_signal_emit_by_name (window->spectrogram_view, "seek", c->seconds);

  app_test_wait_frames (GTK_WIDGET (window), 10);
  g_assert_cmpfloat_with_epsilon (cochlea_player_get_position (window->player), c->seconds, 0.05);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (window->position_adjustment), c->seconds, 0.05);
  g_assert_cmpstr (gtk_label_get_label (window->position_label), ==, c->label);

  /* playing goes on from there */
  cochlea_player_play (window->player);
  app_test_wait_frames (GTK_WIDGET (window), 3);
  g_assert_cmpfloat (cochlea_player_get_position (window->player), >=, c->seconds - 0.05);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/walkthrough/switcher-bar-empty-state", test_switcher_bar_on_empty_state);

  g_test_add_func ("/app/walkthrough/similar-narrow", test_similar_narrow);
  g_test_add_func ("/app/walkthrough/sidebar-width", test_sidebar_width);
  g_test_add_func ("/app/walkthrough/library-no-match", test_library_no_match);
  g_test_add_data_func ("/app/walkthrough/seek-paused", &seek_paused, test_seek_before_play);
  g_test_add_data_func ("/app/walkthrough/seek-while-opening", &seek_while_opening, test_seek_before_play);

  return g_test_run ();
}
