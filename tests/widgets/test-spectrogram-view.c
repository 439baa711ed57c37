/* test-spectrogram-view.c — CochleaSpectrogramView under a display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-colormap.h"
#include "cochlea-spectrogram-render.h"
#include "cochlea-spectrogram-view-private.h"
#include "cochlea-widget-utils.h"
#include "dsp/cochlea-mel.h"
#include "widget-test-utils.h"

#include <adwaita.h>

#define N_BINS 128
#define SR     22050
#define HOP    512

/* Something that looks like music: a melody with decaying harmonics, a
 * kick every half second, a hi-hat between, and a noise floor. */
static CochleaSpectrogram *
make_music (gsize n_frames)
{
  static const double melody[] = { 220, 247, 262, 294, 330, 294, 262, 247 };
  CochleaSpectrogram *spec = cochlea_spectrogram_new (N_BINS, SR, HOP, 0, SR / 2.0);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  double hop_s = (double) HOP / SR;
  float row[N_BINS];

  for (gsize f = 0; f < n_frames; f++)
    {
      double t = f * hop_s;
      double f0 = melody[(gsize) (t / 0.5) % G_N_ELEMENTS (melody)];
      double beat = fmod (t, 0.5);

      for (int b = 0; b < N_BINS; b++)
        row[b] = -75 + 6 * g_rand_double (rand) - 0.15 * b;
      for (int h = 1; h <= 12; h++)
        {
          double p = cochlea_spectrogram_bin_position (spec, h * f0);
          for (int b = MAX (0, (int) p - 3); b <= MIN (N_BINS - 1, (int) p + 3); b++)
            row[b] = MAX (row[b], -8 - 4.0 * h - 10 * (b - p) * (b - p) - 20 * beat);
        }
      if (beat < 0.08)
        for (int b = 0; b < 30; b++)
          row[b] = MAX (row[b], -10 - 0.8 * b - 250 * beat);
      if (fabs (beat - 0.25) < 0.03)
        for (int b = 80; b < N_BINS; b++)
          row[b] = MAX (row[b], -30 - 0.1 * (b - 80) + 8 * g_rand_double (rand));
      cochlea_spectrogram_append (spec, row);
    }
  return spec;
}

static CochleaSpectrogram *
make_band (gsize n_frames,
           int   bright_bin)
{
  CochleaSpectrogram *spec = cochlea_spectrogram_new (N_BINS, SR, HOP, 0, SR / 2.0);
  float row[N_BINS];

  for (gsize f = 0; f < n_frames; f++)
    {
      for (int b = 0; b < N_BINS; b++)
        row[b] = b == bright_bin ? 0.0f : -80.0f;
      cochlea_spectrogram_append (spec, row);
    }
  return spec;
}

static gboolean
view_idle (gpointer data)
{
  CochleaSpectrogramView *view = data;

  return !_cochlea_spectrogram_view_is_busy (view) && _cochlea_spectrogram_view_get_n_tiles_rendered (view) > 0;
}

static void
test_spectrogram_view_properties (void)
{
  CochleaSpectrogramView *view = g_object_ref_sink (COCHLEA_SPECTROGRAM_VIEW (cochlea_spectrogram_view_new ()));
  g_autoptr(CochleaSpectrogram) spec = make_band (10, 3);
  g_auto(GValue) value = G_VALUE_INIT;
  CochleaColormap cmap;

  g_assert_null (cochlea_spectrogram_view_get_spectrogram (view));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (view)), ==, GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_cmpstr (gtk_widget_get_css_name (GTK_WIDGET (view)), ==, "spectrogram");
  g_value_init (&value, COCHLEA_TYPE_SPECTROGRAM);
  g_value_set_boxed (&value, spec);
  widget_test_check_property (G_OBJECT (view), "spectrogram", &value);
  g_assert_true (cochlea_spectrogram_view_get_spectrogram (view) == spec);
  g_value_unset (&value);

  widget_test_check_double_property (G_OBJECT (view), "position", 0, 12.5);
  widget_test_check_double_property (G_OBJECT (view), "seconds-per-pixel", (double) HOP / SR, 0.05);
  widget_test_check_double_property (G_OBJECT (view), "view-start", 0, 3);
  widget_test_check_boolean_property (G_OBJECT (view), "auto-range", TRUE);
  widget_test_check_double_property (G_OBJECT (view), "db-min", -80, -60);
  widget_test_check_double_property (G_OBJECT (view), "db-max", 0, 10);
  widget_test_check_boolean_property (G_OBJECT (view), "follow", TRUE);
  widget_test_check_boolean_property (G_OBJECT (view), "playing", FALSE);

  g_object_get (view, "colormap", &cmap, NULL);
  g_assert_cmpint (cmap, ==, COCHLEA_COLORMAP_MAGMA);
  g_value_init (&value, COCHLEA_TYPE_COLORMAP);
  g_value_set_enum (&value, COCHLEA_COLORMAP_VIRIDIS);
  widget_test_check_property (G_OBJECT (view), "colormap", &value);

  /* Clamped, not stored out of range. */
  cochlea_spectrogram_view_set_seconds_per_pixel (view, 1e9);
  g_assert_cmpfloat (cochlea_spectrogram_view_get_seconds_per_pixel (view), ==, 10.0);

  g_assert_finalize_object (view);
}

