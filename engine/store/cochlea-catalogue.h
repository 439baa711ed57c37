/* cochlea-catalogue.h — the SQLite catalogue: tracks, attributes, content
 * vectors, listening events, settings and playlists in one file.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One CochleaCatalogue owns one connection and must be used from one thread
 * at a time (the app gives it a single-thread pool; the CLI uses its main
 * thread).  Statements are prepared once and cached; every write a user
 * action makes happens in one transaction.  The schema is in
 * engine/store/migrations/ and docs/catalogue.md.
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-analysis.h"
#include "cochlea-features.h"

G_BEGIN_DECLS

/* COCHLEA_STORE_ERROR carries the SQLite primary result code (SQLITE_FULL,
 * SQLITE_NOTADB, SQLITE_READONLY, SQLITE_BUSY…) as its code, or one of
 * these for conditions SQLite does not know about. */
#define COCHLEA_STORE_ERROR (cochlea_store_error_quark ())
#define COCHLEA_STORE_ERROR_NEWER_SCHEMA  1000  /* written by a newer Cochlea */
#define COCHLEA_STORE_ERROR_NOT_CATALOGUE 1001  /* an SQLite file, but not ours */
#define COCHLEA_STORE_ERROR_NOT_FOUND     1002  /* no such track/playlist */
#define COCHLEA_STORE_ERROR_LOCKED        1003  /* another import holds the lock */
#define COCHLEA_STORE_ERROR_INVALID       1004  /* bad argument from the user */

GQuark cochlea_store_error_quark (void);

/* The schema version this build writes (PRAGMA user_version). */
#define COCHLEA_CATALOGUE_SCHEMA_VERSION 5
/* PRAGMA application_id: "Coch". */
#define COCHLEA_CATALOGUE_APPLICATION_ID 0x436f6368

typedef enum
{
  COCHLEA_CATALOGUE_OPEN_DEFAULT   = 0,
  COCHLEA_CATALOGUE_OPEN_READ_ONLY = 1 << 0,  /* never writes; the file must exist */
} CochleaCatalogueFlags;

typedef enum
{
  COCHLEA_TRACK_OK,
  COCHLEA_TRACK_FAILED,
  COCHLEA_TRACK_MISSING,
} CochleaTrackStatus;

typedef struct
{
  gint64              id;
  char               *path;
  gint64              size;
  gint64              mtime_us;
  char               *hash;
  char               *title;
  char               *artist;
  char               *album;
  char               *genre;
  double              duration_s;
  int                 analysis_version;
  int                 features_version;  /* COCHLEA_FEATURES_VERSION that stored it */
  CochleaTrackStatus  status;
  char               *error;
} CochleaTrack;

void cochlea_track_free (CochleaTrack *track);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaTrack, cochlea_track_free)

/* What identifies the bytes of a file on disk. */
typedef struct
{
  const char *path;
  gint64      size;
  gint64      mtime_us;
  const char *hash;      /* (nullable) */
} CochleaFileStamp;

typedef enum
{
  COCHLEA_EVENT_PLAY,
  COCHLEA_EVENT_SKIP,
  COCHLEA_EVENT_COMPLETE,
  COCHLEA_EVENT_LIKE,
  COCHLEA_EVENT_UNLIKE,
  COCHLEA_EVENT_PLAYLIST_ADD,
  COCHLEA_N_EVENTS
} CochleaEventKind;

const char *cochlea_event_kind_to_string   (CochleaEventKind kind);
/* Returns -1 when @name is not an event kind. */
int         cochlea_event_kind_from_string (const char      *name);

typedef struct
{
  gint64            track_id;
  CochleaEventKind  kind;
  gint64            at_us;
  double            position_s;   /* NAN when not recorded */
} CochleaEvent;

typedef struct _CochleaCatalogue CochleaCatalogue;

char             *cochlea_catalogue_dup_default_path (void) G_GNUC_WARN_UNUSED_RESULT;
CochleaCatalogue *cochlea_catalogue_open        (const char             *path,
                                                 CochleaCatalogueFlags   flags,
                                                 GError                **error) G_GNUC_WARN_UNUSED_RESULT;
void              cochlea_catalogue_free        (CochleaCatalogue       *self);
const char       *cochlea_catalogue_get_path    (CochleaCatalogue       *self);
gboolean          cochlea_catalogue_is_read_only (CochleaCatalogue      *self);

/* Transactions (BEGIN IMMEDIATE … COMMIT); not nestable. */
gboolean          cochlea_catalogue_begin       (CochleaCatalogue       *self,
                                                 GError                **error);
gboolean          cochlea_catalogue_commit      (CochleaCatalogue       *self,
                                                 GError                **error);
void              cochlea_catalogue_rollback    (CochleaCatalogue       *self);

/* An advisory lock (flock on PATH.lock) held until the catalogue is freed:
 * one import per catalogue at a time.  With @wait FALSE a second import
 * fails with COCHLEA_STORE_ERROR_LOCKED. */
