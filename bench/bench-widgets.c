/* bench-widgets.c — what the widgets cost: the spectrogram tile renderer
 * against a plain colour-table fill, and frame times of the spectrogram
 * and activation views following a playhead against a window whose only
 * animation is a label.  Never a test; docs/performance.md records runs.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-widgets [--seconds N] [--tile-runs N]
 *
 * Run it under a display (xvfb-run -a dbus-run-session, see
 * bench/run-widgets-bench.sh).  GSK_RENDERER picks the renderer.
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cochlea-widgets.h"

#define SR   22050
#define HOP  512
#define SPF  ((double) HOP / SR)

static int opt_seconds = 10;
static int opt_tile_runs = 200;

static CochleaSpectrogram *
make_music (double seconds)
{
  static const double melody[] = { 220, 247, 262, 294, 330, 294, 262, 247 };
  CochleaSpectrogram *spec = cochlea_spectrogram_new (128, SR, HOP, 0, SR / 2.0);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gsize n_frames = (gsize) (seconds / SPF);
  float row[128];

  for (gsize f = 0; f < n_frames; f++)
    {
      double t = f * SPF;
      double f0 = melody[(gsize) (t / 0.5) % G_N_ELEMENTS (melody)];
      double beat = fmod (t, 0.5);

      for (int b = 0; b < 128; b++)
        row[b] = -75 + 6 * g_rand_double (rand) - 0.15 * b;
      for (int h = 1; h <= 12; h++)
        {
          double p = cochlea_spectrogram_bin_position (spec, h * f0);
          for (int b = MAX (0, (int) p - 3); b <= MIN (127, (int) p + 3); b++)
            row[b] = MAX (row[b], -8 - 4.0 * h - 10 * (b - p) * (b - p) - 20 * beat);
        }
      cochlea_spectrogram_append (spec, row);
    }
  return spec;
}

static CochleaActivationMaps *
make_maps (double start)
{
  static const struct { const char *name; int channels; int fps; } layers[] = {
    { "input", 128, 1 }, { "conv1", 256, 1 }, { "pool1", 256, 4 }, { "conv2", 256, 4 },
  };
  CochleaActivationMaps *maps = cochlea_activation_maps_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (start * 10));

  for (guint l = 0; l < G_N_ELEMENTS (layers); l++)
    {
      int n_times = 128 / layers[l].fps;
      g_autofree float *data = g_new (float, layers[l].channels * n_times);
      CochleaActivationMap map = { layers[l].name, layers[l].channels, n_times, layers[l].fps, data };

      for (int i = 0; i < layers[l].channels * n_times; i++)
        {
          double v = g_rand_double (rand) - 0.6;
          data[i] = MAX (0, v);
        }
      cochlea_activation_maps_add_nn_map (maps, &map, start, SPF, 128);
    }
  return maps;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
quantile (GArray *values,
          double  q)
{
  if (values->len == 0)
    return NAN;
  qsort (values->data, values->len, sizeof (double), cmp_double);
  return g_array_index (values, double, MIN (values->len - 1, (guint) floor (q * values->len)));
}

/* ------------------------------------------------------------------ */
/* Part 1: the tile renderer                                            */

