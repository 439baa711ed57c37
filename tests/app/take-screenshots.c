/* take-screenshots.c — the README's and the metainfo's screenshots, from
 * the real window under Xvfb: a small demo library composed on the spot,
 * the shipped network (or $COCHLEA_MODEL), a song at 0:09, targets set
 * with the sliders, a playlist in the sidebar, a channel hovered.  Not a test (it waits for toasts to go away); run:
 *
 *   xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- \
 *     env COCHLEA_BUILD_ROOT=$PWD/BUILDDIR GSETTINGS_BACKEND=memory \
 *     GSETTINGS_SCHEMA_DIR=BUILDDIR/data BUILDDIR/tests/app/take-screenshots OUTDIR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "app-test-utils.h"
#include "cochlea-activation-view-private.h"
#include "cochlea-target-sliders.h"
#include "cochlea-test-utils.h"
#include "cochlea-track-object.h"
#include "cochlea-window-private.h"

static gboolean
import_done (gpointer data)
{
  CochleaWindow *window = data;

  return window->import_cancellable == NULL && !window->library_loading &&
         g_list_model_get_n_items (G_LIST_MODEL (window->library)) > 0;
}

static gboolean
ranked (gpointer data)
{
  CochleaWindow *window = data;

  return !cochlea_window_get_busy (window) && window->analysis != NULL && !window->similar_running &&
         window->rerank_id == 0;
}

static gboolean
playlists_idle (gpointer data)
{
  return COCHLEA_WINDOW (data)->playlists_pending == 0;
}

static gboolean
maps_shown (gpointer data)
{
  CochleaWindow *window = data;

  return cochlea_activation_view_get_maps (COCHLEA_ACTIVATION_VIEW (window->activation_view)) != NULL;
}

static gboolean
index_ready (gpointer data)
{
  return COCHLEA_WINDOW (data)->channel_index != NULL;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Lets the toasts time out (5 s) so they cover nothing. */
static void
wait_seconds (guint seconds)
{
  gboolean done = FALSE;

  g_timeout_add_seconds (seconds, timeout_cb, &done);
  app_test_wait_until (flag_set, &done);
}

static void
save (GtkWidget  *widget,
      const char *dir,
      const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  app_test_wait_frames (widget, 5);
  texture = app_test_render (widget);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_print ("%s\n", path);
}

int
main (int   argc,
      char *argv[])
{
  CochleaWindow *window;
  GtkWidget *widget;
  const char *out;
  g_autoptr(GFile) first = NULL;
  graphene_rect_t plot;
  CochleaActivationView *view;

  if (!app_test_init (&argc, &argv))
    return 0;
  if (argc < 2)
    {
      g_printerr ("usage: take-screenshots OUTDIR\n");
      return 1;
    }
  out = argv[1];
  g_mkdir_with_parents (out, 0755);

  widget = app_test_present_window ();
  window = COCHLEA_WINDOW (widget);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  g_settings_set_boolean (window->settings, "autoplay", FALSE);

  /* Eight short demo songs, composed and imported as the empty state's
   * button does. */
  _cochlea_window_generate_demo (window, 8, 20.0);
  while (!import_done (window))
    g_main_context_iteration (NULL, TRUE);

  /* A playlist with three songs. */
  _cochlea_window_create_playlist (window, "Evening");
  app_test_wait_until (playlists_idle, window);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CochleaTrackObject) track = g_list_model_get_item (G_LIST_MODEL (window->library), i * 2);
      GtkSelectionModel *model = gtk_column_view_get_model (window->library_view);

      for (guint row = 0; row < g_list_model_get_n_items (G_LIST_MODEL (model)); row++)
        {
          g_autoptr(CochleaTrackObject) item = g_list_model_get_item (G_LIST_MODEL (model), row);

          if (cochlea_track_object_get_track (item) == track)  /* items are rows */
            gtk_selection_model_select_item (model, row, TRUE);
        }
      gtk_widget_activate_action (widget, "win.playlist-add-selected", NULL);
      app_test_wait_until (playlists_idle, window);
    }

  /* Toasts only time out in a focused window, which Xvfb without a window
   * manager never has: take the pictures in a second window, which has
   * shown none. */
  gtk_window_destroy (GTK_WINDOW (window));
  widget = app_test_present_window ();
  window = COCHLEA_WINDOW (widget);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  while (!import_done (window) || !playlists_idle (window))
    g_main_context_iteration (NULL, TRUE);
  gtk_list_box_select_row (window->playlists_list, gtk_list_box_get_row_at_index (window->playlists_list, 0));
  app_test_wait_until (playlists_idle, window);

  {
    g_autoptr(CochleaTrackObject) track = g_list_model_get_item (G_LIST_MODEL (window->library), 0);

    first = g_file_new_for_path (cochlea_track_object_get_path (track));
  }
  _cochlea_window_open_track (window, first);
  app_test_wait_until (ranked, window);
  /* As a click on the spectrogram does (playing would toast that there
   * is no audio device). */
  g_signal_emit_by_name (window->spectrogram_view, "seek", 9.0);

  /* Hover a channel of the activation view. */
  app_test_wait_until (maps_shown, window);
  app_test_wait_frames (widget, 3);
  view = COCHLEA_ACTIVATION_VIEW (window->activation_view);
  _cochlea_activation_view_get_plot (view, &plot);
  /* The rightmost column that has data (the window the network saw). */
  for (double x = plot.origin.x + plot.size.width - 2; x > plot.origin.x; x -= 4)
    if (_cochlea_activation_view_hover (view, x, plot.origin.y + plot.size.height * 0.42) >= 0)
      break;
  g_assert_cmpint (window->hover_channel, >=, 0);
  while (!index_ready (window))
    g_main_context_iteration (NULL, TRUE);

  adw_flap_set_reveal_flap (window->playlists_flap, TRUE);
  wait_seconds (1);
  save (widget, out, "now-playing.png");

  /* Steer: more energy, a little less valence. */
  adw_flap_set_reveal_flap (window->playlists_flap, FALSE);
  adw_view_stack_set_visible_child_name (window->view_stack, "similar");
  gtk_range_set_value (cochlea_target_sliders_get_range (COCHLEA_TARGET_SLIDERS (window->sliders), 1), 0.95);
  gtk_range_set_value (cochlea_target_sliders_get_range (COCHLEA_TARGET_SLIDERS (window->sliders), 3), 0.2);
  wait_seconds (1);
  app_test_wait_until (ranked, window);
  save (widget, out, "similar.png");


  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
