/* test-npy.c — the streaming .npy writer and the reader.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

static char *tmpdir;

static char *
fresh_dir (const char *name)
{
  char *dir = g_build_filename (tmpdir, name, NULL);

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  return dir;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* Rows written one by one come back exactly, under a header numpy accepts:
 * version 1.0, data aligned to 64 bytes, the dict ending in a newline. */
static void
test_round_trip (void)
{
  g_autofree char *dir = fresh_dir ("round-trip");
  g_autofree char *path = g_build_filename (dir, "x.npy", NULL);
  g_autoptr(CochleaNpyWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree float *data = NULL;
  float row[128];
  gsize length, rows = 0, cols = 0, header_len;
  const gsize n_rows = 7;

  writer = cochlea_npy_writer_new (path, 128, &error);
  g_assert_no_error (error);
  for (gsize r = 0; r < n_rows; r++)
    {
      for (gsize c = 0; c < 128; c++)
        row[c] = (float) r * 1000.0f - (float) c / 3.0f;
      g_assert_true (cochlea_npy_writer_append (writer, row, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (cochlea_npy_writer_get_rows (writer), ==, n_rows);
  /* Nothing under the final name before the commit. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (cochlea_npy_writer_commit (writer, &error));
  g_assert_no_error (error);
  g_clear_pointer (&writer, cochlea_npy_writer_free);
  g_assert_cmpuint (count_entries (dir), ==, 1);

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, 8, "\x93NUMPY\x01\x00", 8);
  header_len = (guchar) contents[8] | ((guchar) contents[9] << 8);
  g_assert_cmpuint ((10 + header_len) % 64, ==, 0);
  g_assert_cmpint (contents[10 + header_len - 1], ==, '\n');
  g_assert_nonnull (g_strstr_len (contents + 10, header_len, "'shape': (7, 128)"));
  g_assert_cmpuint (length, ==, 10 + header_len + n_rows * 128 * sizeof (float));

  g_assert_true (cochlea_npy_read_f32 (path, &data, &rows, &cols, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, n_rows);
  g_assert_cmpuint (cols, ==, 128);
  for (gsize r = 0; r < n_rows; r++)
    for (gsize c = 0; c < 128; c++)
      g_assert_cmpfloat (data[r * 128 + c], ==, (float) r * 1000.0f - (float) c / 3.0f);
}

/* Zero rows is a valid array. */
static void
test_empty (void)
{
  g_autofree char *dir = fresh_dir ("empty");
  g_autofree char *path = g_build_filename (dir, "e.npy", NULL);
  g_autoptr(CochleaNpyWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *data = NULL;
  gsize rows = 1, cols = 0;

  writer = cochlea_npy_writer_new (path, 128, &error);
  g_assert_no_error (error);
  g_assert_true (cochlea_npy_writer_commit (writer, &error));
  g_assert_true (cochlea_npy_read_f32 (path, &data, &rows, &cols, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 0);
  g_assert_cmpuint (cols, ==, 128);
}

/* Freed without a commit (an error, a cancelled run): the temporary file
 * goes, and a previous result under the final name stays as it was. */
static void
test_abandon (void)
{
  g_autofree char *dir = fresh_dir ("abandon");
  g_autofree char *path = g_build_filename (dir, "a.npy", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  CochleaNpyWriter *writer;
  float row[128] = { 0, };

  writer = cochlea_npy_writer_new (path, 128, &error);
  g_assert_no_error (error);
  cochlea_npy_writer_append (writer, row, &error);
  g_assert_cmpuint (count_entries (dir), ==, 1);   /* the temporary file */
  cochlea_npy_writer_free (writer);
  g_assert_cmpuint (count_entries (dir), ==, 0);

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  writer = cochlea_npy_writer_new (path, 128, &error);
  g_assert_no_error (error);
  cochlea_npy_writer_append (writer, row, &error);
  cochlea_npy_writer_free (writer);
  g_assert_cmpuint (count_entries (dir), ==, 1);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
}

static void
test_unwritable (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "no-such-dir", "x.npy", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaNpyWriter) writer = NULL;

  writer = cochlea_npy_writer_new (path, 128, &error);
  g_assert_null (writer);
  g_assert_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "x.npy"));

  g_clear_error (&error);
  writer = cochlea_npy_writer_new (tmpdir, 128, &error);
  g_assert_null (writer);
  g_assert_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_IO);
}

/* The reader rejects what it cannot represent, and never reads past the
 * end of a lying file. */
static void
test_reader_rejects (void)
{
  static const struct { const char *name; const char *header; gsize data_bytes; int code; } cases[] = {
    { "magic",   NULL,                                                                      0,  COCHLEA_ENGINE_ERROR_INVALID_FILE },
    { "f8",      "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",             32, COCHLEA_ENGINE_ERROR_SHAPE },
    { "fortran", "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",              16, COCHLEA_ENGINE_ERROR_SHAPE },
    { "short",   "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }",             16, COCHLEA_ENGINE_ERROR_INVALID_FILE },
    { "huge",    "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", 16, COCHLEA_ENGINE_ERROR_INVALID_FILE },
    { "1-d",     "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }",               16, COCHLEA_ENGINE_ERROR_INVALID_FILE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad-%s.npy", cases[i].name);
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      g_autoptr(GError) error = NULL;
      g_autofree float *data = NULL;
      gsize rows, cols;

      if (cases[i].header == NULL)
        g_byte_array_append (bytes, (const guint8 *) "\x93NUMPX\x01\x00\x00\x00", 10);
      else
        {
          g_autoptr(GString) header = g_string_new (cases[i].header);
          guint8 len[2];

          while ((10 + header->len + 1) % 64 != 0)
            g_string_append_c (header, ' ');
          g_string_append_c (header, '\n');
          len[0] = header->len & 0xff;
          len[1] = header->len >> 8;
          g_byte_array_append (bytes, (const guint8 *) "\x93NUMPY\x01\x00", 8);
          g_byte_array_append (bytes, len, 2);
          g_byte_array_append (bytes, (const guint8 *) header->str, header->len);
          for (gsize b = 0; b < cases[i].data_bytes; b++)
            g_byte_array_append (bytes, (const guint8 *) "\0", 1);
        }
      g_assert_true (g_file_set_contents (path, (const char *) bytes->data, bytes->len, NULL));

      g_assert_false (cochlea_npy_read_f32 (path, &data, &rows, &cols, &error));
      g_assert_error (error, COCHLEA_ENGINE_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, name));
      g_assert_null (data);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = cochlea_test_tmpdir ();

  g_test_add_func ("/npy/round-trip", test_round_trip);
  g_test_add_func ("/npy/empty", test_empty);
  g_test_add_func ("/npy/abandon", test_abandon);
  g_test_add_func ("/npy/unwritable", test_unwritable);
  g_test_add_func ("/npy/reader-rejects", test_reader_rejects);

  return g_test_run ();
}
