/* cochlea-npy.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The .npy format: "\x93NUMPY", version 1.0, a little-endian uint16 header
 * length, a Python dict literal padded with spaces to a multiple of 64
 * bytes and ended by '\n', then the raw array.
 */
#define G_LOG_DOMAIN "cochlea-npy"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cochlea-error.h"
#include "cochlea-npy.h"

/* Room for any shape we can write, so the header can be rewritten in place. */
#define HEADER_BYTES 128

struct _CochleaNpyWriter
{
  char    *path;
  char    *tmp_path;
  char    *display_name;
  FILE    *file;
  gsize    n_cols;
  guint64  n_rows;
  gboolean committed;
};

static gboolean
set_io_error (CochleaNpyWriter *self,
              int               saved_errno,
              GError          **error)
{
  g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_IO,
               "%s: cannot write: %s", self->display_name, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_header (CochleaNpyWriter *self,
              GError          **error)
{
  char header[HEADER_BYTES];
  g_autofree char *dict = NULL;
  gsize dict_len;

  dict = g_strdup_printf ("{'descr': '<f4', 'fortran_order': False, 'shape': (%" G_GUINT64_FORMAT ", %" G_GSIZE_FORMAT "), }",
                          self->n_rows, self->n_cols);
  dict_len = strlen (dict);
  g_assert (10 + dict_len + 1 <= HEADER_BYTES);

  memset (header, ' ', sizeof header);
  memcpy (header, "\x93NUMPY\x01\x00", 8);
  header[8] = (HEADER_BYTES - 10) & 0xff;
  header[9] = ((HEADER_BYTES - 10) >> 8) & 0xff;
  memcpy (header + 10, dict, dict_len);
  header[HEADER_BYTES - 1] = '\n';

  if (fseek (self->file, 0, SEEK_SET) != 0 ||
      fwrite (header, 1, sizeof header, self->file) != sizeof header)
    return set_io_error (self, errno, error);
  return TRUE;
}

/**
 * cochlea_npy_writer_new:
 * @path: destination, in the GLib file name encoding
 * @n_cols: row length
 *
 * Returns: (transfer full): a writer, or %NULL when the temporary file
 *   cannot be created (the message names @path)
 */
CochleaNpyWriter *
cochlea_npy_writer_new (const char *path,
                        gsize       n_cols,
                        GError    **error)
{
  g_autoptr(CochleaNpyWriter) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (n_cols > 0, NULL);

  self = g_new0 (CochleaNpyWriter, 1);
  self->path = g_strdup (path);
  self->display_name = g_filename_display_name (path);
  self->n_cols = n_cols;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_IO,
                   "%s: is a directory", self->display_name);
      return NULL;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  self->tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (self->tmp_path, O_RDWR, 0666 & ~0022);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_clear_pointer (&self->tmp_path, g_free);
      set_io_error (self, saved_errno, error);
      return NULL;
    }
  self->file = fdopen (fd, "w+b");
  if (self->file == NULL)
    {
      int saved_errno = errno;
      close (fd);
      set_io_error (self, saved_errno, error);
      return NULL;
    }

  if (!write_header (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
cochlea_npy_writer_append (CochleaNpyWriter *self,
                           const float      *row,
                           GError          **error)
{
  g_return_val_if_fail (self != NULL && self->file != NULL, FALSE);

#if G_BYTE_ORDER != G_LITTLE_ENDIAN
# error "cochlea-npy.c writes native floats as '<f4'; add byte swapping for big-endian hosts"
#endif
  if (fwrite (row, sizeof (float), self->n_cols, self->file) != self->n_cols)
    return set_io_error (self, errno, error);
  self->n_rows++;
  return TRUE;
}

guint64
cochlea_npy_writer_get_rows (CochleaNpyWriter *self)
{
  return self->n_rows;
}

/**
 * cochlea_npy_writer_commit:
 *
 * Writes the final shape, flushes to disk and renames the file into place.
 */
gboolean
cochlea_npy_writer_commit (CochleaNpyWriter *self,
                           GError          **error)
{
  FILE *file;

  g_return_val_if_fail (self != NULL && self->file != NULL, FALSE);

  if (!write_header (self, error))
    return FALSE;

  file = g_steal_pointer (&self->file);
  if (fflush (file) != 0 || fsync (fileno (file)) != 0)
    {
      int saved_errno = errno;
      fclose (file);
      return set_io_error (self, saved_errno, error);
    }
  if (fclose (file) != 0)
    return set_io_error (self, errno, error);

  if (g_rename (self->tmp_path, self->path) != 0)
    return set_io_error (self, errno, error);

  self->committed = TRUE;
  return TRUE;
}

/* Frees the writer; without a successful commit the temporary file is
 * removed and the destination is left as it was. */
void
cochlea_npy_writer_free (CochleaNpyWriter *self)
{
  if (self == NULL)
    return;
  if (self->file != NULL)
    fclose (self->file);
  if (!self->committed && self->tmp_path != NULL)
    g_unlink (self->tmp_path);
  g_free (self->path);
  g_free (self->tmp_path);
  g_free (self->display_name);
  g_free (self);
}

/**
 * cochlea_npy_read_f32:
 * @data: (out) (transfer full): rows × cols floats
 *
 * Reads a 2-D little-endian float32 C-order .npy file (what the writer
 * writes, and what numpy.save writes for such an array).
 */
gboolean
cochlea_npy_read_f32 (const char *path,
                      float     **data,
                      gsize      *rows,
                      gsize      *cols,
                      GError    **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display_name = g_filename_display_name (path);
  g_autofree char *header = NULL;
  gsize length, header_len, offset;
  const char *shape;
  guint64 r, c;
  char *end;

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;

  if (length < 10 || memcmp (contents, "\x93NUMPY", 6) != 0)
    goto invalid;
  if (contents[6] == 1)
    {
      header_len = (guchar) contents[8] | ((guchar) contents[9] << 8);
      offset = 10;
    }
  else if ((contents[6] == 2 || contents[6] == 3) && length >= 12)
    {
      header_len = (guchar) contents[8] | ((guchar) contents[9] << 8) |
                   ((gsize) (guchar) contents[10] << 16) | ((gsize) (guchar) contents[11] << 24);
      offset = 12;
    }
  else
    goto invalid;
  if (header_len > length - offset)
    goto invalid;

  header = g_strndup (contents + offset, header_len);
  offset += header_len;
  if (strstr (header, "'descr': '<f4'") == NULL || strstr (header, "'fortran_order': False") == NULL)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_SHAPE,
                   "%s: not a little-endian float32 C-order array", display_name);
      return FALSE;
    }
  shape = strstr (header, "'shape': (");
  if (shape == NULL)
    goto invalid;
  shape += strlen ("'shape': (");
  r = g_ascii_strtoull (shape, &end, 10);
  if (end == shape || *end != ',')
    goto invalid;
  shape = end + 1;
  while (*shape == ' ')
    shape++;
  c = g_ascii_strtoull (shape, &end, 10);
  if (end == shape || *end != ')')
    goto invalid;
  if (c != 0 && r > (length - offset) / sizeof (float) / c)
    goto invalid;
  if ((length - offset) != r * c * sizeof (float))
    goto invalid;

  *rows = r;
  *cols = c;
  *data = g_memdup2 (contents + offset, r * c * sizeof (float));
  return TRUE;

invalid:
  g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
               "%s: not a 2-D .npy file", display_name);
  return FALSE;
}
