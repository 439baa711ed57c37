/* cochlea-npy.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A streaming writer of 2-D float32 NumPy .npy files (format 1.0, '<f4',
 * C order).  Rows are appended as they come; the shape in the header is
 * fixed up at the end.  Everything goes to a temporary file beside the
 * destination, renamed over it only by cochlea_npy_writer_commit(), so a
 * failure or a crash never leaves a partial .npy under the final name. */
typedef struct _CochleaNpyWriter CochleaNpyWriter;

CochleaNpyWriter *cochlea_npy_writer_new    (const char        *path,
                                             gsize              n_cols,
                                             GError           **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean          cochlea_npy_writer_append (CochleaNpyWriter  *self,
                                             const float       *row,
                                             GError           **error);
gboolean          cochlea_npy_writer_commit (CochleaNpyWriter  *self,
                                             GError           **error);
void              cochlea_npy_writer_free   (CochleaNpyWriter  *self);
guint64           cochlea_npy_writer_get_rows (CochleaNpyWriter *self);

gboolean          cochlea_npy_read_f32      (const char        *path,
                                             float            **data,
                                             gsize             *rows,
                                             gsize             *cols,
                                             GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaNpyWriter, cochlea_npy_writer_free)

G_END_DECLS
