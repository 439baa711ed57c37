/* cochlea-widget-utils.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8 has no gtk_widget_get_color () (4.10): colours are read through
 * GtkStyleContext here and nowhere else, so the switch later is one place.
 */
#define G_LOG_DOMAIN "cochlea-widgets"

#include "config.h"

#include <adwaita.h>

#include "cochlea-widget-utils.h"

G_DEFINE_BOXED_TYPE (CochleaSpectrogram, cochlea_widgets_spectrogram,
                     cochlea_spectrogram_ref, cochlea_spectrogram_unref)

/* Default colours of the widgets' series, in terms of libadwaita's named
 * colours so they follow dark mode and high contrast.  Installed at
 * FALLBACK priority: the theme and the app's style.css override them. */
static const char default_css[] =
  "spectrogram, activationview, radarchart { color: @window_fg_color; }\n"
  "radarchart.series-input, .cochlea-radar-thumbnail.series-input { color: @accent_color; }\n"
  "radarchart.series-candidate, .cochlea-radar-thumbnail.series-candidate { color: @orange_3; }\n"
  "radarchart.series-shared, .cochlea-radar-thumbnail.series-shared { color: @success_color; }\n"
  "radarchart.series-target, .cochlea-radar-thumbnail.series-target { color: @window_fg_color; }\n"
  "spectrogram.playhead, activationview.playhead { color: #ffffff; }\n"
  "spectrogram.grid, activationview.grid { color: alpha(#ffffff, 0.16); }\n"
  "activationview.hover { color: @accent_color; }\n";

/**
 * cochlea_widget_ensure_style:
 * @widget: a widget that has a display
 *
 * Installs the widgets' default stylesheet on @widget's display once.
 */
void
cochlea_widget_ensure_style (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  GtkCssProvider *provider;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "cochlea-widgets-css"))
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, default_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_FALLBACK);
  g_object_set_data_full (G_OBJECT (display), "cochlea-widgets-css", provider, g_object_unref);
}

/**
 * cochlea_widget_get_fg_color:
 * @widget: a widget
 * @rgba: (out): its CSS `color`
 */
void
cochlea_widget_get_fg_color (GtkWidget *widget,
                             GdkRGBA   *rgba)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), rgba);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/**
 * cochlea_widget_get_class_color:
 * @widget: a widget
 * @css_class: a style class, e.g. "series-input"
 * @rgba: (out): the CSS `color` @widget would have with @css_class added
 *
 * Uses a transient style node (save/restore), so the widget itself is not
 * restyled and no redraw is queued: safe to call while building a node.
 */
void
cochlea_widget_get_class_color (GtkWidget  *widget,
                                const char *css_class,
                                GdkRGBA    *rgba)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_style_context_save (context);
  gtk_style_context_add_class (context, css_class);
  gtk_style_context_get_color (context, rgba);
  gtk_style_context_restore (context);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/**
 * cochlea_widget_get_high_contrast:
 * @widget: a widget
 *
 * Returns: whether libadwaita's high-contrast style is on (FALSE when
 *   libadwaita is not initialised)
 */
gboolean
cochlea_widget_get_high_contrast (GtkWidget *widget)
{
  if (!adw_is_initialized ())
    return FALSE;
  return adw_style_manager_get_high_contrast (adw_style_manager_get_default ());
}

/**
 * cochlea_widget_get_dark:
 * @widget: a widget
 *
 * Returns: whether the dark style is in use
 */
