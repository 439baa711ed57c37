/* cochlea-activation-maps.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-activation-view"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cochlea-activation-maps.h"

struct _CochleaActivationMaps
{
  GPtrArray *layers; /* CochleaActivationLayer* */
  gint       ref_count;
};

G_DEFINE_BOXED_TYPE (CochleaActivationMaps, cochlea_activation_maps,
                     cochlea_activation_maps_ref, cochlea_activation_maps_unref)

static void
layer_free (gpointer data)
{
  CochleaActivationLayer *layer = data;

  g_free (layer->name);
  g_free (layer->data);
  g_free (layer);
}

/**
 * cochlea_activation_maps_new:
 *
 * Returns: (transfer full): empty maps
 */
CochleaActivationMaps *
cochlea_activation_maps_new (void)
{
  CochleaActivationMaps *self = g_new0 (CochleaActivationMaps, 1);

  self->layers = g_ptr_array_new_with_free_func (layer_free);
  self->ref_count = 1;
  return self;
}

CochleaActivationMaps *
cochlea_activation_maps_ref (CochleaActivationMaps *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
cochlea_activation_maps_unref (CochleaActivationMaps *self)
{
  if (self == NULL)
    return;
  if (g_atomic_int_dec_and_test (&self->ref_count))
    {
      g_ptr_array_unref (self->layers);
      g_free (self);
    }
}

static int
compare_floats (const void *a,
                const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return (x > y) - (x < y);
}

/* The 99.5th percentile of the positive values, sampled (see @top). */
static float
positive_top (const float *data,
              gsize        n,
              float        max)
{
  gsize step = MAX (1, n / 4096);
  g_autofree float *v = g_new (float, MIN (n, 4096) + 1);
  gsize m = 0;

  for (gsize i = 0; i < n && m <= 4096; i += step)
    if (data[i] > 0 && isfinite (data[i]))
      v[m++] = data[i];
  if (m == 0)
    return max;
  qsort (v, m, sizeof (float), compare_floats);
  return v[(gsize) (0.995 * (m - 1))];
}

/**
 * cochlea_activation_maps_add_layer:
 * @self: maps still being built
 * @name: the layer's name
 * @n_channels: rows, > 0
 * @n_steps: columns, > 0
 * @start_time: seconds at the left edge of step 0
 * @seconds_per_step: > 0
 * @data: (array): n_channels × n_steps values, channel-major; copied
 */
void
cochlea_activation_maps_add_layer (CochleaActivationMaps *self,
                                   const char            *name,
                                   guint                  n_channels,
                                   guint                  n_steps,
                                   double                 start_time,
                                   double                 seconds_per_step,
                                   const float           *data)
{
  CochleaActivationLayer *layer;
  gsize n;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (n_channels > 0 && n_steps > 0);
  g_return_if_fail (seconds_per_step > 0);
  g_return_if_fail (data != NULL);

  n = (gsize) n_channels * n_steps;
  layer = g_new0 (CochleaActivationLayer, 1);
  layer->name = g_strdup (name);
  layer->n_channels = n_channels;
  layer->n_steps = n_steps;
  layer->start_time = start_time;
  layer->seconds_per_step = seconds_per_step;
  layer->data = g_memdup2 (data, n * sizeof (float));
  layer->min = INFINITY;
  layer->max = -INFINITY;
  for (gsize i = 0; i < n; i++)
    if (isfinite (data[i]))
      {
        layer->min = MIN (layer->min, data[i]);
        layer->max = MAX (layer->max, data[i]);
      }
  if (!isfinite (layer->min))
    layer->min = layer->max = 0;
  layer->top = positive_top (data, n, layer->max);

  g_ptr_array_add (self->layers, layer);
}

/**
 * cochlea_activation_maps_add_nn_map:
 * @self: maps still being built
 * @map: one layer as cochlea_nn_context_get_layer() describes it (its data
 *   is copied, so the context may run again afterwards)
 * @window_start: seconds of the window's first input frame
 * @seconds_per_frame: hop_length / sample_rate of the model's front end
 * @window_frames: input frames per window (the config's window)
 *
 * Places the layer on the song's time axis: a layer of n_times steps of
 * frames_per_step frames is centred in the window (valid convolutions
 * trim both ends alike); vectors (frames_per_step 0) span the window.
 */
void
cochlea_activation_maps_add_nn_map (CochleaActivationMaps      *self,
                                    const CochleaActivationMap *map,
                                    double                      window_start,
                                    double                      seconds_per_frame,
                                    guint                       window_frames)
{
  double seconds_per_step, start;

  g_return_if_fail (map != NULL);
  g_return_if_fail (seconds_per_frame > 0 && window_frames > 0);

  if (map->frames_per_step > 0)
    {
      double span = (double) map->n_times * map->frames_per_step;

      seconds_per_step = map->frames_per_step * seconds_per_frame;
      start = window_start + MAX (0.0, (window_frames - span) / 2) * seconds_per_frame;
    }
  else
    {
      seconds_per_step = window_frames * seconds_per_frame / MAX (map->n_times, 1);
      start = window_start;
    }

  cochlea_activation_maps_add_layer (self, map->name, map->n_channels, map->n_times,
                                     start, seconds_per_step, map->data);
}

guint
cochlea_activation_maps_get_n_layers (const CochleaActivationMaps *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->layers->len;
}

/**
 * cochlea_activation_maps_get_layer:
 *
 * Returns: (transfer none): layer @index
 */
const CochleaActivationLayer *
cochlea_activation_maps_get_layer (const CochleaActivationMaps *self,
                                   guint                        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->layers->len, NULL);
  return g_ptr_array_index (self->layers, index);
}

