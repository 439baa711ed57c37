/* cochlea-library-model.c — the library's sorted, searched list of rows
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why not GtkFilterListModel + GtkSortListModel: in GTK 4.8 a list view
 * keeps its row widgets only for items it has seen before.  A search that
 * changes which tracks are at the top of the list made GtkColumnView
 * destroy the rows it had built (about a hundred, seven cells each) and
 * build new ones for the new items: 25–35 ms of main-thread CPU per
 * keystroke with 10 000 tracks, 0.2 % of it the filter itself
 * (docs/performance.md).
 *
 * This model's items are *rows* (cochlea_track_object_new_row()) that keep
 * their identity: row i shows the i-th track of the sorted, searched list
 * and is simply given another track when the search or the order changes.
 * Only a change in the *number* of rows is an items-changed (at the end of
 * the list); that the rows kept show other tracks is the ::rows-changed
 * signal, on which the library page sets the text of the cells it has
 * bound.  A keystroke then costs the search over precomputed casefolded
 * text (strstr over 10 000 strings; only over the rows still shown when
 * the text grew) and re-setting the text of the bound cells.
 *
 * Sorting is the column view's sorter over the tracks, once per change of
 * the sorter; searching keeps that order and never sorts.
 *
 * Paced changes (cochlea_library_model_set_pace ()).  A change in the
 * number of rows still costs GTK 4.8 dearly where the view has built
 * widgets: it builds up to ~200 rows, so a keystroke that took the list
 * from 528 rows to 35 destroyed ~170 rows of widgets in one items-changed
 * (168 M instructions, callgrind), and the keystroke back built them again
 * (407 M).  A paced model changes the number of rows a step at a time
 * where the view has widgets, and at once where it has none: rows past
 * the new end that the view has not built go at once, those it has built
 * go a step's worth per step from the end (showing the blank track until
 * then); new rows come a step's worth per step while the view builds
 * widgets for all of them, and all the rest at once as soon as it does
 * not.  The tracks (cochlea_library_model_get_n_tracks (), _get_track (),
 * _find ()) are always those of the latest change; only the rows lag.
 */
#define G_LOG_DOMAIN "cochlea-library"

#include "config.h"

#include "cochlea-library-model.h"

struct _CochleaLibraryModel
{
  GObject     parent_instance;

  /* Owned */
  GListModel *tracks;   /* CochleaTrackObject, as loaded */
  GtkSorter  *sorter;   /* the column view's */
  GPtrArray  *sorted;   /* CochleaTrackObject (ref): the tracks in the sorter's order */
  GPtrArray  *shown;    /* borrowed from sorted: the ones matching the search, same order */
  GPtrArray  *rows;     /* CochleaTrackObject rows (NULL until asked for), one per item: row i shows
                         * shown[i], or blank past the end of shown while a paced change lasts */
  char       *needle;   /* casefolded search text, "" for everything */
  CochleaTrackObject *blank;  /* what rows past the shown tracks show until they go */

