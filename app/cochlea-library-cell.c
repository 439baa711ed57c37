/* cochlea-library-cell.c — one cell of the library list: a line of text
 * sized by character counts
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why not GtkInscription (which replaced GtkLabel here because a label
 * measured its text again on every bind): in GTK 4.8 every inscription
 * makes a PangoContext of its own when it is created, and asks Pango for
 * the font's metrics — which shapes a sample text — every time it is
 * measured.  The column view keeps up to ~200 rows of seven cells and
 * builds them again whenever a search makes the list grow past the rows it
 * has; callgrind put 100 M instructions in making those contexts and 130 M
 * in the metrics on such a keystroke (docs/performance.md).
 *
 * These cells lay their text out with one context, their column view's
 * (GTK keeps it in step with the font settings), and the sizes they
 * report come from that context's metrics, computed once per change of the
 * context and kept on it.  The size never depends on the text, so giving
 * a cell another track's text only redraws it.
 */
#define G_LOG_DOMAIN "cochlea-library"

#include "config.h"

#include "cochlea-library-cell.h"
#include "cochlea-widget-utils.h"

#include <math.h>

struct _CochleaLibraryCell
{
  GtkWidget     parent_instance;

  /* Owned */
  char         *text;            /* (nullable) */
  PangoLayout  *layout;          /* (nullable) made on the first snapshot */

  /* State */
  PangoContext *layout_context;  /* (unowned) what layout was made from */
  guint         layout_serial;   /* its serial then */
  int           layout_width;    /* pixels the layout is ellipsized to */
  guint         min_chars;
  guint         nat_chars;
  gboolean      numeric;
};

G_DEFINE_FINAL_TYPE (CochleaLibraryCell, cochlea_library_cell, GTK_TYPE_WIDGET)

/* Kept on a PangoContext: what a cell's size is made of. */
typedef struct
{
  guint serial;        /* the context's serial these were computed at */
  int   char_width;    /* Pango units: the wider of a character and a digit */
  int   line_height;   /* pixels: one line of text */
} CellMetrics;

static GQuark metrics_quark;

static PangoContext *
get_context (CochleaLibraryCell *self)
{
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_COLUMN_VIEW);

  /* Outside a column view (a test), its own. */
  return gtk_widget_get_pango_context (view != NULL ? view : GTK_WIDGET (self));
}

static const CellMetrics *
get_metrics (PangoContext *context)
{
  CellMetrics *metrics = g_object_get_qdata (G_OBJECT (context), metrics_quark);
  guint serial = pango_context_get_serial (context);

  if (metrics == NULL)
    {
      metrics = g_new0 (CellMetrics, 1);
      metrics->serial = serial - 1;
      g_object_set_qdata_full (G_OBJECT (context), metrics_quark, metrics, g_free);
    }
  if (metrics->serial != serial)
    {
      PangoFontMetrics *font = pango_context_get_metrics (context, NULL, NULL);
      g_autoptr(PangoLayout) layout = pango_layout_new (context);
      int height;

      metrics->char_width = MAX (pango_font_metrics_get_approximate_char_width (font),
                                 pango_font_metrics_get_approximate_digit_width (font));
      pango_font_metrics_unref (font);
      /* The height of a laid out line, as the text will be drawn. */
      pango_layout_set_text (layout, "Ág", -1);
      pango_layout_get_pixel_size (layout, NULL, &height);
      metrics->line_height = height;
      metrics->serial = serial;
    }
  return metrics;
}

static void
update_layout (CochleaLibraryCell *self,
               int                 width)
{
  PangoContext *context = get_context (self);

  if (self->layout != NULL && self->layout_context != context)
    g_clear_object (&self->layout);

  if (self->layout == NULL)
    {
      self->layout = pango_layout_new (context);
      self->layout_context = context;
      self->layout_serial = pango_context_get_serial (context);
      self->layout_width = -1;
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
      if (self->numeric)
        {
          PangoAttrList *attrs = pango_attr_list_new ();

          pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
          pango_layout_set_attributes (self->layout, attrs);
          pango_attr_list_unref (attrs);
        }
      pango_layout_set_text (self->layout, self->text != NULL ? self->text : "", -1);
    }
  else if (self->layout_serial != pango_context_get_serial (context))
    {
      pango_layout_context_changed (self->layout);
      self->layout_serial = pango_context_get_serial (context);
    }

  if (self->layout_width != width)
    {
      pango_layout_set_width (self->layout, width * PANGO_SCALE);
      self->layout_width = width;
    }
}

