/* bench-app.c — frame times of the whole app window while a song plays
 * (spectrogram and activation views following the playhead, transport bar
 * ticking), against a baseline measured in the same run: the same window
 * on its empty page, redrawn every frame.  Never a test; docs/performance.md
 * records runs.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-app [--seconds N]
 *
 * Run it under a display (bench/run-app-bench.sh uses Xvfb).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <stdio.h>

#include "cochlea-application.h"
#include "cochlea-engine.h"
#include "cochlea-window-private.h"

static int opt_seconds = 10;

typedef struct
{
  GArray  *intervals_ms;  /* between consecutive after-paint signals */
  GArray  *work_ms;       /* from update to after-paint: our CPU per frame */
  gint64   update_us;
  gint64   last_paint_us;
  gint64   end_us;
  gboolean done;
} FrameStats;

static void
update_cb (GdkFrameClock *clock,
           FrameStats    *stats)
{
  stats->update_us = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                FrameStats    *stats)
{
  gint64 now = g_get_monotonic_time ();

  if (stats->last_paint_us != 0)
    {
      double interval = (now - stats->last_paint_us) / 1000.0;
      double work = (now - stats->update_us) / 1000.0;

      g_array_append_val (stats->intervals_ms, interval);
      g_array_append_val (stats->work_ms, work);
    }
  stats->last_paint_us = now;
  if (now >= stats->end_us)
    stats->done = TRUE;
}

static gboolean
redraw_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  p)
{
  gsize i = (gsize) floor (p / 100.0 * (values->len - 1) + 0.5);
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

static void
report (const char *name,
        FrameStats *stats,
        double      seconds,
        double     *mean_work)
{
  guint over = 0;

  for (guint i = 0; i < stats->intervals_ms->len; i++)
    if (g_array_index (stats->intervals_ms, double, i) > 1000.0 / 60 + 0.5)
      over++;

  *mean_work = mean (stats->work_ms);
  g_array_sort (stats->intervals_ms, compare_doubles);
  g_array_sort (stats->work_ms, compare_doubles);
  printf ("%-10s frames %5u  fps %5.1f  interval ms p50 %5.2f p99 %6.2f max %6.2f  over 17 ms: %u"
          "  work ms mean %5.2f p50 %5.2f p99 %6.2f max %6.2f\n",
          name, stats->intervals_ms->len, stats->intervals_ms->len / seconds,
          percentile (stats->intervals_ms, 50), percentile (stats->intervals_ms, 99),
          percentile (stats->intervals_ms, 100), over,
          *mean_work, percentile (stats->work_ms, 50), percentile (stats->work_ms, 99),
          percentile (stats->work_ms, 100));
}

static gboolean
done_cb (gpointer data)
{
  return ((FrameStats *) data)->done;
}

static void
iterate_until (gboolean (*done) (gpointer),
               gpointer   data)
{
  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
}

static void
measure (CochleaWindow *window,
         const char    *name,
         double        *mean_work)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  FrameStats stats = { 0 };
  gulong update_id, paint_id;

  stats.intervals_ms = g_array_new (FALSE, FALSE, sizeof (double));
  stats.work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  stats.end_us = g_get_monotonic_time () + (gint64) opt_seconds * G_USEC_PER_SEC;

  update_id = g_signal_connect (clock, "update", G_CALLBACK (update_cb), &stats);
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &stats);
  iterate_until (done_cb, &stats);
  g_signal_handler_disconnect (clock, update_id);
  g_signal_handler_disconnect (clock, paint_id);

  report (name, &stats, opt_seconds, mean_work);
  g_array_unref (stats.intervals_ms);
  g_array_unref (stats.work_ms);
}

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

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_INT, &opt_seconds, "Seconds per measurement (10)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— frame times of the app window");
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaApplication) app = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cochlea-bench-app-XXXXXX", NULL);
  g_autofree char *song = g_build_filename (dir, "song.wav", NULL);
  g_autofree char *model = g_build_filename (dir, "model.safetensors", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (song);
  CochleaWindow *window;
  guint redraw_id;
  double base_work, app_work;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  g_setenv ("COCHLEA_AUDIO_SINK", "fakesink", TRUE);
  g_setenv ("COCHLEA_MODEL", model, TRUE);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  if (!gtk_init_check ())
    {
      g_printerr ("bench-app needs a display (run bench/run-app-bench.sh)\n");
      return 1;
    }
  gst_init (&argc, &argv);

  write_song (song, opt_seconds * 2 + 10);
  write_model (model);

  app = cochlea_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  window = cochlea_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until (mapped, window);

  printf ("renderer %s, %d s per measurement\n",
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))), opt_seconds);

  /* Baseline: the empty page, redrawn every frame. */
  redraw_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), redraw_tick_cb, NULL, NULL);
  measure (window, "baseline", &base_work);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), redraw_id);

  /* The app: a song playing with every view visible. */
  cochlea_window_open_files (window, &file, 1);
  iterate_until (analysed, window);
  measure (window, "playing", &app_work);

  printf ("work per frame, playing / baseline: %.2f\n", base_work > 0 ? app_work / base_work : 0);

  gtk_window_destroy (GTK_WINDOW (window));
  {
    g_autofree char *m = g_build_filename (dir, "cochlea", "catalogue.db", NULL);
    g_unlink (song);
    g_unlink (model);
    g_unlink (m);
  }
  return 0;
}
