/* cochlea-memory-policy.c — how the GUI's heap keeps the memory of its frames
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's X11 cairo context paints every frame into a fresh image
 * surface the size of the frame's damage extents (cairo allocates it with
 * pixman's calloc).  With glibc's defaults a surface over the mmap
 * threshold (128 KiB at first, raised dynamically to the largest block
 * freed) is mmapped and unmapped again when the frame ends, and free
 * memory over the trim threshold at the heap's top is given back to the
 * kernel: the next large frame then writes fresh pages, one page fault
 * each, and page faults are costly on virtual machines (docs/performance.md,
 * "Sixth session").  The GUI's main () therefore sets both thresholds so
 * that a frame up to 3840 x 2160 device pixels comes from the heap and its
 * pages stay with the process.  The window, watched with
 * cochlea_memory_policy_watch (), writes two frames of heap at the start
 * of any frame after the heap has grown (so a song's page shown, or the
 * first keystroke in the Library, finds written memory), and keeps cairo's
 * X shared-memory pool, through which its frames reach the X server.  (A
 * reserve written once at start-up, cochlea_memory_policy_apply ()'s
 * @reserve, was measured and is not used: GTK's own start-up took it
 * before the window's first frame.)
 *
 * The cost is resident memory: up to COCHLEA_MEMORY_TRIM_THRESHOLD of free
 * heap is kept instead of returned, two frames of the window stay written
 * at the heap's top, and the held pool block is written once (cairo clears
 * it).  Only the GUI does this; the CLI and the engine keep glibc's
 * defaults.
 */
#define _GNU_SOURCE  /* RUSAGE_THREAD */
#define G_LOG_DOMAIN "cochlea-memory"

#include "config.h"

#include "cochlea-memory-policy.h"

#include <gtk/gtk.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#ifdef __GLIBC__
# include <malloc.h>
#endif
#ifdef GDK_WINDOWING_X11
# include <gdk/x11/gdkx.h>
# include <cairo-xlib.h>
#endif

/* Refills write two frames of the window: a frame's paint surface and what
 * else the same frame allocates (a song's first playing frame grew the heap
 * by 5.9 MB with a 3.5 MB surface, docs/performance.md "Sixth session"). */
#define REFILL_FRAMES 2

static gboolean policy_applied;
static gboolean hold_shm = TRUE;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static glong
thread_minflt (void)
{
  struct rusage ru;

  if (getrusage (RUSAGE_THREAD, &ru) != 0)
    return 0;
  return ru.ru_minflt;
}

/**
 * cochlea_memory_policy_frame_bytes:
 *
 * The bytes of one ARGB32 frame covering the largest monitor of the
 * default display, in device pixels (its size times its scale), at most
 * %COCHLEA_MEMORY_MMAP_THRESHOLD; a 1920 x 1080 frame when there is no
 * display or monitor.
 */
gsize
cochlea_memory_policy_frame_bytes (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  gsize best = (gsize) 1920 * 1080 * 4;
  GListModel *monitors;

  if (display == NULL)
    return best;
  monitors = gdk_display_get_monitors (display);
  for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
      GdkRectangle geometry;
      int scale = MAX (gdk_monitor_get_scale_factor (monitor), 1);
      gsize bytes;

      gdk_monitor_get_geometry (monitor, &geometry);
      bytes = (gsize) MAX (geometry.width, 0) * scale * (gsize) MAX (geometry.height, 0) * scale * 4;
      if (i == 0 || bytes > best)
        best = bytes;
    }
  return MIN (MAX (best, (gsize) 4096), COCHLEA_MEMORY_MMAP_THRESHOLD);
}