static void
test_spectrogram_view_auto_range (void)
{
  CochleaSpectrogramView *view = g_object_ref_sink (COCHLEA_SPECTROGRAM_VIEW (cochlea_spectrogram_view_new ()));
  g_autoptr(CochleaSpectrogram) spec = make_band (10, 3);

  /* Loudest 0 dB → range [-80, 0]; a band at +12 dB → [-65, 15]. */
  cochlea_spectrogram_view_set_spectrogram (view, spec);
  g_assert_cmpfloat (cochlea_spectrogram_view_get_db_max (view), ==, 0);
  g_assert_cmpfloat (cochlea_spectrogram_view_get_db_min (view), ==, -80);
  spec->data[3] = 12;
  cochlea_spectrogram_view_set_spectrogram (view, NULL);
  cochlea_spectrogram_view_set_spectrogram (view, spec);
  g_assert_cmpfloat (cochlea_spectrogram_view_get_db_max (view), ==, 15);
  g_assert_cmpfloat (cochlea_spectrogram_view_get_db_min (view), ==, -65);

  g_assert_finalize_object (view);
}

static void
view_start_notify_cb (GObject    *object,
                      GParamSpec *pspec,
                      int        *count)
{
  (*count)++;
}

/* While playing and following, the picture scrolls so the playhead stays
 * a quarter of the way in; paused, it only pages when the playhead leaves. */
static void
test_spectrogram_view_follow (void)
{
  CochleaSpectrogramView *view = COCHLEA_SPECTROGRAM_VIEW (cochlea_spectrogram_view_new ());
  g_autoptr(CochleaSpectrogram) spec = make_music (2000);
  GtkWindow *window;
  graphene_rect_t plot;
  double visible;
  int count = 0;

  cochlea_spectrogram_view_set_spectrogram (view, spec);
  window = widget_test_present (GTK_WIDGET (view), 600, 240);
  _cochlea_spectrogram_view_get_plot (view, &plot);
  g_assert_cmpfloat (plot.size.width, ==, 600 - COCHLEA_WIDGET_LEFT_GUTTER - COCHLEA_WIDGET_RIGHT_GUTTER);
  visible = plot.size.width * cochlea_spectrogram_view_get_seconds_per_pixel (view);
  g_signal_connect (view, "notify::view-start", G_CALLBACK (view_start_notify_cb), &count);

  cochlea_spectrogram_view_set_position (view, 0.5 * visible);
  g_assert_cmpfloat (cochlea_spectrogram_view_get_view_start (view), ==, 0);
  g_assert_cmpint (count, ==, 0);

  cochlea_spectrogram_view_set_position (view, 1.5 * visible);
  g_assert_cmpfloat_with_epsilon (cochlea_spectrogram_view_get_view_start (view), 1.25 * visible, 1e-9);
  g_assert_cmpint (count, ==, 1);

  cochlea_spectrogram_view_set_playing (view, TRUE);
  cochlea_spectrogram_view_set_position (view, 1.6 * visible);
  g_assert_cmpfloat_with_epsilon (cochlea_spectrogram_view_get_view_start (view), 1.35 * visible, 1e-9);
  g_assert_cmpint (count, ==, 2); /* playing from 1.5: already at 1.25 */

  cochlea_spectrogram_view_set_follow (view, FALSE);
  cochlea_spectrogram_view_set_position (view, 0.1);
  g_assert_cmpfloat_with_epsilon (cochlea_spectrogram_view_get_view_start (view), 1.35 * visible, 1e-9);

  /* Clicking maps x to time through the same plot geometry. */
  g_assert_cmpfloat_with_epsilon (_cochlea_spectrogram_view_x_to_time (view, plot.origin.x + 100),
                                  1.35 * visible + 100 * cochlea_spectrogram_view_get_seconds_per_pixel (view), 1e-9);

  widget_test_wait_until (view_idle, view);
  gtk_window_destroy (window);
}

