/* cochlea-import.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The calling thread walks the folders, decides per file (unchanged,
 * touched, moved, new or changed) and owns every catalogue write; a pool
 * of n_threads workers only analyses.  At most 2 × n_threads files are in
 * flight, so memory stays bounded however large the library is.
 */
#define G_LOG_DOMAIN "cochlea-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cochlea-import.h"

#define HASH_CHUNK (64 * 1024)

static const char *audio_extensions[] = {
  "aac", "aif", "aifc", "aiff", "ape", "flac", "m4a", "mka", "mp2", "mp3", "mpc",
  "oga", "ogg", "opus", "spx", "wav", "wave", "webm", "wma", "wv",
};

gboolean
cochlea_import_is_audio_name (const char *name)
{
  const char *dot = strrchr (name, '.');

  if (dot == NULL || dot == name)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (audio_extensions); i++)
    if (g_ascii_strcasecmp (dot + 1, audio_extensions[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
read_at (int     fd,
         guint8 *buf,
         gsize   len,
         gint64  offset)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = pread (fd, buf + done, len - done, offset + done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += n;
    }
  return TRUE;
}

char *
cochlea_import_hash_file (const char *path,
                          gint64      size,
                          GError    **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree guint8 *buf = g_malloc (HASH_CHUNK);
  gsize head = MIN (size, HASH_CHUNK);
  gsize tail = size > HASH_CHUNK ? MIN (size - HASH_CHUNK, HASH_CHUNK) : 0;
  guint8 size_le[8];
  int fd;

  for (int i = 0; i < 8; i++)
    size_le[i] = (guint8) ((guint64) size >> (8 * i));
  g_checksum_update (sum, size_le, 8);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int errsv = errno;
      g_autofree char *display = g_filename_display_name (path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "%s: cannot read: %s", display, g_strerror (errsv));
      return NULL;
    }
  if (!read_at (fd, buf, head, 0) ||
      (g_checksum_update (sum, buf, head), FALSE) ||
      !read_at (fd, buf, tail, size - tail))
    {
      g_autofree char *display = g_filename_display_name (path);
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s: cannot read (the file changed or is unreadable)", display);
      return NULL;
    }
  g_checksum_update (sum, buf, tail);
  close (fd);
  return g_strdup (g_checksum_get_string (sum));
}

typedef struct
{
  char             *path;
  gint64            size;
  gint64            mtime_us;
  char             *hash;
  /* Filled by the worker */
  CochleaAnalysis  *analysis;
  CochleaFeatures  *features;
  GError           *error;
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_free (job->hash);
  g_clear_pointer (&job->analysis, cochlea_analysis_free);
  g_clear_pointer (&job->features, cochlea_features_free);
  g_clear_error (&job->error);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

typedef struct
{
  /* Borrowed */
  CochleaCatalogue           *catalogue;
  const CochleaImportOptions *options;
  CochleaImportStats         *stats;

  /* Owned */
  GThreadPool   *pool;
  GAsyncQueue   *results;      /* Job*, from the workers */
  GCancellable  *cancellable;  /* cancelled by the caller's or by a fatal error */
  GHashTable    *seen_dirs;    /* "dev:ino" of folders walked */
  GHashTable    *seen_files;   /* "dev:ino" of files taken */
  GHashTable    *seen_paths;   /* paths taken in this run */
  GError        *fatal;

  guint          in_flight;
  guint          max_in_flight;
  gint64         last_progress_us;
} Import;

static void
analyse_worker (gpointer data,
                gpointer user_data)
{
  Job *job = data;
  Import *import = user_data;

  if (!g_cancellable_set_error_if_cancelled (import->cancellable, &job->error))
    {
      job->analysis = cochlea_analyze_file (job->path, cochlea_features_analyze_flags (),
                                            NULL, NULL, import->cancellable, &job->error);
      if (job->analysis != NULL)
        {
          job->features = cochlea_features_from_analysis (job->analysis);
          /* Only the summary travels back to the writer. */
          g_clear_pointer (&job->analysis->spectrogram, cochlea_spectrogram_unref);
        }
    }
  g_async_queue_push (import->results, job);
}

static void
report (Import             *import,
        CochleaImportEvent  event,
        const char         *path,
        const char         *text)
{
  if (import->options->message != NULL)
    import->options->message (event, path, text, import->options->user_data);
}

static void
report_progress (Import   *import,
                 gboolean  force)
{
  gint64 now = g_get_monotonic_time ();

  if (import->options->progress == NULL)
    return;
  if (!force && now - import->last_progress_us < 100000)
    return;
  import->last_progress_us = now;
  import->options->progress (import->stats, import->options->user_data);
}

static void
set_fatal (Import *import,
           GError *error)
{
  if (import->fatal == NULL)
    import->fatal = error;
  else
    g_error_free (error);
  g_cancellable_cancel (import->cancellable);
}

/* Stores one finished job: the writer side. */
static void
store_result (Import *import,
              Job    *job)
{
  CochleaFileStamp stamp = { job->path, job->size, job->mtime_us, job->hash };
  GError *error = NULL;

  import->in_flight--;
  if (job->error != NULL && g_error_matches (job->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* not analysed: the next run will */
  if (import->fatal != NULL)
    return;

  if (job->analysis != NULL)
    {
      if (cochlea_catalogue_store_analysis (import->catalogue, &stamp, job->analysis,
                                            job->features, &error) < 0)
        {
          set_fatal (import, error);
          return;
        }
      import->stats->n_added++;
      report (import, COCHLEA_IMPORT_ADDED, job->path, NULL);
    }
  else
    {
      if (cochlea_catalogue_store_failure (import->catalogue, &stamp, job->error->message, &error) < 0)
        {
          set_fatal (import, error);
          return;
        }
      import->stats->n_failed++;
      report (import, COCHLEA_IMPORT_FAILED, job->path, job->error->message);
    }
}

static void
drain_one (Import *import,
           gboolean block)
{
  Job *job;

  if (import->in_flight == 0)
    return;
  job = block ? g_async_queue_timeout_pop (import->results, 100000)
              : g_async_queue_try_pop (import->results);
  if (job != NULL)
    {
      store_result (import, job);
      job_free (job);
    }
  report_progress (import, FALSE);
}

static void
enqueue (Import *import,
         Job    *job)
{
  while (import->in_flight >= import->max_in_flight)
    drain_one (import, TRUE);
  import->in_flight++;
  import->stats->n_queued++;
  g_thread_pool_push (import->pool, job, NULL);
  /* Keep the writer up to date even while the walk is long. */
  drain_one (import, FALSE);
}

/* A path not in the catalogue: is it a track that moved? */
/* Stored by this analysis and with every feature this catalogue keeps. */
static gboolean
is_current (const CochleaTrack *track)
{
  return track->analysis_version == COCHLEA_ANALYSIS_VERSION &&
         track->features_version == COCHLEA_FEATURES_VERSION;
}

static gboolean
try_move (Import     *import,
          const char *path,
          gint64      size,
          gint64      mtime_us,
          const char *hash)
{
  g_autoptr(GPtrArray) same = NULL;
  GError *error = NULL;

  same = cochlea_catalogue_find_by_hash (import->catalogue, hash, size, &error);
  if (same == NULL)
    {
      set_fatal (import, error);
      return FALSE;
    }
  for (guint i = 0; i < same->len; i++)
    {
      CochleaTrack *old = g_ptr_array_index (same, i);
      CochleaFileStamp stamp = { path, size, mtime_us, hash };

      if (old->status == COCHLEA_TRACK_FAILED ||
          !is_current (old) ||
          g_file_test (old->path, G_FILE_TEST_EXISTS))
        continue;
      if (!cochlea_catalogue_update_stamp (import->catalogue, old->id, &stamp, &error))
        {
          set_fatal (import, error);
          return FALSE;
        }
      import->stats->n_moved++;
      report (import, COCHLEA_IMPORT_MOVED, path, old->path);
      return TRUE;
    }
  return FALSE;
}

static void
consider_file (Import         *import,
               const char     *path,
               const GStatBuf *st)
{
  g_autoptr(CochleaTrack) track = NULL;
  g_autoptr(Job) job = NULL;
  g_autofree char *key = g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
                                          (guint64) st->st_dev, (guint64) st->st_ino);
  g_autofree char *hash = NULL;
  GError *error = NULL;
  gint64 mtime_us = (gint64) st->st_mtim.tv_sec * G_USEC_PER_SEC + st->st_mtim.tv_nsec / 1000;

  if (!g_hash_table_add (import->seen_files, g_steal_pointer (&key)))
    return;  /* the same file reached through a symlink */
  g_hash_table_add (import->seen_paths, g_strdup (path));
  import->stats->n_found++;

  track = cochlea_catalogue_find_track (import->catalogue, path, &error);
  if (error != NULL)
    {
      set_fatal (import, error);
      return;
    }

  if (track != NULL && track->size == st->st_size && track->mtime_us == mtime_us &&
      is_current (track))
    {
      if (track->status == COCHLEA_TRACK_FAILED && !import->options->retry_failed)
        {
          import->stats->n_skipped_failed++;
          return;
        }
      if (track->status == COCHLEA_TRACK_OK)
        {
          import->stats->n_unchanged++;
          return;
        }
      if (track->status == COCHLEA_TRACK_MISSING)
        {
          CochleaFileStamp stamp = { path, st->st_size, mtime_us, NULL };
          if (!cochlea_catalogue_update_stamp (import->catalogue, track->id, &stamp, &error))
            set_fatal (import, error);
          import->stats->n_unchanged++;
          return;
        }
    }

  hash = cochlea_import_hash_file (path, st->st_size, &error);
  if (hash == NULL)
    {
      import->stats->n_problems++;
      report (import, COCHLEA_IMPORT_PROBLEM, path, error->message);
      g_error_free (error);
      return;
    }

  if (track != NULL && track->status == COCHLEA_TRACK_OK && g_strcmp0 (track->hash, hash) == 0 &&
      is_current (track))
    {
      /* Touched, not changed. */
      CochleaFileStamp stamp = { path, st->st_size, mtime_us, hash };
      if (!cochlea_catalogue_update_stamp (import->catalogue, track->id, &stamp, &error))
        set_fatal (import, error);
      import->stats->n_unchanged++;
      return;
    }
  if (track == NULL && try_move (import, path, st->st_size, mtime_us, hash))
    return;
  if (import->fatal != NULL)
    return;

  job = g_new0 (Job, 1);
  job->path = g_strdup (path);
  job->size = st->st_size;
  job->mtime_us = mtime_us;
  job->hash = g_steal_pointer (&hash);
  enqueue (import, g_steal_pointer (&job));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
walk (Import     *import,
      const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GStatBuf st;
  const char *name;
  g_autofree char *key = NULL;

  if (import->fatal != NULL || g_cancellable_is_cancelled (import->cancellable))
    return;

  if (g_stat (path, &st) != 0)
    {
      int errsv = errno;
      import->stats->n_problems++;
      report (import, COCHLEA_IMPORT_PROBLEM, path,
              errsv == ENOENT ? "not found (or a dangling symlink)"
              : errsv == ELOOP ? "symlink loop" : g_strerror (errsv));
      return;
    }
  if (S_ISREG (st.st_mode))
    {
      if (cochlea_import_is_audio_name (path))
        consider_file (import, path, &st);
      return;
    }
  if (!S_ISDIR (st.st_mode))
    return;

  key = g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
                         (guint64) st.st_dev, (guint64) st.st_ino);
  if (!g_hash_table_add (import->seen_dirs, g_steal_pointer (&key)))
    {
      import->stats->n_problems++;
      report (import, COCHLEA_IMPORT_PROBLEM, path,
              "folder already visited through another path (symlink loop); skipped");
      return;
    }

  dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    {
      import->stats->n_problems++;
      report (import, COCHLEA_IMPORT_PROBLEM, path, error->message);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *child_name = g_ptr_array_index (names, i);
      g_autofree char *child = g_build_filename (path, child_name, NULL);
      GStatBuf lst;

      if (child_name[0] == '.')
        continue;
      if (g_lstat (child, &lst) != 0)
        continue;
      /* Recurse into folders (and symlinks, resolved in walk()); only
       * audio names among files. */
      if (S_ISDIR (lst.st_mode) || S_ISLNK (lst.st_mode) || cochlea_import_is_audio_name (child_name))
        walk (import, child);
      if (import->fatal != NULL || g_cancellable_is_cancelled (import->cancellable))
        return;
    }
}

/* After a complete walk of @root: tracks under it that are gone. */
static void
notice_missing (Import     *import,
                const char *root)
{
  g_autoptr(GPtrArray) tracks = NULL;
  GError *error = NULL;

  tracks = cochlea_catalogue_list_under (import->catalogue, root, &error);
  if (tracks == NULL)
    {
      set_fatal (import, error);
      return;
    }
  for (guint i = 0; i < tracks->len; i++)
    {
      CochleaTrack *track = g_ptr_array_index (tracks, i);

      if (track->status == COCHLEA_TRACK_MISSING ||
          g_hash_table_contains (import->seen_paths, track->path) ||
          g_file_test (track->path, G_FILE_TEST_EXISTS))
        continue;
      if (!cochlea_catalogue_set_status (import->catalogue, track->id, COCHLEA_TRACK_MISSING, &error))
        {
          set_fatal (import, error);
          return;
        }
      import->stats->n_missing++;
      report (import, COCHLEA_IMPORT_MISSING, track->path, NULL);
    }
}

static void
cancel_cb (GCancellable *outer,
           GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

gboolean
cochlea_import_run (CochleaCatalogue           *catalogue,
                    const char * const         *roots,
                    const CochleaImportOptions *options,
                    CochleaImportStats         *stats,
                    GCancellable               *cancellable,
                    GError                    **error)
{
  static const CochleaImportOptions default_options = { 0 };
  CochleaImportStats local_stats;
  Import import = { 0 };
  g_autoptr(GPtrArray) abs_roots = g_ptr_array_new_with_free_func (g_free);
  guint n_threads;
  gulong handler = 0;
  gboolean ok;

  g_return_val_if_fail (catalogue != NULL, FALSE);
  g_return_val_if_fail (roots != NULL, FALSE);

  if (options == NULL)
    options = &default_options;
  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);
  stats->walking = TRUE;

  n_threads = options->n_threads > 0 ? options->n_threads : (guint) g_get_num_processors ();
  import.catalogue = catalogue;
  import.options = options;
  import.stats = stats;
  import.max_in_flight = 2 * n_threads;
  import.cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cb),
                                     g_object_ref (import.cancellable), g_object_unref);
  import.results = g_async_queue_new ();
  import.seen_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  import.seen_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  import.seen_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  import.pool = g_thread_pool_new (analyse_worker, &import, n_threads, TRUE, NULL);

  for (guint i = 0; roots[i] != NULL; i++)
    g_ptr_array_add (abs_roots, g_canonicalize_filename (roots[i], NULL));

  for (guint i = 0; i < abs_roots->len; i++)
    walk (&import, g_ptr_array_index (abs_roots, i));
  stats->walking = FALSE;
  report_progress (&import, TRUE);

  while (import.in_flight > 0)
    drain_one (&import, TRUE);
  g_thread_pool_free (import.pool, FALSE, TRUE);

  /* Only a complete walk can tell what is gone. */
  if (import.fatal == NULL && !g_cancellable_is_cancelled (import.cancellable))
    for (guint i = 0; i < abs_roots->len; i++)
      notice_missing (&import, g_ptr_array_index (abs_roots, i));
  report_progress (&import, TRUE);

  if (import.fatal != NULL)
    {
      g_propagate_error (error, import.fatal);
      ok = FALSE;
    }
  else
    ok = !g_cancellable_set_error_if_cancelled (import.cancellable, error);

  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  g_async_queue_unref (import.results);
  g_hash_table_unref (import.seen_dirs);
  g_hash_table_unref (import.seen_files);
  g_hash_table_unref (import.seen_paths);
  g_object_unref (import.cancellable);
  return ok;
}
