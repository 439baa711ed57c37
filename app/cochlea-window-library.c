/* cochlea-window-library.c — the library page (a sortable, searchable
 * GtkColumnView over the catalogue) and folder import with progress
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cochlea-library-cell.h"
#include "cochlea-library-model.h"
#include "cochlea-track-object.h"
#include "cochlea-window-private.h"
#include "jobs/cochlea-demo-job.h"

typedef enum
{
  COLUMN_TITLE,
  COLUMN_ARTIST,
  COLUMN_ALBUM,
  COLUMN_DURATION,
  COLUMN_TEMPO,
  COLUMN_KEY,
  COLUMN_ENERGY,
} Column;

/* A column sorts by the track's key of the same index. */
G_STATIC_ASSERT ((int) COLUMN_TITLE == (int) COCHLEA_TRACK_SORT_TITLE &&
                 (int) COLUMN_ARTIST == (int) COCHLEA_TRACK_SORT_ARTIST &&
                 (int) COLUMN_ALBUM == (int) COCHLEA_TRACK_SORT_ALBUM &&
                 (int) COLUMN_DURATION == (int) COCHLEA_TRACK_SORT_DURATION &&
                 (int) COLUMN_TEMPO == (int) COCHLEA_TRACK_SORT_TEMPO &&
                 (int) COLUMN_KEY == (int) COCHLEA_TRACK_SORT_KEY &&
                 (int) COLUMN_ENERGY == (int) COCHLEA_TRACK_SORT_ENERGY);

static gboolean
column_is_numeric (Column column)
{
  return column == COLUMN_DURATION || column == COLUMN_TEMPO || column == COLUMN_ENERGY;
}

/* "A minor", "C♯ major"; "—" when there is no key. */
static char *
format_key (int key,
            int mode)
{
  static const char *note_names[12] = { "C", "C♯", "D", "E♭", "E", "F", "F♯", "G", "A♭", "A", "B♭", "B" };

  if (key < 0 || key > 11)
    return g_strdup ("—");
  if (mode == 1)
    /* Translators: a musical key, %s is the note name, e.g. "A major" */
    return g_strdup_printf (_("%s major"), note_names[key]);
  if (mode == 0)
    /* Translators: a musical key, %s is the note name, e.g. "A minor" */
    return g_strdup_printf (_("%s minor"), note_names[key]);
  return g_strdup (note_names[key]);
}

static char *
format_duration (double seconds)
{
  gint64 s = (gint64) MAX (seconds + 0.5, 0);

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (s / 3600), (int) (s / 60 % 60), (int) (s % 60));
  return g_strdup_printf ("%d:%02d", (int) (s / 60), (int) (s % 60));
}

/* Rows the library list adds or removes per frame where the column view
 * has built widgets for them (cochlea-library-model.c says why): about
 * 0.7 M instructions a row to destroy, 2 M to build (callgrind). */
#define LIBRARY_ROWS_PER_FRAME 24

/* A column's factory data: the window keeps the cells it has bound, to
 * give them new text when their row shows another track. */
typedef struct
{
  CochleaWindow *window;  /* (unowned): owns the factory */
  Column         column;
} ColumnData;

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  Column column = ((ColumnData *) user_data)->column;
  GtkWidget *label;

  /* Sized by character counts, not the text, so binding a row to another
   * track does not re-measure it; all the cells share one Pango context
   * (cochlea-library-cell.c says why). */
  if (column == COLUMN_KEY)
    label = cochlea_library_cell_new (0, 9, FALSE);
  else if (column_is_numeric (column))
    label = cochlea_library_cell_new (5, column == COLUMN_TEMPO ? 8 : 7, TRUE);
  else
    label = cochlea_library_cell_new (0, 24, FALSE);
  gtk_list_item_set_child (item, label);
}

