/* test-library-columns.c — the library's Tempo, Key and Energy columns:
 * the values come from the catalogue's attributes through the library job,
 * and each column sorts numerically with unknown values last.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "app-test-utils.h"
#include "cochlea-engine.h"
#include "cochlea-track-object.h"
#include "cochlea-window-private.h"

#define N_TRACKS 30

/* Track i: tempo unknown every seventh, key "none" every fifth. */
static double
tempo_of (guint i)
{
  return i % 7 == 3 ? NAN : 60.0 + (i * 37) % 120 + 0.5;
}

static int
key_of (guint i)
{
  return i % 5 == 2 ? -1 : (int) ((i * 5) % 12);
}

static int
mode_of (guint i)
{
  return (int) (i % 2);
}

static double
energy_of (guint i)
{
  return ((i * 13) % 29) / 28.0;
}

static void
write_catalogue (void)
{
  g_autofree char *path = cochlea_catalogue_dup_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) catalogue = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  catalogue = cochlea_catalogue_open (path, 0, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_TRACKS; i++)
    {
      g_autoptr(CochleaFeatures) features = cochlea_features_new ();
      g_autofree char *file = g_strdup_printf ("/music/%02u.flac", i);
      g_autofree char *title = g_strdup_printf ("Song %02u", i);
      CochleaAnalysis analysis = { 0 };
      CochleaFileStamp stamp = { file, 1000 + i, 1000 + i, NULL };

      analysis.tags.title = title;
      analysis.path = file;
      analysis.display_path = file;
      analysis.duration_s = 100;
      features->attrs[COCHLEA_ATTR_TEMPO] = tempo_of (i);  /* NAN is stored as NULL */
      features->attrs[COCHLEA_ATTR_KEY] = key_of (i);
      features->attrs[COCHLEA_ATTR_MODE] = mode_of (i);
      features->attrs[COCHLEA_ATTR_ENERGY] = energy_of (i);
      g_assert_cmpint (cochlea_catalogue_store_analysis (catalogue, &stamp, &analysis, features, &error), >, 0);
      g_assert_no_error (error);
    }
}

static gboolean
library_full (gpointer data)
{
  CochleaWindow *window = data;

  return !window->library_loading &&
         g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (window->library_view))) == N_TRACKS;
}

static GtkColumnViewColumn *
find_column (GListModel *columns,
             const char *title)
{
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return g_steal_pointer (&column);
    }
  return NULL;
}

static guint
index_of (CochleaTrackObject *track)
{
  const char *title = cochlea_track_object_get_title (track);

  g_assert_true (g_str_has_prefix (title, "Song "));
  return (guint) g_ascii_strtoull (title + 5, NULL, 10);
}

/* A value where unknown is +∞ (last in ascending order). */
static double
rank (CochleaTrackObject *track,
      CochleaTrackSort    by)
{
  double v;

  switch (by)
    {
    case COCHLEA_TRACK_SORT_TEMPO:
      v = cochlea_track_object_get_tempo (track);
      return isnan (v) ? INFINITY : v;
    case COCHLEA_TRACK_SORT_ENERGY:
      v = cochlea_track_object_get_energy (track);
      return isnan (v) ? INFINITY : v;
    case COCHLEA_TRACK_SORT_KEY:
      if (cochlea_track_object_get_key (track) < 0)
        return INFINITY;
      return cochlea_track_object_get_key (track) * 2 + cochlea_track_object_get_mode (track);
    case COCHLEA_TRACK_SORT_TITLE:
    case COCHLEA_TRACK_SORT_ARTIST:
    case COCHLEA_TRACK_SORT_ALBUM:
    case COCHLEA_TRACK_SORT_DURATION:
    default:
      g_assert_not_reached ();
    }
}

static void
assert_sorted (GListModel       *rows,
               CochleaTrackSort  by)
{
  guint n = g_list_model_get_n_items (rows);
  guint n_increasing = 0;

  g_assert_cmpuint (n, ==, N_TRACKS);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(CochleaTrackObject) a = g_list_model_get_item (rows, i - 1);
      g_autoptr(CochleaTrackObject) b = g_list_model_get_item (rows, i);

      if (!(rank (a, by) <= rank (b, by)))
        g_error ("column %d: row %u (%s, %g) before row %u (%s, %g)", by,
                 i - 1, cochlea_track_object_get_title (a), rank (a, by),
                 i, cochlea_track_object_get_title (b), rank (b, by));
      n_increasing += rank (a, by) < rank (b, by);
    }
  /* The order is not trivially flat. */
  g_assert_cmpuint (n_increasing, >, 5);
}

static void
test_columns (void)
{
  static const struct { const char *title; CochleaTrackSort by; } wanted[] = {
    { "Tempo", COCHLEA_TRACK_SORT_TEMPO },
    { "Key", COCHLEA_TRACK_SORT_KEY },
    { "Energy", COCHLEA_TRACK_SORT_ENERGY },
  };
  CochleaWindow *window;
  GListModel *columns, *rows;

  write_catalogue ();
  window = cochlea_window_new (app_test_application ());
  gtk_window_present (GTK_WINDOW (window));
  app_test_wait_until (library_full, window);

  rows = G_LIST_MODEL (gtk_column_view_get_model (window->library_view));
  columns = gtk_column_view_get_columns (window->library_view);

  /* The job filled every row's values from the catalogue. */
  for (guint i = 0; i < N_TRACKS; i++)
    {
      g_autoptr(CochleaTrackObject) track = g_list_model_get_item (rows, i);
      guint k = index_of (track);
      double tempo = cochlea_track_object_get_tempo (track);

      if (isnan (tempo_of (k)))
        g_assert_true (isnan (tempo));
      else
        g_assert_cmpfloat_with_epsilon (tempo, tempo_of (k), 1e-9);
      g_assert_cmpint (cochlea_track_object_get_key (track), ==, key_of (k));
      g_assert_cmpint (cochlea_track_object_get_mode (track), ==, key_of (k) < 0 ? -1 : mode_of (k));
      g_assert_cmpfloat_with_epsilon (cochlea_track_object_get_energy (track), energy_of (k), 1e-9);
    }

  for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
    {
      g_autoptr(GtkColumnViewColumn) column = find_column (columns, wanted[w].title);

      g_assert_nonnull (column);
      g_assert_nonnull (gtk_column_view_column_get_sorter (column));
      gtk_column_view_sort_by_column (window->library_view, column, GTK_SORT_ASCENDING);
      assert_sorted (rows, wanted[w].by);
    }

  /* Sorted by tempo: the unknown tempi come last. */
  {
    g_autoptr(GtkColumnViewColumn) column = find_column (columns, "Tempo");
    g_autoptr(CochleaTrackObject) first = NULL;
    g_autoptr(CochleaTrackObject) last = NULL;

    gtk_column_view_sort_by_column (window->library_view, column, GTK_SORT_ASCENDING);
    first = g_list_model_get_item (rows, 0);
    last = g_list_model_get_item (rows, N_TRACKS - 1);
    g_assert_false (isnan (cochlea_track_object_get_tempo (first)));
    g_assert_true (isnan (cochlea_track_object_get_tempo (last)));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/library-columns/values-and-sorting", test_columns);
  return g_test_run ();
}
