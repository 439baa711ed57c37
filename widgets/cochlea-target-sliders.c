/* cochlea-target-sliders.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A column of GtkScales, one per attribute axis, in the radar's order and
 * scale (0–1).  A slider without a target shows the playing song's own
 * value (and a mark there); moving it sets a target and emits
 * ::target-changed.  Setting targets from code (the radar was dragged,
 * Reset) never emits the signal, so the app can mirror the two controls
 * without loops.  The scales, labels and marks draw with the theme, so
 * dark mode and high contrast come for free; the "targeted" style class
 * marks the axes that steer.
 */
#define G_LOG_DOMAIN "cochlea-target-sliders"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cochlea-target-sliders.h"

typedef struct
{
  GtkWidget *name;    /* GtkLabel */
  GtkWidget *scale;   /* GtkScale */
  GtkWidget *value;   /* GtkLabel */
} Row;

struct _CochleaTargetSliders
{
  GtkWidget               parent_instance;

  /* Owned */
  char                  **axis_labels;
  double                 *targets;    /* (n_axes) NAN: unset */
  double                 *values;     /* (n_axes) the song's own, NAN: unknown */
  Row                    *rows;       /* (n_axes) widgets owned by the grid */
  CochleaTargetFormatFunc format_func;
  gpointer                format_data;
  GDestroyNotify          format_destroy;

  /* Borrowed: our only child */
  GtkWidget              *grid;

  /* State */
  guint                   n_axes;
  gboolean                updating;   /* moving a scale from code */
};

G_DEFINE_FINAL_TYPE (CochleaTargetSliders, cochlea_target_sliders, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_AXIS_LABELS,
  PROP_HAS_TARGETS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TARGET_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
any_target (CochleaTargetSliders *self)
{
  for (guint i = 0; i < self->n_axes; i++)
    if (!isnan (self->targets[i]))
      return TRUE;
  return FALSE;
}

static char *
format_value (CochleaTargetSliders *self,
              guint                 axis,
              double                value)
{
  if (self->format_func != NULL)
    return self->format_func (axis, value, self->format_data);
  /* Translators: an attribute target or value as a percentage */
  return g_strdup_printf (_("%.0f %%"), 100.0 * value);
}

/* The slider, its text and its style from targets[axis] and values[axis]. */
static void
sync_row (CochleaTargetSliders *self,
          guint                 axis)
{
  Row *row = &self->rows[axis];
  double target = self->targets[axis];
  double value = isnan (target) ? self->values[axis] : target;
  g_autofree char *text = NULL;

  self->updating = TRUE;
  gtk_range_set_value (GTK_RANGE (row->scale), isnan (value) ? 0.5 : value);
  self->updating = FALSE;

  text = isnan (value) ? g_strdup ("—") : format_value (self, axis, value);
  gtk_label_set_label (GTK_LABEL (row->value), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->scale),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);

  if (isnan (target))
    {
      gtk_widget_remove_css_class (row->name, "targeted");
      gtk_widget_remove_css_class (row->value, "targeted");
      gtk_widget_add_css_class (row->value, "dim-label");
    }
  else
    {
      gtk_widget_add_css_class (row->name, "targeted");
      gtk_widget_add_css_class (row->value, "targeted");
      gtk_widget_remove_css_class (row->value, "dim-label");
    }

  gtk_scale_clear_marks (GTK_SCALE (row->scale));
  if (!isnan (self->values[axis]))
    gtk_scale_add_mark (GTK_SCALE (row->scale), self->values[axis], GTK_POS_BOTTOM, NULL);
}

static void
value_changed_cb (GtkRange             *range,
                  CochleaTargetSliders *self)
{
  guint axis = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (range), "cochlea-axis"));
  gboolean had_targets;
  double value;

  if (self->updating || axis >= self->n_axes)
    return;

  value = CLAMP (gtk_range_get_value (range), 0.0, 1.0);
  if (value == self->targets[axis])
    return;

  had_targets = any_target (self);
  self->targets[axis] = value;
  sync_row (self, axis);
  if (!had_targets)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_TARGETS]);
  g_signal_emit (self, signals[TARGET_CHANGED], 0, axis, value);
}

