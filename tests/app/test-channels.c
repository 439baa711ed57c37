/* test-channels.c — hovering a channel of the activation view shows its
 * value and the library's songs that excite it most (the per-song
 * channel means computed off the main thread on the first hover)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "app-test-utils.h"
#include "cochlea-activation-view-private.h"
#include "cochlea-test-utils.h"
#include "cochlea-window-private.h"
#include "jobs/cochlea-channel-job.h"

static char *model_path;

/* A tone at @amplitude: with the same pitch, a louder song has higher
 * log-mel values in every band. */
static char *
write_tone (const char *dir,
            const char *name,
            double      amplitude,
            double      seconds)
{
  const int rate = 22050;
  gsize n = (gsize) (seconds * rate);
  g_autofree float *samples = g_new (float, n);
  char *path = g_build_filename (dir, name, NULL);

  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / rate;

      samples[i] = (float) (amplitude * (0.6 * sin (2 * G_PI * 440.0 * t) + 0.4 * sin (2 * G_PI * 3000.0 * t)));
    }
  cochlea_test_write_wav (path, samples, n, rate, 1);
  return path;
}

static void
built_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  CochleaChannelIndex **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = cochlea_channel_index_build_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
not_null (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_index (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *loud = write_tone (dir, "loud.wav", 0.5, 9.0);
  g_autofree char *quiet = write_tone (dir, "quiet.wav", 0.005, 9.0);
  g_autofree char *mid = write_tone (dir, "mid.wav", 0.05, 9.0);
  g_autofree char *shorter = write_tone (dir, "short.wav", 0.5, 1.0);  /* shorter than a window: padded */
  g_autofree char *broken = g_build_filename (dir, "broken.wav", NULL);
  const char *paths[] = { quiet, broken, loud, mid, shorter };
  const char *titles[] = { "Quiet", "Broken", "Loud", "Mid", "Short" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaModel) model = cochlea_model_load (model_path, &error);
  g_autoptr(CochleaChannelIndex) index = NULL;
  guint *done = g_atomic_rc_box_new0 (guint);
  CochleaChannelHit hits[8];
  int input;
  guint n;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (broken, "not audio", -1, NULL));

  cochlea_channel_index_build_async (model, paths, titles, 5, done, NULL, built_cb, &index);
  app_test_wait_until (not_null, &index);
  g_assert_cmpuint (g_atomic_int_get (done), ==, 5);
  g_atomic_rc_box_release (done);

  g_assert_cmpuint (cochlea_channel_index_get_n_tracks (index), ==, 5);
  g_assert_cmpstr (cochlea_channel_index_get_title (index, 2), ==, "Loud");
  input = cochlea_channel_index_find_layer (index, "input");
  g_assert_cmpint (input, >=, 0);
  g_assert_cmpint (cochlea_channel_index_find_layer (index, "conv1"), >, input);
  g_assert_cmpint (cochlea_channel_index_find_layer (index, "no such layer"), ==, -1);
  g_assert_cmpuint (cochlea_channel_index_get_n_channels (index, input), ==, 128);

  /* The broken file is left out: NAN, never a hit; the short song counts. */
  g_assert_true (isnan (cochlea_channel_index_get_value (index, input, 0, 1)));
  g_assert_true (isfinite (cochlea_channel_index_get_value (index, input, 0, 4)));

  /* Input channels are mel bands: of songs of one length, the louder is
   * 20 dB higher in the bands of its tones (far from them all three sit
   * near the 16-bit noise floor); k limits, order is highest first. */
  {
    guint tone_bands = 0;

    for (guint c = 0; c < 128; c++)
      {
        double v_loud = cochlea_channel_index_get_value (index, input, c, 2);
        double v_mid = cochlea_channel_index_get_value (index, input, c, 3);
        double v_quiet = cochlea_channel_index_get_value (index, input, c, 0);

        if (v_loud < -40)
          continue;
        tone_bands++;
        g_assert_cmpfloat (v_loud, >, v_mid + 15);
        g_assert_cmpfloat (v_mid, >, v_quiet + 15);
        n = cochlea_channel_index_top (index, input, c, 2, hits);
        g_assert_cmpstr (cochlea_channel_index_get_title (index, hits[0].track), ==, "Loud");
      }
    g_assert_cmpuint (tone_bands, >=, 2);
  }
  for (guint c = 0; c < 128; c += 17)
    {
      double best = -G_MAXDOUBLE;
      CochleaChannelHit first;

      for (guint t = 0; t < 5; t++)
        if (!isnan (cochlea_channel_index_get_value (index, input, c, t)))
          best = MAX (best, cochlea_channel_index_get_value (index, input, c, t));

      n = cochlea_channel_index_top (index, input, c, 8, hits);
      g_assert_cmpuint (n, ==, 4);
      g_assert_cmpfloat (hits[0].value, ==, best);
      for (guint i = 1; i < n; i++)
        g_assert_cmpfloat (hits[i - 1].value, >=, hits[i].value);
      for (guint i = 0; i < n; i++)
        g_assert_cmpuint (hits[i].track, !=, 1);
      first = hits[0];
      n = cochlea_channel_index_top (index, input, c, 1, hits);
      g_assert_cmpuint (n, ==, 1);
      g_assert_cmpuint (hits[0].track, ==, first.track);
    }
  g_assert_cmpuint (cochlea_channel_index_top (index, input, 0, 0, NULL), ==, 0);
}

