/* main.c — the thin entry point of the graphical app
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <gtk/gtk.h>
#include <locale.h>

#include "cochlea-application.h"
#include "cochlea-memory-policy.h"

/* --help and --version need no display. */
static gboolean
wants_local_only (int    argc,
                  char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--help") ||
          g_str_equal (argv[i], "-h") ||
          g_str_has_prefix (argv[i], "--help-") ||
          g_str_equal (argv[i], "--version"))
        return TRUE;
    }
  return FALSE;
}

static gboolean
have_display (void)
{
  const char *x11 = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");
  const char *backend = g_getenv ("GDK_BACKEND");

  /* Broadway and friends are chosen explicitly and need neither variable. */
  if ((x11 == NULL || *x11 == '\0') &&
      (wayland == NULL || *wayland == '\0') &&
      (backend == NULL || *backend == '\0'))
    return FALSE;

  return gtk_init_check ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CochleaApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!wants_local_only (argc, argv) && !have_display ())
    {
      g_printerr ("%s\n", _("cochlea: no graphical display found (DISPLAY and WAYLAND_DISPLAY are unset or unusable); "
                            "start it in a desktop session, or use cochlea-cli, which works without a display."));
      return 1;
    }

  /* Frames keep their memory (cochlea-memory-policy.c).  No start-up
   * reserve: GTK's own start-up used one up before the window's first
   * frame (docs/performance.md, "Sixth session"); the window refills the
   * heap after frames that page-faulted instead. */
  if (!wants_local_only (argc, argv))
    cochlea_memory_policy_apply (0, NULL);

  if (!gst_init_check (&argc, &argv, &error))
    {
      g_printerr (_("cochlea: could not initialise GStreamer: %s\n"), error->message);
      return 1;
    }

  /* An uninstalled build finds its schema through GSETTINGS_SCHEMA_DIR
   * (build-aux/dev.sh sets it); say so instead of aborting in GSettings. */
  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = NULL;

    if (source != NULL && !wants_local_only (argc, argv))
      schema = g_settings_schema_source_lookup (source, COCHLEA_SCHEMA_ID, TRUE);
    if (schema == NULL && !wants_local_only (argc, argv))
      {
        g_printerr (_("cochlea: the settings schema “%s” is not installed; install Cochlea, "
                      "or run it from a build directory with GSETTINGS_SCHEMA_DIR=BUILDDIR/data\n"),
                    COCHLEA_SCHEMA_ID);
        return 1;
      }
  }

  g_set_application_name (_("Cochlea"));
  app = cochlea_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