/**
 * cochlea_memory_policy_apply:
 * @reserve: bytes of heap to write once now (0: none); at most
 *   %COCHLEA_MEMORY_TRIM_THRESHOLD
 * @policy: (out) (optional): what was done
 *
 * Sets glibc's mmap threshold to %COCHLEA_MEMORY_MMAP_THRESHOLD and its
 * trim threshold to %COCHLEA_MEMORY_TRIM_THRESHOLD for the whole process,
 * then allocates @reserve bytes, writes one byte in each page and frees
 * them: the pages stay in the heap (under the trim threshold), written.
 * Call it first thing in the GUI's main (), once.
 *
 * Returns: %TRUE if the thresholds were set (glibc), %FALSE otherwise.
 */
gboolean
cochlea_memory_policy_apply (gsize                reserve,
                             CochleaMemoryPolicy *policy)
{
  CochleaMemoryPolicy done = { 0 };

#ifdef __GLIBC__
  if (mallopt (M_MMAP_THRESHOLD, (int) COCHLEA_MEMORY_MMAP_THRESHOLD) == 1 &&
      mallopt (M_TRIM_THRESHOLD, (int) COCHLEA_MEMORY_TRIM_THRESHOLD) == 1)
    {
      done.applied = TRUE;
      policy_applied = TRUE;
      done.mmap_threshold = COCHLEA_MEMORY_MMAP_THRESHOLD;
      done.trim_threshold = COCHLEA_MEMORY_TRIM_THRESHOLD;
    }
  else
    g_warning ("mallopt refused the frame memory thresholds; frames may page-fault");

  reserve = MIN (reserve, COCHLEA_MEMORY_TRIM_THRESHOLD);
  if (done.applied && reserve > 0)
    {
      gint64 cpu0 = thread_cpu_us ();
      glong flt0 = thread_minflt ();

      done.reserve = cochlea_memory_policy_refill (reserve);
      done.reserve_cpu_us = thread_cpu_us () - cpu0;
      done.reserve_faults = thread_minflt () - flt0;
    }
#else
  (void) reserve;
#endif

  if (policy != NULL)
    *policy = done;
  return done.applied;
}

/**
 * cochlea_memory_policy_get_applied:
 *
 * Returns: whether cochlea_memory_policy_apply () set the thresholds in
 * this process (the GUI's main () does; tests and the CLI do not).
 */
gboolean
cochlea_memory_policy_get_applied (void)
{
  return policy_applied;
}

/* Makes the pages of [block, block + size) resident and writable without
 * writing them (one system call instead of a fault per page; Linux 5.14),
 * or by writing one byte in each. */
static void
populate (char  *block,
          gsize  size)
{
  gsize page = (gsize) MAX (sysconf (_SC_PAGESIZE), 4096);
  guintptr start = ((guintptr) block + page - 1) & ~(guintptr) (page - 1);
  guintptr end = ((guintptr) block + size) & ~(guintptr) (page - 1);

#ifdef MADV_POPULATE_WRITE
  if (end > start && madvise ((void *) start, end - start, MADV_POPULATE_WRITE) == 0)
    return;
#endif
  for (gsize i = 0; i < size; i += page)
    ((volatile char *) block)[i] = 0;
  ((volatile char *) block)[size - 1] = 0;
}

/**
 * cochlea_memory_policy_refill:
 * @bytes: how much heap to have written, at most half the trim threshold
 *
 * Allocates @bytes, makes every page of them resident and frees them, so
 * that the next allocation of up to that size (a frame's paint surface)
 * finds written pages where the heap would otherwise grow into fresh ones.
 * Pages already resident cost nothing but the call.  Does nothing unless
 * the policy was applied (without the trim threshold glibc would give the
 * pages back at once).
 *
 * Returns: the bytes made resident (0 when it did nothing)
 */
gsize
cochlea_memory_policy_refill (gsize bytes)
{
#ifdef __GLIBC__
  char *block;

  if (!policy_applied || bytes == 0)
    return 0;
  bytes = MIN (bytes, COCHLEA_MEMORY_TRIM_THRESHOLD / 2);
  block = malloc (bytes);
  if (block == NULL)
    return 0;
  populate (block, bytes);
  free (block);
  return bytes;
#else
  (void) bytes;
  return 0;
#endif
}

