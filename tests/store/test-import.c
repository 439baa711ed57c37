/* test-import.c — `cochlea-cli import` end to end: skip/change/move/delete,
 * failures not retried, symlink loops, kill -9 at random moments, Ctrl-C,
 * two imports at once, disk full, read-only and foreign database files.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>
#include <utime.h>

#include "cochlea-engine.h"
#include "cochlea-test-utils.h"

static const char *
cli (void)
{
  const char *path = g_getenv ("COCHLEA_CLI");
  g_assert_nonnull (path);
  return path;
}

static void
write_tone (const char *path,
            double      freq,
            double      seconds)
{
  gsize n;
  g_autofree float *x = cochlea_test_sine (freq, 0.3, 22050, seconds, &n);

  /* A second partial so no two files are alike. */
  for (gsize i = 0; i < n; i++)
    x[i] += 0.1f * (float) sin (2 * G_PI * freq * 1.5 * i / 22050.0);
  cochlea_test_write_wav (path, x, n, 22050, 1);
}

/* @n tones under @dir (in two subfolders). */
static void
make_library (const char *dir,
              guint       n,
              double      seconds)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sub = g_build_filename (dir, i % 2 ? "odd" : "even", NULL);
      g_autofree char *name = g_strdup_printf ("tone-%02u.wav", i);
      g_autofree char *path = g_build_filename (sub, name, NULL);
      g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
      write_tone (path, 110.0 * (1 + i * 0.37), seconds);
    }
}

/* One g_test_message per line keeps the TAP stream valid. */
static void
log_output (const char *what,
            const char *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_test_message ("%s: %s", what, lines[i]);
}

static int
run_import (const char  *db,
            const char  *dir,
            const char  *extra,
            char       **out,
            char       **err)
{
  const char *argv[] = { cli (), "import", "--db", db, dir, extra, NULL };
  g_autofree char *local_out = NULL, *local_err = NULL;
  int status;

  /* Always captured: the child's output must not reach the TAP stream. */
  if (out == NULL)
    out = &local_out;
  if (err == NULL)
    err = &local_err;
  status = cochlea_test_run (argv, out, err);
  log_output ("stdout", *out);
  log_output ("stderr", *err);
  return status;
}

/* Read-write (without creating), as the next user would open it: a WAL
 * left by a killed writer needs recovery, which a read-only connection
 * cannot run. */
#define OPEN_FLAGS SQLITE_OPEN_READWRITE

