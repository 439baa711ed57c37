/* test-player.c — CochleaPlayer on the silent clock (no audio device)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>

#include "app-test-utils.h"
#include "cochlea-player.h"
#include "cochlea-test-utils.h"

static gboolean
has_duration (gpointer data)
{
  return cochlea_player_get_duration (COCHLEA_PLAYER (data)) > 0;
}

static gboolean
position_advanced (gpointer data)
{
  return cochlea_player_get_position (COCHLEA_PLAYER (data)) > 0.2;
}

static gboolean
stopped (gpointer data)
{
  return !cochlea_player_get_playing (COCHLEA_PLAYER (data));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_properties (void)
{
  g_autoptr(CochleaPlayer) player = cochlea_player_new ();
  guint volume_notifies = 0;

  g_assert_null (cochlea_player_get_uri (player));
  g_assert_false (cochlea_player_get_playing (player));
  g_assert_false (cochlea_player_get_audio_device (player));  /* forced fakesink */
  g_assert_cmpfloat (cochlea_player_get_duration (player), ==, 0);
  g_assert_cmpfloat (cochlea_player_get_position (player), ==, 0);
  g_assert_cmpfloat (cochlea_player_get_volume (player), ==, 1.0);

  g_signal_connect (player, "notify::volume", G_CALLBACK (count_notify_cb), &volume_notifies);
  cochlea_player_set_volume (player, 1.0);
  g_assert_cmpuint (volume_notifies, ==, 0);
  cochlea_player_set_volume (player, 0.5);
  g_assert_cmpuint (volume_notifies, ==, 1);
  cochlea_player_set_volume (player, 7.0);  /* clamped */
  g_assert_cmpfloat (cochlea_player_get_volume (player), ==, 1.0);

  /* Play without a URI does nothing. */
  cochlea_player_play (player);
  g_assert_false (cochlea_player_get_playing (player));
}

static void
test_play_silent_clock (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = app_test_write_song (dir, "tone.wav", 3.0);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(CochleaPlayer) player = cochlea_player_new ();

  cochlea_player_set_uri (player, uri);
  g_assert_cmpstr (cochlea_player_get_uri (player), ==, uri);
  app_test_wait_until (has_duration, player);
  g_assert_cmpfloat_with_epsilon (cochlea_player_get_duration (player), 3.0, 0.05);

  /* The fakesink is synchronised, so the position moves with the clock. */
  cochlea_player_play (player);
  g_assert_true (cochlea_player_get_playing (player));
  app_test_wait_until (position_advanced, player);

  cochlea_player_pause (player);
  g_assert_false (cochlea_player_get_playing (player));

  cochlea_player_seek (player, 2.5);
  cochlea_player_play (player);
  /* End of stream stops playback. */
  app_test_wait_until (stopped, player);
}

static void
error_cb (CochleaPlayer *player,
          const GError  *error,
          char         **message)
{
  *message = g_strdup (error->message);
}

static gboolean
has_message (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_error (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "garbage.ogg", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *message = NULL;
  g_autoptr(CochleaPlayer) player = cochlea_player_new ();

  g_assert_true (g_file_set_contents (path, "definitely not ogg", -1, NULL));
  uri = g_filename_to_uri (path, NULL, NULL);

  g_signal_connect (player, "error", G_CALLBACK (error_cb), &message);
  cochlea_player_set_uri (player, uri);
  cochlea_player_play (player);
  app_test_wait_until (has_message, &message);

  g_assert_nonnull (strstr (message, "garbage.ogg"));
  g_assert_false (cochlea_player_get_playing (player));
}

int
main (int   argc,
      char *argv[])
{
  /* No display needed: playback is GStreamer only. */
  g_setenv ("COCHLEA_AUDIO_SINK", "fakesink", TRUE);
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/app/player/properties", test_properties);
  g_test_add_func ("/app/player/silent-clock", test_play_silent_clock);
  g_test_add_func ("/app/player/error", test_error);

  return g_test_run ();
}