static void
seek_cb (CochleaSpectrogramView *view,
         double                  seconds,
         GArray                 *log)
{
  g_array_append_val (log, seconds);
}

/* A click in the plot asks to seek to the time under it (clamped to the
 * spectrogram); clicks on the axes do nothing.  The playhead itself only
 * moves when the player sets the position. */
static void
test_spectrogram_view_click_seek (void)
{
  CochleaSpectrogramView *view = COCHLEA_SPECTROGRAM_VIEW (cochlea_spectrogram_view_new ());
  g_autoptr(CochleaSpectrogram) spec = make_music (400);
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (double));
  double spp = 0.05, duration = cochlea_spectrogram_get_duration (spec);
  graphene_rect_t plot;
  GtkWindow *window;

  cochlea_spectrogram_view_set_spectrogram (view, spec);
  cochlea_spectrogram_view_set_seconds_per_pixel (view, spp);
  cochlea_spectrogram_view_set_view_start (view, 1.0);
  cochlea_spectrogram_view_set_follow (view, FALSE);
  window = widget_test_present (GTK_WIDGET (view), 600, 200);
  g_signal_connect (view, "seek", G_CALLBACK (seek_cb), log);
  _cochlea_spectrogram_view_get_plot (view, &plot);

  g_assert_true (_cochlea_spectrogram_view_click (view, plot.origin.x + 40, plot.origin.y + 10));
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (log, double, 0), 1.0 + 40 * spp, 1e-9);
  g_assert_cmpfloat (cochlea_spectrogram_view_get_position (view), ==, 0);

  g_assert_true (_cochlea_spectrogram_view_click (view, plot.origin.x + plot.size.width - 1, plot.origin.y + 10));
  g_assert_cmpfloat (g_array_index (log, double, 1), ==, duration); /* past the end: clamped */

  g_assert_false (_cochlea_spectrogram_view_click (view, plot.origin.x - 10, plot.origin.y + 10)); /* Hz labels */
  g_assert_false (_cochlea_spectrogram_view_click (view, plot.origin.x + 40, plot.origin.y + plot.size.height + 5)); /* time axis */
  g_assert_cmpuint (log->len, ==, 2);

  widget_test_wait_until (view_idle, view);
  gtk_window_destroy (window);
}

/* Scrolling and keys zoom about a point that stays put, and pan. */
static void
test_spectrogram_view_zoom_pan (void)
{
  CochleaSpectrogramView *view = COCHLEA_SPECTROGRAM_VIEW (cochlea_spectrogram_view_new ());
  g_autoptr(CochleaSpectrogram) spec = make_music (3000);
  graphene_rect_t plot;
  GtkWindow *window;
  double spp, t_anchor, x_anchor, visible;

  cochlea_spectrogram_view_set_spectrogram (view, spec);
  cochlea_spectrogram_view_set_view_start (view, 10);
  window = widget_test_present (GTK_WIDGET (view), 600, 200);
  _cochlea_spectrogram_view_get_plot (view, &plot);

  spp = cochlea_spectrogram_view_get_seconds_per_pixel (view);
  x_anchor = plot.origin.x + 100;
  t_anchor = _cochlea_spectrogram_view_x_to_time (view, x_anchor);
  _cochlea_spectrogram_view_zoom_at (view, 2.0, x_anchor);
  g_assert_cmpfloat_with_epsilon (cochlea_spectrogram_view_get_seconds_per_pixel (view), 2 * spp, 1e-12);
  g_assert_cmpfloat_with_epsilon (_cochlea_spectrogram_view_x_to_time (view, x_anchor), t_anchor, 1e-9);

  spp = cochlea_spectrogram_view_get_seconds_per_pixel (view);
  g_assert_true (_cochlea_spectrogram_view_handle_key (view, GDK_KEY_plus));
  g_assert_cmpfloat_with_epsilon (cochlea_spectrogram_view_get_seconds_per_pixel (view), spp / 1.25, 1e-12);
  g_assert_true (_cochlea_spectrogram_view_handle_key (view, GDK_KEY_minus));
  g_assert_cmpfloat_with_epsilon (cochlea_spectrogram_view_get_seconds_per_pixel (view), spp, 1e-12);

  visible = plot.size.width * spp;
  t_anchor = cochlea_spectrogram_view_get_view_start (view);
  g_assert_true (_cochlea_spectrogram_view_handle_key (view, GDK_KEY_Right));
  g_assert_cmpfloat_with_epsilon (cochlea_spectrogram_view_get_view_start (view), t_anchor + visible / 8, 1e-9);
  g_assert_true (_cochlea_spectrogram_view_handle_key (view, GDK_KEY_Home));
  g_assert_cmpfloat (cochlea_spectrogram_view_get_view_start (view), ==, 0);
  g_assert_true (_cochlea_spectrogram_view_handle_key (view, GDK_KEY_Left));
  g_assert_cmpfloat (cochlea_spectrogram_view_get_view_start (view), ==, 0); /* never before 0 */
  g_assert_false (_cochlea_spectrogram_view_handle_key (view, GDK_KEY_a));

  widget_test_wait_until (view_idle, view);
  gtk_window_destroy (window);
}