  /* State */
  gboolean    updating; /* inside items-changed */
  gboolean    stepped;  /* the latest change took its first step itself */
  guint       pace;     /* rows a step adds or removes among the built ones; 0: all at once */
  CochleaLibraryBuiltFunc built;
  gpointer    built_data;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CochleaLibraryModel, cochlea_library_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  ROWS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
cochlea_library_model_get_item_type (GListModel *model)
{
  return COCHLEA_TYPE_TRACK_OBJECT;
}

static guint
cochlea_library_model_get_n_items (GListModel *model)
{
  return COCHLEA_LIBRARY_MODEL (model)->rows->len;
}

/* What row @position shows. */
static CochleaTrackObject *
track_at (CochleaLibraryModel *self,
          guint                position)
{
  return position < self->shown->len ? g_ptr_array_index (self->shown, position) : self->blank;
}

static gpointer
cochlea_library_model_get_item (GListModel *model,
                                guint       position)
{
  CochleaLibraryModel *self = COCHLEA_LIBRARY_MODEL (model);
  CochleaTrackObject *row;

  if (position >= self->rows->len)
    return NULL;

  row = g_ptr_array_index (self->rows, position);
  if (row == NULL)
    {
      row = cochlea_track_object_new_row (track_at (self, position));
      self->rows->pdata[position] = row;
    }
  return g_object_ref (row);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cochlea_library_model_get_item_type;
  iface->get_n_items = cochlea_library_model_get_n_items;
  iface->get_item = cochlea_library_model_get_item;
}

static void
unref_row (gpointer row)
{
  if (row != NULL)
    g_object_unref (row);
}

static int
compare_tracks_cb (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  CochleaLibraryModel *self = user_data;

  return gtk_sorter_compare (self->sorter, *(gpointer *) a, *(gpointer *) b);
}

/* The tracks in the sorter's order (the loaded order when it has none). */
static void
sort_tracks (CochleaLibraryModel *self)
{
  guint n = g_list_model_get_n_items (self->tracks);

  g_ptr_array_set_size (self->sorted, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->sorted, g_list_model_get_item (self->tracks, i));

  /* g_ptr_array_sort_with_data is a stable merge sort, as GtkSortListModel
   * is stable. */
  if (gtk_sorter_get_order (self->sorter) != GTK_SORTER_ORDER_NONE)
    g_ptr_array_sort_with_data (self->sorted, compare_tracks_cb, self);
}

static void
search_all (CochleaLibraryModel *self)
{
  g_ptr_array_set_size (self->shown, 0);
  for (guint i = 0; i < self->sorted->len; i++)
    {
      CochleaTrackObject *track = g_ptr_array_index (self->sorted, i);

      if (cochlea_track_object_matches (track, self->needle))
        g_ptr_array_add (self->shown, track);
    }
}

/* A longer search text only drops rows: look only at those shown. */
static void
search_shown (CochleaLibraryModel *self)
{
  guint kept = 0;

  for (guint i = 0; i < self->shown->len; i++)
    {
      CochleaTrackObject *track = g_ptr_array_index (self->shown, i);

      if (cochlea_track_object_matches (track, self->needle))
        self->shown->pdata[kept++] = track;
    }
  g_ptr_array_set_size (self->shown, kept);
}

/* Removes the rows from @from to the end, or adds rows up to @n (made
 * when asked for). */
static void
set_n_rows (CochleaLibraryModel *self,
            guint                n)
{
  guint old_n = self->rows->len;

  if (n == old_n)
    return;
  /* Rows past the new end go (the view still holds those it shows until it
   * has seen the items-changed). */
  g_ptr_array_set_size (self->rows, n);
  self->updating = TRUE;
  if (n < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), n, old_n - n, 0);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, n - old_n);
  self->updating = FALSE;
}

/* One step of a paced change (see the top of the file); TRUE when more
 * steps are needed. */
static gboolean
step (CochleaLibraryModel *self)
{
  guint target = self->shown->len;
  guint n = self->rows->len;
  guint first = 0, end = 0;

  if (n == target)
    return FALSE;
  if (self->pace == 0 || self->built == NULL)
    {
      set_n_rows (self, target);
      return FALSE;
    }

  self->built (self->built_data, &first, &end);
  end = MIN (end, n);

  if (n > target)
    {
      /* The view looks only at rows that go: nothing to keep. */
      if (end <= first || first >= target)
        {
          set_n_rows (self, target);
          return FALSE;
        }
      /* Those it has not built go at once, then a step's worth of the
       * built ones. */
      set_n_rows (self, MAX (target, end));
      set_n_rows (self, MAX (target, self->rows->len > self->pace ? self->rows->len - self->pace : 0));
    }
  else if (end < n)
    /* The view has built all it will: the rest cost nothing now. */
    set_n_rows (self, target);
  else
    set_n_rows (self, MIN (target, n + self->pace));

  return self->rows->len != target;
}

/* Gives the rows made so far their new tracks (the blank one past the
 * shown tracks), changes the number of rows (when paced, a first step: a
 * small change is then done at once), then emits ::rows-changed for the
 * rows kept that now show another track (always emitted, with 0 rows when
 * none did, so that the selection can follow its track). */
