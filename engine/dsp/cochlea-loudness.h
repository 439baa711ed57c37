/* cochlea-loudness.h — streaming integrated loudness (ITU-R BS.1770-4, EBU R 128)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CochleaLoudness CochleaLoudness;

CochleaLoudness *cochlea_loudness_new            (void) G_GNUC_WARN_UNUSED_RESULT;
void             cochlea_loudness_free           (CochleaLoudness *self);
void             cochlea_loudness_push           (CochleaLoudness *self,
                                                  const float     *interleaved,
                                                  gsize            n_frames,
                                                  guint            channels,
                                                  int              rate);
double           cochlea_loudness_get_integrated (CochleaLoudness *self);
double          *cochlea_loudness_dup_blocks     (CochleaLoudness *self,
                                                  gsize           *n_blocks) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaLoudness, cochlea_loudness_free)

G_END_DECLS
