/* cochlea-colormap.h — perceptual colour maps, value → RGBA8 (pure, no display)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CochleaColormap:
 * @COCHLEA_COLORMAP_VIRIDIS: matplotlib's viridis (dark blue → yellow)
 * @COCHLEA_COLORMAP_MAGMA: matplotlib's magma (black → purple → cream)
 *
 * The 256-entry tables are matplotlib's published values
 * (lib/matplotlib/_cm_listed.py), generated into cochlea-colormap-tables.h.
 */
typedef enum
{
  COCHLEA_COLORMAP_VIRIDIS,
  COCHLEA_COLORMAP_MAGMA,
} CochleaColormap;

#define COCHLEA_COLORMAP_N_ENTRIES 256

#define COCHLEA_TYPE_COLORMAP (cochlea_colormap_get_type ())
GType         cochlea_colormap_get_type       (void) G_GNUC_CONST;

const guint8 *cochlea_colormap_get_table      (CochleaColormap cmap);
void          cochlea_colormap_get_rgb_float  (CochleaColormap cmap,
                                               guint           index,
                                               float           rgb[3]);
guint8        cochlea_colormap_db_to_index    (float           db,
                                               float           db_min,
                                               float           db_max);
void          cochlea_colormap_map            (CochleaColormap cmap,
                                               double          t,
                                               guint8          rgba[4]);
void          cochlea_colormap_map_db         (CochleaColormap cmap,
                                               float           db,
                                               float           db_min,
                                               float           db_max,
                                               guint8          rgba[4]);
double        cochlea_colormap_relative_luminance (const guint8 rgba[4]);

G_END_DECLS
