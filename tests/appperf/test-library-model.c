/* test-library-model.c — the library list's model: track objects made off
 * the main thread with precomputed sort keys, and column sorters that order
 * exactly as GtkStringSorter / GtkNumericSorter would.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "app-test-utils.h"
#include "cochlea-engine.h"
#include "cochlea-track-object.h"
#include "cochlea-window-private.h"

static const char * const titles[] = {
  "beta", "Alpha", "alpha", "ALPHA 2", "Émile", "émile b", "Emile", "Zebra", "zèbre",
  "10 Songs", "9 Songs", "", "  spaced", "Ärger", "arg", "Straße", "STRASSE", "夜明け", "Ωmega",
};

static CochleaTrackObject *
make_track (guint i)
{
  g_autofree char *path = g_strdup_printf ("/music/a%u/%s.flac", i, titles[i % G_N_ELEMENTS (titles)]);
  CochleaTrack track = { 0 };

  track.id = i + 1;
  track.path = path;
  track.title = (char *) titles[i % G_N_ELEMENTS (titles)];
  track.artist = (char *) titles[(i * 7 + 3) % G_N_ELEMENTS (titles)];
  track.album = i % 5 == 0 ? NULL : (char *) titles[(i * 11 + 5) % G_N_ELEMENTS (titles)];
  track.duration_s = (i * 37) % 23 + (i % 3) * 0.25;
  track.status = COCHLEA_TRACK_OK;
  return cochlea_track_object_new (&track);
}

static int
sign (int v)
{
  return (v > 0) - (v < 0);
}

static GtkSorter *
reference_sorter (CochleaTrackSort by)
{
  static const char * const properties[] = { "title", "artist", "album", "duration" };
  GtkExpression *expression = gtk_property_expression_new (COCHLEA_TYPE_TRACK_OBJECT, NULL, properties[by]);

  if (by == COCHLEA_TRACK_SORT_DURATION)
    return GTK_SORTER (gtk_numeric_sorter_new (expression));
  return GTK_SORTER (gtk_string_sorter_new (expression));
}

/* Every pair, every column: the same order as GTK's own sorters. */
static void
test_compare_like_gtk (void)
{
  g_autoptr(GPtrArray) tracks = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 3 * G_N_ELEMENTS (titles); i++)
    g_ptr_array_add (tracks, make_track (i));

  for (int by = COCHLEA_TRACK_SORT_TITLE; by <= COCHLEA_TRACK_SORT_DURATION; by++)
    {
      g_autoptr(GtkSorter) sorter = reference_sorter (by);
      guint n_less = 0;

      for (guint i = 0; i < tracks->len; i++)
        for (guint j = 0; j < tracks->len; j++)
          {
            gpointer a = g_ptr_array_index (tracks, i), b = g_ptr_array_index (tracks, j);
            int ours = sign (cochlea_track_object_compare (a, b, GINT_TO_POINTER (by)));
            int theirs = gtk_sorter_compare (sorter, a, b);

            if (ours != theirs)
              g_error ("column %d: %s vs %s: %d, GTK says %d", by,
                       cochlea_track_object_get_title (a), cochlea_track_object_get_title (b),
                       ours, theirs);
            n_less += ours < 0;
          }
      /* Not all equal: the comparison really orders something. */
      g_assert_cmpuint (n_less, >, tracks->len);
    }
}

/* A catalogue written through the engine, as an import would. */
static void
write_catalogue (guint n)
{
  g_autofree char *path = cochlea_catalogue_dup_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) catalogue = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  catalogue = cochlea_catalogue_open (path, 0, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CochleaFeatures) features = cochlea_features_new ();
      g_autofree char *file = g_strdup_printf ("/music/%u/%s.flac", i, titles[i % G_N_ELEMENTS (titles)]);
      g_autofree char *hash = g_strdup_printf ("%040x", i);
      CochleaAnalysis analysis = { 0 };
      CochleaFileStamp stamp = { file, 1000 + i, 1000 + i, hash };

      /* Every fourth track untagged: its title comes from the file name. */
      if (i % 4 != 0)
        {
          analysis.tags.title = (char *) titles[(i * 5) % G_N_ELEMENTS (titles)];
          analysis.tags.artist = (char *) titles[(i * 7 + 3) % G_N_ELEMENTS (titles)];
          analysis.tags.album = (char *) titles[(i * 11 + 5) % G_N_ELEMENTS (titles)];
        }
      analysis.path = file;
      analysis.display_path = file;
      analysis.duration_s = 60 + (i * 37) % 300;
      g_assert_cmpint (cochlea_catalogue_store_analysis (catalogue, &stamp, &analysis, features, &error), >, 0);
      g_assert_no_error (error);
    }
}

#define N_TRACKS 240