static gint64
sql_int (const char *db_path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, OPEN_FLAGS, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s: %d %s", db_path, sql, sqlite3_extended_errcode (db), sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

static void
sql_exec (const char *db_path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *msg = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, OPEN_FLAGS, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s: %s", db_path, sql, msg);
  sqlite3_close (db);
}

static char *
sql_text (const char *db_path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *v = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, OPEN_FLAGS, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

/* The invariants any interruption must keep. */
static void
assert_consistent (const char *db)
{
  g_autofree char *check = sql_text (db, "PRAGMA integrity_check");

  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (sql_int (db, "SELECT count(*) - count(DISTINCT path) FROM tracks"), ==, 0);
  /* Every analysed track has its content vector; no vector is orphaned. */
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks t WHERE status = 'ok'"
                                " AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.track_id = t.id)"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM embeddings e"
                                " WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.id = e.track_id)"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
}

static void
test_basic (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *lib = g_build_filename (dir, "lib", NULL);
  g_autofree char *db = g_build_filename (dir, "cat.db", NULL);
  g_autofree char *bad = g_build_filename (lib, "odd", "broken.mp3", NULL);
  g_autofree char *loop = g_build_filename (lib, "even", "loop", NULL);
  g_autofree char *out = NULL, *err = NULL;

  make_library (lib, 6, 2.0);
  g_assert_true (g_file_set_contents (bad, "not really an mp3", -1, NULL));
  g_assert_cmpint (symlink ("..", loop), ==, 0);

  /* A failed file makes the exit status 1; the others are still stored. */
  g_assert_cmpint (run_import (db, lib, NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, "7 found, 6 added"));
  g_assert_nonnull (strstr (out, "failed: "));
  g_assert_nonnull (strstr (out, "broken.mp3"));
  g_assert_nonnull (strstr (err, "symlink loop"));
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks WHERE status = 'ok'"), ==, 6);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks WHERE status = 'failed' AND error LIKE '%broken.mp3%'"), ==, 1);
  assert_consistent (db);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Second run: nothing analysed, the failure is not retried. */
  g_assert_cmpint (run_import (db, lib, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "0 added, 6 unchanged, 0 failed (1 failed before, not retried)"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Unless asked to. */
  g_assert_cmpint (run_import (db, lib, "--retry-failed", &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, "0 added, 6 unchanged, 1 failed"));
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks"), ==, 7);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Every analysed track has its timbre model, stored as a second vector. */
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks t JOIN embeddings e ON e.track_id = t.id"
                                " AND e.model = '" COCHLEA_TIMBRE_MODEL "' AND e.dim = 230"
                                " WHERE t.status = 'ok' AND t.features_version = "
                                G_STRINGIFY (COCHLEA_FEATURES_VERSION)), ==, 6);

  /* Tracks stored before the timbre model existed (features version 1,
   * as a migrated catalogue has them) are analysed again, once. */
  sql_exec (db, "DELETE FROM embeddings WHERE model = '" COCHLEA_TIMBRE_MODEL "' AND track_id IN"
                " (SELECT id FROM tracks WHERE status = 'ok' LIMIT 2);"
                "UPDATE tracks SET features_version = 1 WHERE status = 'ok' AND id NOT IN"
                " (SELECT track_id FROM embeddings WHERE model = '" COCHLEA_TIMBRE_MODEL "')");
  g_assert_cmpint (run_import (db, lib, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "2 added, 4 unchanged"));
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM embeddings WHERE model = '" COCHLEA_TIMBRE_MODEL "'"), ==, 6);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks WHERE features_version = 1"), ==, 0);
  assert_consistent (db);
}

static void
test_changes (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *lib = g_build_filename (dir, "lib", NULL);
  g_autofree char *db = g_build_filename (dir, "cat.db", NULL);
  g_autofree char *changed = g_build_filename (lib, "even", "tone-00.wav", NULL);
  g_autofree char *touched = g_build_filename (lib, "even", "tone-02.wav", NULL);
  g_autofree char *moved_from = g_build_filename (lib, "odd", "tone-01.wav", NULL);
  g_autofree char *moved_to_dir = g_build_filename (lib, "new", NULL);
  g_autofree char *moved_to = g_build_filename (moved_to_dir, "renamed.wav", NULL);
  g_autofree char *deleted = g_build_filename (lib, "odd", "tone-03.wav", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *sql = NULL;
  gint64 moved_id;
  struct utimbuf times = { 1000000000, 1000000000 };

  make_library (lib, 5, 2.0);
  g_assert_cmpint (run_import (db, lib, NULL, NULL, NULL), ==, 0);
  sql = g_strdup_printf ("SELECT id FROM tracks WHERE path = '%s'", moved_from);
  moved_id = sql_int (db, sql);
  g_assert_cmpint (moved_id, >, 0);

  write_tone (changed, 999.0, 2.5);
  g_assert_cmpint (utime (touched, &times), ==, 0);
  g_assert_cmpint (g_mkdir (moved_to_dir, 0755), ==, 0);
  g_assert_cmpint (g_rename (moved_from, moved_to), ==, 0);
  g_assert_cmpint (g_unlink (deleted), ==, 0);

  g_assert_cmpint (run_import (db, lib, NULL, &out, &err), ==, 0);
  /* Only the changed file is analysed again. */
  g_assert_nonnull (strstr (out, "4 found, 1 added, 2 unchanged, 0 failed (0 failed before, not retried), 1 moved, 1 missing"));
  g_assert_nonnull (strstr (out, "renamed.wav"));
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT id FROM tracks WHERE path = '%s'", moved_to);
  g_assert_cmpint (sql_int (db, sql), ==, moved_id);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT status FROM tracks WHERE path = '%s'", deleted);
  {
    g_autofree char *status = sql_text (db, sql);
    g_assert_cmpstr (status, ==, "missing");
  }
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT mtime_us FROM tracks WHERE path = '%s'", touched);
  g_assert_cmpint (sql_int (db, sql), ==, (gint64) 1000000000 * G_USEC_PER_SEC);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT round (duration_s, 1) * 10 FROM tracks WHERE path = '%s'", changed);
  g_assert_cmpint (sql_int (db, sql), ==, 25);
  assert_consistent (db);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks"), ==, 5);
}

static GSubprocess *
spawn_import (const char                  *db,
              const char                  *dir,
              const char                  *extra,
              GSubprocessLauncher         *launcher)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) own = NULL;
  GSubprocess *proc;
  const char *argv[] = { cli (), "import", "--db", db, dir, extra, NULL };

  if (launcher == NULL)
    launcher = own = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return proc;
}

