/* cochlea-spectrogram-view.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A log-mel spectrogram under a playhead.  Pixels are made off the main
 * thread, in tiles of 256 device-pixel columns at the current zoom
 * (cochlea_spectrogram_render_pixels() in a GTask), so every texture is
 * drawn 1:1 and stays crisp: GTK 4.8 can only scale textures linearly.
 * snapshot() only appends: textures, the cached axes nodes, the playhead.
 */
#define G_LOG_DOMAIN "cochlea-spectrogram-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cochlea-spectrogram-render.h"
#include "cochlea-spectrogram-view-private.h"
#include "cochlea-widget-utils.h"

G_DEFINE_FINAL_TYPE (CochleaSpectrogramView, cochlea_spectrogram_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPECTROGRAM,
  PROP_POSITION,
  PROP_SECONDS_PER_PIXEL,
  PROP_VIEW_START,
  PROP_COLORMAP,
  PROP_DB_MIN,
  PROP_DB_MAX,
  PROP_AUTO_RANGE,
  PROP_FOLLOW,
  PROP_PLAYING,
  N_PROPS
};

enum {
  SEEK,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static gboolean warm_text_queued;

#define MIN_SECONDS_PER_PX     1e-4
#define MAX_SECONDS_PER_PX     10.0
#define DEFAULT_SECONDS_PER_PX (512.0 / 22050.0) /* one frame per pixel */
#define AUTO_RANGE_DB          80.0
#define KEEP_TILES_AROUND      8    /* tiles kept either side of the view */
#define FOLLOW_FRACTION        0.25 /* playhead sits here while following */

/* ------------------------------------------------------------------ */
/* Tiles                                                                */

typedef struct
{
  CochleaSpectrogram      *spec;
  CochleaSpectrogramRender params;  /* t_start set per tile */
  GArray                  *indices; /* gint64 */
  guint                    serial;
} TileJob;

typedef struct
{
  gint64   index;
  GBytes  *bytes;
  int      width;
  int      height;
  double   t_start;
  double   t_end;
  gboolean complete;
  GdkMemoryFormat format;
} TileResult;

static void
tile_job_free (gpointer data)
{
  TileJob *job = data;

  g_clear_pointer (&job->spec, cochlea_spectrogram_unref);
  g_clear_pointer (&job->indices, g_array_unref);
  g_free (job);
}

static void
tile_result_free (gpointer data)
{
  TileResult *result = data;

  g_clear_pointer (&result->bytes, g_bytes_unref);
  g_free (result);
}

static void
tile_free (gpointer data)
{
  CochleaSpectrogramTile *tile = data;

  g_clear_object (&tile->texture);
  g_clear_pointer (&tile->bytes, g_bytes_unref);
  g_clear_pointer (&tile->node, gsk_render_node_unref);
  g_free (tile);
}

static void
render_tiles_worker (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  TileJob *job = task_data;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (tile_result_free);
  double tile_seconds = COCHLEA_SPECTROGRAM_TILE_WIDTH * job->params.seconds_per_px;

  for (guint i = 0; i < job->indices->len; i++)
    {
      CochleaSpectrogramRender params = job->params;
      TileResult *result;
      gsize stride = 4 * (gsize) params.width;
      guint8 *pixels;

      if (g_task_return_error_if_cancelled (task))
        return;

      params.t_start = g_array_index (job->indices, gint64, i) * tile_seconds;
      pixels = g_malloc (stride * params.height);

      result = g_new0 (TileResult, 1);
      result->index = g_array_index (job->indices, gint64, i);
      result->width = params.width;
      result->height = params.height;
      result->t_start = params.t_start;
      result->t_end = params.t_start + tile_seconds;
      result->complete = cochlea_spectrogram_render_pixels (job->spec, &params, pixels, stride, NULL);
      result->format = cochlea_widget_pixels_to_native (pixels, params.width, params.height, stride);
      result->bytes = g_bytes_new_take (pixels, stride * params.height);
      g_ptr_array_add (results, result);
    }

  g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
}

static void update_tiles (CochleaSpectrogramView *self);

static gboolean
visible_tile_range (CochleaSpectrogramView *self,
                    gint64                 *first,
                    gint64                 *last)
{
  graphene_rect_t plot;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double origin_dev, end_dev, duration_dev;

  if (self->data == NULL || self->data->n_frames == 0)
    return FALSE;

  _cochlea_spectrogram_view_get_plot (self, &plot);
  if (plot.size.width < 1 || plot.size.height < 1)
    return FALSE;

  origin_dev = self->view_start / self->seconds_per_px * scale;
  end_dev = origin_dev + plot.size.width * scale;
  duration_dev = cochlea_spectrogram_get_duration (self->data) / self->seconds_per_px * scale;

  *first = (gint64) floor (origin_dev / COCHLEA_SPECTROGRAM_TILE_WIDTH);
  *last = (gint64) floor (MIN (end_dev, duration_dev) / COCHLEA_SPECTROGRAM_TILE_WIDTH);
  *first = MAX (*first, 0);

  return *last >= *first;
}

static void
tiles_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CochleaSpectrogramView *self = COCHLEA_SPECTROGRAM_VIEW (object);
  TileJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  self->job_running = FALSE;
  results = g_task_propagate_pointer (G_TASK (result), &error);

  if (self->tiles == NULL) /* disposed */
    return;

