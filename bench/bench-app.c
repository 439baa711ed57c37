/* bench-app.c — frame times and main-thread cost of the whole app window.
 * Never a test; docs/performance.md records runs.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-app [--seconds N]          a song playing with every view visible
 *   bench-app --library N [--seconds N]
 *                                    the Library page over N synthetic tracks
 *
 * Playing: the window on its empty page redrawn every frame (the baseline);
 * the frames from opening a generated song until its analysis shows
 * ("opening", reported apart); then the song playing on the silent clock
 * with the spectrogram view, the activation view and the transport bar
 * following the playhead ("playing": every frame from the first one after
 * the analysis arrived).
 *
 * Library: N synthetic tracks are written to a fresh catalogue through the
 * engine's store API, then the window opens: the time until the list model
 * holds them all, and the longest gap between frames meanwhile; frames
 * while the list scrolls (the vertical adjustment stepped every frame);
 * filtering as one types; sorting by each column.  The baseline is the
 * same window, same page, idle (a tick callback that does nothing).
 *
 * For every measurement it prints, from the window's frame clock, the
 * interval between consecutive after-paint signals, the wall time from
 * before-paint to after-paint ("work"), and the main thread's CPU time:
 * per frame (before-paint → after-paint) and in all (everything the main
 * loop did, divided by the frames).  CPU time is much less sensitive to
 * other processes than wall time.
 *
 * Under callgrind (bench/run-app-bench.sh --callgrind) each measurement is
 * collected on its own and dumped as "bench-app:<name>", so instructions
 * per frame can be read off the main thread's dump without any timing.
 *
 * Run it under a display (bench/run-app-bench.sh uses Xvfb).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
# if __has_include(<valgrind/callgrind.h>)
#  include <valgrind/callgrind.h>
#  define HAVE_CALLGRIND 1
# endif
#endif
#ifndef HAVE_CALLGRIND
# define CALLGRIND_ZERO_STATS
# define CALLGRIND_TOGGLE_COLLECT
# define CALLGRIND_DUMP_STATS_AT(name) ((void) (name))
#endif

#include "cochlea-activation-view.h"
#include "cochlea-application.h"
#include "cochlea-engine.h"
#include "bench-gui-utils.h"
#include "cochlea-memory-policy.h"
#include "cochlea-spectrogram-view.h"
#include "cochlea-window-private.h"

static int opt_seconds = 10;
static int opt_frames = 0;
static gboolean opt_verbose = FALSE;
static int opt_song = 0;
static int opt_list_textures = 0;
static int opt_list_changes = 0;
static int opt_library = 0;
static char *opt_catalogue = NULL;
static char *opt_css = NULL;
static gboolean opt_no_memory_policy = FALSE;
static double opt_reserve_frames = -1;
static gboolean opt_no_shm_pool = FALSE;
static gboolean opt_rss = FALSE;

/* The process's resident memory at the end of a run, and its peak. */
static void
print_memory (GtkWidget *window)
{
  g_autofree char *status = NULL;
  const char *keys[] = { "VmHWM:", "VmRSS:", "RssAnon:", "RssShmem:" };

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  printf ("process memory at the end:");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *line = strstr (status, keys[i]);

      if (line != NULL)
        printf (" %s %ld kB", keys[i], strtol (line + strlen (keys[i]), NULL, 10));
    }
  printf ("; heap refills after frames that page-faulted: %u; holds a shared-memory pool block: %d\n",
          cochlea_memory_policy_get_refills (window), cochlea_memory_policy_get_holds_shm_pool (window));
}

/* Snapshot timing: the snapshot vfuncs of a few classes are wrapped, so a
 * frame's paint stage splits into building the render nodes (snapshot)
 * and drawing them (the rest: the renderer).  Inclusive times: the
 * window's covers every widget that redrew. */

typedef void (*SnapshotFunc) (GtkWidget *, GtkSnapshot *);

enum { SNAP_WINDOW, SNAP_SPECTROGRAM, SNAP_ACTIVATION, SNAP_LABEL, N_SNAP };

static struct
{
  const char   *name;
  GType         type;
  SnapshotFunc  orig;
  gint64        frame_cpu_us;   /* this frame */
  guint         frame_calls;
  int           depth;
} snap[N_SNAP] = {
  { "window" }, { "spectrogram" }, { "activation" }, { "labels" },
};

static void
timed_snapshot (GtkWidget   *widget,
                GtkSnapshot *snapshot)
{
  int i;
  gint64 t0;

  for (i = 0; i < N_SNAP; i++)
    if (G_OBJECT_TYPE (widget) == snap[i].type)
      break;
  if (i == N_SNAP)
    {
      /* A subclass that inherited the wrapper: time it as its nearest wrapped ancestor. */
      for (i = 0; i < N_SNAP; i++)
        if (g_type_is_a (G_OBJECT_TYPE (widget), snap[i].type))
          break;
      g_assert (i < N_SNAP);
    }
  t0 = snap[i].depth++ == 0 ? bench_thread_cpu_us () : 0;
  snap[i].orig (widget, snapshot);
  if (--snap[i].depth == 0)
    {
      snap[i].frame_cpu_us += bench_thread_cpu_us () - t0;
      snap[i].frame_calls++;
    }
}

static void
wrap_snapshots (void)
{
  GType types[N_SNAP] = { COCHLEA_TYPE_WINDOW, COCHLEA_TYPE_SPECTROGRAM_VIEW,
                          COCHLEA_TYPE_ACTIVATION_VIEW, GTK_TYPE_LABEL };

  for (int i = 0; i < N_SNAP; i++)
    {
      GtkWidgetClass *klass = g_type_class_ref (types[i]);

      if (snap[i].orig != NULL)
        continue;
      snap[i].type = types[i];
      snap[i].orig = klass->snapshot;
      klass->snapshot = timed_snapshot;
    }
}

/* --list-textures: the texture nodes in the window's render tree (the
 * cairo renderer converts each one's pixels every time it is drawn), and
 * the blurred outset shadows (it blurs them again whenever the damage
 * touches them). */

