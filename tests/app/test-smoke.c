/* test-smoke.c — the app opened on a generated song, as open-with does it:
 * waits for the analysis and the spectrogram tiles, then saves a screenshot
 * to <build>/meson-logs/app/cochlea-smoke.png
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "app-test-utils.h"
#include "cochlea-activation-view.h"
#include "cochlea-spectrogram-view-private.h"
#include "cochlea-test-utils.h"
#include "cochlea-window-private.h"

static gboolean
analysed (gpointer data)
{
  CochleaWindow *window = data;

  return !cochlea_window_get_busy (window) && window->analysis != NULL;
}

static gboolean
tiles_ready (gpointer data)
{
  CochleaSpectrogramView *view = data;

  return _cochlea_spectrogram_view_get_n_tiles_rendered (view) > 0 &&
         !_cochlea_spectrogram_view_is_busy (view);
}

static gboolean
activations_shown (gpointer data)
{
  CochleaWindow *window = data;

  return cochlea_activation_view_get_maps (COCHLEA_ACTIVATION_VIEW (window->activation_view)) != NULL &&
         !window->activation_running;
}

static guint
count_colours (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guint8 *pixels = g_malloc (stride * height);
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);

  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y += 2)
    for (int x = 0; x < width; x += 2)
      {
        const guint8 *p = pixels + y * stride + x * 4;
        guint32 key = ((guint32) p[0] << 16) | ((guint32) p[1] << 8) | p[2];

        g_hash_table_add (colours, GUINT_TO_POINTER (key + 1));
      }

  return g_hash_table_size (colours);
}

static void
test_smoke (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = app_test_write_song (dir, "Smoke Test Song.wav", 8.0);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *png = NULL;
  g_autofree char *model = app_test_write_model (dir);
  GApplication *app = G_APPLICATION (app_test_application ());
  CochleaWindow *window;

  g_setenv ("COCHLEA_MODEL", model, TRUE);
  g_application_open (app, &file, 1, "");
  window = COCHLEA_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);

  app_test_wait_until (analysed, window);
  g_assert_cmpfloat_with_epsilon (window->analysis->duration_s, 8.0, 0.01);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "content");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "now-playing");
  g_assert_true (cochlea_player_get_playing (window->player));  /* autoplay, silent clock */

  /* The test model ran over the song, so the activation view shows the
   * window under the playhead, with every layer selectable. */
  g_assert_nonnull (window->analysis->nn);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->activation_stack), ==, "view");
  app_test_wait_until (activations_shown, window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->layer_names)), >, 3);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->layer_dropdown)));

  app_test_wait_until (tiles_ready, window->spectrogram_view);
  app_test_wait_frames (GTK_WIDGET (window), 3);

  texture = app_test_render (GTK_WIDGET (window));
  png = app_test_save_png (texture, "cochlea-smoke.png");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  /* A window with a coloured spectrogram, not a blank or single-colour frame. */
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 360);
  g_assert_cmpuint (count_colours (texture), >, 200);

  /* Adaptive down to 360 px: no page asks for more width than that.  The
   * title bar is measured with GNOME's default decoration layout (a close
   * button only); GTK's fallback adds minimise and maximise (~75 px). */
  {
    int minimum, natural;

    g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
    app_test_wait_frames (GTK_WIDGET (window), 2);

    gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1,
                        &minimum, &natural, NULL, NULL);
    g_test_message ("minimum width %d px", minimum);
    g_assert_cmpint (minimum, <=, 360);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/smoke", test_smoke);

  return g_test_run ();
}
