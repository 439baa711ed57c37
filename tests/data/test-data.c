/* test-data.c — desktop file, metainfo, schema, POTFILES and flatpak manifest
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "cochlea-test-utils.h"

static char *
source_path (const char *relative)
{
  return g_build_filename (g_getenv ("COCHLEA_SOURCE_ROOT"), relative, NULL);
}

static char *
build_path (const char *relative)
{
  return g_build_filename (g_getenv ("COCHLEA_BUILD_ROOT"), relative, NULL);
}

/* Runs a validator; skips when the tool is not installed. */
static void
run_validator (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *tool = g_find_program_in_path (argv[0]);
  int status;

  if (tool == NULL)
    {
      g_autofree char *why = g_strdup_printf ("%s is not installed", argv[0]);

      g_test_skip (why);
      return;
    }

  status = cochlea_test_run (argv, &out, &err);
  if (status != 0)
    g_test_message ("%s said:\n%s%s", argv[0], out ? out : "", err ? err : "");
  g_assert_cmpint (status, ==, 0);
}

static void
test_desktop_file (void)
{
  g_autofree char *name = g_strdup_printf ("data/%s.desktop", APP_ID);
  g_autofree char *path = build_path (name);
  g_autofree char *contents = NULL;
  const char *argv[] = { "desktop-file-validate", path, NULL };

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  run_validator (argv);

  /* open-with hands over URIs; the app declares audio types. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Exec=cochlea %U"));
  g_assert_nonnull (strstr (contents, "MimeType=audio/"));
}

static void
test_metainfo (void)
{
  g_autofree char *name = g_strdup_printf ("data/%s.metainfo.xml", APP_ID);
  g_autofree char *path = build_path (name);
  g_autofree char *contents = NULL;
  const char *argv[] = { "appstreamcli", "validate", "--no-net", path, NULL };

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  run_validator (argv);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "<release "));
  /* merge_file carried the German translation in. */
  g_assert_nonnull (strstr (contents, "xml:lang=\"de\""));
}

static void
test_schema (void)
{
  g_autofree char *dir = source_path ("data");
  const char *argv[] = { "glib-compile-schemas", "--strict", "--dry-run", dir, NULL };

  run_validator (argv);
}

static gboolean
has_translatable_strings (const char *path)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;

  return strstr (contents, "_(") != NULL ||
         strstr (contents, "translatable=\"yes\"") != NULL;
}

static void
collect_sources (const char *root,
                 const char *relative,
                 GPtrArray  *found)
{
  g_autofree char *dir_path = g_build_filename (root, relative, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *rel = g_build_filename (relative, name, NULL);
      g_autofree char *full = g_build_filename (root, rel, NULL);

      if (name[0] == '.' || g_str_equal (name, "models"))
        continue;

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        collect_sources (root, rel, found);
      else if ((g_str_has_suffix (name, ".c") || g_str_has_suffix (name, ".ui") ||
                g_str_has_suffix (name, ".in") || g_str_has_suffix (name, ".xml")) &&
               has_translatable_strings (full))
        g_ptr_array_add (found, g_steal_pointer (&rel));
    }
}

static void
test_potfiles (void)
{
  const char *root = g_getenv ("COCHLEA_SOURCE_ROOT");
  static const char * const dirs[] = { "app", "engine", "widgets", "data" };
  g_autofree char *potfiles_path = source_path ("po/POTFILES.in");
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (potfiles_path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      g_ptr_array_add (listed, lines[i]);
    }

  /* Sorted, and every listed file exists. */
  for (guint i = 0; i < listed->len; i++)
    {
      g_autofree char *full = g_build_filename (root, g_ptr_array_index (listed, i), NULL);

      if (i > 0)
        g_assert_cmpstr (g_ptr_array_index (listed, i - 1), <, g_ptr_array_index (listed, i));
      if (!g_file_test (full, G_FILE_TEST_IS_REGULAR))
        g_error ("po/POTFILES.in lists %s, which does not exist", (char *) g_ptr_array_index (listed, i));
    }

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    collect_sources (root, dirs[i], found);
  g_assert_cmpuint (found->len, >, 5);

  for (guint i = 0; i < found->len; i++)
    {
      const char *file = g_ptr_array_index (found, i);
      gboolean is_listed = FALSE;

      for (guint j = 0; j < listed->len && !is_listed; j++)
        is_listed = g_str_equal (file, g_ptr_array_index (listed, j));
      if (!is_listed)
        g_error ("%s has translatable strings but is not in po/POTFILES.in", file);
    }
}

/* Every LINGUAS entry is complete: msgfmt counts no untranslated or fuzzy
 * message, and msgcmp finds every string the sources mark (xgettext over
 * po/POTFILES.in with the keywords of meson's 'glib' preset) in the
 * catalogue, so a new string nobody merged into the .po fails too. */
