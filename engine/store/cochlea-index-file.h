/* cochlea-index-file.h — the similarity index persisted beside its
 * catalogue (CATALOGUE.index): mapped instead of rebuilt from SQLite when
 * it was built from the catalogue's current state, rebuilt and rewritten
 * when it was not.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-catalogue.h"
#include "cochlea-recommend.h"

G_BEGIN_DECLS

#define COCHLEA_STORE_ERROR_INDEX_STALE   1100  /* built from another state of the catalogue */
#define COCHLEA_STORE_ERROR_INDEX_INVALID 1101  /* not an index file, truncated, corrupt, other format */

/* Bumped whenever what the file holds or how an index is computed from
 * the catalogue changes. */
#define COCHLEA_INDEX_FILE_VERSION 4

/* The catalogue's state an index was built from (schema 5's generation). */
typedef struct
{
  gint64 generation;   /* bumped with every write to tracks, attributes, embeddings */
  char   uuid[33];     /* this catalogue's random id, hex */
} CochleaCatalogueStamp;

gboolean      cochlea_catalogue_get_stamp     (CochleaCatalogue            *catalogue,
                                               CochleaCatalogueStamp       *stamp,
                                               GError                     **error);

/* "CATALOGUE.index" */
char         *cochlea_index_file_path_for     (const char                  *catalogue_path) G_GNUC_WARN_UNUSED_RESULT;

/* Writes @index to @path (a temporary file beside it, fsync, rename). */
gboolean      cochlea_index_file_save         (CochleaIndex                *index,
                                               const CochleaCatalogueStamp *stamp,
                                               const char                  *path,
                                               GError                     **error);
/* Maps @path.  Fails with COCHLEA_STORE_ERROR_INDEX_INVALID when it is not
 * a complete index file of this format (every byte is checked), and with
 * COCHLEA_STORE_ERROR_INDEX_STALE when @stamp (nullable: not checked) is
 * not the state it was built from. */
CochleaIndex *cochlea_index_file_open         (const char                  *path,
                                               const CochleaCatalogueStamp *stamp,
                                               GError                     **error) G_GNUC_WARN_UNUSED_RESULT;

typedef enum
{
  COCHLEA_INDEX_FROM_FILE,    /* the file was current and mapped */
  COCHLEA_INDEX_BUILT_SAVED,  /* built from the catalogue, file written */
  COCHLEA_INDEX_BUILT,        /* built from the catalogue, file not written */
} CochleaIndexOrigin;

/* cochlea_index_load () through the file beside the catalogue: the file
 * when it is current, else the index built from the catalogue and saved
 * for the next call when possible.  A missing, stale or damaged file, or
 * one that cannot be written (read-only folder, disk full), is not an
 * error: @error is only set when the catalogue cannot be read.  The
 * environment variable COCHLEA_INDEX_FILE=off turns the file off. */
CochleaIndex *cochlea_index_load_cached       (CochleaCatalogue            *catalogue,
                                               CochleaIndexOrigin          *origin,
                                               GError                     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
