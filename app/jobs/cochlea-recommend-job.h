/* cochlea-recommend-job.h — songs in the catalogue most like the one
 * playing, found off the main thread
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-engine.h"
#include "cochlea-index-cache.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *path;
  char   *title;     /* tag or file name */
  char   *artist;    /* (nullable) */
  double  score;
  double  content;   /* cosine of the content vectors */
  double  attribute_match;  /* exp (−d²/2) of the attribute distance to the query or its targets, NAN: none compared */
  double  attrs[COCHLEA_N_ATTRIBUTES];  /* NAN = unknown */
} CochleaSimilarSong;

void       cochlea_recommend_job_run_async (CochleaIndexCache      *cache,
                                            const char             *query_path,
                                            CochleaFeatures        *query,
                                            const char             *artist,
                                            const double           *targets,
                                            guint                   k,
                                            GCancellable           *cancellable,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
GPtrArray *cochlea_recommend_job_finish    (GAsyncResult           *result,
                                            GError                **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
