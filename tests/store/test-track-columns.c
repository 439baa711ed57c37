/* test-track-columns.c — tempo, key, mode and energy of every track read
 * back in one query, and "unknown" for a track without attributes.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

static CochleaAnalysis *
fake_analysis (const char *title)
{
  CochleaAnalysis *a = g_new0 (CochleaAnalysis, 1);

  a->path = g_strdup ("/x");
  a->display_path = g_strdup ("/x");
  a->tags.title = g_strdup (title);
  a->duration_s = 10.0;
  return a;
}

static gint64
store (CochleaCatalogue *cat,
       const char       *path,
       double            tempo,
       int               key,
       int               mode,
       double            energy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaAnalysis) analysis = fake_analysis (path);
  g_autoptr(CochleaFeatures) features = cochlea_features_new ();
  CochleaFileStamp stamp = { path, 100, 200, NULL };
  gint64 id;

  features->attrs[COCHLEA_ATTR_TEMPO] = tempo;
  features->attrs[COCHLEA_ATTR_KEY] = key;
  features->attrs[COCHLEA_ATTR_MODE] = mode;
  features->attrs[COCHLEA_ATTR_ENERGY] = energy;
  id = cochlea_catalogue_store_analysis (cat, &stamp, analysis, features, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_read_back (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "columns.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) cat = cochlea_catalogue_open (path, 0, &error);
  g_autoptr(GHashTable) table = NULL;
  CochleaFileStamp failed = { "/music/broken.mp3", 5, 6, NULL };
  CochleaTrackColumns c;
  gint64 a, b, f;

  g_assert_no_error (error);
  a = store (cat, "/music/a.flac", 120.5, 9, 0, 0.72);
  b = store (cat, "/music/b.flac", 88.0, 0, 1, 0.25);
  f = cochlea_catalogue_store_failure (cat, &failed, "not audio", &error);
  g_assert_no_error (error);
  g_assert_cmpint (f, >, 0);

  table = cochlea_catalogue_read_track_columns (cat, &error);
  g_assert_no_error (error);
  g_assert_nonnull (table);
  g_assert_cmpuint (g_hash_table_size (table), ==, 2);

  cochlea_track_columns_lookup (table, a, &c);
  g_assert_cmpint (c.track_id, ==, a);
  g_assert_cmpfloat_with_epsilon (c.tempo, 120.5, 1e-9);
  g_assert_cmpint (c.key, ==, 9);
  g_assert_cmpint (c.mode, ==, 0);
  g_assert_cmpfloat_with_epsilon (c.energy, 0.72, 1e-9);

  cochlea_track_columns_lookup (table, b, &c);
  g_assert_cmpfloat_with_epsilon (c.tempo, 88.0, 1e-9);
  g_assert_cmpint (c.key, ==, 0);
  g_assert_cmpint (c.mode, ==, 1);
  g_assert_cmpfloat_with_epsilon (c.energy, 0.25, 1e-9);

  /* The failed track has no attributes row. */
  cochlea_track_columns_lookup (table, f, &c);
  g_assert_cmpint (c.track_id, ==, f);
  g_assert_true (isnan (c.tempo));
  g_assert_cmpint (c.key, ==, -1);
  g_assert_cmpint (c.mode, ==, -1);
  g_assert_true (isnan (c.energy));

  /* A NULL table means "nothing known". */
  cochlea_track_columns_lookup (NULL, a, &c);
  g_assert_true (isnan (c.tempo));
  g_assert_cmpint (c.key, ==, -1);
}

/* "No key" (−1) stored reads back as −1 with an unknown mode. */
static void
test_no_key (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "nokey.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaCatalogue) cat = cochlea_catalogue_open (path, 0, &error);
  g_autoptr(GHashTable) table = NULL;
  CochleaTrackColumns c;
  gint64 id;

  g_assert_no_error (error);
  id = store (cat, "/music/noise.flac", 0.0, -1, 1, 0.9);
  table = cochlea_catalogue_read_track_columns (cat, &error);
  g_assert_no_error (error);
  cochlea_track_columns_lookup (table, id, &c);
  g_assert_cmpint (c.key, ==, -1);
  g_assert_cmpint (c.mode, ==, -1);
  g_assert_cmpfloat_with_epsilon (c.energy, 0.9, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/track-columns/read-back", test_read_back);
  g_test_add_func ("/store/track-columns/no-key", test_no_key);
  return g_test_run ();
}
