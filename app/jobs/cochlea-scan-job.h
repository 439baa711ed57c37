/* cochlea-scan-job.h — find the audio files under a folder, off the main thread
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean   cochlea_is_audio_file_name (const char           *name);
void       cochlea_scan_job_run_async (GFile                *folder,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GPtrArray *cochlea_scan_job_finish    (GAsyncResult         *result,
                                       GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
