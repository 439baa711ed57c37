/* cochlea-analysis-job.h — analyse one file off the main thread
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-engine.h"

G_BEGIN_DECLS

void             cochlea_analysis_job_run_async (GFile                *file,
                                                 CochleaAnalyzeFlags   flags,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
CochleaAnalysis *cochlea_analysis_job_finish    (GAsyncResult         *result,
                                                 GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