static void
list_textures (GskRenderNode *node,
               int            depth)
{
  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_TEXTURE_NODE:
      {
        GdkTexture *texture = gsk_texture_node_get_texture (node);
        graphene_rect_t bounds;

        gsk_render_node_get_bounds (node, &bounds);
        printf ("    texture %s %d x %d drawn at %.0f,%.0f %.0f x %.0f\n", G_OBJECT_TYPE_NAME (texture),
                gdk_texture_get_width (texture), gdk_texture_get_height (texture),
                bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height);
      }
      break;
    case GSK_COLOR_NODE:
      {
        graphene_rect_t bounds;

        gsk_render_node_get_bounds (node, &bounds);
        if (bounds.size.width * bounds.size.height >= 50000)
          printf ("    colour fill %.0f x %.0f at %.0f,%.0f, alpha %.2f\n",
                  bounds.size.width, bounds.size.height, bounds.origin.x, bounds.origin.y,
                  gsk_color_node_get_color (node)->alpha);
      }
      break;
    case GSK_OUTSET_SHADOW_NODE:
      if (gsk_outset_shadow_node_get_blur_radius (node) > 0)
        {
          graphene_rect_t bounds;

          gsk_render_node_get_bounds (node, &bounds);
          printf ("    blurred shadow (radius %.0f) at %.0f,%.0f %.0f x %.0f\n",
                  gsk_outset_shadow_node_get_blur_radius (node),
                  bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height);
        }
      break;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        list_textures (gsk_container_node_get_child (node, i), depth + 1);
      break;
    case GSK_TRANSFORM_NODE:
      list_textures (gsk_transform_node_get_child (node), depth + 1);
      break;
    case GSK_CLIP_NODE:
      list_textures (gsk_clip_node_get_child (node), depth + 1);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      list_textures (gsk_rounded_clip_node_get_child (node), depth + 1);
      break;
    case GSK_OPACITY_NODE:
      list_textures (gsk_opacity_node_get_child (node), depth + 1);
      break;
    case GSK_COLOR_MATRIX_NODE:
      list_textures (gsk_color_matrix_node_get_child (node), depth + 1);
      break;
    case GSK_SHADOW_NODE:
      list_textures (gsk_shadow_node_get_child (node), depth + 1);
      break;
    case GSK_DEBUG_NODE:
      list_textures (gsk_debug_node_get_child (node), depth + 1);
      break;
    case GSK_CROSS_FADE_NODE:
      list_textures (gsk_cross_fade_node_get_start_child (node), depth + 1);
      list_textures (gsk_cross_fade_node_get_end_child (node), depth + 1);
      break;
    default:
      break;
    }
}

/* Widgets whose allocated height changed since the last call. */
static void
print_resized (GtkWidget  *widget,
               GHashTable *heights)
{
  int height = gtk_widget_get_mapped (widget) ? gtk_widget_get_height (widget) : -1;
  gpointer old;

  if (g_hash_table_lookup_extended (heights, widget, NULL, &old) && GPOINTER_TO_INT (old) != height)
    printf ("    resized: %s (%s) %d -> %d px high\n", G_OBJECT_TYPE_NAME (widget),
            gtk_widget_get_css_name (widget), GPOINTER_TO_INT (old), height);
  g_hash_table_replace (heights, widget, GINT_TO_POINTER (height));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    print_resized (child, heights);
}

static void
print_window_textures (GtkWidget *window)
{
  static GHashTable *heights;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window), gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (snapshot);
  if (node != NULL)
    list_textures (node, 0);
  if (heights == NULL)
    heights = g_hash_table_new (NULL, NULL);
  print_resized (window, heights);
  if (COCHLEA_IS_WINDOW (window))
    {
      CochleaWindow *self = COCHLEA_WINDOW (window);

      printf ("    switcher title: title visible %d, switcher enabled %d; switcher bar visible %d, reveal %d\n",
              adw_view_switcher_title_get_title_visible (self->switcher_title),
              adw_view_switcher_title_get_view_switcher_enabled (self->switcher_title),
              gtk_widget_get_visible (GTK_WIDGET (self->switcher_bar)),
              adw_view_switcher_bar_get_reveal (self->switcher_bar));
      printf ("    heights: window %d, title %d, artist %d, details %d, spectrogram view %d, layer drop-down %d,"
              " activation stack %d, activation info %d, transport %d\n",
              gtk_widget_get_height (window),
              gtk_widget_get_height (GTK_WIDGET (self->title_label)),
              gtk_widget_get_height (GTK_WIDGET (self->artist_label)),
              gtk_widget_get_height (GTK_WIDGET (self->details_label)),
              gtk_widget_get_height (self->spectrogram_view),
              gtk_widget_get_height (GTK_WIDGET (self->layer_dropdown)),
              gtk_widget_get_height (GTK_WIDGET (self->activation_stack)),
              gtk_widget_get_height (GTK_WIDGET (self->activation_info)),
              gtk_widget_get_height (gtk_widget_get_parent (GTK_WIDGET (self->play_button))));
    }
}

/* --list-changes: the subtrees of the window's render tree that differ
 * from the previous frame's, found as GSK finds its damage: unchanged
 * widgets keep their render node, so equal pointers are skipped; two
 * containers are compared child by child; any other difference is a
 * subtree whose old and new bounds are repainted. */

static const char *
node_type_name (GskRenderNode *node)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (GSK_TYPE_RENDER_NODE_TYPE);
  GEnumValue *value = klass ? g_enum_get_value (klass, gsk_render_node_get_node_type (node)) : NULL;

  return value ? value->value_nick : "?";
}

static GskRenderNode *
single_child (GskRenderNode *node)
{
  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_TRANSFORM_NODE: return gsk_transform_node_get_child (node);
    case GSK_CLIP_NODE: return gsk_clip_node_get_child (node);
    case GSK_ROUNDED_CLIP_NODE: return gsk_rounded_clip_node_get_child (node);
    case GSK_OPACITY_NODE: return gsk_opacity_node_get_child (node);
    case GSK_DEBUG_NODE: return gsk_debug_node_get_child (node);
    default: return NULL;
    }
}

static void
list_changes (GskRenderNode *old,
              GskRenderNode *new,
              int            depth,
              guint         *n_changes,
              double        *area)
{
  graphene_rect_t a, b;

  if (old == new)
    return;
  if (old != NULL && new != NULL &&
      gsk_render_node_get_node_type (old) == gsk_render_node_get_node_type (new))
    {
      if (gsk_render_node_get_node_type (old) == GSK_CONTAINER_NODE &&
          gsk_container_node_get_n_children (old) == gsk_container_node_get_n_children (new))
        {
          for (guint i = 0; i < gsk_container_node_get_n_children (old); i++)
            list_changes (gsk_container_node_get_child (old, i), gsk_container_node_get_child (new, i),
                          depth + 1, n_changes, area);
          return;
        }
      if (single_child (old) != NULL && depth < 64)
        {
          gsk_render_node_get_bounds (old, &a);
          gsk_render_node_get_bounds (new, &b);
          if (graphene_rect_equal (&a, &b))
            {
              list_changes (single_child (old), single_child (new), depth + 1, n_changes, area);
              return;
            }
        }
    }
  if (old != NULL)
    gsk_render_node_get_bounds (old, &a);
  else
    graphene_rect_init (&a, 0, 0, 0, 0);
  if (new != NULL)
    gsk_render_node_get_bounds (new, &b);
  else
    graphene_rect_init (&b, 0, 0, 0, 0);
  (*n_changes)++;
  *area += a.size.width * a.size.height + b.size.width * b.size.height;
  if (a.size.width * a.size.height + b.size.width * b.size.height >= 20000)
    printf ("    changed at depth %d: %s %.0f,%.0f %.0f x %.0f -> %s %.0f,%.0f %.0f x %.0f\n", depth,
            old ? node_type_name (old) : "none", a.origin.x, a.origin.y, a.size.width, a.size.height,
            new ? node_type_name (new) : "none", b.origin.x, b.origin.y, b.size.width, b.size.height);
}

