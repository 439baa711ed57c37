/* test-no-display.c — `cochlea` without a display says so on one line and
 * fails; --version needs no display.  (No display needed to run this.)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cochlea-test-utils.h"

static char *
gui_path (void)
{
  return g_build_filename (g_getenv ("COCHLEA_BUILD_ROOT"), "app", "cochlea", NULL);
}

static int
run_without_display (const char * const  *argv,
                     char               **out,
                     char               **err)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  int status = -1;

  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  envp = g_environ_unsetenv (envp, "GDK_BACKEND");

  g_spawn_sync (NULL, (char **) argv, envp, 0, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_no_display (void)
{
  g_autofree char *gui = gui_path ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { gui, NULL };
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_test (gui, G_FILE_TEST_IS_EXECUTABLE));
  g_assert_cmpint (run_without_display (argv, &out, &err), !=, 0);

  /* Exactly one line, naming the problem and the headless alternative. */
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_suffix (err, "\n"));
  lines = g_strsplit (err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[1], ==, "");
  g_assert_nonnull (strstr (lines[0], "display"));
  g_assert_nonnull (strstr (lines[0], "cochlea-cli"));
}

static void
test_version (void)
{
  g_autofree char *gui = gui_path ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = g_strdup_printf ("cochlea %s\n", PACKAGE_VERSION);
  const char *argv[] = { gui, "--version", NULL };

  g_assert_cmpint (run_without_display (argv, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/no-display", test_no_display);
  g_test_add_func ("/app/version", test_version);

  return g_test_run ();
}
