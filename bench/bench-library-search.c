/* bench-library-search.c — main-thread cost of each keystroke in the
 * Library page's search entry.  Never a test; docs/performance.md records
 * runs.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-app --library 10000 --catalogue /tmp/lib10k.db     (writes it once)
 *   bench-library-search --catalogue /tmp/lib10k.db [--runs 5] [--text "moon riv"]
 *
 * bench/run-library-search-bench.sh does both under Xvfb.
 *
 * The window opens on a copy of the catalogue (bench-app's synthetic
 * tracks, so the rows match its "typing" measurement), then the text is
 * typed one character at a time and deleted again, --runs times.  For each
 * keystroke it takes the main thread's CPU time (CLOCK_THREAD_CPUTIME_ID,
 * far less sensitive to other processes than wall time):
 *
 *   handler: the search-changed emission (the model filters and tells the
 *            view, which adds or drops rows and re-binds cells);
 *   first:   the handler and then until the frame after it is painted
 *            (the layout and the drawing of the changed list);
 *   settle:  from the emission until the list stops changing (a painted
 *            frame in which the view's model emitted no items-changed),
 *            for a list that changes its rows over several frames;
 *   later:   the most CPU of any one frame after the first until then.
 *
 * It prints each keystroke's rows and times for every run, then the
 * median and maximum per keystroke over the runs and over all keystrokes.
 *
 * Under callgrind (run-library-search-bench.sh --callgrind) only the
 * keystrokes are collected, each from its emission to the frame painted
 * after it, and dumped as "search:<text>".
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
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
# define CALLGRIND_TOGGLE_COLLECT
# define CALLGRIND_DUMP_STATS_AT(name) ((void) (name))
#endif

#include "cochlea-application.h"
#include "bench-gui-utils.h"
#include "cochlea-memory-policy.h"
#include "cochlea-window-private.h"

static char *opt_catalogue = NULL;
static int opt_runs = 5;
static char *opt_text = NULL;
static gboolean opt_verbose = FALSE;
static gboolean opt_no_memory_policy = FALSE;
static double opt_reserve_frames = -1;
static gboolean opt_no_shm_pool = FALSE;

/* One keystroke's measurement. */
static struct
{
  gboolean collecting;   /* under callgrind: between emission and paint */
  gint64   emitted_cpu;  /* thread CPU at the emission's start */
  gint64   handled_cpu;  /* ... and at its end (0 until then) */
  guint    paints;       /* after-paints since the emission ended */
  gint64   first_cpu;    /* thread CPU at the first of them */
  gint64   mark_cpu;     /* ... at the last of them */
  gint64   later_max;    /* the most CPU between two of them after the first */
  guint    changes;      /* items-changed of the view's model since the last */
  glong    emitted_flt;  /* minor page faults at the emission's start */
  gint64   emitted_sys;  /* system CPU then */
  glong    first_flt;    /* ... and at the first paint after it */
  gint64   first_sys;
  glong    emitted_anon, emitted_shmem;  /* --verbose: resident kB at the emission */
  glong    first_anon, first_shmem;      /* ... and at the first paint after it */
  gboolean quiet;        /* a frame went by without one */
} key;

static gboolean
search_hook_cb (GSignalInvocationHint *hint,
                guint                  n_params,
                const GValue          *params,
                gpointer               data)
{
  if (!key.collecting)
    {
      CALLGRIND_TOGGLE_COLLECT;
      key.collecting = TRUE;
    }
  key.emitted_flt = bench_thread_faults (&key.emitted_sys);
  if (opt_verbose)
    bench_resident_kb (&key.emitted_anon, &key.emitted_shmem);
  key.emitted_cpu = bench_thread_cpu_us ();
  return TRUE;
}

