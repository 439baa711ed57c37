/* cochlea-index-cache.h — one loaded recommendation index per catalogue,
 * shared read-only by the recommend jobs and rebuilt (off the main thread)
 * only after the library changed
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cochlea-engine.h"

G_BEGIN_DECLS

/* A loaded index with its own reference count: a job keeps it alive while
 * an invalidation and a rebuild replace it in the cache. */
typedef struct _CochleaSharedIndex CochleaSharedIndex;

CochleaSharedIndex *cochlea_shared_index_ref    (CochleaSharedIndex *self);
void                cochlea_shared_index_unref  (CochleaSharedIndex *self);
/* Queries on one index run one at a time: takes the index's query lock and
 * returns the index, valid until cochlea_shared_index_unlock (). */
CochleaIndex       *cochlea_shared_index_lock   (CochleaSharedIndex *self);
void                cochlea_shared_index_unlock (CochleaSharedIndex *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaSharedIndex, cochlea_shared_index_unref)

typedef struct _CochleaIndexCache CochleaIndexCache;

CochleaIndexCache  *cochlea_index_cache_new         (const char        *catalogue_path) G_GNUC_WARN_UNUSED_RESULT;
CochleaIndexCache  *cochlea_index_cache_ref         (CochleaIndexCache *self);
void                cochlea_index_cache_unref       (CochleaIndexCache *self);
const char         *cochlea_index_cache_get_catalogue_path (CochleaIndexCache *self);
/* Indexes loaded so far (for tests and benchmarks)... */
guint               cochlea_index_cache_get_n_loads (CochleaIndexCache *self);
/* ...and how many of them were mapped from the index file beside the
 * catalogue rather than built from its rows. */
guint               cochlea_index_cache_get_n_file_loads (CochleaIndexCache *self);
/* The library changed: the next acquire loads a new index.  Any thread;
 * cheap (nothing is loaded here). */
void                cochlea_index_cache_invalidate  (CochleaIndexCache *self);
/* Blocking, for worker threads only: the current index, loading it first
 * when there is none or the library changed since. */
CochleaSharedIndex *cochlea_index_cache_acquire     (CochleaIndexCache *self,
                                                     GCancellable      *cancellable,
                                                     GError           **error) G_GNUC_WARN_UNUSED_RESULT;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaIndexCache, cochlea_index_cache_unref)

G_END_DECLS
