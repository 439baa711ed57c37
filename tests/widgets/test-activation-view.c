/* test-activation-view.c — CochleaActivationView under a display, alone
 * and stacked under a CochleaSpectrogramView with bound time axes
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "cochlea-activation-view-private.h"
#include "cochlea-spectrogram-render.h"
#include "cochlea-spectrogram-view-private.h"
#include "cochlea-widget-utils.h"
#include "widget-test-utils.h"

#define SPF (512.0 / 22050.0)

/* Plausible ReLU activations for a 3 s window starting at @start: each
 * channel fires on its own rhythm, sparsely. */
static CochleaActivationMaps *
make_maps (double start)
{
  static const struct { const char *name; guint channels; guint fps; } layers[] = {
    { "input", 128, 1 }, { "conv1", 64, 1 }, { "pool1", 64, 4 }, { "conv2", 128, 4 },
    { "pool2", 128, 8 }, { "conv3", 128, 8 }, { "embedding", 64, 0 },
  };
  CochleaActivationMaps *maps = cochlea_activation_maps_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  const guint window = 128;

  for (guint l = 0; l < G_N_ELEMENTS (layers); l++)
    {
      guint n_times = layers[l].fps ? window / layers[l].fps - (l % 2) : 1;
      g_autofree float *data = g_new (float, layers[l].channels * n_times);
      CochleaActivationMap map = { layers[l].name, layers[l].channels, n_times, layers[l].fps, data };

      for (guint c = 0; c < layers[l].channels; c++)
        {
          double rate = 0.05 + 0.5 * g_rand_double (rand);
          double gain = g_rand_double (rand);

          for (guint t = 0; t < n_times; t++)
            {
              double v = gain * sin (rate * t + c) - 0.3 + 0.2 * g_rand_double (rand);

              data[c * n_times + t] = MAX (0, v);
            }
        }
      cochlea_activation_maps_add_nn_map (maps, &map, start, SPF, window);
    }
  return maps;
}

static gboolean
view_ready (gpointer data)
{
  CochleaActivationView *view = data;

  return !_cochlea_activation_view_is_busy (view) && _cochlea_activation_view_has_texture (view);
}

static void
test_activation_view_properties (void)
{
  CochleaActivationView *view = g_object_ref_sink (COCHLEA_ACTIVATION_VIEW (cochlea_activation_view_new ()));
  g_autoptr(CochleaActivationMaps) maps = make_maps (0);
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GStrv) names = NULL;
  int layer;

  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (view)), ==, GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_cmpstr (gtk_widget_get_css_name (GTK_WIDGET (view)), ==, "activationview");
  names = cochlea_activation_view_dup_layer_names (view);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_clear_pointer (&names, g_strfreev);

  g_value_init (&value, COCHLEA_TYPE_ACTIVATION_MAPS);
  g_value_set_boxed (&value, maps);
  widget_test_check_property (G_OBJECT (view), "maps", &value);
  g_value_unset (&value);

  names = cochlea_activation_view_dup_layer_names (view);
  g_assert_cmpuint (g_strv_length (names), ==, 7);
  g_assert_cmpstr (names[0], ==, "input");
  g_assert_cmpstr (names[6], ==, "embedding");

  g_object_get (view, "layer", &layer, NULL);
  g_assert_cmpint (layer, ==, 0);
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 3);
  widget_test_check_property (G_OBJECT (view), "layer", &value);
  g_value_unset (&value);

  widget_test_check_double_property (G_OBJECT (view), "position", 0, 4.5);
  widget_test_check_double_property (G_OBJECT (view), "seconds-per-pixel", SPF, 0.01);
  widget_test_check_double_property (G_OBJECT (view), "view-start", 0, 2);

  g_value_init (&value, COCHLEA_TYPE_COLORMAP);
  g_value_set_enum (&value, COCHLEA_COLORMAP_MAGMA);
  widget_test_check_property (G_OBJECT (view), "colormap", &value);

  g_assert_finalize_object (view);
}

