/* test-cli-bad-input.c — every kind of bad input, through the command line.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each input: `analyze` prints exactly {"path": …, "error": …} (valid
 * UTF-8, the error naming the file), says the same on stderr and exits 1;
 * `mel` exits 1, names the file on stderr, and leaves neither a .npy nor a
 * temporary file behind (and an existing OUT.npy untouched).
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"
#include "cli-test-utils.h"

static char *tmpdir;
static char *indir;     /* inputs */
static char *long_ogg;  /* 5 s Vorbis, cut below */
static char *long_mp3;  /* 5 s MP3, cut below */
static char *long_m4a;  /* 5 s AAC in MP4, moov atom at the end */

/* Writes the first @n bytes of @src (or half of it when @n is 0). */
static void
write_prefix (const char *src,
              const char *dest,
              gsize       n)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (src, &contents, &length, &error);
  g_assert_no_error (error);
  if (n == 0)
    n = length / 2;
  g_assert_cmpuint (n, <, length);
  g_file_set_contents (dest, contents, n, &error);
  g_assert_no_error (error);
}

static char *
input_path (const char *name)
{
  return g_build_filename (indir, name, NULL);
}

/* Checks that `analyze PATH` reports an error for PATH alone, and returns
 * the message. */
static char *
check_analyze_error (const char * const *wrapper,
                     const char         *path,
                     const char * const *env)
{
  const char *args[] = { "analyze", path, NULL };
  g_autoptr(CliResult) r = cli_test_run_full (wrapper, args, env);
  g_autoptr(JsonObject) o = NULL;
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *display_base = NULL;
  g_autofree char *base = g_path_get_basename (path);
  const char *message;

  display_base = g_filename_display_name (base);

  g_assert_cmpint (r->status, ==, 1);
  /* One line, valid UTF-8 whatever the file name. */
  g_assert_true (g_utf8_validate (r->out, r->out_len, NULL));
  g_assert_true (g_str_has_suffix (r->out, "\n"));
  g_assert_true (strchr (r->out, '\n') == r->out + r->out_len - 1);
  o = cli_test_parse_object (r->out);
  g_assert_cmpuint (json_object_get_size (o), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, display);
  message = json_object_get_string_member (o, "error");
  g_assert_nonnull (message);
  /* The message names the file… */
  g_assert_nonnull (strstr (message, display_base));
  /* …and goes to stderr as well. */
  g_assert_nonnull (strstr (r->err, message));
  return g_strdup (message);
}

/* Checks that `mel PATH -o OUT` fails cleanly: nothing new in the output
 * directory, an existing OUT.npy left exactly as it was. */
static void
check_mel_error (const char * const *wrapper,
                 const char         *path,
                 const char * const *env,
                 const char         *outdir)
{
  g_autofree char *out = g_build_filename (outdir, "out.npy", NULL);
  g_autofree char *display_base = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *listing = NULL;
  g_autofree char *contents = NULL;
  const char *args[] = { "mel", path, "-o", out, NULL };

  display_base = g_filename_display_name (base);

  /* Into an empty directory: it stays empty. */
  {
    g_autoptr(CliResult) r = cli_test_run_full (wrapper, args, env);
    g_assert_cmpint (r->status, ==, 1);
    g_assert_cmpstr (r->out, ==, "");
    g_assert_true (g_utf8_validate (r->err, -1, NULL));
    g_assert_nonnull (strstr (r->err, display_base));
    listing = cli_test_list_dir (outdir);
    g_assert_cmpstr (listing, ==, "");
  }

  /* Over an existing result: it is not touched. */
  g_assert_true (g_file_set_contents (out, "previous result", -1, NULL));
  {
    g_autoptr(CliResult) r = cli_test_run_full (wrapper, args, env);
    g_assert_cmpint (r->status, ==, 1);
    g_free (listing);
    listing = cli_test_list_dir (outdir);
    g_assert_cmpstr (listing, ==, "out.npy");
    g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "previous result");
  }
  g_assert_cmpint (g_unlink (out), ==, 0);
}

static char *
make_outdir (const char *name,
             int         mode)
{
  char *dir = g_build_filename (tmpdir, name, NULL);

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (dir, mode), ==, 0);
  return dir;
}

