/* test-cli.c — cochlea-cli as a user runs it: help, version, usage errors,
 * `mel` output format, `analyze` output format and exit statuses.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"
#include "cli-test-utils.h"

static char *tmpdir;

static void
test_help (void)
{
  g_autoptr(CliResult) top = cli_test_run ("--help", NULL);
  g_autoptr(CliResult) mel = cli_test_run ("mel", "--help", NULL);
  g_autoptr(CliResult) analyze = cli_test_run ("analyze", "--help", NULL);

  g_assert_cmpint (top->status, ==, 0);
  g_assert_nonnull (strstr (top->out, "Usage: cochlea-cli COMMAND"));
  g_assert_nonnull (strstr (top->out, "  mel "));
  g_assert_nonnull (strstr (top->out, "  analyze "));

  g_assert_cmpint (mel->status, ==, 0);
  g_assert_nonnull (strstr (mel->out, "cochlea-cli mel [OPTION"));
  g_assert_null (strstr (mel->out, "FILE FILE"));
  g_assert_nonnull (strstr (mel->out, "--output"));
  g_assert_nonnull (strstr (mel->out, "OUT.npy"));

  g_assert_cmpint (analyze->status, ==, 0);
  g_assert_nonnull (strstr (analyze->out, "cochlea-cli analyze [OPTION"));
  g_assert_nonnull (strstr (analyze->out, "FILE…"));
  g_assert_null (strstr (analyze->out, "FILE… FILE…"));
}

static void
test_version (void)
{
  g_autoptr(CliResult) r = cli_test_run ("--version", NULL);

  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->out, ==, "cochlea-cli " PACKAGE_VERSION "\n");
  g_assert_cmpstr (r->err, ==, "");
}

/* Every usage error exits 2, says something on stderr, and prints nothing
 * on stdout (so a pipeline reading JSON sees no garbage). */
static void
test_usage_errors (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "usage.npy", NULL);
  const char *cases[][6] = {
    { NULL },
    { "frobnicate", NULL },
    { "--frobnicate", NULL },
    { "mel", NULL },
    { "mel", "a.wav", NULL },
    { "mel", "-o", out, NULL },
    { "mel", "a.wav", "b.wav", "-o", out, NULL },
    { "mel", "--bogus", "a.wav", "-o", out },
    { "analyze", NULL },
    { "analyze", "--bogus", "a.wav", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CliResult) r = cli_test_run_full (NULL, cases[i], NULL);

      g_assert_cmpint (r->status, ==, 2);
      g_assert_cmpstr (r->out, ==, "");
      g_assert_cmpstr (r->err, !=, "");
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
}

typedef struct
{
  char   *dict;
  guint64 rows;
  guint64 cols;
  float  *data;
} Npy;

static void
npy_clear (Npy *npy)
{
  g_clear_pointer (&npy->dict, g_free);
  g_clear_pointer (&npy->data, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Npy, npy_clear)

/* Parses a .npy file independently of engine/dsp/cochlea-npy.c, by the
 * format's specification (numpy/lib/format.py). */
static void
parse_npy (const char *path,
           Npy        *npy)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *shape;
  gsize length, header_len, offset;
  char *end;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 10);
  g_assert_cmpmem (contents, 6, "\x93NUMPY", 6);
  g_assert_cmpint (contents[6], ==, 1);
  g_assert_cmpint (contents[7], ==, 0);
  header_len = (guchar) contents[8] | ((guchar) contents[9] << 8);
  offset = 10 + header_len;
  /* Data starts aligned (numpy requires a multiple of 16; it writes 64). */
  g_assert_cmpuint (offset % 16, ==, 0);
  g_assert_cmpuint (offset, <=, length);
  g_assert_cmpint (contents[offset - 1], ==, '\n');

  npy->dict = g_strndup (contents + 10, header_len);
  g_assert_true (g_str_has_prefix (npy->dict, "{"));
  g_assert_nonnull (strstr (npy->dict, "'descr': '<f4'"));
  g_assert_nonnull (strstr (npy->dict, "'fortran_order': False"));
  shape = strstr (npy->dict, "'shape': (");
  g_assert_nonnull (shape);
  shape += strlen ("'shape': (");
  npy->rows = g_ascii_strtoull (shape, &end, 10);
  g_assert_true (end > shape && *end == ',');
  shape = end + 1;
  while (*shape == ' ')
    shape++;
  npy->cols = g_ascii_strtoull (shape, &end, 10);
  g_assert_true (end > shape && *end == ')');

  g_assert_cmpuint (length - offset, ==, npy->rows * npy->cols * sizeof (float));
  npy->data = g_memdup2 (contents + offset, length - offset);
}

typedef struct
{
  GArray *values;
} Frames;

static void
frames_cb (const float *mel_db,
           const float *power,
           gint64       index,
           gpointer     user_data)
{
  Frames *f = user_data;

  g_assert_cmpint (index * 128, ==, f->values->len);
  g_array_append_vals (f->values, mel_db, 128);
}

/* What `mel` writes, for a WAV at the analysis rate: frames = 1 + N / 512
 * (centred frames), 128 columns, exactly the engine's values. */