static void
search_after_cb (GtkSearchEntry *entry,
                 gpointer        data)
{
  key.handled_cpu = bench_thread_cpu_us ();
  key.paints = 0;
  key.later_max = 0;
  key.changes = 0;
  key.quiet = FALSE;
  /* A frame even when the rows shown did not change (an after-paint to
   * wait for); one that has nothing to lay out or draw costs little. */
  gdk_frame_clock_request_phase (gtk_widget_get_frame_clock (GTK_WIDGET (entry)),
                                 GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  gint64 now = bench_thread_cpu_us ();

  if (key.handled_cpu == 0 || key.quiet)
    return;
  if (key.paints == 0)
    {
      key.first_cpu = now;
      key.first_flt = bench_thread_faults (&key.first_sys);
      if (opt_verbose)
        bench_resident_kb (&key.first_anon, &key.first_shmem);
    }
  else
    {
      key.later_max = MAX (key.later_max, now - key.mark_cpu);
      if (key.changes == 0)
        key.quiet = TRUE;
    }
  key.mark_cpu = now;
  key.changes = 0;
  key.paints++;
  if (!key.quiet)
    gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
view_items_changed_cb (GListModel *model,
                       guint       position,
                       guint       removed,
                       guint       added,
                       gpointer    data)
{
  key.changes++;
}

static gboolean
settled (gpointer data)
{
  return key.quiet;
}

static gboolean
handled_and_painted (gpointer data)
{
  return key.handled_cpu != 0 && key.paints >= 1;
}

static gboolean
library_shown (gpointer data)
{
  CochleaWindow *window = data;

  return !window->library_loading &&
         g_list_model_get_n_items (G_LIST_MODEL (window->library)) > 0 &&
         g_strcmp0 (adw_view_stack_get_visible_child_name (window->view_stack), "library") == 0;
}

/* Every track has its row (a paced model adds them over some frames). */
static gboolean
rows_complete (gpointer data)
{
  CochleaWindow *window = data;

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (window->library_view))) ==
         g_list_model_get_n_items (G_LIST_MODEL (window->library));
}

static guint frames_left;

static gboolean
frames_done (gpointer data)
{
  return frames_left == 0;
}

static void
count_frame_cb (GdkFrameClock *clock,
                gpointer       data)
{
  if (frames_left > 0 && --frames_left > 0)
    gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
wait_frames (GtkWidget *widget,
             guint      n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame_cb), NULL);

  frames_left = n;
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  bench_iterate_until (frames_done, NULL);
  g_signal_handler_disconnect (clock, id);
}

/* Sets the entry to @text as a person typing would (one character added
 * or removed at the end), waits for the entry's own search-changed and the
 * frame after it; returns the rows shown. */
static guint
key_press (CochleaWindow *window,
           const char    *text,
           double        *handler_ms,
           double        *first_ms,
           double        *settle_ms,
           double        *later_ms,
           double        *first_faults,
           double        *first_sys_ms)
{
  GtkEditable *editable = GTK_EDITABLE (window->library_search);
  int n_current = g_utf8_strlen (gtk_editable_get_text (editable), -1);
  int n_text = g_utf8_strlen (text, -1);
  gint64 painted_cpu;

  key.emitted_cpu = 0;
  key.handled_cpu = 0;
  /* On stderr, where bench/damage-shim.c prints each frame's repainted
   * region. */
  if (opt_verbose)
    fprintf (stderr, "keystroke \"%s\"\n", text);
  if (n_text > n_current)
    {
      int position = n_current;
      const char *added = g_utf8_offset_to_pointer (text, n_current);

      gtk_editable_insert_text (editable, added, -1, &position);
    }
  else
    gtk_editable_delete_text (editable, n_text, n_current);
  g_assert (g_str_equal (gtk_editable_get_text (editable), text));

  bench_iterate_until (handled_and_painted, NULL);
  painted_cpu = key.first_cpu;
  bench_iterate_until (settled, NULL);
  if (key.collecting)
    {
      g_autofree char *name = g_strdup_printf ("search:%s", *text ? text : "(empty)");

      CALLGRIND_TOGGLE_COLLECT;
      CALLGRIND_DUMP_STATS_AT (name);
      key.collecting = FALSE;
    }

  *handler_ms = (key.handled_cpu - key.emitted_cpu) / 1000.0;
  *first_ms = (painted_cpu - key.emitted_cpu) / 1000.0;
  *settle_ms = (key.mark_cpu - key.emitted_cpu) / 1000.0;
  *later_ms = key.later_max / 1000.0;
  *first_faults = key.first_flt - key.emitted_flt;
  *first_sys_ms = (key.first_sys - key.emitted_sys) / 1000.0;
  if (opt_verbose)
    fprintf (stderr, "keystroke \"%s\": %.0f page faults, resident anonymous %+ld kB, shared %+ld kB"
             " (emission to first frame)\n", text, *first_faults,
             key.first_anon - key.emitted_anon, key.first_shmem - key.emitted_shmem);
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (window->library_view)));
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_autoptr(GArray) sorted = g_array_copy (values);

  g_array_sort (sorted, compare_double);
  if (sorted->len == 0)
    return 0;
  if (sorted->len % 2 == 1)
    return g_array_index (sorted, double, sorted->len / 2);
  return (g_array_index (sorted, double, sorted->len / 2 - 1) + g_array_index (sorted, double, sorted->len / 2)) / 2;
}

