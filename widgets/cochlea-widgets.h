/* cochlea-widgets.h — the widgets library's umbrella header; app/
 * includes only this.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-activation-maps.h"
#include "cochlea-activation-view.h"
#include "cochlea-colormap.h"
#include "cochlea-radar-chart.h"
#include "cochlea-spectrogram-render.h"
#include "cochlea-spectrogram-view.h"
#include "cochlea-target-sliders.h"
#include "cochlea-widget-utils.h"