static void
test_mel_output (void)
{
  g_autofree char *wav = g_build_filename (tmpdir, "mel-in.wav", NULL);
  g_autofree char *outdir = g_build_filename (tmpdir, "mel-out", NULL);
  g_autofree char *npy_path = g_build_filename (outdir, "out.npy", NULL);
  g_autofree char *listing = NULL;
  g_autofree float *x = NULL;
  g_autoptr(CochleaMel) mel = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Npy) npy = { NULL, };
  Frames frames = { g_array_new (FALSE, FALSE, sizeof (float)) };
  CochleaMelParams params;
  gsize n;

  /* 2.3 s of a 440 Hz sine at 22050 Hz, not a multiple of the hop. */
  x = cochlea_test_sine (440, 0.5, 22050, 2.3, &n);
  g_assert_cmpuint (n % 512, !=, 0);
  cochlea_test_write_wav (wav, x, n, 22050, 1);
  g_assert_cmpint (g_mkdir (outdir, 0755), ==, 0);

  {
    g_autoptr(CliResult) r = cli_test_run ("mel", wav, "-o", npy_path, NULL);
    g_assert_cmpint (r->status, ==, 0);
    g_assert_cmpstr (r->out, ==, "");
  }

  /* Only the result is left: no temporary file beside it. */
  listing = cli_test_list_dir (outdir);
  g_assert_cmpstr (listing, ==, "out.npy");

  parse_npy (npy_path, &npy);
  g_assert_cmpuint (npy.rows, ==, 1 + n / 512);
  g_assert_cmpuint (npy.cols, ==, 128);

  /* The engine's own front end on the same (16-bit quantised) samples. */
  for (gsize i = 0; i < n; i++)
    x[i] = lrintf (x[i] * 32768.0f) / 32768.0f;
  cochlea_mel_params_init_default (&params);
  mel = cochlea_mel_new (&params, &error);
  g_assert_no_error (error);
  cochlea_mel_push (mel, x, n, frames_cb, &frames);
  cochlea_mel_finish (mel, frames_cb, &frames);
  g_assert_cmpuint (frames.values->len, ==, npy.rows * npy.cols);
  for (gsize i = 0; i < frames.values->len; i++)
    {
      g_assert_true (isfinite (npy.data[i]));
      g_assert_cmpfloat_with_epsilon (npy.data[i], g_array_index (frames.values, float, i), 1e-3);
    }
  g_array_unref (frames.values);

  /* Running again replaces the file (atomically) and still leaves no
   * temporary file. */
  {
    g_autoptr(CliResult) r = cli_test_run ("mel", wav, "-o", npy_path, NULL);
    g_autofree char *again = cli_test_list_dir (outdir);
    g_assert_cmpint (r->status, ==, 0);
    g_assert_cmpstr (again, ==, "out.npy");
  }
}

/* NumPy itself loads the file, when Debian's python3-numpy is there. */
static void
test_mel_numpy (void)
{
  const char *python = "/usr/bin/python3";
  g_autofree char *wav = g_build_filename (tmpdir, "numpy-in.wav", NULL);
  g_autofree char *npy_path = g_build_filename (tmpdir, "numpy-out.npy", NULL);
  g_autofree char *x = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree float *signal = NULL;
  g_auto(Npy) npy = { NULL, };
  const char *check_numpy[] = { python, "-c", "import numpy", NULL };
  const char *script =
    "import sys, numpy\n"
    "a = numpy.load(sys.argv[1], allow_pickle=False)\n"
    "assert a.dtype == numpy.dtype('<f4'), a.dtype\n"
    "assert a.ndim == 2 and a.shape[1] == 128, a.shape\n"
    "assert a.flags['C_CONTIGUOUS']\n"
    "assert numpy.isfinite(a).all()\n"
    "print(a.shape[0], repr(float(a.astype(numpy.float64).sum())))\n";
  const char *load[] = { python, "-c", script, npy_path, NULL };
  double sum = 0;
  gsize n;

  if (!g_file_test (python, G_FILE_TEST_IS_EXECUTABLE) ||
      cochlea_test_run (check_numpy, NULL, NULL) != 0)
    {
      g_test_skip ("/usr/bin/python3 with numpy is not installed");
      return;
    }

  signal = cochlea_test_sine (1000, 0.3, 22050, 1.0, &n);
  cochlea_test_write_wav (wav, signal, n, 22050, 1);
  {
    g_autoptr(CliResult) r = cli_test_run ("mel", wav, "-o", npy_path, NULL);
    g_assert_cmpint (r->status, ==, 0);
  }

  parse_npy (npy_path, &npy);
  for (gsize i = 0; i < npy.rows * npy.cols; i++)
    sum += npy.data[i];
  x = g_strdup_printf ("%" G_GUINT64_FORMAT " ", npy.rows);

  g_assert_cmpint (cochlea_test_run (load, &out, &err), ==, 0);
  g_test_message ("numpy: %s %s", out, err);
  g_assert_true (g_str_has_prefix (out, x));
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (out + strlen (x), NULL), sum, fabs (sum) * 1e-6 + 1e-3);
}

