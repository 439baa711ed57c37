/* cochlea-taste.h — a per-user taste model learned from listening events:
 * L2-regularised logistic regression over the content vector and the
 * attributes (docs/catalogue.md, "Taste").
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-catalogue.h"
#include "cochlea-recommend.h"

G_BEGIN_DECLS

/* A skip before this many seconds is a thumbs-down. */
#define COCHLEA_TASTE_EARLY_SKIP_S 30.0

/* What one event says about liking its track (+ like, − dislike). */
double        cochlea_taste_event_label  (const CochleaEvent *event);

typedef struct _CochleaTaste CochleaTaste;

/* Returns NULL when @events hold no like/dislike signal for rows of @index. */
CochleaTaste *cochlea_taste_train        (CochleaIndex       *index,
                                          const GArray       *events,
                                          guint64             seed) G_GNUC_WARN_UNUSED_RESULT;
void          cochlea_taste_free         (CochleaTaste       *self);
guint         cochlea_taste_get_n_positive (CochleaTaste     *self);
guint         cochlea_taste_get_n_negative (CochleaTaste     *self);
/* P(like) for every row of the index it was trained on: (transfer full) */
float        *cochlea_taste_score_all    (CochleaTaste       *self,
                                          CochleaIndex       *index) G_GNUC_WARN_UNUSED_RESULT;
/* Rows of @index with any event: (transfer full), index size bytes. */
guint8       *cochlea_taste_heard_rows   (CochleaIndex       *index,
                                          const GArray       *events) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaTaste, cochlea_taste_free)

G_END_DECLS
