/* cochlea-cli-playlist.c — `cochlea-cli playlist list|show|add|export|import`
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cochlea-engine.h"
#include "cochlea-cli-private.h"
#include "cochlea-cli-store.h"

static int
fail (const char   *what,
      const GError *error)
{
  g_printerr ("cochlea-cli playlist %s: %s\n", what, error->message);
  return CLI_EXIT_FAILED;
}

static int
do_list (CochleaCatalogue *catalogue)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = cochlea_catalogue_list_playlists (catalogue, &error);

  if (names == NULL)
    return fail ("list", error);
  for (guint i = 0; i < names->len; i++)
    printf ("%s\n", (const char *) g_ptr_array_index (names, i));
  return CLI_EXIT_OK;
}

/* The playlist's tracks as entries with absolute paths. */
static GPtrArray *
playlist_entries (CochleaCatalogue  *catalogue,
                  const char        *name,
                  GError           **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cochlea_playlist_entry_free);
  g_autoptr(GArray) ids = NULL;
  gint64 pl = cochlea_catalogue_find_playlist (catalogue, name, error);

  if (pl < 0 || !(ids = cochlea_catalogue_playlist_tracks (catalogue, pl, error)))
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CochleaTrack) t = cochlea_catalogue_get_track (catalogue, g_array_index (ids, gint64, i), error);
      if (t == NULL)
        return NULL;
      g_ptr_array_add (entries, cochlea_playlist_entry_new (t->path, t->title, t->artist, t->album, t->duration_s));
    }
  return g_steal_pointer (&entries);
}

static int
do_show (CochleaCatalogue *catalogue,
         const char       *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = playlist_entries (catalogue, name, &error);

  if (entries == NULL)
    return fail ("show", error);
  for (guint i = 0; i < entries->len; i++)
    {
      CochleaPlaylistEntry *e = g_ptr_array_index (entries, i);
      g_autofree char *display = g_filename_display_name (e->path);
      printf ("%3u. %s\n", i + 1, display);
    }
  return CLI_EXIT_OK;
}

static int
do_add (CochleaCatalogue *catalogue,
        const char       *name,
        char            **files,
        gint64           *track_ids,
        guint             n_ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 pl;

  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      g_autoptr(CochleaTrack) t = cochlea_cli_resolve_track (catalogue, files[i], -1, "playlist add");
      if (t == NULL)
        return CLI_EXIT_FAILED;
      g_array_append_val (ids, t->id);
    }
  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(CochleaTrack) t = cochlea_cli_resolve_track (catalogue, NULL, track_ids[i], "playlist add");
      if (t == NULL)
        return CLI_EXIT_FAILED;
      g_array_append_val (ids, t->id);
    }
  if (!cochlea_catalogue_begin (catalogue, &error) ||
      (pl = cochlea_catalogue_ensure_playlist (catalogue, name, &error)) < 0 ||
      !cochlea_catalogue_playlist_append (catalogue, pl, (gint64 *) ids->data, ids->len, &error) ||
      !cochlea_catalogue_commit (catalogue, &error))
    {
      cochlea_catalogue_rollback (catalogue);
      return fail ("add", error);
    }
  printf ("added %u tracks to “%s”\n", ids->len, name);
  return CLI_EXIT_OK;
}

static int
do_export (CochleaCatalogue *catalogue,
           const char       *name,
           const char       *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  CochleaPlaylistFormat format;

  if (!cochlea_playlist_format_for_file (file, &format, &error) ||
      !(entries = playlist_entries (catalogue, name, &error)) ||
      !cochlea_playlist_write (file, format, name, entries, &error))
    return fail ("export", error);
  printf ("wrote %u tracks to %s\n", entries->len, file);
  return CLI_EXIT_OK;
}