/* The real widget, rendered: the bright band lands on the rows the axis
 * gives its frequency. */
static void
test_spectrogram_view_band_pixels (void)
{
  CochleaSpectrogramView *view = COCHLEA_SPECTROGRAM_VIEW (cochlea_spectrogram_view_new ());
  const int bin = 70;
  g_autoptr(CochleaSpectrogram) spec = make_band (1200, bin);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkWindow *window;
  graphene_rect_t plot;
  const guint8 *top = cochlea_colormap_get_table (COCHLEA_COLORMAP_MAGMA) + 4 * 255;
  double mel_max = cochlea_hz_to_mel_slaney (SR / 2.0);
  double hz = cochlea_mel_to_hz_slaney ((bin + 1) * mel_max / (N_BINS + 1));
  double y_axis;
  int first = -1, last = -1;

  cochlea_spectrogram_view_set_spectrogram (view, spec);
  window = widget_test_present (GTK_WIDGET (view), 640, 300);
  widget_test_wait_until (view_idle, view);
  texture = widget_test_render (GTK_WIDGET (view));
  g_assert_nonnull (texture);
  path = widget_test_save_png (texture, "spectrogram-band");

  _cochlea_spectrogram_view_get_plot (view, &plot);
  y_axis = plot.origin.y + cochlea_spectrogram_freq_to_y (spec, hz, plot.size.height);

  for (int y = plot.origin.y; y < plot.origin.y + plot.size.height; y++)
    {
      guint8 rgba[4];

      widget_test_get_pixel (texture, plot.origin.x + 30, y, rgba);
      if (abs (rgba[0] - top[0]) + abs (rgba[1] - top[1]) + abs (rgba[2] - top[2]) < 12)
        {
          if (first < 0)
            first = y;
          last = y;
        }
    }
  g_test_message ("band rows %d..%d, axis y %.2f", first, last, y_axis);
  g_assert_cmpint (first, >=, 0);
  g_assert_cmpint (last - first + 1, <=, (int) ceil (plot.size.height / N_BINS) + 1);
  g_assert_cmpfloat (y_axis, >=, first - 0.5);
  g_assert_cmpfloat (y_axis, <=, last + 1.5);

  gtk_window_destroy (window);
}

/* Live mode: a longer spectrogram with the same first frames renders only
 * the ragged last tile again; different data renders everything. */
static void
test_spectrogram_view_live_growth (void)
{
  CochleaSpectrogramView *view = COCHLEA_SPECTROGRAM_VIEW (cochlea_spectrogram_view_new ());
  g_autoptr(CochleaSpectrogram) a = make_music (600);
  g_autoptr(CochleaSpectrogram) b = make_music (900);
  g_autoptr(CochleaSpectrogram) c = make_band (900, 12);
  graphene_rect_t plot;
  GtkWindow *window;
  int scale, last_visible, last_data;
  guint n, expected;

  cochlea_spectrogram_view_set_auto_range (view, FALSE);
  cochlea_spectrogram_view_set_spectrogram (view, a);
  window = widget_test_present (GTK_WIDGET (view), 600, 200);
  widget_test_wait_until (view_idle, view);

  /* One frame per logical pixel: the visible tiles, one ahead, none past
   * the data.  At scale 1, 496 px of 600 frames: tiles 0, 1 and the
   * ragged 2 (frames 512..599). */
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (view));
  _cochlea_spectrogram_view_get_plot (view, &plot);
  last_visible = (int) (plot.size.width * scale) / COCHLEA_SPECTROGRAM_TILE_WIDTH;
  last_data = 600 * scale / COCHLEA_SPECTROGRAM_TILE_WIDTH;
  expected = MIN (last_visible + 1, last_data) + 1;
  n = _cochlea_spectrogram_view_get_n_tiles_rendered (view);
  g_assert_cmpuint (n, ==, expected);

  /* Only the ragged last tile is made again. */
  cochlea_spectrogram_view_set_spectrogram (view, b);
  widget_test_wait_until (view_idle, view);
  g_assert_cmpuint (_cochlea_spectrogram_view_get_n_tiles_rendered (view), ==, n + 1);
  n = _cochlea_spectrogram_view_get_n_tiles_rendered (view);

  /* Different data: everything. */
  cochlea_spectrogram_view_set_spectrogram (view, c);
  widget_test_wait_until (view_idle, view);
  g_assert_cmpuint (_cochlea_spectrogram_view_get_n_tiles_rendered (view), ==, n + expected);

  gtk_window_destroy (window);
}

