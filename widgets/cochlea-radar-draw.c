/* cochlea-radar-draw.c — the radar chart's pure geometry and Cairo drawing
 * (no display: tests draw into a cairo_image_surface; list rows use it
 * for thumbnails)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-radar-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "cochlea-radar-chart.h"

/**
 * cochlea_radar_chart_get_default_axes:
 * @n_axes: (out) (optional): number of axes
 *
 * The attributes of [attributes], in the order the chart shows them.
 *
 * Returns: (transfer none): translated labels, NULL-terminated
 */
const char * const *
cochlea_radar_chart_get_default_axes (guint *n_axes)
{
  static const char *labels[] = {
    N_("Tempo"), N_("Energy"), N_("Danceability"), N_("Valence"), N_("Acousticness"),
    N_("Instrumentalness"), N_("Speechiness"), N_("Liveness"), N_("Loudness"), NULL
  };
  static const char *translated[G_N_ELEMENTS (labels)];

  if (translated[0] == NULL)
    for (guint i = 0; labels[i] != NULL; i++)
      translated[i] = g_dgettext (GETTEXT_PACKAGE, labels[i]);

  if (n_axes)
    *n_axes = G_N_ELEMENTS (labels) - 1;
  return (const char * const *) translated;
}

/**
 * cochlea_radar_normalize_tempo:
 * @bpm: beats per minute
 *
 * Returns: (@bpm − 40) / 180 clamped to [0, 1] (40 → 0, 220 → 1)
 */
double
cochlea_radar_normalize_tempo (double bpm)
{
  return isnan (bpm) ? 0 : CLAMP ((bpm - 40.0) / 180.0, 0.0, 1.0);
}

/**
 * cochlea_radar_normalize_loudness:
 * @lufs: integrated loudness (or dBFS)
 *
 * Returns: (@lufs + 60) / 60 clamped to [0, 1] (−60 → 0, 0 → 1), as
 *   Spotify's loudness range
 */
double
cochlea_radar_normalize_loudness (double lufs)
{
  return isnan (lufs) ? 0 : CLAMP ((lufs + 60.0) / 60.0, 0.0, 1.0);
}

/**
 * cochlea_radar_style_init_default:
 * @style: (out caller-allocates): a style
 *
 * Adwaita-like colours for drawing without a widget (tests, thumbnails
 * before the widget is styled); the widget fills them from CSS instead.
 */
void
cochlea_radar_style_init_default (CochleaRadarStyle *style)
{
  *style = (CochleaRadarStyle) {
    .foreground = { 0.0, 0.0, 0.0, 0.8 },
    .grid = { 0.0, 0.0, 0.0, 0.15 },
    .input = { 0.110, 0.443, 0.847, 1.0 },     /* Adwaita blue 3 */
    .candidate = { 0.902, 0.380, 0.000, 1.0 }, /* Adwaita orange 4 */
    .shared = { 0.180, 0.761, 0.494, 1.0 },    /* Adwaita green 4 */
    .target = { 0.0, 0.0, 0.0, 0.8 },
    .fill_alpha = 0.2,
    .line_width = 2.0,
    .font_size = 12.0,
    .show_legend = TRUE,
    .hover_axis = -1,
    .font_family = NULL,
  };
}

static double
legend_height (const CochleaRadarStyle *style)
{
  return style->font_size > 0 && style->show_legend ? 2.5 * style->font_size : 0;
}

/**
 * cochlea_radar_geometry_init:
 * @geom: (out caller-allocates): the geometry
 * @width: drawing width
 * @height: drawing height
 * @n_axes: number of axes
 * @style: the style (its font size sets the room left for labels)
 *
 * The largest circle that fits with room for the labels around it and
 * the legend below.
 */
void
cochlea_radar_geometry_init (CochleaRadarGeometry    *geom,
                             double                   width,
                             double                   height,
                             guint                    n_axes,
                             const CochleaRadarStyle *style)
{
  double margin_x, margin_y, legend;

  if (style->font_size > 0)
    {
      margin_x = 7.5 * style->font_size;
      margin_y = 2.0 * style->font_size;
    }
  else
    margin_x = margin_y = style->line_width + 3;
  legend = legend_height (style);

  geom->n_axes = n_axes;
  geom->cx = width / 2.0;
  geom->cy = margin_y + (height - 2 * margin_y - legend) / 2.0;
  geom->radius = MAX (0.0, MIN (width - 2 * margin_x, height - 2 * margin_y - legend) / 2.0);
}

