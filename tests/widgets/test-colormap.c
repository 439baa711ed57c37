/* test-colormap.c — colour maps, no display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-colormap.h"

static void
test_colormap_endpoints (void)
{
  /* matplotlib's published first and last entries. */
  static const struct
  {
    CochleaColormap cmap;
    guint           index;
    float           rgb[3];
  } cases[] = {
    { COCHLEA_COLORMAP_VIRIDIS, 0, { 0.267004f, 0.004874f, 0.329415f } },
    { COCHLEA_COLORMAP_VIRIDIS, 255, { 0.993248f, 0.906157f, 0.143936f } },
    { COCHLEA_COLORMAP_MAGMA, 0, { 0.001462f, 0.000466f, 0.013866f } },
    { COCHLEA_COLORMAP_MAGMA, 255, { 0.987053f, 0.991438f, 0.749504f } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const guint8 *table = cochlea_colormap_get_table (cases[i].cmap);
      float rgb[3];

      cochlea_colormap_get_rgb_float (cases[i].cmap, cases[i].index, rgb);
      for (guint c = 0; c < 3; c++)
        {
          g_assert_cmpfloat_with_epsilon (rgb[c], cases[i].rgb[c], 1e-6);
          g_assert_cmpint (table[4 * cases[i].index + c], ==, (int) (cases[i].rgb[c] * 255 + 0.5f));
        }
      g_assert_cmpint (table[4 * cases[i].index + 3], ==, 255);
    }
}

static void
test_colormap_monotonic_luminance (gconstpointer data)
{
  CochleaColormap cmap = GPOINTER_TO_INT (data);
  const guint8 *table = cochlea_colormap_get_table (cmap);
  double prev = -1;

  /* Perceptually uniform maps are monotonic in lightness; 8-bit rounding
   * can tie neighbours, never reverse them by more than a hair. */
  for (guint i = 0; i < COCHLEA_COLORMAP_N_ENTRIES; i++)
    {
      double y = cochlea_colormap_relative_luminance (table + 4 * i);

      g_assert_cmpfloat (y, >, prev - 1e-3);
      prev = MAX (prev, y);
    }
  g_assert_cmpfloat (cochlea_colormap_relative_luminance (table + 4 * 255), >,
                     cochlea_colormap_relative_luminance (table) + 0.5);
}

static void
test_colormap_db_mapping (void)
{
  guint8 rgba[4];
  const guint8 *table = cochlea_colormap_get_table (COCHLEA_COLORMAP_MAGMA);

  g_assert_cmpint (cochlea_colormap_db_to_index (-80, -80, 0), ==, 0);
  g_assert_cmpint (cochlea_colormap_db_to_index (-120, -80, 0), ==, 0);
  g_assert_cmpint (cochlea_colormap_db_to_index (0, -80, 0), ==, 255);
  g_assert_cmpint (cochlea_colormap_db_to_index (12, -80, 0), ==, 255);
  g_assert_cmpint (cochlea_colormap_db_to_index (-40, -80, 0), ==, 128);
  g_assert_cmpint (cochlea_colormap_db_to_index (NAN, -80, 0), ==, 0);
  g_assert_cmpint (cochlea_colormap_db_to_index (-INFINITY, -80, 0), ==, 0);
  g_assert_cmpint (cochlea_colormap_db_to_index (INFINITY, -80, 0), ==, 255);
  /* Degenerate range: no division by zero. */
  g_assert_cmpint (cochlea_colormap_db_to_index (-3, -3, -3), ==, 0);
  g_assert_cmpint (cochlea_colormap_db_to_index (-2, -3, -3), ==, 255);

  /* Monotonic in dB. */
  for (int db = -100, prev = -1; db <= 20; db++)
    {
      int idx = cochlea_colormap_db_to_index (db, -80, 0);
      g_assert_cmpint (idx, >=, prev);
      prev = idx;
    }

  cochlea_colormap_map_db (COCHLEA_COLORMAP_MAGMA, 0, -80, 0, rgba);
  g_assert_cmpmem (rgba, 4, table + 4 * 255, 4);
  cochlea_colormap_map (COCHLEA_COLORMAP_MAGMA, 0.0, rgba);
  g_assert_cmpmem (rgba, 4, table, 4);
  cochlea_colormap_map (COCHLEA_COLORMAP_MAGMA, 2.0, rgba);
  g_assert_cmpmem (rgba, 4, table + 4 * 255, 4);
}

static void
test_colormap_enum_type (void)
{
  GEnumClass *klass = g_type_class_ref (COCHLEA_TYPE_COLORMAP);

  g_assert_nonnull (g_enum_get_value_by_nick (klass, "viridis"));
  g_assert_cmpint (g_enum_get_value_by_nick (klass, "magma")->value, ==, COCHLEA_COLORMAP_MAGMA);
  g_type_class_unref (klass);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/colormap/endpoints", test_colormap_endpoints);
  g_test_add_data_func ("/colormap/luminance/viridis", GINT_TO_POINTER (COCHLEA_COLORMAP_VIRIDIS),
                        test_colormap_monotonic_luminance);
  g_test_add_data_func ("/colormap/luminance/magma", GINT_TO_POINTER (COCHLEA_COLORMAP_MAGMA),
                        test_colormap_monotonic_luminance);
  g_test_add_func ("/colormap/db-mapping", test_colormap_db_mapping);
  g_test_add_func ("/colormap/enum-type", test_colormap_enum_type);

  return g_test_run ();
}