typedef struct
{
  const char *label;     /* test path */
  const char *name;      /* input file name */
  const char *expect;    /* a phrase the message must contain */
  void      (*make) (const char *path);
} BadInput;

static void
make_nothing (const char *path)
{
}

static void
make_directory (const char *path)
{
  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
}

static void
make_empty (const char *path)
{
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
}

static void
make_text (const char *path)
{
  g_assert_true (g_file_set_contents (path, "This is a plain text file, not an MP3.\nLine two.\n", -1, NULL));
}

static void
make_random (const char *path)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261126);
  g_autofree guint32 *words = g_new (guint32, 65536);

  for (guint i = 0; i < 65536; i++)
    words[i] = g_rand_int (rand);
  g_assert_true (g_file_set_contents (path, (const char *) words, 65536 * 4, NULL));
}

static void
make_ogg_head (const char *path)
{
  write_prefix (long_ogg, path, 300);
}

static void
make_mp3_head (const char *path)
{
  write_prefix (long_mp3, path, 300);
}

static void
make_m4a_head (const char *path)
{
  write_prefix (long_m4a, path, 300);
}

/* Half an MP4 whose index (moov) comes after the audio: no index at all. */
static void
make_m4a_half (const char *path)
{
  write_prefix (long_m4a, path, 0);
}

/* Random bytes behind a valid WAV header: a real header with a lie. */
static void
make_wav_header_only (const char *path)
{
  g_autofree float *x = NULL;
  g_autofree char *contents = NULL;
  gsize n, length;

  x = cochlea_test_sine (440, 0.5, 22050, 1.0, &n);
  cochlea_test_write_wav (path, x, n, 22050, 1);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  /* Keep the 44-byte header only: it promises a second of audio. */
  g_assert_true (g_file_set_contents (path, contents, 44, NULL));
}

static const BadInput bad_inputs[] = {
  { "missing",        "missing.wav",        "no such file",        make_nothing },
  { "directory",      "a-directory.wav",    "is a directory",      make_directory },
  { "zero-bytes",     "empty.wav",          "empty file",          make_empty },
  { "text-as-mp3",    "text.mp3",           "not an audio file",   make_text },
  { "random-wav",     "random.wav",         "audio",               make_random },
  { "random-mp3",     "random.mp3",         "audio",               make_random },
  { "ogg-first-300",  "head-300.ogg",       "truncated",           make_ogg_head },
  { "mp3-first-300",  "head-300.mp3",       "truncated",           make_mp3_head },
  { "m4a-first-300",  "head-300.m4a",       "truncated",           make_m4a_head },
  { "m4a-half",       "half.m4a",           "truncated",           make_m4a_half },
  { "wav-header-only", "header-only.wav",   "no audio",            make_wav_header_only },
  { "non-utf8-text",  "caf\xe9-\xff.mp3", "not an audio file",   make_text },
};

static void
test_bad_input (gconstpointer data)
{
  const BadInput *bad = data;
  g_autofree char *path = input_path (bad->name);
  g_autofree char *message = NULL;
  g_autofree char *outdir = NULL;
  g_autofree char *dirname = g_strdup_printf ("out-%s", bad->label);

  bad->make (path);

  message = check_analyze_error (NULL, path, NULL);
  g_test_message ("analyze: %s", message);
  g_assert_nonnull (strstr (message, bad->expect));

  outdir = make_outdir (dirname, 0755);
  check_mel_error (NULL, path, NULL, outdir);
}

/* Cut in half, a stream still decodes cleanly up to the cut: the user gets
 * what is there, with the duration actually decoded. */
