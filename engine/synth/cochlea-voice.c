/* cochlea-voice.c — espeak-ng speech, and sung syllables made from it.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-synth"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-error.h"
#include "cochlea-voice.h"

/* espeak-ng's base pitches (-p) we render syllables at; a note uses the
 * one whose f0 is nearest, so resampling moves formants by little. */
static const int sing_pitches[] = { 0, 35, 70, 99 };

typedef struct
{
  float  *samples;
  gsize   n;
  double  f0;      /* estimated fundamental of the vowel, Hz */
  gsize   centre;  /* the loudest 20 ms frame's centre: the vowel */
} Syllable;

struct _CochleaVoice
{
  int         sample_rate;
  char       *program;     /* path of espeak-ng */
  GHashTable *syllables;   /* "voice/pitch/syllable" -> Syllable* */
};

static void
syllable_free (gpointer data)
{
  Syllable *s = data;

  g_free (s->samples);
  g_free (s);
}

CochleaVoice *
cochlea_voice_new (int      sample_rate,
                   GError **error)
{
  g_autofree char *program = g_find_program_in_path ("espeak-ng");
  CochleaVoice *self;

  if (program == NULL)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_NOT_FOUND,
                   "espeak-ng was not found on PATH; install the Debian package espeak-ng");
      return NULL;
    }
  self = g_new0 (CochleaVoice, 1);
  self->sample_rate = sample_rate;
  self->program = g_steal_pointer (&program);
  self->syllables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, syllable_free);
  return self;
}

void
cochlea_voice_free (CochleaVoice *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->syllables);
  g_free (self->program);
  g_free (self);
}

/* Parses espeak-ng's --stdout WAV: 16-bit mono PCM whose data chunk size
 * is a placeholder (the stream is written before its length is known), so
 * the data runs to the end of the bytes. */
static float *
parse_wav (GBytes  *bytes,
           int     *rate,
           gsize   *n_samples,
           GError **error)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (bytes, &len);
  gsize pos = 12;
  int channels = 0, bits = 0;

  *rate = 0;
  if (len < 12 || memcmp (d, "RIFF", 4) != 0 || memcmp (d + 8, "WAVE", 4) != 0)
    goto bad;
  while (pos + 8 <= len)
    {
      guint32 size = d[pos + 4] | d[pos + 5] << 8 | d[pos + 6] << 16 | (guint32) d[pos + 7] << 24;
      if (memcmp (d + pos, "fmt ", 4) == 0 && pos + 24 <= len)
        {
          channels = d[pos + 10] | d[pos + 11] << 8;
          *rate = d[pos + 12] | d[pos + 13] << 8 | d[pos + 14] << 16 | (guint32) d[pos + 15] << 24;
          bits = d[pos + 22] | d[pos + 23] << 8;
        }
      else if (memcmp (d + pos, "data", 4) == 0)
        {
          gsize start = pos + 8, n;
          float *out;

          if (channels != 1 || bits != 16 || *rate <= 0)
            goto bad;
          n = (len - start) / 2;
          if (size < n * 2)
            n = size / 2;
          out = g_new (float, MAX (n, 1));
          for (gsize i = 0; i < n; i++)
            out[i] = (gint16) (d[start + 2 * i] | d[start + 2 * i + 1] << 8) / 32768.0f;
          *n_samples = n;
          return out;
        }
      pos += 8 + size + (size & 1);
    }
bad:
  g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
               "espeak-ng produced no 16-bit mono WAV");
  return NULL;
}

/* Linear-interpolation resampling by @ratio (output rate / input rate). */
static float *
resample (const float *in,
          gsize        n_in,
          double       ratio,
          gsize       *n_out)
{
  gsize n = (gsize) floor (n_in * ratio);
  float *out = g_new0 (float, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    {
      double x = i / ratio;
      gsize j = (gsize) x;
      double f = x - j;
      float a = j < n_in ? in[j] : 0, b = j + 1 < n_in ? in[j + 1] : 0;
      out[i] = (float) (a + f * (b - a));
    }
  *n_out = n;
  return out;
}

static float *
run_espeak (CochleaVoice  *self,
            const char    *voice_name,
            int            pitch,
            int            wpm,
            int            word_gap,
            const char    *text,
            gsize         *n_samples,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autofree char *p = g_strdup_printf ("%d", CLAMP (pitch, 0, 99));
  g_autofree char *s = g_strdup_printf ("%d", CLAMP (wpm, 80, 450));
  g_autofree char *g = g_strdup_printf ("%d", CLAMP (word_gap, 0, 100));
  g_autofree float *raw = NULL;
  const char *argv[] = { self->program, "-v", voice_name, "-p", p, "-s", s, "-g", g, "--stdout", "--", text, NULL };
  int rate;
  gsize n;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, error);
  if (proc == NULL)
    return NULL;
  if (!g_subprocess_communicate (proc, NULL, cancellable, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (proc) || out == NULL)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                   "espeak-ng failed for voice “%s”", voice_name);
      return NULL;
    }
  if (!(raw = parse_wav (out, &rate, &n, error)))
    return NULL;
  if (rate != self->sample_rate)
    return resample (raw, n, (double) self->sample_rate / rate, n_samples);
  *n_samples = n;
  return g_steal_pointer (&raw);
}

