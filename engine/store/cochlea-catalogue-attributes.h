/* cochlea-catalogue-attributes.h — the few attributes the library view
 * shows as columns, for every track in one query.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-catalogue.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 track_id;  /* first: the hash table's key points here */
  double tempo;     /* BPM, NAN when unknown */
  int    key;       /* pitch class 0–11 (C = 0), −1 when none or unknown */
  int    mode;      /* 1 major, 0 minor, −1 unknown */
  double energy;    /* 0–1, NAN when unknown */
} CochleaTrackColumns;

/* Sets @out to "unknown" (NAN / −1) for @track_id. */
void        cochlea_track_columns_init_unknown (CochleaTrackColumns *out,
                                                gint64               track_id);

/* Tempo, key, mode and energy of every track that has an attributes row,
 * read in one SELECT.  Returns a table track id (gint64 *) →
 * CochleaTrackColumns * (owned by the table), or NULL with @error.
 * Tracks without attributes are absent: use cochlea_track_columns_lookup. */
GHashTable *cochlea_catalogue_read_track_columns (CochleaCatalogue  *self,
                                                  GError           **error) G_GNUC_WARN_UNUSED_RESULT;

/* Copies the row for @track_id from @table (nullable) into @out, or the
 * unknown values when there is none. */
void        cochlea_track_columns_lookup       (GHashTable          *table,
                                                gint64               track_id,
                                                CochleaTrackColumns *out);

G_END_DECLS