static void
set_cell_text (CochleaWindow *self,
               GtkListItem   *item,
               Column         column)
{
  CochleaTrackObject *track = gtk_list_item_get_item (item);
  CochleaLibraryCell *label = COCHLEA_LIBRARY_CELL (gtk_list_item_get_child (item));
  g_autofree char *duration = NULL;
  g_autofree char *text = NULL;
  double value;

  /* A row past the tracks shown, about to go (a paced change). */
  if (gtk_list_item_get_position (item) >= cochlea_library_model_get_n_tracks (self->library_model))
    {
      cochlea_library_cell_set_text (label, NULL);
      return;
    }

  switch (column)
    {
    case COLUMN_TITLE:
      cochlea_library_cell_set_text (label, cochlea_track_object_get_title (track));
      break;

    case COLUMN_ARTIST:
      cochlea_library_cell_set_text (label, cochlea_track_object_get_artist (track));
      break;

    case COLUMN_ALBUM:
      cochlea_library_cell_set_text (label, cochlea_track_object_get_album (track));
      break;

    case COLUMN_DURATION:
      duration = format_duration (cochlea_track_object_get_duration (track));
      cochlea_library_cell_set_text (label, duration);
      break;

    case COLUMN_TEMPO:
      value = cochlea_track_object_get_tempo (track);
      /* Translators: a tempo in beats per minute, e.g. "120 BPM" */
      text = isnan (value) ? g_strdup ("—") : g_strdup_printf (_("%.0f BPM"), value);
      cochlea_library_cell_set_text (label, text);
      break;

    case COLUMN_KEY:
      text = format_key (cochlea_track_object_get_key (track), cochlea_track_object_get_mode (track));
      cochlea_library_cell_set_text (label, text);
      break;

    case COLUMN_ENERGY:
      value = cochlea_track_object_get_energy (track);
      text = isnan (value) ? g_strdup ("—") : g_strdup_printf ("%.2f", value);
      cochlea_library_cell_set_text (label, text);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  ColumnData *data = user_data;

  set_cell_text (data->window, item, data->column);
  if (data->window->library_cells != NULL)
    g_hash_table_insert (data->window->library_cells, item, GINT_TO_POINTER (data->column));
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  ColumnData *data = user_data;

  if (data->window->library_cells != NULL)
    g_hash_table_remove (data->window->library_cells, item);
}

static void
add_column (CochleaWindow *self,
            const char    *title,
            Column         column,
            gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;
  GtkSorter *sorter;
  ColumnData *data = g_new0 (ColumnData, 1);

  data->window = self;
  data->column = column;
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), data);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), data);
  g_signal_connect_data (factory, "unbind", G_CALLBACK (unbind_cell_cb), data,
                         (GClosureNotify) (void (*) (void)) g_free, 0);

  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);

  /* Keys computed off the main thread when the objects were made: sorting
   * 10 000 rows is then strcmp()s, not 10 000 collation keys. */
  sorter = GTK_SORTER (gtk_custom_sorter_new (cochlea_track_object_compare,
                                              GINT_TO_POINTER ((CochleaTrackSort) column), NULL));
  gtk_column_view_column_set_sorter (view_column, sorter);
  g_object_unref (sorter);

  gtk_column_view_append_column (self->library_view, view_column);
  g_object_unref (view_column);
}

/* The rows the column view has built widgets for: those bound (GTK 4.8
 * binds every row widget it has). */
static void
get_built_rows (gpointer  user_data,
                guint    *first,
                guint    *end)
{
  CochleaWindow *self = user_data;
  GHashTableIter iter;
  gpointer item;

  *first = G_MAXUINT;
  *end = 0;
  g_hash_table_iter_init (&iter, self->library_cells);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      guint row = gtk_list_item_get_position (item);

      if (row == GTK_INVALID_LIST_POSITION)
        continue;
      *first = MIN (*first, row);
      *end = MAX (*end, row + 1);
    }
  if (*first == G_MAXUINT)
    *first = 0;
}

/* The selection goes where its track is (or goes, if the search hid it);
 * a track whose row a paced change has not added yet is selected when it
 * comes. */
