/* test-index-cache.c — the Similar page loads the recommendation index once
 * and shares it: re-ranking after a slider or radar move does not load it
 * again, a library change does, and the new index has the new song; loads
 * go through the index file beside the catalogue, mapped again when the
 * catalogue has not changed since it was written
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

static gboolean
library_loaded (gpointer data)
{
  return !COCHLEA_WINDOW (data)->library_loading;
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
  guint generation;

  g_settings_set_boolean (window->settings, "autoplay", FALSE);
  app_test_play_and_wait (widget, first);
  g_assert_nonnull (window->index_cache);
  g_assert_cmpuint (window->similar->len, ==, 2);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (window->index_cache), ==, 1);

  /* Moving a slider re-ranks with the index already loaded. */
  input = cochlea_radar_chart_get_input_values (COCHLEA_RADAR_CHART (window->radar));
  generation = window->similar_generation;
  gtk_range_set_value (cochlea_target_sliders_get_range (sliders, 1), input[1] > 0.5 ? 0.0 : 1.0);
  app_test_wait_reranked (widget, generation);
  g_assert_cmpuint (window->similar->len, ==, 2);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (window->index_cache), ==, 1);

  /* So does a radar drag, and playing another song of the same library. */
  generation = window->similar_generation;
  cochlea_radar_chart_set_target (COCHLEA_RADAR_CHART (window->radar), 4, 0.3);
  app_test_wait_reranked (widget, generation);
  {
    g_autofree char *second = g_build_filename (dir, "song-1.wav", NULL);

    app_test_play_and_wait (widget, second);
  }
  g_assert_cmpuint (window->similar->len, ==, 2);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (window->index_cache), ==, 1);

  /* Importing a song changes the library: the playing song's neighbours
   * are ranked again from a new index that has the new song. */
  generation = window->similar_generation;
  new_dir = app_test_import_songs (widget, 1);
  app_test_wait_reranked (widget, generation);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (window->index_cache), ==, 2);
  g_assert_cmpuint (window->similar->len, ==, 3);
  g_assert_true (similar_has_path_under (window, new_dir));

  /* And the next re-rank uses that one. */
  generation = window->similar_generation;
  gtk_range_set_value (cochlea_target_sliders_get_range (sliders, 2), 0.9);
  app_test_wait_reranked (widget, generation);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (window->index_cache), ==, 2);
  g_assert_true (similar_has_path_under (window, new_dir));

  /* Both loads so far followed a change of the catalogue: built from its
   * rows, and the file beside it written.  A reload with nothing new
   * (the library page refreshed) maps that file instead of building the
   * index again, and leaves it as it was. */
  g_assert_cmpuint (cochlea_index_cache_get_n_file_loads (window->index_cache), ==, 0);
  {
    g_autofree char *index_path = cochlea_index_file_path_for (window->catalogue_path);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    gsize before_len, after_len;

    g_assert_true (g_file_get_contents (index_path, &before, &before_len, NULL));
    _cochlea_window_library_reload (window);
    app_test_wait_until (library_loaded, window);
    generation = window->similar_generation;
    gtk_range_set_value (cochlea_target_sliders_get_range (sliders, 2), 0.1);
    app_test_wait_reranked (widget, generation);
    g_assert_cmpuint (cochlea_index_cache_get_n_loads (window->index_cache), ==, 3);
    g_assert_cmpuint (cochlea_index_cache_get_n_file_loads (window->index_cache), ==, 1);
    g_assert_cmpuint (window->similar->len, ==, 3);
    g_assert_true (similar_has_path_under (window, new_dir));
    g_assert_true (g_file_get_contents (index_path, &after, &after_len, NULL));
    g_assert_cmpmem (before, before_len, after, after_len);
  }

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

