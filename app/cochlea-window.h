/* cochlea-window.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cochlea-application.h"

G_BEGIN_DECLS

#define COCHLEA_TYPE_WINDOW (cochlea_window_get_type ())

G_DECLARE_FINAL_TYPE (CochleaWindow, cochlea_window, COCHLEA, WINDOW, AdwApplicationWindow)

CochleaWindow *cochlea_window_new        (CochleaApplication *application);
gboolean       cochlea_window_get_busy   (CochleaWindow      *self);
void           cochlea_window_open_files (CochleaWindow      *self,
                                          GFile             **files,
                                          int                 n_files);
void           cochlea_window_add_toast  (CochleaWindow      *self,
                                          const char         *message);

G_END_DECLS