static void
follow_selection (CochleaWindow *self)
{
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (self->library_view));
  guint want;

  if (self->library_selected == NULL && gtk_single_selection_get_selected (selection) == GTK_INVALID_LIST_POSITION)
    return;
  want = cochlea_library_model_find (self->library_model, self->library_selected);
  if (want >= g_list_model_get_n_items (G_LIST_MODEL (selection)))
    want = GTK_INVALID_LIST_POSITION;
  if (gtk_single_selection_get_selected (selection) != want)
    gtk_single_selection_set_selected (selection, want);
}

static gboolean
library_step_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  CochleaWindow *self = user_data;
  gboolean more = cochlea_library_model_step (self->library_model);

  follow_selection (self);
  if (more)
    return G_SOURCE_CONTINUE;
  self->library_step_id = 0;
  return G_SOURCE_REMOVE;
}

/* A paced change of the number of rows goes on a step per frame. */
static void
ensure_library_steps (CochleaWindow *self)
{
  if (self->library_step_id == 0 && !cochlea_library_model_is_settled (self->library_model))
    self->library_step_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->library_view),
                                                          library_step_cb, self, NULL);
}

static void
search_changed_cb (CochleaWindow  *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_free (self->search_casefolded);
  self->search_casefolded = g_utf8_casefold (text, -1);
  cochlea_library_model_set_search (self->library_model, self->search_casefolded);
}

/* The selected track, kept while the model moves rows under it. */
static void
selection_changed_cb (CochleaWindow      *self,
                      GParamSpec         *pspec,
                      GtkSingleSelection *selection)
{
  guint position = gtk_single_selection_get_selected (selection);
  CochleaTrackObject *track = NULL;

  if (cochlea_library_model_is_updating (self->library_model))
    return;
  /* A row past the tracks (a paced change removes it in a moment) is not
   * a track to play or add to a playlist. */
  if (position != GTK_INVALID_LIST_POSITION &&
      position >= cochlea_library_model_get_n_tracks (self->library_model))
    {
      gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
      return;
    }
  /* Unselected while its track waits for its row (a paced change). */
  if (position == GTK_INVALID_LIST_POSITION && self->library_selected != NULL)
    {
      guint want = cochlea_library_model_find (self->library_model, self->library_selected);

      if (want != G_MAXUINT && want >= g_list_model_get_n_items (G_LIST_MODEL (selection)))
        return;
    }
  if (position != GTK_INVALID_LIST_POSITION)
    track = cochlea_library_model_get_track (self->library_model, position);
  g_set_object (&self->library_selected, track);
}

/* Rows that now show another track get its text, the selection moves to
 * where its track went (or goes, if the search hid it), and a search that
 * matches nothing says so instead of leaving a blank list. */
static void
rows_changed_cb (CochleaWindow       *self,
                 guint                position,
                 guint                n_rows,
                 CochleaLibraryModel *model)
{
  GHashTableIter iter;
  gpointer item, column;

  if (n_rows > 0)
    {
      g_hash_table_iter_init (&iter, self->library_cells);
      while (g_hash_table_iter_next (&iter, &item, &column))
        {
          guint row = gtk_list_item_get_position (item);

          if (row >= position && row - position < n_rows)
            set_cell_text (self, item, GPOINTER_TO_INT (column));
        }
    }

  follow_selection (self);

  gtk_widget_set_visible (GTK_WIDGET (self->library_no_match),
                          cochlea_library_model_get_n_tracks (model) == 0 &&
                          g_list_model_get_n_items (G_LIST_MODEL (self->library)) > 0);
  ensure_library_steps (self);
}

static void
row_activated_cb (CochleaWindow *self,
                  guint          position,
                  GtkColumnView *view)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (view));
  g_autoptr(CochleaTrackObject) track = g_list_model_get_item (model, position);
  g_autoptr(GFile) file = NULL;

  if (track == NULL || position >= cochlea_library_model_get_n_tracks (self->library_model))
    return;

  file = g_file_new_for_path (cochlea_track_object_get_path (track));
  _cochlea_window_open_track (self, file);
}


