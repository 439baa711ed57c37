/* test-radar-draw.c — the radar chart's geometry and pure draw function,
 * no display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-radar-chart.h"

static void
test_radar_angles (void)
{
  /* Axis 0 points up, the rest follow clockwise (y grows downwards). */
  g_assert_cmpfloat_with_epsilon (cochlea_radar_axis_angle (4, 0), -G_PI / 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (cochlea_radar_axis_angle (4, 1), 0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cochlea_radar_axis_angle (4, 2), G_PI / 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (cochlea_radar_axis_angle (9, 3), -G_PI / 2 + 3 * 2 * G_PI / 9, 1e-12);
}

static void
test_radar_vertices (void)
{
  CochleaRadarGeometry geom = { .cx = 100, .cy = 80, .radius = 50, .n_axes = 4 };
  static const struct { guint axis; double value; double x, y; } cases[] = {
    { 0, 1.0, 100, 30 },  /* up */
    { 1, 0.5, 125, 80 },  /* right */
    { 2, 0.2, 100, 90 },  /* down */
    { 3, 0.0, 100, 80 },  /* centre */
    { 3, 1.0, 50, 80 },   /* left */
    { 1, 7.0, 150, 80 },  /* clamped to 1 */
    { 1, -2.0, 100, 80 }, /* clamped to 0 */
    { 1, NAN, 100, 80 },  /* NaN is 0 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double x, y;

      cochlea_radar_vertex (&geom, cases[i].axis, cases[i].value, &x, &y);
      g_assert_cmpfloat_with_epsilon (x, cases[i].x, 1e-9);
      g_assert_cmpfloat_with_epsilon (y, cases[i].y, 1e-9);
    }

  g_assert_cmpfloat (cochlea_radar_value_to_radius (&geom, 0.3), ==, 15);
}

static void
test_radar_hit_and_project (void)
{
  CochleaRadarGeometry geom = { .cx = 100, .cy = 100, .radius = 80, .n_axes = 9 };
  double values[9] = { 0.9, 0.1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5 };
  double x, y;

  for (guint axis = 0; axis < 9; axis++)
    {
      cochlea_radar_vertex (&geom, axis, values[axis], &x, &y);
      g_assert_cmpint (cochlea_radar_hit_vertex (&geom, values, x + 3, y - 2, 8), ==, axis);
      /* Projecting a vertex gives its value back; off-axis points project. */
      g_assert_cmpfloat_with_epsilon (cochlea_radar_project (&geom, axis, x, y), values[axis], 1e-9);
    }
  g_assert_cmpint (cochlea_radar_hit_vertex (&geom, values, 0, 0, 8), ==, -1);
  g_assert_cmpint (cochlea_radar_hit_vertex (&geom, NULL, 100, 100, 8), ==, -1);

  /* Up axis: a point 40 px above the centre and 10 px to the side is 0.5. */
  g_assert_cmpfloat_with_epsilon (cochlea_radar_project (&geom, 0, 110, 60), 0.5, 1e-9);
  g_assert_cmpfloat (cochlea_radar_project (&geom, 0, 100, 500), ==, 0); /* below: clamped */
  g_assert_cmpfloat (cochlea_radar_project (&geom, 0, 100, -500), ==, 1);
}

static void
test_radar_shared (void)
{
  double input[3] = { 0.5, 0.5, NAN };
  double candidate[3] = { 0.55, 0.8, 0.5 };
  CochleaRadarData data = { .n_axes = 3, .input = input, .candidate = candidate, .shared_threshold = 0.1 };

  g_assert_true (cochlea_radar_axis_is_shared (&data, 0));
  g_assert_false (cochlea_radar_axis_is_shared (&data, 1));
  g_assert_false (cochlea_radar_axis_is_shared (&data, 2));
  g_assert_false (cochlea_radar_axis_is_shared (&data, 7));
  data.candidate = NULL;
  g_assert_false (cochlea_radar_axis_is_shared (&data, 0));
}

static void
test_radar_normalize (void)
{
  g_assert_cmpfloat (cochlea_radar_normalize_tempo (40), ==, 0);
  g_assert_cmpfloat (cochlea_radar_normalize_tempo (130), ==, 0.5);
  g_assert_cmpfloat (cochlea_radar_normalize_tempo (300), ==, 1);
  g_assert_cmpfloat (cochlea_radar_normalize_loudness (-30), ==, 0.5);
  g_assert_cmpfloat (cochlea_radar_normalize_loudness (3), ==, 1);
  g_assert_cmpfloat (cochlea_radar_normalize_loudness (NAN), ==, 0);
}

static void
get_pixel (cairo_surface_t *surface,
           double           x,
           double           y,
           guint8           rgb[3])
{
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);
  guint32 p = *(const guint32 *) (data + (int) y * stride + 4 * (int) x);

  rgb[0] = (p >> 16) & 0xff;
  rgb[1] = (p >> 8) & 0xff;
  rgb[2] = p & 0xff;
}

