/* cochlea-window-actions.c — win.* actions
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cochlea-window-private.h"

static void
chooser_response_cb (CochleaWindow        *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);
      guint n = g_list_model_get_n_items (files);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));

      cochlea_window_open_files (self, (GFile **) array->pdata, (int) array->len);
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
}

static void
show_chooser (CochleaWindow        *self,
              const char           *title,
              GtkFileChooserAction  action,
              const char           *accept_label)
{
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }

  self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action,
                                               accept_label, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  if (action == GTK_FILE_CHOOSER_ACTION_OPEN)
    {
      g_autoptr(GtkFileFilter) audio = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

      gtk_file_filter_set_name (audio, _("Audio Files"));
      gtk_file_filter_add_mime_type (audio, "audio/*");
      gtk_file_filter_set_name (all, _("All Files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), audio);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
    }

  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  show_chooser (COCHLEA_WINDOW (widget), _("Open a Song"),
                GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));
}

static void
import_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  show_chooser (COCHLEA_WINDOW (widget), _("Import a Folder"),
                GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Import"));
}

static void
play_pause_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  CochleaWindow *self = COCHLEA_WINDOW (widget);

  cochlea_player_toggle (self->player);
}

static void
seek_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CochleaWindow *self = COCHLEA_WINDOW (widget);
  double offset = g_variant_get_double (param);

  cochlea_player_seek (self->player, cochlea_player_get_position (self->player) + offset);
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  _cochlea_window_skip (COCHLEA_WINDOW (widget));
}

static void
generate_demo_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  _cochlea_window_generate_default_demo (COCHLEA_WINDOW (widget));
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  _cochlea_window_cancel_import (COCHLEA_WINDOW (widget));
}

static void
reset_targets_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  _cochlea_window_similar_clear_targets (COCHLEA_WINDOW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CochleaWindow *self = COCHLEA_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->main_stack, "content");
  adw_view_stack_set_visible_child_name (self->view_stack, "library");
  gtk_widget_grab_focus (GTK_WIDGET (self->library_search));
}

void
_cochlea_window_update_actions (CochleaWindow *self)
{
  gboolean have_track = self->file != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.play-pause", have_track);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.seek", have_track);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.skip", have_track);
  gtk_widget_set_sensitive (GTK_WIDGET (self->like_button), have_track);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-import", self->import_cancellable != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.generate-demo", self->import_cancellable == NULL);
  _cochlea_window_playlists_update_actions (self);
}

void
_cochlea_window_class_actions_init (CochleaWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.import-folder", NULL, import_folder_action);
  gtk_widget_class_install_action (widget_class, "win.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "win.seek", "d", seek_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "win.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "win.generate-demo", NULL, generate_demo_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.reset-targets", NULL, reset_targets_action);

  /* Bubble phase: a focused entry or button still gets Space first. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.play-pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.seek", "d", -10.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.seek", "d", 10.0);
}
