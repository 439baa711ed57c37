/* cochlea-activation-maps.h — a CNN's activation maps for one window, as
 * the activation view draws them (GTK-free, refcounted, immutable)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cochlea-colormap.h"
#include "nn/cochlea-model.h"

G_BEGIN_DECLS

/**
 * CochleaActivationLayer:
 * @name: the layer's name ("input", "conv1", "pool1", …, "embedding")
 * @n_channels: rows (channels, or mel bands for the input)
 * @n_steps: columns (1 for vectors after global pooling)
 * @start_time: seconds (on the song's clock) at the left edge of step 0
 * @seconds_per_step: seconds covered by one step; step i covers
 *   [start_time + i·seconds_per_step, start_time + (i+1)·seconds_per_step)
 * @data: (n_channels, n_steps) row-major: channel c, step t is
 *   data[c · n_steps + t]
 * @min: smallest finite value (computed when the layer is added)
 * @max: largest finite value
 * @top: the 99.5th percentile of the positive values (from at most 4 096
 *   of them spread over the layer; ReLU maps are mostly zero), @max when
 *   there are none: the top of a colour scale one outlying cell does not set
 *
 * One layer's activations.  Read-only once added.
 */
typedef struct
{
  char   *name;
  guint   n_channels;
  guint   n_steps;
  double  start_time;
  double  seconds_per_step;
  float  *data;
  float   min;
  float   max;
  float   top;
} CochleaActivationLayer;

/**
 * CochleaActivationMaps:
 *
 * The layers of one forward pass, in network order.  Build it on any
 * thread with cochlea_activation_maps_new() and _add_layer() (or
 * _add_nn_map(), which copies a #CochleaActivationMap borrowed from a
 * CochleaNnContext), then hand it over: from then on it is immutable and
 * shared by reference (the view holds a ref).
 */
typedef struct _CochleaActivationMaps CochleaActivationMaps;

#define COCHLEA_TYPE_ACTIVATION_MAPS (cochlea_activation_maps_get_type ())
GType                  cochlea_activation_maps_get_type    (void) G_GNUC_CONST;

CochleaActivationMaps *cochlea_activation_maps_new         (void) G_GNUC_WARN_UNUSED_RESULT;
CochleaActivationMaps *cochlea_activation_maps_ref         (CochleaActivationMaps       *self);
void                   cochlea_activation_maps_unref       (CochleaActivationMaps       *self);
void                   cochlea_activation_maps_add_layer   (CochleaActivationMaps       *self,
                                                            const char                  *name,
                                                            guint                        n_channels,
                                                            guint                        n_steps,
                                                            double                       start_time,
                                                            double                       seconds_per_step,
                                                            const float                 *data);
void                   cochlea_activation_maps_add_nn_map  (CochleaActivationMaps       *self,
                                                            const CochleaActivationMap  *map,
                                                            double                       window_start,
                                                            double                       seconds_per_frame,
                                                            guint                        window_frames);
guint                  cochlea_activation_maps_get_n_layers (const CochleaActivationMaps *self);
const CochleaActivationLayer *cochlea_activation_maps_get_layer (const CochleaActivationMaps *self,
                                                            guint                        index);
int                    cochlea_activation_maps_find_layer  (const CochleaActivationMaps *self,
                                                            const char                  *name);

/**
 * CochleaActivationRender:
 * @t_start: seconds at the left edge of pixel column 0
 * @seconds_per_px: seconds per column
 * @width: columns
 * @height: rows; channel 0 is at the top
 * @lo: value drawn with the first colour
 * @hi: value drawn with the last colour
 * @colormap: the colour map
 *
 * What cochlea_activation_layer_render_pixels() draws.  A column (row)
 * covering several steps (channels) shows their maximum; columns outside
 * the layer's time span are transparent.
 */
typedef struct
{
  double          t_start;
  double          seconds_per_px;
  guint           width;
  guint           height;
  float           lo;
  float           hi;
  CochleaColormap colormap;
} CochleaActivationRender;

void   cochlea_activation_layer_render_pixels (const CochleaActivationLayer  *layer,
                                               const CochleaActivationRender *params,
                                               guint8                        *pixels,
                                               gsize                          stride);
guint  cochlea_activation_layer_row_to_channel (const CochleaActivationLayer *layer,
                                                double                       y,
                                                double                       height);
int    cochlea_activation_layer_time_to_step  (const CochleaActivationLayer *layer,
                                               double                       t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaActivationMaps, cochlea_activation_maps_unref)

G_END_DECLS
