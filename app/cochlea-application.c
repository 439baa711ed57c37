/* cochlea-application.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-application"

#include "config.h"

#include <glib/gi18n.h>

#include "cochlea-application-private.h"
#include "cochlea-window.h"

G_DEFINE_FINAL_TYPE (CochleaApplication, cochlea_application, ADW_TYPE_APPLICATION)

static CochleaWindow *
ensure_window (CochleaApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (COCHLEA_IS_WINDOW (window))
    return COCHLEA_WINDOW (window);

  return cochlea_window_new (self);
}

static void
cochlea_application_activate (GApplication *app)
{
  CochleaWindow *window = ensure_window (COCHLEA_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
}

static void
cochlea_application_open (GApplication  *app,
                          GFile        **files,
                          int            n_files,
                          const char    *hint)
{
  CochleaWindow *window = ensure_window (COCHLEA_APPLICATION (app));

  cochlea_window_open_files (window, files, n_files);
  gtk_window_present (GTK_WINDOW (window));
}

static int
cochlea_application_handle_local_options (GApplication *app,
                                          GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("cochlea %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
cochlea_application_startup (GApplication *app)
{
  CochleaApplication *self = COCHLEA_APPLICATION (app);

  G_APPLICATION_CLASS (cochlea_application_parent_class)->startup (app);

  self->settings = g_settings_new (COCHLEA_SCHEMA_ID);

  gtk_window_set_default_icon_name (APP_ID);
  _cochlea_application_actions_init (self);
}

static void
cochlea_application_dispose (GObject *object)
{
  CochleaApplication *self = COCHLEA_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cochlea_application_parent_class)->dispose (object);
}

static void
cochlea_application_class_init (CochleaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cochlea_application_dispose;

  app_class->activate = cochlea_application_activate;
  app_class->handle_local_options = cochlea_application_handle_local_options;
  app_class->open = cochlea_application_open;
  app_class->startup = cochlea_application_startup;
}

static void
cochlea_application_init (CochleaApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

CochleaApplication *
cochlea_application_new (void)
{
  return g_object_new (COCHLEA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", COCHLEA_RESOURCE_BASE,
                       NULL);
}

/**
 * cochlea_application_get_settings:
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
cochlea_application_get_settings (CochleaApplication *self)
{
  g_return_val_if_fail (COCHLEA_IS_APPLICATION (self), NULL);

  return self->settings;
}
