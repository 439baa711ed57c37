/* test-radar-chart.c — CochleaRadarChart under a display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "cochlea-radar-chart-private.h"
#include "cochlea-widget-utils.h"
#include "widget-test-utils.h"

static const double input[9] = { 0.62, 0.81, 0.70, 0.35, 0.12, 0.05, 0.08, 0.22, 0.78 };
static const double candidate[9] = { 0.58, 0.66, 0.74, 0.64, 0.30, 0.02, 0.31, 0.15, 0.72 };

static void
test_radar_chart_properties (void)
{
  CochleaRadarChart *chart = g_object_ref_sink (COCHLEA_RADAR_CHART (cochlea_radar_chart_new ()));
  const char *labels[] = { "A", "B", "C", "D", NULL };
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GStrv) current = NULL;
  char *str = NULL;

  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (chart)), ==, GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_cmpstr (gtk_widget_get_css_name (GTK_WIDGET (chart)), ==, "radarchart");
  g_object_get (chart, "axis-labels", &current, NULL);
  g_assert_cmpuint (g_strv_length (current), ==, 9);
  g_assert_cmpstr (current[0], ==, "Tempo");
  g_assert_cmpstr (current[8], ==, "Loudness");
  g_value_init (&value, G_TYPE_STRV);
  g_value_set_boxed (&value, labels);
  /* Equal content (not just the same pointer) must not notify either. */
  widget_test_check_property (G_OBJECT (chart), "axis-labels", &value);
  g_assert_cmpuint (cochlea_radar_chart_get_n_axes (chart), ==, 4);
  g_value_unset (&value);

  g_object_get (chart, "input-label", &str, NULL);
  g_assert_null (str);
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "Song A");
  widget_test_check_property (G_OBJECT (chart), "input-label", &value);
  g_value_set_string (&value, "Song B");
  widget_test_check_property (G_OBJECT (chart), "candidate-label", &value);

  widget_test_check_double_property (G_OBJECT (chart), "shared-threshold", 0.1, 0.25);
  widget_test_check_boolean_property (G_OBJECT (chart), "editable", TRUE);

  g_assert_finalize_object (chart);
}

static void
targets_changed_cb (CochleaRadarChart *chart,
                    guint              axis,
                    double             target,
                    GArray            *log)
{
  double entry[2] = { axis, target };

  g_array_append_vals (log, entry, 2);
}

static void
test_radar_chart_values_and_targets (void)
{
  CochleaRadarChart *chart = g_object_ref_sink (COCHLEA_RADAR_CHART (cochlea_radar_chart_new ()));
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (double));
  const double clamped_in[9] = { -1, 2, NAN, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5 };
  const double *values;

  g_signal_connect (chart, "targets-changed", G_CALLBACK (targets_changed_cb), log);

  g_assert_null (cochlea_radar_chart_get_input_values (chart));
  cochlea_radar_chart_set_input_values (chart, clamped_in, 9);
  values = cochlea_radar_chart_get_input_values (chart);
  g_assert_cmpfloat (values[0], ==, 0);
  g_assert_cmpfloat (values[1], ==, 1);
  g_assert_cmpfloat (values[2], ==, 0);

  /* A wrong length is a programmer error. */
  g_test_expect_message ("cochlea-radar-chart", G_LOG_LEVEL_CRITICAL, "*n_values == n_axes*");
  cochlea_radar_chart_set_candidate_values (chart, candidate, 4);
  g_test_assert_expected_messages ();
  g_assert_null (cochlea_radar_chart_get_candidate_values (chart));

  for (guint i = 0; i < 9; i++)
    g_assert_true (isnan (cochlea_radar_chart_get_targets (chart)[i]));

  cochlea_radar_chart_set_target (chart, 3, 0.9);
  cochlea_radar_chart_set_target (chart, 3, 0.9); /* same: no signal */
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpfloat (g_array_index (log, double, 0), ==, 3);
  g_assert_cmpfloat (g_array_index (log, double, 1), ==, 0.9);

  cochlea_radar_chart_clear_targets (chart);
  g_assert_cmpuint (log->len, ==, 4);
  g_assert_cmpfloat (g_array_index (log, double, 2), ==, G_MAXUINT);
  g_assert_true (isnan (cochlea_radar_chart_get_targets (chart)[3]));
  cochlea_radar_chart_clear_targets (chart); /* nothing set: no signal */
  g_assert_cmpuint (log->len, ==, 4);

  /* Changing the number of axes clears values and targets. */
  cochlea_radar_chart_set_target (chart, 1, 0.2);
  cochlea_radar_chart_set_axis_labels (chart, (const char *[]) { "x", "y", "z", NULL });
  g_assert_null (cochlea_radar_chart_get_input_values (chart));
  g_assert_true (isnan (cochlea_radar_chart_get_targets (chart)[1]));

  g_assert_finalize_object (chart);
}

