/* test-spectrogram-stale.c — under the cairo renderer, when the view
 * changes height its old tiles (drawn stretched until the new ones
 * arrive) are image nodes, not texture nodes: GTK 4.8's cairo renderer
 * converts a texture node's pixels through floats on every draw.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cochlea-spectrogram-view-private.h"
#include "cochlea-widget-utils.h"
#include "widget-test-utils.h"

#define N_BINS 128
#define SR     22050
#define HOP    512

typedef struct
{
  CochleaSpectrogramView *view;
  int                     first_height;
  GskRenderNode          *node;        /* the view's, in the first frame at a new height */
  guint                   n_stale;     /* stale tiles then */
} Capture;

static gboolean
tiles_ready (gpointer data)
{
  CochleaSpectrogramView *view = data;

  return !_cochlea_spectrogram_view_is_busy (view) && _cochlea_spectrogram_view_get_n_tiles_rendered (view) > 0;
}

static gboolean
captured (gpointer data)
{
  return ((Capture *) data)->node != NULL;
}

/* In the frame that laid the view out at its new height: the new tiles
 * are being made in a worker, whose result can only arrive through the
 * main loop, after this frame. */
static void
after_paint_cb (GdkFrameClock *clock,
                Capture       *capture)
{
  GtkWidget *widget = GTK_WIDGET (capture->view);
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;

  if (capture->node != NULL || gtk_widget_get_height (widget) == capture->first_height)
    return;

  capture->n_stale = capture->view->stale_tiles->len;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  capture->node = gtk_snapshot_free_to_node (snapshot);
}

/* Texture nodes wider than a pixel (the 1-pixel dB legend is one). */
static guint
count_wide_textures (GskRenderNode *node)
{
  guint n = 0;

  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_TEXTURE_NODE:
      return gdk_texture_get_width (gsk_texture_node_get_texture (node)) > 1;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_wide_textures (gsk_container_node_get_child (node, i));
      return n;
    case GSK_TRANSFORM_NODE:
      return count_wide_textures (gsk_transform_node_get_child (node));
    case GSK_CLIP_NODE:
      return count_wide_textures (gsk_clip_node_get_child (node));
    case GSK_ROUNDED_CLIP_NODE:
      return count_wide_textures (gsk_rounded_clip_node_get_child (node));
    case GSK_DEBUG_NODE:
      return count_wide_textures (gsk_debug_node_get_child (node));
    default:
      return 0;
    }
}

static void
test_stale_tiles_not_textures (void)
{
  g_autoptr(CochleaSpectrogram) spec = cochlea_spectrogram_new (N_BINS, SR, HOP, 0, SR / 2.0);
  CochleaSpectrogramView *view = COCHLEA_SPECTROGRAM_VIEW (cochlea_spectrogram_view_new ());
  Capture capture = { view };
  GdkFrameClock *clock;
  GtkWindow *window;
  float row[N_BINS];
  gulong paint_id;

  for (gsize f = 0; f < 1000; f++)
    {
      for (int b = 0; b < N_BINS; b++)
        row[b] = -80.0f + (float) ((f + b) % 80);
      cochlea_spectrogram_append (spec, row);
    }
  cochlea_spectrogram_view_set_spectrogram (view, spec);
  window = widget_test_present (GTK_WIDGET (view), 700, 300);
  g_assert_true (cochlea_widget_prefers_image_nodes (GTK_WIDGET (view)));
  widget_test_wait_until (tiles_ready, view);

  capture.first_height = gtk_widget_get_height (GTK_WIDGET (view));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (view));
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &capture);
  gtk_widget_set_size_request (GTK_WIDGET (view), -1, capture.first_height + 40);
  widget_test_wait_until (captured, &capture);
  g_signal_handler_disconnect (clock, paint_id);

  g_test_message ("height %d -> %d, %u stale tiles", capture.first_height,
                  gtk_widget_get_height (GTK_WIDGET (view)), capture.n_stale);
  g_assert_cmpuint (capture.n_stale, >, 0);
  g_assert_cmpuint (count_wide_textures (capture.node), ==, 0);

  gsk_render_node_unref (capture.node);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  /* The path under test is the cairo renderer's. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  if (!widget_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/spectrogram-view/stale-tiles-not-textures", test_stale_tiles_not_textures);
  return g_test_run ();
}
