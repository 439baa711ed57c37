/* cochlea-window-dnd.c — files and folders dropped anywhere on the window
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-window"

#include "config.h"

#include "cochlea-window-private.h"

static gboolean
drop_cb (CochleaWindow *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  g_autoptr(GPtrArray) files = NULL;
  GSList *list;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  list = gdk_file_list_get_files (g_value_get_boxed (value));
  files = g_ptr_array_new ();
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);  /* borrowed from the value */
  g_slist_free (list);

  if (files->len == 0)
    return FALSE;

  /* Same path as Open and open-with. */
  cochlea_window_open_files (self, (GFile **) files->pdata, (int) files->len);
  return TRUE;
}

void
_cochlea_window_dnd_init (CochleaWindow *self)
{
  GtkDropTarget *target;

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
  self->drop_target = target;
}
