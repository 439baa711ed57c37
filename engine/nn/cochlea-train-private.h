/* cochlea-train-private.h — the trainer's insides, for tests and the
 * parity bench (bench/bench-nn.c).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-model-private.h"
#include "cochlea-train.h"

G_BEGIN_DECLS

/* One batch's loss and gradient, without updating anything. */
float                   _cochlea_trainer_compute_gradients (CochleaTrainer *self);
const float            *_cochlea_trainer_get_grads         (CochleaTrainer *self);
/* (batch, window, n_mels): the windows of the last batch */
const float            *_cochlea_trainer_get_inputs        (CochleaTrainer *self);
const CochleaTrainSong *_cochlea_trainer_get_batch_song    (CochleaTrainer *self,
                                                            int             j);

G_END_DECLS