static void
update_rows (CochleaLibraryModel *self)
{
  guint first = G_MAXUINT, last = 0;

  for (guint i = 0; i < self->rows->len; i++)
    {
      CochleaTrackObject *row = g_ptr_array_index (self->rows, i);
      CochleaTrackObject *track = track_at (self, i);

      if (row != NULL && cochlea_track_object_get_track (row) != track)
        {
          cochlea_track_object_set_row_track (row, track);
          first = MIN (first, i);
          last = i;
        }
    }

  /* The next cochlea_library_model_step () (the next frame's) lays out
   * this step rather than taking another. */
  self->stepped = step (self);

  if (first == G_MAXUINT || first >= self->rows->len)
    g_signal_emit (self, signals[ROWS_CHANGED], 0, 0, 0);
  else
    g_signal_emit (self, signals[ROWS_CHANGED], 0, first, MIN (last + 1, self->rows->len) - first);
}

static void
resort (CochleaLibraryModel *self)
{
  sort_tracks (self);
  search_all (self);
  update_rows (self);
}

static void
tracks_changed_cb (CochleaLibraryModel *self,
                   guint                position,
                   guint                removed,
                   guint                added,
                   GListModel          *tracks)
{
  resort (self);
}

static void
sorter_changed_cb (CochleaLibraryModel *self,
                   GtkSorterChange      change,
                   GtkSorter           *sorter)
{
  resort (self);
}

static void
cochlea_library_model_dispose (GObject *object)
{
  CochleaLibraryModel *self = COCHLEA_LIBRARY_MODEL (object);

  if (self->tracks != NULL)
    g_signal_handlers_disconnect_by_data (self->tracks, self);
  if (self->sorter != NULL)
    g_signal_handlers_disconnect_by_data (self->sorter, self);
  g_clear_object (&self->tracks);
  g_clear_object (&self->sorter);

  G_OBJECT_CLASS (cochlea_library_model_parent_class)->dispose (object);
}

static void
cochlea_library_model_finalize (GObject *object)
{
  CochleaLibraryModel *self = COCHLEA_LIBRARY_MODEL (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->sorted, g_ptr_array_unref);
  g_clear_pointer (&self->needle, g_free);
  g_clear_object (&self->blank);

  G_OBJECT_CLASS (cochlea_library_model_parent_class)->finalize (object);
}