  if (results != NULL && job->serial == self->key_serial)
    {
      gint64 first, last;
      gboolean all_present = TRUE;

      for (guint i = 0; i < results->len; i++)
        {
          TileResult *r = g_ptr_array_index (results, i);
          CochleaSpectrogramTile *tile = g_new0 (CochleaSpectrogramTile, 1);

          tile->index = r->index;
          tile->t_start = r->t_start;
          tile->t_end = r->t_end;
          tile->complete = r->complete;
          tile->texture = gdk_memory_texture_new (r->width, r->height, r->format,
                                                  r->bytes, 4 * (gsize) r->width);
          tile->bytes = g_bytes_ref (r->bytes);
          g_hash_table_replace (self->tiles, &tile->index, tile);
          self->n_tiles_rendered++;
        }

      if (visible_tile_range (self, &first, &last))
        for (gint64 i = first; i <= last && all_present; i++)
          all_present = g_hash_table_contains (self->tiles, &i);
      if (all_present)
        g_ptr_array_set_size (self->stale_tiles, 0);

      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not render spectrogram tiles: %s", error->message);

  if (self->job_dirty || job->serial != self->key_serial)
    {
      self->job_dirty = FALSE;
      update_tiles (self);
    }
}

static void
evict_far_tiles (CochleaSpectrogramView *self,
                 gint64                  first,
                 gint64                  last)
{
  GHashTableIter iter;
  CochleaSpectrogramTile *tile;

  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tile))
    if (tile->index < first - KEEP_TILES_AROUND || tile->index > last + KEEP_TILES_AROUND)
      g_hash_table_iter_remove (&iter);
}

/* Makes sure the visible tiles (and one either side) exist or are being
 * made.  One job at a time; a job is a handful of tiles of ~1 ms each. */
static void
update_tiles (CochleaSpectrogramView *self)
{
  g_autoptr(GTask) task = NULL;
  graphene_rect_t plot;
  TileJob *job;
  gint64 first, last, last_data;
  int scale, height;

  if (self->tiles == NULL || !visible_tile_range (self, &first, &last))
    return;

  _cochlea_spectrogram_view_get_plot (self, &plot);
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  height = (int) ceil (plot.size.height * scale);

  if (height != self->tile_height || scale != self->tile_scale)
    {
      /* New key: keep what we have as a stretched backdrop until the new
       * tiles arrive. */
      GHashTableIter iter;
      CochleaSpectrogramTile *tile;

      if (g_hash_table_size (self->tiles) > 0)
        {
          g_ptr_array_set_size (self->stale_tiles, 0);
          g_hash_table_iter_init (&iter, self->tiles);
          while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tile))
            {
              g_hash_table_iter_steal (&iter);
              g_ptr_array_add (self->stale_tiles, tile);
            }
        }
      self->tile_height = height;
      self->tile_scale = scale;
      self->key_serial++;
      g_cancellable_cancel (self->tile_cancellable);
      g_clear_object (&self->tile_cancellable);
      self->tile_cancellable = g_cancellable_new ();
    }

  if (self->job_running)
    {
      self->job_dirty = TRUE;
      return;
    }

  evict_far_tiles (self, first, last);

  last_data = (gint64) floor (cochlea_spectrogram_get_duration (self->data) /
                              self->seconds_per_px * scale / COCHLEA_SPECTROGRAM_TILE_WIDTH);

  job = g_new0 (TileJob, 1);
  job->indices = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* Visible tiles first, then one ahead and one behind. */
  for (gint64 i = first; i <= last + 1; i++)
    if (i <= last_data && !g_hash_table_contains (self->tiles, &i))
      g_array_append_val (job->indices, i);
  if (first > 0 && !g_hash_table_contains (self->tiles, &(gint64) { first - 1 }))
    g_array_append_val (job->indices, (gint64) { first - 1 });

  if (job->indices->len == 0)
    {
      tile_job_free (job);
      return;
    }

  job->spec = cochlea_spectrogram_ref (self->data);
  job->serial = self->key_serial;
  job->params.seconds_per_px = self->seconds_per_px / scale;
  job->params.width = COCHLEA_SPECTROGRAM_TILE_WIDTH;
  job->params.height = height;
  job->params.db_min = self->db_min;
  job->params.db_max = self->db_max;
  job->params.colormap = self->colormap;

  self->job_running = TRUE;
  task = g_task_new (self, self->tile_cancellable, tiles_ready_cb, NULL);
  g_task_set_source_tag (task, update_tiles);
  g_task_set_task_data (task, job, tile_job_free);
  g_task_run_in_thread (task, render_tiles_worker);
}

/* Every tile must be remade (zoom, colours or data changed).  With
 * @keep_stale the old tiles stay as a stretched backdrop meanwhile. */