/* Dragging a vertex (the gesture's code path, driven directly) sets the
 * target to the pointer's projection on that axis. */
static void
test_radar_chart_drag (void)
{
  CochleaRadarChart *chart = COCHLEA_RADAR_CHART (cochlea_radar_chart_new ());
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (double));
  CochleaRadarGeometry geom;
  GtkWindow *window;
  double x, y;

  cochlea_radar_chart_set_input_values (chart, input, 9);
  window = widget_test_present (GTK_WIDGET (chart), 420, 380);
  g_signal_connect (chart, "targets-changed", G_CALLBACK (targets_changed_cb), log);

  _cochlea_radar_chart_get_geometry (chart, &geom);
  g_assert_cmpfloat (geom.radius, >, 80);
  cochlea_radar_vertex (&geom, 1, 0.4, &x, &y);
  _cochlea_radar_chart_drag_to (chart, 1, x + 2, y + 2);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (cochlea_radar_chart_get_targets (chart)[1], 0.4, 0.02);

  cochlea_radar_vertex (&geom, 1, 1.5, &x, &y);
  _cochlea_radar_chart_drag_to (chart, 1, x, y);
  g_assert_cmpfloat (cochlea_radar_chart_get_targets (chart)[1], ==, 1.0);

  gtk_window_destroy (window);
}

/* Keyboard: Right moves to the next axis, Up raises its target to the next 5 % step
 * from the input's value, Delete unsets it. */
static void
test_radar_chart_keyboard (void)
{
  CochleaRadarChart *chart = g_object_ref_sink (COCHLEA_RADAR_CHART (cochlea_radar_chart_new ()));
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (double));

  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (chart)));
  g_assert_false (_cochlea_radar_chart_handle_key (chart, GDK_KEY_Up)); /* no values yet */

  cochlea_radar_chart_set_input_values (chart, input, 9);
  g_signal_connect (chart, "targets-changed", G_CALLBACK (targets_changed_cb), log);

  g_assert_true (_cochlea_radar_chart_handle_key (chart, GDK_KEY_Right));
  g_assert_true (_cochlea_radar_chart_handle_key (chart, GDK_KEY_Up));
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpfloat (g_array_index (log, double, 0), ==, 1);
  g_assert_cmpfloat_with_epsilon (cochlea_radar_chart_get_targets (chart)[1], 0.85, 1e-9); /* 0.81 → 0.85 */
  g_assert_true (_cochlea_radar_chart_handle_key (chart, GDK_KEY_Down));
  g_assert_true (_cochlea_radar_chart_handle_key (chart, GDK_KEY_Down));
  g_assert_cmpfloat_with_epsilon (cochlea_radar_chart_get_targets (chart)[1], 0.75, 1e-9);
  g_assert_true (_cochlea_radar_chart_handle_key (chart, GDK_KEY_Left));
  g_assert_true (_cochlea_radar_chart_handle_key (chart, GDK_KEY_Left)); /* wraps to axis 8 */
  g_assert_true (_cochlea_radar_chart_handle_key (chart, GDK_KEY_Up));
  g_assert_cmpfloat_with_epsilon (cochlea_radar_chart_get_targets (chart)[8], 0.8, 1e-9);
  g_assert_true (_cochlea_radar_chart_handle_key (chart, GDK_KEY_Delete));
  g_assert_true (isnan (cochlea_radar_chart_get_targets (chart)[8]));
  g_assert_false (_cochlea_radar_chart_handle_key (chart, GDK_KEY_a));

  cochlea_radar_chart_set_editable (chart, FALSE);
  g_array_set_size (log, 0);
  g_assert_true (_cochlea_radar_chart_handle_key (chart, GDK_KEY_Up));
  g_assert_cmpuint (log->len, ==, 0);

  g_assert_finalize_object (chart);
}

