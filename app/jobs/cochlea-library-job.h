/* cochlea-library-job.h — the catalogue's tracks, and imports into it, off
 * the main thread (each job opens its own connection; WAL lets readers and
 * the importer run side by side)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-engine.h"

G_BEGIN_DECLS

/* Progress shared between the import worker (writer) and the window
 * (reader, polling). */
typedef struct _CochleaImportProgress CochleaImportProgress;

CochleaImportProgress *cochlea_import_progress_new   (void) G_GNUC_WARN_UNUSED_RESULT;
CochleaImportProgress *cochlea_import_progress_ref   (CochleaImportProgress *self);
void                   cochlea_import_progress_unref (CochleaImportProgress *self);
void                   cochlea_import_progress_get   (CochleaImportProgress *self,
                                                      CochleaImportStats    *stats,
                                                      double                *elapsed_s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaImportProgress, cochlea_import_progress_unref)

void       cochlea_library_load_async  (const char             *catalogue_path,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data);
GPtrArray *cochlea_library_load_finish (GAsyncResult           *result,
                                        GError                **error) G_GNUC_WARN_UNUSED_RESULT;

void       cochlea_library_import_async  (const char             *catalogue_path,
                                          GFile                  *folder,
                                          CochleaImportProgress  *progress,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data);
gboolean   cochlea_library_import_finish (GAsyncResult           *result,
                                          CochleaImportStats     *stats,
                                          GError                **error);

G_END_DECLS