static void
test_truncated_half (void)
{
  const char *sources[] = { long_ogg, long_mp3 };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autofree char *name = g_strdup_printf ("half-%u%s", i, strrchr (sources[i], '.'));
      g_autofree char *path = input_path (name);
      g_autofree char *npy = g_build_filename (tmpdir, "half.npy", NULL);
      g_autoptr(CliResult) r = NULL;
      g_autoptr(CliResult) m = NULL;
      g_autoptr(JsonObject) o = NULL;
      double duration;

      write_prefix (sources[i], path, 0);
      r = cli_test_run ("analyze", path, NULL);
      g_assert_cmpint (r->status, ==, 0);
      o = cli_test_parse_object (r->out);
      duration = json_object_get_double_member (o, "duration_s");
      /* 5 s of audio cut at half its bytes (Vorbis spends a few kB of
       * them on its headers first): some of it, not all, not none. */
      g_test_message ("%s: %.3f s decoded", name, duration);
      g_assert_cmpfloat (duration, >, 0.5);
      g_assert_cmpfloat (duration, <, 3.5);
      g_assert_cmpint (json_object_get_int_member (o, "frames"), ==,
                       1 + (gint64) lround (duration * 22050) / 512);

      m = cli_test_run ("mel", path, "-o", npy, NULL);
      g_assert_cmpint (m->status, ==, 0);
      g_assert_true (g_file_test (npy, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpint (g_unlink (npy), ==, 0);
    }
}

/* A non-UTF-8 name on a good file: analysed, and the JSON path is valid
 * UTF-8 (invalid bytes shown as U+FFFD). */
static void
test_non_utf8_name (void)
{
  g_autofree char *path = input_path ("caf\xe9.wav");
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *npy = g_build_filename (tmpdir, "caf\xe9.npy", NULL);
  g_autofree float *x = NULL;
  g_autoptr(CliResult) r = NULL;
  g_autoptr(CliResult) m = NULL;
  g_autoptr(JsonObject) o = NULL;
  gsize n;

  x = cochlea_test_sine (440, 0.5, 22050, 1.0, &n);
  cochlea_test_write_wav (path, x, n, 22050, 1);

  r = cli_test_run ("analyze", path, NULL);
  g_assert_cmpint (r->status, ==, 0);
  o = cli_test_parse_object (r->out);
  g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, display);
  g_assert_nonnull (strstr (display, "caf\xef\xbf\xbd.wav"));
  g_assert_cmpint (json_object_get_int_member (o, "frames"), ==, 1 + n / 512);

  m = cli_test_run ("mel", path, "-o", npy, NULL);
  g_assert_cmpint (m->status, ==, 0);
  g_assert_true (g_file_test (npy, G_FILE_TEST_IS_REGULAR));
}

/* Names that mean something in URIs or to option parsers: analysed like
 * any other (a leading dash after "--"). */
static void
test_odd_names (void)
{
  const char *names[] = { "a #1 %20 ?;&.wav", "-dash.wav", "qu\"ote's.wav" };
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree float *x = NULL;
  g_autoptr(CliResult) r = NULL;
  g_auto(GStrv) lines = NULL;
  gsize n;

  x = cochlea_test_sine (440, 0.5, 22050, 0.5, &n);
  g_ptr_array_add (args, g_strdup ("analyze"));
  g_ptr_array_add (args, g_strdup ("--"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      char *path = input_path (names[i]);
      cochlea_test_write_wav (path, x, n, 22050, 1);
      g_ptr_array_add (args, path);
    }
  g_ptr_array_add (args, NULL);

  r = cli_test_run_full (NULL, (const char * const *) args->pdata, NULL);
  g_assert_cmpint (r->status, ==, 0);
  lines = g_strsplit (r->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (names) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonObject) o = cli_test_parse_object (lines[i]);

      g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, g_ptr_array_index (args, i + 2));
      g_assert_cmpint (json_object_get_int_member (o, "frames"), ==, 1 + n / 512);
    }
}

/* A file the CLI may not read.  As root (CI), chmod does not stop reads,
 * so the CLI runs as nobody and the file sits in a directory nobody
 * cannot enter. */