static void
invalidate_tiles (CochleaSpectrogramView *self,
                  gboolean                keep_stale)
{
  self->tile_height = -1;
  if (!keep_stale)
    {
      g_hash_table_remove_all (self->tiles);
      g_ptr_array_set_size (self->stale_tiles, 0);
    }
  update_tiles (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drop_axes (CochleaSpectrogramView *self)
{
  g_clear_pointer (&self->freq_axis_node, gsk_render_node_unref);
  g_clear_pointer (&self->time_grid_node, gsk_render_node_unref);
  if (self->time_labels != NULL)
    g_hash_table_remove_all (self->time_labels);
}

/* ------------------------------------------------------------------ */
/* Axes: built once into nodes, dropped on resize, data or style change */

typedef struct
{
  GdkRGBA fg;
  GdkRGBA dim;
  GdkRGBA grid;
} AxisColors;

static void
get_axis_colors (CochleaSpectrogramView *self,
                 AxisColors             *colors)
{
  gboolean hc = cochlea_widget_get_high_contrast (GTK_WIDGET (self));

  cochlea_widget_get_fg_color (GTK_WIDGET (self), &colors->fg);
  colors->dim = colors->fg;
  colors->dim.alpha *= hc ? 1.0 : 0.7;
  cochlea_widget_get_class_color (GTK_WIDGET (self), "grid", &colors->grid);
  if (hc)
    colors->grid.alpha = MIN (1.0, colors->grid.alpha * 2.5);
}

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

/* Draws @text with its (@xalign, @yalign) point at (@x, @y). */
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
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x - xalign * w),
                                                          round (y - yalign * h)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static char *
format_hz (double hz)
{
  if (hz >= 1000)
    return g_strdup_printf ("%gk", hz / 1000);
  return g_strdup_printf ("%g", hz);
}

static char *
format_time (double seconds,
             double step)
{
  int minutes = (int) floor (seconds / 60);
  double rest = seconds - 60 * minutes;

  if (step < 1)
    return g_strdup_printf ("%d:%04.1f", minutes, rest);
  return g_strdup_printf ("%d:%02d", minutes, (int) floor (rest + 0.5));
}

/* Frequency labels and grid on the left, the dB legend on the right. */
static GskRenderNode *
build_freq_axis_node (CochleaSpectrogramView *self,
                      const graphene_rect_t  *plot)
{
  static const double ticks[] = { 50, 100, 200, 500, 1000, 2000, 4000, 8000, 16000 };
  GtkWidget *widget = GTK_WIDGET (self);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  const CochleaSpectrogram *spec = self->data;
  AxisColors colors;
  double last_y = G_MAXDOUBLE;
  double bar_x = plot->origin.x + plot->size.width + 8;
  double db_top, db_step;

  get_axis_colors (self, &colors);

  append_label (widget, snapshot, _("Hz"), plot->origin.x - 6, plot->origin.y - 2, 1.0, 1.0, &colors.dim);

  for (guint i = 0; i < G_N_ELEMENTS (ticks); i++)
    {
      g_autofree char *text = NULL;
      double y;

      if (ticks[i] <= spec->f_min || ticks[i] >= spec->f_max)
        continue;
      y = plot->origin.y + cochlea_spectrogram_freq_to_y (spec, ticks[i], plot->size.height);
      if (y < plot->origin.y + 4 || last_y - y < 14)
        continue;
      last_y = y;

      gtk_snapshot_append_color (snapshot, &colors.grid,
                                 &GRAPHENE_RECT_INIT (plot->origin.x, round (y), plot->size.width, 1));
      gtk_snapshot_append_color (snapshot, &colors.dim,
                                 &GRAPHENE_RECT_INIT (plot->origin.x - 4, round (y), 4, 1));
      text = format_hz (ticks[i]);
      append_label (widget, snapshot, text, plot->origin.x - 6, y, 1.0, 0.5, &colors.fg);
    }

  /* The dB legend: a colour bar the height of the plot, labels every 20 dB
   * (10 dB when the range is small). */
  if (self->legend_texture != NULL)
    gtk_snapshot_append_texture (snapshot, self->legend_texture,
                                 &GRAPHENE_RECT_INIT (bar_x, plot->origin.y, 10, plot->size.height));
  append_label (widget, snapshot, _("dB"), bar_x, plot->origin.y - 2, 0.0, 1.0, &colors.dim);

  db_step = (self->db_max - self->db_min) > 40 ? 20 : 10;
  db_top = floor (self->db_max / db_step) * db_step;
  for (double db = db_top; db >= self->db_min - 1e-6 && self->db_max > self->db_min; db -= db_step)
    {
      g_autofree char *text = g_strdup_printf ("%g", db);
      double y = plot->origin.y + (self->db_max - db) / (self->db_max - self->db_min) * plot->size.height;

      /* A true minus sign reads better than a hyphen. */
      if (db < 0)
        {
          g_autofree char *abs_text = g_strdup_printf ("%g", -db);
          g_free (text);
          text = g_strconcat ("−", abs_text, NULL);
        }
      gtk_snapshot_append_color (snapshot, &colors.dim,
                                 &GRAPHENE_RECT_INIT (bar_x + 10, round (y), 3, 1));
      append_label (widget, snapshot, text, bar_x + 15,
                    CLAMP (y, plot->origin.y + 5, plot->origin.y + plot->size.height - 5),
                    0.0, 0.5, &colors.fg);
    }

  return gtk_snapshot_free_to_node (snapshot);
}

static double
time_tick_step (double seconds_per_px)
{
  static const double steps[] = { 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] / seconds_per_px >= 64)
      return steps[i];
  return 3600;
}

/* Vertical grid lines in content coordinates (x = t / spp) for content x
 * in [x0, x1); snapshot() translates the node as the view scrolls. */
static GskRenderNode *
build_time_grid_node (CochleaSpectrogramView *self,
                      const graphene_rect_t  *plot,
                      double                  x0,
                      double                  x1)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  double spp = self->seconds_per_px;
  double step = time_tick_step (spp);
  AxisColors colors;

  get_axis_colors (self, &colors);

  for (double t = MAX (0, ceil (x0 * spp / step)) * step; t < x1 * spp; t += step)
    gtk_snapshot_append_color (snapshot, &colors.grid,
                               &GRAPHENE_RECT_INIT (round (t / spp), plot->origin.y, 1, plot->size.height));

  return gtk_snapshot_free_to_node (snapshot);
}

/* One time label, at the origin; cached per tick by snapshot(). */
static GskRenderNode *
build_time_label_node (CochleaSpectrogramView *self,
                       double                  t,
                       double                  step)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autofree char *text = format_time (t, step);

  append_label (GTK_WIDGET (self), snapshot, text, 0, 0, 0.0, 0.0, &self->axis_fg_color);
  return gtk_snapshot_free_to_node (snapshot);
}

/* Tick marks and labels of the ticks inside the plot (labels may run into
 * the right gutter, never past the widget), from cached label nodes. */
static void
append_time_labels (CochleaSpectrogramView *self,
                    GtkSnapshot            *snapshot,
                    const graphene_rect_t  *plot,
                    double                  content_x)
{
  double spp = self->seconds_per_px;
  double step = time_tick_step (spp);
  double axis_y = plot->origin.y + plot->size.height;
  double offset = plot->origin.x - content_x;
  gint64 k0 = (gint64) ceil (content_x * spp / step);
  gint64 k1 = (gint64) floor ((content_x + plot->size.width) * spp / step);

  if (g_hash_table_size (self->time_labels) > 256)
    g_hash_table_remove_all (self->time_labels);

  for (gint64 k = MAX (k0, 0); k <= k1; k++)
    {
      double x = offset + round (k * step / spp);
      GskRenderNode *label;

      if (x < plot->origin.x || x > plot->origin.x + plot->size.width)
        continue;

      label = g_hash_table_lookup (self->time_labels, &k);
      if (label == NULL)
        {
          label = build_time_label_node (self, k * step, step);
          g_hash_table_insert (self->time_labels, g_memdup2 (&k, sizeof k), label);
        }

      gtk_snapshot_append_color (snapshot, &self->axis_dim_color, &GRAPHENE_RECT_INIT (x, axis_y, 1, 4));
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 3, axis_y + 2));
      gtk_snapshot_append_node (snapshot, label);
      gtk_snapshot_restore (snapshot);
    }
}

