/* cochlea-cli-import.c — `cochlea-cli import DIR… [--db PATH]`
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cochlea-engine.h"
#include "cochlea-cli-private.h"
#include "cochlea-cli-store.h"

typedef struct
{
  gboolean tty;
  gboolean quiet;
  gint64   start_us;
  guint    bar_len;     /* characters of the last bar drawn, to erase it */
} ImportView;

static void
clear_bar (ImportView *view)
{
  if (view->tty && view->bar_len > 0)
    {
      fprintf (stderr, "\r%*s\r", (int) view->bar_len, "");
      view->bar_len = 0;
    }
}

static void
format_eta (char   *buf,
            gsize   len,
            double  seconds)
{
  if (!(seconds >= 0) || seconds > 360000)
    g_strlcpy (buf, "--:--", len);
  else if (seconds >= 3600)
    g_snprintf (buf, len, "%d:%02d:%02d", (int) seconds / 3600, ((int) seconds / 60) % 60, (int) seconds % 60);
  else
    g_snprintf (buf, len, "%d:%02d", (int) seconds / 60, (int) seconds % 60);
}

static void
progress_cb (const CochleaImportStats *stats,
             gpointer                  user_data)
{
  ImportView *view = user_data;
  guint done = stats->n_added + stats->n_failed;
  double elapsed = (g_get_monotonic_time () - view->start_us) / 1e6;
  double rate = elapsed > 0 ? done / elapsed : 0;
  char eta[32];
  char bar[31];
  char line[256];
  int width = 30;
  int filled;

  if (!view->tty || view->quiet)
    return;
  filled = stats->n_queued > 0 ? (int) (width * (double) done / stats->n_queued) : 0;
  for (int i = 0; i < width; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[width] = '\0';
  if (stats->walking)
    g_strlcpy (eta, "scanning", sizeof eta);
  else
    format_eta (eta, sizeof eta, rate > 0 ? (stats->n_queued - done) / rate : -1);
  g_snprintf (line, sizeof line, "[%s] %u/%u  %.1f files/s  ETA %s  (%u unchanged, %u failed)",
              bar, done, stats->n_queued, rate, eta, stats->n_unchanged, stats->n_failed);
  clear_bar (view);
  fputs (line, stderr);
  fflush (stderr);
  view->bar_len = strlen (line);
}

static void
message_cb (CochleaImportEvent  event,
            const char         *path,
            const char         *text,
            gpointer            user_data)
{
  ImportView *view = user_data;
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *old_display = NULL;

  clear_bar (view);
  switch (event)
    {
    case COCHLEA_IMPORT_ADDED:
      if (!view->tty && !view->quiet)
        printf ("added: %s\n", display);
      break;
    case COCHLEA_IMPORT_FAILED:
      if (!view->quiet)
        printf ("failed: %s\n", text);
      break;
    case COCHLEA_IMPORT_MOVED:
      old_display = g_filename_display_name (text);
      if (!view->quiet)
        printf ("moved: %s → %s\n", old_display, display);
      break;
    case COCHLEA_IMPORT_MISSING:
      if (!view->quiet)
        printf ("missing: %s\n", display);
      break;
    case COCHLEA_IMPORT_PROBLEM:
      g_printerr ("cochlea-cli import: %s: %s\n", display, text);
      break;
    default:
      break;
    }
  fflush (stdout);
}

int
cochlea_cli_import (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CochleaCatalogue) catalogue = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) dirs = NULL;
  g_autofree char *db_path = NULL;
  CochleaImportOptions options = { 0 };
  CochleaImportStats stats;
  ImportView view = { 0 };
  int jobs = 0;
  gboolean retry_failed = FALSE, wait = FALSE, quiet = FALSE;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Catalogue file (default: $XDG_DATA_HOME/cochlea/catalogue.db)"), N_("PATH") },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, N_("Files analysed at once (default: one per core)"), N_("N") },
    { "retry-failed", 0, 0, G_OPTION_ARG_NONE, &retry_failed, N_("Analyse again files that failed before"), NULL },
    { "wait", 0, 0, G_OPTION_ARG_NONE, &wait, N_("If another import is running on the catalogue, wait for it instead of refusing"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print only problems and the summary"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs, NULL, N_("DIR…") },
    { NULL }
  };

  context = g_option_context_new (_("DIR… — add the audio files under DIR to the catalogue"));
  g_option_context_set_summary (context,
    _("Walks each DIR recursively, analyses new and changed audio files on all\n"
      "cores and stores them in the catalogue; unchanged files are skipped and\n"
      "files that failed before are not retried unless they change.  Moved files\n"
      "keep their history; files gone from disk are marked missing.  Ctrl-C stops\n"
      "cleanly; running the same command again resumes."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cochlea_cli_parse (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (dirs == NULL || dirs[0] == NULL)
    {
      g_printerr ("cochlea-cli import: %s\n", _("expected at least one DIR"));
      return CLI_EXIT_USAGE;
    }
  if (jobs < 0)
    {
      g_printerr ("cochlea-cli import: %s\n", _("--jobs must be positive"));
      return CLI_EXIT_USAGE;
    }

  if (!(catalogue = cochlea_cli_open_catalogue (db_path, COCHLEA_CATALOGUE_OPEN_DEFAULT, "import")))
    return CLI_EXIT_FAILED;
  if (!cochlea_catalogue_lock_for_import (catalogue, wait, &error))
    {
      g_printerr ("cochlea-cli import: %s\n", error->message);
      return CLI_EXIT_FAILED;
    }

  view.tty = isatty (STDERR_FILENO);
  view.quiet = quiet;
  view.start_us = g_get_monotonic_time ();
  options.n_threads = jobs;
  options.retry_failed = retry_failed;
  options.progress = progress_cb;
  options.message = message_cb;
  options.user_data = &view;

  ok = cochlea_import_run (catalogue, (const char * const *) dirs, &options, &stats,
                           cochlea_cli_get_cancellable (), &error);
  clear_bar (&view);

  printf ("%u found, %u added, %u unchanged, %u failed (%u failed before, not retried), "
          "%u moved, %u missing, %u problems in %.1f s\n",
          stats.n_found, stats.n_added, stats.n_unchanged, stats.n_failed, stats.n_skipped_failed,
          stats.n_moved, stats.n_missing, stats.n_problems,
          (g_get_monotonic_time () - view.start_us) / 1e6);
  fflush (stdout);

  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("cochlea-cli import: interrupted; %u files were stored, run the same command again to resume\n",
                    stats.n_added + stats.n_failed);
      else
        g_printerr ("cochlea-cli import: %s\n", error->message);
      return CLI_EXIT_FAILED;
    }
  return stats.n_failed > 0 ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
