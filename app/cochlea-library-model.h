/* cochlea-library-model.h — the library's sorted, searched list of rows
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cochlea-track-object.h"

G_BEGIN_DECLS

#define COCHLEA_TYPE_LIBRARY_MODEL (cochlea_library_model_get_type ())

G_DECLARE_FINAL_TYPE (CochleaLibraryModel, cochlea_library_model, COCHLEA, LIBRARY_MODEL, GObject)

/* Sets [*first, *end) to the rows a view has built widgets for (0, 0: none). */
typedef void (*CochleaLibraryBuiltFunc) (gpointer  user_data,
                                         guint    *first,
                                         guint    *end);

CochleaLibraryModel *cochlea_library_model_new         (GListModel          *tracks,
                                                        GtkSorter           *sorter) G_GNUC_WARN_UNUSED_RESULT;
/* (transfer none) (nullable): the track at @position (not its row). */
CochleaTrackObject  *cochlea_library_model_get_track   (CochleaLibraryModel *self,
                                                        guint                position);
/* The position of @track, G_MAXUINT when it is not in the list. */
guint                cochlea_library_model_find        (CochleaLibraryModel *self,
                                                        CochleaTrackObject  *track);
guint                cochlea_library_model_get_n_tracks (CochleaLibraryModel *self);
gboolean             cochlea_library_model_is_settled  (CochleaLibraryModel *self);
gboolean             cochlea_library_model_is_updating (CochleaLibraryModel *self);
void                 cochlea_library_model_set_pace    (CochleaLibraryModel     *self,
                                                        guint                    rows_per_step,
                                                        CochleaLibraryBuiltFunc  built,
                                                        gpointer                 user_data);
void                 cochlea_library_model_set_search  (CochleaLibraryModel *self,
                                                        const char          *needle_casefolded);
gboolean             cochlea_library_model_step        (CochleaLibraryModel *self);

G_END_DECLS