/**
 * cochlea_activation_maps_find_layer:
 *
 * Returns: the index of the layer called @name, or -1
 */
int
cochlea_activation_maps_find_layer (const CochleaActivationMaps *self,
                                    const char                  *name)
{
  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; i < self->layers->len; i++)
    if (g_strcmp0 (((CochleaActivationLayer *) g_ptr_array_index (self->layers, i))->name, name) == 0)
      return i;
  return -1;
}

/**
 * cochlea_activation_layer_row_to_channel:
 * @layer: a layer
 * @y: a row (0 at the top), may be fractional
 * @height: rows in the picture
 *
 * Returns: the channel drawn at @y (channel 0 at the top)
 */
guint
cochlea_activation_layer_row_to_channel (const CochleaActivationLayer *layer,
                                         double                       y,
                                         double                       height)
{
  double c = floor (y * layer->n_channels / height);

  return (guint) CLAMP (c, 0, (double) layer->n_channels - 1);
}

/**
 * cochlea_activation_layer_time_to_step:
 * @layer: a layer
 * @t: seconds on the song's clock
 *
 * Returns: the step covering @t, or -1 outside the layer
 */
int
cochlea_activation_layer_time_to_step (const CochleaActivationLayer *layer,
                                       double                       t)
{
  double s = floor ((t - layer->start_time) / layer->seconds_per_step);

  if (s < 0 || s >= layer->n_steps)
    return -1;
  return (int) s;
}

/**
 * cochlea_activation_layer_render_pixels:
 * @layer: a layer (read only)
 * @params: what to draw
 * @pixels: (out caller-allocates): premultiplied RGBA8 rows of @stride bytes
 * @stride: bytes per row, ≥ 4 × width
 */
void
cochlea_activation_layer_render_pixels (const CochleaActivationLayer  *layer,
                                        const CochleaActivationRender *params,
                                        guint8                        *pixels,
                                        gsize                          stride)
{
  const guint8 *table = cochlea_colormap_get_table (params->colormap);
  g_autofree int *col_s0 = g_new (int, MAX (params->width, 1));
  g_autofree int *col_s1 = g_new (int, MAX (params->width, 1));

  g_return_if_fail (params->seconds_per_px > 0);
  g_return_if_fail (stride >= 4 * (gsize) params->width);

  /* Steps [s0, s1) of each column: those whose centres fall inside it, or
   * else the one under its centre (zoomed in: crisp blocks). */
  for (guint x = 0; x < params->width; x++)
    {
      double t0 = params->t_start + x * params->seconds_per_px - layer->start_time;
      double t1 = t0 + params->seconds_per_px;
      double s_centre = floor ((t0 + t1) / 2 / layer->seconds_per_step);
      int s0 = (int) ceil (t0 / layer->seconds_per_step - 0.5);
      int s1 = (int) ceil (t1 / layer->seconds_per_step - 0.5);

      if (s1 <= s0)
        {
          s0 = (int) s_centre;
          s1 = s0 + 1;
        }
      col_s0[x] = MAX (s0, 0);
      col_s1[x] = MIN (s1, (int) layer->n_steps);
    }

  for (guint y = 0; y < params->height; y++)
    {
      guint c0 = (guint) floor ((double) y * layer->n_channels / params->height);
      guint c1 = (guint) floor ((double) (y + 1) * layer->n_channels / params->height);
      guint8 *row = pixels + y * stride;

      c0 = MIN (c0, layer->n_channels - 1);
      c1 = CLAMP (c1, c0 + 1, layer->n_channels);

      for (guint x = 0; x < params->width; x++)
        {
          float v = -INFINITY;

          if (col_s0[x] >= col_s1[x])
            {
              memset (row + 4 * x, 0, 4);
              continue;
            }
          for (guint c = c0; c < c1; c++)
            for (int s = col_s0[x]; s < col_s1[x]; s++)
              v = MAX (v, layer->data[(gsize) c * layer->n_steps + s]);

          memcpy (row + 4 * x, table + 4 * cochlea_colormap_db_to_index (v, params->lo, params->hi), 4);
        }
    }
}
