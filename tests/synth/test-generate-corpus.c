/* test-generate-corpus.c — `cochlea-cli generate-corpus` as a user runs it:
 * usage errors, a missing SoundFont, identical output for a seed whatever
 * --jobs, atomic files, resuming and extending a corpus.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>

#include "cochlea-test-utils.h"

#define SOUNDFONT "/usr/share/sounds/sf2/TimGM6mb.sf2"

static const char *cli;

static int
run_cli (const char * const *args,
         char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "generate-corpus");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return cochlea_test_run ((const char * const *) argv->pdata, NULL, err);
}

static void
test_usage_errors (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "c", NULL);
  const char * const cases[][8] = {
    { NULL },
    { "--songs", "2", NULL },
    { out, NULL },
    { out, "--songs", "0", NULL },
    { out, "--songs", "abc", NULL },
    { out, "--songs", "100000", NULL },
    { out, "--songs", "-3", NULL },
    { out, "--songs", "2", "--seed", "-1", NULL },
    { out, "--songs", "2", "--seed", "x1", NULL },
    { out, "--songs", "2", "--duration", "0", NULL },
    { out, "--songs", "2", "--duration", "1000", NULL },
    { out, "--songs", "2", "--duration", "ten", NULL },
    { out, "--songs", "2", "--jobs", "0", NULL },
    { out, "--songs", "2", "--jobs", "many", NULL },
    { out, out, "--songs", "2", NULL },
    { out, "--songs", "2", "--bogus", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      int status = run_cli (cases[i], &err);

      g_test_message ("case %u: %s", i, err);
      g_assert_cmpint (status, ==, 2);
      g_assert_true (strstr (err, "generate-corpus") != NULL || strstr (err, "cochlea-cli") != NULL);
    }
  /* Nothing was written by a usage error. */
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_missing_soundfont (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "c", NULL);
  g_autofree char *bad = g_build_filename (dir, "garbage.sf2", NULL);
  g_autofree char *err = NULL;
  g_autofree char *wav = g_build_filename (out, "00000.wav", NULL);
  const char * const missing[] = { out, "--songs", "1", "--soundfont", "/nonexistent/dir/NoSuch.sf2", NULL };
  const char * const garbage[] = { out, "--songs", "1", "--soundfont", bad, "--duration", "2", NULL };

  g_assert_cmpint (run_cli (missing, &err), ==, 1);
  g_assert_nonnull (strstr (err, "/nonexistent/dir/NoSuch.sf2"));
  g_assert_nonnull (strstr (err, "not found"));
  g_assert_false (g_file_test (wav, G_FILE_TEST_EXISTS));

  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_set_contents (bad, "this is not a SoundFont\n", -1, NULL));
  g_assert_cmpint (run_cli (garbage, &err), ==, 1);
  g_assert_nonnull (strstr (err, bad));
  g_assert_false (g_file_test (wav, G_FILE_TEST_EXISTS));
}

static GBytes *
read_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = NULL;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&data), len);
}

static void
assert_same_dirs (const char *a,
                  const char *b,
                  guint       n_songs)
{
  for (guint i = 0; i <= n_songs; i++)
    for (int k = 0; k < 2; k++)
      {
        g_autofree char *name = i == n_songs ? g_strdup ("corpus.json")
                                             : g_strdup_printf ("%05u.%s", i, k == 0 ? "wav" : "json");
        g_autoptr(GBytes) x = read_file (a, name);
        g_autoptr(GBytes) y = read_file (b, name);

        g_assert_nonnull (x);
        g_assert_nonnull (y);
        if (!g_bytes_equal (x, y))
          g_error ("%s differs between %s and %s", name, a, b);
      }
}