float *
cochlea_voice_speak (CochleaVoice  *self,
                     const char    *voice_name,
                     int            pitch,
                     int            words_per_minute,
                     const char    *text,
                     gsize         *n_samples,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (voice_name != NULL && text != NULL, NULL);

  return run_espeak (self, voice_name, pitch, words_per_minute, 0, text, n_samples, cancellable, error);
}

/* f0 of the vowel around @centre by normalised autocorrelation, 70–500 Hz. */
static double
estimate_f0 (const float *x,
             gsize        n,
             gsize        centre,
             int          sample_rate)
{
  int win = sample_rate / 25;   /* 40 ms */
  int lag_min = sample_rate / 500, lag_max = sample_rate / 70;
  gsize start = centre > (gsize) win ? centre - win / 2 : 0;
  double best = -1;
  int best_lag = 0;

  if (start + win + lag_max > n)
    start = n > (gsize) (win + lag_max) ? n - win - lag_max : 0;
  if (start + win + lag_max > n)
    return 0;

  for (int lag = lag_min; lag <= lag_max; lag++)
    {
      double num = 0, e0 = 0, e1 = 0, r;
      for (int i = 0; i < win; i++)
        {
          num += (double) x[start + i] * x[start + i + lag];
          e0 += (double) x[start + i] * x[start + i];
          e1 += (double) x[start + i + lag] * x[start + i + lag];
        }
      r = num / sqrt (e0 * e1 + 1e-12);
      /* Prefer the shortest lag within 5 % of the best (no octave-down). */
      if (r > best * 1.05 || best < 0)
        {
          best = r;
          best_lag = lag;
        }
    }
  return best_lag > 0 ? (double) sample_rate / best_lag : 0;
}

static void
analyse_syllable (CochleaVoice *self,
                  Syllable     *s)
{
  int frame = self->sample_rate / 50;
  double best = -1;

  for (gsize i = 0; i + frame <= s->n; i += frame / 2)
    {
      double e = 0;
      for (int j = 0; j < frame; j++)
        e += (double) s->samples[i + j] * s->samples[i + j];
      if (e > best)
        {
          best = e;
          s->centre = i + frame / 2;
        }
    }
  s->f0 = estimate_f0 (s->samples, s->n, s->centre, self->sample_rate);
  if (s->f0 <= 0)
    s->f0 = 120;
}

/* Cuts @pcm into its sounding stretches, separated by at least 60 ms under
 * -50 dB of the peak.  Returns the number of stretches found (at most
 * @max), their bounds in @starts/@ends. */
static int
split_on_silence (const float *pcm,
                  gsize        n,
                  int          sample_rate,
                  gsize       *starts,
                  gsize       *ends,
                  int          max)
{
  int hop = sample_rate / 200;   /* 5 ms */
  int min_gap = 12;              /* hops: 60 ms */
  double peak = 0;
  int count = 0, silent = min_gap;
  gboolean in = FALSE;

  for (gsize i = 0; i < n; i++)
    peak = MAX (peak, fabs (pcm[i]));
  for (gsize i = 0; i + hop <= n; i += hop)
    {
      double e = 0;
      gboolean loud;

      for (int j = 0; j < hop; j++)
        e = MAX (e, fabs (pcm[i + j]));
      loud = e > peak * 0.003;
      if (loud)
        {
          if (!in)
            {
              if (count == max)
                return max + 1;
              starts[count] = i >= (gsize) (2 * hop) ? i - 2 * hop : 0;
              count++;
              in = TRUE;
            }
          ends[count - 1] = MIN (n, i + 3 * hop);
          silent = 0;
        }
      else if (in && ++silent >= min_gap)
        in = FALSE;
    }
  return count;
}

/* Renders every syllable at espeak pitch @pitch_index with one run of
 * espeak-ng (words 400 ms apart, cut at the silences), or, if the cut does
 * not give one piece per syllable, one run per syllable. */
static gboolean
ensure_syllables (CochleaVoice  *self,
                  const char    *voice_name,
                  int            pitch_index,
                  GCancellable  *cancellable,
                  GError       **error)
{
  const char * const *syl = cochlea_song_syllables ();
  guint n_syl = g_strv_length ((char **) syl);
  g_autofree char *key0 = g_strdup_printf ("%s/%d/0", voice_name, pitch_index);
  g_autofree char *text = g_strjoinv (" ", (char **) syl);
  g_autofree float *pcm = NULL;
  g_autofree gsize *starts = g_new0 (gsize, n_syl + 1);
  g_autofree gsize *ends = g_new0 (gsize, n_syl + 1);
  gsize n = 0;
  int found;

  if (g_hash_table_contains (self->syllables, key0))
    return TRUE;

  pcm = run_espeak (self, voice_name, sing_pitches[pitch_index], 160, 40, text, &n, cancellable, error);
  if (pcm == NULL)
    return FALSE;
  found = split_on_silence (pcm, n, self->sample_rate, starts, ends, n_syl);

  for (guint i = 0; i < n_syl; i++)
    {
      Syllable *s = g_new0 (Syllable, 1);

      if (found == (int) n_syl)
        {
          s->n = ends[i] - starts[i];
          s->samples = g_memdup2 (pcm + starts[i], s->n * sizeof (float));
        }
      else
        {
          s->samples = run_espeak (self, voice_name, sing_pitches[pitch_index], 160, 0,
                                   syl[i], &s->n, cancellable, error);
          if (s->samples == NULL)
            {
              g_free (s);
              return FALSE;
            }
        }
      analyse_syllable (self, s);
      g_hash_table_insert (self->syllables,
                           g_strdup_printf ("%s/%d/%u", voice_name, pitch_index, i), s);
    }
  return TRUE;
}

