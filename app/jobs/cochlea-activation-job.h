/* cochlea-activation-job.h — the CNN's activation maps for one window of a
 * song, computed off the main thread
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-activation-maps.h"
#include "cochlea-engine.h"

G_BEGIN_DECLS

gsize                  cochlea_activation_window_start  (const CochleaModel       *model,
                                                         const CochleaSpectrogram *spectrogram,
                                                         double                    seconds);
void                   cochlea_activation_job_run_async (CochleaModel             *model,
                                                         CochleaSpectrogram       *spectrogram,
                                                         gsize                     start_frame,
                                                         GCancellable             *cancellable,
                                                         GAsyncReadyCallback       callback,
                                                         gpointer                  user_data);
CochleaActivationMaps *cochlea_activation_job_finish    (GAsyncResult             *result,
                                                         GError                  **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
