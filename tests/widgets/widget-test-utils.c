/* widget-test-utils.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "widget-test-utils.h"

/* Returns FALSE (after printing a TAP skip) when there is no display. */
gboolean
widget_test_init (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, NULL);

  /* The cairo renderer is the fast, stable one under Xvfb (platform notes);
   * GSK_RENDERER=gl in the environment still tests the other. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run -a dbus-run-session)\n");
      return FALSE;
    }
  adw_init ();
  return TRUE;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 int        *count)
{
  (*count)++;
}

/* The libadwaita test-status-page.c contract: setting the current value
 * does not notify, setting a new value notifies exactly once and reads
 * back, setting it again does not notify. */
void
widget_test_check_property (GObject      *object,
                            const char   *name,
                            const GValue *other_value)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);
  g_auto(GValue) current = G_VALUE_INIT;
  g_auto(GValue) read_back = G_VALUE_INIT;
  g_autofree char *detailed = g_strconcat ("notify::", name, NULL);
  int count = 0;
  gulong id;

  g_assert_nonnull (pspec);
  g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);

  g_value_init (&current, pspec->value_type);
  g_value_init (&read_back, pspec->value_type);
  g_object_get_property (object, name, &current);

  id = g_signal_connect (object, detailed, G_CALLBACK (count_notify_cb), &count);

  g_object_set_property (object, name, &current);
  g_assert_cmpint (count, ==, 0);

  g_object_set_property (object, name, other_value);
  g_assert_cmpint (count, ==, 1);
  g_object_get_property (object, name, &read_back);
  if (pspec->value_type == G_TYPE_STRV) /* boxed: compare contents, not pointers */
    g_assert_true (g_strv_equal (g_value_get_boxed (&read_back), g_value_get_boxed (other_value)));
  else
    g_assert_cmpint (g_param_values_cmp (pspec, &read_back, other_value), ==, 0);

  g_object_set_property (object, name, other_value);
  g_assert_cmpint (count, ==, 1);

  g_signal_handler_disconnect (object, id);
}

void
widget_test_check_double_property (GObject    *object,
                                   const char *name,
                                   double      expected_default,
                                   double      other)
{
  g_auto(GValue) value = G_VALUE_INIT;
  double current;

  g_object_get (object, name, &current, NULL);
  g_assert_cmpfloat (current, ==, expected_default);

  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, other);
  widget_test_check_property (object, name, &value);
}

void
widget_test_check_boolean_property (GObject    *object,
                                    const char *name,
                                    gboolean    expected_default)
{
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean current;

  g_object_get (object, name, &current, NULL);
  g_assert_cmpint (current, ==, expected_default);

  g_value_init (&value, G_TYPE_BOOLEAN);
  g_value_set_boolean (&value, !expected_default);
  widget_test_check_property (object, name, &value);
}

static gboolean
window_ready (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

/* Puts @widget alone in a window of @width × @height and presents it.  Its
 * parent is a box with the window background, so rendering the parent
 * gives a screenshot with the theme's background behind the widget. */
GtkWindow *
widget_test_present (GtkWidget *widget,
                     int        width,
                     int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (box, "background");
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_vexpand (widget, TRUE);
  gtk_box_append (GTK_BOX (box), widget);
  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, box);
  gtk_window_present (window);
  widget_test_wait_until (window_ready, widget);
  return window;
}

/* Runs the main loop until @done returns TRUE (no sleeps: every source
 * that could make it true is a main-loop event). */
void
widget_test_wait_until (gboolean (*done) (gpointer),
                        gpointer   data)
{
  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
frame_done (gpointer data)
{
  return *(gboolean *) data;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

/* Waits for one painted frame, then renders @widget with its window's
 * renderer into a texture; NULL when the widget draws nothing. */
GdkTexture *
widget_test_render (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer;
  gboolean painted = FALSE;
  gulong id;
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);

  g_assert_nonnull (clock);
  gtk_widget_queue_draw (widget);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  widget_test_wait_until (frame_done, &painted);
  g_signal_handler_disconnect (clock, id);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL) /* the widget drew nothing */
    return NULL;

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

/* Saves under <build>/meson-logs/widgets/NAME.png; returns the path. */
char *
widget_test_save_png (GdkTexture *texture,
                      const char *name)
{
  const char *root = g_getenv ("COCHLEA_BUILD_ROOT");
  g_autofree char *dir = g_build_filename (root ? root : ".", "meson-logs", "widgets", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = g_build_filename (dir, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
  return path;
}

/* Straight (unpremultiplied) RGBA8 of one pixel.  The texture is
 * downloaded once and the pixels kept on it (textures are immutable). */
void
widget_test_get_pixel (GdkTexture *texture,
                       int         x,
                       int         y,
                       guint8      rgba[4])
{
  int w = gdk_texture_get_width (texture);
  int h = gdk_texture_get_height (texture);
  guint8 *data = g_object_get_data (G_OBJECT (texture), "widget-test-pixels");
  guint32 pixel;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (x, <, w);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (y, <, h);

  if (data == NULL)
    {
      /* gdk_texture_download gives CAIRO_FORMAT_ARGB32: native-endian
       * premultiplied 0xAARRGGBB. */
      data = g_malloc (4 * (gsize) w * h);
      gdk_texture_download (texture, data, 4 * (gsize) w);
      g_object_set_data_full (G_OBJECT (texture), "widget-test-pixels", data, g_free);
    }

  pixel = ((guint32 *) data)[(gsize) y * w + x];
  rgba[3] = pixel >> 24;
  for (int c = 0; c < 3; c++)
    {
      guint v = (pixel >> (16 - 8 * c)) & 0xff;
      rgba[c] = rgba[3] ? (guint8) MIN (255, (v * 255 + rgba[3] / 2) / rgba[3]) : 0;
    }
}