static void
cochlea_library_model_class_init (CochleaLibraryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cochlea_library_model_dispose;
  object_class->finalize = cochlea_library_model_finalize;

  /**
   * CochleaLibraryModel::rows-changed:
   * @position: the first row that shows another track
   * @n_rows: how many rows from @position on may show another track (0:
   *   none did)
   *
   * Emitted after every change of the tracks, the order or the search,
   * after the items-changed (if the number of rows changed).
   */
  signals[ROWS_CHANGED] =
    g_signal_new ("rows-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
cochlea_library_model_init (CochleaLibraryModel *self)
{
  self->sorted = g_ptr_array_new_with_free_func (g_object_unref);
  self->shown = g_ptr_array_new ();
  self->rows = g_ptr_array_new_with_free_func (unref_row);
  self->needle = g_strdup ("");
  self->blank = cochlea_track_object_new (&(CochleaTrack) { .path = (char *) "" });
}

/**
 * cochlea_library_model_new:
 * @tracks: a #GListModel of #CochleaTrackObject
 * @sorter: the order (a column view's sorter)
 *
 * Returns: (transfer full): @tracks in @sorter's order, searched with
 *   cochlea_library_model_set_search(), as rows.
 */
CochleaLibraryModel *
cochlea_library_model_new (GListModel *tracks,
                           GtkSorter  *sorter)
{
  CochleaLibraryModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (tracks), NULL);
  g_return_val_if_fail (GTK_IS_SORTER (sorter), NULL);

  self = g_object_new (COCHLEA_TYPE_LIBRARY_MODEL, NULL);
  self->tracks = g_object_ref (tracks);
  self->sorter = g_object_ref (sorter);
  g_signal_connect_swapped (tracks, "items-changed", G_CALLBACK (tracks_changed_cb), self);
  g_signal_connect_swapped (sorter, "changed", G_CALLBACK (sorter_changed_cb), self);

  sort_tracks (self);
  search_all (self);
  g_ptr_array_set_size (self->rows, self->shown->len);
  return self;
}

CochleaTrackObject *
cochlea_library_model_get_track (CochleaLibraryModel *self,
                                 guint                position)
{
  g_return_val_if_fail (COCHLEA_IS_LIBRARY_MODEL (self), NULL);

  if (position >= self->shown->len)
    return NULL;
  return g_ptr_array_index (self->shown, position);
}

/* The number of tracks the latest change shows (the rows may lag while a
 * paced change lasts). */
guint
cochlea_library_model_get_n_tracks (CochleaLibraryModel *self)
{
  g_return_val_if_fail (COCHLEA_IS_LIBRARY_MODEL (self), 0);

  return self->shown->len;
}

/**
 * cochlea_library_model_set_pace:
 * @rows_per_step: how many of the rows @built says the view has widgets
 *   for a step adds or removes; 0 changes the rows at once (the default)
 * @built: (nullable): says which rows the view has built, [*first, *end)
 *
 * Makes changes in the number of rows paced: a change takes its first
 * step at once, the others come from cochlea_library_model_step (), the
 * first call of which after a change takes none (a frame apart from the
 * change's own; the top of the file says how).
 */
void
cochlea_library_model_set_pace (CochleaLibraryModel     *self,
                                guint                    rows_per_step,
                                CochleaLibraryBuiltFunc  built,
                                gpointer                 user_data)
{
  g_return_if_fail (COCHLEA_IS_LIBRARY_MODEL (self));

  self->pace = rows_per_step;
  self->built = built;
  self->built_data = user_data;
}

/**
 * cochlea_library_model_step:
 *
 * Takes the next step of a paced change, if one lasts.
 *
 * Returns: TRUE while more steps are needed
 */
gboolean
cochlea_library_model_step (CochleaLibraryModel *self)
{
  g_return_val_if_fail (COCHLEA_IS_LIBRARY_MODEL (self), FALSE);

  if (self->stepped)
    {
      self->stepped = FALSE;
      return self->rows->len != self->shown->len;
    }
  return step (self);
}

/* Whether the rows are those of the latest change (no paced change lasts). */
gboolean
cochlea_library_model_is_settled (CochleaLibraryModel *self)
{
  g_return_val_if_fail (COCHLEA_IS_LIBRARY_MODEL (self), TRUE);

  return self->rows->len == self->shown->len;
}

guint
cochlea_library_model_find (CochleaLibraryModel *self,
                            CochleaTrackObject  *track)
{
  g_return_val_if_fail (COCHLEA_IS_LIBRARY_MODEL (self), G_MAXUINT);

  if (track == NULL)
    return G_MAXUINT;
  track = cochlea_track_object_get_track (track);
  for (guint i = 0; i < self->shown->len; i++)
    if (g_ptr_array_index (self->shown, i) == track)
      return i;
  return G_MAXUINT;
}

/**
 * cochlea_library_model_is_updating:
 *
 * Whether the model is emitting items-changed: a selection model over it
 * may then drop or move its selection, which the library page restores
 * on ::rows-changed.
 */
gboolean
cochlea_library_model_is_updating (CochleaLibraryModel *self)
{
  g_return_val_if_fail (COCHLEA_IS_LIBRARY_MODEL (self), FALSE);

  return self->updating;
}

/**
 * cochlea_library_model_set_search:
 * @needle_casefolded: (nullable): g_utf8_casefold() of the search text
 *
 * Shows only the tracks whose title, artist, album or file name contains
 * the text, in the same order.
 */
void
cochlea_library_model_set_search (CochleaLibraryModel *self,
                                  const char          *needle_casefolded)
{
  gboolean stricter;

  g_return_if_fail (COCHLEA_IS_LIBRARY_MODEL (self));

  if (needle_casefolded == NULL)
    needle_casefolded = "";
  if (g_str_equal (needle_casefolded, self->needle))
    return;

  stricter = g_str_has_prefix (needle_casefolded, self->needle);
  g_free (self->needle);
  self->needle = g_strdup (needle_casefolded);

  if (stricter)
    search_shown (self);
  else
    search_all (self);
  update_rows (self);
}