static void
test_unreadable (void)
{
  g_autofree char *locked = g_build_filename (tmpdir, "locked", NULL);
  g_autofree char *path = g_build_filename (locked, "secret.wav", NULL);
  g_autofree char *outdir = make_outdir ("out-unreadable", 0777);
  g_autofree char *cache = make_outdir ("cache-nobody", 0777);
  g_autofree char *registry = g_build_filename (cache, "registry.bin", NULL);
  g_autofree char *registry_env = g_strconcat ("GST_REGISTRY_1_0=", registry, NULL);
  g_autofree char *cache_env = g_strconcat ("XDG_CACHE_HOME=", cache, NULL);
  g_autofree char *home_env = g_strconcat ("HOME=", cache, NULL);
  g_autofree char *message = NULL;
  g_autofree float *x = NULL;
  const char *as_nobody[] = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", NULL };
  const char *env[] = { registry_env, cache_env, home_env, NULL };
  const char * const *wrapper = NULL;
  g_autofree char *original_cli = NULL;
  gsize n;

  g_assert_cmpint (g_mkdir (locked, 0700), ==, 0);
  x = cochlea_test_sine (440, 0.5, 22050, 0.5, &n);
  cochlea_test_write_wav (path, x, n, 22050, 1);

  if (getuid () == 0)
    {
      const char *version[] = { "--version", NULL };
      g_autofree char *setpriv = g_find_program_in_path ("setpriv");
      g_autofree char *bindir = NULL;
      g_autofree char *cli_copy = NULL;
      g_autofree char *binary = NULL;
      g_autoptr(CliResult) probe = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      if (setpriv == NULL)
        {
          g_test_skip ("setpriv (util-linux) is not installed");
          return;
        }

      /* nobody must reach the CLI and the output directory, not the file.
       * The build directory may sit where nobody cannot go (/root), so
       * nobody runs a copy (cochlea-cli links no library of ours). */
      g_assert_cmpint (g_chmod (tmpdir, 0755), ==, 0);
      bindir = make_outdir ("bin-nobody", 0755);
      cli_copy = g_build_filename (bindir, "cochlea-cli", NULL);
      g_file_get_contents (cli_test_binary (), &binary, &length, &error);
      g_assert_no_error (error);
      g_file_set_contents (cli_copy, binary, length, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_chmod (cli_copy, 0755), ==, 0);
      original_cli = g_strdup (cli_test_binary ());
      g_setenv ("COCHLEA_CLI", cli_copy, TRUE);

      probe = cli_test_run_full (as_nobody, version, env);
      if (probe->status != 0)
        {
          g_setenv ("COCHLEA_CLI", original_cli, TRUE);
          g_test_skip ("the user nobody cannot run cochlea-cli here");
          return;
        }
      wrapper = as_nobody;
    }
  else
    {
      g_assert_cmpint (g_chmod (path, 0000), ==, 0);
      if (g_access (path, R_OK) == 0)
        {
          g_test_skip ("this user can read a mode-000 file (capabilities)");
          return;
        }
    }

  message = check_analyze_error (wrapper, path, env);
  g_test_message ("analyze: %s", message);
  g_assert_nonnull (strstr (message, "permission denied"));
  check_mel_error (wrapper, path, env, outdir);
  g_chmod (path, 0644);
  if (original_cli != NULL)
    g_setenv ("COCHLEA_CLI", original_cli, TRUE);
}

/* A codec whose plugin is not installed: GStreamer is pointed at a plugin
 * directory holding everything but gst-libav, so AAC has no decoder.  The
 * message says which Debian package to install. */
