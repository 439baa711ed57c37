/* cochlea-cli-feedback.c — `cochlea-cli feedback (FILE | --track ID) EVENT`
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "cochlea-engine.h"
#include "cochlea-cli-private.h"
#include "cochlea-cli-store.h"

int
cochlea_cli_feedback (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CochleaCatalogue) catalogue = NULL;
  g_autoptr(CochleaTrack) track = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *playlist = NULL;
  g_autofree char *private_mode = NULL;
  g_auto(GStrv) args = NULL;
  gint64 track_id = -1;
  double position = NAN;
  gboolean is_private = FALSE;
  CochleaEvent event = { 0 };
  const char *file = NULL, *kind_name = NULL;
  int kind;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Catalogue file"), N_("PATH") },
    { "track", 0, 0, G_OPTION_ARG_INT64, &track_id, N_("The catalogue's track ID instead of FILE"), N_("ID") },
    { "position", 'p', 0, G_OPTION_ARG_DOUBLE, &position, N_("Seconds played when the event happened (a skip before 30 s is a thumbs-down)"), N_("S") },
    { "playlist", 0, 0, G_OPTION_ARG_STRING, &playlist, N_("For playlist-add: the playlist (created if needed)"), N_("NAME") },
    { "private", 0, 0, G_OPTION_ARG_NONE, &is_private, N_("Record nothing at all (the catalogue is not opened)"), NULL },
    { "private-mode", 0, 0, G_OPTION_ARG_STRING, &private_mode, N_("Turn the catalogue's private mode on or off"), N_("on|off") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, N_("[FILE] EVENT") },
    { NULL }
  };

  context = g_option_context_new (_("(FILE | --track ID) EVENT — record listening feedback"));
  g_option_context_set_summary (context,
    _("EVENT is one of play, skip, complete, like, unlike, playlist-add.  Likes,\n"
      "completions and playlist adds count for a song; a skip before 30 s counts\n"
      "against it.  In private mode (or with --private) nothing is recorded."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cochlea_cli_parse (context, &argc, &argv))
    return CLI_EXIT_USAGE;

  if (private_mode != NULL)
    {
      gboolean on = g_strcmp0 (private_mode, "on") == 0;
      if (!on && g_strcmp0 (private_mode, "off") != 0)
        {
          g_printerr ("cochlea-cli feedback: %s\n", _("--private-mode takes “on” or “off”"));
          return CLI_EXIT_USAGE;
        }
      if (!(catalogue = cochlea_cli_open_catalogue (db_path, COCHLEA_CATALOGUE_OPEN_DEFAULT, "feedback")))
        return CLI_EXIT_FAILED;
      if (!cochlea_catalogue_set_private_mode (catalogue, on, &error))
        {
          g_printerr ("cochlea-cli feedback: %s\n", error->message);
          return CLI_EXIT_FAILED;
        }
      printf ("private mode %s\n", on ? "on: listening is not recorded" : "off");
      return CLI_EXIT_OK;
    }

  if (args != NULL && g_strv_length (args) == 2 && track_id < 0)
    file = args[0], kind_name = args[1];
  else if (args != NULL && g_strv_length (args) == 1 && track_id >= 0)
    kind_name = args[0];
  else
    {
      g_printerr ("cochlea-cli feedback: %s\n", _("expected FILE EVENT or --track ID EVENT"));
      return CLI_EXIT_USAGE;
    }
  if ((kind = cochlea_event_kind_from_string (kind_name)) < 0)
    {
      g_printerr ("cochlea-cli feedback: “%s”: %s\n", kind_name,
                  _("not an event (play, skip, complete, like, unlike, playlist-add)"));
      return CLI_EXIT_USAGE;
    }
  if (kind == COCHLEA_EVENT_PLAYLIST_ADD && playlist == NULL)
    {
      g_printerr ("cochlea-cli feedback: %s\n", _("playlist-add needs --playlist NAME"));
      return CLI_EXIT_USAGE;
    }

  /* --private: the catalogue is not even opened (a read-only SQLite
   * connection would still leave its WAL index files beside it). */
  if (is_private)
    {
      printf ("private: nothing recorded\n");
      return CLI_EXIT_OK;
    }
  catalogue = cochlea_cli_open_catalogue (db_path, COCHLEA_CATALOGUE_OPEN_DEFAULT, "feedback");
  if (catalogue == NULL)
    return CLI_EXIT_FAILED;
  if (!(track = cochlea_cli_resolve_track (catalogue, file, track_id, "feedback")))
    return CLI_EXIT_FAILED;
  if (cochlea_catalogue_get_private_mode (catalogue))
    {
      printf ("private: nothing recorded\n");
      return CLI_EXIT_OK;
    }

  event.track_id = track->id;
  event.kind = kind;
  event.at_us = g_get_real_time ();
  event.position_s = position;

  /* One user action, one transaction: the event and the playlist entry. */
  if (!cochlea_catalogue_begin (catalogue, &error))
    goto fail;
  if (!cochlea_catalogue_add_event (catalogue, &event, &error))
    goto fail;
  if (kind == COCHLEA_EVENT_PLAYLIST_ADD)
    {
      gint64 pl = cochlea_catalogue_ensure_playlist (catalogue, playlist, &error);
      if (pl < 0 || !cochlea_catalogue_playlist_append (catalogue, pl, &track->id, 1, &error))
        goto fail;
    }
  if (!cochlea_catalogue_commit (catalogue, &error))
    goto fail;

  {
    double label = cochlea_taste_event_label (&event);
    printf ("recorded %s for track %" G_GINT64_FORMAT " (%s)\n", kind_name, track->id,
            label > 0 ? "counts for it" : label < 0 ? "counts against it" : "neutral");
  }
  return CLI_EXIT_OK;

fail:
  cochlea_catalogue_rollback (catalogue);
  g_printerr ("cochlea-cli feedback: %s\n", error->message);
  return CLI_EXIT_FAILED;
}
