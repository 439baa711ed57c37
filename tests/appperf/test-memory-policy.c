/* test-memory-policy.c — the GUI's frame memory policy, as behaviour
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * app/cochlea-memory-policy.c: after cochlea_memory_policy_apply () (what
 * the GUI's main () calls first), a frame-sized block comes from the heap,
 * not from mmap; freeing it keeps its pages, so the next one takes no page
 * faults; a refill is written memory the next large block gets; the app's
 * window, in the frame after one that grew the heap, refills it before it
 * paints; and under X11 with the cairo renderer it holds a block of
 * cairo's shared-memory pool.  With glibc's defaults (or without the
 * window's watch) each of these fails (the counts are in the messages).
 * Page faults and glibc's own counters are asserted, never a time.
 */
#define _GNU_SOURCE  /* RUSAGE_THREAD */
#include "config.h"

#include <glib.h>
#include <string.h>
#include <sys/resource.h>

#ifdef __GLIBC__
# include <malloc.h>
#endif

#include "app-test-utils.h"
#ifdef GDK_WINDOWING_X11
# include <gdk/x11/gdkx.h>
#endif
#include "cochlea-memory-policy.h"

/* One 1920 x 1080 ARGB32 frame, what the GTK cairo context allocates for
 * a full repaint of a maximised window on such a monitor. */
#define FRAME_BYTES ((gsize) 1920 * 1080 * 4)
#define PAGE 4096

static CochleaMemoryPolicy policy;

static glong
thread_minflt (void)
{
  struct rusage ru;

  g_assert_cmpint (getrusage (RUSAGE_THREAD, &ru), ==, 0);
  return ru.ru_minflt;
}

/* Allocates @size bytes and writes one byte per page, as painting a
 * surface does; *faults: the page faults that took, the allocation's
 * included (under MALLOC_PERTURB_, as in the test environment, malloc
 * writes the block itself). */
static char *
alloc_and_write (gsize  size,
                 glong *faults)
{
  glong before = thread_minflt ();
  volatile char *block = malloc (size);

  g_assert_nonnull ((char *) block);
  for (gsize i = 0; i < size; i += PAGE)
    block[i] = (char) i;
  block[size - 1] = 1;
  *faults = thread_minflt () - before;
  return (char *) block;
}

/* A refill (what the window does after a frame that page-faulted) is
 * written memory that the next large block gets. */
static void
test_refill_is_written (void)
{
#ifdef __GLIBC__
  gsize size = FRAME_BYTES * 3 / 4;
  char *held, *block;
  glong faults;

  g_assert_true (policy.applied);
  /* Past everything the heap has written so far: a block kept while the
   * rest is measured. */
  held = alloc_and_write (4 * FRAME_BYTES, &faults);

  g_assert_cmpuint (cochlea_memory_policy_refill (FRAME_BYTES), ==, FRAME_BYTES);
  block = alloc_and_write (size, &faults);
  g_test_message ("a %zu-byte block after a %zu-byte refill: %ld page faults", size, FRAME_BYTES, faults);
  g_assert_cmpint (faults, <, (glong) (size / PAGE / 20));
  free (block);
  free (held);
#else
  g_test_skip ("the policy is glibc's mallopt");
#endif
}

static void
test_frame_from_heap (void)
{
#ifdef __GLIBC__
  struct mallinfo2 before, during;
  char *block;

  g_assert_cmpuint (policy.mmap_threshold, >=, FRAME_BYTES);
  before = mallinfo2 ();
  block = malloc (FRAME_BYTES);
  g_assert_nonnull (block);
  during = mallinfo2 ();
  g_test_message ("mmapped blocks %zu -> %zu", before.hblks, during.hblks);
  /* hblks counts the blocks glibc has mmapped (each unmapped on free). */
  g_assert_cmpuint (during.hblks, ==, before.hblks);
  free (block);
#else
  g_test_skip ("the policy is glibc's mallopt");
#endif
}

static void
test_freed_frame_kept (void)
{
#ifdef __GLIBC__
  char *block;
  glong faults;

  /* One frame, painted and freed, then the next, a little smaller (a frame's
   * damage extents vary). */
  block = alloc_and_write (FRAME_BYTES, &faults);
  free (block);

  block = alloc_and_write (FRAME_BYTES - 64 * PAGE, &faults);
  g_test_message ("the second frame: %ld page faults (%zu pages)", faults, (FRAME_BYTES - 64 * PAGE) / PAGE);
  g_assert_cmpint (faults, <, (glong) (FRAME_BYTES / PAGE / 20));
  free (block);

  /* A larger one after them: the heap grows, and that memory stays too. */
  block = alloc_and_write (2 * FRAME_BYTES, &faults);
  free (block);
  block = alloc_and_write (2 * FRAME_BYTES, &faults);
  g_test_message ("a double frame, the second time: %ld page faults", faults);
  g_assert_cmpint (faults, <, (glong) (2 * FRAME_BYTES / PAGE / 20));
  free (block);
#else
  g_test_skip ("the policy is glibc's mallopt");
#endif
}

