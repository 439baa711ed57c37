/* test-transport.c — while a song plays, the transport bar's scale follows
 * the playhead without re-laying out the window every frame: its value
 * changes only when the slider moves by a pixel, at most 15 times per
 * second of playback; pausing shows the exact position.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "app-test-utils.h"
#include "cochlea-test-utils.h"
#include "cochlea-window-private.h"

typedef struct
{
  CochleaWindow *window;
  guint          changes;     /* value-changed of the position adjustment */
  guint          frames;      /* after-paint while measuring */
  double         first;       /* player position at the first frame, -1: none yet */
  double         last;
} Count;

static void
value_changed_cb (GtkAdjustment *adjustment,
                  Count         *count)
{
  count->changes++;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Count         *count)
{
  double position = cochlea_player_get_position (count->window->player);

  if (count->first < 0)
    count->first = position;
  count->last = position;
  count->frames++;
}

static gboolean
playing_a_while (gpointer data)
{
  Count *count = data;

  /* A second of playback and enough frames for the old behaviour (one
   * change per frame) to exceed the bound below. */
  return count->first >= 0 && count->last - count->first >= 1.0 && count->frames >= 40;
}

static gboolean
playing (gpointer data)
{
  CochleaWindow *window = data;

  return cochlea_player_get_playing (window->player) && cochlea_player_get_position (window->player) > 0;
}

static gboolean
paused (gpointer data)
{
  CochleaWindow *window = data;

  return !cochlea_player_get_playing (window->player);
}

static void
test_scale_follows_sparingly (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *song = app_test_write_song (dir, "transport.wav", 8.0);
  g_autoptr(GFile) file = g_file_new_for_path (song);
  Count count = { 0 };
  CochleaWindow *window;
  GdkFrameClock *clock;
  gulong changed_id, paint_id;
  double playback;

  window = cochlea_window_new (app_test_application ());
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_present (GTK_WINDOW (window));
  g_settings_set_boolean (window->settings, "autoplay", TRUE);
  cochlea_window_open_files (window, &file, 1);
  app_test_wait_until (playing, window);

  count.window = window;
  count.first = -1;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  changed_id = g_signal_connect (window->position_adjustment, "value-changed",
                                 G_CALLBACK (value_changed_cb), &count);
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &count);
  app_test_wait_until (playing_a_while, &count);
  g_signal_handler_disconnect (clock, paint_id);
  g_signal_handler_disconnect (window->position_adjustment, changed_id);

  /* Each change needs the playhead to have moved 1/15 s (or a pixel, if
   * that is more) since the last one. */
  playback = count.last - count.first;
  g_test_message ("%u frames, %.2f s of playback, %u scale changes", count.frames, playback, count.changes);
  g_assert_cmpuint (count.changes, >=, 1);
  g_assert_cmpfloat (count.changes, <=, playback * 15 + 2);

  /* Paused, the scale shows exactly where the player is. */
  cochlea_player_pause (window->player);
  app_test_wait_until (paused, window);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (window->position_adjustment),
                                  cochlea_player_get_position (window->player), 0.01);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/transport/scale-follows-sparingly", test_scale_follows_sparingly);
  return g_test_run ();
}
