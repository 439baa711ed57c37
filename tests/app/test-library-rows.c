/* test-library-rows.c — CochleaLibraryModel: the library's rows keep their
 * identity while the search and the order change, and show what GTK's
 * GtkFilterListModel + GtkSortListModel would show; paced, a change in the
 * number of rows the view has built comes a step at a time
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No display needed: list models and sorters only.
 */
#include "config.h"

#include <gtk/gtk.h>

#include "cochlea-library-model.h"

#define N_TRACKS 500

static const char *words[] = {
  "alpha", "Alphorn", "beta", "Bêta", "gamma", "Moon", "river", "moonriver",
  "ÉTÉ", "été", "straße", "STRASSE", "東京", "Zeta", "", "omega",
};

static GListStore *
make_tracks (guint n)
{
  GListStore *store = g_list_store_new (COCHLEA_TYPE_TRACK_OBJECT);
  GRand *rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/music/%05u.wav", i);
      g_autofree char *title = g_strdup_printf ("%s %s", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                                words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      CochleaTrack track = {
        .id = i + 1,
        .path = path,
        .title = title,
        .artist = (char *) words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
        .album = (char *) words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
        .duration_s = g_rand_int_range (rand, 0, 400),
      };
      g_autoptr(CochleaTrackObject) object = cochlea_track_object_new (&track);

      g_list_store_append (store, object);
    }
  g_rand_free (rand);
  return store;
}

/* What the rows show, as tracks (not rows). */
static GPtrArray *
shown_tracks (GListModel *model)
{
  GPtrArray *tracks = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CochleaTrackObject) item = g_list_model_get_item (model, i);

      g_ptr_array_add (tracks, cochlea_track_object_get_track (item));
    }
  return tracks;
}

static void
assert_same_tracks (GListModel *model,
                    GListModel *reference)
{
  g_autoptr(GPtrArray) got = shown_tracks (model);
  g_autoptr(GPtrArray) want = shown_tracks (reference);

  g_assert_cmpuint (got->len, ==, want->len);
  for (guint i = 0; i < got->len; i++)
    g_assert_true (g_ptr_array_index (got, i) == g_ptr_array_index (want, i));
}

static char *filter_needle;  /* what the reference filter looks for */

static gboolean
reference_match (gpointer item,
                 gpointer data)
{
  return cochlea_track_object_matches (item, filter_needle);
}

typedef struct
{
  guint n_items_changed;
  guint last_position, last_removed, last_added;
  guint n_rows_changed;
} Counts;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Counts     *counts)
{
  counts->n_items_changed++;
  counts->last_position = position;
  counts->last_removed = removed;
  counts->last_added = added;
}

static void
rows_changed_cb (CochleaLibraryModel *model,
                 guint                position,
                 guint                n_rows,
                 Counts              *counts)
{
  counts->n_rows_changed++;
}

/* Search and sort as a person would, against GTK's own models. */
static void
test_same_as_gtk_models (void)
{
  static const char *typed[] = { "a", "al", "alp", "alph", "al", "", "m", "mo", "moon", "moonr", "zzz", "", "été", "ete", "strasse", "東" };
  g_autoptr(GListStore) store = make_tracks (N_TRACKS);
  g_autoptr(GtkSorter) by_title = GTK_SORTER (gtk_custom_sorter_new (cochlea_track_object_compare,
                                                                     GINT_TO_POINTER (COCHLEA_TRACK_SORT_TITLE), NULL));
  g_autoptr(GtkMultiSorter) sorter = gtk_multi_sorter_new ();
  g_autoptr(CochleaLibraryModel) model = NULL;
  g_autoptr(GtkSortListModel) reference = NULL;
  GtkCustomFilter *filter;
  GtkFilterListModel *filtered;

  /* An empty multi-sorter has no order: the loaded order. */
  model = cochlea_library_model_new (G_LIST_MODEL (store), GTK_SORTER (sorter));
  filter = gtk_custom_filter_new (reference_match, NULL, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (store)), GTK_FILTER (filter));
  reference = gtk_sort_list_model_new (G_LIST_MODEL (filtered), g_object_ref (GTK_SORTER (sorter)));
  assert_same_tracks (G_LIST_MODEL (model), G_LIST_MODEL (reference));

  for (int pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
        {
          g_autofree char *folded = g_utf8_casefold (typed[i], -1);

          g_free (filter_needle);
          filter_needle = g_strdup (folded);
          gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_DIFFERENT);
          cochlea_library_model_set_search (model, folded);
          assert_same_tracks (G_LIST_MODEL (model), G_LIST_MODEL (reference));
        }
      /* then sorted by title */
      gtk_multi_sorter_append (sorter, g_object_ref (by_title));
      assert_same_tracks (G_LIST_MODEL (model), G_LIST_MODEL (reference));
    }

  /* The library reloads: other objects, fewer of them. */
  {
    g_autoptr(GListStore) other = make_tracks (N_TRACKS / 2);
    g_autoptr(GPtrArray) objects = g_ptr_array_new ();

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (other)); i++)
      g_ptr_array_add (objects, g_list_model_get_item (G_LIST_MODEL (other), i));
    g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)), objects->pdata, objects->len);
    for (guint i = 0; i < objects->len; i++)
      g_object_unref (g_ptr_array_index (objects, i));
    assert_same_tracks (G_LIST_MODEL (model), G_LIST_MODEL (reference));
  }
}

