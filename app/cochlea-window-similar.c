/* cochlea-window-similar.c — the "Similar" page: songs from the library
 * most like the one playing, each compared with it on the radar chart
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cochlea-radar-chart.h"
#include "cochlea-target-sliders.h"
#include "cochlea-window-private.h"
#include "jobs/cochlea-recommend-job.h"

#define N_SIMILAR 10

/* The radar's default axes, in its order, as catalogue attributes. */
static const CochleaAttribute radar_attrs[] = {
  COCHLEA_ATTR_TEMPO, COCHLEA_ATTR_ENERGY, COCHLEA_ATTR_DANCEABILITY, COCHLEA_ATTR_VALENCE,
  COCHLEA_ATTR_ACOUSTICNESS, COCHLEA_ATTR_INSTRUMENTALNESS, COCHLEA_ATTR_SPEECHINESS,
  COCHLEA_ATTR_LIVENESS, COCHLEA_ATTR_LOUDNESS,
};

static void
attrs_to_radar (const double *attrs,
                double       *values)
{
  for (guint i = 0; i < G_N_ELEMENTS (radar_attrs); i++)
    {
      double v = attrs[radar_attrs[i]];

      if (radar_attrs[i] == COCHLEA_ATTR_TEMPO)
        values[i] = cochlea_radar_normalize_tempo (v);
      else if (radar_attrs[i] == COCHLEA_ATTR_LOUDNESS)
        values[i] = cochlea_radar_normalize_loudness (v);
      else
        values[i] = isnan (v) ? 0 : CLAMP (v, 0, 1);
    }
}

/* The inverse of attrs_to_radar for a dragged target. */
static double
radar_to_attr (CochleaAttribute attr,
               double           value)
{
  if (attr == COCHLEA_ATTR_TEMPO)
    return 40.0 + 180.0 * value;
  if (attr == COCHLEA_ATTR_LOUDNESS)
    return 60.0 * value - 60.0;
  return value;
}

static void
collect_targets (CochleaWindow *self,
                 double        *targets)
{
  CochleaRadarChart *radar = COCHLEA_RADAR_CHART (self->radar);
  const double *radar_targets = cochlea_radar_chart_get_targets (radar);
  guint n_axes = cochlea_radar_chart_get_n_axes (radar);

  for (guint a = 0; a < COCHLEA_N_ATTRIBUTES; a++)
    targets[a] = NAN;
  for (guint i = 0; radar_targets != NULL && i < MIN (n_axes, G_N_ELEMENTS (radar_attrs)); i++)
    if (!isnan (radar_targets[i]))
      targets[radar_attrs[i]] = radar_to_attr (radar_attrs[i], radar_targets[i]);
}

static void
show_candidate (CochleaWindow *self,
                int            index)
{
  CochleaRadarChart *radar = COCHLEA_RADAR_CHART (self->radar);
  double values[G_N_ELEMENTS (radar_attrs)];

  if (index < 0 || self->similar == NULL || (guint) index >= self->similar->len)
    {
      cochlea_radar_chart_set_candidate_values (radar, NULL, 0);
      return;
    }

  {
    const CochleaSimilarSong *song = g_ptr_array_index (self->similar, index);

    attrs_to_radar (song->attrs, values);
    cochlea_radar_chart_set_candidate_values (radar, values, G_N_ELEMENTS (values));
    cochlea_radar_chart_set_candidate_label (radar, song->title);
  }
}

static void
row_selected_cb (CochleaWindow *self,
                 GtkListBoxRow *row,
                 GtkListBox    *list)
{
  show_candidate (self, row != NULL ? gtk_list_box_row_get_index (row) : -1);
}

static void
row_activated_cb (CochleaWindow *self,
                  GtkListBoxRow *row,
                  GtkListBox    *list)
{
  int index = gtk_list_box_row_get_index (row);
  const CochleaSimilarSong *song;
  g_autoptr(GFile) file = NULL;

  if (self->similar == NULL || index < 0 || (guint) index >= self->similar->len)
    return;

  song = g_ptr_array_index (self->similar, index);
  file = g_file_new_for_path (song->path);
  _cochlea_window_open_track (self, file);
}

static GtkWidget *
make_row (const CochleaSimilarSong *song)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *score = gtk_label_new (NULL);
  g_autofree char *escaped_title = g_markup_escape_text (song->title, -1);
  g_autofree char *text = g_strdup_printf ("%.2f", song->score);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);  /* ellipsize, never break inside a word */
  if (song->artist != NULL && *song->artist != '\0')
    {
      g_autofree char *escaped_artist = g_markup_escape_text (song->artist, -1);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_artist);
    }
  gtk_label_set_label (GTK_LABEL (score), text);
  gtk_widget_add_css_class (score, "numeric");
  gtk_widget_add_css_class (score, "dim-label");
  gtk_widget_set_tooltip_text (score, _("Similarity score: higher is closer"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), score);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static void