/**
 * cochlea_radar_axis_angle:
 * @n_axes: number of axes
 * @axis: an axis
 *
 * Returns: the angle of @axis in radians, in Cairo's convention (y down):
 *   axis 0 points up (−π/2) and the others follow clockwise
 */
double
cochlea_radar_axis_angle (guint n_axes,
                          guint axis)
{
  return -G_PI / 2 + 2 * G_PI * axis / MAX (n_axes, 1);
}

/**
 * cochlea_radar_value_to_radius:
 * @geom: the geometry
 * @value: a value; clamped to [0, 1], NaN is 0
 *
 * Returns: value · radius
 */
double
cochlea_radar_value_to_radius (const CochleaRadarGeometry *geom,
                               double                      value)
{
  if (!(value > 0))
    return 0;
  return MIN (value, 1.0) * geom->radius;
}

/**
 * cochlea_radar_vertex:
 * @geom: the geometry
 * @axis: an axis
 * @value: its value
 * @x: (out): x of the vertex
 * @y: (out): y of the vertex
 */
void
cochlea_radar_vertex (const CochleaRadarGeometry *geom,
                      guint                       axis,
                      double                      value,
                      double                     *x,
                      double                     *y)
{
  double angle = cochlea_radar_axis_angle (geom->n_axes, axis);
  double r = cochlea_radar_value_to_radius (geom, value);

  *x = geom->cx + r * cos (angle);
  *y = geom->cy + r * sin (angle);
}

/**
 * cochlea_radar_hit_vertex:
 * @geom: the geometry
 * @values: n_axes values
 * @x: pointer x
 * @y: pointer y
 * @tolerance: pixels
 *
 * Returns: the axis whose vertex is nearest to (@x, @y) within
 *   @tolerance, or -1
 */
int
cochlea_radar_hit_vertex (const CochleaRadarGeometry *geom,
                          const double               *values,
                          double                      x,
                          double                      y,
                          double                      tolerance)
{
  double best = tolerance * tolerance;
  int hit = -1;

  if (values == NULL)
    return -1;

  for (guint i = 0; i < geom->n_axes; i++)
    {
      double vx, vy, d;

      cochlea_radar_vertex (geom, i, values[i], &vx, &vy);
      d = (vx - x) * (vx - x) + (vy - y) * (vy - y);
      if (d <= best)
        {
          best = d;
          hit = i;
        }
    }
  return hit;
}

/**
 * cochlea_radar_project:
 * @geom: the geometry
 * @axis: an axis
 * @x: pointer x
 * @y: pointer y
 *
 * Returns: the value on @axis nearest to (@x, @y), in [0, 1] — what a
 *   dragged vertex is set to
 */
double
cochlea_radar_project (const CochleaRadarGeometry *geom,
                       guint                       axis,
                       double                      x,
                       double                      y)
{
  double angle = cochlea_radar_axis_angle (geom->n_axes, axis);
  double along;

  if (geom->radius <= 0)
    return 0;
  along = (x - geom->cx) * cos (angle) + (y - geom->cy) * sin (angle);
  return CLAMP (along / geom->radius, 0.0, 1.0);
}

/**
 * cochlea_radar_axis_is_shared:
 * @data: the data
 * @axis: an axis
 *
 * Returns: whether both songs have @axis and differ by less than the
 *   threshold there
 */
gboolean
cochlea_radar_axis_is_shared (const CochleaRadarData *data,
                              guint                   axis)
{
  if (data->input == NULL || data->candidate == NULL || axis >= data->n_axes)
    return FALSE;
  if (isnan (data->input[axis]) || isnan (data->candidate[axis]))
    return FALSE;
  return fabs (data->input[axis] - data->candidate[axis]) < data->shared_threshold;
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *rgba,
            double         alpha)
{
  cairo_set_source_rgba (cr, rgba->red, rgba->green, rgba->blue, rgba->alpha * alpha);
}

