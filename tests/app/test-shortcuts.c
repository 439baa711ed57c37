/* test-shortcuts.c — issue 6 item 6: every keyboard shortcut the issue
 * lists is in the shortcuts window, with the accelerator that works
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "app-test-utils.h"
#include "cochlea-window-private.h"

static void
collect_shortcuts (GtkWidget  *widget,
                   GHashTable *accel_titles)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *title = NULL;

      g_object_get (widget, "accelerator", &accelerator, "title", &title, NULL);
      g_test_message ("shortcut \"%s\": %s", title, accelerator);
      if (accelerator != NULL)
        {
          g_auto(GStrv) accels = g_strsplit (accelerator, " ", -1);

          for (guint i = 0; accels[i] != NULL; i++)
            {
              guint key;
              GdkModifierType mods;

              /* normalised, so "<Primary>o" and "<Control>o" compare equal */
              if (gtk_accelerator_parse (accels[i], &key, &mods))
                g_hash_table_insert (accel_titles, gtk_accelerator_name (key, mods), g_strdup (title));
            }
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, accel_titles);
}

static void
test_listed_shortcuts (void)
{
  /* The list (item 6), and the action each one must trigger. */
  static const struct { const char *accel; const char *action; } wanted[] = {
    { "<Control>o", "win.open" },
    { "<Control><Shift>o", "win.import-folder" },
    { "space", "win.play-pause" },
    { "<Control>f", "win.search" },
    { "<Control>q", "app.quit" },
    { "<Control>question", "win.show-help-overlay" },
  };
  CochleaWindow *window = COCHLEA_WINDOW (app_test_present_window ());
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_autoptr(GHashTable) accel_titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_nonnull (overlay);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  app_test_wait_frames (GTK_WIDGET (overlay), 3);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (overlay)));
  collect_shortcuts (GTK_WIDGET (overlay), accel_titles);

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      guint key;
      GdkModifierType mods;
      g_autofree char *name = NULL;

      g_assert_true (gtk_accelerator_parse (wanted[i].accel, &key, &mods));
      name = gtk_accelerator_name (key, mods);
      g_test_message ("%s -> %s: shown as \"%s\"", wanted[i].accel, wanted[i].action,
                      (const char *) g_hash_table_lookup (accel_titles, name));
      /* shown in the shortcuts window */
      g_assert_true (g_hash_table_contains (accel_titles, name));

      /* and bound: application accelerators, or the window's own key
       * bindings (Space) */
      if (!g_str_equal (wanted[i].action, "win.play-pause"))
        {
          g_auto(GStrv) actions = gtk_application_get_actions_for_accel (app, wanted[i].accel);
          gboolean found = FALSE;

          for (guint a = 0; actions[a] != NULL; a++)
            found |= g_str_has_prefix (actions[a], wanted[i].action);
          g_assert_true (found);
        }
    }

  gtk_window_destroy (GTK_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  if (!app_test_init (&argc, &argv))
    return 0;

  g_test_add_func ("/app/shortcuts/listed", test_listed_shortcuts);
  return g_test_run ();
}
