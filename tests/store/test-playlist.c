/* test-playlist.c — M3U8 and XSPF round trips (UTF-8 names, relative and
 * absolute paths) and `cochlea-cli playlist export/import`.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

static void
test_relative (void)
{
  const struct { const char *dir, *path, *expected; } cases[] = {
    { "/music/lists", "/music/lists/a.ogg", "a.ogg" },
    { "/music/lists", "/music/rock/b c.ogg", "../rock/b c.ogg" },
    { "/music/lists/", "/music/x/y/z.ogg", "../x/y/z.ogg" },
    { "/home/me/lists", "/media/usb/a.ogg", NULL },   /* another top-level folder */
    { "/music", "/music/a.ogg", "a.ogg" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *rel = cochlea_playlist_relative_path (cases[i].dir, cases[i].path);
      g_assert_cmpstr (rel, ==, cases[i].expected);
    }
}

static GPtrArray *
sample_entries (const char *base)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cochlea_playlist_entry_free);
  g_autofree char *p1 = g_build_filename (base, "music", "Sigur Rós", "Ágætis byrjun.ogg", NULL);
  g_autofree char *p2 = g_build_filename (base, "music", "odd #1 & 100% <x>.flac", NULL);
  g_autofree char *p3 = g_build_filename (base, "lists", "here.mp3", NULL);

  g_ptr_array_add (entries, cochlea_playlist_entry_new (p1, "Svefn-g-englar", "Sigur Rós", "Ágætis byrjun", 601.4));
  g_ptr_array_add (entries, cochlea_playlist_entry_new (p2, "A & B <C>", NULL, NULL, -1));
  g_ptr_array_add (entries, cochlea_playlist_entry_new (p3, NULL, NULL, NULL, 12));
  g_ptr_array_add (entries, cochlea_playlist_entry_new ("/nonexistent-top/☃.ogg", "Snow", "Man", NULL, 5));
  return entries;
}

