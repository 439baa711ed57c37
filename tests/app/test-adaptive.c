/* test-adaptive.c — the window at 360 px wide (issue 6 item 1: "adaptive
 * down to 360 px") and back at 1280 px
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each page of a 360 × 640 window: the content's minimum width is at most
 * 360 px, and the controls one cannot do without (open, play, search, the
 * view switcher) are mapped, visible and inside the window.  Screenshots of
 * every page go to <build>/meson-logs/app/cochlea-360-*.png.
 */
#include "config.h"

#include "app-test-utils.h"
#include "cochlea-window-private.h"

#define PHONE_WIDTH  360
#define PHONE_HEIGHT 640

static gboolean
library_loaded (gpointer data)
{
  CochleaWindow *window = data;

  return !window->library_loading && g_list_model_get_n_items (G_LIST_MODEL (window->library)) > 0;
}

/* Mapped, drawn with some size, and entirely inside the window. */
static void
assert_usable (CochleaWindow *window,
               gpointer       widget,
               const char    *what)
{
  graphene_rect_t bounds;

  g_test_message ("%s: mapped %d, %d × %d", what, gtk_widget_get_mapped (widget),
                  gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_get_child_visible (widget));
  g_assert_cmpint (gtk_widget_get_width (widget), >, 0);
  g_assert_cmpint (gtk_widget_get_height (widget), >, 0);
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (window), &bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (window)) + 0.5);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (window)) + 0.5);
}

static int
min_width (gpointer widget)
{
  int minimum, natural;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return minimum;
}

static gboolean
column_visible (CochleaWindow *window,
                const char    *title)
{
  GListModel *columns = gtk_column_view_get_columns (window->library_view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return gtk_column_view_column_get_visible (column);
    }
  g_assert_not_reached ();
}

static void
save_screenshot (CochleaWindow *window,
                 const char    *name)
{
  g_autoptr(GdkTexture) texture = app_test_render (GTK_WIDGET (window));
  g_autofree char *png = app_test_save_png (texture, name);
}

/* One window for both tests: its library holds three songs and it shows
 * the first.  The songs are imported by another window, so this one shows
 * no toast over the pictures (toasts time out only in a focused window,
 * which Xvfb without a window manager never has), and it does not play
 * (which would toast that there is no audio device). */
static CochleaWindow *
window_showing_song (void)
{
  static CochleaWindow *window;
  GtkWidget *importer;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  if (window != NULL)
    return window;

  importer = app_test_present_window ();
  dir = app_test_import_songs (importer, 3);
  path = g_build_filename (dir, "song-0.wav", NULL);
  gtk_window_destroy (GTK_WINDOW (importer));

  window = COCHLEA_WINDOW (app_test_present_window ());
  g_settings_set_boolean (window->settings, "autoplay", FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), PHONE_WIDTH, PHONE_HEIGHT);
  app_test_wait_until (library_loaded, window);
  app_test_play_and_wait (GTK_WIDGET (window), path);
  /* the main stack's crossfade from the empty state (250 ms) */
  app_test_wait_frames (GTK_WIDGET (window), 30);
  return window;
}

