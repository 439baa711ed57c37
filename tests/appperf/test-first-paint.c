/* test-first-paint.c — what GTK 4.8's cairo renderer paints slowly is kept
 * out of the frames where a song starts playing:
 *
 * - opening the first song from the empty page switches to the player at
 *   once (the stack's crossfade composited both pages over the whole window
 *   in every frame of it, 20-60 ms each, while the song started and its
 *   analysis arrived);
 * - the view slots carry no blurred shadow (the renderer blurred the card
 *   shadows again in every frame whose damage touched them, and the views
 *   inside change every frame while playing);
 * - no frame's render tree holds a cross-fade node (the header's title
 *   gave way to the view switcher with one, repainted in each frame of it).
 *
 * Each fails on the code before it (a running crossfade in the frames after
 * the opening; two blurred card shadows as wide as the spectrogram view;
 * the header's cross-fade node in a frame).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "app-test-utils.h"
#include "cochlea-test-utils.h"
#include "cochlea-window-private.h"

typedef struct
{
  CochleaWindow *window;
  guint          frames;             /* after-paint while watching */
  guint          transition_frames;  /* frames with the main stack's transition running */
  guint          after_shown;        /* frames since the analysis was shown */
  guint          cross_fade_frames;  /* frames whose render tree held a cross-fade node */
} Watch;

static gboolean
has_cross_fade (GskRenderNode *node)
{
  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_CROSS_FADE_NODE:
      return TRUE;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        if (has_cross_fade (gsk_container_node_get_child (node, i)))
          return TRUE;
      return FALSE;
    case GSK_TRANSFORM_NODE:
      return has_cross_fade (gsk_transform_node_get_child (node));
    case GSK_CLIP_NODE:
      return has_cross_fade (gsk_clip_node_get_child (node));
    case GSK_ROUNDED_CLIP_NODE:
      return has_cross_fade (gsk_rounded_clip_node_get_child (node));
    case GSK_OPACITY_NODE:
      return has_cross_fade (gsk_opacity_node_get_child (node));
    case GSK_COLOR_MATRIX_NODE:
      return has_cross_fade (gsk_color_matrix_node_get_child (node));
    case GSK_DEBUG_NODE:
      return has_cross_fade (gsk_debug_node_get_child (node));
    default:
      return FALSE;
    }
}

/* The window's render tree as painted now has a cross-fade node (which
 * GTK 4.8's cairo renderer draws by painting both sides into offscreen
 * groups). */
static gboolean
window_has_cross_fade (GtkWidget *window)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window), gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (snapshot);
  return node != NULL && has_cross_fade (node);
}

static void
after_paint_cb (GdkFrameClock *clock,
                Watch         *watch)
{
  watch->frames++;
  if (gtk_stack_get_transition_running (watch->window->main_stack))
    watch->transition_frames++;
  if (window_has_cross_fade (GTK_WIDGET (watch->window)))
    watch->cross_fade_frames++;
  if (watch->window->analysis != NULL && !cochlea_window_get_busy (watch->window))
    watch->after_shown++;
}

static gboolean
shown_and_settled (gpointer data)
{
  Watch *watch = data;

  /* Past the stack's 200 ms transition, with frames to spare. */
  return watch->after_shown >= 20;
}

/* Blurred outset shadows in @node at least @min_width wide. */
static guint
count_wide_blurred_shadows (GskRenderNode *node,
                            float          min_width)
{
  graphene_rect_t bounds;
  guint n = 0;

  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_OUTSET_SHADOW_NODE:
      gsk_render_node_get_bounds (node, &bounds);
      if (gsk_outset_shadow_node_get_blur_radius (node) > 0 && bounds.size.width >= min_width)
        {
          g_test_message ("blurred shadow, radius %.0f, %.0f x %.0f",
                          gsk_outset_shadow_node_get_blur_radius (node),
                          bounds.size.width, bounds.size.height);
          n++;
        }
      break;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_wide_blurred_shadows (gsk_container_node_get_child (node, i), min_width);
      break;
    case GSK_TRANSFORM_NODE:
      n += count_wide_blurred_shadows (gsk_transform_node_get_child (node), min_width);
      break;
    case GSK_CLIP_NODE:
      n += count_wide_blurred_shadows (gsk_clip_node_get_child (node), min_width);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      n += count_wide_blurred_shadows (gsk_rounded_clip_node_get_child (node), min_width);
      break;
    case GSK_OPACITY_NODE:
      n += count_wide_blurred_shadows (gsk_opacity_node_get_child (node), min_width);
      break;
    case GSK_COLOR_MATRIX_NODE:
      n += count_wide_blurred_shadows (gsk_color_matrix_node_get_child (node), min_width);
      break;
    case GSK_DEBUG_NODE:
      n += count_wide_blurred_shadows (gsk_debug_node_get_child (node), min_width);
      break;
    case GSK_CROSS_FADE_NODE:
      n += count_wide_blurred_shadows (gsk_cross_fade_node_get_start_child (node), min_width);
      n += count_wide_blurred_shadows (gsk_cross_fade_node_get_end_child (node), min_width);
      break;
    default:
      break;
    }
  return n;
}

static void
test_song_opens_without_costly_paint (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *song = app_test_write_song (dir, "first.wav", 6.0);
  g_autofree char *model = app_test_write_model (dir);
  g_autoptr(GFile) file = g_file_new_for_path (song);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  Watch watch = { 0 };
  CochleaWindow *window;
  GskRenderer *renderer;
  GdkFrameClock *clock;
  gulong paint_id;
  guint tick_id;
  guint n_blurred;
  int view_width;

  g_setenv ("COCHLEA_MODEL", model, TRUE);
  window = cochlea_window_new (app_test_application ());
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  g_settings_set_boolean (window->settings, "autoplay", TRUE);
  app_test_wait_frames (GTK_WIDGET (window), 5);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  g_assert_true (GSK_IS_CAIRO_RENDERER (renderer));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "empty");

  watch.window = window;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &watch);
  tick_id = app_test_redraw_every_frame (GTK_WIDGET (window));
  cochlea_window_open_files (window, &file, 1);
  app_test_wait_until (shown_and_settled, &watch);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
  g_signal_handler_disconnect (clock, paint_id);

  g_test_message ("%u frames, the main stack's transition running in %u of them, a cross-fade node in %u",
                  watch.frames, watch.transition_frames, watch.cross_fade_frames);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "content");
  g_assert_cmpuint (watch.transition_frames, ==, 0);
  /* Nor the header's title giving way to the view switcher. */
  g_assert_cmpuint (watch.cross_fade_frames, ==, 0);

  /* The window as painted now: the player with the song's views. */
  view_width = gtk_widget_get_width (window->spectrogram_view);
  g_assert_cmpint (view_width, >, 0);
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot,
                          gtk_widget_get_width (GTK_WIDGET (window)),
                          gtk_widget_get_height (GTK_WIDGET (window)));
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  n_blurred = count_wide_blurred_shadows (node, view_width);
  g_assert_cmpuint (n_blurred, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("COCHLEA_MODEL");
}

int
main (int   argc,
      char *argv[])
{
  /* The paths under test are the cairo renderer's. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/first-paint/song-opens-without-costly-paint", test_song_opens_without_costly_paint);
  return g_test_run ();
}
