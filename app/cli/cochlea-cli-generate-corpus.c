/* cochlea-cli-generate-corpus.c — `cochlea-cli generate-corpus DIR --songs N --seed S`
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cochlea-engine.h"
#include "cochlea-cli-private.h"

typedef struct
{
  gint64 start_us;
  guint  n_written;
} Progress;

static void
progress_cb (guint    index,
             gboolean skipped,
             guint    n_done,
             guint    n_songs,
             gpointer user_data)
{
  Progress *p = user_data;
  double elapsed = (g_get_monotonic_time () - p->start_us) / 1e6;

  if (!skipped)
    p->n_written++;
  g_printerr ("generate-corpus: %u/%u  %05u.wav %s  (%.1f s)\n",
              n_done, n_songs, index, skipped ? _("already complete, skipped") : _("written"), elapsed);
}

static gboolean
parse_uint64 (const char *text,
              guint64     max,
              guint64    *out)
{
  return text != NULL && g_ascii_string_to_unsigned (text, 10, 0, max, out, NULL);
}

int
cochlea_cli_generate_corpus (int    argc,
                             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *songs = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *jobs = NULL;
  g_autofree char *soundfont = NULL;
  g_auto(GStrv) dirs = NULL;
  double duration = 30.0;
  CochleaCorpusOptions options = { 0, };
  Progress progress = { 0, };
  guint64 value;
  const GOptionEntry entries[] = {
    { "songs", 'n', 0, G_OPTION_ARG_STRING, &songs, N_("Number of songs (1–99999)"), N_("N") },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed, N_("Corpus seed, an unsigned 64-bit integer (default 0)"), N_("S") },
    { "soundfont", 0, 0, G_OPTION_ARG_FILENAME, &soundfont, N_("General MIDI SoundFont (default /usr/share/sounds/sf2/FluidR3_GM.sf2)"), N_("PATH") },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &duration, N_("Seconds per song, 1–600 (default 30)"), N_("SECONDS") },
    { "jobs", 'j', 0, G_OPTION_ARG_STRING, &jobs, N_("Songs made in parallel (default: one per core)"), N_("J") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs, NULL, N_("DIR") },
    { NULL }
  };

  context = g_option_context_new (_("— generate a labelled training corpus"));
  g_option_context_set_summary (context,
    _("Composes songs from a seed, renders them with fluidsynth and a General MIDI\n"
      "SoundFont (voices with espeak-ng), and writes DIR/NNNNN.wav (16-bit mono\n"
      "22050 Hz), DIR/NNNNN.json (labels) and DIR/corpus.json.  The same arguments\n"
      "give identical files; songs already complete in DIR are skipped, so an\n"
      "interrupted run can be resumed.  See docs/corpus.md."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cochlea_cli_parse (context, &argc, &argv))
    return CLI_EXIT_USAGE;

  if (dirs == NULL || g_strv_length (dirs) != 1)
    {
      g_printerr ("cochlea-cli generate-corpus: %s\n", _("expected exactly one DIR"));
      return CLI_EXIT_USAGE;
    }
  if (!parse_uint64 (songs, 99999, &value) || value == 0)
    {
      g_printerr ("cochlea-cli generate-corpus: %s\n", _("--songs N is required, with N from 1 to 99999"));
      return CLI_EXIT_USAGE;
    }
  options.n_songs = (guint) value;
  if (seed != NULL && !parse_uint64 (seed, G_MAXUINT64, &options.seed))
    {
      g_printerr ("cochlea-cli generate-corpus: %s “%s”\n", _("--seed expects an unsigned integer, not"), seed);
      return CLI_EXIT_USAGE;
    }
  if (!(duration >= 1.0 && duration <= 600.0))
    {
      g_printerr ("cochlea-cli generate-corpus: %s\n", _("--duration must be between 1 and 600 seconds"));
      return CLI_EXIT_USAGE;
    }
  options.duration = duration;
  if (jobs != NULL)
    {
      if (!parse_uint64 (jobs, 256, &value) || value == 0)
        {
          g_printerr ("cochlea-cli generate-corpus: %s\n", _("--jobs expects a number from 1 to 256"));
          return CLI_EXIT_USAGE;
        }
      options.n_jobs = (guint) value;
    }
  options.dir = dirs[0];
  options.soundfont = soundfont;

  progress.start_us = g_get_monotonic_time ();
  if (!cochlea_corpus_generate (&options, progress_cb, &progress, cochlea_cli_get_cancellable (), &error))
    {
      g_printerr ("cochlea-cli generate-corpus: %s\n", error->message);
      return CLI_EXIT_FAILED;
    }
  g_printerr ("generate-corpus: %u songs in %s (%u written now) in %.1f s\n",
              options.n_songs, options.dir, progress.n_written,
              (g_get_monotonic_time () - progress.start_us) / 1e6);
  return CLI_EXIT_OK;
}
