/* test-window.c — the main window under Xvfb: empty state, actions,
 * settings, drag and drop, open, preferences
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "app-test-utils.h"
#include "cochlea-preferences-window.h"
#include "cochlea-test-utils.h"
#include "cochlea-track-object.h"
#include "cochlea-radar-chart.h"
#include "cochlea-window-private.h"
#include "jobs/cochlea-recommend-job.h"

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
is_idle (gpointer data)
{
  return !cochlea_window_get_busy (COCHLEA_WINDOW (data));
}

static CochleaWindow *
present_window (void)
{
  CochleaWindow *window = cochlea_window_new (app_test_application ());

  gtk_window_present (GTK_WINDOW (window));
  app_test_wait_until (is_mapped, window);
  return window;
}

static void
test_empty_state (void)
{
  CochleaWindow *window = present_window ();

  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (window->empty_page), ==, "Drop a song or a folder");
  g_assert_false (adw_view_switcher_title_get_view_switcher_enabled (window->switcher_title));
  g_assert_cmpstr (adw_status_page_get_icon_name (window->empty_page), ==, "io.github.cochlea.Cochlea-symbolic");
  g_assert_false (cochlea_window_get_busy (window));
  g_assert_false (gtk_revealer_get_reveal_child (window->private_mode_revealer));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
window_has_class_action (const char *name)
{
  const GVariantType *parameter_type;
  const char *property_name;
  const char *action_name;
  GType owner;

  /* GTK 4.8 needs every out argument. */
  for (guint i = 0;
       gtk_widget_class_query_action (g_type_class_peek (COCHLEA_TYPE_WINDOW), i,
                                      &owner, &action_name, &parameter_type, &property_name);
       i++)
    if (g_str_equal (action_name, name))
      return TRUE;

  return FALSE;
}

static void
assert_accel (const char *action,
              const char *expected)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app_test_application ()), action);
  guint key, expected_key;
  GdkModifierType mods, expected_mods;

  g_assert_nonnull (accels);
  g_assert_nonnull (accels[0]);
  g_assert_true (gtk_accelerator_parse (accels[0], &key, &mods));
  g_assert_true (gtk_accelerator_parse (expected, &expected_key, &expected_mods));
  g_assert_cmpuint (key, ==, expected_key);
  g_assert_cmpuint (mods, ==, expected_mods);
}