/* Text in the views' label style, drawn once into a scratch surface soon
 * after the first view is made (an idle, before any song plays): the
 * glyphs are then rasterised and the shaping plan for the tabular-figure
 * feature made.  Otherwise the first frame after a song's analysis did it
 * for the axis labels: ~22 % of that frame's instructions were FreeType
 * loading glyphs for the first time (callgrind, bench-app). */
#define WARM_TEXT "0123456789 −+.,:·%() abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ"

static gboolean
warm_text_cb (gpointer data)
{
  g_autoptr(GtkWidget) widget = g_weak_ref_get (data);
  g_autoptr(PangoLayout) layout = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  int w, h;

  if (widget == NULL)
    return G_SOURCE_REMOVE;

  layout = create_small_layout (widget, WARM_TEXT);
  pango_layout_get_pixel_size (layout, &w, &h);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, MAX (w, 1), MAX (h, 1));
  cr = cairo_create (surface);
  pango_cairo_show_layout (cr, layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
ensure_legend_texture (CochleaSpectrogramView *self)
{
  const guint8 *table;
  g_autoptr(GBytes) bytes = NULL;
  guint8 *pixels;

  if (self->legend_texture != NULL)
    return;

  table = cochlea_colormap_get_table (self->colormap);
  pixels = g_malloc (4 * COCHLEA_COLORMAP_N_ENTRIES);
  GdkMemoryFormat format;

  for (guint y = 0; y < COCHLEA_COLORMAP_N_ENTRIES; y++)
    memcpy (pixels + 4 * y, table + 4 * (COCHLEA_COLORMAP_N_ENTRIES - 1 - y), 4);
  format = cochlea_widget_pixels_to_native (pixels, 1, COCHLEA_COLORMAP_N_ENTRIES, 4);
  bytes = g_bytes_new_take (pixels, 4 * COCHLEA_COLORMAP_N_ENTRIES);
  self->legend_texture = gdk_memory_texture_new (1, COCHLEA_COLORMAP_N_ENTRIES, format, bytes, 4);
}

/* ------------------------------------------------------------------ */
/* Internal API shared with cochlea-spectrogram-view-input.c             */

void
_cochlea_spectrogram_view_get_plot (CochleaSpectrogramView *self,
                                    graphene_rect_t        *plot)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  int top = 16; /* room for the "Hz" and "dB" captions */

  graphene_rect_init (plot, COCHLEA_WIDGET_LEFT_GUTTER, top,
                      MAX (0, width - COCHLEA_WIDGET_LEFT_GUTTER - COCHLEA_WIDGET_RIGHT_GUTTER),
                      MAX (0, height - top - COCHLEA_WIDGET_AXIS_HEIGHT));
}

double
_cochlea_spectrogram_view_x_to_time (CochleaSpectrogramView *self,
                                     double                  x)
{
  graphene_rect_t plot;

  _cochlea_spectrogram_view_get_plot (self, &plot);
  return self->view_start + (x - plot.origin.x) * self->seconds_per_px;
}

void
_cochlea_spectrogram_view_emit_seek (CochleaSpectrogramView *self,
                                     double                  seconds)
{
  double duration = self->data ? cochlea_spectrogram_get_duration (self->data) : 0;

  g_signal_emit (self, signals[SEEK], 0, CLAMP (seconds, 0, duration));
}

/* Multiplies seconds-per-pixel by @factor keeping the time under @x put. */
void
_cochlea_spectrogram_view_zoom_at (CochleaSpectrogramView *self,
                                   double                  factor,
                                   double                  x)
{
  graphene_rect_t plot;
  double t = _cochlea_spectrogram_view_x_to_time (self, x);
  double spp = CLAMP (self->seconds_per_px * factor, MIN_SECONDS_PER_PX, MAX_SECONDS_PER_PX);

  _cochlea_spectrogram_view_get_plot (self, &plot);
  g_object_freeze_notify (G_OBJECT (self));
  cochlea_spectrogram_view_set_seconds_per_pixel (self, spp);
  cochlea_spectrogram_view_set_view_start (self, MAX (0, t - (x - plot.origin.x) * spp));
  g_object_thaw_notify (G_OBJECT (self));
}

guint
_cochlea_spectrogram_view_get_n_tiles_rendered (CochleaSpectrogramView *self)
{
  return self->n_tiles_rendered;
}

gboolean
_cochlea_spectrogram_view_is_busy (CochleaSpectrogramView *self)
{
  return self->job_running;
}

/* ------------------------------------------------------------------ */
/* Helpers for the setters                                              */

static gboolean
spectrogram_extends (const CochleaSpectrogram *old,
                     const CochleaSpectrogram *longer)
{
  return old != NULL && longer != NULL &&
         old->n_bins == longer->n_bins &&
         old->sample_rate == longer->sample_rate &&
         old->hop_length == longer->hop_length &&
         old->f_min == longer->f_min &&
         old->f_max == longer->f_max &&
         longer->n_frames >= old->n_frames &&
         (old->n_frames == 0 ||
          memcmp (old->data, longer->data, old->n_frames * old->n_bins * sizeof (float)) == 0);
}

