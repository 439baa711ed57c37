/* cochlea-library-cell.h — one cell of the library list: a line of text
 * sized by character counts
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define COCHLEA_TYPE_LIBRARY_CELL (cochlea_library_cell_get_type ())

G_DECLARE_FINAL_TYPE (CochleaLibraryCell, cochlea_library_cell, COCHLEA, LIBRARY_CELL, GtkWidget)

/* Wide enough for @min_chars characters at least and @nat_chars at best;
 * @numeric: right-aligned, tabular figures. */
GtkWidget    *cochlea_library_cell_new         (guint               min_chars,
                                                guint               nat_chars,
                                                gboolean            numeric);
const char   *cochlea_library_cell_get_text    (CochleaLibraryCell *self);
/* (transfer none): the Pango context the text is laid out with — the
 * column view's when the cell is in one, shared by all its cells. */
PangoContext *cochlea_library_cell_get_context (CochleaLibraryCell *self);
void          cochlea_library_cell_set_text    (CochleaLibraryCell *self,
                                                const char         *text);

G_END_DECLS