static void
finish (GSubprocess  *proc,
        char        **out,
        char        **err)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  log_output ("stdout", out ? *out : NULL);
  log_output ("stderr", err ? *err : NULL);
}

static void
test_kill9 (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *lib = g_build_filename (dir, "lib", NULL);
  g_autofree char *db = g_build_filename (dir, "cat.db", NULL);
  guint n_files = 40, killed_mid_run = 0;

  g_autofree char *scratch = g_build_filename (dir, "scratch.db", NULL);
  gint64 start_us;
  guint full_ms;

  make_library (lib, n_files, 6.0);
  g_test_message ("seed for the kill points: %s", g_test_get_path ());

  /* How long a whole import takes on this machine right now: an idle
   * machine finishes in well under a second, a loaded one takes many, and
   * the kill points must fall inside the run either way. */
  start_us = g_get_monotonic_time ();
  g_assert_cmpint (run_import (scratch, lib, "-q", NULL, NULL), ==, 0);
  full_ms = (guint) MAX (10, (g_get_monotonic_time () - start_us) / 1000);
  g_test_message ("an uninterrupted import took %u ms", full_ms);

  for (int round = 0; round < 10; round++)
    {
      g_autoptr(GSubprocess) proc = spawn_import (db, lib, "-q", NULL);
      /* The moment is the point of the test: anywhere in the first half of
       * an uninterrupted run, which covers opening, migrating, walking and
       * storing. */
      guint delay_ms = g_test_rand_int_range (0, full_ms / 2 + 1);

      g_usleep (delay_ms * 1000);
      g_subprocess_send_signal (proc, SIGKILL);
      g_subprocess_wait (proc, NULL, NULL);
      if (g_subprocess_get_if_signaled (proc))
        killed_mid_run++;
      g_test_message ("round %d: killed after %u ms (%s)", round, delay_ms,
                      g_subprocess_get_if_signaled (proc) ? "mid-run" : "already done");
      if (g_file_test (db, G_FILE_TEST_EXISTS) && sql_int (db, "PRAGMA user_version") > 0)
        {
          g_test_message ("%" G_GINT64_FORMAT " tracks stored", sql_int (db, "SELECT count(*) FROM tracks"));
          assert_consistent (db);
        }
    }
  g_assert_cmpuint (killed_mid_run, >, 0);

  /* The next run completes, with every file exactly once. */
  g_assert_cmpint (run_import (db, lib, "-q", NULL, NULL), ==, 0);
  assert_consistent (db);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks WHERE status = 'ok'"), ==, n_files);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks"), ==, n_files);
}

static void
test_sigint (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *lib = g_build_filename (dir, "lib", NULL);
  g_autofree char *db = g_build_filename (dir, "cat.db", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL, *err = NULL;
  guint n_files = 40;

  make_library (lib, n_files, 8.0);
  proc = spawn_import (db, lib, NULL, NULL);
  /* Interrupt once the first file is stored (polled, not timed). */
  for (int i = 0; i < 2000; i++)
    {
      if (g_file_test (db, G_FILE_TEST_EXISTS) && sql_int (db, "PRAGMA user_version") > 0 &&
          sql_int (db, "SELECT count(*) FROM tracks") > 0)
        break;
      g_usleep (5000);
    }
  g_subprocess_send_signal (proc, SIGINT);
  finish (proc, &out, &err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  if (g_subprocess_get_exit_status (proc) == 0)
    {
      g_test_skip ("the import finished before it could be interrupted");
      return;
    }
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 130);
  g_assert_nonnull (strstr (err, "interrupted"));
  assert_consistent (db);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks"), <, n_files);

  g_assert_cmpint (run_import (db, lib, "-q", NULL, NULL), ==, 0);
  assert_consistent (db);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks WHERE status = 'ok'"), ==, n_files);
}

/* Is some process blocked in flock(2)?  /proc/locks marks waiters "->". */
static gboolean
someone_waits_for_a_flock (void)
{
  g_autofree char *locks = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/locks", &locks, NULL, NULL))
    return FALSE;
  lines = g_strsplit (locks, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "->") != NULL && strstr (lines[i], "FLOCK") != NULL)
      return TRUE;
  return FALSE;
}