void
_cochlea_window_library_init (CochleaWindow *self)
{
  GtkSingleSelection *selection;

  self->catalogue_path = cochlea_catalogue_dup_default_path ();
  self->library = g_list_store_new (COCHLEA_TYPE_TRACK_OBJECT);
  self->library_cancellable = g_cancellable_new ();

  add_column (self, _("Title"), COLUMN_TITLE, TRUE);
  add_column (self, _("Artist"), COLUMN_ARTIST, TRUE);
  add_column (self, _("Album"), COLUMN_ALBUM, TRUE);
  add_column (self, _("Duration"), COLUMN_DURATION, FALSE);
  add_column (self, _("Tempo"), COLUMN_TEMPO, FALSE);
  add_column (self, _("Key"), COLUMN_KEY, FALSE);
  add_column (self, _("Energy"), COLUMN_ENERGY, FALSE);

  /* Rows that keep their widgets while the search and the order change
   * (cochlea-library-model.c says why). */
  self->library_cells = g_hash_table_new (NULL, NULL);
  self->library_model = cochlea_library_model_new (G_LIST_MODEL (self->library),
                                                   gtk_column_view_get_sorter (self->library_view));
  cochlea_library_model_set_pace (self->library_model, LIBRARY_ROWS_PER_FRAME, get_built_rows, self);
  g_signal_connect_object (self->library_model, "rows-changed",
                           G_CALLBACK (rows_changed_cb), self, G_CONNECT_SWAPPED);
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->library_model)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->library_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->library_search));
  g_signal_connect_object (self->library_search, "search-changed",
                           G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library_view, "activate",
                           G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
}

/* On a narrow window the library keeps the columns one picks a song by
 * (title, artist, duration); album, tempo, key and energy come back when
 * the window widens (and the view scrolls sideways if even three do not
 * fit). */
void
_cochlea_window_library_set_narrow (CochleaWindow *self,
                                    gboolean       narrow)
{
  GListModel *columns = gtk_column_view_get_columns (self->library_view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      gboolean wanted = i == COLUMN_TITLE || i == COLUMN_ARTIST || i == COLUMN_DURATION;

      gtk_column_view_column_set_visible (column, wanted || !narrow);
    }
}

void
_cochlea_window_library_dispose (CochleaWindow *self)
{
  g_cancellable_cancel (self->library_cancellable);
  g_cancellable_cancel (self->import_cancellable);
  g_clear_handle_id (&self->import_timeout_id, g_source_remove);
  g_clear_pointer (&self->import_status, cochlea_import_progress_unref);
  g_clear_pointer (&self->demo_done, g_atomic_rc_box_release);
  g_clear_pointer (&self->demo_dir, g_free);
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->library_cancellable);
  if (self->library_step_id != 0 && self->library_view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->library_view), self->library_step_id);
  self->library_step_id = 0;
  /* The column view (disposed after this) keeps the model alive a little
   * longer, and its sorter changes while it goes. */
  if (self->library_model != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->library_model, self);
      cochlea_library_model_set_pace (self->library_model, 0, NULL, NULL);
    }
  if (self->library_view != NULL && gtk_column_view_get_model (self->library_view) != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_model (self->library_view), self);
  g_clear_pointer (&self->library_cells, g_hash_table_unref);
  g_clear_object (&self->library_selected);
  g_clear_object (&self->library_model);
  g_clear_object (&self->library);
  g_clear_pointer (&self->search_casefolded, g_free);
  g_clear_pointer (&self->catalogue_path, g_free);
}

