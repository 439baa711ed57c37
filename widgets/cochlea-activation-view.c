/* cochlea-activation-view.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One layer of the CNN as a channels × time heat map, on the same time
 * axis as CochleaSpectrogramView (bind seconds-per-pixel and view-start,
 * and the gutters match, so stacked views line up to the pixel).  The
 * picture is made off the main thread at display resolution
 * (cochlea_activation_layer_render_pixels() in a GTask); snapshot() only
 * appends the texture, the cached labels, the hover outline and playhead.
 */
#define G_LOG_DOMAIN "cochlea-activation-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cochlea-activation-view-private.h"
#include "cochlea-widget-utils.h"

#define MIN_SECONDS_PER_PX     1e-4
#define MAX_SECONDS_PER_PX     10.0
#define DEFAULT_SECONDS_PER_PX (512.0 / 22050.0)
#define MAX_TEXTURE_WIDTH      4096
#define TOP_MARGIN             16
#define BOTTOM_MARGIN          4

struct _CochleaActivationView
{
  GtkWidget              parent_instance;

  /* Owned */
  CochleaActivationMaps *maps;           /* refcounted, immutable */
  GdkTexture            *texture;        /* the current layer at the current key */
  GBytes                *texture_bytes;  /* its pixels, GDK_MEMORY_DEFAULT */
  GskRenderNode         *image_node;     /* the same as a cached cairo node */
  GskRenderNode         *labels_node;    /* cached; dropped on resize, data or style change */
  GdkTexture            *legend_texture; /* 1 × 256 colour bar */
  GdkRGBA                playhead_color;  /* from CSS, read with labels_node */
  float                 *range;           /* (2 × n_range) each layer's lo, hi over the maps
                                           * shown since the last set_maps (NULL) */
  GdkRGBA                hover_color;
  GCancellable          *cancellable;

  /* State */
  int                    layer;
  double                 position;
  double                 seconds_per_px;
  double                 view_start;
  double                 texture_t_start; /* seconds at the texture's left edge */
  double                 texture_t_end;
  CochleaColormap        colormap;
  int                    hover_channel;
  int                    key_height;      /* device pixels the texture is made for */
  guint                  serial;          /* bumped when the texture must be remade */
  guint                  rendered_serial;
  guint                  n_range;
  guint                  job_running : 1;
};

G_DEFINE_FINAL_TYPE (CochleaActivationView, cochlea_activation_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MAPS,
  PROP_LAYER,
  PROP_POSITION,
  PROP_SECONDS_PER_PIXEL,
  PROP_VIEW_START,
  PROP_COLORMAP,
  N_PROPS
};

enum {
  CHANNEL_HOVERED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* The texture                                                          */

typedef struct
{
  CochleaActivationMaps  *maps;
  guint                   layer;
  CochleaActivationRender params;
  guint                   serial;
  /* With the cairo renderer the worker also makes the image node (its
   * nearest-neighbour fill), so snapshot() only appends it. */
  gboolean                want_node;
  double                  node_width;   /* logical px, as snapshot() computes it */
  double                  node_height;
} RenderJob;

typedef struct
{
  GBytes *bytes;
  int     width;
  int     height;
  GdkMemoryFormat format;
  GskRenderNode *node;  /* (nullable): the cairo image node, if wanted */
} RenderResult;

static void
render_job_free (gpointer data)
{
  RenderJob *job = data;

  g_clear_pointer (&job->maps, cochlea_activation_maps_unref);
  g_free (job);
}

static void
render_result_free (gpointer data)
{
  RenderResult *result = data;

  g_clear_pointer (&result->bytes, g_bytes_unref);
  g_clear_pointer (&result->node, gsk_render_node_unref);
  g_free (result);
}

static void
render_worker (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  const CochleaActivationLayer *layer = cochlea_activation_maps_get_layer (job->maps, job->layer);
  gsize stride = 4 * (gsize) job->params.width;
  guint8 *pixels = g_malloc (stride * job->params.height);
  RenderResult *result;

  cochlea_activation_layer_render_pixels (layer, &job->params, pixels, stride);

  result = g_new0 (RenderResult, 1);
  result->format = cochlea_widget_pixels_to_native (pixels, job->params.width, job->params.height, stride);
  result->width = job->params.width;
  result->height = job->params.height;
  result->bytes = g_bytes_new_take (pixels, stride * job->params.height);
  if (job->want_node && !g_cancellable_is_cancelled (cancellable))
    result->node = cochlea_widget_image_node_new (result->bytes, result->width, result->height,
                                                  &GRAPHENE_RECT_INIT (0, 0, job->node_width, job->node_height));

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, result, render_result_free);
  else
    render_result_free (result);
}