static JsonObject *
line_object (char **lines,
             guint  i)
{
  g_assert_nonnull (lines[i]);
  return cli_test_parse_object (lines[i]);
}

/* One JSON object per line per file, in order; the fields and their types;
 * exit 1 when any file failed with the others still reported. */
static void
test_analyze (void)
{
  g_autofree char *wav = g_build_filename (tmpdir, "an-a.wav", NULL);
  g_autofree char *flac = g_build_filename (tmpdir, "an-b.flac", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "an-missing.ogg", NULL);
  g_autofree char *untagged = g_build_filename (tmpdir, "an-c.wav", NULL);
  g_autofree float *x = NULL;
  g_auto(GStrv) lines = NULL;
  gsize n;

  cli_test_make_sine (wav, "wavenc", 44100, 2.0, TRUE);
  cli_test_make_sine (flac, "flacenc", 48000, 1.5, TRUE);
  x = cochlea_test_sine (440, 0.5, 22050, 1.0, &n);
  cochlea_test_write_wav (untagged, x, n, 22050, 1);

  {
    g_autoptr(CliResult) r = cli_test_run ("analyze", wav, flac, untagged, NULL);
    g_autoptr(JsonObject) a = NULL;
    g_autoptr(JsonObject) b = NULL;
    g_autoptr(JsonObject) c = NULL;
    const struct { JsonObject **o; const char *path; double seconds; gboolean tagged; } expect[] = {
      { &a, wav, 2.0, TRUE },
      { &b, flac, 1.5, TRUE },
      { &c, untagged, 1.0, FALSE },
    };

    g_assert_cmpint (r->status, ==, 0);
    g_assert_cmpstr (r->err, ==, "");
    g_assert_true (g_str_has_suffix (r->out, "\n"));
    lines = g_strsplit (r->out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    g_assert_cmpstr (lines[3], ==, "");

    for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
      {
        JsonObject *o;
        gint64 samples = (gint64) lround (expect[i].seconds * 22050);

        o = *expect[i].o = line_object (lines, i);
        g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, expect[i].path);
        g_assert_false (json_object_has_member (o, "error"));
        g_assert_cmpint (json_node_get_value_type (json_object_get_member (o, "duration_s")), ==, G_TYPE_DOUBLE);
        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "duration_s"), expect[i].seconds, 1e-6);
        g_assert_cmpint (json_node_get_value_type (json_object_get_member (o, "sample_rate")), ==, G_TYPE_INT64);
        g_assert_cmpint (json_object_get_int_member (o, "sample_rate"), ==, 22050);
        g_assert_cmpint (json_node_get_value_type (json_object_get_member (o, "frames")), ==, G_TYPE_INT64);
        g_assert_cmpint (json_object_get_int_member (o, "frames"), ==, 1 + samples / 512);
        if (expect[i].tagged)
          {
            g_assert_cmpstr (json_object_get_string_member (o, "title"), ==, "A Title");
            g_assert_cmpstr (json_object_get_string_member (o, "artist"), ==, "An Ärtist");
            g_assert_cmpstr (json_object_get_string_member (o, "album"), ==, "An Album");
            g_assert_cmpstr (json_object_get_string_member (o, "genre"), ==, "Ambient");
          }
        else
          {
            const char *keys[] = { "title", "artist", "album", "genre" };
            for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
              {
                g_assert_true (json_object_has_member (o, keys[k]));
                g_assert_true (json_object_get_null_member (o, keys[k]));
              }
          }
      }
  }
  g_clear_pointer (&lines, g_strfreev);

  /* A failure in the middle: reported in its place, the others still
   * analysed, exit status 1. */
  {
    g_autoptr(CliResult) r = cli_test_run ("analyze", wav, missing, flac, NULL);
    g_autoptr(JsonObject) a = NULL;
    g_autoptr(JsonObject) m = NULL;
    g_autoptr(JsonObject) b = NULL;
    g_autofree char *base = g_path_get_basename (missing);

    g_assert_cmpint (r->status, ==, 1);
    lines = g_strsplit (r->out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    a = line_object (lines, 0);
    m = line_object (lines, 1);
    b = line_object (lines, 2);
    g_assert_cmpstr (json_object_get_string_member (a, "path"), ==, wav);
    g_assert_cmpstr (json_object_get_string_member (b, "path"), ==, flac);
    g_assert_cmpint (json_object_get_int_member (b, "frames"), ==, 1 + 33075 / 512);

    g_assert_cmpuint (json_object_get_size (m), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (m, "path"), ==, missing);
    g_assert_nonnull (strstr (json_object_get_string_member (m, "error"), base));
    g_assert_nonnull (strstr (json_object_get_string_member (m, "error"), "no such file"));
    /* The same message on stderr, and only for the failed file. */
    g_assert_nonnull (strstr (r->err, json_object_get_string_member (m, "error")));
    g_assert_null (strstr (r->err, "an-a.wav"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = cochlea_test_tmpdir ();

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/mel/output", test_mel_output);
  g_test_add_func ("/cli/mel/numpy", test_mel_numpy);
  g_test_add_func ("/cli/analyze", test_analyze);

  return g_test_run ();
}