static void
test_phone_width (void)
{
  static const char *pages[] = { "now-playing", "similar", "library" };
  CochleaWindow *window = window_showing_song ();
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, PHONE_WIDTH);
  g_assert_true (window->narrow);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "content");

  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      g_autofree char *name = g_strdup_printf ("cochlea-360-%s.png", pages[p]);

      adw_view_stack_set_visible_child_name (window->view_stack, pages[p]);
      app_test_wait_frames (GTK_WIDGET (window), 3);

      /* What sets the window's minimum width: the content (header bar,
       * page, bottom bar) and the header bar alone. */
      g_test_message ("%s: content min width %d, header bar %d", pages[p],
                      min_width (content), min_width (gtk_widget_get_first_child (content)));
      g_assert_cmpint (min_width (content), <=, PHONE_WIDTH);

      /* The header keeps open, and the switcher moved to the bottom bar. */
      assert_usable (window, window->open_button, "open");
      assert_usable (window, window->switcher_bar, "view switcher bar");
      g_assert_true (adw_view_switcher_bar_get_reveal (window->switcher_bar));
      g_assert_true (adw_view_switcher_title_get_title_visible (window->switcher_title));

      if (g_str_equal (pages[p], "now-playing"))
        {
          assert_usable (window, window->play_button, "play");
          assert_usable (window, window->position_scale, "position");
          assert_usable (window, window->volume_button, "volume");
          g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window->position_scale)), >=, 80);
        }
      else if (g_str_equal (pages[p], "similar"))
        {
          g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->similar_box)), ==,
                           GTK_ORIENTATION_VERTICAL);
          assert_usable (window, window->similar_list, "similar list");
          assert_usable (window, window->radar_bin, "radar");
        }
      else
        {
          assert_usable (window, window->library_search, "search");
          assert_usable (window, window->library_view, "library");
          g_assert_true (column_visible (window, "Title"));
          g_assert_true (column_visible (window, "Artist"));
          g_assert_true (column_visible (window, "Duration"));
          g_assert_false (column_visible (window, "Album"));
          g_assert_false (column_visible (window, "Energy"));
        }
      save_screenshot (window, name);
    }

  /* The playlists sidebar folds over the page instead of squeezing it. */
  adw_flap_set_reveal_flap (window->playlists_flap, TRUE);
  app_test_wait_frames (GTK_WIDGET (window), 20);
  g_assert_true (adw_flap_get_folded (window->playlists_flap));
  assert_usable (window, adw_flap_get_flap (window->playlists_flap), "playlists sidebar");
  g_assert_cmpint (min_width (content), <=, PHONE_WIDTH);
  save_screenshot (window, "cochlea-360-playlists.png");
  adw_flap_set_reveal_flap (window->playlists_flap, FALSE);
}

/* First run, nothing in the library: the empty state's buttons fit. */
static void
test_empty_state (void)
{
  CochleaWindow *window = COCHLEA_WINDOW (app_test_present_window ());
  GtkWidget *content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));

  gtk_window_set_default_size (GTK_WINDOW (window), PHONE_WIDTH, PHONE_HEIGHT);
  app_test_wait_frames (GTK_WIDGET (window), 5);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "empty");
  g_assert_cmpint (min_width (content), <=, PHONE_WIDTH);
  assert_usable (window, window->open_button, "open");
  assert_usable (window, window->demo_button, "generate a demo library");
  save_screenshot (window, "cochlea-360-empty.png");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Wide again: the secondary header buttons, all library columns and the
 * list beside the radar come back. */
static void
test_wide_again (void)
{
  CochleaWindow *window = window_showing_song ();

  g_assert_true (window->narrow);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (window->import_button)));

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  app_test_wait_frames (GTK_WIDGET (window), 5);

  g_assert_false (window->narrow);
  /* The wide layout's minimum is under the narrow threshold (600 px), so
   * the switch cannot push the window back and forth. */
  adw_view_stack_set_visible_child_name (window->view_stack, "similar");
  app_test_wait_frames (GTK_WIDGET (window), 3);
  g_test_message ("wide: content min width %d",
                  min_width (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window))));
  g_assert_cmpint (min_width (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window))), <, 600);
  assert_usable (window, window->import_button, "import");
  assert_usable (window, window->private_mode_button, "private mode");
  g_assert_false (adw_view_switcher_title_get_title_visible (window->switcher_title));
  g_assert_false (adw_view_switcher_bar_get_reveal (window->switcher_bar));
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->similar_box)), ==,
                   GTK_ORIENTATION_HORIZONTAL);
  g_assert_true (column_visible (window, "Album"));
  g_assert_true (column_visible (window, "Tempo"));
  g_assert_true (column_visible (window, "Key"));
  g_assert_true (column_visible (window, "Energy"));

  /* and narrow once more */
  gtk_window_set_default_size (GTK_WINDOW (window), PHONE_WIDTH, PHONE_HEIGHT);
  app_test_wait_frames (GTK_WIDGET (window), 5);
  g_assert_true (window->narrow);
  g_assert_false (column_visible (window, "Album"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  /* first: the library is empty until test_phone_width imports songs */
  g_test_add_func ("/app/adaptive/empty-state", test_empty_state);
  g_test_add_func ("/app/adaptive/phone-width", test_phone_width);
  g_test_add_func ("/app/adaptive/wide-again", test_wide_again);

  return g_test_run ();
}