static const CochleaActivationLayer *
current_layer (CochleaActivationView *self)
{
  if (self->maps == NULL || self->layer < 0 ||
      (guint) self->layer >= cochlea_activation_maps_get_n_layers (self->maps))
    return NULL;
  return cochlea_activation_maps_get_layer (self->maps, self->layer);
}

/* The colour scale of the current layer: from min (0, smallest) to the
 * largest top (CochleaActivationLayer.top) of every window shown since
 * the song began, so a colour means the same value from one window to the
 * next and the legend only widens (as the spectrogram's auto range). */
static void
layer_range (CochleaActivationView        *self,
             const CochleaActivationLayer *layer,
             float                        *lo,
             float                        *hi)
{
  if (self->range != NULL && (guint) self->layer < self->n_range)
    {
      *lo = self->range[2 * self->layer];
      *hi = self->range[2 * self->layer + 1];
    }
  else
    {
      *lo = MIN (layer->min, 0);
      *hi = layer->max;
    }
  if (!(*hi > *lo))
    *hi = *lo + 1;
}

/* Widens the per-layer ranges by @maps; a different set of layers starts
 * them again.  Returns whether any range changed. */
static gboolean
widen_range (CochleaActivationView *self,
             CochleaActivationMaps *maps)
{
  guint n = cochlea_activation_maps_get_n_layers (maps);
  gboolean changed = FALSE;

  if (n != self->n_range)
    {
      g_clear_pointer (&self->range, g_free);
      self->range = g_new (float, 2 * MAX (n, 1));
      for (guint i = 0; i < n; i++)
        {
          self->range[2 * i] = G_MAXFLOAT;
          self->range[2 * i + 1] = -G_MAXFLOAT;
        }
      self->n_range = n;
      changed = TRUE;
    }
  for (guint i = 0; i < n; i++)
    {
      const CochleaActivationLayer *layer = cochlea_activation_maps_get_layer (maps, i);
      float lo = MIN (layer->min, 0);
      float hi = layer->top;

      if (lo < self->range[2 * i])
        self->range[2 * i] = lo, changed = TRUE;
      if (hi > self->range[2 * i + 1])
        self->range[2 * i + 1] = hi, changed = TRUE;
    }
  return changed;
}

void
_cochlea_activation_view_get_plot (CochleaActivationView *self,
                                   graphene_rect_t       *plot)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  graphene_rect_init (plot, COCHLEA_WIDGET_LEFT_GUTTER, TOP_MARGIN,
                      MAX (0, width - COCHLEA_WIDGET_LEFT_GUTTER - COCHLEA_WIDGET_RIGHT_GUTTER),
                      MAX (0, height - TOP_MARGIN - BOTTOM_MARGIN));
}

static void update_texture (CochleaActivationView *self);

static void
render_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CochleaActivationView *self = COCHLEA_ACTIVATION_VIEW (object);
  RenderJob *job = g_task_get_task_data (G_TASK (result));
  RenderResult *r;
  g_autoptr(GError) error = NULL;

  self->job_running = FALSE;
  r = g_task_propagate_pointer (G_TASK (result), &error);

  if (r != NULL && job->serial == self->serial && self->cancellable != NULL)
    {
      g_clear_object (&self->texture);
      g_clear_pointer (&self->texture_bytes, g_bytes_unref);
      g_clear_pointer (&self->image_node, gsk_render_node_unref);
      self->texture = gdk_memory_texture_new (r->width, r->height, r->format,
                                              r->bytes, 4 * (gsize) r->width);
      self->texture_bytes = g_bytes_ref (r->bytes);
      self->texture_t_start = job->params.t_start;
      self->texture_t_end = job->params.t_start + job->params.width * job->params.seconds_per_px;
      self->image_node = g_steal_pointer (&r->node);
      self->rendered_serial = job->serial;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  g_clear_pointer (&r, render_result_free);

  if (self->cancellable != NULL && self->rendered_serial != self->serial)
    update_texture (self);
}