/* A row stays the same object while the track it shows changes; only a
 * change in the number of rows is an items-changed, at the end. */
static void
test_rows_keep_identity (void)
{
  g_autoptr(GListStore) store = make_tracks (N_TRACKS);
  g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (cochlea_track_object_compare,
                                                                   GINT_TO_POINTER (COCHLEA_TRACK_SORT_TITLE), NULL));
  g_autoptr(CochleaLibraryModel) model = cochlea_library_model_new (G_LIST_MODEL (store), sorter);
  g_autoptr(CochleaTrackObject) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  CochleaTrackObject *shown_before = cochlea_track_object_get_track (first);
  g_autofree char *needle = g_utf8_casefold ("moon", -1);
  Counts counts = { 0 };
  guint n_before = g_list_model_get_n_items (G_LIST_MODEL (model));
  guint n_after;

  g_assert_cmpuint (n_before, ==, N_TRACKS);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &counts);
  g_signal_connect (model, "rows-changed", G_CALLBACK (rows_changed_cb), &counts);

  /* The first title sorts before "moon…", so the first row shows another track. */
  g_assert_false (cochlea_track_object_matches (shown_before, needle));
  cochlea_library_model_set_search (model, needle);
  n_after = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n_after, >, 0);
  g_assert_cmpuint (n_after, <, n_before);

  {
    g_autoptr(CochleaTrackObject) again = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_true (again == first);
    g_assert_true (cochlea_track_object_get_track (first) != shown_before);
    g_assert_true (cochlea_track_object_matches (first, needle));
    g_assert_true (cochlea_track_object_get_track (first) == cochlea_library_model_get_track (model, 0));
    g_assert_cmpstr (cochlea_track_object_get_title (first), ==,
                     cochlea_track_object_get_title (cochlea_library_model_get_track (model, 0)));
  }
  g_assert_cmpuint (counts.n_items_changed, ==, 1);
  g_assert_cmpuint (counts.last_position, ==, n_after);
  g_assert_cmpuint (counts.last_removed, ==, n_before - n_after);
  g_assert_cmpuint (counts.last_added, ==, 0);
  g_assert_cmpuint (counts.n_rows_changed, ==, 1);

  /* The same number of rows, other tracks: no items-changed at all. */
  counts = (Counts) { 0 };
  gtk_custom_sorter_set_sort_func (GTK_CUSTOM_SORTER (sorter), cochlea_track_object_compare,
                                   GINT_TO_POINTER (COCHLEA_TRACK_SORT_DURATION), NULL);
  g_assert_cmpuint (counts.n_items_changed, ==, 0);
  g_assert_cmpuint (counts.n_rows_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n_after);
  for (guint i = 1; i < n_after; i++)
    g_assert_cmpfloat (cochlea_track_object_get_duration (cochlea_library_model_get_track (model, i - 1)), <=,
                       cochlea_track_object_get_duration (cochlea_library_model_get_track (model, i)));

  /* Finding a track by itself or by its row. */
  g_assert_cmpuint (cochlea_library_model_find (model, first), ==, 0);
  g_assert_cmpuint (cochlea_library_model_find (model, shown_before), ==, G_MAXUINT);
}

/* A view that has built widgets for its first @cap rows, as GTK 4.8's list
 * view does (about 200) when it shows the top of the list. */
typedef struct
{
  CochleaLibraryModel *model;
  guint                cap;
  GArray              *changes;  /* guint triples: position, removed, added */
} FakeView;

static void
fake_built (gpointer user_data,
            guint   *first,
            guint   *end)
{
  FakeView *view = user_data;

  *first = 0;
  *end = MIN (g_list_model_get_n_items (G_LIST_MODEL (view->model)), view->cap);
}

static void
record_change_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  FakeView   *view)
{
  guint change[3] = { position, removed, added };

  g_array_append_vals (view->changes, change, 3);
}

#define CHANGE(view, i, field) g_array_index ((view)->changes, guint, 3 * (i) + (field))

/* Paced: rows the view has built go, and come, a step's worth at a time;
 * rows it has not built go, or come, at once; the tracks are the new ones
 * at once, and the rows end as GTK's own models would have them. */