clear_rows (CochleaWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->similar_list))) != NULL)
    gtk_list_box_remove (self->similar_list, child);
  g_clear_pointer (&self->similar, g_ptr_array_unref);
}

static void
similar_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CochleaWindow) self = user_data;
  g_autoptr(GPtrArray) songs = NULL;
  g_autoptr(GError) error = NULL;

  songs = cochlea_recommend_job_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->similar_running = FALSE;
  clear_rows (self);

  if (songs == NULL)
    {
      gtk_label_set_label (self->similar_label, error->message);
      return;
    }

  if (songs->len == 0)
    {
      gtk_label_set_label (self->similar_label,
                           _("No similar songs yet: import a folder of music to compare this song with"));
      return;
    }

  gtk_label_set_label (self->similar_label,
                       _("Songs in your library most like this one; select one to compare them, "
                         "drag a vertex of this song or move a slider to ask for more or less of that"));
  for (guint i = 0; i < songs->len; i++)
    gtk_list_box_append (self->similar_list, make_row (g_ptr_array_index (songs, i)));

  self->similar = g_steal_pointer (&songs);
  self->similar_generation++;
  gtk_list_box_select_row (self->similar_list, gtk_list_box_get_row_at_index (self->similar_list, 0));
}

/**
 * _cochlea_window_similar_update:
 *
 * Looks for songs like the analysed track in the catalogue (off the main
 * thread) and shows its attributes on the radar.
 */
void
_cochlea_window_similar_update (CochleaWindow *self)
{
  CochleaRadarChart *radar = COCHLEA_RADAR_CHART (self->radar);
  g_autoptr(CochleaFeatures) features = NULL;
  g_autofree char *path = NULL;
  double values[G_N_ELEMENTS (radar_attrs)];
  double targets[COCHLEA_N_ATTRIBUTES];
  const char *title;

  g_cancellable_cancel (self->similar_cancellable);
  g_clear_object (&self->similar_cancellable);
  self->similar_cancellable = g_cancellable_new ();
  self->similar_running = FALSE;
  clear_rows (self);
  show_candidate (self, -1);

  if (self->analysis == NULL || self->file == NULL || (path = g_file_get_path (self->file)) == NULL)
    {
      cochlea_radar_chart_set_input_values (radar, NULL, 0);
      cochlea_target_sliders_set_values (COCHLEA_TARGET_SLIDERS (self->sliders), NULL, 0);
      gtk_label_set_label (self->similar_label, _("Play a song to see similar songs from your library"));
      return;
    }

  features = cochlea_features_from_analysis (self->analysis);
  attrs_to_radar (features->attrs, values);
  title = gtk_label_get_label (self->title_label);
  cochlea_radar_chart_set_input_values (radar, values, G_N_ELEMENTS (values));
  cochlea_target_sliders_set_values (COCHLEA_TARGET_SLIDERS (self->sliders), values, G_N_ELEMENTS (values));
  cochlea_radar_chart_set_input_label (radar, title);
  gtk_label_set_label (self->similar_label, _("Looking for similar songs…"));

  collect_targets (self, targets);
  self->similar_running = TRUE;
  /* Loaded by the first job, then shared until the library changes. */
  if (self->index_cache == NULL)
    self->index_cache = cochlea_index_cache_new (self->catalogue_path);
  cochlea_recommend_job_run_async (self->index_cache, path, g_steal_pointer (&features),
                                   self->analysis->tags.artist, targets, N_SIMILAR,
                                   self->similar_cancellable, similar_done_cb, g_object_ref (self));
}

static gboolean
rerank_timeout_cb (gpointer user_data)
{
  CochleaWindow *self = user_data;

  self->rerank_id = 0;
  _cochlea_window_similar_update (self);
  return G_SOURCE_REMOVE;
}

static void
update_reset_action (CochleaWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reset-targets",
                                 cochlea_target_sliders_get_has_targets (COCHLEA_TARGET_SLIDERS (self->sliders)));
}

/* Dragging a vertex or moving a slider steers the recommendations: the
 * radar holds the targets, the sliders mirror them, and the list is
 * re-ranked (off the main thread) shortly after the last move rather than
 * on every motion event. */
