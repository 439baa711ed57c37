/* cochlea-widget-utils.h — the one place that reads CSS colours (GTK 4.8)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "dsp/cochlea-spectrogram.h"

G_BEGIN_DECLS

/* Width in pixels of the left gutter (frequency or channel labels) and of
 * the right gutter (legend) shared by the spectrogram and activation views,
 * so that stacked views have pixel-identical time axes. */
#define COCHLEA_WIDGET_LEFT_GUTTER  48
#define COCHLEA_WIDGET_RIGHT_GUTTER 56
#define COCHLEA_WIDGET_AXIS_HEIGHT  20

#define COCHLEA_TYPE_SPECTROGRAM (cochlea_widgets_spectrogram_get_type ())
GType    cochlea_widgets_spectrogram_get_type (void) G_GNUC_CONST;

void     cochlea_widget_get_fg_color          (GtkWidget     *widget,
                                               GdkRGBA       *rgba);
void     cochlea_widget_get_class_color       (GtkWidget     *widget,
                                               const char    *css_class,
                                               GdkRGBA       *rgba);
gboolean cochlea_widget_get_high_contrast     (GtkWidget     *widget);
gboolean cochlea_widget_get_dark              (GtkWidget     *widget);
void     cochlea_widget_ensure_style          (GtkWidget     *widget);
void     cochlea_widget_watch_style           (GtkWidget     *widget,
                                               GCallback      callback);
gboolean cochlea_widget_prefers_image_nodes   (GtkWidget     *widget);
GskRenderNode *cochlea_widget_image_node_new  (GBytes        *bytes,
                                               int            width,
                                               int            height,
                                               const graphene_rect_t *bounds);
GdkMemoryFormat cochlea_widget_pixels_to_native (guint8      *pixels,
                                               guint          width,
                                               guint          height,
                                               gsize          stride);

G_END_DECLS
