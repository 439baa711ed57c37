/* cochlea-synth.h — renders a CochleaSong to audio through libfluidsynth.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One CochleaSynth per thread: it owns a fluidsynth instance with the
 * SoundFont loaded (FluidR3_GM takes a second and 150 MB to load, so it is
 * loaded once and reset between songs) and an espeak-ng syllable cache.
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-song.h"

G_BEGIN_DECLS

typedef struct _CochleaSynth CochleaSynth;

typedef enum
{
  COCHLEA_RENDER_DEFAULT     = 0,
  COCHLEA_RENDER_DRY         = 1 << 0,   /* no room reverb, no crowd */
  COCHLEA_RENDER_ALL_PIANO   = 1 << 1,   /* every pitched part on GM program 0 */
  COCHLEA_RENDER_RAW_LEVEL   = 1 << 2,   /* skip the final level and fades */
} CochleaRenderFlags;

CochleaSynth *cochlea_synth_new            (const char          *soundfont,
                                            int                  sample_rate,
                                            GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void          cochlea_synth_free           (CochleaSynth        *self);
const char   *cochlea_synth_get_soundfont  (CochleaSynth        *self);

/* Renders the parts of @song in @part_mask (COCHLEA_PART_MASK bits) as
 * song->n_samples mono float samples.  With every part and no flags this
 * is the corpus audio (before 16-bit conversion). */
float        *cochlea_synth_render         (CochleaSynth        *self,
                                            const CochleaSong   *song,
                                            guint                part_mask,
                                            CochleaRenderFlags   flags,
                                            GCancellable        *cancellable,
                                            GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaSynth, cochlea_synth_free)

G_END_DECLS