static void
print_window_changes (GtkWidget *window)
{
  static GskRenderNode *previous;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  guint n_changes = 0;
  double area = 0;

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window), gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (snapshot);
  if (previous != NULL && node != NULL)
    {
      list_changes (previous, node, 0, &n_changes, &area);
      printf ("    %u changed subtrees (%.0f px of old and new bounds; large ones listed)\n", n_changes, area);
    }
  g_clear_pointer (&previous, gsk_render_node_unref);
  previous = node;
}

/* Frame statistics */

typedef struct
{
  const char    *name;
  GdkFrameClock *clock;
  GdkSurface    *surface;
  GtkWidget     *widget;
  gulong         before_id;
  gulong         after_id;
  gulong         layout_id;
  guint          layouts;       /* the surface re-laid out (GdkSurface::layout) */
  GArray        *intervals_ms;  /* between consecutive after-paint signals */
  GArray        *work_ms;       /* before-paint → after-paint, wall */
  GArray        *cpu_ms;        /* before-paint → after-paint, main-thread CPU */
  gint64         frame_us;
  gint64         frame_cpu_us;
  glong          frame_minflt;   /* the thread's minor page faults at before-paint */
  GArray        *faults;         /* minor page faults per frame (double) */
  glong          frame_anon_kb;  /* --rss: at before-paint */
  glong          frame_shmem_kb;
  gint64         last_paint_us;
  gint64         start_us;
  gint64         start_cpu_us;
  gint64         wall_us;       /* the whole measurement */
  gint64         total_cpu_us;
  gint64         end_us;        /* 0: until stopped */
  guint          paints;        /* after-paints seen */
  gboolean       done;
  /* Where a frame's main-thread CPU went: the frame clock's stages, each
   * stamped when it starts (emission hooks run before any handler). */
  gint64         update_cpu_us;
  gint64         layout_cpu_us;  /* the first layout emission of the frame */
  gint64         paint_cpu_us;
  guint          frame_layouts;  /* layout emissions this frame (GTK repeats it up to 4 times) */
  guint          frame_surface_layouts;
  double         stage_cpu_ms[3]; /* update, layout, paint: summed over the measurement */
  double         snapshot_cpu_ms; /* of paint, the window's snapshot: summed */
} Phase;

static Phase *stage_phase;     /* the measurement the hooks feed */
static guint dump_frames;      /* COCHLEA_BENCH_DUMP_FRAMES: callgrind dumps per frame */

static gboolean
stage_hook_cb (GSignalInvocationHint *hint,
               guint                  n_params,
               const GValue          *params,
               gpointer               data)
{
  Phase *phase = stage_phase;
  const char *stage = data;
  gint64 cpu;

  if (phase == NULL || phase->frame_cpu_us == 0 ||
      g_value_get_object (&params[0]) != (gpointer) phase->clock)
    return TRUE;
  cpu = bench_thread_cpu_us ();
  if (stage[0] == 'u')
    phase->update_cpu_us = cpu;
  else if (stage[0] == 'l')
    {
      if (phase->frame_layouts++ == 0)
        phase->layout_cpu_us = cpu;
    }
  else if (stage[0] == 'p')
    phase->paint_cpu_us = cpu;
  return TRUE;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Phase         *phase)
{
  /* Under callgrind, the first frames of "playing" each get a dump, and
   * so does the main loop's work between them. */
  if (dump_frames > 0 && phase->paints < dump_frames && g_str_equal (phase->name, "playing"))
    {
      g_autofree char *dump = g_strdup_printf ("bench-app:%s before frame %u", phase->name, phase->paints + 1);
      CALLGRIND_DUMP_STATS_AT (dump);
    }
  phase->frame_us = g_get_monotonic_time ();
  phase->frame_cpu_us = bench_thread_cpu_us ();
  phase->frame_minflt = bench_thread_faults (NULL);
  if (opt_rss)
    bench_resident_kb (&phase->frame_anon_kb, &phase->frame_shmem_kb);
  phase->update_cpu_us = phase->layout_cpu_us = phase->paint_cpu_us = 0;
  phase->frame_layouts = 0;
  phase->frame_surface_layouts = 0;
  for (int i = 0; i < N_SNAP; i++)
    snap[i].frame_cpu_us = snap[i].frame_calls = 0;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Phase         *phase)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = bench_thread_cpu_us ();
  glong minflt = bench_thread_faults (NULL);

  phase->paints++;
  if (dump_frames > 0 && phase->paints <= dump_frames && g_str_equal (phase->name, "playing"))
    {
      g_autofree char *dump = g_strdup_printf ("bench-app:%s frame %u", phase->name, phase->paints);
      CALLGRIND_DUMP_STATS_AT (dump);
    }
  if (phase->last_paint_us != 0 && phase->frame_us != 0)
    {
      double interval = (now - phase->last_paint_us) / 1000.0;
      double work = (now - phase->frame_us) / 1000.0;
      double frame_cpu = (cpu - phase->frame_cpu_us) / 1000.0;
      double faults = minflt - phase->frame_minflt;
      /* A stage that did not run this frame takes no time: use the next one's stamp. */
      gint64 paint = phase->paint_cpu_us ? phase->paint_cpu_us : cpu;
      gint64 layout = phase->layout_cpu_us ? phase->layout_cpu_us : paint;
      gint64 update = phase->update_cpu_us ? phase->update_cpu_us : layout;
      double stage[3] = { (layout - update) / 1000.0, (paint - layout) / 1000.0, (cpu - paint) / 1000.0 };

      for (int i = 0; i < 3; i++)
        phase->stage_cpu_ms[i] += stage[i];
      phase->snapshot_cpu_ms += snap[SNAP_WINDOW].frame_cpu_us / 1000.0;
      g_array_append_val (phase->intervals_ms, interval);
      g_array_append_val (phase->work_ms, work);
      g_array_append_val (phase->cpu_ms, frame_cpu);
      g_array_append_val (phase->faults, faults);
      /* Say when the slow frames happened, to find what they did. */
      if (opt_rss && (work > 16.0 || frame_cpu > 8.0 || (opt_verbose && phase->paints <= 8)))
        {
          glong anon, shmem;

          bench_resident_kb (&anon, &shmem);
          printf ("  resident memory in frame %u of \"%s\": anonymous %+ld kB, shared %+ld kB\n",
                  phase->paints, phase->name, anon - phase->frame_anon_kb, shmem - phase->frame_shmem_kb);
        }
      if (work > 16.0 || frame_cpu > 8.0 || (opt_verbose && phase->paints <= 8))
        printf ("  %s frame %u in \"%s\" at %.3f s: work %.1f ms, main-thread CPU %.1f ms"
                " (update %.1f, layout %.1f in %u pass%s%s, paint %.1f:"
                " snapshot %.1f [spectrogram %.1f, activation %.1f, %u labels %.1f], rest %.1f),"
                " %.0f page faults, interval %.1f ms; clock %.6f\n",
                work > 16.0 ? "slow" : frame_cpu > 8.0 ? "costly" : "early",
                phase->paints, phase->name, (phase->frame_us - phase->start_us) / (double) G_USEC_PER_SEC,
                work, frame_cpu, stage[0], stage[1], phase->frame_layouts,
                phase->frame_layouts == 1 ? "" : "es",
                phase->frame_surface_layouts ? ", window laid out" : "",
                stage[2], snap[SNAP_WINDOW].frame_cpu_us / 1000.0,
                snap[SNAP_SPECTROGRAM].frame_cpu_us / 1000.0, snap[SNAP_ACTIVATION].frame_cpu_us / 1000.0,
                snap[SNAP_LABEL].frame_calls, snap[SNAP_LABEL].frame_cpu_us / 1000.0,
                stage[2] - snap[SNAP_WINDOW].frame_cpu_us / 1000.0, faults, interval,
                phase->frame_us / (double) G_USEC_PER_SEC);
    }
  phase->last_paint_us = now;
  if (opt_list_changes > 0 && phase->paints <= (guint) opt_list_changes)
    {
      GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (phase->widget)));

      if (COCHLEA_IS_WINDOW (root))
        printf ("  main stack transition running: %d\n",
                gtk_stack_get_transition_running (COCHLEA_WINDOW (root)->main_stack));
      printf ("  changes in the window's render tree in frame %u of \"%s\":\n", phase->paints, phase->name);
      print_window_changes (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (phase->widget))));
    }
  if (opt_list_textures > 0 && phase->paints <= (guint) opt_list_textures)
    {
      printf ("  textures in the window after frame %u of \"%s\":\n", phase->paints, phase->name);
      print_window_textures (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (phase->widget))));
    }
  if (phase->end_us != 0 &&
      (opt_frames > 0 ? phase->intervals_ms->len >= (guint) opt_frames : now >= phase->end_us))
    phase->done = TRUE;
}