static void
hovered_cb (CochleaActivationView *view,
            int                    layer,
            int                    channel,
            double                 value,
            GArray                *log)
{
  double entry[3] = { layer, channel, value };

  g_array_append_vals (log, entry, 3);
}

/* Hovering reports the channel under the pointer (and its value) once per
 * channel change, and -1 on leaving. */
static void
test_activation_view_hover (void)
{
  CochleaActivationView *view = COCHLEA_ACTIVATION_VIEW (cochlea_activation_view_new ());
  g_autoptr(CochleaActivationMaps) maps = cochlea_activation_maps_new ();
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (double));
  float data[8 * 10] = { 0 };
  graphene_rect_t plot;
  GtkWindow *window;
  double row_h, x;

  data[6 * 10 + 4] = 2.5;
  cochlea_activation_maps_add_layer (maps, "conv9", 8, 10, 0.0, 0.1, data);
  cochlea_activation_view_set_maps (view, maps);
  cochlea_activation_view_set_seconds_per_pixel (view, 0.01);
  window = widget_test_present (GTK_WIDGET (view), 400, 200);
  g_signal_connect (view, "channel-hovered", G_CALLBACK (hovered_cb), log);

  _cochlea_activation_view_get_plot (view, &plot);
  row_h = plot.size.height / 8;
  x = plot.origin.x + 0.45 / 0.01; /* step 4 */

  g_assert_cmpint (_cochlea_activation_view_hover (view, x, plot.origin.y + 6.5 * row_h), ==, 6);
  g_assert_cmpuint (log->len, ==, 3);
  g_assert_cmpfloat (g_array_index (log, double, 1), ==, 6);
  g_assert_cmpfloat (g_array_index (log, double, 2), ==, 2.5);
  g_assert_cmpint (_cochlea_activation_view_hover (view, x + 2, plot.origin.y + 6.2 * row_h), ==, 6);
  g_assert_cmpuint (log->len, ==, 3); /* same channel: no signal */
  g_assert_cmpint (_cochlea_activation_view_hover (view, x, plot.origin.y + 1.5 * row_h), ==, 1);
  g_assert_cmpuint (log->len, ==, 6);
  g_assert_cmpint (_cochlea_activation_view_hover (view, 1, 1), ==, -1);
  g_assert_cmpuint (log->len, ==, 9);
  g_assert_cmpfloat (g_array_index (log, double, 7), ==, -1);

  widget_test_wait_until (view_ready, view);
  gtk_window_destroy (window);
}

static CochleaActivationMaps *
one_hot_maps (float value)
{
  CochleaActivationMaps *maps = cochlea_activation_maps_new ();
  float data[4 * 10] = { 0 };

  data[1 * 10 + 5] = value;   /* channel 1, step 5 */
  cochlea_activation_maps_add_layer (maps, "conv1", 4, 10, 0.0, 0.1, data);
  return maps;
}

static double
hot_luminance (CochleaActivationView *view)
{
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t plot;
  guint8 rgba[4];

  widget_test_wait_until (view_ready, view);
  _cochlea_activation_view_get_plot (view, &plot);
  texture = widget_test_render (GTK_WIDGET (view));
  widget_test_get_pixel (texture, (int) (plot.origin.x + 0.55 / 0.01),
                         (int) (plot.origin.y + plot.size.height * 1.5 / 4), rgba);
  return 0.2126 * rgba[0] + 0.7152 * rgba[1] + 0.0722 * rgba[2];
}

/* The colour scale spans every window shown since the song began: a
 * value of 2 after a window whose largest value was 4 is drawn darker than
 * the same window shown first (where 2 is the top of the scale); a new
 * song (maps set to NULL) starts the scale again. */