static void
library_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CochleaWindow) self = user_data;
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GError) error = NULL;

  /* CochleaTrackObjects, made by the worker: one splice here. */
  objects = cochlea_library_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->library_loading = FALSE;

  if (objects == NULL)
    {
      cochlea_window_add_toast (self, error->message);
      return;
    }

  g_list_store_splice (self->library, 0, g_list_model_get_n_items (G_LIST_MODEL (self->library)),
                       objects->pdata, objects->len);

  /* With songs in the library, the window opens on it rather than on the
   * empty state. */
  if (objects->len > 0 &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "empty") == 0)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "content");
      adw_view_stack_set_visible_child_name (self->view_stack, "library");
    }
}

void
_cochlea_window_library_reload (CochleaWindow *self)
{
  g_cancellable_cancel (self->library_cancellable);
  g_clear_object (&self->library_cancellable);
  self->library_cancellable = g_cancellable_new ();
  self->library_loading = TRUE;
  /* Reloading means the catalogue changed: so does the Similar page's index. */
  _cochlea_window_similar_library_changed (self);

  cochlea_library_load_async (self->catalogue_path, self->library_cancellable,
                              library_loaded_cb, g_object_ref (self));
}

static gboolean
import_tick_cb (gpointer user_data)
{
  CochleaWindow *self = user_data;
  CochleaImportStats stats;
  double elapsed;
  guint done;
  g_autofree char *text = NULL;

  cochlea_import_progress_get (self->import_status, &stats, &elapsed);
  done = stats.n_added + stats.n_failed;
  /* Songs analysed and stored so far are candidates for similar songs. */
  if (stats.n_added != self->similar_import_added)
    {
      self->similar_import_added = stats.n_added;
      _cochlea_window_similar_library_changed (self);
    }

  if (stats.walking || stats.n_queued == 0)
    {
      gtk_progress_bar_pulse (self->import_progress);
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Looking for songs… %u found",
                                           "Looking for songs… %u found",
                                           stats.n_found),
                              stats.n_found);
    }
  else
    {
      double fraction = (double) done / stats.n_queued;
      double remaining = done > 0 ? elapsed / done * (stats.n_queued - done) : -1;

      gtk_progress_bar_set_fraction (self->import_progress, fraction);
      if (remaining >= 60)
        /* Translators: songs analysed, songs to analyse, minutes left */
        text = g_strdup_printf (_("Analysing %u of %u songs · about %.0f min left"),
                                done, stats.n_queued, remaining / 60);
      else if (remaining >= 0)
        text = g_strdup_printf (_("Analysing %u of %u songs · about %.0f s left"),
                                done, stats.n_queued, remaining);
      else
        text = g_strdup_printf (_("Analysing %u of %u songs"), done, stats.n_queued);
    }

  gtk_label_set_label (self->import_label, text);
  return G_SOURCE_CONTINUE;
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CochleaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CochleaImportStats stats = { 0 };

  if (self->library == NULL)
    return;  /* disposed */

  g_clear_handle_id (&self->import_timeout_id, g_source_remove);
  g_clear_pointer (&self->import_status, cochlea_import_progress_unref);
  g_clear_object (&self->import_cancellable);
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
  _cochlea_window_update_actions (self);

  if (!cochlea_library_import_finish (result, &stats, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cochlea_window_add_toast (self, _("Import cancelled; run it again to continue where it stopped"));
      else
        cochlea_window_add_toast (self, error->message);
      _cochlea_window_library_reload (self);
      return;
    }

  {
    g_autofree char *message = NULL;

    if (stats.n_failed > 0)
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Added %u song; %u could not be read",
                                              "Added %u songs; %u could not be read",
                                              stats.n_added),
                                 stats.n_added, stats.n_failed);
    else if (stats.n_added == 0 && stats.n_found == 0)
      message = g_strdup (_("No audio files found in that folder"));
    else
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Added %u song",
                                              "Added %u songs",
                                              stats.n_added),
                                 stats.n_added);
    cochlea_window_add_toast (self, message);
  }

  gtk_stack_set_visible_child_name (self->main_stack, "content");
  adw_view_stack_set_visible_child_name (self->view_stack, "library");
  _cochlea_window_library_reload (self);
  /* The playing song may have new neighbours now. */
  _cochlea_window_similar_update (self);
}