static void
test_frame_bytes (void)
{
  GdkMonitor *monitor = g_list_model_get_item (gdk_display_get_monitors (gdk_display_get_default ()), 0);
  GdkRectangle geometry;
  int scale = gdk_monitor_get_scale_factor (monitor);

  /* One frame of the (only) monitor, in device pixels. */
  gdk_monitor_get_geometry (monitor, &geometry);
  g_assert_cmpuint (cochlea_memory_policy_frame_bytes (), ==,
                    MIN ((gsize) geometry.width * scale * geometry.height * scale * 4, COCHLEA_MEMORY_MMAP_THRESHOLD));
  g_object_unref (monitor);
  /* The largest frame the policy keeps: 3840 x 2160 device pixels. */
  g_assert_cmpuint ((gsize) 3840 * 2160 * 4, <=, COCHLEA_MEMORY_MMAP_THRESHOLD);
}

/* The window: after a frame that grew the heap past everything written (a
 * tick callback in it takes frame-sized blocks until one faults, and keeps
 * them), the next frame starts by refilling the heap, so a frame-sized
 * block afterwards takes no faults. */

static GPtrArray *held;
static guint refills_at_tick;
static gboolean ticked;

static gboolean
grow_heap_tick_cb (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       data)
{
  glong faults = 0;

  /* Blocks are taken from written memory until one has to grow the heap. */
  for (int i = 0; i < 64 && faults < (glong) (FRAME_BYTES / PAGE / 2); i++)
    {
      g_ptr_array_add (held, alloc_and_write (FRAME_BYTES, &faults));
    }
  g_test_message ("held %u frame-sized blocks; the last took %ld page faults", held->len, faults);
  g_assert_cmpint (faults, >=, (glong) (FRAME_BYTES / PAGE / 2));
  refills_at_tick = cochlea_memory_policy_get_refills (widget);
  ticked = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
refilled (gpointer data)
{
  return ticked && cochlea_memory_policy_get_refills (data) > refills_at_tick;
}

static void
test_window_refills (void)
{
  GtkWidget *window = app_test_present_window ();
  int scale = gtk_widget_get_scale_factor (window);
  gsize frame;
  char *block;
  glong faults;

  held = g_ptr_array_new_with_free_func (free);
  app_test_wait_frames (window, 3);
  gtk_widget_add_tick_callback (window, grow_heap_tick_cb, NULL, NULL);
  /* Frames go on (the next one refills); nothing else draws meanwhile. */
  gtk_widget_queue_draw (window);
  app_test_wait_until (refilled, window);

  frame = (gsize) gtk_widget_get_width (window) * scale * gtk_widget_get_height (window) * scale * 4;
  block = alloc_and_write (frame, &faults);
  g_test_message ("a %d x %d frame's block after the refill: %ld page faults (%zu pages)",
                  gtk_widget_get_width (window), gtk_widget_get_height (window), faults, frame / PAGE);
  g_assert_cmpint (faults, <, (glong) (frame / PAGE / 20));
  free (block);
  g_clear_pointer (&held, g_ptr_array_unref);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* X11, cairo renderer: the window holds a block of cairo's X shared-memory
 * pool (what that saves is measured by bench-app, docs/performance.md
 * "Sixth session": a test that makes cairo destroy its pool between two
 * images could not be written, so only the holding is checked here). */
static void
test_holds_shm_pool (void)
{
  GtkWidget *window = app_test_present_window ();

#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (gtk_widget_get_display (window)) &&
      GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (window))))
    g_assert_true (cochlea_memory_policy_get_holds_shm_pool (window));
  else
#endif
    g_test_skip ("not X11 with the cairo renderer");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* As the GUI's main () does, before anything else. */
  cochlea_memory_policy_apply (0, &policy);
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/memory-policy/frame-from-heap", test_frame_from_heap);
  g_test_add_func ("/memory-policy/freed-frame-kept", test_freed_frame_kept);
  g_test_add_func ("/memory-policy/refill-is-written", test_refill_is_written);
  g_test_add_func ("/memory-policy/frame-bytes", test_frame_bytes);
  g_test_add_func ("/memory-policy/window-refills-after-the-heap-grew", test_window_refills);
  g_test_add_func ("/memory-policy/holds-shm-pool", test_holds_shm_pool);

  return g_test_run ();
}
