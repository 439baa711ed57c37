/* bench-mel.c — decode-only against decode + log-mel, and log-mel alone.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: timings are printed, never asserted.  bench/run-mel-bench.sh
 * builds this, makes the input files and runs it; docs/performance.md
 * records what it printed.
 *
 *   bench-mel --make-wav OUT.wav [--seconds S]
 *       writes S seconds (default 180) of a music-like signal — chords of
 *       harmonic tones changing every two seconds, a decaying kick drum and
 *       hiss — as 16-bit stereo 44100 Hz WAV, the shape of a ripped CD track;
 *       longer than 180 s, the first 180 s repeat
 *
 *   bench-mel [--runs N] FILE…
 *       for each FILE, alternates N decode-only runs with N decode + log-mel
 *       runs in this process and reports the best wall-clock time and the
 *       best process CPU time (all threads, GStreamer's included) of each,
 *       their ratio, the median ratio of paired runs, and the real-time
 *       factors; then the log-mel front end
 *       alone on the first FILE's PCM held in memory, on this one thread
 */
#define G_LOG_DOMAIN "bench-mel"

#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cochlea-engine.h"

#define BLOCK_FRAMES 8192
#define PERIOD_S     180   /* --make-wav repeats itself after this */

typedef struct
{
  double wall;   /* s */
  double cpu;    /* s, user + system of the whole process */
} Timing;