static void
bench_tiles (void)
{
  g_autoptr(CochleaSpectrogram) spec = make_music (180);
  static const double frames_per_px[] = { 0.25, 1, 4 };
  const guint width = 256, height = 220;
  gsize stride = 4 * width;
  g_autofree guint8 *pixels = g_malloc (stride * height);
  const guint8 *table = cochlea_colormap_get_table (COCHLEA_COLORMAP_MAGMA);
  g_autoptr(GArray) base = g_array_new (FALSE, FALSE, sizeof (double));
  double base_ms;
  guint sink = 0;

  /* Baseline: fill the same pixels from the colour table by a running
   * index, the least any colour-mapped tile can cost. */
  for (int r = 0; r < opt_tile_runs; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      for (guint y = 0; y < height; y++)
        for (guint x = 0; x < width; x++)
          memcpy (pixels + y * stride + 4 * x, table + 4 * ((x + y + r) & 255), 4);
      sink += pixels[r % (stride * height)];
      g_array_append_val (base, (double) { (g_get_monotonic_time () - t0) / 1000.0 });
    }
  base_ms = quantile (base, 0.5);
  g_print ("tile %u x %u, %d runs each\n", width, height, opt_tile_runs);
  g_print ("  baseline colour-table fill: median %.3f ms\n", base_ms);

  for (guint z = 0; z < G_N_ELEMENTS (frames_per_px); z++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      CochleaSpectrogramRender params = {
        .seconds_per_px = SPF * frames_per_px[z],
        .width = width,
        .height = height,
        .db_min = -80,
        .db_max = 0,
        .colormap = COCHLEA_COLORMAP_MAGMA,
      };
      double med;

      for (int r = 0; r < opt_tile_runs; r++)
        {
          gint64 t0;

          params.t_start = (r % 20) * width * params.seconds_per_px;
          t0 = g_get_monotonic_time ();
          cochlea_spectrogram_render_pixels (spec, &params, pixels, stride, NULL);
          g_array_append_val (times, (double) { (g_get_monotonic_time () - t0) / 1000.0 });
          sink += pixels[r % (stride * height)];
        }
      med = quantile (times, 0.5);
      g_print ("  spectrogram tile, %.2f frames/px: median %.3f ms, p95 %.3f ms, ratio to baseline %.2f\n",
               frames_per_px[z], med, quantile (times, 0.95), med / base_ms);
    }
  g_print ("  (checksum %u)\n", sink);
}

/* ------------------------------------------------------------------ */
/* Part 2: frame times                                                  */

typedef struct
{
  GtkWidget              *window;
  CochleaSpectrogramView *spectrogram;
  CochleaActivationView  *activations;
  GtkLabel               *label;
  gint64                  start;
  gint64                  update_time;
  gint64                  last_paint;
  double                  maps_start;
  GArray                 *work_ms;     /* update → after-paint, per frame */
  GArray                 *interval_ms; /* after-paint → after-paint */
  gboolean                done;
} Run;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Run *run = user_data;
  double position = (gdk_frame_clock_get_frame_time (clock) - run->start) / 1e6;

  if (position >= opt_seconds)
    {
      run->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  if (run->spectrogram != NULL)
    {
      cochlea_spectrogram_view_set_position (run->spectrogram, 5 + position);
      /* A new 3 s window of activations as the playhead enters it. */
      if (5 + position >= run->maps_start + 3)
        {
          g_autoptr(CochleaActivationMaps) maps = NULL;

          run->maps_start += 3;
          maps = make_maps (run->maps_start);
          cochlea_activation_view_set_maps (run->activations, maps);
        }
    }
  else
    {
      g_autofree char *text = g_strdup_printf ("%.3f", position);
      gtk_label_set_label (run->label, text);
    }
  return G_SOURCE_CONTINUE;
}

static void
update_cb (GdkFrameClock *clock,
           Run           *run)
{
  run->update_time = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Run           *run)
{
  gint64 now = g_get_monotonic_time ();

  if (run->update_time > 0 && run->start > 0)
    g_array_append_val (run->work_ms, (double) { (now - run->update_time) / 1000.0 });
  if (run->last_paint > 0)
    g_array_append_val (run->interval_ms, (double) { (now - run->last_paint) / 1000.0 });
  run->last_paint = now;
}

static void
report (const char *name,
        Run        *run)
{
  guint over = 0, n = run->interval_ms->len;

  for (guint i = 0; i < n; i++)
    over += g_array_index (run->interval_ms, double, i) > 16.7 * 1.5;

  g_print ("  %s: %u frames in %d s (%.1f fps)\n", name, n, opt_seconds, n / (double) opt_seconds);
  g_print ("    work per frame (update → after-paint): median %.2f ms, p95 %.2f ms, max %.2f ms\n",
           quantile (run->work_ms, 0.5), quantile (run->work_ms, 0.95), quantile (run->work_ms, 1.0));
  g_print ("    frame interval: median %.2f ms, p99 %.2f ms, max %.2f ms, %u intervals > 25 ms (a missed frame)\n",
           quantile (run->interval_ms, 0.5), quantile (run->interval_ms, 0.99),
           quantile (run->interval_ms, 1.0), over);
}