static void
test_actions (void)
{
  GActionGroup *app = G_ACTION_GROUP (app_test_application ());
  static const char * const app_actions[] = { "quit", "about", "preferences", "shortcuts", "private-mode" };
  CochleaWindow *window;

  for (guint i = 0; i < G_N_ELEMENTS (app_actions); i++)
    {
      g_assert_true (g_action_group_has_action (app, app_actions[i]));
      g_assert_true (g_action_group_get_action_enabled (app, app_actions[i]));
    }

  g_assert_true (window_has_class_action ("win.open"));
  g_assert_true (window_has_class_action ("win.import-folder"));
  g_assert_true (window_has_class_action ("win.play-pause"));
  g_assert_true (window_has_class_action ("win.seek"));
  g_assert_true (window_has_class_action ("win.search"));
  g_assert_true (window_has_class_action ("win.cancel-import"));

  assert_accel ("app.quit", "<Control>q");
  assert_accel ("app.preferences", "<Control>comma");
  assert_accel ("win.open", "<Control>o");
  assert_accel ("win.import-folder", "<Control><Shift>o");
  assert_accel ("win.search", "<Control>f");

  /* Actionable widgets are sensitive exactly when their action exists and
   * is enabled: open/import always, play only once there is a track. */
  window = present_window ();
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->open_button)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->import_button)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->private_mode_button)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->play_button)));

  /* The shortcuts window comes from gtk/help-overlay.ui in the resources. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_private_mode (void)
{
  CochleaApplication *app = app_test_application ();
  GSettings *settings = cochlea_application_get_settings (app);
  CochleaWindow *window = present_window ();

  g_assert_false (g_settings_get_boolean (settings, "private-mode"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "private-mode", NULL);
  g_assert_true (g_settings_get_boolean (settings, "private-mode"));
  g_assert_true (gtk_revealer_get_reveal_child (window->private_mode_revealer));
  g_assert_true (gtk_toggle_button_get_active (window->private_mode_button));

  g_action_group_activate_action (G_ACTION_GROUP (app), "private-mode", NULL);
  g_assert_false (g_settings_get_boolean (settings, "private-mode"));
  g_assert_false (gtk_revealer_get_reveal_child (window->private_mode_revealer));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_settings_defaults (void)
{
  g_autoptr(GSettings) settings = g_settings_new (COCHLEA_SCHEMA_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) volume = NULL;
  g_autofree char *style = NULL;
  g_autofree char *colormap = NULL;
  int width, height;

  g_settings_get (settings, "window-size", "(ii)", &width, &height);
  g_assert_cmpint (width, ==, 960);
  g_assert_cmpint (height, ==, 720);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_false (g_settings_get_boolean (settings, "private-mode"));
  g_assert_true (g_settings_get_boolean (settings, "autoplay"));
  g_assert_cmpfloat (g_settings_get_double (settings, "volume"), ==, 1.0);
  style = g_settings_get_string (settings, "style-variant");
  g_assert_cmpstr (style, ==, "default");
  colormap = g_settings_get_string (settings, "colormap");
  g_assert_cmpstr (colormap, ==, "viridis");

  g_object_get (settings, "settings-schema", &schema, NULL);
  volume = g_settings_schema_get_key (schema, "volume");
  {
    g_autoptr(GVariant) too_loud = g_variant_ref_sink (g_variant_new_double (1.5));
    g_autoptr(GVariant) half = g_variant_ref_sink (g_variant_new_double (0.5));

    g_assert_false (g_settings_schema_key_range_check (volume, too_loud));
    g_assert_true (g_settings_schema_key_range_check (volume, half));
  }
}

static void
test_window_state_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new (COCHLEA_SCHEMA_ID);
  CochleaWindow *window = present_window ();
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  gtk_window_close (GTK_WINDOW (window));

  g_settings_get (settings, "window-size", "(ii)", &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);
  g_settings_reset (settings, "window-size");
}

static gboolean
drop_files (CochleaWindow *window,
            GFile        **files,
            guint          n_files)
{
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (files, n_files));
  g_signal_emit_by_name (window->drop_target, "drop", &value, 10.0, 10.0, &handled);
  return handled;
}

static void
test_drop_file (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = app_test_write_song (dir, "dropped song.wav", 2.0);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CochleaWindow *window = present_window ();

  g_assert_true (drop_files (window, &file, 1));
  g_assert_true (cochlea_window_get_busy (window));
  app_test_wait_until (is_idle, window);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "content");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "now-playing");
  g_assert_cmpstr (gtk_label_get_label (window->title_label), ==, "dropped song.wav");
  g_assert_true (adw_view_switcher_title_get_view_switcher_enabled (window->switcher_title));
  g_assert_true (g_file_equal (window->file, file));
  g_assert_nonnull (window->analysis);
  g_assert_cmpfloat_with_epsilon (window->analysis->duration_s, 2.0, 0.01);
  g_assert_nonnull (window->analysis->spectrogram);
  g_assert_cmpuint (window->analysis->spectrogram->n_bins, ==, 128);
  g_assert_cmpuint (window->analysis->spectrogram->n_frames, ==, (gsize) window->analysis->n_frames);

  /* Play is possible now, on the silent clock the tests force. */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->play_button)));
  g_assert_false (cochlea_player_get_audio_device (window->player));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
import_done (gpointer data)
{
  CochleaWindow *window = data;

  return window->import_cancellable == NULL;
}

static gboolean
similar_done (gpointer data)
{
  CochleaWindow *window = data;

  return !window->similar_running && window->analysis != NULL;
}

static gboolean
feedback_written (gpointer data)
{
  return COCHLEA_WINDOW (data)->feedback_pending == 0;
}

static gboolean
library_loaded (gpointer data)
{
  return !COCHLEA_WINDOW (data)->library_loading;
}

static guint
n_library_rows (CochleaWindow *window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (window->library_view)));
}

static gboolean
library_has_two (gpointer data)
{
  return n_library_rows (COCHLEA_WINDOW (data)) == 2;
}