static void
rebuild_rows (CochleaTargetSliders *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);

  g_clear_pointer (&self->rows, g_free);
  g_clear_pointer (&self->targets, g_free);
  g_clear_pointer (&self->values, g_free);
  self->n_axes = self->axis_labels ? g_strv_length (self->axis_labels) : 0;
  self->rows = g_new0 (Row, self->n_axes);
  self->targets = g_new (double, self->n_axes);
  self->values = g_new (double, self->n_axes);

  for (guint i = 0; i < self->n_axes; i++)
    {
      Row *row = &self->rows[i];

      self->targets[i] = NAN;
      self->values[i] = NAN;

      row->name = gtk_label_new (self->axis_labels[i]);
      gtk_label_set_xalign (GTK_LABEL (row->name), 0);
      gtk_label_set_ellipsize (GTK_LABEL (row->name), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (row->name), 8);

      row->scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0.0, 1.0, 0.01);
      gtk_range_set_increments (GTK_RANGE (row->scale), 0.01, 0.1);
      gtk_scale_set_draw_value (GTK_SCALE (row->scale), FALSE);
      gtk_widget_set_hexpand (row->scale, TRUE);
      gtk_widget_set_size_request (row->scale, 80, -1);
      g_object_set_data (G_OBJECT (row->scale), "cochlea-axis", GUINT_TO_POINTER (i));
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->scale),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, self->axis_labels[i],
                                      -1);
      g_signal_connect (row->scale, "value-changed", G_CALLBACK (value_changed_cb), self);

      row->value = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (row->value), 1);
      gtk_label_set_width_chars (GTK_LABEL (row->value), 8);
      gtk_widget_add_css_class (row->value, "numeric");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row->value), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

      gtk_grid_attach (GTK_GRID (self->grid), row->name, 0, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (self->grid), row->scale, 1, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (self->grid), row->value, 2, (int) i, 1, 1);
      sync_row (self, i);
    }
}

static void
cochlea_target_sliders_dispose (GObject *object)
{
  CochleaTargetSliders *self = COCHLEA_TARGET_SLIDERS (object);

  g_clear_pointer (&self->grid, gtk_widget_unparent);
  if (self->format_destroy != NULL)
    self->format_destroy (self->format_data);
  self->format_func = NULL;
  self->format_data = NULL;
  self->format_destroy = NULL;

  G_OBJECT_CLASS (cochlea_target_sliders_parent_class)->dispose (object);
}

static void
cochlea_target_sliders_finalize (GObject *object)
{
  CochleaTargetSliders *self = COCHLEA_TARGET_SLIDERS (object);

  g_strfreev (self->axis_labels);
  g_free (self->targets);
  g_free (self->values);
  g_free (self->rows);

  G_OBJECT_CLASS (cochlea_target_sliders_parent_class)->finalize (object);
}

