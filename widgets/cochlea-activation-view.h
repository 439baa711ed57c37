/* cochlea-activation-view.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cochlea-activation-maps.h"
#include "cochlea-colormap.h"

G_BEGIN_DECLS

#define COCHLEA_TYPE_ACTIVATION_VIEW (cochlea_activation_view_get_type ())

G_DECLARE_FINAL_TYPE (CochleaActivationView, cochlea_activation_view, COCHLEA, ACTIVATION_VIEW, GtkWidget)

GtkWidget             *cochlea_activation_view_new                 (void);

CochleaActivationMaps *cochlea_activation_view_get_maps            (CochleaActivationView *self);
int                    cochlea_activation_view_get_layer           (CochleaActivationView *self);
char                 **cochlea_activation_view_dup_layer_names     (CochleaActivationView *self) G_GNUC_WARN_UNUSED_RESULT;
double                 cochlea_activation_view_get_position        (CochleaActivationView *self);
double                 cochlea_activation_view_get_seconds_per_pixel (CochleaActivationView *self);
double                 cochlea_activation_view_get_view_start      (CochleaActivationView *self);
CochleaColormap        cochlea_activation_view_get_colormap        (CochleaActivationView *self);

void                   cochlea_activation_view_set_maps            (CochleaActivationView *self,
                                                                    CochleaActivationMaps *maps);
void                   cochlea_activation_view_set_layer           (CochleaActivationView *self,
                                                                    int                    layer);
void                   cochlea_activation_view_set_position        (CochleaActivationView *self,
                                                                    double                 position);
void                   cochlea_activation_view_set_seconds_per_pixel (CochleaActivationView *self,
                                                                    double                 seconds_per_pixel);
void                   cochlea_activation_view_set_view_start      (CochleaActivationView *self,
                                                                    double                 view_start);
void                   cochlea_activation_view_set_colormap        (CochleaActivationView *self,
                                                                    CochleaColormap        colormap);

G_END_DECLS
