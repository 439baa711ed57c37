/* test-activation-render.c — activation maps and their pure pixel
 * function, no display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-activation-maps.h"

static gboolean
is_colour (const guint8   *p,
           CochleaColormap cmap,
           guint           index)
{
  return memcmp (p, cochlea_colormap_get_table (cmap) + 4 * index, 4) == 0;
}

static void
test_maps_build (void)
{
  g_autoptr(CochleaActivationMaps) maps = cochlea_activation_maps_new ();
  const float data[6] = { 0, 1, 2, -3, NAN, 5 };
  const CochleaActivationLayer *layer;

  cochlea_activation_maps_add_layer (maps, "conv1", 2, 3, 1.5, 0.25, data);
  cochlea_activation_maps_add_layer (maps, "dense", 3, 1, 1.5, 3.0, data);
  g_assert_cmpuint (cochlea_activation_maps_get_n_layers (maps), ==, 2);
  g_assert_cmpint (cochlea_activation_maps_find_layer (maps, "dense"), ==, 1);
  g_assert_cmpint (cochlea_activation_maps_find_layer (maps, "nope"), ==, -1);

  layer = cochlea_activation_maps_get_layer (maps, 0);
  g_assert_cmpstr (layer->name, ==, "conv1");
  g_assert_true (layer->data != data); /* copied */
  g_assert_cmpfloat (layer->min, ==, -3);
  g_assert_cmpfloat (layer->max, ==, 5);   /* NaN skipped */

  /* Steps on the song's clock. */
  g_assert_cmpint (cochlea_activation_layer_time_to_step (layer, 1.49), ==, -1);
  g_assert_cmpint (cochlea_activation_layer_time_to_step (layer, 1.5), ==, 0);
  g_assert_cmpint (cochlea_activation_layer_time_to_step (layer, 2.0), ==, 2);
  g_assert_cmpint (cochlea_activation_layer_time_to_step (layer, 2.25), ==, -1);
  g_assert_cmpuint (cochlea_activation_layer_row_to_channel (layer, 0.2, 10), ==, 0);
  g_assert_cmpuint (cochlea_activation_layer_row_to_channel (layer, 9.9, 10), ==, 1);
}

/* The nn engineer's borrowed map becomes an owned layer on the song's
 * time axis: conv layers centred in the window, vectors spanning it. */