static void
test_activation_view_song_range (void)
{
  CochleaActivationView *view = COCHLEA_ACTIVATION_VIEW (cochlea_activation_view_new ());
  g_autoptr(CochleaActivationMaps) loud = one_hot_maps (4);
  g_autoptr(CochleaActivationMaps) quiet = one_hot_maps (2);
  g_autoptr(CochleaActivationMaps) quiet_again = one_hot_maps (2);
  GtkWindow *window;
  double first, after_loud, new_song;

  cochlea_activation_view_set_seconds_per_pixel (view, 0.01);
  window = widget_test_present (GTK_WIDGET (view), 400, 200);

  cochlea_activation_view_set_maps (view, quiet);
  first = hot_luminance (view);
  cochlea_activation_view_set_maps (view, loud);
  hot_luminance (view);
  cochlea_activation_view_set_maps (view, quiet_again);
  after_loud = hot_luminance (view);
  cochlea_activation_view_set_maps (view, NULL);
  cochlea_activation_view_set_maps (view, quiet);
  new_song = hot_luminance (view);
  g_test_message ("luminance of 2: first %.1f, after a window up to 4 %.1f, new song %.1f",
                  first, after_loud, new_song);

  g_assert_cmpfloat (after_loud, <, first - 40);
  g_assert_cmpfloat_with_epsilon (new_song, first, 1.0);

  /* One outlying cell (a window of 1s and a single 1000) does not set the
   * scale: the top is a high percentile, not the maximum. */
  {
    g_autoptr(CochleaActivationMaps) outlier = cochlea_activation_maps_new ();
    float data[4 * 10];
    double after_outlier;

    for (guint i = 0; i < G_N_ELEMENTS (data); i++)
      data[i] = 1;
    data[7] = 1000;
    cochlea_activation_maps_add_layer (outlier, "conv1", 4, 10, 0.0, 0.1, data);
    cochlea_activation_view_set_maps (view, outlier);
    hot_luminance (view);
    cochlea_activation_view_set_maps (view, quiet_again);
    after_outlier = hot_luminance (view);
    g_test_message ("luminance of 2 after an outlying window: %.1f", after_outlier);
    g_assert_cmpfloat_with_epsilon (after_outlier, first, 1.0);
  }

  gtk_window_destroy (window);
}

static CochleaSpectrogram *
make_spectrogram (gsize n_frames,
                  gsize bright_frame)
{
  CochleaSpectrogram *spec = cochlea_spectrogram_new (128, 22050, 512, 0, 11025);
  float row[128];

  for (gsize f = 0; f < n_frames; f++)
    {
      for (int b = 0; b < 128; b++)
        row[b] = -60 + 40 * sin (0.02 * f * (1 + b % 7)) * (b < 60) + (f == bright_frame ? 80 : 0);
      cochlea_spectrogram_append (spec, row);
    }
  return spec;
}

static gboolean
spectrogram_ready (gpointer data)
{
  CochleaSpectrogramView *view = data;

  return !_cochlea_spectrogram_view_is_busy (view) && _cochlea_spectrogram_view_get_n_tiles_rendered (view) > 0;
}

static int
brightest_column (GdkTexture *texture,
                  int         x0,
                  int         x1,
                  int         y)
{
  double best = -1;
  int best_x = -1;

  for (int x = x0; x < x1; x++)
    {
      guint8 rgba[4];
      double l;

      widget_test_get_pixel (texture, x, y, rgba);
      l = 0.2126 * rgba[0] + 0.7152 * rgba[1] + 0.0722 * rgba[2];
      if (l > best)
        {
          best = l;
          best_x = x;
        }
    }
  return best_x;
}

/* Stacked with bound seconds-per-pixel and view-start, an event at time t
 * is drawn in the same pixel column in both views. */