static gboolean
maps_shown (gpointer data)
{
  CochleaWindow *window = data;

  return cochlea_activation_view_get_maps (COCHLEA_ACTIVATION_VIEW (window->activation_view)) != NULL &&
         gtk_widget_get_width (window->activation_view) > 100;
}

static gboolean
index_ready (gpointer data)
{
  return COCHLEA_WINDOW (data)->channel_index != NULL;
}

static void
test_hover (void)
{
  GtkWidget *widget = app_test_present_window ();
  CochleaWindow *window = COCHLEA_WINDOW (widget);
  CochleaActivationView *view = COCHLEA_ACTIVATION_VIEW (window->activation_view);
  g_autofree char *dir = NULL;
  g_autofree char *first = NULL;
  graphene_rect_t plot;
  const char *label;

  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
  dir = app_test_import_songs (widget, 3);
  first = g_build_filename (dir, "song-0.wav", NULL);
  g_settings_set_boolean (window->settings, "autoplay", FALSE);
  app_test_play_and_wait (widget, first);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->activation_stack), ==, "view");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->activation_info)));
  app_test_wait_until (maps_shown, window);
  g_assert_null (window->channel_index);

  /* A click on the spectrogram while paused moves the transport bar too. */
  g_signal_emit_by_name (window->spectrogram_view, "seek", 0.5);
  g_assert_cmpfloat (gtk_adjustment_get_value (window->position_adjustment), ==, 0.5);
  g_assert_cmpstr (gtk_label_get_label (window->position_label), ==, "0:00");
  g_signal_emit_by_name (window->spectrogram_view, "seek", 0.9);
  g_assert_cmpfloat (gtk_adjustment_get_value (window->position_adjustment), ==, 0.9);
  g_assert_nonnull (strstr (gtk_label_get_label (window->activation_info), "Hover"));

  /* Hover channel 2: its value at once, the songs once they are worked out. */
  _cochlea_activation_view_get_plot (view, &plot);
  g_assert_cmpint (_cochlea_activation_view_hover (view, plot.origin.x + 2,
                                                   plot.origin.y + 2.5 * plot.size.height /
                                                   cochlea_activation_maps_get_layer (cochlea_activation_view_get_maps (view),
                                                                                      cochlea_activation_view_get_layer (view))->n_channels),
                   ==, 2);
  g_assert_cmpint (window->hover_channel, ==, 2);
  label = gtk_label_get_label (window->activation_info);
  g_assert_nonnull (strstr (label, "channel 2"));
  g_assert_true (window->channel_building || window->channel_index != NULL);
  app_test_wait_until (index_ready, window);
  label = gtk_label_get_label (window->activation_info);
  g_test_message ("hover: %s", label);
  g_assert_nonnull (strstr (label, "most active in: "));
  g_assert_nonnull (strstr (label, "song-"));
  g_assert_cmpuint (cochlea_channel_index_get_n_tracks (window->channel_index), ==, 3);

  {
    g_autoptr(GdkTexture) texture = NULL;
    g_autofree char *png = NULL;

    app_test_wait_frames (widget, 3);
    texture = app_test_render (widget);
    png = app_test_save_png (texture, "cochlea-channel-hover.png");
  }

  /* Leaving clears the line; a changed library drops the means. */
  _cochlea_activation_view_hover (view, -1, -1);
  g_assert_nonnull (strstr (gtk_label_get_label (window->activation_info), "Hover"));
  g_free (app_test_import_songs (widget, 1));
  g_assert_null (window->channel_index);

  g_settings_reset (window->settings, "autoplay");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;

  if (!app_test_init (&argc, &argv))
    return 0;

  /* The window analyses with the default model: a small test network. */
  dir = cochlea_test_tmpdir ();
  model_path = app_test_write_model (dir);
  g_setenv ("COCHLEA_MODEL", model_path, TRUE);

  g_test_add_func ("/app/channels/index", test_index);
  g_test_add_func ("/app/channels/hover", test_hover);

  return g_test_run ();
}
