/* cochlea-catalogue-attributes.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-store"

#include "config.h"

#include <math.h>

#include "cochlea-catalogue-attributes.h"
#include "cochlea-catalogue-private.h"

void
cochlea_track_columns_init_unknown (CochleaTrackColumns *out,
                                    gint64               track_id)
{
  out->track_id = track_id;
  out->tempo = NAN;
  out->key = -1;
  out->mode = -1;
  out->energy = NAN;
}

static double
column_double (sqlite3_stmt *stmt,
               int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return NAN;
  return sqlite3_column_double (stmt, col);
}

static int
column_int (sqlite3_stmt *stmt,
            int           col,
            int           lo,
            int           hi)
{
  int v;

  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return -1;
  v = sqlite3_column_int (stmt, col);
  return v >= lo && v <= hi ? v : -1;
}

GHashTable *
cochlea_catalogue_read_track_columns (CochleaCatalogue  *self,
                                      GError           **error)
{
  static const char sql[] =
    "SELECT track_id, tempo, key, mode, energy FROM attributes";
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) table = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = _cochlea_catalogue_get_db (self);
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading track attributes");
      return NULL;
    }

  table = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CochleaTrackColumns *row = g_new (CochleaTrackColumns, 1);

      row->track_id = sqlite3_column_int64 (stmt, 0);
      row->tempo = column_double (stmt, 1);
      row->key = column_int (stmt, 2, 0, 11);
      row->mode = row->key >= 0 ? column_int (stmt, 3, 0, 1) : -1;
      row->energy = column_double (stmt, 4);
      g_hash_table_replace (table, &row->track_id, row);
    }
  if (rc != SQLITE_DONE)
    {
      _cochlea_catalogue_set_error (self, error, rc, "reading track attributes");
      return NULL;
    }
  return g_steal_pointer (&table);
}

void
cochlea_track_columns_lookup (GHashTable          *table,
                              gint64               track_id,
                              CochleaTrackColumns *out)
{
  const CochleaTrackColumns *row = NULL;

  g_return_if_fail (out != NULL);

  if (table != NULL)
    row = g_hash_table_lookup (table, &track_id);
  if (row != NULL)
    *out = *row;
  else
    cochlea_track_columns_init_unknown (out, track_id);
}