static void
layout_cb (GdkSurface *surface,
           int         width,
           int         height,
           Phase      *phase)
{
  phase->layouts++;
  phase->frame_surface_layouts++;
}

static void
install_stage_hooks (void)
{
  static const char * const stages[] = { "update", "layout", "paint" };
  static gboolean installed;

  if (installed)
    return;
  installed = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    g_signal_add_emission_hook (g_signal_lookup (stages[i], GDK_TYPE_FRAME_CLOCK), 0,
                                stage_hook_cb, (gpointer) stages[i], NULL);
}

static void
phase_start (Phase         *phase,
             const char    *name,
             GtkWidget     *widget,
             double         seconds)
{
  memset (phase, 0, sizeof *phase);
  phase->name = name;
  phase->clock = gtk_widget_get_frame_clock (widget);
  phase->widget = widget;
  phase->intervals_ms = g_array_new (FALSE, FALSE, sizeof (double));
  phase->work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  phase->cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  phase->faults = g_array_new (FALSE, FALSE, sizeof (double));
  phase->before_id = g_signal_connect (phase->clock, "before-paint", G_CALLBACK (before_paint_cb), phase);
  phase->after_id = g_signal_connect (phase->clock, "after-paint", G_CALLBACK (after_paint_cb), phase);
  phase->surface = gtk_native_get_surface (gtk_widget_get_native (widget));
  phase->layout_id = g_signal_connect (phase->surface, "layout", G_CALLBACK (layout_cb), phase);
  install_stage_hooks ();
  wrap_snapshots ();
  stage_phase = phase;
  phase->start_us = g_get_monotonic_time ();
  phase->start_cpu_us = bench_thread_cpu_us ();
  if (seconds > 0)
    phase->end_us = phase->start_us + (gint64) (seconds * G_USEC_PER_SEC);
  CALLGRIND_ZERO_STATS;
  CALLGRIND_TOGGLE_COLLECT;
}

static void
phase_stop (Phase *phase)
{
  g_autofree char *dump = g_strdup_printf ("bench-app:%s", phase->name);

  CALLGRIND_TOGGLE_COLLECT;
  CALLGRIND_DUMP_STATS_AT (dump);
  stage_phase = NULL;
  phase->wall_us = g_get_monotonic_time () - phase->start_us;
  phase->total_cpu_us = bench_thread_cpu_us () - phase->start_cpu_us;
  g_signal_handler_disconnect (phase->clock, phase->before_id);
  g_signal_handler_disconnect (phase->clock, phase->after_id);
  g_signal_handler_disconnect (phase->surface, phase->layout_id);
}

static void
phase_clear (Phase *phase)
{
  g_clear_pointer (&phase->intervals_ms, g_array_unref);
  g_clear_pointer (&phase->work_ms, g_array_unref);
  g_clear_pointer (&phase->cpu_ms, g_array_unref);
  g_clear_pointer (&phase->faults, g_array_unref);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Sorts @values. */
static double
percentile (GArray *values,
            double  p)
{
  gsize i;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  i = (gsize) floor (p / 100.0 * (values->len - 1) + 0.5);
  return g_array_index (values, double, i);
}

static double
mean (GArray *values)
{
  double sum = 0;

  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  return values->len ? sum / values->len : 0;
}

static guint
count_over (GArray *values,
            double  limit)
{
  guint n = 0;

  for (guint i = 0; i < values->len; i++)
    if (g_array_index (values, double, i) > limit)
      n++;
  return n;
}

static void
print_header (void)
{
  printf ("%-22s %6s %5s | %-24s %6s | %-20s %6s | %-18s | %-9s | %s\n",
          "measurement", "frames", "fps", "interval p50/p99/max ms", ">25 ms",
          "work p50/p99/max ms", ">16 ms", "cpu/frame mean/max", "main cpu/frame",
          "window layouts");
}

/* Returns the main thread's CPU per frame, all included. */
static double
phase_report (Phase *phase)
{
  guint n = phase->intervals_ms->len;
  double seconds = phase->wall_us / (double) G_USEC_PER_SEC;
  double cpu_per_frame = phase->paints ? phase->total_cpu_us / 1000.0 / phase->paints : 0;
  double cpu_mean = mean (phase->cpu_ms);
  /* A frame clock tick is 16.7 ms; an interval over 25 ms is a missed
   * frame, work over 16 ms would miss one even on an idle machine. */
  guint missed = count_over (phase->intervals_ms, 25.0);
  guint slow = count_over (phase->work_ms, 16.0);

  printf ("%-22s %6u %5.1f | %6.2f %7.2f %8.2f  %6u | %5.2f %6.2f %6.2f  %6u | %7.3f %8.2f | %7.3f   | %u\n",
          phase->name, n, seconds > 0 ? n / seconds : 0,
          percentile (phase->intervals_ms, 50), percentile (phase->intervals_ms, 99),
          percentile (phase->intervals_ms, 100), missed,
          percentile (phase->work_ms, 50), percentile (phase->work_ms, 99),
          percentile (phase->work_ms, 100), slow,
          cpu_mean, percentile (phase->cpu_ms, 100), cpu_per_frame, phase->layouts);
  if (n > 0)
    printf ("%-22s main-thread CPU per frame by frame-clock stage, mean ms: update %.3f, layout %.3f,"
            " paint %.3f (snapshot %.3f, render %.3f)\n",
            "", phase->stage_cpu_ms[0] / n, phase->stage_cpu_ms[1] / n, phase->stage_cpu_ms[2] / n,
            phase->snapshot_cpu_ms / n, (phase->stage_cpu_ms[2] - phase->snapshot_cpu_ms) / n);
  if (n > 0)
    printf ("%-22s main-thread minor page faults per frame: mean %.1f, max %.0f, frames with any %u, in all %.0f\n",
            "", mean (phase->faults), percentile (phase->faults, 100), count_over (phase->faults, 0),
            mean (phase->faults) * n);
  fflush (stdout);
  return cpu_per_frame;
}

static gboolean
phase_done (gpointer data)
{
  return ((Phase *) data)->done;
}

static gboolean
redraw_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static gboolean
idle_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       data)
{
  return G_SOURCE_CONTINUE;
}

