/* cochlea-target-sliders.h — one slider per attribute to set the targets
 * the recommendations steer towards (the radar's vertices set the same)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * CochleaTargetFormatFunc:
 * @axis: the slider's axis
 * @value: its value in [0, 1]
 * @user_data: data passed to cochlea_target_sliders_set_format_func()
 *
 * Returns: (transfer full): the text shown beside the slider ("120 BPM")
 */
typedef char *(*CochleaTargetFormatFunc) (guint    axis,
                                          double   value,
                                          gpointer user_data);

#define COCHLEA_TYPE_TARGET_SLIDERS (cochlea_target_sliders_get_type ())

G_DECLARE_FINAL_TYPE (CochleaTargetSliders, cochlea_target_sliders, COCHLEA, TARGET_SLIDERS, GtkWidget)

GtkWidget          *cochlea_target_sliders_new             (void);

const char * const *cochlea_target_sliders_get_axis_labels (CochleaTargetSliders    *self);
guint               cochlea_target_sliders_get_n_axes      (CochleaTargetSliders    *self);
gboolean            cochlea_target_sliders_get_has_targets (CochleaTargetSliders    *self);
const double       *cochlea_target_sliders_get_targets     (CochleaTargetSliders    *self);
const double       *cochlea_target_sliders_get_values      (CochleaTargetSliders    *self);
GtkRange           *cochlea_target_sliders_get_range       (CochleaTargetSliders    *self,
                                                            guint                    axis);

void                cochlea_target_sliders_set_axis_labels (CochleaTargetSliders    *self,
                                                            const char * const      *labels);
void                cochlea_target_sliders_set_values      (CochleaTargetSliders    *self,
                                                            const double            *values,
                                                            guint                    n_values);
void                cochlea_target_sliders_set_target      (CochleaTargetSliders    *self,
                                                            guint                    axis,
                                                            double                   value);
void                cochlea_target_sliders_clear_targets   (CochleaTargetSliders    *self);
void                cochlea_target_sliders_set_format_func (CochleaTargetSliders    *self,
                                                            CochleaTargetFormatFunc  func,
                                                            gpointer                 user_data,
                                                            GDestroyNotify           destroy);

G_END_DECLS
