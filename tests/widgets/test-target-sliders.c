/* test-target-sliders.c — CochleaTargetSliders under a display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-target-sliders.h"
#include "widget-test-utils.h"

static void
test_target_sliders_properties (void)
{
  CochleaTargetSliders *sliders = g_object_ref_sink (COCHLEA_TARGET_SLIDERS (cochlea_target_sliders_new ()));
  const char *labels[] = { "Energy", "Valence", "Tempo", NULL };
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (sliders)), ==, GTK_ACCESSIBLE_ROLE_GROUP);
  g_assert_cmpstr (gtk_widget_get_css_name (GTK_WIDGET (sliders)), ==, "targetsliders");
  g_assert_null (cochlea_target_sliders_get_axis_labels (sliders));
  g_assert_cmpuint (cochlea_target_sliders_get_n_axes (sliders), ==, 0);
  g_assert_false (cochlea_target_sliders_get_has_targets (sliders));

  g_value_init (&value, G_TYPE_STRV);
  g_value_set_boxed (&value, labels);
  widget_test_check_property (G_OBJECT (sliders), "axis-labels", &value);
  g_assert_cmpuint (cochlea_target_sliders_get_n_axes (sliders), ==, 3);

  /* One labelled slider per axis, in order. */
  for (guint i = 0; i < 3; i++)
    {
      GtkRange *range = cochlea_target_sliders_get_range (sliders, i);

      g_assert_true (GTK_IS_SCALE (range));
      g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (range)), ==, GTK_ACCESSIBLE_ROLE_SLIDER);
      g_assert_true (isnan (cochlea_target_sliders_get_targets (sliders)[i]));
    }

  g_assert_finalize_object (sliders);
}

typedef struct
{
  guint  n_signals;
  guint  axis;
  double value;
  guint  n_has_targets;
} Log;

static void
target_changed_cb (CochleaTargetSliders *sliders,
                   guint                 axis,
                   double                value,
                   Log                  *log)
{
  log->n_signals++;
  log->axis = axis;
  log->value = value;
}

static void
has_targets_cb (CochleaTargetSliders *sliders,
                GParamSpec           *pspec,
                Log                  *log)
{
  log->n_has_targets++;
}

static gboolean
label_has_class (CochleaTargetSliders *sliders,
                 guint                 axis,
                 const char           *css_class)
{
  GtkWidget *scale = GTK_WIDGET (cochlea_target_sliders_get_range (sliders, axis));
  GtkWidget *name = gtk_widget_get_prev_sibling (scale);

  g_assert_true (GTK_IS_LABEL (name));
  return gtk_widget_has_css_class (name, css_class);
}

static const char *
value_text (CochleaTargetSliders *sliders,
            guint                 axis)
{
  GtkWidget *scale = GTK_WIDGET (cochlea_target_sliders_get_range (sliders, axis));

  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_next_sibling (scale)));
}