static void
round_trip (const char *ext)
{
  g_autofree char *base = cochlea_test_tmpdir ();
  g_autofree char *lists = g_build_filename (base, "lists", NULL);
  g_autofree char *name = g_strdup_printf ("mix%s", ext);
  g_autofree char *file = g_build_filename (lists, name, NULL);
  g_autoptr(GPtrArray) entries = sample_entries (base);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  CochleaPlaylistFormat format;
  gsize len;

  g_assert_cmpint (g_mkdir (lists, 0755), ==, 0);
  g_assert_true (cochlea_playlist_format_for_file (file, &format, &error));
  g_assert_true (cochlea_playlist_write (file, format, "Ünïcode ♫ mix", entries, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (file, &text, &len, NULL));
  g_assert_true (g_utf8_validate (text, len, NULL));
  g_test_message ("%s:\n%s", name, text);
  if (format == COCHLEA_PLAYLIST_M3U8)
    {
      g_assert_true (g_str_has_prefix (text, "#EXTM3U\n"));
      g_assert_nonnull (strstr (text, "\n../music/Sigur Rós/Ágætis byrjun.ogg\n"));
      g_assert_nonnull (strstr (text, "\nhere.mp3\n"));
      g_assert_nonnull (strstr (text, "\n/nonexistent-top/☃.ogg\n"));
      g_assert_nonnull (strstr (text, "#EXTINF:601,Sigur Rós - Svefn-g-englar\n"));
    }
  else
    {
      g_assert_nonnull (strstr (text, "<location>../music/Sigur%20R%C3%B3s/%C3%81g%C3%A6tis%20byrjun.ogg</location>"));
      g_assert_nonnull (strstr (text, "<location>file:///nonexistent-top/%E2%98%83.ogg</location>"));
      g_assert_nonnull (strstr (text, "<title>A &amp; B &lt;C&gt;</title>"));
      g_assert_nonnull (strstr (text, "<duration>601400</duration>"));
    }

  back = cochlea_playlist_read (file, &title, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (title, ==, "Ünïcode ♫ mix");
  g_assert_cmpuint (back->len, ==, entries->len);
  for (guint i = 0; i < entries->len; i++)
    {
      CochleaPlaylistEntry *a = g_ptr_array_index (entries, i);
      CochleaPlaylistEntry *b = g_ptr_array_index (back, i);
      g_assert_cmpstr (a->path, ==, b->path);
      if (format == COCHLEA_PLAYLIST_XSPF)
        {
          g_assert_cmpstr (a->title, ==, b->title);
          g_assert_cmpstr (a->artist, ==, b->artist);
          g_assert_cmpstr (a->album, ==, b->album);
        }
    }
}

static void
test_m3u8 (void)
{
  round_trip (".m3u8");
}

static void
test_xspf (void)
{
  round_trip (".xspf");
}

static void
test_foreign_m3u (void)
{
  g_autofree char *base = cochlea_test_tmpdir ();
  g_autofree char *file = g_build_filename (base, "win.m3u", NULL);
  g_autofree char *bad = g_build_filename (base, "bad.xspf", NULL);
  g_autofree char *latin1 = g_build_filename (base, "latin1.m3u8", NULL);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;

  /* A BOM, CRLF line ends, comments, a file: URI. */
  g_assert_true (g_file_set_contents (file, "\xef\xbb\xbf#EXTM3U\r\n# a comment\r\nsub/a.ogg\r\n\r\nfile:///x/y%20z.ogg\r\n", -1, NULL));
  back = cochlea_playlist_read (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 2);
  g_assert_true (g_str_has_suffix (((CochleaPlaylistEntry *) g_ptr_array_index (back, 0))->path, "/sub/a.ogg"));
  g_assert_cmpstr (((CochleaPlaylistEntry *) g_ptr_array_index (back, 1))->path, ==, "/x/y z.ogg");

  g_assert_true (g_file_set_contents (bad, "<playlist><trackList><track>", -1, NULL));
  g_assert_null (cochlea_playlist_read (bad, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "bad.xspf"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (latin1, "caf\xe9.ogg\n", -1, NULL));
  g_assert_null (cochlea_playlist_read (latin1, NULL, &error));
  g_assert_error (error, COCHLEA_STORE_ERROR, COCHLEA_STORE_ERROR_INVALID);
}

static int
run (const char * const *argv,
     char              **out)
{
  g_autofree char *err = NULL;
  g_autofree char *local = NULL;
  int status = cochlea_test_run (argv, out != NULL ? out : &local, &err);

  if (err != NULL && *err != '\0')
    {
      g_auto(GStrv) lines = g_strsplit (err, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (*lines[i])
          g_test_message ("stderr: %s", lines[i]);
    }
  return status;
}

static void
test_cli_round_trip (void)
{
  const char *cli = g_getenv ("COCHLEA_CLI");
  g_autofree char *base = cochlea_test_tmpdir ();
  g_autofree char *lib = g_build_filename (base, "Músic", NULL);
  g_autofree char *db = g_build_filename (base, "cat.db", NULL);
  g_autofree char *m3u = g_build_filename (base, "lists", "mix.m3u8", NULL);
  g_autofree char *xspf = g_build_filename (base, "lists", "mix.xspf", NULL);
  g_autofree char *lists = g_build_filename (base, "lists", NULL);
  g_autofree char *show_a = NULL, *show_b = NULL, *show_c = NULL;
  const char *names[] = { "b ☃.wav", "a.wav", "c.wav" };

  g_assert_nonnull (cli);
  g_assert_cmpint (g_mkdir (lib, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (lists, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (lib, names[i], NULL);
      gsize n;
      g_autofree float *x = cochlea_test_sine (220.0 * (i + 1), 0.3, 22050, 1.0, &n);
      cochlea_test_write_wav (path, x, n, 22050, 1);
    }
  {
    const char *argv[] = { cli, "import", "-q", "--db", db, lib, NULL };
    g_assert_cmpint (run (argv, NULL), ==, 0);
  }
  {
    g_autofree char *p0 = g_build_filename (lib, names[0], NULL);
    g_autofree char *p1 = g_build_filename (lib, names[1], NULL);
    g_autofree char *p2 = g_build_filename (lib, names[2], NULL);
    /* An order that is neither import nor alphabetical, with a repeat. */
    const char *argv[] = { cli, "playlist", "--db", db, "add", "Mine", p2, p0, p1, p2, NULL };
    g_assert_cmpint (run (argv, NULL), ==, 0);
  }
  {
    const char *e1[] = { cli, "playlist", "--db", db, "export", "Mine", m3u, NULL };
    const char *e2[] = { cli, "playlist", "--db", db, "export", "Mine", xspf, NULL };
    const char *i1[] = { cli, "playlist", "--db", db, "import", m3u, "--name", "From M3U", NULL };
    const char *i2[] = { cli, "playlist", "--db", db, "import", xspf, "--name", "From XSPF", NULL };
    g_assert_cmpint (run (e1, NULL), ==, 0);
    g_assert_cmpint (run (e2, NULL), ==, 0);
    g_assert_cmpint (run (i1, NULL), ==, 0);
    g_assert_cmpint (run (i2, NULL), ==, 0);
  }
  {
    const char *s1[] = { cli, "playlist", "--db", db, "show", "Mine", NULL };
    const char *s2[] = { cli, "playlist", "--db", db, "show", "From M3U", NULL };
    const char *s3[] = { cli, "playlist", "--db", db, "show", "From XSPF", NULL };
    g_assert_cmpint (run (s1, &show_a), ==, 0);
    g_assert_cmpint (run (s2, &show_b), ==, 0);
    g_assert_cmpint (run (s3, &show_c), ==, 0);
  }
  g_test_message ("%s", show_a);
  g_assert_nonnull (strstr (show_a, "  4. "));
  g_assert_cmpstr (show_a, ==, show_b);
  g_assert_cmpstr (show_a, ==, show_c);
  {
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (m3u, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "\n../Músic/b ☃.wav\n"));
  }
  /* Unknown format: a usage-level error naming the file. */
  {
    g_autofree char *txt = g_build_filename (base, "mix.txt", NULL);
    const char *argv[] = { cli, "playlist", "--db", db, "export", "Mine", txt, NULL };
    g_assert_cmpint (run (argv, NULL), ==, 1);
    g_assert_false (g_file_test (txt, G_FILE_TEST_EXISTS));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/playlist/relative", test_relative);
  g_test_add_func ("/playlist/m3u8", test_m3u8);
  g_test_add_func ("/playlist/xspf", test_xspf);
  g_test_add_func ("/playlist/foreign", test_foreign_m3u);
  g_test_add_func ("/playlist/cli-round-trip", test_cli_round_trip);
  return g_test_run ();
}