/* A list row draws a thumbnail with the pure function and colours read
 * from CSS through its own style class. */
static void
test_radar_chart_thumbnail_style (void)
{
  GtkWidget *area = g_object_ref_sink (gtk_drawing_area_new ());
  CochleaRadarStyle style;
  GdkRGBA accent;

  gtk_widget_add_css_class (area, "cochlea-radar-thumbnail");
  cochlea_radar_style_init_from_widget (&style, area);
  cochlea_widget_get_class_color (area, "series-input", &accent);
  g_assert_true (gdk_rgba_equal (&style.input, &accent));
  g_assert_false (gdk_rgba_equal (&style.input, &style.candidate));
  g_assert_false (gdk_rgba_equal (&style.input, &style.foreground));
  g_assert_cmpfloat (style.font_size, >, 0);
  g_assert_finalize_object (area);
}

static gboolean
close_to (const guint8   rgba[4],
          const GdkRGBA *color,
          int            tolerance)
{
  return abs (rgba[0] - (int) round (color->red * 255)) <= tolerance &&
         abs (rgba[1] - (int) round (color->green * 255)) <= tolerance &&
         abs (rgba[2] - (int) round (color->blue * 255)) <= tolerance;
}

static void
test_radar_chart_screenshot (gconstpointer data)
{
  gboolean dark = GPOINTER_TO_INT (data);
  CochleaRadarChart *chart = COCHLEA_RADAR_CHART (cochlea_radar_chart_new ());
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree char *accent_text = NULL;
  CochleaRadarGeometry geom;
  GdkRGBA accent;
  GtkWindow *window;
  guint8 rgba[4];
  double x, y;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
  cochlea_radar_chart_set_input_values (chart, input, 9);
  cochlea_radar_chart_set_candidate_values (chart, candidate, 9);
  cochlea_radar_chart_set_input_label (chart, "Dancing Queen");
  cochlea_radar_chart_set_candidate_label (chart, "Lay All Your Love on Me");
  cochlea_radar_chart_set_target (chart, 3, 0.6);
  window = widget_test_present (GTK_WIDGET (chart), 460, 420);
  texture = widget_test_render (gtk_widget_get_parent (GTK_WIDGET (chart)));
  path = widget_test_save_png (texture, dark ? "radar-chart-dark" : "radar-chart-light");

  /* The input's handle on the energy axis has the CSS accent colour. */
  cochlea_widget_get_class_color (GTK_WIDGET (chart), "series-input", &accent);
  _cochlea_radar_chart_get_geometry (chart, &geom);
  cochlea_radar_vertex (&geom, 1, input[1], &x, &y);
  widget_test_get_pixel (texture, (int) x, (int) y, rgba);
  accent_text = gdk_rgba_to_string (&accent);
  g_test_message ("accent %s, pixel %d %d %d", accent_text, rgba[0], rgba[1], rgba[2]);
  g_assert_true (close_to (rgba, &accent, 24));

  gtk_window_destroy (window);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  if (!widget_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/radar-chart/properties", test_radar_chart_properties);
  g_test_add_func ("/radar-chart/values-and-targets", test_radar_chart_values_and_targets);
  g_test_add_func ("/radar-chart/drag", test_radar_chart_drag);
  g_test_add_func ("/radar-chart/keyboard", test_radar_chart_keyboard);
  g_test_add_func ("/radar-chart/thumbnail-style", test_radar_chart_thumbnail_style);
  g_test_add_data_func ("/radar-chart/screenshot/light", GINT_TO_POINTER (FALSE), test_radar_chart_screenshot);
  g_test_add_data_func ("/radar-chart/screenshot/dark", GINT_TO_POINTER (TRUE), test_radar_chart_screenshot);

  return g_test_run ();
}