/* Watching a toplevel's frames */

typedef struct
{
  GtkWidget       *toplevel;      /* unowned: the watch is its object data */
  GdkFrameClock   *clock;         /* owned */
  gulong           before_id;
  gpointer         refilled_brk;  /* the heap's end after the last refill */
  guint            refills;
  cairo_surface_t *shm_block;     /* owned: keeps cairo's X shared-memory pool */
} Watch;

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  /* A destroyed surface disposes of its frame clock, which drops every
   * handler first. */
  if (watch->before_id != 0 && g_signal_handler_is_connected (watch->clock, watch->before_id))
    g_signal_handler_disconnect (watch->clock, watch->before_id);
  g_clear_object (&watch->clock);
  g_clear_pointer (&watch->shm_block, cairo_surface_destroy);
  g_free (watch);
}

/* At the start of each frame, before anything is laid out or painted: if
 * the main heap has grown since the last refill, what was written at its
 * top has been used up and the memory past it is fresh, so the frame's
 * paint surface would fault page by page; write two frames of the window
 * now instead (with MADV_POPULATE_WRITE a tenth of the CPU time of the
 * same faults taken one by one while painting, on this VM: see
 * docs/performance.md).  The heap's end is glibc's cached sbrk (0): no
 * system call when nothing changed. */
static void
before_paint_cb (GdkFrameClock *clock,
                 Watch         *watch)
{
#ifdef __GLIBC__
  gpointer end = sbrk (0);
  int scale;
  gsize frame;
  gint64 cpu0;
  glong flt0;
  gsize bytes;

  /* (glibc's mallinfo2 () would tell the size of the heap's top, but it
   * walks every free chunk: 140-150 µs per frame here.) */
  if (end == watch->refilled_brk || gtk_widget_get_width (watch->toplevel) <= 0)
    return;
  scale = gtk_widget_get_scale_factor (watch->toplevel);
  frame = (gsize) MAX (gtk_widget_get_width (watch->toplevel), 1) * scale *
          (gsize) MAX (gtk_widget_get_height (watch->toplevel), 1) * scale * 4;
  cpu0 = thread_cpu_us ();
  flt0 = thread_minflt ();
  bytes = cochlea_memory_policy_refill (REFILL_FRAMES * MIN (frame, COCHLEA_MEMORY_MMAP_THRESHOLD));
  watch->refilled_brk = sbrk (0);
  watch->refills++;
  g_debug ("the heap grew: %zu bytes written at its top before the frame, %.2f ms of CPU, %ld page faults",
           bytes, (thread_cpu_us () - cpu0) / 1000.0, thread_minflt () - flt0);
#endif
}

/* Under X11 and the cairo renderer, each frame reaches the window through
 * an image cairo allocates in an X shared-memory pool: a pool is made for
 * an upload that fits in none (8 times the next power of two of it), and
 * destroyed as soon as nothing in it is in use, which with one upload per
 * frame is often right after the frame (cairo 1.16,
 * src/cairo-xlib-surface-shm.c); the next large frame then writes a fresh
 * segment, one page fault per page.  Holding one block of a pool made for
 * a full-screen frame keeps that pool, so every frame of the window fits
 * in memory already written.  The segment is virtual memory: pages become
 * resident as frames use them, never more than the frames need at once. */
