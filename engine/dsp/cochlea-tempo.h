/* cochlea-tempo.h — tempo and time signature from an onset-strength envelope
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CochleaTempo:
 * @tempo: beats per minute of the dominant pulse, 0 when there is none
 * @confidence: 0–1, how clearly periodic the onsets are at @tempo
 * @time_signature: beats per bar, 3–7 (4 when nothing says otherwise)
 * @period_frames: beat period in envelope frames (0 with no tempo)
 * @phase_frames: position of the first beat in envelope frames
 * @local_strength: mean pulse strength at @tempo over 8-s windows (0–1)
 * @local_stability: 1 − spread of that strength across windows (0–1)
 */
typedef struct
{
  double tempo;
  double confidence;
  int    time_signature;
  double period_frames;
  double phase_frames;
  double local_strength;
  double local_stability;
} CochleaTempo;

void cochlea_tempo_estimate (const float  *onset,
                             const float  *onset_low,
                             gsize         n_frames,
                             double        frame_rate,
                             CochleaTempo *out);

G_END_DECLS
