/* cochlea-train-data.h — turning a generated corpus into training data.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads what `cochlea-cli generate-corpus` writes (docs/corpus.md): one
 * NNNNN.json of labels per song beside its audio, and corpus.json.  The
 * mapping from those labels to the network's heads is documented in
 * docs/model.md ("Heads and labels").
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cochlea-model.h"
#include "cochlea-train.h"

G_BEGIN_DECLS

/* Tempo classes in BPM: [60, 84), [84, 108), [108, 132), [132, 156), [156, ∞). */
#define COCHLEA_TEMPO_CLASS_WIDTH 24.0
#define COCHLEA_TEMPO_CLASS_MIN   60.0

/* Adds the heads the corpus labels: instruments (sigmoid over 13 GM
 * families), voice and speech (sigmoid), acoustic and live (softmax of
 * two), tempo (softmax of 5 classes) and key (softmax of 24). */
void     cochlea_model_config_add_corpus_heads (CochleaModelConfig       *config);

/* Targets and the known-heads mask of one song from its labels object. */
void     cochlea_corpus_labels_to_targets      (const CochleaModelConfig *config,
                                                JsonObject               *labels,
                                                float                    *targets,
                                                guint32                  *known);

/**
 * cochlea_corpus_load:
 * @val_every: song i goes to @val when i % val_every == val_every − 1
 *   (0: no validation split, everything in @train)
 * @max_songs: 0 for all
 * @description: (out) (optional): a JSON text describing the corpus
 *
 * Decodes every song of the corpus in @dir to log-mel frames with the
 * model's front end, on @n_threads threads, in song order.
 */
gboolean cochlea_corpus_load                   (const char               *dir,
                                                const CochleaModelConfig *config,
                                                guint                     val_every,
                                                guint                     max_songs,
                                                int                       n_threads,
                                                CochleaDataset          **train,
                                                CochleaDataset          **val,
                                                char                    **description,
                                                GCancellable             *cancellable,
                                                GError                  **error);

G_END_DECLS
