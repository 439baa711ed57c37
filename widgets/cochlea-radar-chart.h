/* cochlea-radar-chart.h — attributes of two songs on a radar chart
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define COCHLEA_RADAR_MAX_AXES 32

/**
 * CochleaRadarData:
 * @n_axes: number of axes (3 .. COCHLEA_RADAR_MAX_AXES)
 * @axis_labels: (nullable): @n_axes labels, drawn clockwise from the top
 * @input: (nullable): @n_axes values in [0, 1] of the input song
 * @candidate: (nullable): @n_axes values of the selected recommendation
 * @targets: (nullable): @n_axes per-attribute targets; NAN where unset
 * @input_label: (nullable): legend text for @input
 * @candidate_label: (nullable): legend text for @candidate
 * @shared_threshold: axes where |input − candidate| < this are "shared"
 *
 * What cochlea_radar_chart_draw() draws.  Borrowed pointers only: the
 * caller keeps them alive during the call.
 */
typedef struct
{
  guint               n_axes;
  const char * const *axis_labels;
  const double       *input;
  const double       *candidate;
  const double       *targets;
  const char         *input_label;
  const char         *candidate_label;
  double              shared_threshold;
} CochleaRadarData;

/**
 * CochleaRadarStyle:
 * @foreground: labels and legend text
 * @grid: rings and spokes
 * @input: the input song's polygon
 * @candidate: the recommendation's polygon
 * @shared: highlight of shared attributes
 * @target: target handles
 * @fill_alpha: opacity of the polygons' fill (0.2; more in high contrast)
 * @line_width: polygon outline width in pixels
 * @font_size: label size in pixels; 0 draws no labels and no legend
 *   (thumbnails for list rows)
 * @show_legend: draw the legend under the chart
 * @hover_axis: axis whose handle is highlighted, or -1
 * @font_family: (nullable): Pango family for labels, NULL for "Sans"
 *
 * How cochlea_radar_chart_draw() draws; the widget fills it from CSS.
 */
typedef struct
{
  GdkRGBA  foreground;
  GdkRGBA  grid;
  GdkRGBA  input;
  GdkRGBA  candidate;
  GdkRGBA  shared;
  GdkRGBA  target;
  double   fill_alpha;
  double   line_width;
  double   font_size;
  gboolean show_legend;
  int         hover_axis;
  const char *font_family;
} CochleaRadarStyle;

/**
 * CochleaRadarGeometry:
 * @cx: centre x
 * @cy: centre y
 * @radius: pixels from the centre to value 1
 * @n_axes: number of axes
 */
typedef struct
{
  double cx;
  double cy;
  double radius;
  guint  n_axes;
} CochleaRadarGeometry;

void     cochlea_radar_style_init_default (CochleaRadarStyle          *style);
void     cochlea_radar_style_init_from_widget (CochleaRadarStyle      *style,
                                           GtkWidget                  *widget);
void     cochlea_radar_geometry_init      (CochleaRadarGeometry       *geom,
                                           double                      width,
                                           double                      height,
                                           guint                       n_axes,
                                           const CochleaRadarStyle    *style);
double   cochlea_radar_axis_angle         (guint                       n_axes,
                                           guint                       axis);
double   cochlea_radar_value_to_radius    (const CochleaRadarGeometry *geom,
                                           double                      value);
void     cochlea_radar_vertex             (const CochleaRadarGeometry *geom,
                                           guint                       axis,
                                           double                      value,
                                           double                     *x,
                                           double                     *y);
int      cochlea_radar_hit_vertex         (const CochleaRadarGeometry *geom,
                                           const double               *values,
                                           double                      x,
                                           double                      y,
                                           double                      tolerance);
double   cochlea_radar_project            (const CochleaRadarGeometry *geom,
                                           guint                       axis,
                                           double                      x,
                                           double                      y);
gboolean cochlea_radar_axis_is_shared     (const CochleaRadarData     *data,
                                           guint                       axis);
void     cochlea_radar_chart_draw         (cairo_t                    *cr,
                                           int                         width,
                                           int                         height,
                                           const CochleaRadarData     *data,
                                           const CochleaRadarStyle    *style);

const char * const *cochlea_radar_chart_get_default_axes (guint *n_axes);
double   cochlea_radar_normalize_tempo    (double bpm);
double   cochlea_radar_normalize_loudness (double lufs);

#define COCHLEA_TYPE_RADAR_CHART (cochlea_radar_chart_get_type ())

G_DECLARE_FINAL_TYPE (CochleaRadarChart, cochlea_radar_chart, COCHLEA, RADAR_CHART, GtkWidget)

GtkWidget          *cochlea_radar_chart_new                 (void);

const char * const *cochlea_radar_chart_get_axis_labels     (CochleaRadarChart  *self);
guint               cochlea_radar_chart_get_n_axes          (CochleaRadarChart  *self);
const char         *cochlea_radar_chart_get_input_label     (CochleaRadarChart  *self);
const char         *cochlea_radar_chart_get_candidate_label (CochleaRadarChart  *self);
double              cochlea_radar_chart_get_shared_threshold (CochleaRadarChart *self);
gboolean            cochlea_radar_chart_get_editable        (CochleaRadarChart  *self);
const double       *cochlea_radar_chart_get_input_values    (CochleaRadarChart  *self);
const double       *cochlea_radar_chart_get_candidate_values (CochleaRadarChart *self);
const double       *cochlea_radar_chart_get_targets         (CochleaRadarChart  *self);

void                cochlea_radar_chart_set_axis_labels     (CochleaRadarChart  *self,
                                                             const char * const *labels);
void                cochlea_radar_chart_set_input_label     (CochleaRadarChart  *self,
                                                             const char         *label);
void                cochlea_radar_chart_set_candidate_label (CochleaRadarChart  *self,
                                                             const char         *label);
void                cochlea_radar_chart_set_shared_threshold (CochleaRadarChart *self,
                                                             double              threshold);
void                cochlea_radar_chart_set_editable        (CochleaRadarChart  *self,
                                                             gboolean            editable);
void                cochlea_radar_chart_set_input_values    (CochleaRadarChart  *self,
                                                             const double       *values,
                                                             guint               n_values);
void                cochlea_radar_chart_set_candidate_values (CochleaRadarChart *self,
                                                             const double       *values,
                                                             guint               n_values);
void                cochlea_radar_chart_set_target          (CochleaRadarChart  *self,
                                                             guint               axis,
                                                             double              value);
void                cochlea_radar_chart_clear_targets       (CochleaRadarChart  *self);

G_END_DECLS