gboolean
cochlea_widget_get_dark (GtkWidget *widget)
{
  if (!adw_is_initialized ())
    return FALSE;
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

/**
 * cochlea_widget_watch_style:
 * @widget: a widget
 * @callback: a `void (*) (GtkWidget *self, GParamSpec *pspec, AdwStyleManager *manager)`
 *   called when dark mode or high contrast changes
 *
 * Connected with g_signal_connect_object, so nothing dangles.
 */
void
cochlea_widget_watch_style (GtkWidget *widget,
                            GCallback  callback)
{
  AdwStyleManager *manager;

  if (!adw_is_initialized ())
    return;

  manager = adw_style_manager_get_default ();
  g_signal_connect_object (manager, "notify::dark", callback, widget, G_CONNECT_SWAPPED);
  g_signal_connect_object (manager, "notify::high-contrast", callback, widget, G_CONNECT_SWAPPED);
}

/**
 * cochlea_widget_pixels_to_native:
 * @pixels: (inout): premultiplied RGBA8 rows, as the pure renderers write
 * @width: pixels per row
 * @height: rows
 * @stride: bytes per row
 *
 * Reorders the bytes in place into GDK_MEMORY_DEFAULT (cairo's ARGB32),
 * so neither renderer converts the texture again on every frame (the
 * cairo renderer downloads a memory texture for each draw; in the default
 * format that is a copy, in RGBA a per-pixel conversion).  Call it in the
 * worker thread.
 *
 * Returns: the format to pass to gdk_memory_texture_new()
 */
GdkMemoryFormat
cochlea_widget_pixels_to_native (guint8 *pixels,
                                 guint   width,
                                 guint   height,
                                 gsize   stride)
{
  for (guint y = 0; y < height; y++)
    {
      guint8 *p = pixels + y * stride;

      for (guint x = 0; x < width; x++, p += 4)
        {
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
          guint8 r = p[0];   /* R G B A → B G R A */
          p[0] = p[2];
          p[2] = r;
#else
          guint8 a = p[3];   /* R G B A → A R G B */
          p[3] = p[2];
          p[2] = p[1];
          p[1] = p[0];
          p[0] = a;
#endif
        }
    }
  return GDK_MEMORY_DEFAULT;
}

/**
 * cochlea_widget_prefers_image_nodes:
 * @widget: a realized widget
 *
 * GTK 4.8's cairo renderer converts every texture node's pixels through
 * floats on every frame (gdk_texture_download_surface() has no fast path
 * for an identical format before 4.10); a cached cairo node paints its
 * pixels with one pixman blit instead.  The GL renderer uploads a texture
 * once and keeps it, so texture nodes are right there.
 *
 * Returns: whether @widget is drawn by the cairo renderer
 */
gboolean
cochlea_widget_prefers_image_nodes (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native ? gtk_native_get_renderer (native) : NULL;

  return renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
}

static const cairo_user_data_key_t bytes_key;

/**
 * cochlea_widget_image_node_new:
 * @bytes: @width × @height pixels in GDK_MEMORY_DEFAULT (cairo's ARGB32),
 *   rows of 4 × @width bytes, as cochlea_widget_pixels_to_native() leaves
 *   them; a reference is kept
 * @width: pixels per row
 * @height: rows
 * @bounds: where to draw them; scaled with nearest-neighbour filtering, so
 *   they stay crisp when enlarged (GTK 4.8 scales textures only linearly)
 *
 * Returns: (transfer full): a cairo node to cache and append every frame
 */
GskRenderNode *
cochlea_widget_image_node_new (GBytes                *bytes,
                               int                    width,
                               int                    height,
                               const graphene_rect_t *bounds)
{
  GskRenderNode *node = gsk_cairo_node_new (bounds);
  cairo_t *cr = gsk_cairo_node_get_draw_context (node);
  cairo_surface_t *surface;

  g_return_val_if_fail (g_bytes_get_size (bytes) >= 4 * (gsize) width * height, node);

  surface = cairo_image_surface_create_for_data ((guchar *) g_bytes_get_data (bytes, NULL),
                                                 CAIRO_FORMAT_ARGB32, width, height, 4 * width);
  cairo_surface_set_user_data (surface, &bytes_key, g_bytes_ref (bytes),
                               (cairo_destroy_func_t) g_bytes_unref);

  cairo_translate (cr, bounds->origin.x, bounds->origin.y);
  cairo_scale (cr, bounds->size.width / width, bounds->size.height / height);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return node;
}
