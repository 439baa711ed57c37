/* cochlea-reverb.h — a small Schroeder/Freeverb-style room for the corpus.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Adds a reverberant room to @samples in place: eight damped feedback comb
 * filters in parallel, then four all-pass filters in series (Jezar's
 * Freeverb topology, delay lengths scaled to @sample_rate), after a
 * pre-delay that grows with the room.  @room_size and @wet are in 0–1;
 * the dry signal is kept at unit gain.  Deterministic; allocates its delay
 * lines once per call. */
void cochlea_reverb_process (float  *samples,
                             gsize   n_samples,
                             int     sample_rate,
                             double  room_size,
                             double  wet);

G_END_DECLS