static void
test_drop_folder (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *sub = g_build_filename (dir, "album", NULL);
  g_autofree char *b = NULL;
  g_autofree char *a = NULL;
  g_autofree char *notes = g_build_filename (sub, "notes.txt", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (sub);
  g_autoptr(GFile) expected = NULL;
  CochleaWindow *window;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
  b = app_test_write_song (sub, "b.wav", 1.0);
  a = app_test_write_song (sub, "alpha.wav", 1.0);
  g_assert_true (g_file_set_contents (notes, "not audio", -1, NULL));
  expected = g_file_new_for_path (a);

  window = present_window ();
  /* No playback here, so no end of stream can add a "complete" event at
   * some unpredictable moment. */
  g_settings_set_boolean (window->settings, "autoplay", FALSE);
  g_assert_true (drop_files (window, &folder, 1));
  app_test_wait_until (is_idle, window);

  /* A folder goes into the library through the engine's importer, with a
   * progress bar while it runs. */
  g_assert_nonnull (window->import_cancellable);
  g_assert_true (gtk_revealer_get_reveal_child (window->import_revealer));
  app_test_wait_until (import_done, window);
  g_assert_false (gtk_revealer_get_reveal_child (window->import_revealer));
  app_test_wait_until (library_has_two, window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "content");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "library");

  {
    g_autoptr(GdkTexture) texture = NULL;
    g_autofree char *png = NULL;

    gtk_window_set_default_size (GTK_WINDOW (window), 800, 500);
    app_test_wait_frames (GTK_WIDGET (window), 3);
    texture = app_test_render (GTK_WIDGET (window));
    png = app_test_save_png (texture, "cochlea-library.png");
  }

  /* The search entry filters as you type (title, artist, album, file name). */
  gtk_editable_set_text (GTK_EDITABLE (window->library_search), "alp");
  g_signal_emit_by_name (window->library_search, "search-changed");
  g_assert_cmpuint (n_library_rows (window), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (window->library_search), "");
  g_signal_emit_by_name (window->library_search, "search-changed");
  g_assert_cmpuint (n_library_rows (window), ==, 2);
  gtk_editable_set_text (GTK_EDITABLE (window->library_search), "alpha");
  g_signal_emit_by_name (window->library_search, "search-changed");
  g_assert_cmpuint (n_library_rows (window), ==, 1);

  /* Activating the row plays it. */
  g_signal_emit_by_name (window->library_view, "activate", 0);
  g_assert_nonnull (window->file);
  g_assert_true (g_file_equal (window->file, expected));
  app_test_wait_until (is_idle, window);
  g_assert_nonnull (window->analysis);
  g_assert_cmpfloat_with_epsilon (window->analysis->duration_s, 1.0, 0.01);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "now-playing");

  /* The other song in the library is the only similar one, shown in the
   * list and on the radar against the playing song. */
  app_test_wait_until (similar_done, window);
  g_assert_nonnull (window->similar);
  g_assert_cmpuint (window->similar->len, ==, 1);
  g_assert_cmpstr (((CochleaSimilarSong *) g_ptr_array_index (window->similar, 0))->title, ==, "b.wav");
  g_assert_nonnull (gtk_list_box_get_selected_row (window->similar_list));
  g_assert_nonnull (cochlea_radar_chart_get_input_values (COCHLEA_RADAR_CHART (window->radar)));
  g_assert_nonnull (cochlea_radar_chart_get_candidate_values (COCHLEA_RADAR_CHART (window->radar)));
  /* Dragging a vertex (here: setting a target as the drag does) re-ranks. */
  {
    guint generation = window->similar_generation;

    cochlea_radar_chart_set_target (COCHLEA_RADAR_CHART (window->radar), 1, 0.9);
    app_test_wait_reranked (GTK_WIDGET (window), generation);
    g_assert_cmpuint (window->similar->len, ==, 1);
    g_assert_cmpfloat (cochlea_radar_chart_get_targets (COCHLEA_RADAR_CHART (window->radar))[1], ==, 0.9);
  }

  /* Feedback goes to the catalogue: the play recorded when the row was
   * activated, then a like; in private mode nothing is recorded. */
  gtk_toggle_button_set_active (window->like_button, TRUE);
  app_test_wait_until (feedback_written, window);
  g_assert_cmpstr (app_test_events (GTK_WIDGET (window), -1), ==, "play like");
  g_settings_set_boolean (window->settings, "private-mode", TRUE);
  gtk_toggle_button_set_active (window->like_button, FALSE);
  app_test_wait_until (feedback_written, window);
  g_assert_cmpstr (app_test_events (GTK_WIDGET (window), -1), ==, "play like");
  g_settings_set_boolean (window->settings, "private-mode", FALSE);

  {
    g_autoptr(GdkTexture) texture = NULL;
    g_autofree char *png = NULL;

    adw_view_stack_set_visible_child_name (window->view_stack, "similar");
    app_test_wait_frames (GTK_WIDGET (window), 3);
    texture = app_test_render (GTK_WIDGET (window));
    png = app_test_save_png (texture, "cochlea-similar.png");
  }

  /* Skip records the skip and plays the most similar song. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.skip", NULL);
  g_assert_nonnull (window->file);
  g_assert_false (g_file_equal (window->file, expected));
  app_test_wait_until (is_idle, window);
  app_test_wait_until (feedback_written, window);
  g_assert_cmpstr (app_test_events (GTK_WIDGET (window), -1), ==, "play like skip play");
  g_settings_reset (window->settings, "autoplay");

  gtk_window_destroy (GTK_WINDOW (window));

  /* A new window opens on the library, which is no longer empty. */
  window = present_window ();
  app_test_wait_until (library_has_two, window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "content");
  gtk_window_destroy (GTK_WINDOW (window));
}

static guint demo_rows_wanted;

static gboolean
library_has_demo (gpointer data)
{
  return n_library_rows (COCHLEA_WINDOW (data)) >= demo_rows_wanted;
}