static void
set_db_range_internal (CochleaSpectrogramView *self,
                       double                  db_min,
                       double                  db_max)
{
  gboolean changed = FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  if (db_min != self->db_min)
    {
      self->db_min = db_min;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DB_MIN]);
      changed = TRUE;
    }
  if (db_max != self->db_max)
    {
      self->db_max = db_max;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DB_MAX]);
      changed = TRUE;
    }
  g_object_thaw_notify (G_OBJECT (self));

  if (changed)
    {
      g_clear_pointer (&self->freq_axis_node, gsk_render_node_unref);
      invalidate_tiles (self, TRUE);
    }
}

/* Auto range: the loudest value rounded up to 5 dB, and 80 dB below it. */
static void
apply_auto_range (CochleaSpectrogramView *self,
                  gsize                   from_frame)
{
  float m;
  double top;

  if (!self->auto_range || self->data == NULL)
    return;

  m = cochlea_spectrogram_max_db (self->data, from_frame);
  if (!isfinite (m))
    return;

  top = ceil (m / 5.0) * 5.0;
  if (from_frame > 0 && top <= self->db_max)
    return; /* live growth: only ever widen, so old tiles stay valid */

  set_db_range_internal (self, top - AUTO_RANGE_DB, top);
}

static void
follow_position (CochleaSpectrogramView *self)
{
  graphene_rect_t plot;
  double visible;

  if (!self->follow)
    return;

  _cochlea_spectrogram_view_get_plot (self, &plot);
  visible = plot.size.width * self->seconds_per_px;
  if (visible <= 0)
    return;

  if (self->playing)
    cochlea_spectrogram_view_set_view_start (self, MAX (0, self->position - FOLLOW_FRACTION * visible));
  else if (self->position < self->view_start || self->position > self->view_start + visible)
    cochlea_spectrogram_view_set_view_start (self, MAX (0, self->position - FOLLOW_FRACTION * visible));
}

static void
update_accessible_description (CochleaSpectrogramView *self)
{
  g_autofree char *text = NULL;

  if (self->data != NULL)
    {
      double duration = cochlea_spectrogram_get_duration (self->data);

      text = g_strdup_printf (_("%u mel bands from %.0f to %.0f Hz over %d:%02d"),
                              (guint) self->data->n_bins, self->data->f_min, self->data->f_max,
                              (int) duration / 60, (int) duration % 60);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text ? text : "",
                                  -1);
}

