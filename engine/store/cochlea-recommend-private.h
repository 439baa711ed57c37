/* cochlea-recommend-private.h — what the persisted index file
 * (cochlea-index-file.c) needs of CochleaIndex: its arrays as a table of
 * sections, and an index made around arrays it does not own.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cochlea-recommend.h"
#include "cochlea-timbre.h"

G_BEGIN_DECLS

/* One array of a finished index.  @field is the address of the index's
 * pointer to it, so that a loader can point it into a mapped file. */
typedef struct
{
  guint32   tag;         /* four characters, e.g. 'VECS' */
  guint32   elem_size;   /* bytes per element */
  guint64   count;       /* elements; 0 when the index has none */
  gpointer *field;
} CochleaIndexSection;

#define COCHLEA_INDEX_MAX_SECTIONS 32

/* The scalars an index is rebuilt from, beside its sections. */
typedef struct
{
  guint   dim;
  guint   n;
  guint   timbre_stride;
  guint   sketch_dim;
  guint   n_sample;
  float   timbre_offset[COCHLEA_TIMBRE_N_MFCC];
} CochleaIndexShape;

/* The sections of a finished index (counts from its shape); returns how
 * many were written to @sections. */
guint         _cochlea_index_get_sections (CochleaIndex        *self,
                                           CochleaIndexSection *sections);
void          _cochlea_index_get_shape    (CochleaIndex        *self,
                                           CochleaIndexShape   *shape);
/* The interned artist/album names, NUL-separated in key order. */
GBytes       *_cochlea_index_dup_names    (CochleaIndex        *self) G_GNUC_WARN_UNUSED_RESULT;

/* A finished index of @shape whose section pointers are still to be set
 * (through _cochlea_index_get_sections ()) to memory kept alive by @owner
 * (unreffed with the index), with its names from @names.  Call
 * _cochlea_index_adopt_done () once the sections are set. */
CochleaIndex *_cochlea_index_new_adopting (const char              *model,
                                           const CochleaIndexShape *shape,
                                           const char              *names,
                                           gsize                    names_len,
                                           gpointer                 owner,
                                           GDestroyNotify           owner_free) G_GNUC_WARN_UNUSED_RESULT;
/* Checks what the sections hold (interned keys within the names, sample
 * rows within the index) and builds the id lookup; FALSE when they do not
 * make a usable index. */
gboolean      _cochlea_index_adopt_done   (CochleaIndex            *self);

/* Tests: the rows per thread below which a query uses fewer threads
 * (50 000 by default), so that a small index can be scanned by many. */
void          _cochlea_index_set_min_rows_per_thread (CochleaIndex *self,
                                                      guint         rows);
/* Tests: @hook (@data) runs in each helper thread of a chunked scan pass
 * before it begins, e.g. to hold it back until the query has returned. */
void          _cochlea_index_set_helper_hook (CochleaIndex *self,
                                              void        (*hook) (gpointer),
                                              gpointer      data);

G_END_DECLS