static double
maximum (GArray *values)
{
  double m = 0;

  for (guint i = 0; i < values->len; i++)
    m = MAX (m, g_array_index (values, double, i));
  return m;
}

static void
run (CochleaApplication *app,
     const char         *dir)
{
  g_autofree char *db_dir = g_build_filename (dir, "cochlea", NULL);
  g_autofree char *db = g_build_filename (db_dir, "catalogue.db", NULL);
  g_autoptr(GFile) from = g_file_new_for_path (opt_catalogue);
  g_autoptr(GFile) to = g_file_new_for_path (db);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) handler = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) total = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) settle = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) later = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) faults = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) sys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GArray) all_handler = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) all_total = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) all_settle = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) all_later = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
  GdkFrameClock *clock;
  CochleaWindow *window;
  gulong after_id, paint_id, items_id;
  guint hook_id;
  int n_chars = g_utf8_strlen (opt_text, -1);

  g_mkdir_with_parents (db_dir, 0700);
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);

  /* "m", "mo", … the whole text, then back to "". */
  for (int i = 1; i <= n_chars; i++)
    g_ptr_array_add (steps, g_strndup (opt_text, g_utf8_offset_to_pointer (opt_text, i) - opt_text));
  for (int i = n_chars - 1; i >= 0; i--)
    g_ptr_array_add (steps, g_strndup (opt_text, g_utf8_offset_to_pointer (opt_text, i) - opt_text));
  for (guint s = 0; s < steps->len; s++)
    {
      g_ptr_array_add (handler, g_array_new (FALSE, FALSE, sizeof (double)));
      g_ptr_array_add (total, g_array_new (FALSE, FALSE, sizeof (double)));
      g_ptr_array_add (settle, g_array_new (FALSE, FALSE, sizeof (double)));
      g_ptr_array_add (later, g_array_new (FALSE, FALSE, sizeof (double)));
      g_ptr_array_add (faults, g_array_new (FALSE, FALSE, sizeof (double)));
      g_ptr_array_add (sys, g_array_new (FALSE, FALSE, sizeof (double)));
    }

  window = cochlea_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  bench_iterate_until (bench_widget_mapped, window);
  printf ("window mapped; loading the library\n");
  bench_iterate_until (library_shown, window);
  bench_iterate_until (rows_complete, window);
  gtk_search_bar_set_search_mode (window->search_bar, TRUE);
  wait_frames (GTK_WIDGET (window), 5);
  printf ("%u tracks, window 1200x760, search delay %u ms\n",
          g_list_model_get_n_items (G_LIST_MODEL (window->library)),
          gtk_search_entry_get_search_delay (window->library_search));

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  hook_id = g_signal_add_emission_hook (g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY),
                                        0, search_hook_cb, NULL, NULL);
  after_id = g_signal_connect_after (window->library_search, "search-changed",
                                     G_CALLBACK (search_after_cb), NULL);
  items_id = g_signal_connect (gtk_column_view_get_model (window->library_view), "items-changed",
                               G_CALLBACK (view_items_changed_cb), NULL);

  for (int r = 0; r < opt_runs; r++)
    {
      printf ("run %d:", r + 1);
      for (guint s = 0; s < steps->len; s++)
        {
          double h, t, st, l, f, sy;
          guint n = key_press (window, g_ptr_array_index (steps, s), &h, &t, &st, &l, &f, &sy);

          g_array_append_val (g_ptr_array_index (handler, s), h);
          g_array_append_val (g_ptr_array_index (total, s), t);
          g_array_append_val (g_ptr_array_index (settle, s), st);
          g_array_append_val (g_ptr_array_index (later, s), l);
          g_array_append_val (g_ptr_array_index (faults, s), f);
          g_array_append_val (g_ptr_array_index (sys, s), sy);
          g_array_append_val (all_handler, h);
          g_array_append_val (all_total, t);
          g_array_append_val (all_settle, st);
          g_array_append_val (all_later, l);
          if (r == 0)
            g_array_append_val (rows, n);
          printf (" %s\"%s\" %u rows %.1f/%.1f/%.1f/%.1f ms (%.0f faults, %.1f ms sys)", s > 0 ? "|" : "",
                  (char *) g_ptr_array_index (steps, s), n, h, t, st, l, f, sy);
        }
      printf ("\n");
    }

  printf ("\nper keystroke over %d runs, main-thread CPU ms (handler = search-changed; first = handler + "
          "until the next frame is painted; settle = until the list stops changing; later = the most of "
          "any one frame after the first; flt and sys = minor page faults and system CPU ms of the first)\n", opt_runs);
  printf ("%-12s %6s | %8s %8s | %8s %8s | %8s %8s | %8s %8s | %7s %7s | %7s %7s\n", "text", "rows", "hdl p50", "hdl max",
          "1st p50", "1st max", "stl p50", "stl max", "ltr p50", "ltr max", "flt p50", "flt max", "sys p50", "sys max");
  for (guint s = 0; s < steps->len; s++)
    printf ("%-12s %6u | %8.2f %8.2f | %8.2f %8.2f | %8.2f %8.2f | %8.2f %8.2f | %7.0f %7.0f | %7.2f %7.2f\n",
            *(char *) g_ptr_array_index (steps, s) ? (char *) g_ptr_array_index (steps, s) : "(empty)",
            g_array_index (rows, guint, s),
            median (g_ptr_array_index (handler, s)), maximum (g_ptr_array_index (handler, s)),
            median (g_ptr_array_index (total, s)), maximum (g_ptr_array_index (total, s)),
            median (g_ptr_array_index (settle, s)), maximum (g_ptr_array_index (settle, s)),
            median (g_ptr_array_index (later, s)), maximum (g_ptr_array_index (later, s)),
            median (g_ptr_array_index (faults, s)), maximum (g_ptr_array_index (faults, s)),
            median (g_ptr_array_index (sys, s)), maximum (g_ptr_array_index (sys, s)));
  printf ("all keystrokes: handler p50 %.2f max %.2f | first p50 %.2f max %.2f | settle p50 %.2f max %.2f"
          " | later frame p50 %.2f max %.2f ms\n",
          median (all_handler), maximum (all_handler), median (all_total), maximum (all_total),
          median (all_settle), maximum (all_settle), median (all_later), maximum (all_later));

  g_signal_handler_disconnect (window->library_search, after_id);
  g_signal_remove_emission_hook (g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY), hook_id);
  g_signal_handler_disconnect (clock, paint_id);
  g_signal_handler_disconnect (gtk_column_view_get_model (window->library_view), items_id);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "catalogue", 0, 0, G_OPTION_ARG_FILENAME, &opt_catalogue,
      "A catalogue written by bench-app --library N --catalogue FILE", "FILE" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, "Times the text is typed and deleted (5)", "N" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &opt_text, "What is typed (\"moon riv\")", "TEXT" },
    { "verbose", 0, 0, G_OPTION_ARG_NONE, &opt_verbose, "Each keystroke's text on stderr", NULL },
    { "no-memory-policy", 0, 0, G_OPTION_ARG_NONE, &opt_no_memory_policy,
      "Keep glibc's malloc defaults instead of the GUI's frame memory policy (main.c's)", NULL },
    { "no-shm-pool", 0, 0, G_OPTION_ARG_NONE, &opt_no_shm_pool,
      "The policy without its held block of cairo's X shared-memory pool", NULL },
    { "reserve-frames", 0, 0, G_OPTION_ARG_DOUBLE, &opt_reserve_frames,
      "Also write a start-up reserve of N full-screen frames (main.c: none)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— CPU per keystroke in the library search");
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaApplication) app = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cochlea-bench-search-XXXXXX", NULL);
  g_autofree char *db_dir = g_build_filename (dir, "cochlea", NULL);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_catalogue == NULL)
    {
      g_printerr ("--catalogue FILE is needed (bench-app --library 10000 --catalogue FILE writes one)\n");
      return 2;
    }
  if (opt_text == NULL)
    opt_text = g_strdup ("moon riv");

  setvbuf (stdout, NULL, _IOLBF, 0);
  g_setenv ("COCHLEA_AUDIO_SINK", "fakesink", TRUE);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  if (!gtk_init_check ())
    {
      g_printerr ("bench-library-search needs a display (run bench/run-library-search-bench.sh)\n");
      return 1;
    }
  /* As the GUI's main () does, right after the display is open. */
  bench_apply_memory_policy (!opt_no_memory_policy, opt_reserve_frames, !opt_no_shm_pool);
  gst_init (&argc, &argv);

  app = cochlea_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  run (app, dir);

  for (const char * const *name = (const char * const[]) { "catalogue.db", "catalogue.db-wal",
                                                          "catalogue.db-shm", "catalogue.db.lock",
                                                          "catalogue.db.index", NULL };
       *name != NULL; name++)
    {
      g_autofree char *path = g_build_filename (dir, "cochlea", *name, NULL);
      g_unlink (path);
    }
  g_rmdir (db_dir);
  g_rmdir (dir);
  return 0;
}
