/* cochlea-spectrogram-view-private.h — shared by the view's sibling files
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-spectrogram-view.h"

G_BEGIN_DECLS

#define COCHLEA_SPECTROGRAM_TILE_WIDTH 256 /* device pixels per tile */

typedef struct
{
  GdkTexture    *texture;
  GBytes        *bytes;     /* the texture's pixels, GDK_MEMORY_DEFAULT */
  GskRenderNode *node;      /* cached image node for the cairo renderer */
  gint64         index;     /* tile column at the key it was made for */
  double         t_start;   /* seconds at its left edge */
  double         t_end;     /* seconds at its right edge */
  gboolean       complete;  /* no column past the end of the data */
} CochleaSpectrogramTile;

struct _CochleaSpectrogramView
{
  GtkWidget           parent_instance;

  /* Owned */
  CochleaSpectrogram *data;            /* engine object, refcounted, immutable */
  GHashTable         *tiles;           /* index → CochleaSpectrogramTile*, current key */
  GPtrArray          *stale_tiles;     /* CochleaSpectrogramTile*, older key; drawn under */
  GskRenderNode      *freq_axis_node;  /* cached; dropped on resize, data or style change */
  GskRenderNode      *time_grid_node;  /* cached for content x in [time_axis_x0, time_axis_x1) */
  GHashTable         *time_labels;     /* tick index → GskRenderNode*, at the current zoom */
  GdkTexture         *legend_texture;  /* 1 × 256 colour bar */
  GdkRGBA             playhead_color;  /* from CSS, read with freq_axis_node */
  GdkRGBA             axis_fg_color;
  GdkRGBA             axis_dim_color;
  GCancellable       *tile_cancellable;

  /* State */
  double              position;        /* seconds */
  double              seconds_per_px;
  double              view_start;      /* seconds at the plot's left edge */
  double              db_min;
  double              db_max;
  double              time_axis_x0;    /* content pixels covered by the time nodes */
  double              time_axis_x1;
  double              hover_x;         /* widget coordinates, -1 when outside */
  double              zoom_anchor;
  CochleaColormap     colormap;
  guint               auto_range : 1;
  guint               follow : 1;
  guint               playing : 1;
  guint               job_running : 1;
  guint               job_dirty : 1;
  guint               key_serial;      /* bumped when every tile must be remade */
  int                 tile_height;     /* device pixels of the current key */
  int                 tile_scale;
  guint               n_tiles_rendered; /* for tests: tiles made since creation */
};

void   _cochlea_spectrogram_view_init_input     (CochleaSpectrogramView *self);
void   _cochlea_spectrogram_view_get_plot       (CochleaSpectrogramView *self,
                                                 graphene_rect_t        *plot);
double _cochlea_spectrogram_view_x_to_time      (CochleaSpectrogramView *self,
                                                 double                  x);
void   _cochlea_spectrogram_view_emit_seek      (CochleaSpectrogramView *self,
                                                 double                  seconds);
void   _cochlea_spectrogram_view_zoom_at        (CochleaSpectrogramView *self,
                                                 double                  factor,
                                                 double                  x);
gboolean _cochlea_spectrogram_view_click      (CochleaSpectrogramView *self,
                                                 double                  x,
                                                 double                  y);
gboolean _cochlea_spectrogram_view_handle_key  (CochleaSpectrogramView *self,
                                                 guint                   keyval);
/* For tests: how many tiles have been rendered, and whether a job runs. */
guint  _cochlea_spectrogram_view_get_n_tiles_rendered (CochleaSpectrogramView *self);
gboolean _cochlea_spectrogram_view_is_busy      (CochleaSpectrogramView *self);

G_END_DECLS
