/* cochlea-demo-job.h — compose a demo library with the engine's song
 * generator, off the main thread
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     cochlea_demo_generate_async  (const char          *dir,
                                       guint                n_songs,
                                       double               seconds,
                                       guint               *n_done,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean cochlea_demo_generate_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
