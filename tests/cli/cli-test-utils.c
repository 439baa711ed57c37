/* cli-test-utils.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/gst.h>
#include <string.h>
#include <sys/wait.h>

#include "cli-test-utils.h"

void
cli_result_free (CliResult *result)
{
  if (result == NULL)
    return;
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

const char *
cli_test_binary (void)
{
  const char *cli = g_getenv ("COCHLEA_CLI");

  if (cli == NULL)
    g_error ("COCHLEA_CLI is not set: run this test through meson test");
  return cli;
}

typedef struct
{
  GBytes   *out;
  GBytes   *err;
  gboolean  done;
  GError   *error;
} Communicate;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Communicate *c = user_data;

  g_subprocess_communicate_finish (G_SUBPROCESS (source), result, &c->out, &c->err, &c->error);
  c->done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static char *
bytes_to_string (GBytes *bytes,
                 gsize  *len)
{
  gsize n = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &n) : NULL;
  char *s = g_malloc (n + 1);

  if (n > 0)
    memcpy (s, data, n);
  s[n] = '\0';
  if (len != NULL)
    *len = n;
  return s;
}

CliResult *
cli_test_run_full (const char * const *wrapper,
                   const char * const *args,
                   const char * const *env_extra)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = NULL;
  Communicate c = { NULL, };
  gboolean timed_out = FALSE;
  CliResult *result;
  g_autofree char *command = NULL;

  for (guint i = 0; wrapper != NULL && wrapper[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) wrapper[i]);
  g_ptr_array_add (argv, (char *) cli_test_binary ());
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  command = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("running: %s", command);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  for (guint i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (env_extra[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1] ? kv[1] : "", TRUE);
    }

  g_main_context_push_thread_default (context);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_async (process, NULL, NULL, communicate_cb, &c);
  timeout = g_timeout_source_new_seconds (CLI_TEST_TIMEOUT_S);
  g_source_set_callback (timeout, timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (!c.done && !timed_out)
    g_main_context_iteration (context, TRUE);

  if (timed_out)
    {
      g_subprocess_force_exit (process);
      g_error ("cochlea-cli did not finish within %d s: %s", CLI_TEST_TIMEOUT_S, command);
    }
  g_source_destroy (timeout);
  g_assert_no_error (c.error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_main_context_pop_thread_default (context);

  result = g_new0 (CliResult, 1);
  if (g_subprocess_get_if_exited (process))
    result->status = g_subprocess_get_exit_status (process);
  else
    result->status = 128 + g_subprocess_get_term_sig (process);
  result->out = bytes_to_string (c.out, &result->out_len);
  result->err = bytes_to_string (c.err, NULL);
  g_clear_pointer (&c.out, g_bytes_unref);
  g_clear_pointer (&c.err, g_bytes_unref);

  g_test_message ("exit %d; stdout: %s; stderr: %s", result->status, result->out, result->err);
  return result;
}

CliResult *
cli_test_run (const char *first_arg,
              ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return cli_test_run_full (NULL, (const char * const *) args->pdata, NULL);
}

void
cli_test_encode (const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gerror = NULL;
      gst_message_parse_error (message, &gerror, NULL);
      g_error ("encoding failed: %s: %s", description, gerror->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

void
cli_test_make_sine (const char *path,
                    const char *encoder,
                    int         rate,
                    double      seconds,
                    gboolean    tags)
{
  g_autofree char *description =
    g_strdup_printf ("audiotestsrc wave=sine freq=440 volume=0.5 num-buffers=%d samplesperbuffer=%d "
                     "! audio/x-raw,format=S16LE,rate=%d,channels=1 %s "
                     "! audioconvert ! audioresample ! %s ! filesink location=\"%s\"",
                     (int) (seconds * 10 + 0.5), rate / 10, rate,
                     tags ? "! taginject tags=\"title=\\\"A Title\\\",artist=\\\"An Ärtist\\\","
                            "album=\\\"An Album\\\",genre=Ambient\"" : "",
                     encoder, path);
  cli_test_encode (description);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

char *
cli_test_list_dir (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

JsonObject *
cli_test_parse_object (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_true (g_utf8_validate (line, -1, NULL));
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}