/* @n tracks with a content vector and attributes, as an import stores them. */
static void
store_tracks (const char *path,
              guint       first,
              guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) catalogue = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_DEFAULT, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (first);
  float vector[16];

  g_assert_no_error (error);
  for (guint i = first; i < first + n; i++)
    {
      g_autoptr(CochleaFeatures) features = cochlea_features_new ();
      g_autofree char *file = g_strdup_printf ("/music/track-%u.flac", i);
      g_autofree char *hash = g_strdup_printf ("%040x", i);
      CochleaAnalysis analysis = { 0 };
      CochleaFileStamp stamp = { 0 };

      analysis.path = file;
      analysis.display_path = file;
      analysis.duration_s = 120;
      analysis.sample_rate = 22050;
      for (int a = 0; a < COCHLEA_N_ATTRIBUTES; a++)
        features->attrs[a] = g_rand_double (rand);
      cochlea_test_random_unit (rand, vector, G_N_ELEMENTS (vector));
      cochlea_features_set_vector (features, "test", vector, G_N_ELEMENTS (vector));
      stamp.path = file;
      stamp.size = 1000 + i;
      stamp.mtime_us = i;
      stamp.hash = hash;
      g_assert_cmpint (cochlea_catalogue_store_analysis (catalogue, &stamp, &analysis, features, &error), >, 0);
      g_assert_no_error (error);
    }
}

static guint
acquire_size (CochleaIndexCache *cache)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaSharedIndex) shared = cochlea_index_cache_acquire (cache, NULL, &error);
  guint size;

  g_assert_no_error (error);
  size = cochlea_index_get_size (cochlea_shared_index_lock (shared));
  cochlea_shared_index_unlock (shared);
  return size;
}

/* The app's index comes through the file beside the catalogue, as the
 * CLI's does: a new cache (the app started again) maps the file an earlier
 * one wrote; a write to the catalogue makes the next load build the index
 * from the rows, with the new tracks, and rewrite the file. */
static void
test_index_file_reused_until_catalogue_changes (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "catalogue.db", NULL);
  g_autofree char *index_path = cochlea_index_file_path_for (path);
  g_autoptr(CochleaIndexCache) first = NULL;
  g_autoptr(CochleaIndexCache) second = NULL;

  store_tracks (path, 1, 30);
  g_assert_false (g_file_test (index_path, G_FILE_TEST_EXISTS));

  first = cochlea_index_cache_new (path);
  g_assert_cmpuint (acquire_size (first), ==, 30);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (first), ==, 1);
  g_assert_cmpuint (cochlea_index_cache_get_n_file_loads (first), ==, 0);
  g_assert_true (g_file_test (index_path, G_FILE_TEST_EXISTS));

  /* Invalidated with nothing written (a library reload): the file. */
  cochlea_index_cache_invalidate (first);
  g_assert_cmpuint (acquire_size (first), ==, 30);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (first), ==, 2);
  g_assert_cmpuint (cochlea_index_cache_get_n_file_loads (first), ==, 1);

  /* The app again, on the same catalogue: the file, from its first load. */
  second = cochlea_index_cache_new (path);
  g_assert_cmpuint (acquire_size (second), ==, 30);
  g_assert_cmpuint (cochlea_index_cache_get_n_file_loads (second), ==, 1);

  /* An import stores five more: the stale file is not used. */
  store_tracks (path, 31, 5);
  cochlea_index_cache_invalidate (first);
  g_assert_cmpuint (acquire_size (first), ==, 35);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (first), ==, 3);
  g_assert_cmpuint (cochlea_index_cache_get_n_file_loads (first), ==, 1);

  /* ... and the file rewritten then is the one the next load maps. */
  cochlea_index_cache_invalidate (second);
  g_assert_cmpuint (acquire_size (second), ==, 35);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (second), ==, 2);
  g_assert_cmpuint (cochlea_index_cache_get_n_file_loads (second), ==, 2);

  /* A damaged file is not an error: the index is built again. */
  g_assert_true (g_file_set_contents (index_path, "not an index", -1, NULL));
  cochlea_index_cache_invalidate (second);
  g_assert_cmpuint (acquire_size (second), ==, 35);
  g_assert_cmpuint (cochlea_index_cache_get_n_loads (second), ==, 3);
  g_assert_cmpuint (cochlea_index_cache_get_n_file_loads (second), ==, 2);
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
  g_test_add_func ("/app/index-cache/index-file-reused-until-catalogue-changes", test_index_file_reused_until_catalogue_changes);

  return g_test_run ();
}