static Syllable *
get_syllable (CochleaVoice  *self,
              const char    *voice_name,
              int            pitch_index,
              int            syllable,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *key = g_strdup_printf ("%s/%d/%d", voice_name, pitch_index, syllable);

  if (!ensure_syllables (self, voice_name, pitch_index, cancellable, error))
    return NULL;
  return g_hash_table_lookup (self->syllables, key);
}

/* The held vowel at integer loop phase @k (taken modulo @seg): the running
 * vowel crossfaded with itself one loop earlier.  At the end of each loop
 * both reach shifted[centre], where the next loop starts, so the held
 * vowel has no seams. */
static inline double
loop_value (const float *shifted,
            gsize        centre,
            gsize        seg,
            int          k)
{
  gsize phase = (gsize) k % seg;
  double w = 0.5 + 0.5 * cos (G_PI * phase / seg);

  return w * shifted[centre + phase] + (1 - w) * shifted[centre - seg + phase];
}

/* Renders one sung note into @out at its start. */
static gboolean
sing_note (CochleaVoice          *self,
           const char            *voice_name,
           const CochleaSungNote *note,
           float                 *out,
           gsize                  n_out,
           GCancellable          *cancellable,
           GError               **error)
{
  double target = 440.0 * pow (2.0, (note->key - 69) / 12.0);
  Syllable *best = NULL;
  g_autofree float *shifted = NULL;
  gsize n_shifted, centre, seg;
  double ratio, best_dist = G_MAXDOUBLE;
  gint64 len = note->length, attack_end, release;
  double loop_phase = 0;

  for (guint p = 0; p < G_N_ELEMENTS (sing_pitches); p++)
    {
      Syllable *s = get_syllable (self, voice_name, p, note->syllable, cancellable, error);
      double dist;
      if (s == NULL)
        return FALSE;
      dist = fabs (log (target / s->f0));
      if (dist < best_dist)
        {
          best_dist = dist;
          best = s;
        }
    }

  /* Raising the pitch by r means playing r times faster: resample by 1/r. */
  ratio = best->f0 / target;
  shifted = resample (best->samples, best->n, ratio, &n_shifted);
  centre = (gsize) (best->centre * ratio);
  /* Hold the vowel with a loop of whole periods (about 30 ms). */
  seg = (gsize) MAX (1.0, round (ceil (0.03 * target) * self->sample_rate / target));
  if (centre < seg)
    centre = seg;
  if (centre + seg > n_shifted)
    centre = n_shifted > seg ? n_shifted - seg : 0;
  attack_end = (gint64) centre;
  release = (gint64) MIN ((gint64) (0.04 * self->sample_rate), len / 4);

  for (gint64 i = 0; i < len; i++)
    {
      gint64 pos = note->start + i;
      float v, env = 1;

      if (pos < 0)
        continue;
      if ((gsize) pos >= n_out)
        break;
      if (i < attack_end || seg * 2 > n_shifted)
        v = i < (gint64) n_shifted ? shifted[i] : 0;
      else
        {
          /* The held vowel is read at a rate that swings around 1 (the
           * vibrato, faded in over 150 ms), at a fractional phase. */
          double t = (double) (i - attack_end) / self->sample_rate;
          double depth = note->vibrato_depth * MIN (1.0, t / 0.15);
          int k = (int) floor (loop_phase);
          double frac = loop_phase - k;

          v = (float) ((1 - frac) * loop_value (shifted, centre, seg, k) +
                       frac * loop_value (shifted, centre, seg, k + 1));
          loop_phase += pow (2.0, depth / 12.0 * sin (2 * G_PI * note->vibrato_rate * t));
          loop_phase = fmod (loop_phase, (double) seg);
        }
      if (len - i < release)
        env = (float) (len - i) / release;
      out[pos] += v * env;
    }
  return TRUE;
}

gboolean
cochlea_voice_sing (CochleaVoice          *self,
                    const char            *voice_name,
                    const CochleaSungNote *notes,
                    guint                  n_notes,
                    float                 *out,
                    gsize                  n_out,
                    GCancellable          *cancellable,
                    GError               **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < n_notes; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!sing_note (self, voice_name, &notes[i], out, n_out, cancellable, error))
        return FALSE;
    }
  return TRUE;
}
