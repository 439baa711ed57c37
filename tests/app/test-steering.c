/* test-steering.c — the Similar page's sliders and radar set the same
 * targets, either one re-ranks (off the main thread), Reset forgets them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "app-test-utils.h"
#include "cochlea-radar-chart.h"
#include "cochlea-target-sliders.h"
#include "cochlea-test-utils.h"
#include "cochlea-window-private.h"
#include "jobs/cochlea-recommend-job.h"

/* How well @id's attributes match the query or its targets. */
static double
attribute_match (CochleaWindow *window,
                 gint64         id)
{
  g_assert_nonnull (window->similar);
  for (guint i = 0; i < window->similar->len; i++)
    {
      const CochleaSimilarSong *song = g_ptr_array_index (window->similar, i);

      if (song->id == id)
        return song->attribute_match;
    }
  g_assert_not_reached ();
}

static gboolean
reset_enabled (CochleaWindow *window)
{
  GtkWidget *button = GTK_WIDGET (window->reset_targets_button);

  return gtk_widget_get_sensitive (button);
}

static void
test_sliders_and_radar (void)
{
  GtkWidget *widget = app_test_present_window ();
  CochleaWindow *window = COCHLEA_WINDOW (widget);
  g_autofree char *dir = app_test_import_songs (widget, 3);
  g_autofree char *first = g_build_filename (dir, "song-0.wav", NULL);
  CochleaRadarChart *radar = COCHLEA_RADAR_CHART (window->radar);
  CochleaTargetSliders *sliders = COCHLEA_TARGET_SLIDERS (window->sliders);
  const double *input;
  const double *values;
  double untargeted_match;
  gint64 id;
  guint generation;
  guint energy = 1;

  g_settings_set_boolean (window->settings, "autoplay", FALSE);
  app_test_play_and_wait (widget, first);
  g_assert_cmpuint (window->similar->len, ==, 2);
  id = ((CochleaSimilarSong *) g_ptr_array_index (window->similar, 0))->id;
  untargeted_match = attribute_match (window, id);
  g_assert_true (isfinite (untargeted_match));

  /* One slider per radar axis, showing the song's own values. */
  g_assert_cmpuint (cochlea_target_sliders_get_n_axes (sliders), ==, cochlea_radar_chart_get_n_axes (radar));
  g_assert_true (g_strv_equal (cochlea_target_sliders_get_axis_labels (sliders),
                               cochlea_radar_chart_get_axis_labels (radar)));
  input = cochlea_radar_chart_get_input_values (radar);
  values = cochlea_target_sliders_get_values (sliders);
  for (guint i = 0; i < cochlea_radar_chart_get_n_axes (radar); i++)
    g_assert_cmpfloat_with_epsilon (values[i], input[i], 1e-9);
  g_assert_false (reset_enabled (window));

  /* Moving a slider sets the radar's target and re-ranks. */
  generation = window->similar_generation;
  gtk_range_set_value (cochlea_target_sliders_get_range (sliders, energy),
                       input[energy] > 0.5 ? 0.0 : 1.0);
  g_assert_cmpfloat (cochlea_radar_chart_get_targets (radar)[energy], ==, input[energy] > 0.5 ? 0.0 : 1.0);
  g_assert_true (reset_enabled (window));
  app_test_wait_reranked (widget, generation);
  /* The target is far from the songs' energy, so their attributes match
   * the steered query less well. */
  g_assert_cmpfloat (attribute_match (window, id), <, untargeted_match - 1e-6);

  /* Dragging a radar vertex (set_target is what the drag calls) moves the
   * slider and re-ranks too. */
  generation = window->similar_generation;
  cochlea_radar_chart_set_target (radar, 4, 0.3);
  g_assert_cmpfloat (cochlea_target_sliders_get_targets (sliders)[4], ==, 0.3);
  g_assert_cmpfloat (gtk_range_get_value (cochlea_target_sliders_get_range (sliders, 4)), ==, 0.3);
  app_test_wait_reranked (widget, generation);

  /* Reset forgets both and ranks by the song alone again. */
  generation = window->similar_generation;
  gtk_widget_activate_action (widget, "win.reset-targets", NULL);
  g_assert_false (cochlea_target_sliders_get_has_targets (sliders));
  for (guint i = 0; i < cochlea_radar_chart_get_n_axes (radar); i++)
    {
      g_assert_true (isnan (cochlea_radar_chart_get_targets (radar)[i]));
      g_assert_cmpfloat_with_epsilon (gtk_range_get_value (cochlea_target_sliders_get_range (sliders, i)),
                                      input[i], 1e-9);
    }
  g_assert_false (reset_enabled (window));
  app_test_wait_reranked (widget, generation);
  g_assert_cmpfloat_with_epsilon (attribute_match (window, id), untargeted_match, 1e-9);

  /* A new song starts without targets. */
  gtk_range_set_value (cochlea_target_sliders_get_range (sliders, 0), 0.0);
  g_assert_true (cochlea_target_sliders_get_has_targets (sliders));
  app_test_play_and_wait (widget, first);
  g_assert_false (cochlea_target_sliders_get_has_targets (sliders));
  g_assert_true (isnan (cochlea_radar_chart_get_targets (radar)[0]));

  {
    g_autoptr(GdkTexture) texture = NULL;
    g_autofree char *png = NULL;

    gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
    gtk_range_set_value (cochlea_target_sliders_get_range (sliders, energy), 0.9);
    adw_view_stack_set_visible_child_name (window->view_stack, "similar");
    app_test_wait_frames (widget, 3);
    texture = app_test_render (widget);
    png = app_test_save_png (texture, "cochlea-steering.png");
  }

  g_settings_reset (window->settings, "autoplay");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/steering/sliders-and-radar", test_sliders_and_radar);

  return g_test_run ();
}