static void
test_paced_changes (void)
{
  const guint cap = 200, pace = 24;
  g_autoptr(GListStore) store = make_tracks (N_TRACKS);
  g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (cochlea_track_object_compare,
                                                                   GINT_TO_POINTER (COCHLEA_TRACK_SORT_TITLE), NULL));
  g_autoptr(CochleaLibraryModel) model = cochlea_library_model_new (G_LIST_MODEL (store), sorter);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *needle = g_utf8_casefold ("MoonR", -1);
  FakeView view = { model, cap, changes };
  g_autoptr(GtkSortListModel) reference = NULL;
  GtkCustomFilter *filter;
  guint target, n_steps;

  cochlea_library_model_set_pace (model, pace, fake_built, &view);
  g_signal_connect (model, "items-changed", G_CALLBACK (record_change_cb), &view);
  filter = gtk_custom_filter_new (reference_match, NULL, NULL);
  reference = gtk_sort_list_model_new (G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (store)),
                                                                                GTK_FILTER (filter))),
                                       g_object_ref (sorter));

  /* Shrinking below the built rows. */
  g_free (filter_needle);
  filter_needle = g_strdup (needle);
  gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_DIFFERENT);
  cochlea_library_model_set_search (model, needle);
  target = cochlea_library_model_get_n_tracks (model);
  g_assert_cmpuint (target, ==, g_list_model_get_n_items (G_LIST_MODEL (reference)));
  g_assert_cmpuint (target, >, 0);
  g_assert_cmpuint (target, <, cap - pace);  /* the words make it so */
  g_assert_nonnull (cochlea_library_model_get_track (model, target - 1));
  g_assert_null (cochlea_library_model_get_track (model, target));
  g_assert_false (cochlea_library_model_is_settled (model));

  /* The rows never built went at once, then one step of the built ones. */
  g_assert_cmpuint (changes->len, ==, 2 * 3);
  g_assert_cmpuint (CHANGE (&view, 0, 0), ==, cap);
  g_assert_cmpuint (CHANGE (&view, 0, 1), ==, N_TRACKS - cap);
  g_assert_cmpuint (CHANGE (&view, 1, 0), ==, cap - pace);
  g_assert_cmpuint (CHANGE (&view, 1, 1), ==, pace);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, cap - pace);

  /* The rows past the tracks show the blank one until they go. */
  for (guint i = target; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(CochleaTrackObject) row = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpstr (cochlea_track_object_get_path (row), ==, "");
      g_assert_null (cochlea_library_model_get_track (model, i));
    }

  /* The next step is the frame that lays that one out: it takes none. */
  g_array_set_size (changes, 0);
  g_assert_true (cochlea_library_model_step (model));
  g_assert_cmpuint (changes->len, ==, 0);
  for (n_steps = 0; cochlea_library_model_step (model); n_steps++)
    ;
  g_assert_true (cochlea_library_model_is_settled (model));
  g_assert_cmpuint (changes->len / 3, ==, n_steps + 1);
  g_assert_cmpuint (changes->len / 3, ==, (cap - pace - target + pace - 1) / pace);
  for (guint i = 0; i < changes->len / 3; i++)
    {
      g_assert_cmpuint (CHANGE (&view, i, 0), >=, target);
      g_assert_cmpuint (CHANGE (&view, i, 1), <=, pace);
      g_assert_cmpuint (CHANGE (&view, i, 2), ==, 0);
    }
  assert_same_tracks (G_LIST_MODEL (model), G_LIST_MODEL (reference));

  /* Growing: a step's worth while the view builds every new row, then
   * the rest at once. */
  g_array_set_size (changes, 0);
  g_free (filter_needle);
  filter_needle = g_strdup ("");
  gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_LESS_STRICT);
  cochlea_library_model_set_search (model, "");
  g_assert_cmpuint (cochlea_library_model_get_n_tracks (model), ==, N_TRACKS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, target + pace);
  while (cochlea_library_model_step (model))
    ;
  g_assert_cmpuint (changes->len / 3, ==, (cap - target) / pace + 2);
  for (guint i = 0; i + 1 < changes->len / 3; i++)
    {
      g_assert_cmpuint (CHANGE (&view, i, 0), <=, cap);
      g_assert_cmpuint (CHANGE (&view, i, 1), ==, 0);
      g_assert_cmpuint (CHANGE (&view, i, 2), ==, pace);
    }
  g_assert_cmpuint (CHANGE (&view, changes->len / 3 - 1, 0), >, cap);
  g_assert_cmpuint (CHANGE (&view, changes->len / 3 - 1, 0) + CHANGE (&view, changes->len / 3 - 1, 2), ==, N_TRACKS);
  assert_same_tracks (G_LIST_MODEL (model), G_LIST_MODEL (reference));

  /* A view with nothing built: every change at once. */
  view.cap = 0;
  g_array_set_size (changes, 0);
  g_free (filter_needle);
  filter_needle = g_strdup (needle);
  gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_DIFFERENT);
  cochlea_library_model_set_search (model, needle);
  g_assert_true (cochlea_library_model_is_settled (model));
  g_assert_cmpuint (changes->len, ==, 3);
  assert_same_tracks (G_LIST_MODEL (model), G_LIST_MODEL (reference));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/library-rows/same-as-gtk-models", test_same_as_gtk_models);
  g_test_add_func ("/library-rows/rows-keep-identity", test_rows_keep_identity);
  g_test_add_func ("/library-rows/paced-changes", test_paced_changes);

  return g_test_run ();
}
