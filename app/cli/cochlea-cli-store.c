/* cochlea-cli-store.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-cli"

#include "config.h"

#include "cochlea-cli-store.h"

CochleaCatalogue *
cochlea_cli_open_catalogue (const char            *db_path,
                            CochleaCatalogueFlags  flags,
                            const char            *command)
{
  g_autofree char *default_path = NULL;
  g_autoptr(GError) error = NULL;
  CochleaCatalogue *catalogue;

  if (db_path == NULL)
    db_path = default_path = cochlea_catalogue_dup_default_path ();
  catalogue = cochlea_catalogue_open (db_path, flags, &error);
  if (catalogue == NULL)
    g_printerr ("cochlea-cli %s: %s\n", command, error->message);
  return catalogue;
}

char *
cochlea_cli_absolute_path (const char *file)
{
  return g_canonicalize_filename (file, NULL);
}

CochleaTrack *
cochlea_cli_resolve_track (CochleaCatalogue *catalogue,
                           const char       *file,
                           gint64            track_id,
                           const char       *command)
{
  g_autoptr(GError) error = NULL;
  CochleaTrack *track;

  if (file == NULL)
    {
      track = cochlea_catalogue_get_track (catalogue, track_id, &error);
    }
  else
    {
      g_autofree char *abs = cochlea_cli_absolute_path (file);
      track = cochlea_catalogue_find_track (catalogue, abs, &error);
      if (track == NULL && error == NULL)
        {
          g_autofree char *display = g_filename_display_name (file);
          g_printerr ("cochlea-cli %s: %s: not in the catalogue (run “cochlea-cli import” on its folder)\n",
                      command, display);
          return NULL;
        }
    }
  if (track == NULL)
    g_printerr ("cochlea-cli %s: %s\n", command, error->message);
  return track;
}