/* Playing */

static void
write_song (const char *path,
            double      seconds)
{
  const int rate = 22050;
  gsize n = (gsize) (seconds * rate);
  g_autofree gint16 *pcm = g_new (gint16, n);
  g_autoptr(GByteArray) wav = g_byte_array_new ();
  guint32 u32;
  guint16 u16;
  double phase = 0;

#define PUT32(v) (u32 = GUINT32_TO_LE (v), g_byte_array_append (wav, (guint8 *) &u32, 4))
#define PUT16(v) (u16 = GUINT16_TO_LE (v), g_byte_array_append (wav, (guint8 *) &u16, 2))
  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / rate;
      double f = 220.0 * pow (2.0, floor (fmod (t * 2, 12)) / 12.0);

      phase += 2 * G_PI * f / rate;
      pcm[i] = (gint16) (12000 * (0.6 * sin (phase) + 0.3 * sin (3 * phase) +
                                  (fmod (t, 0.5) < 0.03 ? 0.5 * sin (2 * G_PI * 3000 * t) : 0)));
    }
  g_byte_array_append (wav, (guint8 *) "RIFF", 4); PUT32 (36 + n * 2);
  g_byte_array_append (wav, (guint8 *) "WAVEfmt ", 8); PUT32 (16); PUT16 (1); PUT16 (1);
  PUT32 (rate); PUT32 (rate * 2); PUT16 (2); PUT16 (16);
  g_byte_array_append (wav, (guint8 *) "data", 4); PUT32 (n * 2);
  for (gsize i = 0; i < n; i++)
    PUT16 ((guint16) pcm[i]);
#undef PUT32
#undef PUT16
  g_assert_true (g_file_set_contents (path, (char *) wav->data, wav->len, NULL));
}

static void
write_model (const char *path)
{
  static const char * const labels[] = { "voice", NULL };
  CochleaModelConfig config;
  g_autoptr(CochleaModel) model = NULL;
  g_autoptr(GError) error = NULL;

  /* The default architecture, random weights: the cost is the same. */
  cochlea_model_config_init_default (&config);
  cochlea_model_config_add_head (&config, "voice", COCHLEA_HEAD_SIGMOID, labels);
  if (!cochlea_model_config_validate (&config, &error) ||
      (model = cochlea_model_new (&config, 1, &error)) == NULL ||
      !cochlea_model_save (model, path, &error))
    g_error ("%s", error->message);
  cochlea_model_config_clear (&config);
}

static gboolean
analysed (gpointer data)
{
  CochleaWindow *window = data;

  return !cochlea_window_get_busy (window) && window->analysis != NULL;
}

typedef struct
{
  CochleaWindow *window;
  Phase         *phase;
  gboolean       told;
} Playing;

/* Under valgrind a fixed number of frames (--frames) can outlast the song,
 * and with the song over no frame comes: play it again from the start. */
static gboolean
playing_done (gpointer data)
{
  Playing *playing = data;

  if (!playing->phase->done && !cochlea_player_get_playing (playing->window->player))
    {
      if (!playing->told)
        printf ("note: the song ended during the measurement; playing it again from the start\n");
      playing->told = TRUE;
      cochlea_player_seek (playing->window->player, 0);
      cochlea_player_play (playing->window->player);
    }
  return playing->phase->done;
}

static void
run_playing (CochleaApplication *app,
             const char         *dir)
{
  Playing playing = { 0 };
  g_autofree char *song = g_build_filename (dir, "song.wav", NULL);
  g_autofree char *model = g_build_filename (dir, "model.safetensors", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (song);
  CochleaWindow *window;
  Phase phase;
  guint redraw_id;
  double base_cpu, app_cpu;

  g_setenv ("COCHLEA_MODEL", model, TRUE);
  write_song (song, opt_song > 0 ? opt_song : opt_frames > 0 ? 120 : opt_seconds * 2 + 10);
  write_model (model);

  window = cochlea_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  bench_iterate_until (bench_widget_mapped, window);

  printf ("renderer %s, %d s per measurement\n",
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))), opt_seconds);
  print_header ();

  /* Baseline: the empty page, redrawn every frame. */
  redraw_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), redraw_tick_cb, NULL, NULL);
  phase_start (&phase, "baseline", GTK_WIDGET (window), opt_seconds);
  bench_iterate_until (phase_done, &phase);
  phase_stop (&phase);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), redraw_id);
  base_cpu = phase_report (&phase);
  phase_clear (&phase);

  /* The app: a song playing with every view visible. */
  /* Opening: from the file's opening (the Now Playing page appears and
   * playback starts) until its analysis is shown; reported on its own. */
  phase_start (&phase, "opening", GTK_WIDGET (window), 0);
  phase.last_paint_us = phase.start_us;
  cochlea_window_open_files (window, &file, 1);
  bench_iterate_until (analysed, window);
  phase_stop (&phase);
  if (!cochlea_player_get_playing (window->player))
    {
      /* Only under valgrind: the song ended while it was being analysed. */
      printf ("note: the song had ended by the time its analysis was shown; playing it again from the start\n");
      cochlea_player_seek (window->player, 0);
      cochlea_player_play (window->player);
    }
  phase_report (&phase);
  phase_clear (&phase);

  /* Playing, every view showing the song: the measurement that counts. */
  phase_start (&phase, "playing", GTK_WIDGET (window), opt_seconds);
  phase.last_paint_us = phase.start_us;  /* the first frame counts too */
  playing.window = window;
  playing.phase = &phase;
  bench_iterate_until (playing_done, &playing);
  phase_stop (&phase);
  app_cpu = phase_report (&phase);
  phase_clear (&phase);

  printf ("main-thread CPU per frame, playing / baseline: %.2f\n", base_cpu > 0 ? app_cpu / base_cpu : 0);
  print_memory (GTK_WIDGET (window));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (song);
  g_unlink (model);
}

/* The library */

static const char * const words[] = {
  "Moon", "River", "Night", "Glass", "Summer", "Echo", "Paper", "Violet", "Iron", "Blue",
  "Garden", "Silver", "Winter", "Fire", "Shadow", "Ocean", "Golden", "Rain", "Velvet", "Stone",
  "Morning", "Electric", "Quiet", "Desert", "Northern", "Wild", "Hollow", "Crystal", "Falling", "Lost",
  "Dance", "Heart", "Song", "Light", "Road", "City", "Dream", "Star", "Wave", "Storm",
  "Ballad", "Sky", "Mirror", "Train", "Letter", "Island", "Forest", "Signal", "Engine", "Ghost",
  "Señorita", "Café", "Über", "Ørsted", "Łódź", "Ζέφυρος", "Сирень", "夜明け", "Noël", "Ñandú",
};