static void
targets_changed_cb (CochleaWindow     *self,
                    guint              axis,
                    double             value,
                    CochleaRadarChart *radar)
{
  CochleaTargetSliders *sliders = COCHLEA_TARGET_SLIDERS (self->sliders);

  if (axis == G_MAXUINT)
    cochlea_target_sliders_clear_targets (sliders);
  else if (axis < cochlea_target_sliders_get_n_axes (sliders))
    cochlea_target_sliders_set_target (sliders, axis, value);
  update_reset_action (self);

  if (self->analysis == NULL)
    return;

  g_clear_handle_id (&self->rerank_id, g_source_remove);
  self->rerank_id = g_timeout_add (100, rerank_timeout_cb, self);
}

static void
slider_target_changed_cb (CochleaWindow        *self,
                          guint                 axis,
                          double                value,
                          CochleaTargetSliders *sliders)
{
  cochlea_radar_chart_set_target (COCHLEA_RADAR_CHART (self->radar), axis, value);
}

/* What a slider's value means, in the attribute's own unit. */
static char *
format_target_cb (guint    axis,
                  double   value,
                  gpointer user_data)
{
  if (axis >= G_N_ELEMENTS (radar_attrs))
    return g_strdup_printf ("%.2f", value);
  return cochlea_attribute_format (radar_attrs[axis], radar_to_attr (radar_attrs[axis], value));
}

/* A new song starts with no targets. */
void
_cochlea_window_similar_reset_targets (CochleaWindow *self)
{
  g_clear_handle_id (&self->rerank_id, g_source_remove);
  g_signal_handlers_block_by_func (self->radar, targets_changed_cb, self);
  cochlea_radar_chart_clear_targets (COCHLEA_RADAR_CHART (self->radar));
  g_signal_handlers_unblock_by_func (self->radar, targets_changed_cb, self);
  cochlea_target_sliders_clear_targets (COCHLEA_TARGET_SLIDERS (self->sliders));
  update_reset_action (self);
}

/**
 * _cochlea_window_similar_clear_targets:
 *
 * Reset: forgets every target (radar and sliders) and re-ranks by the song
 * alone.
 */
void
_cochlea_window_similar_clear_targets (CochleaWindow *self)
{
  cochlea_radar_chart_clear_targets (COCHLEA_RADAR_CHART (self->radar));
}

/**
 * _cochlea_window_similar_library_changed:
 *
 * Tracks were added to, re-analysed in or removed from the catalogue: the
 * next recommendation loads the index again (in its worker).
 */
void
_cochlea_window_similar_library_changed (CochleaWindow *self)
{
  if (self->index_cache != NULL)
    cochlea_index_cache_invalidate (self->index_cache);
}

void
_cochlea_window_similar_init (CochleaWindow *self)
{
  guint n_axes;
  const char * const *axes = cochlea_radar_chart_get_default_axes (&n_axes);

  g_assert (n_axes == G_N_ELEMENTS (radar_attrs));

  self->similar_cancellable = g_cancellable_new ();
  self->radar = cochlea_radar_chart_new ();
  cochlea_radar_chart_set_axis_labels (COCHLEA_RADAR_CHART (self->radar), axes);
  adw_bin_set_child (self->radar_bin, self->radar);

  self->sliders = cochlea_target_sliders_new ();
  cochlea_target_sliders_set_axis_labels (COCHLEA_TARGET_SLIDERS (self->sliders), axes);
  cochlea_target_sliders_set_format_func (COCHLEA_TARGET_SLIDERS (self->sliders),
                                          format_target_cb, NULL, NULL);
  adw_bin_set_child (self->sliders_bin, self->sliders);
  g_signal_connect_object (self->sliders, "target-changed",
                           G_CALLBACK (slider_target_changed_cb), self, G_CONNECT_SWAPPED);
  update_reset_action (self);

  g_signal_connect_object (self->radar, "targets-changed",
                           G_CALLBACK (targets_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->similar_list, "row-selected",
                           G_CALLBACK (row_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->similar_list, "row-activated",
                           G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  gtk_label_set_label (self->similar_label, _("Play a song to see similar songs from your library"));
}

void
_cochlea_window_similar_dispose (CochleaWindow *self)
{
  g_clear_handle_id (&self->rerank_id, g_source_remove);
  g_cancellable_cancel (self->similar_cancellable);
  g_clear_object (&self->similar_cancellable);
  g_clear_pointer (&self->similar, g_ptr_array_unref);
  g_clear_pointer (&self->index_cache, cochlea_index_cache_unref);
}
