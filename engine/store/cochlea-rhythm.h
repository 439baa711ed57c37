/* cochlea-rhythm.h — a per-track rhythm descriptor: a compact fluctuation
 * pattern (Pampalk 2001, the "FP" of Pampalk's G1C and of Pohle et al.'s
 * rhythm + timbre similarity), accumulated frame by frame in the
 * analysis's streamed pass from the same log-mel frames as the timbre
 * model.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bands of consecutive mel bins (their mean dB), and groups of modulation
 * frequencies (log-spaced, 0.34–10.1 Hz at 22050 Hz / hop 512). */
#define COCHLEA_RHYTHM_BANDS  8
#define COCHLEA_RHYTHM_GROUPS 9
/* band-major: [band 0: group 0…8, band 1: …] */
#define COCHLEA_RHYTHM_DIM    (COCHLEA_RHYTHM_BANDS * COCHLEA_RHYTHM_GROUPS)
/* Frames per window (2.97 s at 43.07 frames/s) and between windows. */
#define COCHLEA_RHYTHM_WINDOW 128
#define COCHLEA_RHYTHM_HOP    64
/* The `embeddings.model` name of the stored vector. */
#define COCHLEA_RHYTHM_MODEL  "rhythm-fp8x9-v1"

typedef struct _CochleaRhythm CochleaRhythm;

/* An accumulator for frames of @n_mels log-mel values (dB). */
CochleaRhythm *cochlea_rhythm_new    (int            n_mels) G_GNUC_WARN_UNUSED_RESULT;
void           cochlea_rhythm_free   (CochleaRhythm *self);
void           cochlea_rhythm_push   (CochleaRhythm *self,
                                      const float   *mel_db);
/* Writes COCHLEA_RHYTHM_DIM floats: per band and modulation group, the
 * median over windows of the mean DFT magnitude of the band's dB envelope
 * (Hann window, mean removed) in that group.  FALSE when the song is
 * shorter than one window. */
gboolean       cochlea_rhythm_finish (CochleaRhythm *self,
                                      float         *vector);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaRhythm, cochlea_rhythm_free)

G_END_DECLS