static gint64
mtime_ns (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

static void
test_deterministic_resumable (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *a = g_build_filename (dir, "a", NULL);
  g_autofree char *b = g_build_filename (dir, "b", NULL);
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *manifest = g_build_filename (b, "corpus.json", NULL);
  g_autofree char *wav0 = g_build_filename (b, "00000.wav", NULL);
  g_autofree char *json1 = g_build_filename (b, "00001.json", NULL);
  g_autofree char *wav2 = g_build_filename (b, "00002.wav", NULL);
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gint64 before;
  const char * const run_a[] = { a, "--songs", "3", "--seed", "99", "--duration", "4", "--jobs", "1", "--soundfont", SOUNDFONT, NULL };
  const char * const run_b[] = { b, "--songs", "3", "--seed", "99", "--duration", "4", "--jobs", "3", "--soundfont", SOUNDFONT, NULL };
  const char * const other_seed[] = { b, "--songs", "3", "--seed", "98", "--duration", "4", "--soundfont", SOUNDFONT, NULL };
  const char * const extend_b[] = { b, "--songs", "4", "--seed", "99", "--duration", "4", "--jobs", "2", "--soundfont", SOUNDFONT, NULL };

  g_assert_cmpint (run_cli (run_a, NULL), ==, 0);
  g_assert_cmpint (run_cli (run_b, NULL), ==, 0);
  assert_same_dirs (a, b, 3);

  /* Files: exactly the songs, their labels and the manifest; no leftovers. */
  listing = g_dir_open (b, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_assert_true (g_str_has_suffix (name, ".wav") || g_str_has_suffix (name, ".json"));
  {
    g_autoptr(GBytes) wav = read_file (b, "00001.wav");
    g_assert_cmpuint (g_bytes_get_size (wav), ==, 44 + 2 * 4 * 22050);
    g_assert_true (memcmp (g_bytes_get_data (wav, NULL), "RIFF", 4) == 0);
  }
  json_parser_load_from_file (parser, manifest, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "songs"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "soundfont"), ==, "TimGM6mb.sf2");

  /* Resume after losing a label and a WAV: song 0 is skipped (untouched),
   * the others are made again, identical. */
  before = mtime_ns (wav0);
  g_assert_cmpint (g_unlink (json1), ==, 0);
  g_assert_cmpint (g_unlink (wav2), ==, 0);
  g_assert_cmpint (run_cli (run_b, &err), ==, 0);
  g_assert_nonnull (strstr (err, "skipped"));
  g_assert_cmpint (mtime_ns (wav0), ==, before);
  assert_same_dirs (a, b, 3);

  /* Another seed into the same directory is refused. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (other_seed, &err), ==, 1);
  g_assert_nonnull (strstr (err, "different corpus"));
  assert_same_dirs (a, b, 3);

  /* More songs with the same seed extend the corpus. */
  g_assert_cmpint (run_cli (extend_b, NULL), ==, 0);
  g_clear_object (&parser);
  parser = json_parser_new ();
  json_parser_load_from_file (parser, manifest, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "songs"), ==, 4);
  {
    g_autoptr(GBytes) wav = read_file (b, "00003.wav");
    g_autoptr(GBytes) labels = read_file (b, "00003.json");
    g_assert_nonnull (wav);
    g_assert_nonnull (labels);
  }
}

/* SIGINT after the first song: the run stops with status 130, and what is
 * left is complete songs only (no temporary or half-written file), which a
 * second run completes to the same corpus as an uninterrupted one. */
static void
test_interrupted (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *a = g_build_filename (dir, "a", NULL);
  g_autofree char *b = g_build_filename (dir, "b", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  char *line;
  guint n_wav = 0, n_json = 0;
  const char * const args_a[] = { a, "--songs", "12", "--seed", "5", "--duration", "6", "--jobs", "1", "--soundfont", SOUNDFONT, NULL };
  const char * const args_b[] = { b, "--songs", "12", "--seed", "5", "--duration", "6", "--jobs", "1", "--soundfont", SOUNDFONT, NULL };

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                           cli, "generate-corpus", b, "--songs", "12", "--seed", "5", "--duration", "6",
                           "--jobs", "1", "--soundfont", SOUNDFONT, NULL);
  g_assert_no_error (error);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (proc));
  while ((line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error)) != NULL)
    {
      gboolean first = strstr (line, "written") != NULL;
      g_free (line);
      if (first)
        break;
    }
  g_assert_no_error (error);
  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 130);

  listing = g_dir_open (b, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_test_message ("left: %s", name);
      g_assert_true (g_str_has_suffix (name, ".wav") || g_str_has_suffix (name, ".json"));
      n_wav += g_str_has_suffix (name, ".wav");
      n_json += g_str_has_suffix (name, ".json");
    }
  g_assert_cmpuint (n_wav, >=, 1);
  g_assert_cmpuint (n_wav, <, 12);
  g_assert_cmpuint (n_json, ==, n_wav);   /* no manifest yet: the run did not finish */

  g_assert_cmpint (run_cli (args_b, NULL), ==, 0);
  g_assert_cmpint (run_cli (args_a, NULL), ==, 0);
  assert_same_dirs (a, b, 12);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  cli = g_getenv ("COCHLEA_CLI");
  if (cli == NULL || !g_file_test (SOUNDFONT, G_FILE_TEST_IS_REGULAR))
    {
      g_print ("1..0 # SKIP needs COCHLEA_CLI and %s (timgm6mb-soundfont)\n", SOUNDFONT);
      return 0;
    }

  g_test_add_func ("/synth/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/synth/cli/missing-soundfont", test_missing_soundfont);
  g_test_add_func ("/synth/cli/deterministic-resumable", test_deterministic_resumable);
  g_test_add_func ("/synth/cli/interrupted", test_interrupted);

  return g_test_run ();
}
