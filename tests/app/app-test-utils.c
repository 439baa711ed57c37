/* app-test-utils.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>
#include <math.h>

#include "app-test-utils.h"
#include "cochlea-engine.h"
#include "cochlea-window-private.h"
#include "cochlea-test-utils.h"

gboolean
app_test_init (int    *argc,
               char ***argv)
{
  /* Never make a sound from a test, even on a desktop with speakers. */
  g_setenv ("COCHLEA_AUDIO_SINK", "fakesink", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  g_test_init (argc, argv, NULL);

  /* A fresh, empty catalogue (under $XDG_DATA_HOME) for every test run. */
  {
    g_autofree char *data_home = cochlea_test_tmpdir ();

    g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  }

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run -a dbus-run-session)\n");
      return FALSE;
    }

  gst_init (argc, argv);
  return TRUE;
}

CochleaApplication *
app_test_application (void)
{
  static CochleaApplication *app;

  if (app == NULL)
    {
      g_autoptr(GError) error = NULL;

      app = cochlea_application_new ();
      g_application_set_flags (G_APPLICATION (app),
                               G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
    }

  return app;
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
app_test_wait_until (gboolean (*done) (gpointer),
                     gpointer   data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (60, timed_out_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

typedef struct
{
  guint remaining;
} FrameWait;

static gboolean
frame_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  FrameWait *wait = data;

  if (wait->remaining > 0)
    wait->remaining--;
  return wait->remaining > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
frames_done (gpointer data)
{
  return ((FrameWait *) data)->remaining == 0;
}

void
app_test_wait_frames (GtkWidget *widget,
                      guint      n_frames)
{
  FrameWait wait = { n_frames };

  gtk_widget_add_tick_callback (widget, frame_tick_cb, &wait, NULL);
  gtk_widget_queue_draw (widget);
  app_test_wait_until (frames_done, &wait);
}

GdkTexture *
app_test_render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_nonnull (renderer);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

char *
app_test_save_png (GdkTexture *texture,
                   const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("COCHLEA_BUILD_ROOT"), "meson-logs", "app", NULL);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

char *
app_test_write_song (const char *dir,
                     const char *name,
                     double      seconds)
{
  const int rate = 22050;
  gsize n = (gsize) (seconds * rate);
  g_autofree float *samples = g_new (float, n);
  char *path = g_build_filename (dir, name, NULL);
  double phase = 0;

  for (gsize i = 0; i < n; i++)
    {
      double t = (double) i / rate;
      double sweep = 300.0 * pow (20.0, t / seconds);  /* 300 Hz → 6 kHz */
      double beat = fmod (t, 0.5) < 0.05 ? 1.0 : 0.0;   /* a click every half second */

      phase += 2 * G_PI * sweep / rate;
      samples[i] = (float) (0.25 * sin (2 * G_PI * 220.0 * t) +
                            0.15 * sin (2 * G_PI * 330.0 * t) +
                            0.2 * sin (phase) +
                            0.2 * beat * sin (2 * G_PI * 2500.0 * t));
    }

  cochlea_test_write_wav (path, samples, n, rate, 1);
  return path;
}

char *
app_test_write_model (const char *dir)
{
  static const char * const labels[] = { "voice", NULL };
  static const int channels[] = { 16, 16, 32, 32 };
  CochleaModelConfig config;
  g_autoptr(CochleaModel) model = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "test-model.safetensors", NULL);

  cochlea_model_config_init_default (&config);
  memcpy (config.channels, channels, sizeof channels);
  config.dense = 32;
  config.embed_dim = 8;
  cochlea_model_config_add_head (&config, "voice", COCHLEA_HEAD_SIGMOID, labels);
  g_assert_true (cochlea_model_config_validate (&config, &error));
  g_assert_no_error (error);

  model = cochlea_model_new (&config, 7, &error);
  g_assert_no_error (error);
  g_assert_true (cochlea_model_save (model, path, &error));
  g_assert_no_error (error);

  cochlea_model_config_clear (&config);
  return path;
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

GtkWidget *
app_test_present_window (void)
{
  CochleaWindow *window = cochlea_window_new (app_test_application ());

  gtk_window_present (GTK_WINDOW (window));
  app_test_wait_until (is_mapped, window);
  return GTK_WIDGET (window);
}

static guint rows_wanted;

static gboolean
import_finished (gpointer data)
{
  CochleaWindow *window = data;

  return window->import_cancellable == NULL && !window->library_loading &&
         g_list_model_get_n_items (G_LIST_MODEL (window->library)) >= rows_wanted;
}

char *
app_test_import_songs (GtkWidget *widget,
                       guint      n_songs)
{
  CochleaWindow *window = COCHLEA_WINDOW (widget);
  char *dir = cochlea_test_tmpdir ();
  g_autoptr(GFile) folder = g_file_new_for_path (dir);

  for (guint i = 0; i < n_songs; i++)
    {
      g_autofree char *name = g_strdup_printf ("song-%u.wav", i);
      g_autofree char *path = app_test_write_song (dir, name, 1.0 + 0.5 * i);
    }

  rows_wanted = g_list_model_get_n_items (G_LIST_MODEL (window->library)) + n_songs;
  _cochlea_window_import_folder (window, folder);
  app_test_wait_until (import_finished, window);
  return dir;
}

static gboolean
analysed_and_ranked (gpointer data)
{
  CochleaWindow *window = data;

  return !cochlea_window_get_busy (window) && window->analysis != NULL && !window->similar_running;
}

void
app_test_play_and_wait (GtkWidget  *widget,
                        const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  _cochlea_window_open_track (COCHLEA_WINDOW (widget), file);
  app_test_wait_until (analysed_and_ranked, widget);
}

typedef struct
{
  CochleaWindow *window;
  guint          generation;
} Reranked;

static gboolean
reranked (gpointer data)
{
  Reranked *wait = data;

  return !wait->window->similar_running && wait->window->similar_generation > wait->generation;
}

void
app_test_wait_reranked (GtkWidget *window,
                        guint      generation)
{
  Reranked wait = { COCHLEA_WINDOW (window), generation };

  app_test_wait_until (reranked, &wait);
}

const char *
app_test_events (GtkWidget *window,
                 int        kind)
{
  static char *text;
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) catalogue = cochlea_catalogue_open (COCHLEA_WINDOW (window)->catalogue_path,
                                                                  COCHLEA_CATALOGUE_OPEN_READ_ONLY,
                                                                  &error);
  g_autoptr(GArray) events = NULL;
  GString *kinds = g_string_new (NULL);

  g_assert_no_error (error);
  events = cochlea_catalogue_list_events (catalogue, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      CochleaEventKind event = g_array_index (events, CochleaEvent, i).kind;

      if (kind == -1 || (int) event == kind)
        g_string_append_printf (kinds, "%s%s", kinds->len ? " " : "", cochlea_event_kind_to_string (event));
    }
  g_free (text);
  text = g_string_free (kinds, FALSE);
  return text;
}

static gboolean
redraw_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

guint
app_test_redraw_every_frame (GtkWidget *widget)
{
  return gtk_widget_add_tick_callback (widget, redraw_tick_cb, NULL, NULL);
}
