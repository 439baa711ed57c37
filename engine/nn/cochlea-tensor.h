/* cochlea-tensor.h — a small strided float tensor (ggml-style shapes).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/**
 * CochleaTensor:
 * @data: the first element
 * @ne: extents in the fixed order (N, C, H, W); W varies fastest.  Unused
 *   leading dimensions are 1, so a (C_out, C_in, K) conv weight is
 *   ne = {C_out, C_in, 1, K} and a vector of length n is {1, 1, 1, n}.
 * @nb: strides in elements for each of the four dimensions; a contiguous
 *   tensor has nb[3] = 1, nb[2] = ne[3], nb[1] = ne[2]·ne[3], …
 * @owned: whether cochlea_tensor_free() frees @data (weights mapped from a
 *   file and views into activation blocks are borrowed)
 *
 * Views need no copy: cochlea_tensor_view() shares @data with new
 * extents and strides.
 */
typedef struct
{
  float   *data;
  int64_t  ne[4];
  int64_t  nb[4];
  gboolean owned;
} CochleaTensor;

CochleaTensor *cochlea_tensor_new         (int64_t              n,
                                           int64_t              c,
                                           int64_t              h,
                                           int64_t              w) G_GNUC_WARN_UNUSED_RESULT;
CochleaTensor *cochlea_tensor_new_borrowed (float               *data,
                                            int64_t              n,
                                            int64_t              c,
                                            int64_t              h,
                                            int64_t              w) G_GNUC_WARN_UNUSED_RESULT;
void           cochlea_tensor_init_borrowed (CochleaTensor      *self,
                                             float              *data,
                                             int64_t             n,
                                             int64_t             c,
                                             int64_t             h,
                                             int64_t             w);
CochleaTensor *cochlea_tensor_view        (const CochleaTensor *self,
                                           int64_t              offset,
                                           const int64_t        ne[4],
                                           const int64_t        nb[4]) G_GNUC_WARN_UNUSED_RESULT;
void           cochlea_tensor_free        (CochleaTensor       *self);
int64_t        cochlea_tensor_nelements   (const CochleaTensor *self);
gboolean       cochlea_tensor_is_contiguous (const CochleaTensor *self);
float          cochlea_tensor_get         (const CochleaTensor *self,
                                           int64_t              n,
                                           int64_t              c,
                                           int64_t              h,
                                           int64_t              w);
void           cochlea_tensor_set         (CochleaTensor       *self,
                                           int64_t              n,
                                           int64_t              c,
                                           int64_t              h,
                                           int64_t              w,
                                           float                value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaTensor, cochlea_tensor_free)

G_END_DECLS
