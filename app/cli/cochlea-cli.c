/* cochlea-cli.c — the headless front end: links engine/ only.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-cli"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cochlea-engine.h"
#include "cochlea-cli-private.h"

static const struct
{
  const char        *name;
  CochleaCliCommand  func;
  const char        *summary;
} commands[] = {
  { "mel", cochlea_cli_mel, N_("Write a file's log-mel-spectrogram as a NumPy .npy array") },
  { "analyze", cochlea_cli_analyze, N_("Analyse files and print one JSON object per file") },
  { "train", cochlea_cli_train, N_("Train the network on a generated corpus (or --evaluate a model)") },
  { "generate-corpus", cochlea_cli_generate_corpus, N_("Generate a labelled training corpus of synthesised songs") },
  { "import", cochlea_cli_import, N_("Add the audio files under folders to the catalogue") },
  { "recommend", cochlea_cli_recommend, N_("Songs in the catalogue most like a file or track, explained") },
  { "feedback", cochlea_cli_feedback, N_("Record a play, skip, like… (or switch private mode)") },
  { "discover", cochlea_cli_discover, N_("A playlist of unheard songs that fit your taste") },
  { "playlist", cochlea_cli_playlist, N_("List, fill, export and import playlists (M3U8, XSPF)") },
};

static GCancellable *cancellable;

GCancellable *
cochlea_cli_get_cancellable (void)
{
  return cancellable;
}

gboolean
cochlea_cli_is_cancelled (void)
{
  return g_cancellable_is_cancelled (cancellable);
}

/* Threads started before main() (OpenBLAS starts its pool from a library
 * constructor) do not have the signals blocked: a handler forwards what
 * they receive to the signal thread. */
static pthread_t signal_thread_id;
static volatile sig_atomic_t signal_thread_ready;
static volatile gint received_signal;

static void
forward_signal (int sig)
{
  if (signal_thread_ready)
    pthread_kill (signal_thread_id, sig);
}

static void
install_forwarding (int sig)
{
  struct sigaction sa, old;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = forward_signal;
  sigemptyset (&sa.sa_mask);
  /* Respect a signal ignored by whoever started us (a background job). */
  if (sigaction (sig, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
    sigaction (sig, &sa, NULL);
}

/* SIGINT/SIGTERM cancel the work in progress: subcommands notice through
 * the cancellable, clean up (no partial files), and exit. */
static gpointer
signal_thread (gpointer data)
{
  sigset_t *set = data;
  int sig;

  signal_thread_id = pthread_self ();
  signal_thread_ready = 1;
  while (sigwait (set, &sig) == 0)
    {
      g_atomic_int_compare_and_exchange (&received_signal, 0, sig);
      g_cancellable_cancel (cancellable);
      if (sig == SIGTERM)
        break;
    }
  signal_thread_ready = 0;
  return NULL;
}

gboolean
cochlea_cli_parse (GOptionContext  *context,
                   int             *argc,
                   char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("cochlea-cli: %s\n", error->message);
      g_printerr (_("Run “cochlea-cli %s --help” for usage.\n"), (*argv)[0]);
      return FALSE;
    }
  return TRUE;
}

void
cochlea_cli_print_json_line (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: cochlea-cli COMMAND [OPTION…] [ARGUMENT…]"));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-16s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “cochlea-cli COMMAND --help” for a command's options."));
  fprintf (out, "%s\n", _("Exit status: 0 all files succeeded, 1 some file failed, 2 usage error, 130 interrupted."));
}

int
main (int    argc,
      char **argv)
{
  static sigset_t set;
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("cochlea-cli %s\n", PACKAGE_VERSION);
      return CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (argv[1], commands[i].name) == 0)
        {
          /* Block the signals in every thread (GStreamer's included) and
           * take them in one thread of our own. */
          sigemptyset (&set);
          sigaddset (&set, SIGINT);
          sigaddset (&set, SIGTERM);
          pthread_sigmask (SIG_BLOCK, &set, NULL);
          cancellable = g_cancellable_new ();
          g_thread_unref (g_thread_new ("cochlea-signals", signal_thread, &set));
          install_forwarding (SIGINT);
          install_forwarding (SIGTERM);

          if (!gst_init_check (NULL, NULL, &error))
            {
              g_printerr ("cochlea-cli: cannot start GStreamer: %s\n", error->message);
              return CLI_EXIT_FAILED;
            }
          status = commands[i].func (argc - 1, argv + 1);

          /* Interrupted: the shell convention, 128 + the signal number
           * (130 for Ctrl-C), so scripts can tell it from a failed file. */
          if (status != CLI_EXIT_USAGE && g_cancellable_is_cancelled (cancellable) &&
              g_atomic_int_get (&received_signal) != 0)
            return 128 + g_atomic_int_get (&received_signal);
          return status;
        }
    }

  g_printerr ("cochlea-cli: unknown command “%s”\n\n", argv[1]);
  print_usage (stderr);
  return CLI_EXIT_USAGE;
}
