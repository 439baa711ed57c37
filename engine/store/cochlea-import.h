/* cochlea-import.h — walk folders, analyse new and changed files on all
 * cores, keep the catalogue in step with the disk.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-catalogue.h"

G_BEGIN_DECLS

typedef struct
{
  guint    n_found;      /* audio files seen so far */
  guint    n_queued;     /* of those, to be analysed in this run */
  guint    n_added;      /* analysed and stored */
  guint    n_failed;     /* analysed, could not be decoded; recorded with the reason */
  guint    n_unchanged;  /* same size and mtime (or same bytes): skipped */
  guint    n_skipped_failed; /* failed before and unchanged: not retried */
  guint    n_moved;      /* known bytes found at a new path */
  guint    n_missing;    /* in the catalogue, gone from disk */
  guint    n_problems;   /* unreadable folders, symlink loops */
  gboolean walking;      /* still looking for files (n_queued may grow) */
} CochleaImportStats;

typedef enum
{
  COCHLEA_IMPORT_ADDED,
  COCHLEA_IMPORT_FAILED,    /* @text: the reason */
  COCHLEA_IMPORT_MOVED,     /* @text: the old path */
  COCHLEA_IMPORT_MISSING,
  COCHLEA_IMPORT_PROBLEM,   /* @text: what is wrong with @path (a folder) */
} CochleaImportEvent;

/* Both are called on the thread that called cochlea_import_run(). */
typedef void (*CochleaImportProgressFunc) (const CochleaImportStats *stats,
                                           gpointer                  user_data);
typedef void (*CochleaImportMessageFunc)  (CochleaImportEvent        event,
                                           const char               *path,
                                           const char               *text,
                                           gpointer                  user_data);

typedef struct
{
  guint                      n_threads;     /* 0: one per core */
  gboolean                   retry_failed;  /* analyse files that failed before */
  CochleaImportProgressFunc  progress;
  CochleaImportMessageFunc   message;
  gpointer                   user_data;
} CochleaImportOptions;

/* The extensions the walk treats as audio (lower case, no dot). */
gboolean cochlea_import_is_audio_name (const char *name);
/* SHA-1 of the size and the first and last 64 KiB, hex. */
char    *cochlea_import_hash_file     (const char *path,
                                       gint64      size,
                                       GError    **error) G_GNUC_WARN_UNUSED_RESULT;

/**
 * Returns FALSE only for what stops the whole import: the catalogue cannot
 * be written (disk full, read-only), or @cancellable was cancelled
 * (G_IO_ERROR_CANCELLED).  Files that cannot be analysed are recorded and
 * reported through @options->message; each one is its own transaction, so
 * an interrupted import resumes where it stopped.
 */
gboolean cochlea_import_run (CochleaCatalogue           *catalogue,
                             const char * const         *roots,
                             const CochleaImportOptions *options,
                             CochleaImportStats         *stats,
                             GCancellable               *cancellable,
                             GError                    **error);

G_END_DECLS