static void
test_missing_plugin (void)
{
  g_autofree char *path = input_path ("aac.m4a");
  g_autofree char *plugins = make_outdir ("plugins", 0755);
  g_autofree char *registry = g_build_filename (tmpdir, "registry-no-libav.bin", NULL);
  g_autofree char *outdir = make_outdir ("out-missing-plugin", 0755);
  g_autofree char *system_dir = NULL;
  g_autofree char *plugins_env = g_strconcat ("GST_PLUGIN_SYSTEM_PATH_1_0=", plugins, NULL);
  g_autofree char *registry_env = g_strconcat ("GST_REGISTRY_1_0=", registry, NULL);
  g_autofree char *message = NULL;
  g_autoptr(GstPlugin) core = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *env[] = { plugins_env, registry_env, "GST_PLUGIN_PATH_1_0=", "GST_PLUGIN_PATH=", NULL };
  const char *name;
  guint linked = 0;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  cli_test_make_sine (path, "avenc_aac ! mp4mux", 44100, 1.0, FALSE);

  core = gst_registry_find_plugin (gst_registry_get (), "coreelements");
  g_assert_nonnull (core);
  system_dir = g_path_get_dirname (gst_plugin_get_filename (core));
  dir = g_dir_open (system_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *target = g_build_filename (system_dir, name, NULL);
      g_autofree char *link = g_build_filename (plugins, name, NULL);

      if (strcmp (name, "libgstlibav.so") == 0 || !g_str_has_suffix (name, ".so"))
        continue;
      g_assert_cmpint (symlink (target, link), ==, 0);
      linked++;
    }
  g_assert_cmpuint (linked, >, 10);

  message = check_analyze_error (NULL, path, env);
  g_test_message ("analyze: %s", message);
  g_assert_nonnull (strstr (message, "missing"));
  g_assert_nonnull (strstr (message, "gstreamer1.0-libav"));
  check_mel_error (NULL, path, env, outdir);

  /* With every plugin, the same file decodes (so the above really was the
   * missing plugin). */
  {
    g_autoptr(CliResult) r = cli_test_run ("analyze", path, NULL);
    g_assert_cmpint (r->status, ==, 0);
  }
}

/* `mel -o` into a directory that does not exist, onto a directory, or
 * onto the input itself. */
static void
test_mel_bad_output (void)
{
  g_autofree char *wav = input_path ("good-for-output.wav");
  g_autofree char *missing_dir = g_build_filename (tmpdir, "no-such-dir", NULL);
  g_autofree char *out = g_build_filename (missing_dir, "out.npy", NULL);
  g_autofree float *x = NULL;
  gsize n;

  x = cochlea_test_sine (440, 0.5, 22050, 0.5, &n);
  cochlea_test_write_wav (wav, x, n, 22050, 1);

  {
    g_autoptr(CliResult) r = cli_test_run ("mel", wav, "-o", out, NULL);
    g_assert_cmpint (r->status, ==, 1);
    g_assert_nonnull (strstr (r->err, out));
    g_assert_nonnull (strstr (r->err, "does not exist"));
    g_assert_false (g_file_test (missing_dir, G_FILE_TEST_EXISTS));
  }
  {
    g_autoptr(CliResult) r = cli_test_run ("mel", wav, "-o", tmpdir, NULL);
    g_assert_cmpint (r->status, ==, 1);
    g_assert_nonnull (strstr (r->err, "is a directory"));
  }
  /* -o naming the input: refused, the input untouched. */
  {
    g_autoptr(CliResult) r = cli_test_run ("mel", wav, "-o", wav, NULL);
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_cmpint (r->status, ==, 1);
    g_assert_nonnull (strstr (r->err, "it is the input file"));
    g_assert_true (g_file_get_contents (wav, &contents, &length, NULL));
    g_assert_cmpuint (length, ==, 44 + 2 * n);
    g_assert_cmpmem (contents, 4, "RIFF", 4);
  }
}

/* SIGINT (or SIGTERM) in the middle of `mel` on a long input: the CLI
 * stops, says so, exits 128 + the signal (130, 143), and leaves no .npy and no temporary file. */
static void
interrupt_mel (int signum)
{
  g_autofree char *wav = input_path ("ten-minutes.wav");
  g_autofree char *outdir = make_outdir (signum == SIGINT ? "out-sigint" : "out-sigterm", 0755);
  g_autofree char *out = g_build_filename (outdir, "out.npy", NULL);
  g_autofree char *listing = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autofree char *err = NULL;
  gint64 deadline;
  gboolean saw_temp = FALSE;

  if (!g_file_test (wav, G_FILE_TEST_EXISTS))
    {
      g_autofree char *description =
        g_strdup_printf ("audiotestsrc wave=sine freq=440 num-buffers=600 samplesperbuffer=8000 "
                         "! audio/x-raw,format=S16LE,rate=8000,channels=1 "
                         "! wavenc ! filesink location=\"%s\"", wav);
      cli_test_encode (description);
    }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, cli_test_binary (), "mel", wav, "-o", out, NULL);
  g_assert_no_error (error);

  /* Wait until it is writing (its temporary file exists), then stop it
   * there so the signal surely lands mid-file. */
  deadline = g_get_monotonic_time () + CLI_TEST_TIMEOUT_S * G_USEC_PER_SEC;
  while (!saw_temp && g_get_monotonic_time () < deadline)
    {
      g_autofree char *now = cli_test_list_dir (outdir);

      saw_temp = g_str_has_prefix (now, ".out.npy.");
      if (!saw_temp)
        g_usleep (500);
    }
  g_assert_true (saw_temp);
  g_subprocess_send_signal (process, SIGSTOP);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_subprocess_send_signal (process, signum);
  g_subprocess_send_signal (process, SIGCONT);

  g_subprocess_communicate (process, NULL, NULL, NULL, &err_bytes, &error);
  g_assert_no_error (error);
  err = g_strndup (g_bytes_get_data (err_bytes, NULL), g_bytes_get_size (err_bytes));
  g_test_message ("stderr: %s", err);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 128 + signum);
  g_assert_nonnull (strstr (err, "interrupted"));
  listing = cli_test_list_dir (outdir);
  g_assert_cmpstr (listing, ==, "");
}

