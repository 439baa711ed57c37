/* cochlea-crowd.h — an audience: murmur, applause and cheers, from noise.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fills @out with @n_samples of crowd sound, RMS about 0.1: a band-limited
 * murmur with slow swells throughout, applause (hundreds of individual
 * claps, each a short resonant noise burst) before @music_start and over
 * the last @outro_seconds, and a few short cheers.  Deterministic in
 * @seed. */
void cochlea_crowd_render (float   *out,
                           gsize    n_samples,
                           int      sample_rate,
                           double   music_start,
                           double   outro_seconds,
                           guint64  seed);

G_END_DECLS
