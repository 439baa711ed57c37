/* cochlea-cli-store.h — what the catalogue subcommands share.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-engine.h"

G_BEGIN_DECLS

/* Opens --db PATH (or the default catalogue), printing the error. */
CochleaCatalogue *cochlea_cli_open_catalogue (const char            *db_path,
                                              CochleaCatalogueFlags  flags,
                                              const char            *command);
/* FILE or --track ID → a track in the catalogue (or NULL and a message). */
CochleaTrack     *cochlea_cli_resolve_track  (CochleaCatalogue      *catalogue,
                                              const char            *file,
                                              gint64                 track_id,
                                              const char            *command);
char             *cochlea_cli_absolute_path  (const char            *file) G_GNUC_WARN_UNUSED_RESULT;
/* Prints ranked results (text or one JSON object); @query may be NULL
 * (discover), then the explanation is the taste score. */
void              cochlea_cli_print_recommendations (CochleaCatalogue             *catalogue,
                                                     CochleaIndex                 *index,
                                                     const CochleaFeatures        *query,
                                                     const CochleaTrack           *query_track,
                                                     const CochleaRecommendParams *params,
                                                     GArray                       *results,
                                                     gboolean                      as_json);

G_END_DECLS