static void
path_polygon (cairo_t                    *cr,
              const CochleaRadarGeometry *geom,
              const double               *values,
              double                      constant)
{
  for (guint i = 0; i < geom->n_axes; i++)
    {
      double x, y;

      cochlea_radar_vertex (geom, i, values ? values[i] : constant, &x, &y);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_close_path (cr);
}

static void
draw_series (cairo_t                    *cr,
             const CochleaRadarGeometry *geom,
             const double               *values,
             const GdkRGBA              *color,
             const CochleaRadarStyle    *style,
             gboolean                    handles)
{
  path_polygon (cr, geom, values, 0);
  set_source (cr, color, style->fill_alpha);
  cairo_fill_preserve (cr);
  set_source (cr, color, 1.0);
  cairo_set_line_width (cr, style->line_width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);

  if (!handles)
    return;

  for (guint i = 0; i < geom->n_axes; i++)
    {
      double x, y, r = style->line_width + (style->hover_axis == (int) i ? 3.5 : 1.5);

      cochlea_radar_vertex (geom, i, values[i], &x, &y);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

static PangoLayout *
create_layout (cairo_t                 *cr,
               const CochleaRadarStyle *style,
               const char              *text,
               gboolean                 bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family (desc, style->font_family ? style->font_family : "Sans");
  pango_font_description_set_absolute_size (desc, style->font_size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_font_description_free (desc);

  return layout;
}

static void
draw_axis_label (cairo_t                    *cr,
                 const CochleaRadarGeometry *geom,
                 const CochleaRadarStyle    *style,
                 guint                       axis,
                 const char                 *text,
                 gboolean                    shared)
{
  g_autoptr(PangoLayout) layout = create_layout (cr, style, text, shared);
  double angle = cochlea_radar_axis_angle (geom->n_axes, axis);
  double c = cos (angle), s = sin (angle);
  double x = geom->cx + (geom->radius + 0.6 * style->font_size) * c;
  double y = geom->cy + (geom->radius + 0.6 * style->font_size) * s;
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  /* Anchor the label on the side facing the chart. */
  x -= (c > 0.25 ? 0.0 : c < -0.25 ? 1.0 : 0.5) * w;
  y -= (s > 0.25 ? 0.0 : s < -0.25 ? 1.0 : 0.5) * h;
  /* Never cut a label at the edge of a narrow chart. */
  x = CLAMP (x, 0, MAX (0, 2 * geom->cx - w));

  set_source (cr, shared ? &style->shared : &style->foreground, 1.0);
  cairo_move_to (cr, round (x), round (y));
  pango_cairo_show_layout (cr, layout);
}

static double
draw_legend_entry (cairo_t                 *cr,
                   const CochleaRadarStyle *style,
                   double                   x,
                   double                   y,
                   const GdkRGBA           *color,
                   const char              *text,
                   gboolean                 measure_only)
{
  g_autoptr(PangoLayout) layout = create_layout (cr, style, text, FALSE);
  double sw = style->font_size;
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (!measure_only)
    {
      cairo_rectangle (cr, x, y + (h - sw) / 2, sw, sw);
      set_source (cr, color, 0.35 + style->fill_alpha);
      cairo_fill_preserve (cr);
      set_source (cr, color, 1.0);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);

      set_source (cr, &style->foreground, 1.0);
      cairo_move_to (cr, x + sw + 0.4 * style->font_size, y);
      pango_cairo_show_layout (cr, layout);
    }
  return sw + 0.4 * style->font_size + w + 1.5 * style->font_size;
}

typedef struct
{
  const GdkRGBA *color;
  const char    *text;
} LegendEntry;

static void
draw_legend (cairo_t                *cr,
             int                     width,
             int                     height,
             const CochleaRadarData *data,
             const CochleaRadarStyle *style,
             gboolean                any_shared)
{
  LegendEntry entries[3];
  guint n = 0;
  double total = 0, x, y = height - 1.8 * style->font_size;

  if (data->input != NULL && data->input_label != NULL)
    entries[n++] = (LegendEntry) { &style->input, data->input_label };
  if (data->candidate != NULL && data->candidate_label != NULL)
    entries[n++] = (LegendEntry) { &style->candidate, data->candidate_label };
  if (any_shared)
    entries[n++] = (LegendEntry) { &style->shared, _("Shared") };

  for (guint i = 0; i < n; i++)
    total += draw_legend_entry (cr, style, 0, 0, entries[i].color, entries[i].text, TRUE);
  x = MAX (0, (width - total + 1.5 * style->font_size) / 2);
  for (guint i = 0; i < n; i++)
    x += draw_legend_entry (cr, style, round (x), round (y), entries[i].color, entries[i].text, FALSE);
}

/**
 * cochlea_radar_chart_draw:
 * @cr: a Cairo context; the chart fills (0, 0, @width, @height)
 * @width: width in pixels
 * @height: height in pixels
 * @data: what to draw
 * @style: how to draw it
 *
 * Draws rings at 0.25, 0.5, 0.75 and 1, one spoke per axis, the input's
 * polygon with draggable handles, the recommendation's polygon over it,
 * shared axes ringed and labelled in the shared colour, targets as hollow
 * handles joined to the input's vertex by a dashed line, axis labels and a
 * legend.  With @style->font_size 0 it draws a bare thumbnail.  Pure:
 * touches nothing but @cr.
 */
void
cochlea_radar_chart_draw (cairo_t                 *cr,
                          int                      width,
                          int                      height,
                          const CochleaRadarData  *data,
                          const CochleaRadarStyle *style)
{
  CochleaRadarGeometry geom;
  gboolean any_shared = FALSE;
  static const double dash[] = { 4.0, 3.0 };

  g_return_if_fail (cr != NULL && data != NULL && style != NULL);

  if (data->n_axes < 3 || data->n_axes > COCHLEA_RADAR_MAX_AXES || width <= 0 || height <= 0)
    return;

  cochlea_radar_geometry_init (&geom, width, height, data->n_axes, style);
  if (geom.radius < 4)
    return;

  cairo_save (cr);

  /* Grid: rings and spokes. */
  set_source (cr, &style->grid, 1.0);
  cairo_set_line_width (cr, 1.0);
  for (guint ring = 1; ring <= 4; ring++)
    {
      path_polygon (cr, &geom, NULL, ring / 4.0);
      cairo_stroke (cr);
    }
  for (guint i = 0; i < data->n_axes; i++)
    {
      double x, y;

      cochlea_radar_vertex (&geom, i, 1.0, &x, &y);
      cairo_move_to (cr, geom.cx, geom.cy);
      cairo_line_to (cr, x, y);
      cairo_stroke (cr);
    }

  /* Shared attributes: the spoke in the shared colour and a ring around
   * both vertices. */
  for (guint i = 0; i < data->n_axes; i++)
    if (cochlea_radar_axis_is_shared (data, i))
      {
        double x, y;

        any_shared = TRUE;
        set_source (cr, &style->shared, 0.5);
        cairo_set_line_width (cr, style->line_width);
        cochlea_radar_vertex (&geom, i, 1.0, &x, &y);
        cairo_move_to (cr, geom.cx, geom.cy);
        cairo_line_to (cr, x, y);
        cairo_stroke (cr);

        set_source (cr, &style->shared, 1.0);
        cairo_set_line_width (cr, style->line_width);
        cochlea_radar_vertex (&geom, i, (data->input[i] + data->candidate[i]) / 2, &x, &y);
        cairo_arc (cr, x, y,
                   style->line_width + 4 + cochlea_radar_value_to_radius (&geom, fabs (data->input[i] - data->candidate[i])) / 2,
                   0, 2 * G_PI);
        cairo_stroke (cr);
      }

  if (data->candidate != NULL)
    {
      CochleaRadarStyle lighter = *style;

      lighter.fill_alpha *= 0.75;
      draw_series (cr, &geom, data->candidate, &style->candidate, &lighter, FALSE);
    }
  if (data->input != NULL)
    draw_series (cr, &geom, data->input, &style->input, style, style->font_size > 0);

  /* Targets. */
  if (data->targets != NULL)
    for (guint i = 0; i < data->n_axes; i++)
      {
        double tx, ty;

        if (isnan (data->targets[i]))
          continue;

        cochlea_radar_vertex (&geom, i, data->targets[i], &tx, &ty);
        set_source (cr, &style->target, 1.0);
        cairo_set_line_width (cr, 1.5);
        if (data->input != NULL)
          {
            double ix, iy;

            cochlea_radar_vertex (&geom, i, data->input[i], &ix, &iy);
            cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
            cairo_move_to (cr, ix, iy);
            cairo_line_to (cr, tx, ty);
            cairo_stroke (cr);
            cairo_set_dash (cr, NULL, 0, 0);
          }
        cairo_arc (cr, tx, ty, style->line_width + (style->hover_axis == (int) i ? 5 : 3.5), 0, 2 * G_PI);
        cairo_stroke (cr);
      }

  /* Labels and legend. */
  if (style->font_size > 0)
    {
      if (data->axis_labels != NULL)
        for (guint i = 0; i < data->n_axes && data->axis_labels[i] != NULL; i++)
          draw_axis_label (cr, &geom, style, i, data->axis_labels[i], cochlea_radar_axis_is_shared (data, i));
      if (style->show_legend)
        draw_legend (cr, width, height, data, style, any_shared);
    }

  cairo_restore (cr);
}