static double
now_wall (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double
now_cpu_process (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
         ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

static double
now_cpu_thread (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- the input signal ---------------------------------------------------- */

static void
put_le16 (FILE   *f,
          guint16 v)
{
  fputc (v & 0xff, f);
  fputc (v >> 8, f);
}

static void
put_le32 (FILE   *f,
          guint32 v)
{
  put_le16 (f, v & 0xffff);
  put_le16 (f, v >> 16);
}

/* Chords of harmonic tones changing every two seconds (a I–vi–IV–V loop in
 * A), a decaying kick drum at 120 BPM and hiss, as a stereo pair. */
typedef struct
{
  int     rate;
  gint64  i;
  double  phase[3][6];
  GRand  *rand;
} Synth;

static void
synth_init (Synth *s,
            int    rate)
{
  memset (s, 0, sizeof *s);
  s->rate = rate;
  s->rand = g_rand_new_with_seed (2014);
}

static void
synth_clear (Synth *s)
{
  g_rand_free (s->rand);
}

static void
synth_next (Synth  *s,
            double *left,
            double *right)
{
  static const double roots[] = { 220.0, 185.0, 146.83, 164.81 };
  static const double triad[] = { 1.0, 1.259921, 1.498307 };
  double t = (double) s->i++ / s->rate;
  int chord = (int) (t / 2.0) % (int) G_N_ELEMENTS (roots);
  double beat = fmod (t, 0.5);
  double kick = 0.6 * exp (-beat * 18.0) * sin (2 * G_PI * (50.0 + 80.0 * exp (-beat * 30.0)) * beat);

  *left = *right = kick;
  for (int v = 0; v < 3; v++)
    {
      double f0 = roots[chord] * triad[v];

      for (int h = 0; h < 6; h++)
        {
          double amp = 0.08 / (h + 1);

          s->phase[v][h] += 2 * G_PI * f0 * (h + 1) / s->rate;
          if (s->phase[v][h] > 2 * G_PI)
            s->phase[v][h] -= 2 * G_PI;
          *left += amp * sin (s->phase[v][h]);
          *right += amp * sin (s->phase[v][h] + 0.1 * v);
        }
    }
  *left += 0.01 * g_rand_double_range (s->rand, -1, 1);
  *right += 0.01 * g_rand_double_range (s->rand, -1, 1);
}

static gboolean
make_wav (const char *path,
          double      seconds,
          GError    **error)
{
  const int rate = 44100, channels = 2;
  gint64 n = (gint64) (seconds * rate);
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  FILE *f = fopen (tmp, "wb");
  g_autofree gint16 *frames = NULL;
  gint64 period;
  Synth synth;

  if (f == NULL || n <= 0 || n > G_MAXUINT32 / 4 - 64)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: cannot write", tmp);
      if (f != NULL)
        fclose (f);
      return FALSE;
    }

  fwrite ("RIFF", 1, 4, f);
  put_le32 (f, (guint32) (36 + n * channels * 2));
  fwrite ("WAVEfmt ", 1, 8, f);
  put_le32 (f, 16);
  put_le16 (f, 1);
  put_le16 (f, channels);
  put_le32 (f, rate);
  put_le32 (f, rate * channels * 2);
  put_le16 (f, channels * 2);
  put_le16 (f, 16);
  fwrite ("data", 1, 4, f);
  put_le32 (f, (guint32) (n * channels * 2));

  /* Synthesised once for up to PERIOD_S seconds, then repeated: an hour
   * of sin () per harmonic would take minutes to write. */
  period = MIN (n, (gint64) PERIOD_S * rate);
  frames = g_new (gint16, period * channels);
  synth_init (&synth, rate);
  for (gint64 i = 0; i < period; i++)
    {
      double left, right;

      synth_next (&synth, &left, &right);
      frames[2 * i] = (gint16) CLAMP (left * 32767.0, -32768, 32767);
      frames[2 * i + 1] = (gint16) CLAMP (right * 32767.0, -32768, 32767);
    }
  synth_clear (&synth);
  for (gint64 i = 0; i < n; i++)
    {
      put_le16 (f, (guint16) frames[2 * (i % period)]);
      put_le16 (f, (guint16) frames[2 * (i % period) + 1]);
    }

  if (fclose (f) != 0 || g_rename (tmp, path) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: cannot write", path);
      return FALSE;
    }
  return TRUE;
}

/* The same signal made directly at 22050 Hz mono, for --mel-only. */
static GArray *
make_pcm (double seconds)
{
  gint64 n = (gint64) (seconds * 22050);
  GArray *pcm = g_array_sized_new (FALSE, FALSE, sizeof (float), (guint) n);
  Synth synth;

  synth_init (&synth, 22050);
  for (gint64 i = 0; i < n; i++)
    {
      double left, right;
      float mono;

      synth_next (&synth, &left, &right);
      mono = (float) (0.5 * (left + right));
      g_array_append_val (pcm, mono);
    }
  synth_clear (&synth);
  return pcm;
}

/* ---- timed passes -------------------------------------------------------- */

typedef struct
{
  double  checksum;   /* keeps the frames observable */
  gint64  n_frames;
} Sink;

static void
frame_cb (const float *mel_db,
          const float *power,
          gint64       index,
          gpointer     user_data)
{
  Sink *sink = user_data;

  sink->checksum += mel_db[index % 128];
  sink->n_frames++;
}

/* One pass over @path: decode only when @mel is NULL, else decode + log-mel.
 * With @keep, the PCM is appended to it. */
static gboolean
run_pass (const char *path,
          CochleaMel *mel,
          GArray     *keep,
          gint64     *n_samples,
          Sink       *sink,
          Timing     *timing,
          GError    **error)
{
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_autofree float *mono = g_new (float, BLOCK_FRAMES);
  double wall0 = now_wall (), cpu0 = now_cpu_process ();
  gssize n;

  *n_samples = 0;
  if (!(decoder = cochlea_decoder_new (path, 22050, NULL, error)))
    return FALSE;
  if (mel != NULL)
    cochlea_mel_reset (mel);
  while ((n = cochlea_decoder_read (decoder, mono, NULL, BLOCK_FRAMES, NULL, error)) > 0)
    {
      if (mel != NULL)
        cochlea_mel_push (mel, mono, n, frame_cb, sink);
      if (keep != NULL)
        g_array_append_vals (keep, mono, n);
      *n_samples += n;
    }
  if (n < 0)
    return FALSE;
  if (mel != NULL)
    cochlea_mel_finish (mel, frame_cb, sink);
  g_clear_pointer (&decoder, cochlea_decoder_free);

  timing->wall = now_wall () - wall0;
  timing->cpu = now_cpu_process () - cpu0;
  return TRUE;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        int     n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

static void
keep_best (Timing       *best,
           const Timing *t)
{
  best->wall = MIN (best->wall, t->wall);
  best->cpu = MIN (best->cpu, t->cpu);
}

static gboolean
bench_file (const char *path,
            CochleaMel *mel,
            int         runs,
            GArray     *keep,
            GError    **error)
{
  Timing best_dec = { G_MAXDOUBLE, G_MAXDOUBLE }, best_mel = best_dec, t, dec;
  g_autofree double *wall_ratios = g_new (double, runs);
  g_autofree double *cpu_ratios = g_new (double, runs);
  Sink sink = { 0, 0 };
  gint64 n_samples = 0;
  double seconds;
  g_autofree char *base = g_path_get_basename (path);

  /* Warm-up: page cache, GStreamer registry and plugins, FFTW plan. */
  if (!run_pass (path, NULL, keep, &n_samples, &sink, &t, error))
    return FALSE;
  for (int r = 0; r < runs; r++)
    {
      if (!run_pass (path, NULL, NULL, &n_samples, &sink, &dec, error))
        return FALSE;
      keep_best (&best_dec, &dec);
      sink.n_frames = 0;
      if (!run_pass (path, mel, NULL, &n_samples, &sink, &t, error))
        return FALSE;
      keep_best (&best_mel, &t);
      wall_ratios[r] = t.wall / dec.wall;
      cpu_ratios[r] = t.cpu / dec.cpu;
    }
  seconds = n_samples / 22050.0;

  printf ("%-10s %7.1f s audio, %6" G_GINT64_FORMAT " frames | decode %7.1f ms (%6.0fx rt, cpu %7.1f ms) | "
          "decode+mel %7.1f ms (%6.0fx rt, cpu %7.1f ms) | ratio wall %.3f, cpu %.3f\n",
          base, seconds, sink.n_frames,
          best_dec.wall * 1e3, seconds / best_dec.wall, best_dec.cpu * 1e3,
          best_mel.wall * 1e3, seconds / best_mel.wall, best_mel.cpu * 1e3,
          best_mel.wall / best_dec.wall, best_mel.cpu / best_dec.cpu);
  /* Each decode+mel run against the decode-only run just before it. */
  printf ("%-10s median of %d paired ratios: wall %.3f, cpu %.3f\n",
          "", runs, median (wall_ratios, runs), median (cpu_ratios, runs));
  fflush (stdout);
  return TRUE;
}

/* The front end alone: PCM already in memory, pushed in decoder-sized
 * blocks, on this thread. */
static void
bench_mel_only (CochleaMel *mel,
                GArray     *pcm,
                int         runs)
{
  const float *x = (const float *) pcm->data;
  double seconds = pcm->len / 22050.0;
  double best_wall = G_MAXDOUBLE, best_cpu = G_MAXDOUBLE;
  Sink sink = { 0, 0 };

  for (int r = 0; r < runs + 1; r++)
    {
      double wall0 = now_wall (), cpu0 = now_cpu_thread ();

      sink.n_frames = 0;
      cochlea_mel_reset (mel);
      for (guint off = 0; off < pcm->len; off += BLOCK_FRAMES)
        cochlea_mel_push (mel, x + off, MIN (BLOCK_FRAMES, pcm->len - off), frame_cb, &sink);
      cochlea_mel_finish (mel, frame_cb, &sink);
      if (r == 0)
        continue;   /* warm-up */
      best_wall = MIN (best_wall, now_wall () - wall0);
      best_cpu = MIN (best_cpu, now_cpu_thread () - cpu0);
    }
  printf ("mel only   %7.1f s audio, %6" G_GINT64_FORMAT " frames | wall %7.2f ms (%6.0fx rt) | "
          "thread cpu %7.2f ms (%6.0fx rt) | %.2f us/frame\n",
          seconds, sink.n_frames, best_wall * 1e3, seconds / best_wall,
          best_cpu * 1e3, seconds / best_cpu, best_cpu * 1e6 / sink.n_frames);
  printf ("checksum %.6g\n", sink.checksum);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaMel) mel = NULL;
  g_autoptr(GArray) pcm = NULL;
  g_auto(GStrv) files = NULL;
  g_autofree char *make = NULL;
  gboolean mel_only = FALSE;
  double seconds = 180;
  int runs = 5;
  CochleaMelParams params;
  const GOptionEntry entries[] = {
    { "make-wav", 0, 0, G_OPTION_ARG_FILENAME, &make, "Write the test signal to OUT.wav", "OUT.wav" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Length of --make-wav or --mel-only (180)", "S" },
    { "mel-only", 0, 0, G_OPTION_ARG_NONE, &mel_only, "Only time log-mel on --seconds of generated PCM in memory", NULL },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs per case, best kept (5)", "N" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE" },
    { NULL }
  };

  context = g_option_context_new ("[FILE…] — time decode against decode + log-mel");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-mel: %s\n", error->message);
      return 2;
    }

  if (make != NULL)
    {
      if (!make_wav (make, seconds, &error))
        {
          fprintf (stderr, "bench-mel: %s\n", error->message);
          return 1;
        }
      return 0;
    }
  cochlea_mel_params_init_default (&params);
  mel = cochlea_mel_new (&params, &error);
  g_assert_no_error (error);

  if (mel_only)
    {
      pcm = make_pcm (seconds);
      bench_mel_only (mel, pcm, MAX (runs, 10));
      return 0;
    }

  if (files == NULL || runs < 1)
    {
      fprintf (stderr, "bench-mel: expected FILE… (and --runs ≥ 1)\n");
      return 2;
    }

  pcm = g_array_new (FALSE, FALSE, sizeof (float));

  printf ("best of %d runs each; rt = audio seconds per second\n", runs);
  for (int i = 0; files[i] != NULL; i++)
    if (!bench_file (files[i], mel, runs, i == 0 ? pcm : NULL, &error))
      {
        fprintf (stderr, "bench-mel: %s\n", error->message);
        return 1;
      }
  bench_mel_only (mel, pcm, MAX (runs, 10));

  return 0;
}
