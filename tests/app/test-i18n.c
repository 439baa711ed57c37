/* test-i18n.c — LANGUAGE=de gives German strings, from the .mo files the
 * po/ build puts under the build dir
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <locale.h>

#include "app-test-utils.h"
#include "cochlea-window-private.h"

static void
test_catalogue (void)
{
  /* Strings from C, from a .ui template, and a plural. */
  g_assert_cmpstr (_("Drop a song or a folder"), ==, "Ziehen Sie ein Lied oder einen Ordner hierher");
  g_assert_cmpstr (_("Could not analyse this file"), !=, "Could not analyse this file");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "Added %u song", "Added %u songs", 3), ==, "%u Lieder hinzugefügt");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "Added %u song", "Added %u songs", 1), ==, "%u Lied hinzugefügt");
}

static void
test_window_in_german (void)
{
  CochleaWindow *window;

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return;
    }

  window = cochlea_window_new (app_test_application ());
  g_assert_cmpstr (adw_status_page_get_title (window->empty_page), ==,
                   "Ziehen Sie ein Lied oder einen Ordner hierher");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->open_button)), ==,
                   "Ein Lied öffnen");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = g_build_filename (g_getenv ("COCHLEA_BUILD_ROOT"), "po", NULL);
  g_autofree char *mo = g_build_filename (localedir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("COCHLEA_AUDIO_SINK", "fakesink", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    {
      g_print ("1..0 # SKIP %s was not built\n", mo);
      return 0;
    }

  g_test_add_func ("/app/i18n/catalogue", test_catalogue);
  g_test_add_func ("/app/i18n/window", test_window_in_german);

  return g_test_run ();
}
