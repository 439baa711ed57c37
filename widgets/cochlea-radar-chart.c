/* cochlea-radar-chart.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input song and a selected recommendation on a radar of attributes
 * (Millecamp et al. 2018).  Vertices are draggable: dragging one sets a
 * per-attribute target and emits ::targets-changed so the app can re-rank.
 * The drawing is cochlea_radar_chart_draw(), cached as a render node.
 */
#define G_LOG_DOMAIN "cochlea-radar-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cochlea-radar-chart-private.h"
#include "cochlea-widget-utils.h"

#define HIT_TOLERANCE 14.0 /* pixels around a vertex that grab it */

struct _CochleaRadarChart
{
  GtkWidget      parent_instance;

  /* Owned */
  GStrv          axis_labels;
  char          *input_label;
  char          *candidate_label;
  double        *input;        /* (n_axes) or NULL */
  double        *candidate;    /* (n_axes) or NULL */
  double        *targets;      /* (n_axes), NAN where unset */
  GskRenderNode *node;         /* cached drawing; dropped on any change */

  /* State */
  guint          n_axes;
  double         shared_threshold;
  int            hover_axis;
  int            key_axis;     /* axis the keyboard adjusts */
  int            drag_axis;
  double         drag_x;
  double         drag_y;
  guint          editable : 1;
};

G_DEFINE_FINAL_TYPE (CochleaRadarChart, cochlea_radar_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_AXIS_LABELS,
  PROP_INPUT_LABEL,
  PROP_CANDIDATE_LABEL,
  PROP_SHARED_THRESHOLD,
  PROP_EDITABLE,
  N_PROPS
};