static void
test_activation_view_aligned (gconstpointer user_data)
{
  gboolean dark = GPOINTER_TO_INT (user_data);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  CochleaSpectrogramView *spectrogram = COCHLEA_SPECTROGRAM_VIEW (cochlea_spectrogram_view_new ());
  CochleaActivationView *activations = COCHLEA_ACTIVATION_VIEW (cochlea_activation_view_new ());
  const gsize hot_frame = 300;
  g_autoptr(CochleaSpectrogram) spec = make_spectrogram (900, hot_frame);
  g_autoptr(CochleaActivationMaps) maps = cochlea_activation_maps_new ();
  g_autoptr(CochleaActivationMaps) pretty = make_maps (5.0);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree float *data = g_new0 (float, 16 * 400);
  graphene_rect_t splot, aplot;
  graphene_point_t origin;
  GtkWindow *window;
  int xs, xa;

  /* One hot step: frames 300..303 of a 4-frames-per-step layer at t = 0. */
  for (guint c = 0; c < 16; c++)
    data[c * 400 + hot_frame / 4] = 1;
  cochlea_activation_maps_add_layer (maps, "pool1", 16, 400, 0.0, 4 * SPF, data);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_object_bind_property (spectrogram, "seconds-per-pixel", activations, "seconds-per-pixel",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (spectrogram, "view-start", activations, "view-start",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (spectrogram, "position", activations, "position", G_BINDING_SYNC_CREATE);

  cochlea_spectrogram_view_set_spectrogram (spectrogram, spec);
  cochlea_spectrogram_view_set_seconds_per_pixel (spectrogram, SPF / 2); /* 2 px per frame */
  cochlea_spectrogram_view_set_view_start (spectrogram, 2.0);
  cochlea_spectrogram_view_set_follow (spectrogram, FALSE);
  cochlea_spectrogram_view_set_position (spectrogram, 20.0); /* playhead off screen */
  cochlea_activation_view_set_maps (activations, maps);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (spectrogram));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (activations));
  window = widget_test_present (box, 720, 460);
  widget_test_wait_until (spectrogram_ready, spectrogram);
  widget_test_wait_until (view_ready, activations);

  _cochlea_spectrogram_view_get_plot (spectrogram, &splot);
  _cochlea_activation_view_get_plot (activations, &aplot);
  g_assert_cmpfloat (splot.origin.x, ==, aplot.origin.x);
  g_assert_cmpfloat (splot.size.width, ==, aplot.size.width);

  texture = widget_test_render (gtk_widget_get_parent (box));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (spectrogram), gtk_widget_get_parent (box),
                                           &GRAPHENE_POINT_INIT (0, 0), &origin));
  xs = brightest_column (texture, splot.origin.x, splot.origin.x + splot.size.width,
                         origin.y + splot.origin.y + splot.size.height * 0.2);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (activations), gtk_widget_get_parent (box),
                                           &GRAPHENE_POINT_INIT (0, 0), &origin));
  xa = brightest_column (texture, aplot.origin.x, aplot.origin.x + aplot.size.width,
                         origin.y + aplot.origin.y + aplot.size.height / 2);
  g_test_message ("spectrogram column %d, activation column %d", xs, xa);
  /* Frame 300 (2 px wide) lies inside the 8 px wide step 75. */
  g_assert_cmpint (xs, >=, xa - 1);
  g_assert_cmpint (xs, <=, xa + 8);
  g_assert_cmpint (abs (xs - (int) round (splot.origin.x + (hot_frame * SPF - 2.0) / (SPF / 2))), <=, 2);
  g_clear_object (&texture);

  /* The screenshot: a real-looking window of layer conv2 under the music. */
  cochlea_activation_view_set_maps (activations, pretty);
  cochlea_activation_view_set_layer (activations, 3);
  cochlea_spectrogram_view_set_view_start (spectrogram, 4.5);
  cochlea_spectrogram_view_set_position (spectrogram, 6.2);
  widget_test_wait_until (view_ready, activations);
  _cochlea_activation_view_hover (activations, aplot.origin.x + 200, aplot.origin.y + 40);
  texture = widget_test_render (gtk_widget_get_parent (box));
  path = widget_test_save_png (texture, dark ? "spectrogram-and-activations-dark" : "spectrogram-and-activations-light");

  gtk_window_destroy (window);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  if (!widget_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/activation-view/properties", test_activation_view_properties);
  g_test_add_func ("/activation-view/hover", test_activation_view_hover);
  g_test_add_func ("/activation-view/song-range", test_activation_view_song_range);
  g_test_add_data_func ("/activation-view/aligned/light", GINT_TO_POINTER (FALSE), test_activation_view_aligned);
  g_test_add_data_func ("/activation-view/aligned/dark", GINT_TO_POINTER (TRUE), test_activation_view_aligned);

  return g_test_run ();
}
