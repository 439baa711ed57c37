/* bench-attributes.c — what the attributes add to decode + log-mel.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: timings are printed, never asserted.
 *
 *   bench-attributes [--runs N] [--only mel|attributes] FILE…
 *   bench-attributes [--runs N] --part loudness|chroma|cues|finish FILE…
 *
 * For each FILE, alternates N runs of decode + log-mel (the frames go to a
 * callback that only counts them) with N runs of decode + log-mel + every
 * attribute (the same loop as cochlea_analyze_file(): PCM blocks and mel
 * frames into a CochleaAttributeAnalyzer, then its finishing step), in this
 * process, and prints the best wall-clock and process-CPU time of each,
 * the ratio of the bests, and the median over the runs of each run's
 * ratio (its attribute pass against the decode + log-mel pass just
 * before it: on a shared machine the better figure, since a pair of
 * neighbouring runs sees about the same load).  bench/eval-attributes/run-bench.sh
 * makes the inputs and runs every mode.
 * --only runs one of the two loops, for instruction counts under
 * callgrind (one process per loop, so set-up and planning count in both).
 * --part times one part of the attributes alone, on input decoded once into
 * memory beforehand, and prints the best thread CPU time and nanoseconds
 * per frame of that part's input: loudness (the native-rate blocks, as
 * the decoder's tap handed them out, into a CochleaLoudness, then
 * measured), chroma (the analysis-rate mono blocks through
 * cochlea_attribute_analyzer_push_pcm(), which with native loudness feeds
 * only the chroma), cues (every mel frame and power spectrum through
 * cochlea_attribute_analyzer_push_frame()) or finish (everything pushed
 * untimed, then cochlea_attribute_analyzer_finish() timed; the first run
 * in the process includes planning the tempo's FFT).
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
#include "dsp/cochlea-loudness.h"

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

static double
now_thread_cpu (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* What one decode pass hands out, kept for --part. */
typedef struct
{
  GArray *native;        /* float, interleaved, as the tap saw it */
  GArray *block_frames;  /* gsize per tap call */
  guint   channels;
  int     rate;
  GArray *mono;          /* float, analysis rate */
  GArray *mono_frames;   /* gsize per cochlea_decoder_read() */
  GArray *mel;           /* float, n_mels per frame */
  GArray *power;         /* float, n_fft/2+1 per frame */
  gint64  frames;
} Recording;

static void
record_native_cb (const float *interleaved,
                  gsize        n_frames,
                  guint        channels,
                  int          rate,
                  gpointer     user_data)
{
  Recording *rec = user_data;

  g_array_append_vals (rec->native, interleaved, n_frames * channels);
  g_array_append_val (rec->block_frames, n_frames);
  rec->channels = channels;
  rec->rate = rate;
}

static void
record_frame_cb (const float *mel_db,
                 const float *power,
                 gint64       index,
                 gpointer     user_data)
{
  Recording *rec = user_data;
  CochleaMelParams params;

  cochlea_mel_params_init_default (&params);
  g_array_append_vals (rec->mel, mel_db, params.n_mels);
  g_array_append_vals (rec->power, power, params.n_fft / 2 + 1);
  rec->frames = index + 1;
}

static gboolean
record (const char *path,
        Recording  *rec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_autoptr(CochleaMel) mel = NULL;
  g_autofree float *mono = g_new (float, BLOCK_FRAMES);
  g_autofree float *interleaved = g_new (float, BLOCK_FRAMES * COCHLEA_DECODER_MAX_CHANNELS);
  CochleaMelParams params;
  gssize n;

  cochlea_mel_params_init_default (&params);
  mel = cochlea_mel_new (&params, &error);
  decoder = cochlea_decoder_new_with_tap (path, params.sample_rate, record_native_cb, rec, NULL, &error);
  if (decoder == NULL)
    {
      g_printerr ("bench-attributes: %s\n", error->message);
      return FALSE;
    }
  while ((n = cochlea_decoder_read (decoder, mono, interleaved, BLOCK_FRAMES, NULL, &error)) > 0)
    {
      gsize frames = n;

      cochlea_mel_push (mel, mono, n, record_frame_cb, rec);
      g_array_append_vals (rec->mono, mono, n);
      g_array_append_val (rec->mono_frames, frames);
    }
  if (n < 0)
    {
      g_printerr ("bench-attributes: %s\n", error->message);
      return FALSE;
    }
  cochlea_mel_finish (mel, record_frame_cb, rec);
  return TRUE;
}

typedef enum { PART_LOUDNESS, PART_CHROMA, PART_CUES, PART_FINISH } Part;

static void
push_loudness (CochleaLoudness *meter,
               const Recording *rec)
{
  const float *x = (const float *) rec->native->data;

  for (guint b = 0; b < rec->block_frames->len; b++)
    {
      gsize frames = g_array_index (rec->block_frames, gsize, b);

      cochlea_loudness_push (meter, x, frames, rec->channels, rec->rate);
      x += frames * rec->channels;
    }
}

static void
push_chroma (CochleaAttributeAnalyzer *analyzer,
             const Recording          *rec)
{
  const float *x = (const float *) rec->mono->data;

  for (guint b = 0; b < rec->mono_frames->len; b++)
    {
      gsize frames = g_array_index (rec->mono_frames, gsize, b);

      cochlea_attribute_analyzer_push_pcm (analyzer, x, NULL, 1, frames);
      x += frames;
    }
}

static void
push_cues (CochleaAttributeAnalyzer *analyzer,
           const Recording          *rec,
           const CochleaMelParams   *params)
{
  const float *mel = (const float *) rec->mel->data;
  const float *power = (const float *) rec->power->data;

  for (gint64 t = 0; t < rec->frames; t++)
    cochlea_attribute_analyzer_push_frame (analyzer, mel + t * params->n_mels,
                                           power + t * (params->n_fft / 2 + 1));
}

