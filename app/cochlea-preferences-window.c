/* cochlea-preferences-window.c — every row is bound to GSettings
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "cochlea-preferences-window.h"

struct _CochleaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwComboRow          *style_row;
  AdwComboRow          *colormap_row;
  GtkSwitch            *autoplay_switch;
  GtkSwitch            *private_switch;

  /* Owned */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (CochleaPreferencesWindow, cochlea_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo rows list the schema's choices in this order. */
static const char * const style_choices[] = { "default", "light", "dark", NULL };
static const char * const colormap_choices[] = { "viridis", "magma", NULL };

static gboolean
choice_to_index (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char * const *choices = user_data;
  const char *choice = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    {
      if (g_str_equal (choices[i], choice))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
index_to_choice (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  const char * const *choices = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) choices))
    return NULL;

  return g_variant_new_string (choices[index]);
}

static void
cochlea_preferences_window_dispose (GObject *object)
{
  CochleaPreferencesWindow *self = COCHLEA_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), COCHLEA_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cochlea_preferences_window_parent_class)->dispose (object);
}

static void
cochlea_preferences_window_class_init (CochleaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cochlea_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cochlea/Cochlea/ui/cochlea-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CochleaPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, CochleaPreferencesWindow, colormap_row);
  gtk_widget_class_bind_template_child (widget_class, CochleaPreferencesWindow, autoplay_switch);
  gtk_widget_class_bind_template_child (widget_class, CochleaPreferencesWindow, private_switch);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cochlea_preferences_window_init (CochleaPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cochlea_preferences_window_new:
 * @settings: the application's settings
 */
CochleaPreferencesWindow *
cochlea_preferences_window_new (GSettings *settings)
{
  CochleaPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (COCHLEA_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind_with_mapping (settings, "style-variant", self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, choice_to_index, index_to_choice,
                                (gpointer) style_choices, NULL);
  g_settings_bind_with_mapping (settings, "colormap", self->colormap_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, choice_to_index, index_to_choice,
                                (gpointer) colormap_choices, NULL);
  g_settings_bind (settings, "autoplay", self->autoplay_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "private-mode", self->private_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  return self;
}
