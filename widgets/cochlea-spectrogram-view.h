/* cochlea-spectrogram-view.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cochlea-colormap.h"
#include "dsp/cochlea-spectrogram.h"

G_BEGIN_DECLS

#define COCHLEA_TYPE_SPECTROGRAM_VIEW (cochlea_spectrogram_view_get_type ())

G_DECLARE_FINAL_TYPE (CochleaSpectrogramView, cochlea_spectrogram_view, COCHLEA, SPECTROGRAM_VIEW, GtkWidget)

GtkWidget          *cochlea_spectrogram_view_new                (void);

CochleaSpectrogram *cochlea_spectrogram_view_get_spectrogram    (CochleaSpectrogramView *self);
double              cochlea_spectrogram_view_get_position       (CochleaSpectrogramView *self);
double              cochlea_spectrogram_view_get_seconds_per_pixel (CochleaSpectrogramView *self);
double              cochlea_spectrogram_view_get_view_start     (CochleaSpectrogramView *self);
CochleaColormap     cochlea_spectrogram_view_get_colormap       (CochleaSpectrogramView *self);
double              cochlea_spectrogram_view_get_db_min         (CochleaSpectrogramView *self);
double              cochlea_spectrogram_view_get_db_max         (CochleaSpectrogramView *self);
gboolean            cochlea_spectrogram_view_get_auto_range     (CochleaSpectrogramView *self);
gboolean            cochlea_spectrogram_view_get_follow         (CochleaSpectrogramView *self);
gboolean            cochlea_spectrogram_view_get_playing        (CochleaSpectrogramView *self);

void                cochlea_spectrogram_view_set_spectrogram    (CochleaSpectrogramView *self,
                                                                 CochleaSpectrogram     *spectrogram);
void                cochlea_spectrogram_view_set_position       (CochleaSpectrogramView *self,
                                                                 double                  position);
void                cochlea_spectrogram_view_set_seconds_per_pixel (CochleaSpectrogramView *self,
                                                                 double                  seconds_per_pixel);
void                cochlea_spectrogram_view_set_view_start     (CochleaSpectrogramView *self,
                                                                 double                  view_start);
void                cochlea_spectrogram_view_set_colormap       (CochleaSpectrogramView *self,
                                                                 CochleaColormap         colormap);
void                cochlea_spectrogram_view_set_db_range       (CochleaSpectrogramView *self,
                                                                 double                  db_min,
                                                                 double                  db_max);
void                cochlea_spectrogram_view_set_auto_range     (CochleaSpectrogramView *self,
                                                                 gboolean                auto_range);
void                cochlea_spectrogram_view_set_follow         (CochleaSpectrogramView *self,
                                                                 gboolean                follow);
void                cochlea_spectrogram_view_set_playing        (CochleaSpectrogramView *self,
                                                                 gboolean                playing);

G_END_DECLS
