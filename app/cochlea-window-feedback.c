/* cochlea-window-feedback.c — plays, skips, completions and likes go to
 * the catalogue (off the main thread), unless private mode is on
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cochlea-window-private.h"
#include "jobs/cochlea-feedback-job.h"
#include "jobs/cochlea-recommend-job.h"

static void
recorded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CochleaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->feedback_pending--;
  if (!cochlea_feedback_record_finish (result, &error) && error != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cochlea_window_add_toast (self, error->message);
}

/**
 * _cochlea_window_record:
 *
 * Records @kind for the track shown at the current position.  Private mode
 * (the setting, or the catalogue's own flag) records nothing; neither does
 * a song that is not in the library.
 */
void
_cochlea_window_record (CochleaWindow    *self,
                        CochleaEventKind  kind)
{
  g_autofree char *path = NULL;

  if (self->file == NULL || g_settings_get_boolean (self->settings, "private-mode"))
    return;
  if ((path = g_file_get_path (self->file)) == NULL)
    return;

  self->feedback_pending++;
  cochlea_feedback_record_async (self->catalogue_path, path, kind,
                                 cochlea_player_get_position (self->player),
                                 NULL, recorded_cb, g_object_ref (self));
}

static void
like_toggled_cb (CochleaWindow   *self,
                 GtkToggleButton *button)
{
  gboolean liked = gtk_toggle_button_get_active (button);

  gtk_widget_set_tooltip_text (GTK_WIDGET (button), liked ? _("Liked") : _("Like"));
  _cochlea_window_record (self, liked ? COCHLEA_EVENT_LIKE : COCHLEA_EVENT_UNLIKE);
}

static void
player_eos_cb (CochleaWindow *self,
               CochleaPlayer *player)
{
  _cochlea_window_record (self, COCHLEA_EVENT_COMPLETE);
}

/* A new track: not liked yet, and one play recorded. */
void
_cochlea_window_feedback_track_changed (CochleaWindow *self)
{
  g_signal_handlers_block_by_func (self->like_button, like_toggled_cb, self);
  gtk_toggle_button_set_active (self->like_button, FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->like_button), _("Like"));
  g_signal_handlers_unblock_by_func (self->like_button, like_toggled_cb, self);

  _cochlea_window_record (self, COCHLEA_EVENT_PLAY);
}

/* Skip: record it (before 30 s the catalogue counts it against the song),
 * then play the most similar song, if there is one. */
void
_cochlea_window_skip (CochleaWindow *self)
{
  const CochleaSimilarSong *next = NULL;
  g_autoptr(GFile) file = NULL;

  _cochlea_window_record (self, COCHLEA_EVENT_SKIP);

  if (self->similar != NULL && self->similar->len > 0)
    next = g_ptr_array_index (self->similar, 0);

  if (next == NULL)
    {
      cochlea_player_pause (self->player);
      cochlea_player_seek (self->player, 0);
      return;
    }

  file = g_file_new_for_path (next->path);
  _cochlea_window_open_track (self, file);
}

void
_cochlea_window_feedback_init (CochleaWindow *self)
{
  g_signal_connect_object (self->like_button, "toggled",
                           G_CALLBACK (like_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->player, "eos",
                           G_CALLBACK (player_eos_cb), self, G_CONNECT_SWAPPED);
}