static void
style_changed_cb (CochleaSpectrogramView *self)
{
  drop_axes (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ */
/* GObject and GtkWidget vfuncs                                         */

static void
cochlea_spectrogram_view_dispose (GObject *object)
{
  CochleaSpectrogramView *self = COCHLEA_SPECTROGRAM_VIEW (object);

  g_cancellable_cancel (self->tile_cancellable);
  g_clear_object (&self->tile_cancellable);
  drop_axes (self);
  g_clear_object (&self->legend_texture);
  g_clear_pointer (&self->time_labels, g_hash_table_unref);
  g_clear_pointer (&self->tiles, g_hash_table_unref);
  g_clear_pointer (&self->stale_tiles, g_ptr_array_unref);
  g_clear_pointer (&self->data, cochlea_spectrogram_unref);

  G_OBJECT_CLASS (cochlea_spectrogram_view_parent_class)->dispose (object);
}

static void
cochlea_spectrogram_view_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  CochleaSpectrogramView *self = COCHLEA_SPECTROGRAM_VIEW (object);

  switch (prop_id)
    {
    case PROP_SPECTROGRAM:
      g_value_set_boxed (value, self->data);
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
    case PROP_DB_MIN:
      g_value_set_double (value, self->db_min);
      break;
    case PROP_DB_MAX:
      g_value_set_double (value, self->db_max);
      break;
    case PROP_AUTO_RANGE:
      g_value_set_boolean (value, self->auto_range);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cochlea_spectrogram_view_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  CochleaSpectrogramView *self = COCHLEA_SPECTROGRAM_VIEW (object);

  switch (prop_id)
    {
    case PROP_SPECTROGRAM:
      cochlea_spectrogram_view_set_spectrogram (self, g_value_get_boxed (value));
      break;
    case PROP_POSITION:
      cochlea_spectrogram_view_set_position (self, g_value_get_double (value));
      break;
    case PROP_SECONDS_PER_PIXEL:
      cochlea_spectrogram_view_set_seconds_per_pixel (self, g_value_get_double (value));
      break;
    case PROP_VIEW_START:
      cochlea_spectrogram_view_set_view_start (self, g_value_get_double (value));
      break;
    case PROP_COLORMAP:
      cochlea_spectrogram_view_set_colormap (self, g_value_get_enum (value));
      break;
    case PROP_DB_MIN:
      cochlea_spectrogram_view_set_db_range (self, g_value_get_double (value), self->db_max);
      break;
    case PROP_DB_MAX:
      cochlea_spectrogram_view_set_db_range (self, self->db_min, g_value_get_double (value));
      break;
    case PROP_AUTO_RANGE:
      cochlea_spectrogram_view_set_auto_range (self, g_value_get_boolean (value));
      break;
    case PROP_FOLLOW:
      cochlea_spectrogram_view_set_follow (self, g_value_get_boolean (value));
      break;
    case PROP_PLAYING:
      cochlea_spectrogram_view_set_playing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cochlea_spectrogram_view_measure (GtkWidget      *widget,
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
      *minimum = 120;
      *natural = 256;
    }
}

static void
cochlea_spectrogram_view_size_allocate (GtkWidget *widget,
                                        int        width,
                                        int        height,
                                        int        baseline)
{
  CochleaSpectrogramView *self = COCHLEA_SPECTROGRAM_VIEW (widget);

  drop_axes (self);
  if (self->playing)
    follow_position (self);
  update_tiles (self);
}

static void
cochlea_spectrogram_view_css_changed (GtkWidget         *widget,
                                      GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (cochlea_spectrogram_view_parent_class)->css_changed (widget, change);
  drop_axes (COCHLEA_SPECTROGRAM_VIEW (widget));
}

static void
cochlea_spectrogram_view_snapshot (GtkWidget   *widget,
                                   GtkSnapshot *snapshot)
{
  CochleaSpectrogramView *self = COCHLEA_SPECTROGRAM_VIEW (widget);
  graphene_rect_t plot;
  int scale = gtk_widget_get_scale_factor (widget);
  double spp = self->seconds_per_px;
  double origin_dev, content_x, playhead_x;
  gint64 first, last;
  gboolean image_nodes;
  GdkRGBA shadow = { 0, 0, 0, 0.4 };

  if (self->data == NULL || self->data->n_frames == 0)
    return;

  _cochlea_spectrogram_view_get_plot (self, &plot);
  if (plot.size.width < 1 || plot.size.height < 1)
    return;

  /* The picture: stale tiles (stretched) under the current ones (1:1). */
  image_nodes = cochlea_widget_prefers_image_nodes (widget);
  gtk_snapshot_push_clip (snapshot, &plot);
  for (guint i = 0; i < self->stale_tiles->len; i++)
    {
      CochleaSpectrogramTile *tile = g_ptr_array_index (self->stale_tiles, i);
      double x = plot.origin.x + (tile->t_start - self->view_start) / spp;
      double w = (tile->t_end - tile->t_start) / spp;
      graphene_rect_t bounds;

      if (x + w < plot.origin.x || x > plot.origin.x + plot.size.width)
        continue;
      if (!image_nodes)
        {
          gtk_snapshot_append_texture (snapshot, tile->texture,
                                       &GRAPHENE_RECT_INIT (x, plot.origin.y, w, plot.size.height));
          continue;
        }
      /* The cairo renderer would convert a stretched texture's pixels on
       * every frame until the new tiles arrive (the view resized while a
       * revealer animated: every frame of it); its cached image node is
       * only scaled. */
      if (tile->node == NULL)
        tile->node = cochlea_widget_image_node_new (tile->bytes,
                                                    gdk_texture_get_width (tile->texture),
                                                    gdk_texture_get_height (tile->texture),
                                                    &GRAPHENE_RECT_INIT (0, 0, w, plot.size.height));
      gsk_render_node_get_bounds (tile->node, &bounds);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, plot.origin.y));
      gtk_snapshot_scale (snapshot, w / bounds.size.width, plot.size.height / bounds.size.height);
      gtk_snapshot_append_node (snapshot, tile->node);
      gtk_snapshot_restore (snapshot);
    }

  origin_dev = round (self->view_start / spp * scale);
  if (visible_tile_range (self, &first, &last))
    for (gint64 i = first; i <= last; i++)
      {
        CochleaSpectrogramTile *tile = g_hash_table_lookup (self->tiles, &i);
        graphene_rect_t rect = GRAPHENE_RECT_INIT (plot.origin.x + (i * COCHLEA_SPECTROGRAM_TILE_WIDTH - origin_dev) / scale,
                                                   plot.origin.y,
                                                   (double) COCHLEA_SPECTROGRAM_TILE_WIDTH / scale,
                                                   plot.size.height);

        if (tile == NULL)
          continue;

        if (image_nodes)
          {
            /* Built once per tile, then only translated (see
             * cochlea_widget_prefers_image_nodes()). */
            if (tile->node == NULL)
              tile->node = cochlea_widget_image_node_new (tile->bytes,
                                                          gdk_texture_get_width (tile->texture),
                                                          gdk_texture_get_height (tile->texture),
                                                          &GRAPHENE_RECT_INIT (0, 0, rect.size.width, rect.size.height));
            gtk_snapshot_save (snapshot);
            gtk_snapshot_translate (snapshot, &rect.origin);
            gtk_snapshot_append_node (snapshot, tile->node);
            gtk_snapshot_restore (snapshot);
          }
        else
          gtk_snapshot_append_texture (snapshot, tile->texture, &rect);
      }
  gtk_snapshot_pop (snapshot);

  /* Cached axes. */
  if (self->freq_axis_node == NULL)
    {
      ensure_legend_texture (self);
      AxisColors colors;

      self->freq_axis_node = build_freq_axis_node (self, &plot);
      cochlea_widget_get_class_color (widget, "playhead", &self->playhead_color);
      get_axis_colors (self, &colors);
      self->axis_fg_color = colors.fg;
      self->axis_dim_color = colors.dim;
    }
  gtk_snapshot_append_node (snapshot, self->freq_axis_node);

  content_x = origin_dev / scale;
  if (self->time_grid_node == NULL ||
      content_x < self->time_axis_x0 ||
      content_x + plot.size.width > self->time_axis_x1)
    {
      g_clear_pointer (&self->time_grid_node, gsk_render_node_unref);
      self->time_axis_x0 = MAX (0, content_x - plot.size.width);
      self->time_axis_x1 = content_x + 2 * plot.size.width;
      self->time_grid_node = build_time_grid_node (self, &plot, self->time_axis_x0, self->time_axis_x1);
    }
  gtk_snapshot_push_clip (snapshot, &plot);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (plot.origin.x - content_x, 0));
  gtk_snapshot_append_node (snapshot, self->time_grid_node);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);

  append_time_labels (self, snapshot, &plot, content_x);

  /* The playhead, with a dark edge so it reads on bright and dark bands. */
  playhead_x = plot.origin.x + (self->position - self->view_start) / spp;
  if (playhead_x >= plot.origin.x && playhead_x <= plot.origin.x + plot.size.width)
    {
      double w = cochlea_widget_get_high_contrast (widget) ? 3 : 2;

      playhead_x = round (playhead_x * scale) / scale;
      gtk_snapshot_append_color (snapshot, &shadow,
                                 &GRAPHENE_RECT_INIT (playhead_x - w / 2 - 1, plot.origin.y, w + 2, plot.size.height));
      gtk_snapshot_append_color (snapshot, &self->playhead_color,
                                 &GRAPHENE_RECT_INIT (playhead_x - w / 2, plot.origin.y, w, plot.size.height));
    }
}