static void
cochlea_library_cell_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  CochleaLibraryCell *self = COCHLEA_LIBRARY_CELL (widget);
  const CellMetrics *metrics = get_metrics (get_context (self));

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = PANGO_PIXELS_CEIL (self->min_chars * metrics->char_width);
      *natural = MAX (*minimum, PANGO_PIXELS_CEIL (self->nat_chars * metrics->char_width));
    }
  else
    *minimum = *natural = metrics->line_height;
}

static void
cochlea_library_cell_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  CochleaLibraryCell *self = COCHLEA_LIBRARY_CELL (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoRectangle logical;
  GdkRGBA color;
  float xalign;

  if (width <= 0 || height <= 0 || self->text == NULL || *self->text == '\0')
    return;

  update_layout (self, width);
  pango_layout_get_pixel_extents (self->layout, NULL, &logical);
  xalign = self->numeric ? 1.0f : 0.0f;
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    xalign = 1.0f - xalign;
  cochlea_widget_get_fg_color (widget, &color);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (floorf (xalign * MAX (width - logical.width, 0)) - logical.x,
                                                floorf ((height - logical.height) / 2.0f) - logical.y));
  gtk_snapshot_append_layout (snapshot, self->layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
cochlea_library_cell_unroot (GtkWidget *widget)
{
  CochleaLibraryCell *self = COCHLEA_LIBRARY_CELL (widget);

  /* Its context may belong to another column view next time. */
  g_clear_object (&self->layout);
  self->layout_context = NULL;

  GTK_WIDGET_CLASS (cochlea_library_cell_parent_class)->unroot (widget);
}

static void
cochlea_library_cell_finalize (GObject *object)
{
  CochleaLibraryCell *self = COCHLEA_LIBRARY_CELL (object);

  g_clear_object (&self->layout);
  g_free (self->text);

  G_OBJECT_CLASS (cochlea_library_cell_parent_class)->finalize (object);
}

static void
cochlea_library_cell_class_init (CochleaLibraryCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cochlea_library_cell_finalize;
  widget_class->measure = cochlea_library_cell_measure;
  widget_class->snapshot = cochlea_library_cell_snapshot;
  widget_class->unroot = cochlea_library_cell_unroot;

  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);

  metrics_quark = g_quark_from_static_string ("cochlea-library-cell-metrics");
}

static void
cochlea_library_cell_init (CochleaLibraryCell *self)
{
}

GtkWidget *
cochlea_library_cell_new (guint    min_chars,
                          guint    nat_chars,
                          gboolean numeric)
{
  CochleaLibraryCell *self = g_object_new (COCHLEA_TYPE_LIBRARY_CELL, NULL);

  self->min_chars = min_chars;
  self->nat_chars = nat_chars;
  self->numeric = numeric;
  return GTK_WIDGET (self);
}

const char *
cochlea_library_cell_get_text (CochleaLibraryCell *self)
{
  g_return_val_if_fail (COCHLEA_IS_LIBRARY_CELL (self), NULL);

  return self->text;
}

PangoContext *
cochlea_library_cell_get_context (CochleaLibraryCell *self)
{
  g_return_val_if_fail (COCHLEA_IS_LIBRARY_CELL (self), NULL);

  return get_context (self);
}

/* Only a redraw: the cell's size does not depend on its text. */
void
cochlea_library_cell_set_text (CochleaLibraryCell *self,
                               const char         *text)
{
  g_return_if_fail (COCHLEA_IS_LIBRARY_CELL (self));

  if (g_strcmp0 (text, self->text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, text != NULL ? text : "", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text != NULL ? text : "",
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
