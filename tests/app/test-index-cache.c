/* test-index-cache.c — the Similar page loads the recommendation index once
 * and shares it: re-ranking after a slider or radar move does not load it
 * again, a library change does, and the new index has the new song
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "app-test-utils.h"
#include "cochlea-radar-chart.h"
#include "cochlea-target-sliders.h"
#include "cochlea-test-utils.h"
#include "cochlea-window-private.h"
#include "jobs/cochlea-index-cache.h"
#include "jobs/cochlea-recommend-job.h"

static guint wanted_generation;

static gboolean
reranked (gpointer data)
{
  CochleaWindow *window = data;

  return !window->similar_running && window->similar_generation >= wanted_generation;
}

static gboolean
similar_has_path_under (CochleaWindow *window,
                        const char    *dir)
{
  g_autofree char *prefix = g_build_filename (dir, "", NULL);

  for (guint i = 0; window->similar != NULL && i < window->similar->len; i++)
    {
      const CochleaSimilarSong *song = g_ptr_array_index (window->similar, i);

      if (g_str_has_prefix (song->path, prefix))
        return TRUE;
    }
  return FALSE;
}

static void
test_rerank_reuses_index (void)
{
  GtkWidget *widget = app_test_present_window ();
  CochleaWindow *window = COCHLEA_WINDOW (widget);
  g_autofree char *dir = app_test_import_songs (widget, 3);
  g_autofree char *first = g_build_filename (dir, "song-0.wav", NULL);
  g_autofree char *new_dir = NULL;
  CochleaTargetSliders *sliders = COCHLEA_TARGET_SLIDERS (window->sliders);
  const double *input;

  g_settings_set_boolean (window->settings, "autoplay", FALSE);
  app_test_play_and_wait (widget, first);
  g_assert_nonnull (window->index_cache);
  g_assert_cmpuint (window->similar->len, ==, 2);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (window->index_cache), ==, 1);

  /* Moving a slider re-ranks with the index already loaded. */
  input = cochlea_radar_chart_get_input_values (COCHLEA_RADAR_CHART (window->radar));
  wanted_generation = window->similar_generation + 1;
  gtk_range_set_value (cochlea_target_sliders_get_range (sliders, 1), input[1] > 0.5 ? 0.0 : 1.0);
  app_test_wait_until (reranked, window);
  g_assert_cmpuint (window->similar->len, ==, 2);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (window->index_cache), ==, 1);

  /* So does a radar drag, and playing another song of the same library. */
  wanted_generation = window->similar_generation + 1;
  cochlea_radar_chart_set_target (COCHLEA_RADAR_CHART (window->radar), 4, 0.3);
  app_test_wait_until (reranked, window);
  {
    g_autofree char *second = g_build_filename (dir, "song-1.wav", NULL);

    app_test_play_and_wait (widget, second);
  }
  g_assert_cmpuint (window->similar->len, ==, 2);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (window->index_cache), ==, 1);

  /* Importing a song changes the library: the playing song's neighbours
   * are ranked again from a new index that has the new song. */
  wanted_generation = window->similar_generation + 1;
  new_dir = app_test_import_songs (widget, 1);
  app_test_wait_until (reranked, window);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (window->index_cache), ==, 2);
  g_assert_cmpuint (window->similar->len, ==, 3);
  g_assert_true (similar_has_path_under (window, new_dir));

  /* And the next re-rank uses that one. */
  wanted_generation = window->similar_generation + 1;
  gtk_range_set_value (cochlea_target_sliders_get_range (sliders, 2), 0.9);
  app_test_wait_until (reranked, window);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (window->index_cache), ==, 2);
  g_assert_true (similar_has_path_under (window, new_dir));

  g_settings_reset (window->settings, "autoplay");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A job keeps the index it acquired while an invalidation replaces it. */
static void
test_shared_index_outlives_invalidation (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "catalogue.db", NULL);
  g_autoptr(CochleaIndexCache) cache = NULL;
  g_autoptr(CochleaSharedIndex) first = NULL;
  g_autoptr(CochleaSharedIndex) again = NULL;
  g_autoptr(CochleaSharedIndex) second = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(CochleaCatalogue) catalogue = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
  }

  cache = cochlea_index_cache_new (path);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (cache), ==, 0);
  first = cochlea_index_cache_acquire (cache, NULL, &error);
  g_assert_no_error (error);
  again = cochlea_index_cache_acquire (cache, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (first == again);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (cache), ==, 1);

  cochlea_index_cache_invalidate (cache);
  second = cochlea_index_cache_acquire (cache, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (second != first);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (cache), ==, 2);

  /* The old one is still whole (valgrind/ASan would see a use after free). */
  g_assert_cmpuint (cochlea_index_get_size (cochlea_shared_index_lock (first)), ==, 0);
  cochlea_shared_index_unlock (first);

  /* A catalogue that cannot be opened is an error, not a cached index. */
  {
    g_autoptr(CochleaIndexCache) missing = cochlea_index_cache_new ("/nonexistent/catalogue.db");
    g_autoptr(CochleaSharedIndex) none = cochlea_index_cache_acquire (missing, NULL, &error);

    g_assert_null (none);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
}

static gpointer
acquire_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  CochleaSharedIndex *shared = cochlea_index_cache_acquire (data, NULL, &error);

  g_assert_no_error (error);
  return shared;
}

/* Two jobs that need the index at once share one load. */
static void
test_concurrent_acquire_loads_once (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "catalogue.db", NULL);
  g_autoptr(CochleaIndexCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  CochleaSharedIndex *shared[4];
  GThread *threads[4];

  {
    g_autoptr(CochleaCatalogue) catalogue = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
  }

  cache = cochlea_index_cache_new (path);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("acquire", acquire_thread, cache);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    shared[i] = g_thread_join (threads[i]);

  g_assert_cmpuint (cochlea_index_cache_get_n_loads (cache), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_assert_true (shared[i] == shared[0]);
      cochlea_shared_index_unref (shared[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/index-cache/rerank-reuses-index", test_rerank_reuses_index);
  g_test_add_func ("/app/index-cache/shared-index-outlives-invalidation", test_shared_index_outlives_invalidation);
  g_test_add_func ("/app/index-cache/concurrent-acquire-loads-once", test_concurrent_acquire_loads_once);

  return g_test_run ();
}