static void
test_sigint (void)
{
  interrupt_mel (SIGINT);
}

static void
test_sigterm (void)
{
  interrupt_mel (SIGTERM);
}

/* Several bad files and good ones in one `analyze`: one line each, in
 * order, exit 1. */
static void
test_analyze_mixed (void)
{
  g_autofree char *good = input_path ("mixed-good.wav");
  g_autofree char *text = input_path ("mixed-text.mp3");
  g_autofree char *missing = input_path ("mixed-missing.flac");
  g_autofree float *x = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(CliResult) r = NULL;
  const char *order[] = { text, good, missing, good };
  gsize n;

  x = cochlea_test_sine (440, 0.5, 22050, 0.5, &n);
  cochlea_test_write_wav (good, x, n, 22050, 1);
  make_text (text);

  r = cli_test_run ("analyze", text, good, missing, good, NULL);
  g_assert_cmpint (r->status, ==, 1);
  lines = g_strsplit (r->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(JsonObject) o = cli_test_parse_object (lines[i]);

      g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, order[i]);
      g_assert_cmpint (json_object_has_member (o, "error"), ==, order[i] != good);
      g_assert_cmpint (json_object_has_member (o, "frames"), ==, order[i] == good);
    }
}

/* Truncated MP4s one after another in one process, after another failure:
 * qtdemux then gives up before decodebin has finished plugging it in, and
 * decodebin drops its error; the decoder must still report each file at
 * once instead of waiting for its stall timeout. */
static void
test_truncated_m4a_in_a_row (void)
{
  g_autofree char *text = input_path ("row-text.mp3");
  g_autofree char *half = input_path ("row-half.m4a");
  g_autofree char *head = input_path ("row-head.m4a");
  g_auto(GStrv) lines = NULL;
  g_autoptr(CliResult) r = NULL;
  const char *order[] = { text, half, head, half };

  make_text (text);
  make_m4a_half (half);
  make_m4a_head (head);

  r = cli_test_run ("analyze", text, half, head, half, NULL);
  g_assert_cmpint (r->status, ==, 1);
  lines = g_strsplit (r->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(JsonObject) o = cli_test_parse_object (lines[i]);
      const char *message = json_object_get_string_member (o, "error");

      g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, order[i]);
      g_assert_nonnull (message);
      g_assert_null (strstr (message, "no progress"));
      if (order[i] != text)
        g_assert_nonnull (strstr (message, "truncated"));
    }
}

/* Damaged copies of real files (bytes overwritten, cut at random points,
 * blocks zeroed, headers scribbled on; fixed seed) in one `analyze`: every
 * file gets its line, in order, promptly, and nothing crashes. */