/* (Re)makes the texture for the current key unless it exists or is being
 * made.  The key is (maps, layer, zoom, height, scale, colour map): the
 * texture covers the layer's whole span, so scrolling only translates it. */
static void
update_texture (CochleaActivationView *self)
{
  const CochleaActivationLayer *layer = current_layer (self);
  g_autoptr(GTask) task = NULL;
  graphene_rect_t plot;
  RenderJob *job;
  int scale;
  double span, spp_dev, width;
  float lo, hi;

  if (layer == NULL || self->job_running || self->rendered_serial == self->serial)
    return;
  layer_range (self, layer, &lo, &hi);

  _cochlea_activation_view_get_plot (self, &plot);
  if (plot.size.width < 1 || plot.size.height < 1)
    return;

  scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  span = layer->n_steps * layer->seconds_per_step;
  spp_dev = self->seconds_per_px / scale;
  width = ceil (span / spp_dev);
  if (width > MAX_TEXTURE_WIDTH)
    {
      /* Zoomed far in on a long layer: GTK scales it (linearly). */
      width = MAX_TEXTURE_WIDTH;
      spp_dev = span / width;
    }

  job = g_new0 (RenderJob, 1);
  job->maps = cochlea_activation_maps_ref (self->maps);
  job->layer = self->layer;
  job->serial = self->serial;
  job->params = (CochleaActivationRender) {
    .t_start = layer->start_time,
    .seconds_per_px = spp_dev,
    .width = MAX (1, (guint) width),
    .height = (guint) ceil (plot.size.height * scale),
    .lo = lo,
    .hi = hi,
    .colormap = self->colormap,
  };
  /* The same arithmetic as snapshot(), so the node's bounds match it. */
  job->want_node = cochlea_widget_prefers_image_nodes (GTK_WIDGET (self));
  job->node_width = ((job->params.t_start + job->params.width * job->params.seconds_per_px) -
                     job->params.t_start) / self->seconds_per_px;
  job->node_height = plot.size.height;

  self->key_height = job->params.height;
  self->job_running = TRUE;
  task = g_task_new (self, self->cancellable, render_ready_cb, NULL);
  g_task_set_source_tag (task, update_texture);
  g_task_set_task_data (task, job, render_job_free);
  g_task_run_in_thread (task, render_worker);
}

/* The texture no longer matches: keep drawing the old one (stretched)
 * until the new one arrives, unless the data itself changed. */