static void
test_two_imports (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *lib = g_build_filename (dir, "lib", NULL);
  g_autofree char *db = g_build_filename (dir, "cat.db", NULL);
  g_autofree char *lock = g_strconcat (db, ".lock", NULL);
  g_autoptr(GSubprocess) waiter = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  gboolean waiting = FALSE;
  guint n_files = 6;
  int fd;

  make_library (lib, n_files, 1.0);
  /* This test process plays the import that is already running: it holds
   * the catalogue's import lock exactly as an import does. */
  fd = g_open (lock, O_RDWR | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);

  /* A second import refuses, clearly, and adds nothing. */
  g_assert_cmpint (run_import (db, lib, NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "another import is already running"));
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks"), ==, 0);

  /* With --wait it blocks on the lock until the first one is done. */
  waiter = spawn_import (db, lib, "--wait", NULL);
  for (int i = 0; i < 2000 && !(waiting = someone_waits_for_a_flock ()); i++)
    g_usleep (5000);
  if (waiting)
    g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks"), ==, 0);
  else
    g_test_message ("/proc/locks shows no waiter; not checking that --wait blocked");
  g_assert_cmpint (flock (fd, LOCK_UN), ==, 0);
  close (fd);
  finish (waiter, &out2, &err2);
  g_assert_true (g_subprocess_get_if_exited (waiter));
  g_assert_cmpint (g_subprocess_get_exit_status (waiter), ==, 0);
  assert_consistent (db);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks"), ==, n_files);
}

static gboolean
try_mount_tmpfs (const char *where,
                 const char *options)
{
  if (geteuid () != 0)
    return FALSE;
  return mount ("tmpfs", where, "tmpfs", 0, options) == 0;
}

static void
limit_file_size (gpointer data)
{
  struct rlimit rl = { 96 * 1024, 96 * 1024 };

  signal (SIGXFSZ, SIG_IGN);   /* a write beyond the limit fails with EFBIG */
  setrlimit (RLIMIT_FSIZE, &rl);
}