gboolean          cochlea_catalogue_lock_for_import (CochleaCatalogue   *self,
                                                     gboolean            wait,
                                                     GError            **error);

/* Tracks */
CochleaTrack     *cochlea_catalogue_get_track   (CochleaCatalogue       *self,
                                                 gint64                  id,
                                                 GError                **error) G_GNUC_WARN_UNUSED_RESULT;
/* Returns NULL without setting @error when no track has @path. */
CochleaTrack     *cochlea_catalogue_find_track  (CochleaCatalogue       *self,
                                                 const char             *path,
                                                 GError                **error) G_GNUC_WARN_UNUSED_RESULT;
/* Tracks whose content hash and size match: (element-type CochleaTrack) */
GPtrArray        *cochlea_catalogue_find_by_hash (CochleaCatalogue      *self,
                                                  const char            *hash,
                                                  gint64                 size,
                                                  GError               **error) G_GNUC_WARN_UNUSED_RESULT;
/* Tracks whose path is under @dir: (element-type CochleaTrack) */
GPtrArray        *cochlea_catalogue_list_under  (CochleaCatalogue       *self,
                                                 const char             *dir,
                                                 GError                **error) G_GNUC_WARN_UNUSED_RESULT;
gint64            cochlea_catalogue_count_tracks (CochleaCatalogue      *self,
                                                  CochleaTrackStatus     status,
                                                  GError               **error);
/* Inserts or replaces the track at stamp->path with its tags, attributes
 * and content vector, in one transaction.  Returns the track id or -1. */
gint64            cochlea_catalogue_store_analysis (CochleaCatalogue       *self,
                                                    const CochleaFileStamp *stamp,
                                                    const CochleaAnalysis  *analysis,
                                                    const CochleaFeatures  *features,
                                                    GError                **error);
/* Records that stamp->path could not be analysed, and why. */
gint64            cochlea_catalogue_store_failure  (CochleaCatalogue       *self,
                                                    const CochleaFileStamp *stamp,
                                                    const char             *reason,
                                                    GError                **error);
/* A known track found at a new path, or with a new mtime but the same
 * bytes: updates path/size/mtime/hash and sets status 'ok'. */
gboolean          cochlea_catalogue_update_stamp   (CochleaCatalogue       *self,
                                                    gint64                  id,
                                                    const CochleaFileStamp *stamp,
                                                    GError                **error);
gboolean          cochlea_catalogue_set_status     (CochleaCatalogue       *self,
                                                    gint64                  id,
                                                    CochleaTrackStatus      status,
                                                    GError                **error);
CochleaFeatures  *cochlea_catalogue_get_features   (CochleaCatalogue       *self,
                                                    gint64                  id,
                                                    GError                **error) G_GNUC_WARN_UNUSED_RESULT;
/* The content-vector model most tracks have, or NULL. */
char             *cochlea_catalogue_dup_main_model (CochleaCatalogue       *self,
                                                    GError                **error) G_GNUC_WARN_UNUSED_RESULT;

/* Events and settings (cochlea-catalogue-events.c) */
gboolean          cochlea_catalogue_get_private_mode (CochleaCatalogue     *self);
gboolean          cochlea_catalogue_set_private_mode (CochleaCatalogue     *self,
                                                      gboolean              private_mode,
                                                      GError              **error);
/* Does nothing (and returns TRUE) in private mode. */
gboolean          cochlea_catalogue_add_event      (CochleaCatalogue       *self,
                                                    const CochleaEvent     *event,
                                                    GError                **error);
/* (element-type CochleaEvent), oldest first */
GArray           *cochlea_catalogue_list_events    (CochleaCatalogue       *self,
                                                    GError                **error) G_GNUC_WARN_UNUSED_RESULT;

/* Playlists */
gint64            cochlea_catalogue_ensure_playlist (CochleaCatalogue      *self,
                                                     const char            *name,
                                                     GError               **error);
gint64            cochlea_catalogue_find_playlist  (CochleaCatalogue       *self,
                                                    const char             *name,
                                                    GError                **error);
/* Appends @n_ids tracks in one transaction. */
gboolean          cochlea_catalogue_playlist_append (CochleaCatalogue      *self,
                                                     gint64                 playlist_id,
                                                     const gint64          *track_ids,
                                                     guint                  n_ids,
                                                     GError               **error);
/* (element-type gint64) in order */
GArray           *cochlea_catalogue_playlist_tracks (CochleaCatalogue      *self,
                                                     gint64                 playlist_id,
                                                     GError               **error) G_GNUC_WARN_UNUSED_RESULT;
/* (element-type utf8) */
GPtrArray        *cochlea_catalogue_list_playlists (CochleaCatalogue       *self,
                                                    GError                **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaCatalogue, cochlea_catalogue_free)

G_END_DECLS
