/* cochlea-radar-chart-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-radar-chart.h"

G_BEGIN_DECLS

/* The drag path without a pointer, for tests: what a drag of @axis's
 * vertex to (@x, @y) does. */
void _cochlea_radar_chart_drag_to          (CochleaRadarChart *self,
                                            guint              axis,
                                            double             x,
                                            double             y);
/* What a key press does (the key controller's code path). */
gboolean _cochlea_radar_chart_handle_key   (CochleaRadarChart *self,
                                            guint              keyval);
void _cochlea_radar_chart_get_geometry     (CochleaRadarChart    *self,
                                            CochleaRadarGeometry *geom);

G_END_DECLS