static void
test_disk_full (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *lib = g_build_filename (dir, "lib", NULL);
  g_autofree char *small = g_build_filename (dir, "small", NULL);
  g_autofree char *db = g_build_filename (small, "cat.db", NULL);
  g_autofree char *copy = g_build_filename (dir, "copy.db", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  gboolean mounted;
  guint n_files = 60;

  make_library (lib, n_files, 1.0);
  g_assert_cmpint (g_mkdir (small, 0755), ==, 0);
  mounted = try_mount_tmpfs (small, "size=160k");
  g_test_message ("disk full via %s", mounted ? "a 160 KiB tmpfs" : "RLIMIT_FSIZE = 96 KiB");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (!mounted)
    g_subprocess_launcher_set_child_setup (launcher, limit_file_size, NULL, NULL);
  proc = spawn_import (db, lib, "-q", launcher);
  finish (proc, &out, &err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_nonnull (strstr (err, "cat.db"));
  g_assert_true (strstr (err, "disk is full") != NULL || strstr (err, "disk I/O error") != NULL);

  /* What was stored is consistent, and the import completes with room. */
  if (sql_int (db, "PRAGMA user_version") > 0)
    assert_consistent (db);
  if (mounted)
    {
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);
      g_assert_true (g_file_get_contents (db, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (copy, contents, len, NULL));
      g_clear_pointer (&contents, g_free);
      if (g_file_get_contents (wal, &contents, &len, NULL))
        g_assert_true (g_file_set_contents (copy_wal, contents, len, NULL));
      umount2 (small, MNT_DETACH);
      g_clear_pointer (&db, g_free);
      db = g_strdup (copy);
    }
  g_assert_cmpint (run_import (db, lib, "-q", NULL, NULL), ==, 0);
  assert_consistent (db);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM tracks"), ==, n_files);
}

static void
test_read_only_db (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *lib = g_build_filename (dir, "lib", NULL);
  g_autofree char *ro = g_build_filename (dir, "ro", NULL);
  g_autofree char *db = g_build_filename (ro, "cat.db", NULL);
  g_autofree char *out = NULL, *err = NULL;
  gboolean mounted;

  make_library (lib, 3, 1.0);
  g_assert_cmpint (g_mkdir (ro, 0755), ==, 0);
  mounted = try_mount_tmpfs (ro, "size=4m");
  g_assert_cmpint (run_import (db, lib, "-q", NULL, NULL), ==, 0);
  make_library (lib, 5, 1.0);

  if (mounted)
    g_assert_cmpint (mount ("tmpfs", ro, "tmpfs", MS_REMOUNT | MS_RDONLY, NULL), ==, 0);
  else if (geteuid () != 0)
    {
      g_assert_cmpint (g_chmod (db, 0444), ==, 0);
      g_assert_cmpint (g_chmod (ro, 0555), ==, 0);
    }
  else
    {
      g_test_skip ("root without mount(2): cannot make a file read-only");
      return;
    }

  g_assert_cmpint (run_import (db, lib, NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "cat.db"));
  g_assert_nonnull (strstr (err, "read-only"));
  /* Nothing was written, and reading still works. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CochleaCatalogue) cat = cochlea_catalogue_open (db, COCHLEA_CATALOGUE_OPEN_READ_ONLY, &error);
    g_assert_no_error (error);
    g_assert_cmpint (cochlea_catalogue_count_tracks (cat, COCHLEA_TRACK_OK, &error), ==, 3);
  }
  {
    const char *argv[] = { cli (), "recommend", "--db", db, "--track", "1", "-k", "2", NULL };
    g_autofree char *rec_out = NULL, *rec_err = NULL;
    g_assert_cmpint (cochlea_test_run (argv, &rec_out, &rec_err), ==, 0);
    log_output ("stdout", rec_out);
    log_output ("stderr", rec_err);
    g_assert_nonnull (strstr (rec_out, " 2. "));
  }

  if (mounted)
    umount2 (ro, MNT_DETACH);
  else
    g_chmod (ro, 0755);
}

static void
test_foreign_files (void)
{
  g_autofree char *dir = cochlea_test_tmpdir ();
  g_autofree char *lib = g_build_filename (dir, "lib", NULL);
  g_autofree char *notdb = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *future = g_build_filename (dir, "future.db", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *after = NULL;
  g_autofree char *before = NULL;
  gsize len, before_len;
  const char *text = "shopping list\n";
  sqlite3 *db = NULL;

  make_library (lib, 2, 1.0);
  g_assert_true (g_file_set_contents (notdb, text, -1, NULL));
  g_assert_cmpint (run_import (notdb, lib, NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "notes.txt: not a Cochlea catalogue"));
  g_assert_true (g_file_get_contents (notdb, &after, &len, NULL));
  g_assert_cmpstr (after, ==, text);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_import (future, lib, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (sqlite3_open (future, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 42", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (future, &before, &before_len, NULL));
  g_assert_cmpint (run_import (future, lib, NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "schema version 42"));
  g_clear_pointer (&after, g_free);
  g_assert_true (g_file_get_contents (future, &after, &len, NULL));
  g_assert_cmpmem (before, before_len, after, len);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/import/basic", test_basic);
  g_test_add_func ("/import/changes", test_changes);
  g_test_add_func ("/import/kill9", test_kill9);
  g_test_add_func ("/import/sigint", test_sigint);
  g_test_add_func ("/import/two-at-once", test_two_imports);
  g_test_add_func ("/import/disk-full", test_disk_full);
  g_test_add_func ("/import/read-only-db", test_read_only_db);
  g_test_add_func ("/import/foreign-files", test_foreign_files);
  return g_test_run ();
}