static char *
make_name (GRand *rand,
           int    n_words)
{
  GString *s = g_string_new (NULL);

  for (int i = 0; i < n_words; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
  return g_string_free (s, FALSE);
}

/* Writes @n tracks through the engine's store API, as an import would
 * (tags, attributes and a 64-float content vector); no audio. */
static void
fill_catalogue (const char *path,
                int         n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) catalogue = cochlea_catalogue_open (path, 0, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) artists = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) albums = g_ptr_array_new_with_free_func (g_free);
  float vector[64];
  gint64 t0 = g_get_monotonic_time ();

  if (catalogue == NULL)
    g_error ("%s", error->message);
  for (int i = 0; i < MAX (n / 20, 1); i++)
    g_ptr_array_add (artists, make_name (rand, g_rand_int_range (rand, 1, 3)));
  for (int i = 0; i < MAX (n / 8, 1); i++)
    g_ptr_array_add (albums, make_name (rand, g_rand_int_range (rand, 1, 4)));

  for (int i = 0; i < n; i++)
    {
      g_autoptr(CochleaFeatures) features = cochlea_features_new ();
      CochleaAnalysis analysis = { 0 };
      CochleaFileStamp stamp = { 0 };
      guint album = g_rand_int_range (rand, 0, albums->len);
      const char *artist = g_ptr_array_index (artists, album % artists->len);
      g_autofree char *title = make_name (rand, g_rand_int_range (rand, 1, 5));
      g_autofree char *file = g_strdup_printf ("/music/%s/%s/%05d %s.flac", artist,
                                               (char *) g_ptr_array_index (albums, album),
                                               i, title);
      g_autofree char *hash = g_strdup_printf ("%040x", i);

      /* One in twenty without tags: the title comes from the file name. */
      if (i % 20 != 7)
        {
          analysis.tags.title = title;
          analysis.tags.artist = (char *) artist;
          analysis.tags.album = g_ptr_array_index (albums, album);
        }
      analysis.path = file;
      analysis.display_path = file;
      analysis.duration_s = g_rand_double_range (rand, 90, 420);
      analysis.sample_rate = 22050;

      for (int a = 0; a < COCHLEA_N_ATTRIBUTES; a++)
        features->attrs[a] = g_rand_double (rand);
      features->attrs[COCHLEA_ATTR_TEMPO] = g_rand_double_range (rand, 60, 180);
      features->attrs[COCHLEA_ATTR_KEY] = g_rand_int_range (rand, 0, 12);
      features->attrs[COCHLEA_ATTR_LOUDNESS] = g_rand_double_range (rand, -20, -5);
      for (int d = 0; d < 64; d++)
        vector[d] = (float) g_rand_double_range (rand, -1, 1);
      cochlea_features_set_vector (features, "bench", vector, 64);

      stamp.path = file;
      stamp.size = g_rand_int_range (rand, 1 << 20, 1 << 24);
      stamp.mtime_us = 1700000000000000 + i;
      stamp.hash = hash;
      if (cochlea_catalogue_store_analysis (catalogue, &stamp, &analysis, features, &error) < 0)
        g_error ("%s", error->message);
    }
  printf ("catalogue: %d synthetic tracks written in %.1f s (not part of the measurements)\n",
          n, (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC);
}

static GtkFilterListModel *
find_filter_model (GListModel *model)
{
  while (model != NULL)
    {
      if (GTK_IS_FILTER_LIST_MODEL (model))
        return GTK_FILTER_LIST_MODEL (model);
      if (GTK_IS_SINGLE_SELECTION (model))
        model = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model));
      else if (GTK_IS_SORT_LIST_MODEL (model))
        model = gtk_sort_list_model_get_model (GTK_SORT_LIST_MODEL (model));
      else
        return NULL;
    }
  return NULL;
}

static GtkSortListModel *
find_sort_model (GListModel *model)
{
  while (model != NULL)
    {
      if (GTK_IS_SORT_LIST_MODEL (model))
        return GTK_SORT_LIST_MODEL (model);
      if (GTK_IS_SINGLE_SELECTION (model))
        model = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model));
      else if (GTK_IS_FILTER_LIST_MODEL (model))
        model = gtk_filter_list_model_get_model (GTK_FILTER_LIST_MODEL (model));
      else
        return NULL;
    }
  return NULL;
}

typedef struct
{
  CochleaWindow *window;
  guint          n_expected;
  guint          paints_wanted;   /* after-paints still to see */
  Phase         *phase;
} Wait;

static GListModel *
view_model (CochleaWindow *window)
{
  return G_LIST_MODEL (gtk_column_view_get_model (window->library_view));
}

/* Nothing pending in the filter and sort models. */
static gboolean
models_settled (CochleaWindow *window)
{
  GListModel *model = view_model (window);
  GtkFilterListModel *filter = find_filter_model (model);
  GtkSortListModel *sort = find_sort_model (model);

  return (filter == NULL || gtk_filter_list_model_get_pending (filter) == 0) &&
         (sort == NULL || gtk_sort_list_model_get_pending (sort) == 0);
}

static gboolean
library_filled (gpointer data)
{
  Wait *wait = data;

  if (g_get_monotonic_time () - wait->phase->start_us > 300 * G_USEC_PER_SEC)
    g_error ("the library shows %u rows after 300 s, not %u",
             g_list_model_get_n_items (view_model (wait->window)), wait->n_expected);
  return !wait->window->library_loading &&
         g_list_model_get_n_items (view_model (wait->window)) == wait->n_expected &&
         models_settled (wait->window) &&
         g_strcmp0 (adw_view_stack_get_visible_child_name (wait->window->view_stack), "library") == 0;
}

/* Settled, then one more frame painted (the user sees the result). */
static gboolean
settled_and_painted (gpointer data)
{
  Wait *wait = data;

  if (!models_settled (wait->window))
    return FALSE;
  if (wait->paints_wanted == 0)
    wait->paints_wanted = wait->phase->paints + 1;
  return wait->phase->paints >= wait->paints_wanted;
}

typedef struct
{
  GtkAdjustment *adjustment;
  double         fraction;    /* of a page per frame */
  double         direction;
} Scroll;

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  Scroll *scroll = data;
  double page = gtk_adjustment_get_page_size (scroll->adjustment);
  double upper = gtk_adjustment_get_upper (scroll->adjustment);
  double value = gtk_adjustment_get_value (scroll->adjustment) + scroll->direction * scroll->fraction * page;

  if (value >= upper - page)
    {
      value = upper - page;
      scroll->direction = -1;
    }
  else if (value <= 0)
    {
      value = 0;
      scroll->direction = 1;
    }
  gtk_adjustment_set_value (scroll->adjustment, value);
  return G_SOURCE_CONTINUE;
}

static gint64 search_emitted_us;
static gint64 search_emitted_cpu_us;

static gboolean
search_hook_cb (GSignalInvocationHint *hint,
                guint                  n_params,
                const GValue          *params,
                gpointer               data)
{
  search_emitted_us = g_get_monotonic_time ();
  search_emitted_cpu_us = bench_thread_cpu_us ();
  return TRUE;
}