static void
test_target_sliders_targets (void)
{
  CochleaTargetSliders *sliders = g_object_ref_sink (COCHLEA_TARGET_SLIDERS (cochlea_target_sliders_new ()));
  const char *labels[] = { "Energy", "Valence", "Tempo", NULL };
  const double values[] = { 0.25, NAN, 0.75 };
  Log log = { 0 };

  cochlea_target_sliders_set_axis_labels (sliders, labels);
  g_signal_connect (sliders, "target-changed", G_CALLBACK (target_changed_cb), &log);
  g_signal_connect (sliders, "notify::has-targets", G_CALLBACK (has_targets_cb), &log);

  /* Without targets the sliders show the song's own values, from code:
   * no signal. */
  cochlea_target_sliders_set_values (sliders, values, 3);
  g_assert_cmpfloat (gtk_range_get_value (cochlea_target_sliders_get_range (sliders, 0)), ==, 0.25);
  g_assert_cmpfloat (gtk_range_get_value (cochlea_target_sliders_get_range (sliders, 2)), ==, 0.75);
  g_assert_cmpstr (value_text (sliders, 0), ==, "25 %");
  g_assert_cmpstr (value_text (sliders, 1), ==, "—");
  g_assert_cmpuint (log.n_signals, ==, 0);
  g_assert_false (cochlea_target_sliders_get_has_targets (sliders));

  /* The user moves a slider (a drag or the keyboard ends here): a target,
   * one signal, one notify, the "targeted" style. */
  gtk_range_set_value (cochlea_target_sliders_get_range (sliders, 1), 0.9);
  g_assert_cmpuint (log.n_signals, ==, 1);
  g_assert_cmpuint (log.axis, ==, 1);
  g_assert_cmpfloat_with_epsilon (log.value, 0.9, 1e-9);
  g_assert_cmpfloat_with_epsilon (cochlea_target_sliders_get_targets (sliders)[1], 0.9, 1e-9);
  g_assert_true (cochlea_target_sliders_get_has_targets (sliders));
  g_assert_cmpuint (log.n_has_targets, ==, 1);
  g_assert_true (label_has_class (sliders, 1, "targeted"));
  g_assert_false (label_has_class (sliders, 0, "targeted"));
  g_assert_cmpstr (value_text (sliders, 1), ==, "90 %");

  /* A target from code (the radar was dragged) moves the slider without a
   * signal; new song values leave targeted sliders where they are. */
  cochlea_target_sliders_set_target (sliders, 0, 0.6);
  g_assert_cmpuint (log.n_signals, ==, 1);
  g_assert_cmpfloat (gtk_range_get_value (cochlea_target_sliders_get_range (sliders, 0)), ==, 0.6);
  cochlea_target_sliders_set_values (sliders, values, 3);
  g_assert_cmpfloat (gtk_range_get_value (cochlea_target_sliders_get_range (sliders, 0)), ==, 0.6);
  g_assert_cmpuint (log.n_has_targets, ==, 1);

  /* Out-of-range targets are clamped. */
  cochlea_target_sliders_set_target (sliders, 2, 7.0);
  g_assert_cmpfloat (cochlea_target_sliders_get_targets (sliders)[2], ==, 1.0);

  /* Reset: every slider back on the song's value, one notify, no signal. */
  cochlea_target_sliders_clear_targets (sliders);
  g_assert_false (cochlea_target_sliders_get_has_targets (sliders));
  g_assert_cmpuint (log.n_has_targets, ==, 2);
  g_assert_cmpuint (log.n_signals, ==, 1);
  g_assert_cmpfloat (gtk_range_get_value (cochlea_target_sliders_get_range (sliders, 0)), ==, 0.25);
  g_assert_false (label_has_class (sliders, 1, "targeted"));
  cochlea_target_sliders_clear_targets (sliders);
  g_assert_cmpuint (log.n_has_targets, ==, 2);

  g_assert_finalize_object (sliders);
}

static char *
format_bpm (guint    axis,
            double   value,
            gpointer user_data)
{
  guint *calls = user_data;

  (*calls)++;
  return g_strdup_printf ("%.0f BPM", 40.0 + 180.0 * value);
}

static void
test_target_sliders_format_and_render (void)
{
  CochleaTargetSliders *sliders = COCHLEA_TARGET_SLIDERS (cochlea_target_sliders_new ());
  const char *labels[] = { "Tempo", "Energy", "Valence", NULL };
  const double values[] = { 0.5, 0.25, 0.75 };
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *png = NULL;
  GtkWindow *window;
  guint calls = 0;

  cochlea_target_sliders_set_axis_labels (sliders, labels);
  cochlea_target_sliders_set_format_func (sliders, format_bpm, &calls, NULL);
  g_assert_cmpuint (calls, ==, 0);  /* no values yet: "—" */
  cochlea_target_sliders_set_values (sliders, values, 3);
  g_assert_cmpuint (calls, ==, 3);
  g_assert_cmpstr (value_text (sliders, 0), ==, "130 BPM");
  cochlea_target_sliders_set_target (sliders, 1, 0.9);

  window = widget_test_present (GTK_WIDGET (sliders), 360, 120);
  texture = widget_test_render (GTK_WIDGET (window));
  png = widget_test_save_png (texture, "target-sliders.png");
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 360);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  if (!widget_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/widgets/target-sliders/properties", test_target_sliders_properties);
  g_test_add_func ("/widgets/target-sliders/targets", test_target_sliders_targets);
  g_test_add_func ("/widgets/target-sliders/format-and-render", test_target_sliders_format_and_render);

  return g_test_run ();
}
