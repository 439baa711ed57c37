/* cochlea-index-cache.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Building the index reads every analysed track from SQLite (0.26 s CPU
 * at 10 000 tracks, 2.6 s at 100 000), so the Similar page keeps one and
 * its jobs share it.  The window invalidates it when the library changes;
 * the next recommend job (a worker thread, never the main thread) loads a
 * new one.  One load runs at a time: a second job that needs the index
 * waits for it rather than loading the same rows again.
 *
 * A load goes through the index file beside the catalogue
 * (cochlea_index_load_cached (), as the CLI does): when the catalogue's
 * write counter has not moved since the file was written (an invalidation
 * after the library reloaded with nothing new, or the app started again),
 * the file is mapped instead of the rows read again; when it moved (an
 * import stored songs), the index is built from SQLite and the file
 * rewritten for the next load.  Whether the file is current is the
 * engine's business (stamp and format version in its header), not ours.
 *
 * Queries on one index are serialised by its query lock.  Today
 * cochlea_index_recommend () only reads the index (its scratch buffers are
 * allocated per call), but the engine does not promise that, and its scan
 * already uses every core, so two scans side by side would only compete:
 * the only overlap the app has is a superseded job still finishing, and
 * waiting for it costs at most one query.
 */
#define G_LOG_DOMAIN "cochlea-jobs"

#include "config.h"

#include "cochlea-index-cache.h"

struct _CochleaSharedIndex
{
  gatomicrefcount  ref_count;
  GMutex           query_lock;
  CochleaIndex    *index;       /* owned */
};

struct _CochleaIndexCache
{
  gatomicrefcount     ref_count;
  char               *catalogue_path;

  GMutex              lock;     /* guards everything below */
  GCond               loaded;   /* signalled when a load ends */
  CochleaSharedIndex *current;  /* (nullable) owned */
  guint               generation;          /* bumped by every invalidation */
  guint               current_generation;  /* what current was loaded for */
  gboolean            loading;
  guint               n_loads;
  guint               n_file_loads;        /* of which mapped the index file */
};

static CochleaSharedIndex *
shared_index_new (CochleaIndex *index)
{
  CochleaSharedIndex *self = g_new0 (CochleaSharedIndex, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->query_lock);
  self->index = index;
  return self;
}

CochleaSharedIndex *
cochlea_shared_index_ref (CochleaSharedIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cochlea_shared_index_unref (CochleaSharedIndex *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_mutex_clear (&self->query_lock);
  g_clear_pointer (&self->index, cochlea_index_free);
  g_free (self);
}

CochleaIndex *
cochlea_shared_index_lock (CochleaSharedIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->query_lock);
  return self->index;
}

void
cochlea_shared_index_unlock (CochleaSharedIndex *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_unlock (&self->query_lock);
}

CochleaIndexCache *
cochlea_index_cache_new (const char *catalogue_path)
{
  CochleaIndexCache *self;

  g_return_val_if_fail (catalogue_path != NULL, NULL);

  self = g_new0 (CochleaIndexCache, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->catalogue_path = g_strdup (catalogue_path);
  g_mutex_init (&self->lock);
  g_cond_init (&self->loaded);
  return self;
}

CochleaIndexCache *
cochlea_index_cache_ref (CochleaIndexCache *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cochlea_index_cache_unref (CochleaIndexCache *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;

  /* No job holds a reference, so no load is running. */
  g_clear_pointer (&self->current, cochlea_shared_index_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->loaded);
  g_free (self->catalogue_path);
  g_free (self);
}

const char *
cochlea_index_cache_get_catalogue_path (CochleaIndexCache *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->catalogue_path;
}

guint
cochlea_index_cache_get_n_loads (CochleaIndexCache *self)
{
  guint n;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  n = self->n_loads;
  g_mutex_unlock (&self->lock);
  return n;
}

guint
cochlea_index_cache_get_n_file_loads (CochleaIndexCache *self)
{
  guint n;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  n = self->n_file_loads;
  g_mutex_unlock (&self->lock);
  return n;
}

void
cochlea_index_cache_invalidate (CochleaIndexCache *self)
{
  CochleaSharedIndex *old;

  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  self->generation++;
  old = g_steal_pointer (&self->current);
  g_mutex_unlock (&self->lock);

  /* Jobs still using it hold their own references. */
  cochlea_shared_index_unref (old);
}

static CochleaIndex *
load_index (const char          *path,
            CochleaIndexOrigin  *origin,
            GError             **error)
{
  g_autoptr(CochleaCatalogue) catalogue = NULL;

  catalogue = cochlea_catalogue_open (path, COCHLEA_CATALOGUE_OPEN_READ_ONLY, error);
  if (catalogue == NULL)
    return NULL;
  return cochlea_index_load_cached (catalogue, origin, error);
}

/**
 * cochlea_index_cache_acquire:
 *
 * Returns: (transfer full): the index, or NULL with @error set
 */
CochleaSharedIndex *
cochlea_index_cache_acquire (CochleaIndexCache  *self,
                             GCancellable       *cancellable,
                             GError            **error)
{
  CochleaSharedIndex *shared = NULL;
  CochleaIndexOrigin origin = COCHLEA_INDEX_BUILT;
  CochleaIndex *index;
  guint generation;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->lock);
  for (;;)
    {
      if (self->current != NULL && self->current_generation == self->generation)
        {
          shared = cochlea_shared_index_ref (self->current);
          g_mutex_unlock (&self->lock);
          return shared;
        }
      if (!self->loading)
        break;
      /* Another job is loading it: wait for that rather than load twice. */
      g_cond_wait (&self->loaded, &self->lock);
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_mutex_unlock (&self->lock);
          g_cancellable_set_error_if_cancelled (cancellable, error);
          return NULL;
        }
    }
  self->loading = TRUE;
  generation = self->generation;
  g_mutex_unlock (&self->lock);

  index = load_index (self->catalogue_path, &origin, error);

  g_mutex_lock (&self->lock);
  self->loading = FALSE;
  self->n_loads++;
  if (index != NULL && origin == COCHLEA_INDEX_FROM_FILE)
    self->n_file_loads++;
  if (index != NULL)
    {
      /* Only what the library still looks like goes into the cache; a load
       * that an invalidation overtook serves its own (older) request. */
      shared = shared_index_new (index);
      if (generation == self->generation)
        {
          g_clear_pointer (&self->current, cochlea_shared_index_unref);
          self->current = cochlea_shared_index_ref (shared);
          self->current_generation = generation;
        }
    }
  g_cond_broadcast (&self->loaded);
  g_mutex_unlock (&self->lock);

  return shared;
}