static gboolean
search_emitted (gpointer data)
{
  return search_emitted_us != 0;
}

typedef struct
{
  GArray *handler_ms;      /* the emission (window's handler), wall */
  GArray *handler_cpu_ms;  /* the same, main-thread CPU */
  GArray *settle_ms;       /* emission → settled and one frame painted */
} Timings;

static void
timings_init (Timings *t)
{
  t->handler_ms = g_array_new (FALSE, FALSE, sizeof (double));
  t->handler_cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  t->settle_ms = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
timings_report (const char *name,
                Timings    *t,
                Phase      *phase)
{
  printf ("%-22s %4u times | handler ms p50 %6.2f max %7.2f | handler cpu ms p50 %6.2f max %7.2f"
          " | until painted ms p50 %7.2f max %7.2f | frame interval max %7.2f\n",
          name, t->handler_ms->len,
          percentile (t->handler_ms, 50), percentile (t->handler_ms, 100),
          percentile (t->handler_cpu_ms, 50), percentile (t->handler_cpu_ms, 100),
          percentile (t->settle_ms, 50), percentile (t->settle_ms, 100),
          percentile (phase->intervals_ms, 100));
  g_array_unref (t->handler_ms);
  g_array_unref (t->handler_cpu_ms);
  g_array_unref (t->settle_ms);
}

static void
type_text (CochleaWindow *window,
           const char    *text,
           Timings       *timings,
           Phase         *phase)
{
  Wait wait = { window, 0, 0, phase };
  GtkEditable *editable = GTK_EDITABLE (window->library_search);
  int n_current = g_utf8_strlen (gtk_editable_get_text (editable), -1);
  int n_text = g_utf8_strlen (text, -1);
  double ms;

  /* As a person types: one character added or removed at the end (setting
   * the whole text would empty the entry first, which searches at once). */
  search_emitted_us = 0;
  if (n_text > n_current)
    {
      int position = n_current;

      gtk_editable_insert_text (editable, g_utf8_offset_to_pointer (text, n_current), -1, &position);
    }
  else
    gtk_editable_delete_text (editable, n_text, n_current);
  /* GtkSearchEntry emits search-changed after its delay; the hook stamps
   * the start, and the window's handler has run when the emission ends. */
  bench_iterate_until (search_emitted, NULL);
  bench_iterate_until (settled_and_painted, &wait);
  ms = (g_get_monotonic_time () - search_emitted_us) / 1000.0;
  g_array_append_val (timings->settle_ms, ms);
}

static gint64 handler_end_us;
static gint64 handler_end_cpu_us;

static void
search_after_cb (GtkSearchEntry *entry,
                 gpointer        data)
{
  handler_end_us = g_get_monotonic_time ();
  handler_end_cpu_us = bench_thread_cpu_us ();
}

static void
run_library (CochleaApplication *app,
             const char         *dir)
{
  g_autofree char *db_dir = g_build_filename (dir, "cochlea", NULL);
  g_autofree char *db = g_build_filename (db_dir, "catalogue.db", NULL);
  const char * const typed[] = { "m", "mo", "moo", "moon", "moon ", "moon r", "moon ri", "moon riv" };
  CochleaWindow *window;
  GtkAdjustment *adjustment;
  GListModel *columns;
  Phase phase;
  Wait wait = { 0 };
  Scroll scroll = { 0 };
  Timings timings;
  guint tick_id;
  gint64 t0, cpu0;
  gulong after_id;
  guint hook_id;

  g_mkdir_with_parents (db_dir, 0700);
  if (opt_catalogue != NULL && g_file_test (opt_catalogue, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GFile) from = g_file_new_for_path (opt_catalogue);
      g_autoptr(GFile) to = g_file_new_for_path (db);
      g_autoptr(GError) error = NULL;

      if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
        g_error ("%s", error->message);
      printf ("catalogue: copied from %s\n", opt_catalogue);
    }
  else
    {
      fill_catalogue (db, opt_library);
      if (opt_catalogue != NULL)
        {
          g_autoptr(GFile) from = g_file_new_for_path (db);
          g_autoptr(GFile) to = g_file_new_for_path (opt_catalogue);
          g_autoptr(GError) error = NULL;

          /* The catalogue closed its WAL on free: one file holds it all. */
          if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
            g_error ("%s", error->message);
          printf ("catalogue: kept in %s\n", opt_catalogue);
          return;
        }
    }

  /* Opening: from the window's creation until every row is in the model
   * and the Library page shows; an empty tick callback keeps the frame
   * clock running so a blocked main loop shows as a long interval. */
  t0 = g_get_monotonic_time ();
  cpu0 = bench_thread_cpu_us ();
  window = cochlea_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  bench_iterate_until (bench_widget_mapped, window);
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), idle_tick_cb, NULL, NULL);
  printf ("renderer %s, %d tracks, %d s per frame measurement\n",
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))), opt_library, opt_seconds);
  printf ("window mapped after %.1f ms\n", (g_get_monotonic_time () - t0) / 1000.0);
  print_header ();

  phase_start (&phase, "opening", GTK_WIDGET (window), 0);
  phase.last_paint_us = phase.start_us;  /* a blocked start counts */
  phase.frame_us = phase.start_us;
  wait.window = window;
  wait.n_expected = (guint) opt_library;
  wait.phase = &phase;
  bench_iterate_until (library_filled, &wait);
  wait.paints_wanted = 0;
  bench_iterate_until (settled_and_painted, &wait);
  phase_stop (&phase);
  printf ("rows in the model and painted %.1f ms after the window was created"
          " (main-thread CPU %.1f ms, longest frame interval %.1f ms)\n",
          (g_get_monotonic_time () - t0) / 1000.0, (bench_thread_cpu_us () - cpu0) / 1000.0,
          percentile (phase.intervals_ms, 100));
  phase_report (&phase);
  phase_clear (&phase);

  /* Reloading in the open window (as after an import): the list alone. */
  t0 = g_get_monotonic_time ();
  cpu0 = bench_thread_cpu_us ();
  phase_start (&phase, "reload", GTK_WIDGET (window), 0);
  phase.last_paint_us = phase.start_us;
  phase.frame_us = phase.start_us;
  _cochlea_window_library_reload (window);
  bench_iterate_until (library_filled, &wait);
  wait.paints_wanted = 0;
  bench_iterate_until (settled_and_painted, &wait);
  phase_stop (&phase);
  printf ("reload: rows replaced and painted in %.1f ms (main-thread CPU %.1f ms, longest frame interval %.1f ms)\n",
          (g_get_monotonic_time () - t0) / 1000.0, (bench_thread_cpu_us () - cpu0) / 1000.0,
          percentile (phase.intervals_ms, 100));
  phase_report (&phase);
  phase_clear (&phase);

  /* Baseline: the same page, idle. */
  phase_start (&phase, "idle (baseline)", GTK_WIDGET (window), opt_seconds / 2.0);
  bench_iterate_until (phase_done, &phase);
  phase_stop (&phase);
  phase_report (&phase);
  phase_clear (&phase);

  /* Scrolling, an eighth of a page and a whole page per frame. */
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (window->library_view));
  scroll.adjustment = adjustment;
  scroll.direction = 1;
  scroll.fraction = 0.125;
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), scroll_tick_cb, &scroll, NULL);
  phase_start (&phase, "scroll 1/8 page/frame", GTK_WIDGET (window), opt_seconds);
  bench_iterate_until (phase_done, &phase);
  phase_stop (&phase);
  phase_report (&phase);
  phase_clear (&phase);

  scroll.fraction = 1.0;
  phase_start (&phase, "scroll 1 page/frame", GTK_WIDGET (window), opt_seconds);
  bench_iterate_until (phase_done, &phase);
  phase_stop (&phase);
  phase_report (&phase);
  phase_clear (&phase);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
  gtk_adjustment_set_value (adjustment, 0);
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), idle_tick_cb, NULL, NULL);

  /* Filtering as one types, then deleting back to nothing. */
  gtk_search_bar_set_search_mode (window->search_bar, TRUE);
  hook_id = g_signal_add_emission_hook (g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY),
                                        0, search_hook_cb, NULL, NULL);
  after_id = g_signal_connect_after (window->library_search, "search-changed",
                                     G_CALLBACK (search_after_cb), NULL);
  for (int pass = 0; pass < 2; pass++)
    {
      timings_init (&timings);
      phase_start (&phase, pass == 0 ? "type" : "delete", GTK_WIDGET (window), 0);
      for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
        {
          /* Typing "m" … "moon riv", then deleting back to "". */
          guint last = G_N_ELEMENTS (typed) - 1;
          const char *text = pass == 0 ? typed[i] : (i < last ? typed[last - 1 - i] : "");
          double ms;

          type_text (window, text, &timings, &phase);
          ms = (handler_end_us - search_emitted_us) / 1000.0;
          g_array_append_val (timings.handler_ms, ms);
          ms = (handler_end_cpu_us - search_emitted_cpu_us) / 1000.0;
          g_array_append_val (timings.handler_cpu_ms, ms);
          if (pass == 0)
            printf ("  \"%s\": %u rows\n", text, g_list_model_get_n_items (view_model (window)));
        }
      phase_stop (&phase);
      timings_report (pass == 0 ? "filter: typing" : "filter: deleting", &timings, &phase);
      phase_clear (&phase);
    }
  g_signal_handler_disconnect (window->library_search, after_id);
  g_signal_remove_emission_hook (g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY), hook_id);

  /* Sorting by each column, ascending then descending. */
  columns = gtk_column_view_get_columns (window->library_view);
  timings_init (&timings);
  phase_start (&phase, "sort", GTK_WIDGET (window), 0);
  for (guint c = 0; c < g_list_model_get_n_items (columns); c++)
    for (int order = 0; order < 2; order++)
      {
        g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, c);
        Wait sorted = { window, 0, 0, &phase };
        gint64 s0 = g_get_monotonic_time (), c0 = bench_thread_cpu_us ();
        double ms;

        gtk_column_view_sort_by_column (window->library_view, column,
                                        order == 0 ? GTK_SORT_ASCENDING : GTK_SORT_DESCENDING);
        ms = (g_get_monotonic_time () - s0) / 1000.0;
        g_array_append_val (timings.handler_ms, ms);
        ms = (bench_thread_cpu_us () - c0) / 1000.0;
        g_array_append_val (timings.handler_cpu_ms, ms);
        bench_iterate_until (settled_and_painted, &sorted);
        ms = (g_get_monotonic_time () - s0) / 1000.0;
        g_array_append_val (timings.settle_ms, ms);
      }
  phase_stop (&phase);
  timings_report ("sort by column", &timings, &phase);
  phase_clear (&phase);

  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_INT, &opt_seconds, "Seconds per frame measurement (10)", "N" },
    { "catalogue", 0, 0, G_OPTION_ARG_FILENAME, &opt_catalogue,
      "With --library: copy this catalogue if it exists, else write it there and stop", "FILE" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &opt_frames, "Frames per measurement instead (for callgrind)", "N" },
    { "library", 0, 0, G_OPTION_ARG_INT, &opt_library, "Measure the Library page over N synthetic tracks", "N" },
    { "song", 0, 0, G_OPTION_ARG_INT, &opt_song, "Length of the generated song in seconds (default: enough for the measurement)", "N" },
    { "list-textures", 0, 0, G_OPTION_ARG_INT, &opt_list_textures, "List the window's texture nodes after each of the first N frames", "N" },
    { "list-changes", 0, 0, G_OPTION_ARG_INT, &opt_list_changes,
      "After each of the first N frames, the parts of the window's render tree that changed (the cairo renderer repaints their bounds)", "N" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Also list each measurement's first 8 frames", NULL },
    { "css", 0, 0, G_OPTION_ARG_STRING, &opt_css, "Extra CSS over the app's (experiments: what a style costs to draw)", "CSS" },
    { "rss", 0, 0, G_OPTION_ARG_NONE, &opt_rss,
      "With each listed frame, how much anonymous and shared memory became resident in it", NULL },
    { "no-memory-policy", 0, 0, G_OPTION_ARG_NONE, &opt_no_memory_policy,
      "Keep glibc's malloc defaults instead of the GUI's frame memory policy (main.c's)", NULL },
    { "no-shm-pool", 0, 0, G_OPTION_ARG_NONE, &opt_no_shm_pool,
      "The policy without its held block of cairo's X shared-memory pool", NULL },
    { "reserve-frames", 0, 0, G_OPTION_ARG_DOUBLE, &opt_reserve_frames,
      "Also write a start-up reserve of N full-screen frames (main.c: none)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— frame times of the app window");
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaApplication) app = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cochlea-bench-app-XXXXXX", NULL);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  setvbuf (stdout, NULL, _IOLBF, 0);
  if (g_getenv ("COCHLEA_BENCH_DUMP_FRAMES") != NULL)
    dump_frames = (guint) g_ascii_strtoull (g_getenv ("COCHLEA_BENCH_DUMP_FRAMES"), NULL, 10);
  g_setenv ("COCHLEA_AUDIO_SINK", "fakesink", TRUE);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  if (!gtk_init_check ())
    {
      g_printerr ("bench-app needs a display (run bench/run-app-bench.sh)\n");
      return 1;
    }
  /* As the GUI's main () does, right after the display is open. */
  bench_apply_memory_policy (!opt_no_memory_policy, opt_reserve_frames, !opt_no_shm_pool);
  gst_init (&argc, &argv);
  if (opt_css != NULL)
    {
      GtkCssProvider *provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_data (provider, opt_css, -1);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_USER + 1);
      printf ("extra CSS: %s\n", opt_css);
    }

  app = cochlea_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  if (opt_library > 0)
    run_library (app, dir);
  else
    run_playing (app, dir);

  for (const char * const *name = (const char * const[]) { "catalogue.db", "catalogue.db-wal",
                                                          "catalogue.db-shm", "catalogue.db.lock", NULL };
       *name != NULL; name++)
    {
      g_autofree char *path = g_build_filename (dir, "cochlea", *name, NULL);
      g_unlink (path);
    }
  return 0;
}