static void
cochlea_spectrogram_view_class_init (CochleaSpectrogramViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cochlea_spectrogram_view_dispose;
  object_class->get_property = cochlea_spectrogram_view_get_property;
  object_class->set_property = cochlea_spectrogram_view_set_property;

  widget_class->measure = cochlea_spectrogram_view_measure;
  widget_class->size_allocate = cochlea_spectrogram_view_size_allocate;
  widget_class->snapshot = cochlea_spectrogram_view_snapshot;
  widget_class->css_changed = cochlea_spectrogram_view_css_changed;

  /**
   * CochleaSpectrogramView:spectrogram:
   *
   * The spectrogram shown (held by reference, never modified).  Replacing
   * it with a longer one whose first frames are identical (live mode)
   * keeps every finished tile and renders only the new ones.
   */
  properties[PROP_SPECTROGRAM] =
    g_param_spec_boxed ("spectrogram", NULL, NULL,
                        COCHLEA_TYPE_SPECTROGRAM,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  /**
   * CochleaSpectrogramView:position:
   *
   * The playhead, in seconds.
   */
  properties[PROP_POSITION] =
    g_param_spec_double ("position", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * CochleaSpectrogramView:seconds-per-pixel:
   *
   * The zoom.  Bind it (and #CochleaSpectrogramView:view-start) to a
   * #CochleaActivationView to align the two time axes.
   */
  properties[PROP_SECONDS_PER_PIXEL] =
    g_param_spec_double ("seconds-per-pixel", NULL, NULL,
                         MIN_SECONDS_PER_PX, MAX_SECONDS_PER_PX, DEFAULT_SECONDS_PER_PX,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * CochleaSpectrogramView:view-start:
   *
   * Seconds at the left edge of the plot.
   */
  properties[PROP_VIEW_START] =
    g_param_spec_double ("view-start", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_COLORMAP] =
    g_param_spec_enum ("colormap", NULL, NULL,
                       COCHLEA_TYPE_COLORMAP, COCHLEA_COLORMAP_MAGMA,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_DB_MIN] =
    g_param_spec_double ("db-min", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, -80,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_DB_MAX] =
    g_param_spec_double ("db-max", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * CochleaSpectrogramView:auto-range:
   *
   * When set, a new spectrogram sets db-max to its loudest value (rounded
   * up to 5 dB) and db-min 80 dB below.  Live growth only ever widens it.
   */
  properties[PROP_AUTO_RANGE] =
    g_param_spec_boolean ("auto-range", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /**
   * CochleaSpectrogramView:follow:
   *
   * Keep the playhead in view: while #CochleaSpectrogramView:playing the
   * picture scrolls under a playhead held a quarter of the way in.
   */
  properties[PROP_FOLLOW] =
    g_param_spec_boolean ("follow", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CochleaSpectrogramView::seek:
   * @self: the view
   * @seconds: where the user clicked, clamped to the spectrogram
   *
   * The user asked to play from @seconds.  The view does not move its
   * playhead itself: the player sets #CochleaSpectrogramView:position.
   */
  signals[SEEK] =
    g_signal_new ("seek",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "spectrogram");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static gboolean
gint64_equal (gconstpointer a,
              gconstpointer b)
{
  return *(const gint64 *) a == *(const gint64 *) b;
}

static void
cochlea_spectrogram_view_init (CochleaSpectrogramView *self)
{
  self->tiles = g_hash_table_new_full (g_int64_hash, gint64_equal, NULL, tile_free);
  self->stale_tiles = g_ptr_array_new_with_free_func (tile_free);
  self->time_labels = g_hash_table_new_full (g_int64_hash, gint64_equal, g_free,
                                             (GDestroyNotify) gsk_render_node_unref);
  self->tile_cancellable = g_cancellable_new ();
  self->seconds_per_px = DEFAULT_SECONDS_PER_PX;
  self->colormap = COCHLEA_COLORMAP_MAGMA;
  self->db_min = -80;
  self->db_max = 0;
  self->auto_range = TRUE;
  self->follow = TRUE;
  self->tile_height = -1;
  self->hover_x = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Mel spectrogram"),
                                  -1);
  cochlea_widget_ensure_style (GTK_WIDGET (self));
  cochlea_widget_watch_style (GTK_WIDGET (self), G_CALLBACK (style_changed_cb));
  _cochlea_spectrogram_view_init_input (self);

  /* Once per process: the caches it fills are global. */
  if (!warm_text_queued)
    {
      GWeakRef *ref = g_new0 (GWeakRef, 1);

      warm_text_queued = TRUE;
      g_weak_ref_init (ref, self);
      g_idle_add_full (G_PRIORITY_LOW, warm_text_cb, ref, weak_ref_free);
    }
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */

/**
 * cochlea_spectrogram_view_new:
 *
 * Returns: (transfer floating): a new view
 */
GtkWidget *
cochlea_spectrogram_view_new (void)
{
  return g_object_new (COCHLEA_TYPE_SPECTROGRAM_VIEW, NULL);
}

/**
 * cochlea_spectrogram_view_get_spectrogram:
 *
 * Returns: (transfer none) (nullable): the spectrogram shown
 */
CochleaSpectrogram *
cochlea_spectrogram_view_get_spectrogram (CochleaSpectrogramView *self)
{
  g_return_val_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self), NULL);
  return self->data;
}

double
cochlea_spectrogram_view_get_position (CochleaSpectrogramView *self)
{
  g_return_val_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self), 0);
  return self->position;
}

double
cochlea_spectrogram_view_get_seconds_per_pixel (CochleaSpectrogramView *self)
{
  g_return_val_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self), DEFAULT_SECONDS_PER_PX);
  return self->seconds_per_px;
}

double
cochlea_spectrogram_view_get_view_start (CochleaSpectrogramView *self)
{
  g_return_val_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self), 0);
  return self->view_start;
}

CochleaColormap
cochlea_spectrogram_view_get_colormap (CochleaSpectrogramView *self)
{
  g_return_val_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self), COCHLEA_COLORMAP_MAGMA);
  return self->colormap;
}

