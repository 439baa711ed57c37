/* widget-test-utils.h — shared helpers for the widgets suite
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean    widget_test_init                  (int          *argc,
                                               char       ***argv);
void        widget_test_check_property        (GObject      *object,
                                               const char   *name,
                                               const GValue *other_value);
void        widget_test_check_double_property (GObject      *object,
                                               const char   *name,
                                               double        expected_default,
                                               double        other);
void        widget_test_check_boolean_property (GObject     *object,
                                               const char   *name,
                                               gboolean      expected_default);
GtkWindow  *widget_test_present               (GtkWidget    *widget,
                                               int           width,
                                               int           height);
void        widget_test_wait_until            (gboolean    (*done) (gpointer),
                                               gpointer      data);
GdkTexture *widget_test_render                (GtkWidget    *widget);
char       *widget_test_save_png              (GdkTexture   *texture,
                                               const char   *name);
void        widget_test_get_pixel             (GdkTexture   *texture,
                                               int           x,
                                               int           y,
                                               guint8        rgba[4]);

G_END_DECLS
