/* fuzz-playlist.c — cochlea_playlist_read() on arbitrary M3U8 and XSPF
 * text.  The first byte picks the format (even: .m3u8, odd: .xspf), the
 * rest is the file.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "store/cochlea-playlist-io.h"
#include "fuzz-common.h"

const char *fuzz_target_name = "playlist";

static char *dir;

static void
remove_dir (void)
{
  g_autofree char *m3u8 = g_build_filename (dir, "p.m3u8", NULL);
  g_autofree char *xspf = g_build_filename (dir, "p.xspf", NULL);

  g_unlink (m3u8);
  g_unlink (xspf);
  g_rmdir (dir);
  g_clear_pointer (&dir, g_free);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;

  if (size < 1)
    return 0;
  if (dir == NULL)
    {
      /* the reader needs a name with an extension: one private folder
       * for the whole run, removed at exit */
      dir = g_dir_make_tmp ("cochlea-fuzz-playlist-XXXXXX", NULL);
      g_assert_nonnull (dir);
      atexit (remove_dir);
    }
  path = g_build_filename (dir, data[0] & 1 ? "p.xspf" : "p.m3u8", NULL);
  /* no fsync, no rename: thousands of runs a second */
  g_assert_true (g_file_set_contents_full (path, (const char *) data + 1, (gssize) size - 1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));

  entries = cochlea_playlist_read (path, &name, &error);
  if (entries == NULL)
    {
      g_assert_nonnull (error);
      g_assert_nonnull (error->message);
      g_assert_null (name);
    }
  else
    {
      g_assert_no_error (error);
      for (guint i = 0; i < entries->len; i++)
        {
          CochleaPlaylistEntry *e = g_ptr_array_index (entries, i);

          /* absolute paths, UTF-8 text */
          g_assert_true (g_path_is_absolute (e->path));
          g_assert_true (e->title == NULL || g_utf8_validate (e->title, -1, NULL));
          g_assert_true (e->artist == NULL || g_utf8_validate (e->artist, -1, NULL));
          g_assert_true (e->album == NULL || g_utf8_validate (e->album, -1, NULL));
        }
      g_assert_true (name == NULL || g_utf8_validate (name, -1, NULL));
    }
  return 0;
}