enum {
  TARGETS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */

/* set_str () is GLib 2.76. */
static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
invalidate (CochleaRadarChart *self)
{
  g_clear_pointer (&self->node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * cochlea_radar_style_init_from_widget:
 * @style: (out caller-allocates): a style
 * @widget: the widget that will draw (a #CochleaRadarChart, or a list
 *   row's GtkDrawingArea carrying the style class "cochlea-radar-thumbnail")
 *
 * Fills @style from CSS: the widget's colour for text and grid, and the
 * `series-input`, `series-candidate`, `series-shared` and `series-target`
 * classes for the series (libadwaita's accent, orange and success colours
 * by default), with alphas and widths raised in high contrast.  Call it
 * when building a node, not per frame.
 */
void
cochlea_radar_style_init_from_widget (CochleaRadarStyle *style,
                                      GtkWidget         *widget)
{
  gboolean hc;
  PangoFontDescription *desc;

  g_return_if_fail (style != NULL);
  g_return_if_fail (GTK_IS_WIDGET (widget));

  cochlea_widget_ensure_style (widget);
  hc = cochlea_widget_get_high_contrast (widget);
  desc = pango_context_get_font_description (gtk_widget_get_pango_context (widget));

  cochlea_radar_style_init_default (style);
  cochlea_widget_get_fg_color (widget, &style->foreground);
  style->grid = style->foreground;
  style->grid.alpha *= hc ? 0.5 : 0.18;
  cochlea_widget_get_class_color (widget, "series-input", &style->input);
  cochlea_widget_get_class_color (widget, "series-candidate", &style->candidate);
  cochlea_widget_get_class_color (widget, "series-shared", &style->shared);
  cochlea_widget_get_class_color (widget, "series-target", &style->target);
  style->fill_alpha = hc ? 0.35 : (cochlea_widget_get_dark (widget) ? 0.25 : 0.2);
  style->line_width = hc ? 3.0 : 2.0;
  if (desc != NULL)
    {
      style->font_family = pango_font_description_get_family (desc);
      if (pango_font_description_get_size (desc) > 0)
        {
          double size = pango_font_description_get_size (desc) / (double) PANGO_SCALE;
          /* Points to pixels at 96 dpi unless the size is already absolute. */
          style->font_size = pango_font_description_get_size_is_absolute (desc) ? size : size * 96.0 / 72.0;
          style->font_size = round (style->font_size * 0.9);
        }
    }
}

static void
fill_style (CochleaRadarChart *self,
            CochleaRadarStyle *style)
{
  cochlea_radar_style_init_from_widget (style, GTK_WIDGET (self));
  style->hover_axis = self->hover_axis;
}

static void
fill_data (CochleaRadarChart *self,
           CochleaRadarData  *data)
{
  *data = (CochleaRadarData) {
    .n_axes = self->n_axes,
    .axis_labels = (const char * const *) self->axis_labels,
    .input = self->input,
    .candidate = self->candidate,
    .targets = self->targets,
    .input_label = self->input_label ? self->input_label : _("This song"),
    .candidate_label = self->candidate_label ? self->candidate_label : _("Recommendation"),
    .shared_threshold = self->shared_threshold,
  };
}

void
_cochlea_radar_chart_get_geometry (CochleaRadarChart    *self,
                                   CochleaRadarGeometry *geom)
{
  CochleaRadarStyle style;

  fill_style (self, &style);
  cochlea_radar_geometry_init (geom,
                               gtk_widget_get_width (GTK_WIDGET (self)),
                               gtk_widget_get_height (GTK_WIDGET (self)),
                               self->n_axes, &style);
}

static void
update_accessible_description (CochleaRadarChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->n_axes && self->input != NULL; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s %.0f%%", self->axis_labels[i], 100 * self->input[i]);
      if (self->candidate != NULL)
        /* Translators: an attribute compared: "Energy 80% vs 75%" */
        g_string_append_printf (text, _(" vs %.0f%%"), 100 * self->candidate[i]);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

static void
set_hover_axis (CochleaRadarChart *self,
                int                axis)
{
  if (axis == self->hover_axis)
    return;

  self->hover_axis = axis;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), axis >= 0 && self->editable ? "grab" : NULL);
  invalidate (self);
}

/* The values a pointer can grab on each axis: the target where one is
 * set, else the input's vertex. */
static int
hit_handle (CochleaRadarChart *self,
            double             x,
            double             y)
{
  CochleaRadarGeometry geom;
  double values[COCHLEA_RADAR_MAX_AXES];

  if (self->input == NULL || self->n_axes == 0)
    return -1;

  _cochlea_radar_chart_get_geometry (self, &geom);
  for (guint i = 0; i < self->n_axes; i++)
    values[i] = isnan (self->targets[i]) ? self->input[i] : self->targets[i];
  return cochlea_radar_hit_vertex (&geom, values, x, y, HIT_TOLERANCE);
}

void
_cochlea_radar_chart_drag_to (CochleaRadarChart *self,
                              guint              axis,
                              double             x,
                              double             y)
{
  CochleaRadarGeometry geom;

  g_return_if_fail (axis < self->n_axes);

  _cochlea_radar_chart_get_geometry (self, &geom);
  cochlea_radar_chart_set_target (self, axis, cochlea_radar_project (&geom, axis, x, y));
}

/* ------------------------------------------------------------------ */
/* Input                                                                */

static void
drag_begin_cb (CochleaRadarChart *self,
               double             x,
               double             y,
               GtkGestureDrag    *gesture)
{
  int axis = self->editable ? hit_handle (self, x, y) : -1;

  if (axis < 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->drag_axis = axis;
  self->drag_x = x;
  self->drag_y = y;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
}

static void
drag_update_cb (CochleaRadarChart *self,
                double             dx,
                double             dy,
                GtkGestureDrag    *gesture)
{
  if (self->drag_axis >= 0)
    _cochlea_radar_chart_drag_to (self, self->drag_axis, self->drag_x + dx, self->drag_y + dy);
}

static void
drag_end_cb (CochleaRadarChart *self,
             double             dx,
             double             dy,
             GtkGestureDrag    *gesture)
{
  self->drag_axis = -1;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), self->hover_axis >= 0 ? "grab" : NULL);
}

static void
motion_cb (CochleaRadarChart        *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  if (self->drag_axis < 0)
    set_hover_axis (self, hit_handle (self, x, y));
}

static void
leave_cb (CochleaRadarChart        *self,
          GtkEventControllerMotion *controller)
{
  if (self->drag_axis < 0)
    set_hover_axis (self, -1);
}

static gboolean
query_tooltip_cb (CochleaRadarChart *self,
                  int                x,
                  int                y,
                  gboolean           keyboard_mode,
                  GtkTooltip        *tooltip)
{
  g_autoptr(GString) text = NULL;
  int axis = hit_handle (self, x, y);

  if (axis < 0)
    return FALSE;

  text = g_string_new (self->axis_labels[axis]);
  g_string_append_printf (text, "\n%s: %.0f%%", self->input_label ? self->input_label : _("This song"),
                          100 * self->input[axis]);
  if (self->candidate != NULL)
    g_string_append_printf (text, "\n%s: %.0f%%",
                            self->candidate_label ? self->candidate_label : _("Recommendation"),
                            100 * self->candidate[axis]);
  if (!isnan (self->targets[axis]))
    g_string_append_printf (text, "\n%s: %.0f%%", _("Target"), 100 * self->targets[axis]);
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

/* Keyboard: Left/Right pick an axis (highlighted), Up/Down move its
 * target to the next 5 % step (starting from the input's value), Delete
 * unsets it. */
gboolean
_cochlea_radar_chart_handle_key (CochleaRadarChart *self,
                                 guint              keyval)
{
  double current;

  if (self->n_axes == 0 || self->input == NULL)
    return FALSE;

  self->key_axis = CLAMP (self->key_axis, 0, (int) self->n_axes - 1);
  current = isnan (self->targets[self->key_axis]) ? self->input[self->key_axis] : self->targets[self->key_axis];

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      self->key_axis = (self->key_axis + self->n_axes - 1) % self->n_axes;
      set_hover_axis (self, self->key_axis);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      self->key_axis = (self->key_axis + 1) % self->n_axes;
      set_hover_axis (self, self->key_axis);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_plus:
      if (self->editable)
        cochlea_radar_chart_set_target (self, self->key_axis, floor (current * 20 + 1e-6) / 20 + 0.05);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
    case GDK_KEY_minus:
      if (self->editable)
        cochlea_radar_chart_set_target (self, self->key_axis, ceil (current * 20 - 1e-6) / 20 - 0.05);
      return TRUE;
    case GDK_KEY_Delete:
    case GDK_KEY_BackSpace:
      if (self->editable)
        cochlea_radar_chart_set_target (self, self->key_axis, NAN);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
key_pressed_cb (CochleaRadarChart     *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  return _cochlea_radar_chart_handle_key (self, keyval);
}

static void
focus_leave_cb (CochleaRadarChart        *self,
                GtkEventControllerFocus *controller)
{
  set_hover_axis (self, -1);
}

static void
style_changed_cb (CochleaRadarChart *self)
{
  invalidate (self);
}

/* ------------------------------------------------------------------ */
/* vfuncs                                                               */

static void
cochlea_radar_chart_dispose (GObject *object)
{
  CochleaRadarChart *self = COCHLEA_RADAR_CHART (object);

  g_clear_pointer (&self->node, gsk_render_node_unref);

  G_OBJECT_CLASS (cochlea_radar_chart_parent_class)->dispose (object);
}

static void
cochlea_radar_chart_finalize (GObject *object)
{
  CochleaRadarChart *self = COCHLEA_RADAR_CHART (object);

  g_clear_pointer (&self->axis_labels, g_strfreev);
  g_clear_pointer (&self->input_label, g_free);
  g_clear_pointer (&self->candidate_label, g_free);
  g_clear_pointer (&self->input, g_free);
  g_clear_pointer (&self->candidate, g_free);
  g_clear_pointer (&self->targets, g_free);

  G_OBJECT_CLASS (cochlea_radar_chart_parent_class)->finalize (object);
}

static void
cochlea_radar_chart_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CochleaRadarChart *self = COCHLEA_RADAR_CHART (object);

  switch (prop_id)
    {
    case PROP_AXIS_LABELS:
      g_value_set_boxed (value, self->axis_labels);
      break;
    case PROP_INPUT_LABEL:
      g_value_set_string (value, self->input_label);
      break;
    case PROP_CANDIDATE_LABEL:
      g_value_set_string (value, self->candidate_label);
      break;
    case PROP_SHARED_THRESHOLD:
      g_value_set_double (value, self->shared_threshold);
      break;
    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cochlea_radar_chart_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CochleaRadarChart *self = COCHLEA_RADAR_CHART (object);

  switch (prop_id)
    {
    case PROP_AXIS_LABELS:
      cochlea_radar_chart_set_axis_labels (self, g_value_get_boxed (value));
      break;
    case PROP_INPUT_LABEL:
      cochlea_radar_chart_set_input_label (self, g_value_get_string (value));
      break;
    case PROP_CANDIDATE_LABEL:
      cochlea_radar_chart_set_candidate_label (self, g_value_get_string (value));
      break;
    case PROP_SHARED_THRESHOLD:
      cochlea_radar_chart_set_shared_threshold (self, g_value_get_double (value));
      break;
    case PROP_EDITABLE:
      cochlea_radar_chart_set_editable (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cochlea_radar_chart_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 420 : 360;
}

static void
cochlea_radar_chart_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  g_clear_pointer (&COCHLEA_RADAR_CHART (widget)->node, gsk_render_node_unref);
}

static void
cochlea_radar_chart_css_changed (GtkWidget         *widget,
                                 GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (cochlea_radar_chart_parent_class)->css_changed (widget, change);
  g_clear_pointer (&COCHLEA_RADAR_CHART (widget)->node, gsk_render_node_unref);
}

static void
cochlea_radar_chart_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  CochleaRadarChart *self = COCHLEA_RADAR_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (width <= 0 || height <= 0 || self->n_axes < 3)
    return;

  if (self->node == NULL)
    {
      GtkSnapshot *child = gtk_snapshot_new ();
      CochleaRadarData data;
      CochleaRadarStyle style;
      cairo_t *cr;

      fill_data (self, &data);
      fill_style (self, &style);
      cr = gtk_snapshot_append_cairo (child, &GRAPHENE_RECT_INIT (0, 0, width, height));
      cochlea_radar_chart_draw (cr, width, height, &data, &style);
      cairo_destroy (cr);
      self->node = gtk_snapshot_free_to_node (child);
    }

  if (self->node != NULL)
    gtk_snapshot_append_node (snapshot, self->node);
}

static void
cochlea_radar_chart_class_init (CochleaRadarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cochlea_radar_chart_dispose;
  object_class->finalize = cochlea_radar_chart_finalize;
  object_class->get_property = cochlea_radar_chart_get_property;
  object_class->set_property = cochlea_radar_chart_set_property;

  widget_class->measure = cochlea_radar_chart_measure;
  widget_class->size_allocate = cochlea_radar_chart_size_allocate;
  widget_class->snapshot = cochlea_radar_chart_snapshot;
  widget_class->css_changed = cochlea_radar_chart_css_changed;

  /**
   * CochleaRadarChart:axis-labels:
   *
   * One label per axis, clockwise from the top; the number of labels is
   * the number of axes.  Defaults to cochlea_radar_chart_get_default_axes().
   * Changing the number of axes clears the values and targets.
   */
  properties[PROP_AXIS_LABELS] =
    g_param_spec_boxed ("axis-labels", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  /**
   * CochleaRadarChart:input-label:
   *
   * Legend text for the input song (NULL: “This song”).
   */
  properties[PROP_INPUT_LABEL] =
    g_param_spec_string ("input-label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * CochleaRadarChart:candidate-label:
   *
   * Legend text for the recommendation (NULL: “Recommendation”).
   */
  properties[PROP_CANDIDATE_LABEL] =
    g_param_spec_string ("candidate-label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * CochleaRadarChart:shared-threshold:
   *
   * Axes where the two songs differ by less than this are highlighted.
   */
  properties[PROP_SHARED_THRESHOLD] =
    g_param_spec_double ("shared-threshold", NULL, NULL,
                         0, 1, 0.1,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * CochleaRadarChart:editable:
   *
   * Whether the input's vertices can be dragged to set targets.
   */
  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CochleaRadarChart::targets-changed:
   * @self: the chart
   * @axis: the axis whose target changed, or G_MAXUINT when all were
   *   cleared
   * @value: the new target in [0, 1], or NAN when cleared
   *
   * Emitted while the user drags a vertex (and by the target setters).
   * Read them all with cochlea_radar_chart_get_targets().
   */
  signals[TARGETS_CHANGED] =
    g_signal_new ("targets-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "radarchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cochlea_radar_chart_init (CochleaRadarChart *self)
{
  GtkGesture *drag;
  GtkEventController *motion;
  GtkEventController *key;
  GtkEventController *focus;

  self->shared_threshold = 0.1;
  self->editable = TRUE;
  self->hover_axis = -1;
  self->drag_axis = -1;
  cochlea_radar_chart_set_axis_labels (self, cochlea_radar_chart_get_default_axes (NULL));

  drag = gtk_gesture_drag_new ();
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  key = gtk_event_controller_key_new ();
  g_signal_connect_swapped (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Attributes of this song and the recommendation"),
                                  -1);
  cochlea_widget_ensure_style (GTK_WIDGET (self));
  cochlea_widget_watch_style (GTK_WIDGET (self), G_CALLBACK (style_changed_cb));
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */

/**
 * cochlea_radar_chart_new:
 *
 * Returns: (transfer floating): a new chart with the default axes
 */
GtkWidget *
cochlea_radar_chart_new (void)
{
  return g_object_new (COCHLEA_TYPE_RADAR_CHART, NULL);
}

/**
 * cochlea_radar_chart_get_axis_labels:
 *
 * Returns: (transfer none): the labels, NULL-terminated
 */
const char * const *
cochlea_radar_chart_get_axis_labels (CochleaRadarChart *self)
{
  g_return_val_if_fail (COCHLEA_IS_RADAR_CHART (self), NULL);
  return (const char * const *) self->axis_labels;
}

guint
cochlea_radar_chart_get_n_axes (CochleaRadarChart *self)
{
  g_return_val_if_fail (COCHLEA_IS_RADAR_CHART (self), 0);
  return self->n_axes;
}

const char *
cochlea_radar_chart_get_input_label (CochleaRadarChart *self)
{
  g_return_val_if_fail (COCHLEA_IS_RADAR_CHART (self), NULL);
  return self->input_label;
}

const char *
cochlea_radar_chart_get_candidate_label (CochleaRadarChart *self)
{
  g_return_val_if_fail (COCHLEA_IS_RADAR_CHART (self), NULL);
  return self->candidate_label;
}

double
cochlea_radar_chart_get_shared_threshold (CochleaRadarChart *self)
{
  g_return_val_if_fail (COCHLEA_IS_RADAR_CHART (self), 0);
  return self->shared_threshold;
}

gboolean
cochlea_radar_chart_get_editable (CochleaRadarChart *self)
{
  g_return_val_if_fail (COCHLEA_IS_RADAR_CHART (self), FALSE);
  return self->editable;
}

/**
 * cochlea_radar_chart_get_input_values:
 *
 * Returns: (transfer none) (nullable): n_axes values, or NULL when unset
 */
const double *
cochlea_radar_chart_get_input_values (CochleaRadarChart *self)
{
  g_return_val_if_fail (COCHLEA_IS_RADAR_CHART (self), NULL);
  return self->input;
}

/**
 * cochlea_radar_chart_get_candidate_values:
 *
 * Returns: (transfer none) (nullable): n_axes values, or NULL when unset
 */
const double *
cochlea_radar_chart_get_candidate_values (CochleaRadarChart *self)
{
  g_return_val_if_fail (COCHLEA_IS_RADAR_CHART (self), NULL);
  return self->candidate;
}

/**
 * cochlea_radar_chart_get_targets:
 *
 * Returns: (transfer none): n_axes targets, NAN where the user set none
 */
const double *
cochlea_radar_chart_get_targets (CochleaRadarChart *self)
{
  g_return_val_if_fail (COCHLEA_IS_RADAR_CHART (self), NULL);
  return self->targets;
}

/**
 * cochlea_radar_chart_set_axis_labels:
 * @self: a chart
 * @labels: 3 to COCHLEA_RADAR_MAX_AXES labels, NULL-terminated
 */
void
cochlea_radar_chart_set_axis_labels (CochleaRadarChart  *self,
                                     const char * const *labels)
{
  guint n;

  g_return_if_fail (COCHLEA_IS_RADAR_CHART (self));
  g_return_if_fail (labels != NULL);

  n = g_strv_length ((GStrv) labels);
  g_return_if_fail (n >= 3 && n <= COCHLEA_RADAR_MAX_AXES);

  if (self->axis_labels != NULL && g_strv_equal ((const char * const *) self->axis_labels, labels))
    return;

  g_strfreev (self->axis_labels);
  self->axis_labels = g_strdupv ((GStrv) labels);

  if (n != self->n_axes)
    {
      self->n_axes = n;
      g_clear_pointer (&self->input, g_free);
      g_clear_pointer (&self->candidate, g_free);
      g_free (self->targets);
      self->targets = g_new (double, n);
      for (guint i = 0; i < n; i++)
        self->targets[i] = NAN;
      self->hover_axis = -1;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AXIS_LABELS]);
  update_accessible_description (self);
  invalidate (self);
}

void
cochlea_radar_chart_set_input_label (CochleaRadarChart *self,
                                     const char        *label)
{
  g_return_if_fail (COCHLEA_IS_RADAR_CHART (self));

  if (set_str (&self->input_label, label))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUT_LABEL]);
      invalidate (self);
    }
}

void
cochlea_radar_chart_set_candidate_label (CochleaRadarChart *self,
                                         const char        *label)
{
  g_return_if_fail (COCHLEA_IS_RADAR_CHART (self));

  if (set_str (&self->candidate_label, label))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANDIDATE_LABEL]);
      invalidate (self);
    }
}

void
cochlea_radar_chart_set_shared_threshold (CochleaRadarChart *self,
                                          double             threshold)
{
  g_return_if_fail (COCHLEA_IS_RADAR_CHART (self));

  threshold = CLAMP (threshold, 0.0, 1.0);
  if (threshold == self->shared_threshold)
    return;

  self->shared_threshold = threshold;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHARED_THRESHOLD]);
  invalidate (self);
}

void
cochlea_radar_chart_set_editable (CochleaRadarChart *self,
                                  gboolean           editable)
{
  g_return_if_fail (COCHLEA_IS_RADAR_CHART (self));

  editable = !!editable;
  if (editable == self->editable)
    return;

  self->editable = editable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

static gboolean
set_values (double       **field,
            const double  *values,
            guint          n_values,
            guint          n_axes)
{
  if (values == NULL)
    {
      if (*field == NULL)
        return FALSE;
      g_clear_pointer (field, g_free);
      return TRUE;
    }

  g_return_val_if_fail (n_values == n_axes, FALSE);

  if (*field != NULL && memcmp (*field, values, n_axes * sizeof (double)) == 0)
    return FALSE;

  if (*field == NULL)
    *field = g_new (double, n_axes);
  for (guint i = 0; i < n_axes; i++)
    (*field)[i] = isnan (values[i]) ? 0 : CLAMP (values[i], 0.0, 1.0);
  return TRUE;
}

/**
 * cochlea_radar_chart_set_input_values:
 * @self: a chart
 * @values: (nullable) (array length=n_values): one value in [0, 1] per
 *   axis (clamped; NaN becomes 0), or NULL to clear
 * @n_values: must equal the number of axes
 */
void
cochlea_radar_chart_set_input_values (CochleaRadarChart *self,
                                      const double      *values,
                                      guint              n_values)
{
  g_return_if_fail (COCHLEA_IS_RADAR_CHART (self));

  if (set_values (&self->input, values, n_values, self->n_axes))
    {
      update_accessible_description (self);
      invalidate (self);
    }
}

/**
 * cochlea_radar_chart_set_candidate_values:
 * @self: a chart
 * @values: (nullable) (array length=n_values): the recommendation's
 *   values, or NULL to clear
 * @n_values: must equal the number of axes
 */
void
cochlea_radar_chart_set_candidate_values (CochleaRadarChart *self,
                                          const double      *values,
                                          guint              n_values)
{
  g_return_if_fail (COCHLEA_IS_RADAR_CHART (self));

  if (set_values (&self->candidate, values, n_values, self->n_axes))
    {
      update_accessible_description (self);
      invalidate (self);
    }
}

/**
 * cochlea_radar_chart_set_target:
 * @self: a chart
 * @axis: an axis
 * @value: the target in [0, 1] (clamped), or NAN to unset it
 *
 * Emits ::targets-changed when the target changes.
 */
void
cochlea_radar_chart_set_target (CochleaRadarChart *self,
                                guint              axis,
                                double             value)
{
  g_return_if_fail (COCHLEA_IS_RADAR_CHART (self));
  g_return_if_fail (axis < self->n_axes);

  if (!isnan (value))
    value = CLAMP (value, 0.0, 1.0);
  if (value == self->targets[axis] || (isnan (value) && isnan (self->targets[axis])))
    return;

  self->targets[axis] = value;
  invalidate (self);
  g_signal_emit (self, signals[TARGETS_CHANGED], 0, axis, value);
}

/**
 * cochlea_radar_chart_clear_targets:
 * @self: a chart
 *
 * Unsets every target; emits ::targets-changed once (axis G_MAXUINT) if
 * any was set.
 */
void
cochlea_radar_chart_clear_targets (CochleaRadarChart *self)
{
  gboolean any = FALSE;

  g_return_if_fail (COCHLEA_IS_RADAR_CHART (self));

  for (guint i = 0; i < self->n_axes; i++)
    {
      any |= !isnan (self->targets[i]);
      self->targets[i] = NAN;
    }

  if (any)
    {
      invalidate (self);
      g_signal_emit (self, signals[TARGETS_CHANGED], 0, G_MAXUINT, (double) NAN);
    }
}
