/* cochlea-window-channels.c — hovering a channel of the activation view
 * shows its value and the songs in the library that excite it most.  The
 * per-song, per-channel means are computed lazily, on the first hover,
 * off the main thread (jobs/cochlea-channel-job.c), and kept until the
 * library or the network changes.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cochlea-activation-view.h"
#include "cochlea-track-object.h"
#include "cochlea-window-private.h"
#include "jobs/cochlea-channel-job.h"

#define N_TOP 3

static void build_index (CochleaWindow *self);

static const char *
hovered_layer_name (CochleaWindow *self)
{
  CochleaActivationMaps *maps = cochlea_activation_view_get_maps (COCHLEA_ACTIVATION_VIEW (self->activation_view));

  if (maps == NULL || self->hover_layer < 0 ||
      (guint) self->hover_layer >= cochlea_activation_maps_get_n_layers (maps))
    return NULL;
  return cochlea_activation_maps_get_layer (maps, (guint) self->hover_layer)->name;
}

/* The line under the activation view, from the hover and the index. */
void
_cochlea_window_channels_update_label (CochleaWindow *self)
{
  const char *layer_name = hovered_layer_name (self);
  g_autoptr(GString) text = NULL;
  guint n_tracks = g_list_model_get_n_items (G_LIST_MODEL (self->library));

  if (self->hover_channel < 0 || layer_name == NULL)
    {
      gtk_label_set_label (self->activation_info,
                           _("Hover over a channel to see its value and the songs in your library that excite it most"));
      return;
    }

  text = g_string_new (NULL);
  /* Translators: layer name, channel number, activation value */
  g_string_append_printf (text, _("%s, channel %d: %.3g here"), layer_name, self->hover_channel, self->hover_value);
  g_string_append (text, " · ");

  if (self->channel_index != NULL)
    {
      int layer = cochlea_channel_index_find_layer (self->channel_index, layer_name);
      CochleaChannelHit hits[N_TOP];
      guint n = 0;

      if (layer >= 0 && (guint) self->hover_channel < cochlea_channel_index_get_n_channels (self->channel_index, layer))
        n = cochlea_channel_index_top (self->channel_index, layer, self->hover_channel, N_TOP, hits);

      if (n == 0)
        g_string_append (text, _("No song in the library to compare"));
      else
        {
          g_autoptr(GString) songs = g_string_new (NULL);

          for (guint i = 0; i < n; i++)
            g_string_append_printf (songs, "%s%s (%.3g)", i ? ", " : "",
                                    cochlea_channel_index_get_title (self->channel_index, hits[i].track),
                                    hits[i].value);
          /* Translators: a list of songs with their mean activation */
          g_string_append_printf (text, _("most active in: %s"), songs->str);
        }
    }
  else if (n_tracks == 0)
    g_string_append (text, _("import songs to see which excite it most"));
  else
    {
      guint done = self->channel_done != NULL ? (guint) g_atomic_int_get (self->channel_done) : 0;

      /* Translators: songs analysed so far, songs in the library */
      g_string_append_printf (text, _("finding the songs that excite it most (%u of %u)…"),
                              MIN (done, n_tracks), n_tracks);
    }

  gtk_label_set_label (self->activation_info, text->str);
}

static gboolean
progress_cb (gpointer user_data)
{
  _cochlea_window_channels_update_label (COCHLEA_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
drop_index (CochleaWindow *self)
{
  g_cancellable_cancel (self->channel_cancellable);
  g_clear_object (&self->channel_cancellable);
  g_clear_handle_id (&self->channel_progress_id, g_source_remove);
  g_clear_pointer (&self->channel_index, cochlea_channel_index_unref);
  g_clear_pointer (&self->channel_model, cochlea_model_unref);
  g_clear_pointer (&self->channel_done, g_atomic_rc_box_release);
  self->channel_building = FALSE;
}

static void
index_built_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CochleaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CochleaChannelIndex *index = cochlea_channel_index_build_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->channel_building = FALSE;
  g_clear_handle_id (&self->channel_progress_id, g_source_remove);
  if (index == NULL)
    {
      cochlea_window_add_toast (self, error->message);
      return;
    }

  g_clear_pointer (&self->channel_index, cochlea_channel_index_unref);
  self->channel_index = index;
  _cochlea_window_channels_update_label (self);
}

static void
build_index (CochleaWindow *self)
{
  GListModel *library = G_LIST_MODEL (self->library);
  guint n = g_list_model_get_n_items (library);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_null_terminated (n, NULL, TRUE);
  g_autoptr(GPtrArray) titles = g_ptr_array_new_null_terminated (n, NULL, TRUE);
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->model == NULL || n == 0)
    return;

  drop_index (self);
  self->channel_cancellable = g_cancellable_new ();
  self->channel_model = cochlea_model_ref (self->model);
  self->channel_done = g_atomic_rc_box_new0 (guint);
  self->channel_building = TRUE;

  for (guint i = 0; i < n; i++)
    {
      CochleaTrackObject *track = g_list_model_get_item (library, i);

      g_ptr_array_add (objects, track);
      g_ptr_array_add (paths, (gpointer) cochlea_track_object_get_path (track));
      g_ptr_array_add (titles, (gpointer) cochlea_track_object_get_title (track));
    }

  cochlea_channel_index_build_async (self->model,
                                     (const char * const *) paths->pdata,
                                     (const char * const *) titles->pdata,
                                     n, self->channel_done, self->channel_cancellable,
                                     index_built_cb, g_object_ref (self));
  self->channel_progress_id = g_timeout_add (250, progress_cb, self);
}

static void
channel_hovered_cb (CochleaWindow         *self,
                    int                    layer,
                    int                    channel,
                    double                 value,
                    CochleaActivationView *view)
{
  self->hover_layer = layer;
  self->hover_channel = channel;
  self->hover_value = value;

  /* First hover, or the network changed: work out the songs now. */
  if (channel >= 0 && self->model != NULL && !self->channel_building &&
      (self->channel_index == NULL || self->channel_model != self->model))
    build_index (self);

  _cochlea_window_channels_update_label (self);
}

/* New songs in the library: the old means no longer cover it. */
static void
library_changed_cb (CochleaWindow *self,
                    guint          position,
                    guint          removed,
                    guint          added,
                    GListModel    *library)
{
  if (removed == 0 && added == 0)
    return;
  drop_index (self);
  if (self->hover_channel >= 0)
    _cochlea_window_channels_update_label (self);
}

/* The line only means something under a network's activations. */
static void
activation_page_changed_cb (CochleaWindow *self,
                            GParamSpec    *pspec,
                            GtkStack      *stack)
{
  gtk_widget_set_visible (GTK_WIDGET (self->activation_info),
                          g_strcmp0 (gtk_stack_get_visible_child_name (stack), "view") == 0);
}

void
_cochlea_window_channels_init (CochleaWindow *self)
{
  self->hover_layer = -1;
  self->hover_channel = -1;
  g_signal_connect_object (self->activation_view, "channel-hovered",
                           G_CALLBACK (channel_hovered_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->library, "items-changed",
                           G_CALLBACK (library_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->activation_stack, "notify::visible-child-name",
                           G_CALLBACK (activation_page_changed_cb), self, G_CONNECT_SWAPPED);
  activation_page_changed_cb (self, NULL, self->activation_stack);
  _cochlea_window_channels_update_label (self);
}

void
_cochlea_window_channels_dispose (CochleaWindow *self)
{
  drop_index (self);
}