static int
run_part (const char  *name,
          int          runs,
          int          argc,
          char       **argv,
          int          first)
{
  static const char *names[] = { "loudness", "chroma", "cues", "finish" };
  Part part = G_N_ELEMENTS (names);

  for (guint p = 0; p < G_N_ELEMENTS (names); p++)
    if (g_str_equal (name, names[p]))
      part = p;
  if (part == G_N_ELEMENTS (names))
    {
      g_printerr ("bench-attributes: --part loudness|chroma|cues|finish\n");
      return 1;
    }

  printf ("%-28s %10s %10s %12s %s\n", "file", "part", "best cpu", "ns/frame", "result");
  for (int i = first; i < argc; i++)
    {
      g_autofree char *base = g_path_get_basename (argv[i]);
      Recording rec = { 0 };
      CochleaMelParams params;
      double best = G_MAXDOUBLE, result = 0.0;
      gsize n_frames;

      rec.native = g_array_new (FALSE, FALSE, sizeof (float));
      rec.block_frames = g_array_new (FALSE, FALSE, sizeof (gsize));
      rec.mono = g_array_new (FALSE, FALSE, sizeof (float));
      rec.mono_frames = g_array_new (FALSE, FALSE, sizeof (gsize));
      rec.mel = g_array_new (FALSE, FALSE, sizeof (float));
      rec.power = g_array_new (FALSE, FALSE, sizeof (float));
      cochlea_mel_params_init_default (&params);
      if (!record (argv[i], &rec))
        return 1;
      n_frames = part == PART_LOUDNESS ? rec.native->len / MAX (1, rec.channels)
               : part == PART_CHROMA ? rec.mono->len
               : (gsize) rec.frames;

      for (int r = 0; r < runs; r++)
        {
          g_autoptr(CochleaAttributeAnalyzer) analyzer = cochlea_attribute_analyzer_new (&params);
          g_autoptr(CochleaLoudness) meter = NULL;
          CochleaAttributes attributes;
          double c0, c;

          cochlea_attribute_analyzer_use_native_loudness (analyzer);
          if (part == PART_FINISH)
            {
              cochlea_attribute_analyzer_push_native ((const float *) rec.native->data,
                                                      rec.native->len / MAX (1, rec.channels),
                                                      rec.channels, rec.rate, analyzer);
              push_chroma (analyzer, &rec);
              push_cues (analyzer, &rec, &params);
            }

          c0 = now_thread_cpu ();
          switch (part)
            {
            case PART_LOUDNESS:
              meter = cochlea_loudness_new ();
              push_loudness (meter, &rec);
              result = cochlea_loudness_get_integrated (meter);
              break;
            case PART_CHROMA:
              push_chroma (analyzer, &rec);
              result = rec.mono->len;
              break;
            case PART_CUES:
              push_cues (analyzer, &rec, &params);
              result = rec.frames;
              break;
            case PART_FINISH:
            default:
              cochlea_attribute_analyzer_finish (analyzer, &attributes);
              result = attributes.tempo;
              break;
            }
          c = now_thread_cpu () - c0;
          best = MIN (best, c);
        }
      printf ("%-28s %10s %9.4fs %12.2f %.6f\n", base, names[part], best, best * 1e9 / MAX (1, n_frames), result);
      fflush (stdout);
      g_array_unref (rec.native);
      g_array_unref (rec.block_frames);
      g_array_unref (rec.mono);
      g_array_unref (rec.mono_frames);
      g_array_unref (rec.mel);
      g_array_unref (rec.power);
    }
  return 0;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* of @n sorted values */
static double
median (const double *x,
        int           n)
{
  return n % 2 == 1 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
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
  if (argc > first + 1 && g_str_equal (argv[first], "--part"))
    return run_part (argv[first + 1], runs, argc, argv, first + 2);

  printf ("%-28s %10s %10s %10s %10s %8s %8s %8s %8s\n", "file", "mel wall", "+attr wall",
          "mel cpu", "+attr cpu", "wall ×", "cpu ×", "med w ×", "med c ×");
  for (int i = first; i < argc; i++)
    {
      double best_w[2] = { G_MAXDOUBLE, G_MAXDOUBLE }, best_c[2] = { G_MAXDOUBLE, G_MAXDOUBLE };
      g_autofree double *ratio_w = g_new0 (double, runs);
      g_autofree double *ratio_c = g_new0 (double, runs);
      g_autofree char *base = g_path_get_basename (argv[i]);
      CochleaAttributes attrs;

      for (int r = 0; r < runs; r++)
        {
          double w[2] = { 1.0, 1.0 }, c[2] = { 1.0, 1.0 };

          for (int with = 0; with <= 1; with++)
            {
              if (only >= 0 && with != only)
                {
                  best_w[with] = best_c[with] = 1.0;
                  continue;
                }

              if (!run_once (argv[i], with, &w[with], &c[with], &attrs))
                return 1;
              best_w[with] = MIN (best_w[with], w[with]);
              best_c[with] = MIN (best_c[with], c[with]);
            }
          ratio_w[r] = w[1] / w[0];
          ratio_c[r] = c[1] / c[0];
        }
      qsort (ratio_w, runs, sizeof (double), compare_double);
      qsort (ratio_c, runs, sizeof (double), compare_double);
      printf ("%-28s %9.3fs %9.3fs %9.3fs %9.3fs %8.3f %8.3f %8.3f %8.3f\n", base,
              best_w[0], best_w[1], best_c[0], best_c[1],
              best_w[1] / best_w[0], best_c[1] / best_c[0],
              median (ratio_w, runs), median (ratio_c, runs));
      fflush (stdout);
    }
  return 0;
}
