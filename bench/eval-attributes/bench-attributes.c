/* bench-attributes.c — what the attributes add to decode + log-mel.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: timings are printed, never asserted.
 *
 *   bench-attributes [--runs N] [--only mel|attributes] FILE…
 *
 * For each FILE, alternates N runs of decode + log-mel (the frames go to a
 * callback that only counts them) with N runs of decode + log-mel + every
 * attribute (the same loop as cochlea_analyze_file(): PCM blocks and mel
 * frames into a CochleaAttributeAnalyzer, then its finishing step), in this
 * process, and prints the best wall-clock and process-CPU time of each and
 * their ratio.  bench/eval-attributes/run-bench.sh makes the inputs.
 * --only runs one of the two loops, for instruction counts under
 * callgrind (one process per loop, so set-up and planning count in both).
 */
#define G_LOG_DOMAIN "bench-attributes"

#include "config.h"

#include <gst/gst.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "cochlea-engine.h"
#include "dsp/cochlea-attributes.h"

#define BLOCK_FRAMES 8192

typedef struct
{
  gint64                    frames;
  CochleaAttributeAnalyzer *attributes;   /* (nullable) */
} Sink;

static double
now_wall (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double
now_cpu (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
         ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

static void
frame_cb (const float *mel_db,
          const float *power,
          gint64       index,
          gpointer     user_data)
{
  Sink *sink = user_data;

  if (sink->attributes != NULL)
    cochlea_attribute_analyzer_push_frame (sink->attributes, mel_db, power);
  sink->frames++;
}

/* One pass; returns FALSE on a decode error. */
static gboolean
run_once (const char *path,
          gboolean    with_attributes,
          double     *wall,
          double     *cpu,
          CochleaAttributes *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaAttributeAnalyzer) attributes = NULL;   /* outlives the decoder's tap */
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_autoptr(CochleaMel) mel = NULL;
  g_autofree float *mono = g_new (float, BLOCK_FRAMES);
  g_autofree float *interleaved = g_new (float, BLOCK_FRAMES * COCHLEA_DECODER_MAX_CHANNELS);
  CochleaMelParams params;
  Sink sink = { 0, NULL };
  double w0 = now_wall (), c0 = now_cpu ();
  gssize n;

  cochlea_mel_params_init_default (&params);
  mel = cochlea_mel_new (&params, &error);
  if (with_attributes)
    {
      attributes = cochlea_attribute_analyzer_new (&params);
      cochlea_attribute_analyzer_use_native_loudness (attributes);
    }
  decoder = cochlea_decoder_new_with_tap (path, params.sample_rate,
                                          with_attributes ? cochlea_attribute_analyzer_push_native : NULL,
                                          attributes, NULL, &error);
  if (decoder == NULL)
    {
      g_printerr ("bench-attributes: %s\n", error->message);
      return FALSE;
    }
  sink.attributes = attributes;

  while ((n = cochlea_decoder_read (decoder, mono, interleaved, BLOCK_FRAMES, NULL, &error)) > 0)
    {
      cochlea_mel_push (mel, mono, n, frame_cb, &sink);
      if (attributes != NULL)
        cochlea_attribute_analyzer_push_pcm (attributes, mono, interleaved,
                                             cochlea_decoder_get_channels (decoder), n);
    }
  if (n < 0)
    {
      g_printerr ("bench-attributes: %s\n", error->message);
      return FALSE;
    }
  cochlea_mel_finish (mel, frame_cb, &sink);
  if (attributes != NULL)
    cochlea_attribute_analyzer_finish (attributes, out);

  *wall = now_wall () - w0;
  *cpu = now_cpu () - c0;
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int runs = 5, first = 1, only = -1;

  if (!gst_init_check (&argc, &argv, &error))
    {
      g_printerr ("bench-attributes: %s\n", error->message);
      return 1;
    }
  if (argc > 2 && g_str_equal (argv[1], "--runs"))
    {
      runs = MAX (1, atoi (argv[2]));
      first = 3;
    }
  if (argc > first + 1 && g_str_equal (argv[first], "--only"))
    {
      only = g_str_equal (argv[first + 1], "mel") ? 0 : 1;
      first += 2;
    }

  printf ("%-28s %10s %10s %10s %10s %8s %8s\n", "file", "mel wall", "+attr wall",
          "mel cpu", "+attr cpu", "wall ×", "cpu ×");
  for (int i = first; i < argc; i++)
    {
      double best_w[2] = { G_MAXDOUBLE, G_MAXDOUBLE }, best_c[2] = { G_MAXDOUBLE, G_MAXDOUBLE };
      g_autofree char *base = g_path_get_basename (argv[i]);
      CochleaAttributes attrs;

      for (int r = 0; r < runs; r++)
        for (int with = 0; with <= 1; with++)
          {
            double w, c;

            if (only >= 0 && with != only)
              {
                best_w[with] = best_c[with] = 1.0;
                continue;
              }

            if (!run_once (argv[i], with, &w, &c, &attrs))
              return 1;
            best_w[with] = MIN (best_w[with], w);
            best_c[with] = MIN (best_c[with], c);
          }
      printf ("%-28s %9.3fs %9.3fs %9.3fs %9.3fs %8.3f %8.3f\n", base,
              best_w[0], best_w[1], best_c[0], best_c[1],
              best_w[1] / best_w[0], best_c[1] / best_c[0]);
      fflush (stdout);
    }
  return 0;
}