static void
cochlea_target_sliders_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CochleaTargetSliders *self = COCHLEA_TARGET_SLIDERS (object);

  switch (prop_id)
    {
    case PROP_AXIS_LABELS:
      g_value_set_boxed (value, self->axis_labels);
      break;

    case PROP_HAS_TARGETS:
      g_value_set_boolean (value, any_target (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cochlea_target_sliders_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CochleaTargetSliders *self = COCHLEA_TARGET_SLIDERS (object);

  switch (prop_id)
    {
    case PROP_AXIS_LABELS:
      cochlea_target_sliders_set_axis_labels (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cochlea_target_sliders_class_init (CochleaTargetSlidersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cochlea_target_sliders_dispose;
  object_class->finalize = cochlea_target_sliders_finalize;
  object_class->get_property = cochlea_target_sliders_get_property;
  object_class->set_property = cochlea_target_sliders_set_property;

  /**
   * CochleaTargetSliders:axis-labels:
   *
   * One slider per label; setting them unsets every target.
   */
  properties[PROP_AXIS_LABELS] =
    g_param_spec_boxed ("axis-labels", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CochleaTargetSliders:has-targets:
   *
   * Whether any axis has a target (the app binds its Reset button to it).
   */
  properties[PROP_HAS_TARGETS] =
    g_param_spec_boolean ("has-targets", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CochleaTargetSliders::target-changed:
   * @self: the sliders
   * @axis: the axis the user moved
   * @value: its new target in [0, 1]
   *
   * Emitted when the user moves a slider (pointer or keyboard), never when
   * targets are set from code.
   */
  signals[TARGET_CHANGED] =
    g_signal_new ("target-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_DOUBLE);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "targetsliders");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cochlea_target_sliders_init (CochleaTargetSliders *self)
{
  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 2);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 6);
  gtk_widget_set_parent (self->grid, GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Attribute targets"),
                                  -1);
  self->rows = g_new0 (Row, 0);
  self->targets = g_new (double, 0);
  self->values = g_new (double, 0);
}

GtkWidget *
cochlea_target_sliders_new (void)
{
  return g_object_new (COCHLEA_TYPE_TARGET_SLIDERS, NULL);
}

const char * const *
cochlea_target_sliders_get_axis_labels (CochleaTargetSliders *self)
{
  g_return_val_if_fail (COCHLEA_IS_TARGET_SLIDERS (self), NULL);

  return (const char * const *) self->axis_labels;
}

guint
cochlea_target_sliders_get_n_axes (CochleaTargetSliders *self)
{
  g_return_val_if_fail (COCHLEA_IS_TARGET_SLIDERS (self), 0);

  return self->n_axes;
}

gboolean
cochlea_target_sliders_get_has_targets (CochleaTargetSliders *self)
{
  g_return_val_if_fail (COCHLEA_IS_TARGET_SLIDERS (self), FALSE);

  return any_target (self);
}

/**
 * cochlea_target_sliders_get_targets:
 *
 * Returns: (array) (transfer none): n_axes targets, NAN where unset
 */
const double *
cochlea_target_sliders_get_targets (CochleaTargetSliders *self)
{
  g_return_val_if_fail (COCHLEA_IS_TARGET_SLIDERS (self), NULL);

  return self->targets;
}

/**
 * cochlea_target_sliders_get_values:
 *
 * Returns: (array) (transfer none): n_axes song values, NAN where unknown
 */
const double *
cochlea_target_sliders_get_values (CochleaTargetSliders *self)
{
  g_return_val_if_fail (COCHLEA_IS_TARGET_SLIDERS (self), NULL);

  return self->values;
}

/**
 * cochlea_target_sliders_get_range:
 *
 * Returns: (transfer none): the slider of @axis
 */
GtkRange *
cochlea_target_sliders_get_range (CochleaTargetSliders *self,
                                  guint                 axis)
{
  g_return_val_if_fail (COCHLEA_IS_TARGET_SLIDERS (self), NULL);
  g_return_val_if_fail (axis < self->n_axes, NULL);

  return GTK_RANGE (self->rows[axis].scale);
}

void
cochlea_target_sliders_set_axis_labels (CochleaTargetSliders *self,
                                        const char * const   *labels)
{
  gboolean had_targets;

  g_return_if_fail (COCHLEA_IS_TARGET_SLIDERS (self));

  if (labels == NULL && self->axis_labels == NULL)
    return;
  if (labels != NULL && self->axis_labels != NULL &&
      g_strv_equal (labels, (const char * const *) self->axis_labels))
    return;

  had_targets = any_target (self);
  g_strfreev (self->axis_labels);
  self->axis_labels = g_strdupv ((char **) labels);
  rebuild_rows (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AXIS_LABELS]);
  if (had_targets)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_TARGETS]);
}

/**
 * cochlea_target_sliders_set_values:
 * @values: (array length=n_values) (nullable): the playing song's values
 *   in [0, 1], NAN where unknown; NULL for none
 * @n_values: must equal the number of axes when @values is set
 *
 * Sliders without a target move to these values; each gets a mark there.
 */
void
cochlea_target_sliders_set_values (CochleaTargetSliders *self,
                                   const double         *values,
                                   guint                 n_values)
{
  g_return_if_fail (COCHLEA_IS_TARGET_SLIDERS (self));
  g_return_if_fail (values == NULL || n_values == self->n_axes);

  for (guint i = 0; i < self->n_axes; i++)
    {
      self->values[i] = values != NULL && !isnan (values[i]) ? CLAMP (values[i], 0.0, 1.0) : NAN;
      sync_row (self, i);
    }
}

/**
 * cochlea_target_sliders_set_target:
 * @value: in [0, 1] (clamped), or NAN to unset
 *
 * Sets a target from code: moves the slider, emits no ::target-changed.
 */
void
cochlea_target_sliders_set_target (CochleaTargetSliders *self,
                                   guint                 axis,
                                   double                value)
{
  gboolean had_targets;

  g_return_if_fail (COCHLEA_IS_TARGET_SLIDERS (self));
  g_return_if_fail (axis < self->n_axes);

  if (!isnan (value))
    value = CLAMP (value, 0.0, 1.0);
  if (value == self->targets[axis] || (isnan (value) && isnan (self->targets[axis])))
    return;

  had_targets = any_target (self);
  self->targets[axis] = value;
  sync_row (self, axis);
  if (had_targets != any_target (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_TARGETS]);
}

/* Unsets every target from code (no ::target-changed). */
void
cochlea_target_sliders_clear_targets (CochleaTargetSliders *self)
{
  gboolean had_targets;

  g_return_if_fail (COCHLEA_IS_TARGET_SLIDERS (self));

  had_targets = any_target (self);
  for (guint i = 0; i < self->n_axes; i++)
    {
      self->targets[i] = NAN;
      sync_row (self, i);
    }
  if (had_targets)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_TARGETS]);
}

/**
 * cochlea_target_sliders_set_format_func:
 * @func: (nullable): formats a value for display; NULL for percentages
 */
void
cochlea_target_sliders_set_format_func (CochleaTargetSliders    *self,
                                        CochleaTargetFormatFunc  func,
                                        gpointer                 user_data,
                                        GDestroyNotify           destroy)
{
  g_return_if_fail (COCHLEA_IS_TARGET_SLIDERS (self));

  if (self->format_destroy != NULL)
    self->format_destroy (self->format_data);
  self->format_func = func;
  self->format_data = user_data;
  self->format_destroy = destroy;

  for (guint i = 0; i < self->n_axes; i++)
    sync_row (self, i);
}