/* Live mode from nothing: an empty spectrogram draws nothing and makes no
 * tiles; the first frames then arrive as a longer one. */
static void
test_spectrogram_view_live_from_empty (void)
{
  CochleaSpectrogramView *view = COCHLEA_SPECTROGRAM_VIEW (cochlea_spectrogram_view_new ());
  g_autoptr(CochleaSpectrogram) empty = cochlea_spectrogram_new (N_BINS, SR, HOP, 0, SR / 2.0);
  g_autoptr(CochleaSpectrogram) some = make_band (100, 40);
  g_autoptr(GdkTexture) texture = NULL;
  GtkWindow *window;

  cochlea_spectrogram_view_set_spectrogram (view, empty);
  window = widget_test_present (GTK_WIDGET (view), 400, 160);
  texture = widget_test_render (GTK_WIDGET (view));
  g_assert_null (texture); /* nothing to draw, not even axes */
  g_assert_false (_cochlea_spectrogram_view_is_busy (view));
  g_assert_cmpuint (_cochlea_spectrogram_view_get_n_tiles_rendered (view), ==, 0);
  g_assert_cmpfloat (cochlea_spectrogram_view_get_db_max (view), ==, 0); /* untouched */

  cochlea_spectrogram_view_set_spectrogram (view, some);
  widget_test_wait_until (view_idle, view);
  g_assert_cmpuint (_cochlea_spectrogram_view_get_n_tiles_rendered (view), ==, 1);
  g_assert_cmpfloat (cochlea_spectrogram_view_get_db_max (view), ==, 0);
  g_assert_cmpfloat (cochlea_spectrogram_view_get_db_min (view), ==, -80);

  gtk_window_destroy (window);
}

static void
test_spectrogram_view_screenshot (gconstpointer data)
{
  gboolean dark = GPOINTER_TO_INT (data);
  CochleaSpectrogramView *view = COCHLEA_SPECTROGRAM_VIEW (cochlea_spectrogram_view_new ());
  g_autoptr(CochleaSpectrogram) spec = make_music (1400);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkWindow *window;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  cochlea_spectrogram_view_set_spectrogram (view, spec);
  cochlea_spectrogram_view_set_colormap (view, dark ? COCHLEA_COLORMAP_MAGMA : COCHLEA_COLORMAP_VIRIDIS);
  cochlea_spectrogram_view_set_position (view, 7.3);
  window = widget_test_present (GTK_WIDGET (view), 900, 320);
  widget_test_wait_until (view_idle, view);
  texture = widget_test_render (gtk_widget_get_parent (GTK_WIDGET (view)));
  path = widget_test_save_png (texture, dark ? "spectrogram-view-dark" : "spectrogram-view-light");
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  gtk_window_destroy (window);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  if (!widget_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/spectrogram-view/properties", test_spectrogram_view_properties);
  g_test_add_func ("/spectrogram-view/auto-range", test_spectrogram_view_auto_range);
  g_test_add_func ("/spectrogram-view/follow", test_spectrogram_view_follow);
  g_test_add_func ("/spectrogram-view/click-seek", test_spectrogram_view_click_seek);
  g_test_add_func ("/spectrogram-view/zoom-pan", test_spectrogram_view_zoom_pan);
  g_test_add_func ("/spectrogram-view/band-pixels", test_spectrogram_view_band_pixels);
  g_test_add_func ("/spectrogram-view/live-growth", test_spectrogram_view_live_growth);
  g_test_add_func ("/spectrogram-view/live-from-empty", test_spectrogram_view_live_from_empty);
  g_test_add_data_func ("/spectrogram-view/screenshot/light", GINT_TO_POINTER (FALSE), test_spectrogram_view_screenshot);
  g_test_add_data_func ("/spectrogram-view/screenshot/dark", GINT_TO_POINTER (TRUE), test_spectrogram_view_screenshot);

  return g_test_run ();
}
