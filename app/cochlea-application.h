/* cochlea-application.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The schema id does not change for development builds (the app id does). */
#define COCHLEA_SCHEMA_ID "io.github.cochlea.Cochlea"
#define COCHLEA_RESOURCE_BASE "/io/github/cochlea/Cochlea"

#define COCHLEA_TYPE_APPLICATION (cochlea_application_get_type ())

G_DECLARE_FINAL_TYPE (CochleaApplication, cochlea_application, COCHLEA, APPLICATION, AdwApplication)

CochleaApplication *cochlea_application_new          (void) G_GNUC_WARN_UNUSED_RESULT;
GSettings          *cochlea_application_get_settings (CochleaApplication *self);

G_END_DECLS
