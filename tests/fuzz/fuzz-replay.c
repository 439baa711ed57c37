/* fuzz-replay.c — runs one fuzz target over its corpus as a GTest
 * program: one test case per file in tests/fuzz/corpus/<target>/.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built on every build (no clang, no libFuzzer), so the seeds and every
 * input that once crashed stay regression tests.  Extra paths on the
 * command line (files or directories) are replayed instead, which is how
 * a crash file from the fuzzer is checked under gdb or valgrind.
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "fuzz-common.h"

/* every path a test case uses; freed after the run */
static GPtrArray *paths;

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static void
replay_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
}

static void
add_path (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (name[0] != '.')
          g_ptr_array_add (names, g_strdup (name));
      /* a stable order, so a failing case has the same number each run */
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);
          add_path (child);
        }
    }
  else
    {
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *test = g_strdup_printf ("/fuzz/%s/%s", fuzz_target_name, base);

      char *kept = g_strdup (path);

      g_ptr_array_add (paths, kept);
      g_test_add_data_func (test, kept, replay_file);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *corpus = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  paths = g_ptr_array_new_with_free_func (g_free);

  if (argc > 1)
    for (int i = 1; i < argc; i++)
      add_path (argv[i]);
  else
    {
      corpus = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", fuzz_target_name, NULL);
      g_assert_true (g_file_test (corpus, G_FILE_TEST_IS_DIR));
      add_path (corpus);
    }
  status = g_test_run ();
  g_ptr_array_unref (paths);
  return status;
}