/**
 * _cochlea_window_import_folder:
 *
 * Adds the audio files under @folder to the catalogue with the engine's
 * importer (parallel, resumable), showing progress, an estimate of the time
 * left and a Cancel button; the library reloads when it is done.
 */
void
_cochlea_window_import_folder (CochleaWindow *self,
                               GFile         *folder)
{
  if (self->import_cancellable != NULL)
    {
      cochlea_window_add_toast (self, _("An import is already running"));
      return;
    }

  self->import_cancellable = g_cancellable_new ();
  self->import_status = cochlea_import_progress_new ();
  self->similar_import_added = 0;

  gtk_progress_bar_set_fraction (self->import_progress, 0);
  gtk_label_set_label (self->import_label, _("Looking for songs…"));
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);
  self->import_timeout_id = g_timeout_add (250, import_tick_cb, self);
  _cochlea_window_update_actions (self);

  cochlea_library_import_async (self->catalogue_path, folder, self->import_status,
                                self->import_cancellable, import_done_cb, g_object_ref (self));
}

void
_cochlea_window_cancel_import (CochleaWindow *self)
{
  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
}

/* The demo library */

#define DEMO_SONGS   24
#define DEMO_SECONDS 30.0

static gboolean
demo_tick_cb (gpointer user_data)
{
  CochleaWindow *self = user_data;
  guint done = g_atomic_int_get (self->demo_done);
  g_autofree char *text = g_strdup_printf (_("Composing demo songs… %u of %u"), done, self->demo_total);

  gtk_progress_bar_set_fraction (self->import_progress, (double) done / MAX (self->demo_total, 1));
  gtk_label_set_label (self->import_label, text);
  return G_SOURCE_CONTINUE;
}

static void
demo_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CochleaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;

  if (self->library == NULL)
    return;  /* disposed */

  g_clear_handle_id (&self->import_timeout_id, g_source_remove);
  g_clear_pointer (&self->demo_done, g_atomic_rc_box_release);
  g_clear_object (&self->import_cancellable);
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
  _cochlea_window_update_actions (self);

  if (!cochlea_demo_generate_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cochlea_window_add_toast (self, _("Demo library cancelled; generate it again to finish it"));
      else
        cochlea_window_add_toast (self, error->message);
      return;
    }

  /* Then into the library like any folder. */
  folder = g_file_new_for_path (self->demo_dir);
  _cochlea_window_import_folder (self, folder);
}

/**
 * _cochlea_window_generate_demo:
 *
 * Composes @n_songs songs of @seconds with the engine's generator into
 * $XDG_DATA_HOME/cochlea/demo (the same songs every time; finished ones are
 * kept), then imports them, so the app is useful without music of one's own.
 */
void
_cochlea_window_generate_demo (CochleaWindow *self,
                               guint          n_songs,
                               double         seconds)
{
  if (self->import_cancellable != NULL)
    {
      cochlea_window_add_toast (self, _("An import is already running"));
      return;
    }

  g_free (self->demo_dir);
  self->demo_dir = g_build_filename (g_get_user_data_dir (), "cochlea", "demo", NULL);
  self->demo_total = n_songs;
  self->demo_done = g_atomic_rc_box_new0 (guint);
  self->import_cancellable = g_cancellable_new ();

  gtk_progress_bar_set_fraction (self->import_progress, 0);
  demo_tick_cb (self);
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);
  self->import_timeout_id = g_timeout_add (250, demo_tick_cb, self);
  _cochlea_window_update_actions (self);

  cochlea_demo_generate_async (self->demo_dir, n_songs, seconds, self->demo_done,
                               self->import_cancellable, demo_done_cb, g_object_ref (self));
}

void
_cochlea_window_generate_default_demo (CochleaWindow *self)
{
  _cochlea_window_generate_demo (self, DEMO_SONGS, DEMO_SECONDS);
}
