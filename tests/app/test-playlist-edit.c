/* test-playlist-edit.c — rename, delete and remove in the catalogue
 * (engine/store/cochlea-playlist-edit.c, used by the playlists sidebar);
 * no display needed
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

static gint64
add_track (CochleaCatalogue *catalogue,
           const char       *path)
{
  g_autoptr(GError) error = NULL;
  CochleaFileStamp stamp = { path, 100, 1, NULL };
  gint64 id = cochlea_catalogue_store_failure (catalogue, &stamp, "test track", &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_rename_delete_remove (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "catalogue.db", NULL);
  g_autoptr(CochleaCatalogue) catalogue = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GArray) items = NULL;
  gint64 ids[3];
  gint64 road, rain;

  catalogue = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  ids[0] = add_track (catalogue, "/music/a.ogg");
  ids[1] = add_track (catalogue, "/music/b.ogg");
  ids[2] = add_track (catalogue, "/music/c.ogg");

  road = cochlea_catalogue_ensure_playlist (catalogue, "Road", &error);
  g_assert_no_error (error);
  rain = cochlea_catalogue_ensure_playlist (catalogue, "Rain", &error);
  g_assert_no_error (error);
  g_assert_true (cochlea_catalogue_playlist_append (catalogue, road, ids, 3, &error));
  g_assert_no_error (error);

  /* Rename keeps the id and the items; blanks around the name go. */
  g_assert_true (cochlea_catalogue_rename_playlist (catalogue, road, "  Long Road ", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cochlea_catalogue_find_playlist (catalogue, "Long Road", &error), ==, road);
  g_assert_no_error (error);
  items = cochlea_catalogue_playlist_tracks (catalogue, road, &error);
  g_assert_cmpuint (items->len, ==, 3);
  g_clear_pointer (&items, g_array_unref);

  /* Renaming to its own name is fine; to another's, or to nothing, is not. */
  g_assert_true (cochlea_catalogue_rename_playlist (catalogue, road, "Long Road", &error));
  g_assert_no_error (error);
  g_assert_false (cochlea_catalogue_rename_playlist (catalogue, road, "Rain", &error));
  g_assert_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Rain"));
  g_clear_error (&error);
  g_assert_false (cochlea_catalogue_rename_playlist (catalogue, road, "   ", &error));
  g_assert_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cochlea_catalogue_rename_playlist (catalogue, 9999, "Other", &error));
  g_assert_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Remove the middle item: the others keep their order. */
  g_assert_true (cochlea_catalogue_playlist_remove (catalogue, road, 1, &error));
  g_assert_no_error (error);
  items = cochlea_catalogue_playlist_tracks (catalogue, road, &error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpint (g_array_index (items, gint64, 0), ==, ids[0]);
  g_assert_cmpint (g_array_index (items, gint64, 1), ==, ids[2]);
  g_clear_pointer (&items, g_array_unref);
  g_assert_false (cochlea_catalogue_playlist_remove (catalogue, road, 2, &error));
  g_assert_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Appending after a removal goes to the end. */
  g_assert_true (cochlea_catalogue_playlist_append (catalogue, road, &ids[1], 1, &error));
  items = cochlea_catalogue_playlist_tracks (catalogue, road, &error);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpint (g_array_index (items, gint64, 2), ==, ids[1]);
  g_clear_pointer (&items, g_array_unref);

  /* Delete takes the playlist and its items, not the tracks. */
  g_assert_true (cochlea_catalogue_delete_playlist (catalogue, road, &error));
  g_assert_no_error (error);
  names = cochlea_catalogue_list_playlists (catalogue, &error);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "Rain");
  items = cochlea_catalogue_playlist_tracks (catalogue, road, &error);
  g_assert_cmpuint (items->len, ==, 0);
  g_assert_cmpint (cochlea_catalogue_count_tracks (catalogue, COCHLEA_TRACK_FAILED, &error), ==, 3);
  g_assert_false (cochlea_catalogue_delete_playlist (catalogue, road, &error));
  g_assert_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (rain, >, 0);
}

static void
test_read_only (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "catalogue.db", NULL);
  g_autoptr(GError) error = NULL;
  gint64 id;

  {
    g_autoptr(CochleaCatalogue) writer = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    id = cochlea_catalogue_ensure_playlist (writer, "Mine", &error);
    g_assert_no_error (error);
  }

  {
    g_autoptr(CochleaCatalogue) reader = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_READ_ONLY, &error);

    g_assert_no_error (error);
    /* A read-only catalogue says so instead of pretending. */
    g_assert_false (cochlea_catalogue_rename_playlist (reader, id, "Yours", &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_false (cochlea_catalogue_delete_playlist (reader, id, &error));
    g_assert_nonnull (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/playlist-edit/rename-delete-remove", test_rename_delete_remove);
  g_test_add_func ("/app/playlist-edit/read-only", test_read_only);

  return g_test_run ();
}
