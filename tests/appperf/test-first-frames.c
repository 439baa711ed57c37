/* test-first-frames.c — opening the first song does not re-lay out the
 * window frame after frame: the bottom view-switcher bar, hidden on the
 * empty state of a wide window, stays at 0 px in every frame from the
 * moment the song opens until its analysis is shown (it used to sit
 * revealed while hidden and slide shut, 250 ms of whole-window layouts,
 * just as playback started); and the spectrogram view keeps one height
 * throughout (the activation page used to switch when the analysis
 * arrived, shrinking it and moving everything under it).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "app-test-utils.h"
#include "cochlea-test-utils.h"
#include "cochlea-window-private.h"

typedef struct
{
  CochleaWindow *window;
  guint          frames;       /* after-paint while measuring */
  int            bar_max;      /* tallest the switcher bar was in a frame */
  guint          bar_frames;   /* frames in which it had any height */
  guint          after_shown;  /* frames since the analysis was shown */
  int            view_min;     /* the spectrogram view's height, once mapped */
  int            view_max;
} Watch;

static void
after_paint_cb (GdkFrameClock *clock,
                Watch         *watch)
{
  CochleaWindow *window = watch->window;
  int height = gtk_widget_get_mapped (GTK_WIDGET (window->switcher_bar))
               ? gtk_widget_get_height (GTK_WIDGET (window->switcher_bar)) : 0;

  watch->frames++;
  if (gtk_widget_get_mapped (window->spectrogram_view))
    {
      int view = gtk_widget_get_height (window->spectrogram_view);

      watch->view_min = watch->view_min < 0 ? view : MIN (watch->view_min, view);
      watch->view_max = MAX (watch->view_max, view);
    }
  watch->bar_max = MAX (watch->bar_max, height);
  if (height > 0)
    watch->bar_frames++;
  if (window->analysis != NULL && !cochlea_window_get_busy (window))
    watch->after_shown++;
}

static gboolean
shown_and_settled (gpointer data)
{
  Watch *watch = data;

  /* The revealer's slide lasts 250 ms: past it, with frames to spare. */
  return watch->after_shown >= 20;
}

static void
test_switcher_bar_stays_hidden (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *song = app_test_write_song (dir, "first.wav", 6.0);
  g_autofree char *model = app_test_write_model (dir);
  g_autoptr(GFile) file = g_file_new_for_path (song);
  Watch watch = { 0 };
  CochleaWindow *window;
  GdkFrameClock *clock;
  gulong paint_id;
  guint tick_id;

  /* With a network, so the activation view shows the song. */
  g_setenv ("COCHLEA_MODEL", model, TRUE);
  window = cochlea_window_new (app_test_application ());
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  g_settings_set_boolean (window->settings, "autoplay", TRUE);
  app_test_wait_frames (GTK_WIDGET (window), 5);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "empty");

  watch.window = window;
  watch.view_min = -1;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &watch);
  tick_id = app_test_redraw_every_frame (GTK_WIDGET (window));
  cochlea_window_open_files (window, &file, 1);
  app_test_wait_until (shown_and_settled, &watch);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
  g_signal_handler_disconnect (clock, paint_id);

  g_test_message ("%u frames; switcher bar: tallest %d px, shown in %u frames; spectrogram view %d to %d px high",
                  watch.frames, watch.bar_max, watch.bar_frames, watch.view_min, watch.view_max);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "content");
  g_assert_false (adw_view_switcher_title_get_title_visible (window->switcher_title));
  g_assert_false (adw_view_switcher_bar_get_reveal (window->switcher_bar));
  g_assert_cmpint (watch.bar_max, ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->activation_stack), ==, "view");
  g_assert_cmpint (watch.view_min, >, 0);
  g_assert_cmpint (watch.view_min, ==, watch.view_max);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("COCHLEA_MODEL");
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/first-frames/switcher-bar-stays-hidden", test_switcher_bar_stays_hidden);
  return g_test_run ();
}
