/* cochlea-test-utils.h — test audio made by the tests themselves.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes a 16-bit PCM WAV file of @n_channels identical channels. */
void   cochlea_test_write_wav   (const char  *path,
                                 const float *samples,
                                 gsize        n_samples,
                                 int          sample_rate,
                                 int          n_channels);
/* A sine of @freq Hz and @amplitude, @seconds long. */
float *cochlea_test_sine        (double       freq,
                                 double       amplitude,
                                 int          sample_rate,
                                 double       seconds,
                                 gsize       *n_samples);
/* A temporary directory removed (with its files) at exit. */
char  *cochlea_test_tmpdir      (void);
/* Runs a command line, returns its exit status; stdout/stderr optional. */
int    cochlea_test_run         (const char * const *argv,
                                 char       **out,
                                 char       **err);

/* Synthetic catalogue features for recommendation tests and benches: a
 * random unit vector, and a plausible timbre model (MFCC means around a
 * song-like level, covariance D + u uᵀ, positive definite, variances of
 * 5–60 dB²) in the layout of engine/store/cochlea-timbre.h. */
void   cochlea_test_random_unit   (GRand *rand,
                                   float *v,
                                   guint  dim);
void   cochlea_test_random_timbre (GRand *rand,
                                   float *v);
/* Plausible attributes (COCHLEA_N_ATTRIBUTES values): 0–1, tempo 60–180,
 * key 0–11, mode 0/1, 4/4, loudness −30 to −5 dB. */
void   cochlea_test_random_attrs  (GRand  *rand,
                                   double *a);

/* For benches: CPU time of the whole process (all threads) in ms, and the
 * median of @n values (sorts @v in place). */
double cochlea_test_cpu_ms        (void);
double cochlea_test_median        (double *v,
                                   int     n);

G_END_DECLS
