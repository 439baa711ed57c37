/* cochlea-colormap.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-colormap"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-colormap.h"
#include "cochlea-colormap-tables.h"

G_DEFINE_ENUM_TYPE (CochleaColormap, cochlea_colormap,
                    G_DEFINE_ENUM_VALUE (COCHLEA_COLORMAP_VIRIDIS, "viridis"),
                    G_DEFINE_ENUM_VALUE (COCHLEA_COLORMAP_MAGMA, "magma"))

/**
 * cochlea_colormap_get_table:
 * @cmap: a colour map
 *
 * Returns: (transfer none): 256 × 4 bytes, RGBA8 with alpha 255 (so it is
 *   both straight and premultiplied), index 0 for the lowest value.
 */
const guint8 *
cochlea_colormap_get_table (CochleaColormap cmap)
{
  switch (cmap)
    {
    case COCHLEA_COLORMAP_MAGMA:
      return magma_rgba8;
    case COCHLEA_COLORMAP_VIRIDIS:
    default:
      return viridis_rgba8;
    }
}

/**
 * cochlea_colormap_get_rgb_float:
 * @cmap: a colour map
 * @index: 0..255
 * @rgb: (out caller-allocates): the published floating-point value
 */
void
cochlea_colormap_get_rgb_float (CochleaColormap cmap,
                                guint           index,
                                float           rgb[3])
{
  const float (*table)[3] = cmap == COCHLEA_COLORMAP_MAGMA ? magma_float : viridis_float;

  index = MIN (index, COCHLEA_COLORMAP_N_ENTRIES - 1);
  memcpy (rgb, table[index], 3 * sizeof (float));
}

/**
 * cochlea_colormap_db_to_index:
 * @db: a level in dB
 * @db_min: the level drawn with the first colour (and everything below it)
 * @db_max: the level drawn with the last colour (and everything above it)
 *
 * Maps [@db_min, @db_max] linearly onto the 256 table entries, clamping
 * outside.  NaN maps to 0.  A degenerate range (@db_max <= @db_min) puts
 * everything at or above @db_min at 255.
 *
 * Returns: the table index
 */
guint8
cochlea_colormap_db_to_index (float db,
                              float db_min,
                              float db_max)
{
  float t;

  if (!(db > db_min)) /* also catches NaN */
    return 0;
  if (!(db_max > db_min) || db >= db_max)
    return 255;

  t = (db - db_min) / (db_max - db_min);
  return (guint8) CLAMP ((int) (t * 255.0f + 0.5f), 0, 255);
}

/**
 * cochlea_colormap_map:
 * @cmap: a colour map
 * @t: a value in [0, 1] (clamped)
 * @rgba: (out caller-allocates): RGBA8
 */
void
cochlea_colormap_map (CochleaColormap cmap,
                      double          t,
                      guint8          rgba[4])
{
  const guint8 *table = cochlea_colormap_get_table (cmap);
  int i;

  if (!(t > 0.0))
    i = 0;
  else if (t >= 1.0)
    i = 255;
  else
    i = (int) (t * 255.0 + 0.5);

  memcpy (rgba, table + 4 * i, 4);
}

/**
 * cochlea_colormap_map_db:
 * @cmap: a colour map
 * @db: a level in dB
 * @db_min: level of the first colour
 * @db_max: level of the last colour
 * @rgba: (out caller-allocates): RGBA8
 */
void
cochlea_colormap_map_db (CochleaColormap cmap,
                         float           db,
                         float           db_min,
                         float           db_max,
                         guint8          rgba[4])
{
  const guint8 *table = cochlea_colormap_get_table (cmap);

  memcpy (rgba, table + 4 * cochlea_colormap_db_to_index (db, db_min, db_max), 4);
}

static double
srgb_to_linear (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

/**
 * cochlea_colormap_relative_luminance:
 * @rgba: an sRGB colour, 8 bits per channel
 *
 * Returns: the WCAG relative luminance Y in [0, 1]
 */
double
cochlea_colormap_relative_luminance (const guint8 rgba[4])
{
  return 0.2126 * srgb_to_linear (rgba[0] / 255.0) +
         0.7152 * srgb_to_linear (rgba[1] / 255.0) +
         0.0722 * srgb_to_linear (rgba[2] / 255.0);
}
