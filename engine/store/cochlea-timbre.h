/* cochlea-timbre.h — a per-track timbre model: the mean and covariance of
 * 20 MFCCs over the whole song (Mandel & Ellis 2005, the single-Gaussian
 * model behind Musly's "mandelellis"), accumulated frame by frame in the
 * analysis's streamed pass, and the symmetric Kullback–Leibler divergence
 * between two such Gaussians.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define COCHLEA_TIMBRE_N_MFCC 20
/* mean (20), then the covariance's upper triangle row by row (210) */
#define COCHLEA_TIMBRE_DIM    (COCHLEA_TIMBRE_N_MFCC + COCHLEA_TIMBRE_N_MFCC * (COCHLEA_TIMBRE_N_MFCC + 1) / 2)
/* The `embeddings.model` name of the stored vector. */
#define COCHLEA_TIMBRE_MODEL  "timbre-mfcc20-v1"

typedef struct _CochleaTimbre CochleaTimbre;

/* An accumulator for frames of @n_mels log-mel values (dB). */
CochleaTimbre *cochlea_timbre_new        (int            n_mels) G_GNUC_WARN_UNUSED_RESULT;
void           cochlea_timbre_free       (CochleaTimbre *self);
void           cochlea_timbre_push       (CochleaTimbre *self,
                                          const float   *mel_db);
/* Writes COCHLEA_TIMBRE_DIM floats; FALSE when fewer than 2 frames came. */
gboolean       cochlea_timbre_finish     (CochleaTimbre *self,
                                          float         *vector);

/* The MFCCs of one frame (DCT-II, orthonormal, first 20 coefficients). */
void           cochlea_timbre_mfcc       (const float   *mel_db,
                                          int            n_mels,
                                          double        *mfcc);

/* The symmetric KL divergence as an inner product, so that the scan is one
 * dot product per track.  With S = Σ + μμᵀ, A = (Σ + 10⁻³ I)⁻¹, b = Aμ,
 * c = μᵀAμ (μ taken minus @offset, e.g. the catalogue mean, which leaves
 * the divergence unchanged and keeps float sums small):
 *   2·SKL (x, y) + 2·20 = tr (A_y S_x) + tr (A_x S_y) − 2 b_x·μ_y − 2 μ_x·b_y + c_x + c_y
 *                       = row (x) · query (y) + query_const (y)
 * row (x)   = [S_x (upper triangle, off-diagonal ×2), A_x (upper triangle), b_x, μ_x, c_x]
 * query (y) = [A_y (upper triangle), S_y (off-diagonal ×2), −2μ_y, −2b_y, 1].
 * @row, @query (nullable) hold COCHLEA_TIMBRE_TERMS floats.  Returns FALSE
 * when the vector is not usable (non-finite, not positive definite). */
#define COCHLEA_TIMBRE_TRI   (COCHLEA_TIMBRE_N_MFCC * (COCHLEA_TIMBRE_N_MFCC + 1) / 2)
#define COCHLEA_TIMBRE_TERMS (2 * COCHLEA_TIMBRE_TRI + 2 * COCHLEA_TIMBRE_N_MFCC + 1)
gboolean       cochlea_timbre_terms      (const float   *vector,
                                          const float   *offset,
                                          float         *row,
                                          float         *query,
                                          float         *query_const);

/* The symmetric KL divergence of two stored vectors, computed directly in
 * doubles (the reference the scan is tested against); NAN when either is
 * not usable. */
double         cochlea_timbre_skl        (const float   *a,
                                          const float   *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CochleaTimbre, cochlea_timbre_free)

G_END_DECLS