static void
test_damaged (void)
{
  g_autofree char *flac = input_path ("damage-src.flac");
  const char *sources[] = { long_ogg, long_mp3, long_m4a, flac };
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CliResult) r = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_files, n_errors = 0;

  cli_test_make_sine (flac, "flacenc", 44100, 5.0, TRUE);
  g_ptr_array_add (args, g_strdup ("analyze"));
  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (sources[s], &contents, &length, NULL));
      for (guint k = 0; k < 8; k++)
        {
          g_autofree char *name = g_strdup_printf ("damaged-%u-%u%s", s, k, strrchr (sources[s], '.'));
          g_autofree char *copy = g_memdup2 (contents, length);
          gsize len = length;

          switch (k % 4)
            {
            case 0:
              for (int i = g_rand_int_range (rand, 1, 50); i > 0; i--)
                copy[g_rand_int_range (rand, 0, len)] = g_rand_int_range (rand, 0, 256);
              break;
            case 1:
              len = g_rand_int_range (rand, 1, len);
              break;
            case 2:
              {
                gsize at = g_rand_int_range (rand, 0, len);
                memset (copy + at, 0, MIN (len - at, (gsize) g_rand_int_range (rand, 16, 4096)));
              }
              break;
            default:
              for (int i = g_rand_int_range (rand, 1, 8); i > 0; i--)
                copy[g_rand_int_range (rand, 0, MIN (512, len))] = g_rand_int_range (rand, 0, 256);
              break;
            }
          g_ptr_array_add (args, input_path (name));
          g_assert_true (g_file_set_contents (g_ptr_array_index (args, args->len - 1), copy, len, NULL));
        }
    }
  n_files = args->len - 1;
  g_ptr_array_add (args, NULL);

  r = cli_test_run_full (NULL, (const char * const *) args->pdata, NULL);
  g_assert_cmpint (r->status, >=, 0);
  g_assert_cmpint (r->status, <=, 1);
  lines = g_strsplit (r->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, n_files + 1);
  for (guint i = 0; i < n_files; i++)
    {
      g_autoptr(JsonObject) o = cli_test_parse_object (lines[i]);
      const char *path = g_ptr_array_index (args, i + 1);

      g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, path);
      if (json_object_has_member (o, "error"))
        {
          const char *message = json_object_get_string_member (o, "error");
          g_autofree char *base = g_path_get_basename (path);

          g_assert_nonnull (strstr (message, base));
          g_assert_null (strstr (message, "no progress"));
          n_errors++;
        }
      else
        g_assert_cmpint (json_object_get_int_member (o, "frames"), >=, 1);
    }
  g_test_message ("%u damaged files: %u errors", n_files, n_errors);
  g_assert_cmpint (r->status, ==, n_errors > 0 ? 1 : 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  tmpdir = cochlea_test_tmpdir ();
  indir = g_build_filename (tmpdir, "in", NULL);
  g_assert_cmpint (g_mkdir (indir, 0755), ==, 0);

  long_ogg = input_path ("five-seconds.ogg");
  long_mp3 = input_path ("five-seconds.mp3");
  cli_test_make_sine (long_ogg, "vorbisenc ! oggmux", 44100, 5.0, TRUE);
  cli_test_make_sine (long_mp3, "lamemp3enc ! id3v2mux", 44100, 5.0, TRUE);
  long_m4a = input_path ("five-seconds.m4a");
  cli_test_make_sine (long_m4a, "avenc_aac ! mp4mux", 44100, 5.0, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cli/bad-input/%s", bad_inputs[i].label);
      g_test_add_data_func (name, &bad_inputs[i], test_bad_input);
    }
  g_test_add_func ("/cli/bad-input/truncated-half", test_truncated_half);
  g_test_add_func ("/cli/bad-input/non-utf8-name", test_non_utf8_name);
  g_test_add_func ("/cli/bad-input/odd-names", test_odd_names);
  g_test_add_func ("/cli/bad-input/damaged", test_damaged);
  g_test_add_func ("/cli/bad-input/unreadable", test_unreadable);
  g_test_add_func ("/cli/bad-input/missing-plugin", test_missing_plugin);
  g_test_add_func ("/cli/bad-input/analyze-mixed", test_analyze_mixed);
  g_test_add_func ("/cli/bad-input/truncated-m4a-in-a-row", test_truncated_m4a_in_a_row);
  g_test_add_func ("/cli/mel/bad-output", test_mel_bad_output);
  g_test_add_func ("/cli/mel/sigint", test_sigint);
  g_test_add_func ("/cli/mel/sigterm", test_sigterm);

  return g_test_run ();
}