static void
invalidate_texture (CochleaActivationView *self,
                    gboolean               keep_old)
{
  self->serial++;
  if (!keep_old)
    {
      g_clear_object (&self->texture);
      g_clear_pointer (&self->texture_bytes, g_bytes_unref);
      g_clear_pointer (&self->image_node, gsk_render_node_unref);
    }
  update_texture (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ */
/* Labels: channel axis, layer name, legend                             */

static PangoLayout *
create_small_layout (GtkWidget  *widget,
                     const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
append_label (GtkWidget     *widget,
              GtkSnapshot   *snapshot,
              const char    *text,
              double         x,
              double         y,
              double         xalign,
              double         yalign,
              const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = create_small_layout (widget, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x - xalign * w), round (y - yalign * h)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
ensure_legend_texture (CochleaActivationView *self)
{
  const guint8 *table = cochlea_colormap_get_table (self->colormap);
  g_autoptr(GBytes) bytes = NULL;
  guint8 *pixels;

  if (self->legend_texture != NULL)
    return;

  pixels = g_malloc (4 * COCHLEA_COLORMAP_N_ENTRIES);
  GdkMemoryFormat format;

  for (guint y = 0; y < COCHLEA_COLORMAP_N_ENTRIES; y++)
    memcpy (pixels + 4 * y, table + 4 * (COCHLEA_COLORMAP_N_ENTRIES - 1 - y), 4);
  format = cochlea_widget_pixels_to_native (pixels, 1, COCHLEA_COLORMAP_N_ENTRIES, 4);
  bytes = g_bytes_new_take (pixels, 4 * COCHLEA_COLORMAP_N_ENTRIES);
  self->legend_texture = gdk_memory_texture_new (1, COCHLEA_COLORMAP_N_ENTRIES, format, bytes, 4);
}

static GskRenderNode *
build_labels_node (CochleaActivationView        *self,
                   const CochleaActivationLayer *layer,
                   const graphene_rect_t        *plot)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  gboolean hc = cochlea_widget_get_high_contrast (widget);
  double bar_x = plot->origin.x + plot->size.width + 8;
  double row_h = plot->size.height / layer->n_channels;
  g_autofree char *caption = NULL;
  g_autofree char *lo = NULL;
  g_autofree char *hi = NULL;
  float range_lo, range_hi;
  GdkRGBA fg, dim;
  guint ticks[3] = { 0, layer->n_channels / 2, layer->n_channels - 1 };

  cochlea_widget_get_fg_color (widget, &fg);
  dim = fg;
  dim.alpha *= hc ? 1.0 : 0.7;

  /* Translators: caption over the heat map: layer name and channel count */
  caption = g_strdup_printf (_("%s · %u channels"), layer->name, layer->n_channels);
  append_label (widget, snapshot, caption, plot->origin.x, plot->origin.y - 2, 0.0, 1.0, &dim);

  for (guint i = 0; i < G_N_ELEMENTS (ticks); i++)
    {
      g_autofree char *text = NULL;
      double y = plot->origin.y + (ticks[i] + 0.5) * row_h;

      if (i > 0 && ticks[i] == ticks[i - 1])
        continue;
      text = g_strdup_printf ("%u", ticks[i]);
      gtk_snapshot_append_color (snapshot, &dim, &GRAPHENE_RECT_INIT (plot->origin.x - 4, round (y), 4, 1));
      append_label (widget, snapshot, text, plot->origin.x - 6,
                    CLAMP (y, plot->origin.y + 5, plot->origin.y + plot->size.height - 5),
                    1.0, 0.5, &fg);
    }

  ensure_legend_texture (self);
  gtk_snapshot_append_texture (snapshot, self->legend_texture,
                               &GRAPHENE_RECT_INIT (bar_x, plot->origin.y, 10, plot->size.height));
  layer_range (self, layer, &range_lo, &range_hi);
  hi = g_strdup_printf ("%.2g", range_hi);
  lo = g_strdup_printf ("%.2g", range_lo);
  append_label (widget, snapshot, hi, bar_x + 14, plot->origin.y, 0.0, 0.0, &fg);
  append_label (widget, snapshot, lo, bar_x + 14, plot->origin.y + plot->size.height, 0.0, 1.0, &fg);

  return gtk_snapshot_free_to_node (snapshot);
}

/* ------------------------------------------------------------------ */
/* Hover                                                                */

static int
channel_at (CochleaActivationView *self,
            double                 x,
            double                 y,
            double                *value)
{
  const CochleaActivationLayer *layer = current_layer (self);
  graphene_rect_t plot;
  guint channel;
  int step;

  _cochlea_activation_view_get_plot (self, &plot);
  if (layer == NULL || !graphene_rect_contains_point (&plot, &GRAPHENE_POINT_INIT (x, y)))
    return -1;

  step = cochlea_activation_layer_time_to_step (layer, self->view_start + (x - plot.origin.x) * self->seconds_per_px);
  if (step < 0)
    return -1;

  channel = cochlea_activation_layer_row_to_channel (layer, y - plot.origin.y, plot.size.height);
  if (value)
    *value = layer->data[(gsize) channel * layer->n_steps + step];
  return channel;
}

int
_cochlea_activation_view_hover (CochleaActivationView *self,
                                double                 x,
                                double                 y)
{
  double value = 0;
  int channel = channel_at (self, x, y, &value);

  if (channel != self->hover_channel)
    {
      self->hover_channel = channel;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      g_signal_emit (self, signals[CHANNEL_HOVERED], 0, self->layer, channel, value);
    }
  return channel;
}

static void
motion_cb (CochleaActivationView    *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  _cochlea_activation_view_hover (self, x, y);
}

static void
leave_cb (CochleaActivationView    *self,
          GtkEventControllerMotion *controller)
{
  _cochlea_activation_view_hover (self, -1, -1);
}

static gboolean
query_tooltip_cb (CochleaActivationView *self,
                  int                    x,
                  int                    y,
                  gboolean               keyboard_mode,
                  GtkTooltip            *tooltip)
{
  const CochleaActivationLayer *layer = current_layer (self);
  g_autofree char *text = NULL;
  double value;
  int channel = channel_at (self, x, y, &value);

  if (channel < 0 || keyboard_mode)
    return FALSE;

  /* Translators: layer, channel index, channel count, activation value */
  text = g_strdup_printf (_("%s · channel %d of %u · %.3g"), layer->name, channel, layer->n_channels, value);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
style_changed_cb (CochleaActivationView *self)
{
  g_clear_pointer (&self->labels_node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_accessible_description (CochleaActivationView *self)
{
  const CochleaActivationLayer *layer = current_layer (self);
  g_autofree char *text = NULL;

  if (layer != NULL)
    /* Translators: accessible description of the heat map */
    text = g_strdup_printf (_("Layer %s: %u channels over %u steps, from %.2g to %.2g"),
                            layer->name, layer->n_channels, layer->n_steps, layer->min, layer->max);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text ? text : "",
                                  -1);
}

/* ------------------------------------------------------------------ */
/* vfuncs                                                               */

static void
cochlea_activation_view_dispose (GObject *object)
{
  CochleaActivationView *self = COCHLEA_ACTIVATION_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->texture_bytes, g_bytes_unref);
  g_clear_pointer (&self->image_node, gsk_render_node_unref);
  g_clear_object (&self->legend_texture);
  g_clear_pointer (&self->labels_node, gsk_render_node_unref);
  g_clear_pointer (&self->maps, cochlea_activation_maps_unref);
  g_clear_pointer (&self->range, g_free);
  self->n_range = 0;

  G_OBJECT_CLASS (cochlea_activation_view_parent_class)->dispose (object);
}

static void
cochlea_activation_view_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  CochleaActivationView *self = COCHLEA_ACTIVATION_VIEW (object);

  switch (prop_id)
    {
    case PROP_MAPS:
      g_value_set_boxed (value, self->maps);
      break;
    case PROP_LAYER:
      g_value_set_int (value, self->layer);
      break;
    case PROP_POSITION:
      g_value_set_double (value, self->position);
      break;
    case PROP_SECONDS_PER_PIXEL:
      g_value_set_double (value, self->seconds_per_px);
      break;
    case PROP_VIEW_START:
      g_value_set_double (value, self->view_start);
      break;
    case PROP_COLORMAP:
      g_value_set_enum (value, self->colormap);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cochlea_activation_view_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  CochleaActivationView *self = COCHLEA_ACTIVATION_VIEW (object);

  switch (prop_id)
    {
    case PROP_MAPS:
      cochlea_activation_view_set_maps (self, g_value_get_boxed (value));
      break;
    case PROP_LAYER:
      cochlea_activation_view_set_layer (self, g_value_get_int (value));
      break;
    case PROP_POSITION:
      cochlea_activation_view_set_position (self, g_value_get_double (value));
      break;
    case PROP_SECONDS_PER_PIXEL:
      cochlea_activation_view_set_seconds_per_pixel (self, g_value_get_double (value));
      break;
    case PROP_VIEW_START:
      cochlea_activation_view_set_view_start (self, g_value_get_double (value));
      break;
    case PROP_COLORMAP:
      cochlea_activation_view_set_colormap (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cochlea_activation_view_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = COCHLEA_WIDGET_LEFT_GUTTER + COCHLEA_WIDGET_RIGHT_GUTTER + 64;
      *natural = 640;
    }
  else
    {
      *minimum = 80;
      *natural = 180;
    }
}

static void
cochlea_activation_view_size_allocate (GtkWidget *widget,
                                       int        width,
                                       int        height,
                                       int        baseline)
{
  CochleaActivationView *self = COCHLEA_ACTIVATION_VIEW (widget);
  graphene_rect_t plot;
  int scale = gtk_widget_get_scale_factor (widget);

  g_clear_pointer (&self->labels_node, gsk_render_node_unref);
  _cochlea_activation_view_get_plot (self, &plot);
  if (self->key_height != (int) ceil (plot.size.height * scale))
    invalidate_texture (self, TRUE);
}

static void
cochlea_activation_view_css_changed (GtkWidget         *widget,
                                     GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (cochlea_activation_view_parent_class)->css_changed (widget, change);
  g_clear_pointer (&COCHLEA_ACTIVATION_VIEW (widget)->labels_node, gsk_render_node_unref);
}

static void
cochlea_activation_view_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  CochleaActivationView *self = COCHLEA_ACTIVATION_VIEW (widget);
  const CochleaActivationLayer *layer = current_layer (self);
  int scale = gtk_widget_get_scale_factor (widget);
  graphene_rect_t plot;
  double x;

  if (layer == NULL)
    return;

  _cochlea_activation_view_get_plot (self, &plot);
  if (plot.size.width < 1 || plot.size.height < 1)
    return;

  if (self->texture != NULL)
    {
      /* Snap the origin to device pixels so a 1:1 texture stays crisp. */
      double w = (self->texture_t_end - self->texture_t_start) / self->seconds_per_px;

      x = plot.origin.x + round ((self->texture_t_start - self->view_start) / self->seconds_per_px * scale) / scale;
      gtk_snapshot_push_clip (snapshot, &plot);
      if (cochlea_widget_prefers_image_nodes (widget))
        {
          /* Cached per texture and size; only translated while scrolling. */
          if (self->image_node != NULL)
            {
              graphene_rect_t bounds;

              gsk_render_node_get_bounds (self->image_node, &bounds);
              /* Bounds are floats: compared with the double, the node
               * was remade every frame. */
              if (bounds.size.width != (float) w || bounds.size.height != plot.size.height)
                g_clear_pointer (&self->image_node, gsk_render_node_unref);
            }
          if (self->image_node == NULL)
            self->image_node = cochlea_widget_image_node_new (self->texture_bytes,
                                                              gdk_texture_get_width (self->texture),
                                                              gdk_texture_get_height (self->texture),
                                                              &GRAPHENE_RECT_INIT (0, 0, w, plot.size.height));
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, plot.origin.y));
          gtk_snapshot_append_node (snapshot, self->image_node);
          gtk_snapshot_restore (snapshot);
        }
      else
        gtk_snapshot_append_texture (snapshot, self->texture,
                                     &GRAPHENE_RECT_INIT (x, plot.origin.y, w, plot.size.height));
      gtk_snapshot_pop (snapshot);
    }

  if (self->labels_node == NULL)
    {
      self->labels_node = build_labels_node (self, layer, &plot);
      cochlea_widget_get_class_color (widget, "playhead", &self->playhead_color);
      cochlea_widget_get_class_color (widget, "hover", &self->hover_color);
    }
  gtk_snapshot_append_node (snapshot, self->labels_node);

  if (self->hover_channel >= 0)
    {
      double row_h = plot.size.height / layer->n_channels;
      double y = plot.origin.y + self->hover_channel * row_h;
      double w = cochlea_widget_get_high_contrast (widget) ? 2 : 1;
      GdkRGBA color = self->hover_color;
      GskRoundedRect outline;

      gsk_rounded_rect_init_from_rect (&outline,
                                       &GRAPHENE_RECT_INIT (plot.origin.x - w, y - w,
                                                            plot.size.width + 2 * w, MAX (row_h, 1) + 2 * w),
                                       0);
      gtk_snapshot_append_border (snapshot, &outline,
                                  (float[4]) { w, w, w, w },
                                  (GdkRGBA[4]) { color, color, color, color });
    }

  x = plot.origin.x + (self->position - self->view_start) / self->seconds_per_px;
  if (x >= plot.origin.x && x <= plot.origin.x + plot.size.width)
    {
      GdkRGBA shadow = { 0, 0, 0, 0.4 };

      x = round (x * scale) / scale;
      gtk_snapshot_append_color (snapshot, &shadow, &GRAPHENE_RECT_INIT (x - 2, plot.origin.y, 4, plot.size.height));
      gtk_snapshot_append_color (snapshot, &self->playhead_color, &GRAPHENE_RECT_INIT (x - 1, plot.origin.y, 2, plot.size.height));
    }
}

static void
cochlea_activation_view_class_init (CochleaActivationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cochlea_activation_view_dispose;
  object_class->get_property = cochlea_activation_view_get_property;
  object_class->set_property = cochlea_activation_view_set_property;

  widget_class->measure = cochlea_activation_view_measure;
  widget_class->size_allocate = cochlea_activation_view_size_allocate;
  widget_class->snapshot = cochlea_activation_view_snapshot;
  widget_class->css_changed = cochlea_activation_view_css_changed;

  /**
   * CochleaActivationView:maps:
   *
   * The activation maps shown (held by reference, never modified).
   */
  properties[PROP_MAPS] =
    g_param_spec_boxed ("maps", NULL, NULL,
                        COCHLEA_TYPE_ACTIVATION_MAPS,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  /**
   * CochleaActivationView:layer:
   *
   * Index of the layer shown (see cochlea_activation_view_dup_layer_names());
   * an index past the last layer shows nothing.
   */
  properties[PROP_LAYER] =
    g_param_spec_int ("layer", NULL, NULL,
                      0, G_MAXINT, 0,
                      (G_PARAM_READWRITE |
                       G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS));

  properties[PROP_POSITION] =
    g_param_spec_double ("position", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * CochleaActivationView:seconds-per-pixel:
   *
   * The zoom; bind it to the spectrogram view's to align time axes.
   */
  properties[PROP_SECONDS_PER_PIXEL] =
    g_param_spec_double ("seconds-per-pixel", NULL, NULL,
                         MIN_SECONDS_PER_PX, MAX_SECONDS_PER_PX, DEFAULT_SECONDS_PER_PX,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * CochleaActivationView:view-start:
   *
   * Seconds at the plot's left edge; bind it to the spectrogram view's.
   */
  properties[PROP_VIEW_START] =
    g_param_spec_double ("view-start", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_COLORMAP] =
    g_param_spec_enum ("colormap", NULL, NULL,
                       COCHLEA_TYPE_COLORMAP, COCHLEA_COLORMAP_VIRIDIS,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CochleaActivationView::channel-hovered:
   * @self: the view
   * @layer: the layer shown
   * @channel: the channel under the pointer, or -1 when it left
   * @value: the activation under the pointer (0 when @channel is -1)
   *
   * Emitted when the pointer moves onto another channel; the app looks up
   * the songs that activate it most.
   */
  signals[CHANNEL_HOVERED] =
    g_signal_new ("channel-hovered",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_INT, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "activationview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cochlea_activation_view_init (CochleaActivationView *self)
{
  GtkEventController *motion;

  self->seconds_per_px = DEFAULT_SECONDS_PER_PX;
  self->colormap = COCHLEA_COLORMAP_VIRIDIS;
  self->hover_channel = -1;
  self->key_height = -1;
  self->cancellable = g_cancellable_new ();

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Network activations"),
                                  -1);
  cochlea_widget_ensure_style (GTK_WIDGET (self));
  cochlea_widget_watch_style (GTK_WIDGET (self), G_CALLBACK (style_changed_cb));
}

/* ------------------------------------------------------------------ */
/* Internal API for tests                                               */

gboolean
_cochlea_activation_view_is_busy (CochleaActivationView *self)
{
  return self->job_running;
}

gboolean
_cochlea_activation_view_has_texture (CochleaActivationView *self)
{
  return self->texture != NULL && self->rendered_serial == self->serial;
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */

/**
 * cochlea_activation_view_new:
 *
 * Returns: (transfer floating): a new view
 */
GtkWidget *
cochlea_activation_view_new (void)
{
  return g_object_new (COCHLEA_TYPE_ACTIVATION_VIEW, NULL);
}

/**
 * cochlea_activation_view_get_maps:
 *
 * Returns: (transfer none) (nullable): the maps shown
 */
CochleaActivationMaps *
cochlea_activation_view_get_maps (CochleaActivationView *self)
{
  g_return_val_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self), NULL);
  return self->maps;
}

int
cochlea_activation_view_get_layer (CochleaActivationView *self)
{
  g_return_val_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self), 0);
  return self->layer;
}

/**
 * cochlea_activation_view_dup_layer_names:
 *
 * Returns: (transfer full): the layers' names in order, for a drop-down
 */
char **
cochlea_activation_view_dup_layer_names (CochleaActivationView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self), NULL);

  for (guint i = 0; self->maps != NULL && i < cochlea_activation_maps_get_n_layers (self->maps); i++)
    g_strv_builder_add (builder, cochlea_activation_maps_get_layer (self->maps, i)->name);
  return g_strv_builder_end (builder);
}

double
cochlea_activation_view_get_position (CochleaActivationView *self)
{
  g_return_val_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self), 0);
  return self->position;
}