static int
do_import (CochleaCatalogue *catalogue,
           const char       *file,
           const char       *name_option)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  guint n_missing = 0;
  gint64 pl;

  if (!(entries = cochlea_playlist_read (file, &title, &error)))
    return fail ("import", error);
  if (name_option != NULL)
    name = g_strdup (name_option);
  else if (title != NULL && *title != '\0')
    name = g_steal_pointer (&title);
  else
    {
      g_autofree char *base = g_path_get_basename (file);
      char *dot = strrchr (base, '.');
      if (dot != NULL)
        *dot = '\0';
      name = g_filename_display_name (base);
    }
  for (guint i = 0; i < entries->len; i++)
    {
      CochleaPlaylistEntry *e = g_ptr_array_index (entries, i);
      g_autoptr(CochleaTrack) t = cochlea_catalogue_find_track (catalogue, e->path, &error);
      if (error != NULL)
        return fail ("import", error);
      if (t == NULL)
        {
          g_autofree char *display = g_filename_display_name (e->path);
          g_printerr ("cochlea-cli playlist import: %s: not in the catalogue; skipped\n", display);
          n_missing++;
          continue;
        }
      g_array_append_val (ids, t->id);
    }
  if (!cochlea_catalogue_begin (catalogue, &error) ||
      (pl = cochlea_catalogue_ensure_playlist (catalogue, name, &error)) < 0 ||
      !cochlea_catalogue_playlist_append (catalogue, pl, (gint64 *) ids->data, ids->len, &error) ||
      !cochlea_catalogue_commit (catalogue, &error))
    {
      cochlea_catalogue_rollback (catalogue);
      return fail ("import", error);
    }
  printf ("imported %u tracks into “%s” (%u not in the catalogue)\n", ids->len, name, n_missing);
  return n_missing > 0 ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int
cochlea_cli_playlist (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CochleaCatalogue) catalogue = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(GArray) track_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) track_strs = NULL;
  const char *verb;
  guint n_args;
  gboolean writes;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Catalogue file"), N_("PATH") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("For import: the playlist's name (default: its title or file name)"), N_("NAME") },
    { "track", 0, 0, G_OPTION_ARG_STRING_ARRAY, &track_strs, N_("For add: a track ID (repeatable)"), N_("ID") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, N_("VERB [ARG…]") },
    { NULL }
  };

  context = g_option_context_new (_("list | show NAME | add NAME FILE… | export NAME FILE | import FILE"));
  g_option_context_set_summary (context,
    _("Playlists in the catalogue.  export and import read and write M3U8\n"
      "(.m3u8) and XSPF (.xspf) in UTF-8, with paths relative to the playlist\n"
      "file when both are under the same top-level folder."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cochlea_cli_parse (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  n_args = args != NULL ? g_strv_length (args) : 0;
  verb = n_args > 0 ? args[0] : "";
  for (guint i = 0; track_strs != NULL && track_strs[i] != NULL; i++)
    {
      gint64 id = g_ascii_strtoll (track_strs[i], NULL, 10);
      g_array_append_val (track_ids, id);
    }

  if (!((strcmp (verb, "list") == 0 && n_args == 1) ||
        (strcmp (verb, "show") == 0 && n_args == 2) ||
        (strcmp (verb, "add") == 0 && n_args >= 2 && (n_args > 2 || track_ids->len > 0)) ||
        (strcmp (verb, "export") == 0 && n_args == 3) ||
        (strcmp (verb, "import") == 0 && n_args == 2)))
    {
      g_printerr ("cochlea-cli playlist: %s\n",
                  _("expected list, show NAME, add NAME FILE…, export NAME FILE or import FILE"));
      return CLI_EXIT_USAGE;
    }

  writes = strcmp (verb, "add") == 0 || strcmp (verb, "import") == 0;
  catalogue = cochlea_cli_open_catalogue (db_path, writes ? COCHLEA_CATALOGUE_OPEN_DEFAULT
                                                          : COCHLEA_CATALOGUE_OPEN_READ_ONLY, "playlist");
  if (catalogue == NULL)
    return CLI_EXIT_FAILED;

  if (strcmp (verb, "list") == 0)
    return do_list (catalogue);
  if (strcmp (verb, "show") == 0)
    return do_show (catalogue, args[1]);
  if (strcmp (verb, "add") == 0)
    return do_add (catalogue, args[1], args + 2, (gint64 *) track_ids->data, track_ids->len);
  if (strcmp (verb, "export") == 0)
    return do_export (catalogue, args[1], args[2]);
  return do_import (catalogue, args[1], name);
}
