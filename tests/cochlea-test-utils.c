/* cochlea-test-utils.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "cochlea-test-utils.h"
#include "store/cochlea-features.h"
#include "store/cochlea-timbre.h"

static void
put_u32 (FILE *f, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };
  fwrite (b, 1, 4, f);
}

static void
put_u16 (FILE *f, guint16 v)
{
  guint8 b[2] = { v & 0xff, (v >> 8) & 0xff };
  fwrite (b, 1, 2, f);
}

void
cochlea_test_write_wav (const char  *path,
                        const float *samples,
                        gsize        n_samples,
                        int          sample_rate,
                        int          n_channels)
{
  FILE *f = g_fopen (path, "wb");
  guint32 data_bytes = (guint32) (n_samples * n_channels * 2);

  g_assert_nonnull (f);
  fwrite ("RIFF", 1, 4, f);
  put_u32 (f, 36 + data_bytes);
  fwrite ("WAVEfmt ", 1, 8, f);
  put_u32 (f, 16);
  put_u16 (f, 1);
  put_u16 (f, n_channels);
  put_u32 (f, sample_rate);
  put_u32 (f, sample_rate * n_channels * 2);
  put_u16 (f, n_channels * 2);
  put_u16 (f, 16);
  fwrite ("data", 1, 4, f);
  put_u32 (f, data_bytes);
  for (gsize i = 0; i < n_samples; i++)
    {
      double v = CLAMP (samples[i], -1.0, 32767.0 / 32768.0);
      gint16 s = (gint16) lrint (v * 32768.0);
      for (int c = 0; c < n_channels; c++)
        put_u16 (f, (guint16) s);
    }
  g_assert_cmpint (fclose (f), ==, 0);
}

float *
cochlea_test_sine (double  freq,
                   double  amplitude,
                   int     sample_rate,
                   double  seconds,
                   gsize  *n_samples)
{
  gsize n = (gsize) (seconds * sample_rate);
  float *x = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    x[i] = (float) (amplitude * sin (2 * G_PI * freq * i / sample_rate));
  *n_samples = n;
  return x;
}

static GPtrArray *tmpdirs;

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_chmod (path, 0755);
  g_rmdir (path);
}

static void
cleanup_tmpdirs (void)
{
  for (guint i = 0; tmpdirs != NULL && i < tmpdirs->len; i++)
    remove_tree (g_ptr_array_index (tmpdirs, i));
}

char *
cochlea_test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cochlea-test-XXXXXX", &error);

  g_assert_no_error (error);
  if (tmpdirs == NULL)
    {
      tmpdirs = g_ptr_array_new_with_free_func (g_free);
      atexit (cleanup_tmpdirs);
    }
  g_ptr_array_add (tmpdirs, g_strdup (dir));
  return dir;
}

int
cochlea_test_run (const char * const *argv,
                  char              **out,
                  char              **err)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                out, err, &status, &error);
  g_assert_no_error (error);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + WTERMSIG (status);
}

void
cochlea_test_random_unit (GRand *rand,
                          float *v,
                          guint  dim)
{
  double norm = 0;

  for (guint j = 0; j < dim; j++)
    {
      v[j] = (float) g_rand_double_range (rand, -1, 1);
      norm += v[j] * v[j];
    }
  for (guint j = 0; j < dim; j++)
    v[j] /= sqrt (norm);
}

void
cochlea_test_random_timbre (GRand *rand,
                            float *v)
{
  int n = COCHLEA_TIMBRE_N_MFCC, o = n;
  double u[COCHLEA_TIMBRE_N_MFCC], d[COCHLEA_TIMBRE_N_MFCC];

  for (int i = 0; i < n; i++)
    {
      v[i] = (float) (i == 0 ? g_rand_double_range (rand, -400, -150) : g_rand_double_range (rand, -30, 30) / (1 + i));
      u[i] = g_rand_double_range (rand, -3, 3);
      d[i] = g_rand_double_range (rand, 5, 60) / (1 + 0.1 * i);
    }
  for (int i = 0; i < n; i++)
    for (int j = i; j < n; j++)
      v[o++] = (float) (u[i] * u[j] + (i == j ? d[i] : 0));
}

double
cochlea_test_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
cochlea_test_median (double *v,
                     int     n)
{
  qsort (v, n, sizeof (double), compare_double);
  return v[n / 2];
}

void
cochlea_test_random_attrs (GRand  *rand,
                           double *a)
{
  for (int i = 0; i < COCHLEA_N_ATTRIBUTES; i++)
    a[i] = g_rand_double (rand);
  a[COCHLEA_ATTR_TEMPO] = g_rand_double_range (rand, 60, 180);
  a[COCHLEA_ATTR_KEY] = g_rand_int_range (rand, 0, 12);
  a[COCHLEA_ATTR_MODE] = g_rand_int_range (rand, 0, 2);
  a[COCHLEA_ATTR_TIME_SIGNATURE] = 4;
  a[COCHLEA_ATTR_LOUDNESS] = g_rand_double_range (rand, -30, -5);
}