double
cochlea_activation_view_get_seconds_per_pixel (CochleaActivationView *self)
{
  g_return_val_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self), DEFAULT_SECONDS_PER_PX);
  return self->seconds_per_px;
}

double
cochlea_activation_view_get_view_start (CochleaActivationView *self)
{
  g_return_val_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self), 0);
  return self->view_start;
}

CochleaColormap
cochlea_activation_view_get_colormap (CochleaActivationView *self)
{
  g_return_val_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self), COCHLEA_COLORMAP_VIRIDIS);
  return self->colormap;
}

/**
 * cochlea_activation_view_set_maps:
 * @self: a view
 * @maps: (nullable) (transfer none): maps to show; a reference is taken
 *
 * The layer index is kept, so the user's choice survives each new window.
 */
void
cochlea_activation_view_set_maps (CochleaActivationView *self,
                                  CochleaActivationMaps *maps)
{
  g_return_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self));

  if (maps == self->maps)
    return;

  g_clear_pointer (&self->maps, cochlea_activation_maps_unref);
  if (maps != NULL)
    self->maps = cochlea_activation_maps_ref (maps);
  else
    {
      g_clear_pointer (&self->range, g_free);
      self->n_range = 0;
    }

  /* The legend changes only when the range widens: the labels stay put
   * (and out of the frame's repaint) from one window to the next. */
  if (maps == NULL || widen_range (self, maps))
    g_clear_pointer (&self->labels_node, gsk_render_node_unref);
  self->hover_channel = -1;
  update_accessible_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAPS]);
  /* Live mode replaces the maps every window: keep the old picture until
   * the new one is ready rather than flash empty. */
  invalidate_texture (self, TRUE);
}

