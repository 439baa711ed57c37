/* test-library-search.c — the library page's search in the window: the
 * cells show the tracks their rows now stand for, and the selection follows
 * its track (CochleaLibraryModel keeps rows, so neither comes for free);
 * the cells share the column view's Pango context and their size does not
 * depend on their text (CochleaLibraryCell)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "app-test-utils.h"
#include "cochlea-library-cell.h"
#include "cochlea-window-private.h"

static void
collect_texts (GtkWidget *widget,
               GPtrArray *texts)
{
  if (COCHLEA_IS_LIBRARY_CELL (widget) && gtk_widget_get_mapped (widget) &&
      cochlea_library_cell_get_text (COCHLEA_LIBRARY_CELL (widget)) != NULL)
    g_ptr_array_add (texts, g_strdup (cochlea_library_cell_get_text (COCHLEA_LIBRARY_CELL (widget))));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static void
collect_cells (GtkWidget *widget,
               GPtrArray *cells)
{
  if (COCHLEA_IS_LIBRARY_CELL (widget))
    g_ptr_array_add (cells, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_cells (child, cells);
}

static gboolean
shows_text (CochleaWindow *window,
            const char    *text)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  collect_texts (GTK_WIDGET (window->library_view), texts);
  return g_ptr_array_find_with_equal_func (texts, text, g_str_equal, NULL);
}

static void
search (CochleaWindow *window,
        const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (window->library_search), text);
  g_signal_emit_by_name (window->library_search, "search-changed");
  app_test_wait_frames (GTK_WIDGET (window), 3);
}

static const char *
selected_name (CochleaWindow *window)
{
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (window->library_view));
  CochleaTrackObject *row = gtk_single_selection_get_selected_item (selection);

  return row != NULL ? cochlea_track_object_get_title (row) : NULL;
}

static void
select_title (CochleaWindow *window,
              const char    *title)
{
  GtkSelectionModel *model = gtk_column_view_get_model (window->library_view);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(CochleaTrackObject) row = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (g_str_equal (cochlea_track_object_get_title (row), title))
        {
          gtk_selection_model_select_item (model, i, TRUE);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
test_search_cells_and_selection (void)
{
  CochleaWindow *window = COCHLEA_WINDOW (app_test_present_window ());
  g_autofree char *dir = app_test_import_songs (GTK_WIDGET (window), 3);

  adw_view_stack_set_visible_child_name (window->view_stack, "library");
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  app_test_wait_frames (GTK_WIDGET (window), 5);
  g_assert_true (shows_text (window, "song-0"));
  g_assert_true (shows_text (window, "song-2"));

  /* The cells lay their text out with the column view's Pango context:
   * none has one of its own ("gtk-pango-context" is where GTK 4.8 keeps a
   * widget's; a GtkInscription or GtkLabel makes one as it is created). */
  {
    g_autoptr(GPtrArray) cells = g_ptr_array_new ();
    PangoContext *shared = gtk_widget_get_pango_context (GTK_WIDGET (window->library_view));

    collect_cells (GTK_WIDGET (window->library_view), cells);
    g_assert_cmpuint (cells->len, >=, 3 * 7);
    for (guint i = 0; i < cells->len; i++)
      {
        g_assert_true (cochlea_library_cell_get_context (g_ptr_array_index (cells, i)) == shared);
        g_assert_null (g_object_get_data (g_ptr_array_index (cells, i), "gtk-pango-context"));
      }
  }

  select_title (window, "song-2");
  g_assert_cmpstr (selected_name (window), ==, "song-2");

  /* song-2 moves to the first row, which showed song-0: the row's cells
   * say song-2 now, and the selection went with it. */
  search (window, "song-2");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (window->library_view))), ==, 1);
  g_assert_true (shows_text (window, "song-2"));
  g_assert_false (shows_text (window, "song-0"));
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (window->library_view))), ==, 0);
  g_assert_cmpstr (selected_name (window), ==, "song-2");

  /* and back */
  search (window, "");
  g_assert_true (shows_text (window, "song-0"));
  g_assert_cmpstr (selected_name (window), ==, "song-2");
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (window->library_view))), ==, 2);

  /* A search that hides the selected song drops the selection. */
  search (window, "song-1");
  g_assert_null (selected_name (window));
  g_assert_true (shows_text (window, "song-1"));
  g_assert_false (shows_text (window, "song-2"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A cell's size comes from character counts, never from its text: giving
 * a row another track does not lay the list out again. */
static void
test_cell_size_ignores_text (void)
{
  GtkWidget *cell = g_object_ref_sink (cochlea_library_cell_new (5, 24, FALSE));
  GtkWidget *numeric = g_object_ref_sink (cochlea_library_cell_new (5, 8, TRUE));
  int min, nat, min2, nat2, height, height2;

  gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  gtk_widget_measure (cell, GTK_ORIENTATION_VERTICAL, -1, &height, NULL, NULL, NULL);
  g_assert_cmpint (min, >, 0);
  g_assert_cmpint (nat, >, min);
  g_assert_cmpint (height, >, 0);

  cochlea_library_cell_set_text (COCHLEA_LIBRARY_CELL (cell),
                                 "A title far longer than the twenty-four characters the column asks for");
  g_assert_cmpstr (cochlea_library_cell_get_text (COCHLEA_LIBRARY_CELL (cell)), ==,
                   "A title far longer than the twenty-four characters the column asks for");
  gtk_widget_measure (cell, GTK_ORIENTATION_HORIZONTAL, -1, &min2, &nat2, NULL, NULL);
  gtk_widget_measure (cell, GTK_ORIENTATION_VERTICAL, -1, &height2, NULL, NULL, NULL);
  g_assert_cmpint (min2, ==, min);
  g_assert_cmpint (nat2, ==, nat);
  g_assert_cmpint (height2, ==, height);

  /* Character counts: 8 characters are narrower than 24, 5 the same. */
  gtk_widget_measure (numeric, GTK_ORIENTATION_HORIZONTAL, -1, &min2, &nat2, NULL, NULL);
  g_assert_cmpint (min2, ==, min);
  g_assert_cmpint (nat2, <, nat);

  g_object_unref (numeric);
  g_object_unref (cell);
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/library-search/cells-and-selection", test_search_cells_and_selection);
  g_test_add_func ("/app/library-search/cell-size-ignores-text", test_cell_size_ignores_text);
  return g_test_run ();
}
