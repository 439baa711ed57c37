/* cochlea-voice.h — spoken and sung voices from espeak-ng.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the espeak-ng program (Debian package espeak-ng) with --stdout and
 * reads its WAV.  One CochleaVoice belongs to one thread: it caches the
 * syllables it has rendered.  The program is deterministic, so cached and
 * fresh renders are identical.
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-song.h"

G_BEGIN_DECLS

typedef struct _CochleaVoice CochleaVoice;

CochleaVoice *cochlea_voice_new   (int                    sample_rate,
                                   GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void          cochlea_voice_free  (CochleaVoice          *self);

/* Speaks @text; returns mono samples at the voice's sample rate. */
float        *cochlea_voice_speak (CochleaVoice          *self,
                                   const char            *voice_name,
                                   int                    pitch,
                                   int                    words_per_minute,
                                   const char            *text,
                                   gsize                 *n_samples,
                                   GCancellable          *cancellable,
                                   GError               **error) G_GNUC_WARN_UNUSED_RESULT;

/* Adds the sung syllables @notes to @out (length @n_out): each syllable is
 * spoken by espeak-ng, shifted to the note's pitch by resampling, and held
 * for the note's length by repeating whole pitch periods (overlap-add). */
gboolean      cochlea_voice_sing  (CochleaVoice          *self,
                                   const char            *voice_name,
                                   const CochleaSungNote *notes,
                                   guint                  n_notes,
                                   float                 *out,
                                   gsize                  n_out,
                                   GCancellable          *cancellable,
                                   GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaVoice, cochlea_voice_free)

G_END_DECLS
