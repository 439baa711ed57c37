/* cochlea-preferences-window.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define COCHLEA_TYPE_PREFERENCES_WINDOW (cochlea_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CochleaPreferencesWindow, cochlea_preferences_window, COCHLEA, PREFERENCES_WINDOW, AdwPreferencesWindow)

CochleaPreferencesWindow *cochlea_preferences_window_new (GSettings *settings);

G_END_DECLS