void
cochlea_activation_view_set_layer (CochleaActivationView *self,
                                   int                    layer)
{
  g_return_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self));
  g_return_if_fail (layer >= 0);

  if (layer == self->layer)
    return;

  self->layer = layer;
  self->hover_channel = -1;
  g_clear_pointer (&self->labels_node, gsk_render_node_unref);
  update_accessible_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
  invalidate_texture (self, FALSE);
}

void
cochlea_activation_view_set_position (CochleaActivationView *self,
                                      double                 position)
{
  g_return_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self));

  position = MAX (0, position);
  if (position == self->position)
    return;

  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cochlea_activation_view_set_seconds_per_pixel (CochleaActivationView *self,
                                               double                 seconds_per_pixel)
{
  g_return_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self));

  seconds_per_pixel = CLAMP (seconds_per_pixel, MIN_SECONDS_PER_PX, MAX_SECONDS_PER_PX);
  if (seconds_per_pixel == self->seconds_per_px)
    return;

  self->seconds_per_px = seconds_per_pixel;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_PER_PIXEL]);
  invalidate_texture (self, TRUE);
}

void
cochlea_activation_view_set_view_start (CochleaActivationView *self,
                                        double                 view_start)
{
  g_return_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self));

  view_start = MAX (0, view_start);
  if (view_start == self->view_start)
    return;

  self->view_start = view_start;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_START]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cochlea_activation_view_set_colormap (CochleaActivationView *self,
                                      CochleaColormap        colormap)
{
  g_return_if_fail (COCHLEA_IS_ACTIVATION_VIEW (self));
  g_return_if_fail (colormap == COCHLEA_COLORMAP_VIRIDIS || colormap == COCHLEA_COLORMAP_MAGMA);

  if (colormap == self->colormap)
    return;

  self->colormap = colormap;
  g_clear_object (&self->legend_texture);
  g_clear_pointer (&self->labels_node, gsk_render_node_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLORMAP]);
  invalidate_texture (self, TRUE);
}