static void
test_maps_from_nn (void)
{
  g_autoptr(CochleaActivationMaps) maps = cochlea_activation_maps_new ();
  g_autofree float *conv = g_new0 (float, 4 * 125);
  float vec[8] = { 0 };
  const double spf = 512.0 / 22050.0;
  CochleaActivationMap conv_map = { "conv1", 4, 125, 1, conv };
  CochleaActivationMap pool_map = { "pool1", 4, 31, 4, conv };
  CochleaActivationMap vec_map = { "embedding", 8, 1, 0, vec };
  const CochleaActivationLayer *layer;

  conv[3 * 125 + 10] = 7;
  cochlea_activation_maps_add_nn_map (maps, &conv_map, 10.0, spf, 128);
  cochlea_activation_maps_add_nn_map (maps, &pool_map, 10.0, spf, 128);
  cochlea_activation_maps_add_nn_map (maps, &vec_map, 10.0, spf, 128);

  layer = cochlea_activation_maps_get_layer (maps, 0);
  g_assert_cmpfloat_with_epsilon (layer->seconds_per_step, spf, 1e-12);
  g_assert_cmpfloat_with_epsilon (layer->start_time, 10.0 + 1.5 * spf, 1e-12);
  g_assert_cmpfloat (layer->data[3 * 125 + 10], ==, 7);

  layer = cochlea_activation_maps_get_layer (maps, 1);
  g_assert_cmpfloat_with_epsilon (layer->seconds_per_step, 4 * spf, 1e-12);
  g_assert_cmpfloat_with_epsilon (layer->start_time, 10.0 + 2 * spf, 1e-12);

  layer = cochlea_activation_maps_get_layer (maps, 2);
  g_assert_cmpuint (layer->n_steps, ==, 1);
  g_assert_cmpfloat_with_epsilon (layer->start_time, 10.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (layer->seconds_per_step, 128 * spf, 1e-12);
}

/* One hot cell (channel 5 of 16, step 7 of 20) lands on exactly the rows of
 * channel 5 and the columns of step 7, at every zoom. */
static void
test_render_hot_cell (void)
{
  g_autoptr(CochleaActivationMaps) maps = cochlea_activation_maps_new ();
  float data[16 * 20] = { 0 };
  const CochleaActivationLayer *layer;
  static const double px_per_step[] = { 4, 1, 0.5 };

  data[5 * 20 + 7] = 1;
  cochlea_activation_maps_add_layer (maps, "conv", 16, 20, 2.0, 0.1, data);
  layer = cochlea_activation_maps_get_layer (maps, 0);

  for (guint z = 0; z < G_N_ELEMENTS (px_per_step); z++)
    {
      CochleaActivationRender params = {
        .t_start = 2.0,
        .seconds_per_px = 0.1 / px_per_step[z],
        .width = (guint) ceil (20 * px_per_step[z]),
        .height = 64,
        .lo = 0,
        .hi = 1,
        .colormap = COCHLEA_COLORMAP_VIRIDIS,
      };
      gsize stride = 4 * params.width;
      g_autofree guint8 *pixels = g_malloc (stride * params.height);
      int hot_x0 = -1, hot_x1 = -1, hot_y0 = -1, hot_y1 = -1;

      cochlea_activation_layer_render_pixels (layer, &params, pixels, stride);
      for (guint y = 0; y < params.height; y++)
        for (guint x = 0; x < params.width; x++)
          {
            const guint8 *p = pixels + y * stride + 4 * x;

            if (is_colour (p, params.colormap, 255))
              {
                if (hot_x0 < 0 || (int) x < hot_x0) hot_x0 = x;
                if ((int) x > hot_x1) hot_x1 = x;
                if (hot_y0 < 0) hot_y0 = y;
                hot_y1 = y;
              }
            else
              g_assert_true (is_colour (p, params.colormap, 0));
          }

      g_assert_cmpint (hot_y0, ==, 5 * 4);
      g_assert_cmpint (hot_y1, ==, 5 * 4 + 3);
      if (px_per_step[z] >= 1)
        {
          g_assert_cmpint (hot_x0, ==, (int) (7 * px_per_step[z]));
          g_assert_cmpint (hot_x1, ==, (int) (8 * px_per_step[z]) - 1);
        }
      else
        g_assert_cmpint (hot_x0, ==, 3); /* steps 6 and 7 share column 3 */
    }
}

/* Many channels into few rows: each row shows its channels' maximum, so
 * a single hot channel is never lost. */
static void
test_render_row_pooling (void)
{
  g_autoptr(CochleaActivationMaps) maps = cochlea_activation_maps_new ();
  g_autofree float *data = g_new0 (float, 256 * 4);
  g_autofree guint8 *pixels = g_malloc (4 * 4 * 32);
  CochleaActivationRender params = { 0, 0.5, 4, 32, 0, 1, COCHLEA_COLORMAP_MAGMA };

  data[201 * 4 + 2] = 1; /* channel 201 of 256 → row 25 of 32 */
  cochlea_activation_maps_add_layer (maps, "conv4", 256, 4, 0, 0.5, data);
  cochlea_activation_layer_render_pixels (cochlea_activation_maps_get_layer (maps, 0), &params, pixels, 16);

  g_assert_true (is_colour (pixels + 25 * 16 + 4 * 2, params.colormap, 255));
  g_assert_true (is_colour (pixels + 24 * 16 + 4 * 2, params.colormap, 0));
  g_assert_true (is_colour (pixels + 25 * 16 + 4 * 1, params.colormap, 0));
}

static void
test_render_outside (void)
{
  g_autoptr(CochleaActivationMaps) maps = cochlea_activation_maps_new ();
  float data[2 * 3] = { 1, 1, 1, 1, 1, 1 };
  guint8 pixels[4 * 10 * 2];
  CochleaActivationRender params = { 0, 0.5, 10, 2, 0, 1, COCHLEA_COLORMAP_VIRIDIS };

  cochlea_activation_maps_add_layer (maps, "x", 2, 3, 1.0, 0.5, data); /* covers [1, 2.5) */
  cochlea_activation_layer_render_pixels (cochlea_activation_maps_get_layer (maps, 0), &params, pixels, 40);
  g_assert_cmpint (pixels[4 * 1 + 3], ==, 0);   /* [0.5, 1): before */
  g_assert_cmpint (pixels[4 * 2 + 3], ==, 255); /* [1, 1.5) */
  g_assert_cmpint (pixels[4 * 4 + 3], ==, 255); /* [2, 2.5) */
  g_assert_cmpint (pixels[4 * 5 + 3], ==, 0);   /* after */
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/activation-maps/build", test_maps_build);
  g_test_add_func ("/activation-maps/from-nn", test_maps_from_nn);
  g_test_add_func ("/activation-render/hot-cell", test_render_hot_cell);
  g_test_add_func ("/activation-render/row-pooling", test_render_row_pooling);
  g_test_add_func ("/activation-render/outside", test_render_outside);

  return g_test_run ();
}