static gboolean
close_to (const guint8   rgb[3],
          const GdkRGBA *color,
          int            tolerance)
{
  return abs (rgb[0] - (int) round (color->red * 255)) <= tolerance &&
         abs (rgb[1] - (int) round (color->green * 255)) <= tolerance &&
         abs (rgb[2] - (int) round (color->blue * 255)) <= tolerance;
}

/* The input polygon's outline, drawn by the pure function into an image,
 * reaches radius v·R at each axis's angle, and not beyond. */
static void
test_radar_draw_pixels (gconstpointer user_data)
{
  gboolean thumbnail = GPOINTER_TO_INT (user_data);
  static const double input[9] = { 0.9, 0.3, 0.6, 0.75, 0.45, 0.2, 0.8, 0.55, 0.65 };
  const int width = thumbnail ? 120 : 420, height = thumbnail ? 120 : 360;
  guint n_axes;
  const char * const *labels = cochlea_radar_chart_get_default_axes (&n_axes);
  CochleaRadarData data = {
    .n_axes = n_axes,
    .axis_labels = labels,
    .input = input,
    .input_label = "Input",
    .shared_threshold = 0.1,
  };
  CochleaRadarStyle style;
  CochleaRadarGeometry geom;
  cairo_surface_t *surface;
  cairo_t *cr;

  g_assert_cmpuint (n_axes, ==, 9);
  cochlea_radar_style_init_default (&style);
  if (thumbnail)
    style.font_size = 0;
  style.fill_alpha = 0; /* outline only, so "inside" stays background */

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cochlea_radar_chart_draw (cr, width, height, &data, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  cochlea_radar_geometry_init (&geom, width, height, n_axes, &style);
  g_assert_cmpfloat (geom.radius, >, thumbnail ? 40 : 100);

  for (guint axis = 0; axis < n_axes; axis++)
    {
      double angle = cochlea_radar_axis_angle (n_axes, axis);
      double r = input[axis] * geom.radius;
      guint8 rgb[3];

      /* On the vertex: the input colour. */
      get_pixel (surface, geom.cx + r * cos (angle), geom.cy + r * sin (angle), rgb);
      g_assert_true (close_to (rgb, &style.input, 40));

      /* Beyond it on the same axis (past the handle): not the input colour. */
      get_pixel (surface, geom.cx + (r + 8) * cos (angle), geom.cy + (r + 8) * sin (angle), rgb);
      g_assert_false (close_to (rgb, &style.input, 40));
    }

  if (g_getenv ("COCHLEA_BUILD_ROOT"))
    {
      g_autofree char *dir = g_build_filename (g_getenv ("COCHLEA_BUILD_ROOT"), "meson-logs", "widgets", NULL);
      g_autofree char *path = g_build_filename (dir, thumbnail ? "radar-draw-thumbnail.png" : "radar-draw.png", NULL);

      g_mkdir_with_parents (dir, 0755);
      g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
    }

  cairo_surface_destroy (surface);
}

/* A shared axis is ringed in the shared colour; a distant one is not. */
static void
test_radar_draw_shared (void)
{
  double input[5] = { 0.5, 0.5, 0.5, 0.5, 0.5 };
  double candidate[5] = { 0.52, 0.9, 0.1, 0.9, 0.1 };
  CochleaRadarData data = { .n_axes = 5, .input = input, .candidate = candidate, .shared_threshold = 0.1 };
  CochleaRadarStyle style;
  CochleaRadarGeometry geom;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 200);
  cairo_t *cr = cairo_create (surface);
  double x, y;
  guint8 rgb[3];

  cochlea_radar_style_init_default (&style);
  style.font_size = 0;
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cochlea_radar_chart_draw (cr, 200, 200, &data, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  cochlea_radar_geometry_init (&geom, 200, 200, 5, &style);
  /* The spoke of axis 0 near the rim is drawn in the shared colour. */
  cochlea_radar_vertex (&geom, 0, 0.95, &x, &y);
  get_pixel (surface, x, y, rgb);
  g_assert_true (close_to (rgb, &(GdkRGBA) { 0.5 + 0.5 * style.shared.red, 0.5 + 0.5 * style.shared.green, 0.5 + 0.5 * style.shared.blue, 1 }, 60) ||
                 close_to (rgb, &style.shared, 60));
  /* Axis 1 is not shared: its rim is grid-grey, not green. */
  cochlea_radar_vertex (&geom, 1, 0.98, &x, &y);
  get_pixel (surface, x, y, rgb);
  g_assert_false (close_to (rgb, &style.shared, 60));

  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/radar/angles", test_radar_angles);
  g_test_add_func ("/radar/vertices", test_radar_vertices);
  g_test_add_func ("/radar/hit-and-project", test_radar_hit_and_project);
  g_test_add_func ("/radar/shared", test_radar_shared);
  g_test_add_func ("/radar/normalize", test_radar_normalize);
  g_test_add_data_func ("/radar/draw-pixels/full", GINT_TO_POINTER (FALSE), test_radar_draw_pixels);
  g_test_add_data_func ("/radar/draw-pixels/thumbnail", GINT_TO_POINTER (TRUE), test_radar_draw_pixels);
  g_test_add_func ("/radar/draw-shared", test_radar_draw_shared);

  return g_test_run ();
}