static gboolean
library_full (gpointer data)
{
  CochleaWindow *window = data;

  return !window->library_loading &&
         g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (window->library_view))) == N_TRACKS;
}

static gboolean
library_settled (gpointer data)
{
  return cochlea_library_model_is_settled (COCHLEA_WINDOW (data)->library_model);
}

static void
assert_sorted (GListModel *model,
               GtkSorter  *reference,
               gboolean    descending)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 1; i < n; i++)
    {
      g_autoptr(GObject) a = g_list_model_get_item (model, i - 1);
      g_autoptr(GObject) b = g_list_model_get_item (model, i);
      int order = gtk_sorter_compare (reference, a, b);

      g_assert_cmpint (descending ? -order : order, <=, 0);
    }
}

/* The window's columns sort the rows the job made, both ways, and the
 * search still filters the sorted list. */
static void
test_window_sorts (void)
{
  CochleaWindow *window;
  GListModel *columns, *rows;
  GtkSorter *view_sorter;

  write_catalogue (N_TRACKS);
  window = cochlea_window_new (app_test_application ());
  gtk_window_present (GTK_WINDOW (window));
  app_test_wait_until (library_full, window);

  rows = G_LIST_MODEL (gtk_column_view_get_model (window->library_view));
  columns = gtk_column_view_get_columns (window->library_view);
  view_sorter = gtk_column_view_get_sorter (window->library_view);
  g_assert_cmpuint (g_list_model_get_n_items (columns), >=, 4);

  for (int by = COCHLEA_TRACK_SORT_TITLE; by <= COCHLEA_TRACK_SORT_DURATION; by++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, by);
      g_autoptr(GtkSorter) reference = reference_sorter (by);

      gtk_column_view_sort_by_column (window->library_view, column, GTK_SORT_ASCENDING);
      g_assert_cmpint (gtk_sorter_get_order (view_sorter), !=, GTK_SORTER_ORDER_NONE);
      assert_sorted (rows, reference, FALSE);
      gtk_column_view_sort_by_column (window->library_view, column, GTK_SORT_DESCENDING);
      assert_sorted (rows, reference, TRUE);
    }

  /* Sorted by duration, descending: the search narrows and keeps the order.
   * The tracks are the new ones at once; the rows the view had built past
   * them go over the next frames (a paced change), then the rows are the
   * tracks. */
  gtk_editable_set_text (GTK_EDITABLE (window->library_search), "alpha");
  g_signal_emit_by_name (window->library_search, "search-changed");
  {
    guint n_tracks = cochlea_library_model_get_n_tracks (window->library_model);

    g_assert_cmpuint (n_tracks, >, 0);
    g_assert_cmpuint (g_list_model_get_n_items (rows), >=, n_tracks);
    for (guint i = 0; i < n_tracks; i++)
      g_assert_true (cochlea_track_object_matches (cochlea_library_model_get_track (window->library_model, i), "alpha"));
    /* A row past the tracks, still there for a few frames, cannot be
     * selected (it is no track to play or add to a playlist). */
    g_assert_cmpuint (g_list_model_get_n_items (rows), >, n_tracks);
    gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (rows), n_tracks);
    g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (rows)), ==, GTK_INVALID_LIST_POSITION);
    g_assert_null (window->library_selected);
    app_test_wait_until (library_settled, window);
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n_tracks);
  }
  g_assert_cmpuint (g_list_model_get_n_items (rows), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rows), <, N_TRACKS);
  {
    g_autoptr(GtkSorter) reference = reference_sorter (COCHLEA_TRACK_SORT_DURATION);

    assert_sorted (rows, reference, TRUE);
  }
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CochleaTrackObject) track = g_list_model_get_item (rows, i);

      g_assert_true (cochlea_track_object_matches (track, "alpha"));
    }

  /* A selected track stays selected while the rows come back a step at a
   * time, though its row comes only in a later frame. */
  {
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (window->library_view));
    guint n_alpha = g_list_model_get_n_items (rows);
    CochleaTrackObject *chosen = cochlea_library_model_get_track (window->library_model, n_alpha - 1);
    guint position;

    gtk_single_selection_set_selected (selection, n_alpha - 1);
    g_assert_true (window->library_selected == chosen);
    gtk_editable_set_text (GTK_EDITABLE (window->library_search), "");
    g_signal_emit_by_name (window->library_search, "search-changed");
    position = cochlea_library_model_find (window->library_model, chosen);
    g_assert_cmpuint (position, >=, g_list_model_get_n_items (rows));  /* not there yet */
    g_assert_true (window->library_selected == chosen);
    app_test_wait_until (library_settled, window);
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, N_TRACKS);
    g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, position);
    g_assert_true (window->library_selected == chosen);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/library-model/compare-like-gtk", test_compare_like_gtk);
  g_test_add_func ("/library-model/window-sorts", test_window_sorts);
  return g_test_run ();
}