static gboolean
ready (Run *run)
{
  return gtk_widget_get_mapped (run->window) &&
         gtk_widget_get_width (run->window) > 0;
}

static void
run_frames (Run *run)
{
  GdkFrameClock *clock;

  gtk_window_present (GTK_WINDOW (run->window));
  while (!ready (run))
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (run->window);
  run->work_ms = g_array_new (FALSE, FALSE, sizeof (double));
  run->interval_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (clock, "update", G_CALLBACK (update_cb), run);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), run);
  run->start = gdk_frame_clock_get_frame_time (clock);
  gtk_widget_add_tick_callback (run->window, tick_cb, run, NULL);

  while (!run->done)
    g_main_context_iteration (NULL, TRUE);

  g_signal_handlers_disconnect_by_data (clock, run);
}

static void
bench_frames (void)
{
  g_autoptr(CochleaSpectrogram) spec = make_music (180);
  g_autoptr(CochleaActivationMaps) maps = make_maps (5);
  Run baseline = { 0 }, views = { 0 };
  GtkWidget *box;

  g_print ("frames, 1000 x 600 window, %d s each, GSK_RENDERER=%s\n",
           opt_seconds, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "(default)");

  /* Baseline: the same window animating one label. */
  baseline.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (baseline.window), 1000, 600);
  baseline.label = GTK_LABEL (gtk_label_new ("0"));
  gtk_window_set_child (GTK_WINDOW (baseline.window), GTK_WIDGET (baseline.label));
  run_frames (&baseline);
  report ("baseline (a label)", &baseline);
  gtk_window_destroy (GTK_WINDOW (baseline.window));

  views.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (views.window), 1000, 600);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  views.spectrogram = COCHLEA_SPECTROGRAM_VIEW (cochlea_spectrogram_view_new ());
  views.activations = COCHLEA_ACTIVATION_VIEW (cochlea_activation_view_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (views.spectrogram), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (views.activations), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (views.spectrogram));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (views.activations));
  gtk_window_set_child (GTK_WINDOW (views.window), box);
  g_object_bind_property (views.spectrogram, "seconds-per-pixel", views.activations, "seconds-per-pixel", G_BINDING_SYNC_CREATE);
  g_object_bind_property (views.spectrogram, "view-start", views.activations, "view-start", G_BINDING_SYNC_CREATE);
  g_object_bind_property (views.spectrogram, "position", views.activations, "position", G_BINDING_SYNC_CREATE);
  cochlea_spectrogram_view_set_spectrogram (views.spectrogram, spec);
  cochlea_spectrogram_view_set_playing (views.spectrogram, TRUE);
  cochlea_activation_view_set_maps (views.activations, maps);
  cochlea_activation_view_set_layer (views.activations, 1);
  views.maps_start = 5;
  run_frames (&views);
  report ("spectrogram + activation views following the playhead", &views);
  g_print ("  ratio of median work per frame, views / baseline: %.2f\n",
           quantile (views.work_ms, 0.5) / quantile (baseline.work_ms, 0.5));
  gtk_window_destroy (GTK_WINDOW (views.window));

  g_array_unref (baseline.work_ms);
  g_array_unref (baseline.interval_ms);
  g_array_unref (views.work_ms);
  g_array_unref (views.interval_ms);
}

int
main (int   argc,
      char *argv[])
{
  GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_INT, &opt_seconds, "Seconds of frames per run (10)", "N" },
    { "tile-runs", 0, 0, G_OPTION_ARG_INT, &opt_tile_runs, "Renders per tile case (200)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— widget benchmarks");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  bench_tiles ();

  if (!gtk_init_check ())
    {
      g_printerr ("No display: frame times skipped (run under xvfb-run -a dbus-run-session)\n");
      return 0;
    }
  adw_init ();
  bench_frames ();
  return 0;
}