static void
test_demo_library (void)
{
  CochleaWindow *window;
  guint before, n_demo;

  if (cochlea_corpus_default_soundfont () == NULL)
    {
      g_test_skip ("no General MIDI SoundFont installed");
      return;
    }

  window = present_window ();
  app_test_wait_until (library_loaded, window);
  before = n_library_rows (window);

  /* Two short songs composed locally, then imported like any folder. */
  _cochlea_window_generate_demo (window, 2, 3.0);
  g_assert_nonnull (window->import_cancellable);
  g_assert_true (gtk_revealer_get_reveal_child (window->import_revealer));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (window->demo_button)));
  app_test_wait_until (import_done, window);

  demo_rows_wanted = before + 2;
  app_test_wait_until (library_has_demo, window);
  g_assert_cmpuint (n_library_rows (window), ==, before + 2);
  g_assert_true (g_file_test (window->demo_dir, G_FILE_TEST_IS_DIR));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window->demo_button)));

  /* Named from their labels, not 00000 with no artist or album. */
  n_demo = 0;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (window->library)); i++)
    {
      g_autoptr(CochleaTrackObject) track = g_list_model_get_item (G_LIST_MODEL (window->library), i);
      const char *title = cochlea_track_object_get_title (track);

      if (!g_str_has_prefix (cochlea_track_object_get_path (track), window->demo_dir))
        continue;
      n_demo++;
      g_assert_true (g_regex_match_simple ("^(Nocturne|Ballad|Serenade|Dance|Caprice|Toccata|Interlude)\\b",
                                           title, 0, 0));
      g_assert_false (g_regex_match_simple ("^[0-9]+$", title, 0, 0));
      g_assert_nonnull (cochlea_track_object_get_artist (track));
      g_assert_cmpstr (cochlea_track_object_get_artist (track), !=, "");
      g_assert_nonnull (cochlea_track_object_get_album (track));
      g_assert_cmpstr (cochlea_track_object_get_album (track), !=, "");
    }
  g_assert_cmpuint (n_demo, ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_open_bad_file (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "fake.mp3", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  CochleaWindow *window;

  g_assert_true (g_file_set_contents (path, "this is not an mp3 file\n", -1, NULL));

  window = present_window ();
  cochlea_window_open_files (window, &file, 1);
  app_test_wait_until (is_idle, window);

  /* No crash, no analysis, and the window says so (the toast carries the
   * engine's message). */
  g_assert_null (window->analysis);
  g_assert_cmpstr (gtk_label_get_label (window->details_label), ==, "Could not analyse this file");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_open_missing_file (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/cochlea/song.flac");
  CochleaWindow *window = present_window ();

  cochlea_window_open_files (window, &file, 1);
  app_test_wait_until (is_idle, window);

  g_assert_null (window->file);
  g_assert_null (window->analysis);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_open_with (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = app_test_write_song (dir, "opened.wav", 1.0);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GApplication *app = G_APPLICATION (app_test_application ());
  GtkWindow *active;

  /* What the desktop file's %U ends up calling. */
  g_application_open (app, &file, 1, "");
  active = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (COCHLEA_IS_WINDOW (active));
  app_test_wait_until (is_idle, active);
  g_assert_true (g_file_equal (COCHLEA_WINDOW (active)->file, file));
  g_assert_nonnull (COCHLEA_WINDOW (active)->analysis);

  gtk_window_destroy (active);
}

static void
test_preferences (void)
{
  CochleaApplication *app = app_test_application ();
  GSettings *settings = cochlea_application_get_settings (app);
  CochleaPreferencesWindow *prefs = cochlea_preferences_window_new (settings);
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  g_assert_true (ADW_IS_PREFERENCES_WINDOW (prefs));
  gtk_window_present (GTK_WINDOW (prefs));

  g_settings_set_string (settings, "style-variant", "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_settings_reset (settings, "style-variant");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/window/empty-state", test_empty_state);
  g_test_add_func ("/app/window/actions", test_actions);
  g_test_add_func ("/app/window/private-mode", test_private_mode);
  g_test_add_func ("/app/settings/defaults", test_settings_defaults);
  g_test_add_func ("/app/window/state-saved", test_window_state_saved);
  g_test_add_func ("/app/window/drop-file", test_drop_file);
  g_test_add_func ("/app/window/drop-folder", test_drop_folder);
  g_test_add_func ("/app/window/demo-library", test_demo_library);
  g_test_add_func ("/app/window/open-bad-file", test_open_bad_file);
  g_test_add_func ("/app/window/open-missing-file", test_open_missing_file);
  g_test_add_func ("/app/window/open-with", test_open_with);
  g_test_add_func ("/app/preferences", test_preferences);

  return g_test_run ();
}