static cairo_surface_t *
hold_shm_pool (GtkWidget *toplevel)
{
#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (toplevel));
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (toplevel));
  GdkDisplay *display = gtk_widget_get_display (toplevel);
  g_autoptr(GdkMonitor) monitor = NULL;
  GdkRectangle geometry;
  cairo_surface_t *window, *block;
  Display *xdisplay;
  int scale;

  if (surface == NULL || !GDK_IS_X11_DISPLAY (display) ||
      renderer == NULL || !GSK_IS_CAIRO_RENDERER (renderer))
    return NULL;
  monitor = g_list_model_get_item (gdk_display_get_monitors (display), 0);
  if (monitor == NULL)
    return NULL;
  /* A frame of the monitor (all of them are the same on X11's one screen). */
  gdk_monitor_get_geometry (monitor, &geometry);
  scale = MAX (gdk_monitor_get_scale_factor (monitor), 1);
  xdisplay = gdk_x11_display_get_xdisplay (display);
  /* Any surface on the display shares its pools. */
  window = cairo_xlib_surface_create (xdisplay, gdk_x11_surface_get_xid (surface),
                                      DefaultVisual (xdisplay, DefaultScreen (xdisplay)), 1, 1);
  block = cairo_surface_create_similar_image (window, CAIRO_FORMAT_ARGB32,
                                              MAX (geometry.width * scale, 32),
                                              MAX (geometry.height * scale, 32));
  cairo_surface_destroy (window);
  if (cairo_surface_status (block) != CAIRO_STATUS_SUCCESS)
    g_clear_pointer (&block, cairo_surface_destroy);
  return block;
#else
  return NULL;
#endif
}

/**
 * cochlea_memory_policy_watch:
 * @toplevel: a realized toplevel widget (the window)
 *
 * When the policy was applied: at the start of each of @toplevel's frames
 * in which the main heap has grown since the last time, writes two frames
 * of @toplevel's size at the heap's top (cochlea_memory_policy_refill ()),
 * so that the frame's paint surface finds written memory; and under X11
 * and the cairo renderer, holds a block of cairo's X shared-memory pool
 * for the display, so that frames reach the window through memory already
 * written.  Does nothing when the policy was not applied.  Call it from
 * the window's realize; it stops when @toplevel is finalized.
 */
void
cochlea_memory_policy_watch (GtkWidget *toplevel)
{
  GdkFrameClock *clock;
  Watch *watch;

  g_return_if_fail (GTK_IS_WIDGET (toplevel));

  if (!policy_applied || (clock = gtk_widget_get_frame_clock (toplevel)) == NULL)
    return;

  watch = g_new0 (Watch, 1);
  watch->toplevel = toplevel;
  watch->clock = g_object_ref (clock);
  watch->before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), watch);
  if (hold_shm)
    watch->shm_block = hold_shm_pool (toplevel);
  g_object_set_data_full (G_OBJECT (toplevel), "cochlea-memory-watch", watch, watch_free);
}

/**
 * cochlea_memory_policy_get_refills:
 * @toplevel: a widget passed to cochlea_memory_policy_watch ()
 *
 * Returns: how many times @toplevel's heap was refilled (0 when not watched)
 */
guint
cochlea_memory_policy_get_refills (GtkWidget *toplevel)
{
  Watch *watch = g_object_get_data (G_OBJECT (toplevel), "cochlea-memory-watch");

  return watch != NULL ? watch->refills : 0;
}

/**
 * cochlea_memory_policy_set_hold_shm_pool:
 * @hold: whether windows watched from now on hold a block of cairo's X
 *   shared-memory pool (the default)
 *
 * For measuring what the held pool does (bench-app --no-shm-pool).
 */
void
cochlea_memory_policy_set_hold_shm_pool (gboolean hold)
{
  hold_shm = !!hold;
}

/**
 * cochlea_memory_policy_get_holds_shm_pool:
 * @toplevel: a widget passed to cochlea_memory_policy_watch ()
 *
 * Returns: whether @toplevel holds a block of cairo's X shared-memory pool
 */
gboolean
cochlea_memory_policy_get_holds_shm_pool (GtkWidget *toplevel)
{
  Watch *watch = g_object_get_data (G_OBJECT (toplevel), "cochlea-memory-watch");

  return watch != NULL && watch->shm_block != NULL;
}
