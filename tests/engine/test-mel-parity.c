/* test-mel-parity.c — the log-mel front end against torchaudio.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/make-mel-fixture.py wrote, for a few deterministic signals, the PCM
 * and torchaudio's MelSpectrogram (slaney scale and norm, reflect-padded
 * centred frames) in dB.  Here the same PCM goes straight into
 * cochlea_mel_push() — no decoder, no resampler — in blocks of awkward
 * sizes, and every bin within 80 dB of the spectrogram's maximum must match
 * the reference within 0.05 dB, with the same number of frames.
 */
#include "config.h"

#include <math.h>

#include "cochlea-engine.h"

#define TOLERANCE_DB 0.05
#define RANGE_DB     80.0

typedef struct
{
  GArray *values;   /* (frames × n_mels) floats */
  gint64  n_frames;
  int     n_mels;
} Collect;

static void
collect_cb (const float *mel_db,
            const float *power,
            gint64       index,
            gpointer     user_data)
{
  Collect *c = user_data;

  g_assert_cmpint (index, ==, c->n_frames);
  g_array_append_vals (c->values, mel_db, c->n_mels);
  c->n_frames++;
}

static float *
load_fixture (const char *name,
              const char *kind,
              gsize      *rows,
              gsize      *cols)
{
  g_autofree char *file = g_strdup_printf ("mel-parity-%s-%s.npy", name, kind);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", file, NULL);
  g_autoptr(GError) error = NULL;
  float *data = NULL;

  cochlea_npy_read_f32 (path, &data, rows, cols, &error);
  g_assert_no_error (error);
  return data;
}

/* Pushes @x in blocks whose sizes cycle through @blocks. */
static void
run_mel (const float *x,
         gsize        n,
         const gsize *blocks,
         gsize        n_blocks,
         Collect     *c)
{
  CochleaMelParams params;
  g_autoptr(CochleaMel) mel = NULL;
  g_autoptr(GError) error = NULL;
  gsize off = 0, b = 0;

  cochlea_mel_params_init_default (&params);
  mel = cochlea_mel_new (&params, &error);
  g_assert_no_error (error);

  c->n_mels = params.n_mels;
  c->n_frames = 0;
  c->values = g_array_new (FALSE, FALSE, sizeof (float));
  while (off < n)
    {
      gsize len = MIN (blocks[b % n_blocks], n - off);   /* MIN evaluates twice */

      b++;
      cochlea_mel_push (mel, x + off, len, collect_cb, c);
      off += len;
    }
  cochlea_mel_finish (mel, collect_cb, c);
}

typedef struct
{
  const char *name;
  gsize       blocks[4];
} ParityCase;

static const ParityCase cases[] = {
  { "main",  { 1021, 7, 4099, 333 } },
  { "main",  { 66150, 0, 0, 0 } },
  { "edge",  { 511, 513, 1, 2048 } },
  { "edge",  { 8191, 0, 0, 0 } },
  { "short", { 1, 0, 0, 0 } },
  { "short", { 3, 500, 0, 0 } },
};

static void
test_parity (gconstpointer data)
{
  const ParityCase *pc = data;
  gsize n_blocks = 0;
  gsize pcm_rows, pcm_cols, ref_rows, ref_cols;
  g_autofree float *pcm = load_fixture (pc->name, "pcm", &pcm_rows, &pcm_cols);
  g_autofree float *ref = load_fixture (pc->name, "ref", &ref_rows, &ref_cols);
  CochleaMelParams params;
  float ref_max = -G_MAXFLOAT;
  double max_err = 0, max_err_all = 0;
  gsize n_compared = 0, worst = 0;
  Collect c;

  cochlea_mel_params_init_default (&params);
  g_assert_cmpuint (pcm_cols, ==, 1);
  g_assert_cmpuint (ref_cols, ==, (gsize) params.n_mels);
  g_assert_cmpuint (ref_rows, ==, (gsize) cochlea_mel_n_frames_for (&params, pcm_rows));

  while (n_blocks < G_N_ELEMENTS (pc->blocks) && pc->blocks[n_blocks] > 0)
    n_blocks++;
  run_mel (pcm, pcm_rows, pc->blocks, n_blocks, &c);

  g_assert_cmpint (c.n_frames, ==, (gint64) ref_rows);
  g_assert_cmpuint (c.values->len, ==, ref_rows * ref_cols);

  for (gsize i = 0; i < ref_rows * ref_cols; i++)
    ref_max = MAX (ref_max, ref[i]);

  for (gsize i = 0; i < ref_rows * ref_cols; i++)
    {
      float got = g_array_index (c.values, float, i);
      double err = fabs ((double) got - ref[i]);

      g_assert_true (isfinite (got));
      max_err_all = MAX (max_err_all, err);
      if (ref[i] < ref_max - RANGE_DB)
        continue;
      n_compared++;
      if (err > max_err)
        {
          max_err = err;
          worst = i;
        }
    }

  g_test_message ("%s: %" G_GSIZE_FORMAT " frames, %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
                  " bins within %.0f dB of the max (%.2f dB); max |error| %.5f dB"
                  " (frame %" G_GSIZE_FORMAT ", band %" G_GSIZE_FORMAT "), over all bins %.5f dB",
                  pc->name, ref_rows, n_compared, ref_rows * ref_cols, RANGE_DB, ref_max,
                  max_err, worst / ref_cols, worst % ref_cols, max_err_all);
  /* The comparison must cover most of the spectrogram to mean anything. */
  g_assert_cmpuint (n_compared, >, ref_rows * ref_cols / 2);
  g_assert_cmpfloat (max_err, <=, TOLERANCE_DB);

  g_array_unref (c.values);
}

/* The comparison itself can fail: a 0.1 dB gain change is caught. */
static void
test_parity_detects_gain (void)
{
  gsize pcm_rows, pcm_cols, ref_rows, ref_cols;
  g_autofree float *pcm = load_fixture ("edge", "pcm", &pcm_rows, &pcm_cols);
  g_autofree float *ref = load_fixture ("edge", "ref", &ref_rows, &ref_cols);
  const gsize block = 4096;
  double max_err = 0;
  Collect c;

  /* +0.1 dB in power is ×10^(0.1/20) in amplitude. */
  for (gsize i = 0; i < pcm_rows; i++)
    pcm[i] *= (float) pow (10.0, 0.1 / 20.0);
  run_mel (pcm, pcm_rows, &block, 1, &c);
  g_assert_cmpint (c.n_frames, ==, (gint64) ref_rows);
  for (gsize i = 0; i < ref_rows * ref_cols; i++)
    if (ref[i] > -60)
      max_err = MAX (max_err, fabs (g_array_index (c.values, float, i) - ref[i]));
  g_assert_cmpfloat (max_err, >, TOLERANCE_DB);
  g_array_unref (c.values);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/mel-parity/%s/%u", cases[i].name, i);
      g_test_add_data_func (path, &cases[i], test_parity);
    }
  g_test_add_func ("/mel-parity/detects-gain", test_parity_detects_gain);

  return g_test_run ();
}