double
cochlea_spectrogram_view_get_db_min (CochleaSpectrogramView *self)
{
  g_return_val_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self), 0);
  return self->db_min;
}

double
cochlea_spectrogram_view_get_db_max (CochleaSpectrogramView *self)
{
  g_return_val_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self), 0);
  return self->db_max;
}

gboolean
cochlea_spectrogram_view_get_auto_range (CochleaSpectrogramView *self)
{
  g_return_val_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self), FALSE);
  return self->auto_range;
}

gboolean
cochlea_spectrogram_view_get_follow (CochleaSpectrogramView *self)
{
  g_return_val_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self), FALSE);
  return self->follow;
}

gboolean
cochlea_spectrogram_view_get_playing (CochleaSpectrogramView *self)
{
  g_return_val_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self), FALSE);
  return self->playing;
}

/**
 * cochlea_spectrogram_view_set_spectrogram:
 * @self: a view
 * @spectrogram: (nullable) (transfer none): the spectrogram to show; a
 *   reference is taken and the data is never modified
 *
 * In live mode call this again with a longer spectrogram whose first
 * frames are unchanged: only the tiles covering new frames are rendered.
 */
void
cochlea_spectrogram_view_set_spectrogram (CochleaSpectrogramView *self,
                                          CochleaSpectrogram     *spectrogram)
{
  gsize old_frames;
  gboolean extends;

  g_return_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self));

  if (spectrogram == self->data)
    return;

  extends = spectrogram_extends (self->data, spectrogram);
  old_frames = self->data ? self->data->n_frames : 0;

  g_clear_pointer (&self->data, cochlea_spectrogram_unref);
  if (spectrogram != NULL)
    self->data = cochlea_spectrogram_ref (spectrogram);

  if (extends)
    {
      GHashTableIter iter;
      CochleaSpectrogramTile *tile;

      /* Finished tiles are still right; the ragged last one is not. */
      g_hash_table_iter_init (&iter, self->tiles);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tile))
        if (!tile->complete)
          g_hash_table_iter_remove (&iter);
      g_ptr_array_set_size (self->stale_tiles, 0);
      apply_auto_range (self, old_frames);
      update_tiles (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else
    {
      drop_axes (self);
      self->key_serial++;
      g_cancellable_cancel (self->tile_cancellable);
      g_clear_object (&self->tile_cancellable);
      self->tile_cancellable = g_cancellable_new ();
      apply_auto_range (self, 0);
      invalidate_tiles (self, FALSE);
      update_accessible_description (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPECTROGRAM]);
}

/**
 * cochlea_spectrogram_view_set_position:
 * @self: a view
 * @position: the playhead in seconds
 *
 * Call it from a tick callback while playing; only the playhead is
 * redrawn (and, when following, the picture scrolls).
 */
void
cochlea_spectrogram_view_set_position (CochleaSpectrogramView *self,
                                       double                  position)
{
  g_return_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self));

  position = MAX (0, position);
  if (position == self->position)
    return;

  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  follow_position (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cochlea_spectrogram_view_set_seconds_per_pixel (CochleaSpectrogramView *self,
                                                double                  seconds_per_pixel)
{
  g_return_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self));

  seconds_per_pixel = CLAMP (seconds_per_pixel, MIN_SECONDS_PER_PX, MAX_SECONDS_PER_PX);
  if (seconds_per_pixel == self->seconds_per_px)
    return;

  self->seconds_per_px = seconds_per_pixel;
  g_clear_pointer (&self->time_grid_node, gsk_render_node_unref);
  g_hash_table_remove_all (self->time_labels);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS_PER_PIXEL]);
  invalidate_tiles (self, TRUE);
}

void
cochlea_spectrogram_view_set_view_start (CochleaSpectrogramView *self,
                                         double                  view_start)
{
  g_return_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self));

  view_start = MAX (0, view_start);
  if (view_start == self->view_start)
    return;

  self->view_start = view_start;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_START]);
  update_tiles (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cochlea_spectrogram_view_set_colormap (CochleaSpectrogramView *self,
                                       CochleaColormap         colormap)
{
  g_return_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self));
  g_return_if_fail (colormap == COCHLEA_COLORMAP_VIRIDIS || colormap == COCHLEA_COLORMAP_MAGMA);

  if (colormap == self->colormap)
    return;

  self->colormap = colormap;
  g_clear_object (&self->legend_texture);
  g_clear_pointer (&self->freq_axis_node, gsk_render_node_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLORMAP]);
  invalidate_tiles (self, TRUE);
}

/**
 * cochlea_spectrogram_view_set_db_range:
 * @self: a view
 * @db_min: level of the darkest colour
 * @db_max: level of the brightest colour
 *
 * Sets the legend's range.  With #CochleaSpectrogramView:auto-range on,
 * the next new spectrogram replaces it.
 */
void
cochlea_spectrogram_view_set_db_range (CochleaSpectrogramView *self,
                                       double                  db_min,
                                       double                  db_max)
{
  g_return_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self));

  set_db_range_internal (self, db_min, db_max);
}

void
cochlea_spectrogram_view_set_auto_range (CochleaSpectrogramView *self,
                                         gboolean                auto_range)
{
  g_return_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self));

  auto_range = !!auto_range;
  if (auto_range == self->auto_range)
    return;

  self->auto_range = auto_range;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_RANGE]);
  apply_auto_range (self, 0);
}

void
cochlea_spectrogram_view_set_follow (CochleaSpectrogramView *self,
                                     gboolean                follow)
{
  g_return_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self));

  follow = !!follow;
  if (follow == self->follow)
    return;

  self->follow = follow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
  follow_position (self);
}

void
cochlea_spectrogram_view_set_playing (CochleaSpectrogramView *self,
                                      gboolean                playing)
{
  g_return_if_fail (COCHLEA_IS_SPECTROGRAM_VIEW (self));

  playing = !!playing;
  if (playing == self->playing)
    return;

  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
  follow_position (self);
}
