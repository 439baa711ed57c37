/* cochlea-feedback-job.h — record a listening event in the catalogue, off
 * the main thread
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-engine.h"

G_BEGIN_DECLS

void     cochlea_feedback_record_async  (const char          *catalogue_path,
                                         const char          *track_path,
                                         CochleaEventKind     kind,
                                         double               position_s,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* TRUE when an event was stored; FALSE without @error when there was
 * nothing to record it against (the song is not in the library, or the
 * catalogue is in private mode). */
gboolean cochlea_feedback_record_finish (GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
