/* cochlea-activation-view-private.h — for tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-activation-view.h"

G_BEGIN_DECLS

void     _cochlea_activation_view_get_plot (CochleaActivationView *self,
                                            graphene_rect_t       *plot);
gboolean _cochlea_activation_view_is_busy  (CochleaActivationView *self);
gboolean _cochlea_activation_view_has_texture (CochleaActivationView *self);
/* What hovering (@x, @y) does: returns the channel (or -1). */
int      _cochlea_activation_view_hover    (CochleaActivationView *self,
                                            double                 x,
                                            double                 y);

G_END_DECLS