static void
test_translations_complete (void)
{
  g_autofree char *linguas_path = source_path ("po/LINGUAS");
  g_autofree char *linguas = NULL;
  g_auto(GStrv) langs = NULL;
  g_autofree char *tmp = cochlea_test_tmpdir ();
  g_autofree char *pot = g_build_filename (tmp, "cochlea.pot", NULL);
  g_autofree char *potfiles = source_path ("po/POTFILES.in");
  g_autofree char *root = source_path ("");
  const char *xgettext[] = { "xgettext", "--files-from", potfiles, "--directory", root, "--from-code=UTF-8",
                             "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
                             "--keyword=g_dngettext:2,3", "--keyword=ngettext:1,2", "--output", pot, NULL };
  guint n = 0;

  g_assert_cmpint (cochlea_test_run (xgettext, NULL, NULL), ==, 0);

  g_assert_true (g_file_get_contents (linguas_path, &linguas, NULL, NULL));
  langs = g_strsplit_set (linguas, " \n", -1);
  for (guint i = 0; langs[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *po = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char *argv[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", NULL, NULL };

      if (langs[i][0] == '\0' || langs[i][0] == '#')
        continue;

      name = g_strdup_printf ("po/%s.po", langs[i]);
      po = source_path (name);
      argv[5] = po;
      g_assert_cmpint (cochlea_test_run (argv, &out, &err), ==, 0);
      g_test_message ("%s: %s", langs[i], err);
      g_assert_null (strstr (err, "untranslated"));
      g_assert_null (strstr (err, "fuzzy"));
      g_assert_nonnull (strstr (err, "translated"));
      {
        const char *msgcmp[] = { "msgcmp", po, pot, NULL };
        g_autofree char *cmp_err = NULL;
        int status = cochlea_test_run (msgcmp, NULL, &cmp_err);

        if (status != 0)
          g_error ("%s lacks strings the sources use (merge it with the sources and translate them):\n%s",
                   name, cmp_err);
      }
      n++;
    }

  g_assert_cmpuint (n, >=, 1);
}

static JsonObject *
find_module (JsonArray  *modules,
             const char *name)
{
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonNode *node = json_array_get_element (modules, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node), "name", ""), name) == 0)
        return json_node_get_object (node);
    }
  return NULL;
}

static gboolean
array_has_string (JsonArray  *array,
                  const char *value)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
test_flatpak_manifest (void)
{
  g_autofree char *path = source_path ("flatpak/io.github.cochlea.Cochlea.Devel.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *fftw, *app;
  JsonArray *modules, *finish_args, *config_opts;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "app-id"), ==, "io.github.cochlea.Cochlea.Devel");
  g_assert_cmpstr (json_object_get_string_member (root, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (root, "sdk"), ==, "org.gnome.Sdk");
  g_assert_cmpstr (json_object_get_string_member (root, "command"), ==, "cochlea");

  /* Minimal sandbox holes: files arrive through the portal. */
  finish_args = json_object_get_array_member (root, "finish-args");
  g_assert_true (array_has_string (finish_args, "--socket=wayland"));
  g_assert_true (array_has_string (finish_args, "--socket=fallback-x11"));
  g_assert_true (array_has_string (finish_args, "--socket=pulseaudio"));
  for (guint i = 0; i < json_array_get_length (finish_args); i++)
    g_assert_false (g_str_has_prefix (json_array_get_string_element (finish_args, i), "--filesystem=host"));

  modules = json_object_get_array_member (root, "modules");
  fftw = find_module (modules, "fftw3");
  g_assert_nonnull (fftw);
  config_opts = json_object_get_array_member (fftw, "config-opts");
  g_assert_true (array_has_string (config_opts, "--enable-float"));
  g_assert_true (array_has_string (config_opts, "--enable-threads"));

  /* The app itself comes last, built in a separate build dir as a Devel build. */
  app = json_node_get_object (json_array_get_element (modules, json_array_get_length (modules) - 1));
  g_assert_cmpstr (json_object_get_string_member (app, "name"), ==, "cochlea");
  g_assert_true (json_object_get_boolean_member (app, "builddir"));
  g_assert_true (array_has_string (json_object_get_array_member (app, "config-opts"), "-Ddevelopment=true"));
}

static void
test_flatpak_builder (void)
{
  g_autofree char *path = source_path ("flatpak/io.github.cochlea.Cochlea.Devel.json");
  const char *argv[] = { "flatpak-builder", "--show-manifest", path, NULL };

  run_validator (argv);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/desktop-file", test_desktop_file);
  g_test_add_func ("/data/metainfo", test_metainfo);
  g_test_add_func ("/data/schema", test_schema);
  g_test_add_func ("/data/potfiles", test_potfiles);
  g_test_add_func ("/data/translations-complete", test_translations_complete);
  g_test_add_func ("/data/flatpak/manifest", test_flatpak_manifest);
  g_test_add_func ("/data/flatpak/builder", test_flatpak_builder);

  return g_test_run ();
}
