/* cochlea-model-io-private.h — the weights file's internals, shared with
 * the trainer's checkpoints.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-model-private.h"

G_BEGIN_DECLS

/* A 1-D float tensor stored beside the model (optimiser moments). */
typedef struct
{
  const char *name;
  float      *data;
  gsize       n;
} CochleaExtraTensor;

gboolean      _cochlea_model_save_full (const CochleaModel       *self,
                                        const char               *path,
                                        const CochleaExtraTensor *extra,
                                        int                       n_extra,
                                        const char               *train_state_json,
                                        GError                  **error);
CochleaModel *_cochlea_model_load_full (GBytes                   *bytes,
                                        const char               *display_name,
                                        CochleaExtraTensor       *extra,
                                        int                       n_extra,
                                        char                    **train_state_json,
                                        GError                  **error);
GBytes       *_cochlea_model_map_file  (const char               *path,
                                        GError                  **error);

G_END_DECLS
