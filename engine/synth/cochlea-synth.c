/* cochlea-synth.c — fluidsynth stems, espeak-ng voices, mix, room, crowd.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-synth"

#include "config.h"

#include <fluidsynth.h>
#include <math.h>
#include <string.h>

#include "cochlea-crowd.h"
#include "cochlea-error.h"
#include "cochlea-reverb.h"
#include "cochlea-synth.h"
#include "cochlea-voice.h"

#define BLOCK 4096

/* Every part's stem is brought to this RMS before its mix level applies. */
#define STEM_RMS 0.05

struct _CochleaSynth
{
  int               sample_rate;
  char             *soundfont;
  fluid_settings_t *settings;
  fluid_synth_t    *loader;      /* owns the loaded SoundFont */
  fluid_sfont_t    *sfont;       /* borrowed from loader */
  fluid_synth_t    *synth;       /* the synth of the part being rendered */
  int               sfont_id;    /* the SoundFont's id in synth */
  CochleaVoice     *voice;       /* created on first use */
  float            *left;        /* BLOCK */
  float            *right;       /* BLOCK */
};

/* fluidsynth's own set-up (global tables, log functions) is not
 * thread-safe; creating synths one at a time is. */
static GMutex create_lock;

static void
fluid_log_cb (int    level,
              const char *message,
              void  *data)
{
  g_debug ("fluidsynth: %s", message);
}

/* A SoundFont 2 file is a RIFF form of type "sfbk".  Checked here because
 * Debian's fluidsynth hands other files to libinstpatch, which fails with
 * GLib criticals rather than an error. */
static gboolean
check_soundfont_header (const char  *path,
                        GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GError) local = NULL;
  guint8 head[12];
  gsize n = 0;

  in = g_file_read (file, NULL, &local);
  if (in == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &n, NULL, &local))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_PERMISSION,
                   "Cannot read SoundFont “%s”: %s", path, local->message);
      return FALSE;
    }
  if (n < sizeof head || memcmp (head, "RIFF", 4) != 0 || memcmp (head + 8, "sfbk", 4) != 0)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "“%s” is not a SoundFont 2 file (no RIFF sfbk header)", path);
      return FALSE;
    }
  return TRUE;
}

CochleaSynth *
cochlea_synth_new (const char  *soundfont,
                   int          sample_rate,
                   GError     **error)
{
  g_autoptr(CochleaSynth) self = NULL;
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (soundfont != NULL, NULL);

  if (!g_file_test (soundfont, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_NOT_FOUND,
                   "SoundFont “%s” not found (install fluid-soundfont-gm or timgm6mb-soundfont, or pass --soundfont)",
                   soundfont);
      return NULL;
    }
  if (!check_soundfont_header (soundfont, error))
    return NULL;

  locker = g_mutex_locker_new (&create_lock);
  for (int level = FLUID_PANIC; level < LAST_LOG_LEVEL; level++)
    fluid_set_log_function (level, fluid_log_cb, NULL);

  self = g_new0 (CochleaSynth, 1);
  self->sample_rate = sample_rate;
  self->soundfont = g_strdup (soundfont);
  self->sfont_id = FLUID_FAILED;
  self->left = g_new0 (float, BLOCK);
  self->right = g_new0 (float, BLOCK);
  self->settings = new_fluid_settings ();
  fluid_settings_setnum (self->settings, "synth.sample-rate", sample_rate);
  fluid_settings_setnum (self->settings, "synth.gain", 0.5);
  fluid_settings_setint (self->settings, "synth.reverb.active", 0);
  fluid_settings_setint (self->settings, "synth.chorus.active", 0);
  fluid_settings_setint (self->settings, "synth.cpu-cores", 1);
  fluid_settings_setint (self->settings, "synth.polyphony", 256);
  fluid_settings_setint (self->settings, "synth.dynamic-sample-loading", 0);
  self->loader = new_fluid_synth (self->settings);
  if (self->loader == NULL)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                   "fluidsynth could not start");
      return NULL;
    }
  /* Loading the SoundFont touches only this synth: no lock. */
  g_clear_pointer (&locker, g_mutex_locker_free);
  self->sfont_id = fluid_synth_sfload (self->loader, soundfont, TRUE);
  if (self->sfont_id == FLUID_FAILED)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "“%s” is not a SoundFont fluidsynth can load", soundfont);
      return NULL;
    }
  self->sfont = fluid_synth_get_sfont_by_id (self->loader, self->sfont_id);
  return g_steal_pointer (&self);
}

void
cochlea_synth_free (CochleaSynth *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->voice, cochlea_voice_free);
  g_assert (self->synth == NULL);
  if (self->loader != NULL)
    delete_fluid_synth (self->loader);
  if (self->settings != NULL)
    delete_fluid_settings (self->settings);
  g_free (self->left);
  g_free (self->right);
  g_free (self->soundfont);
  g_free (self);
}

const char *
cochlea_synth_get_soundfont (CochleaSynth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->soundfont;
}

/* Renders @n frames of the synth, mono, added to @out (may be NULL: the
 * frames are computed and dropped). */
static void
render_frames (CochleaSynth *self,
               float        *out,
               gint64        n)
{
  while (n > 0)
    {
      int len = (int) MIN (n, BLOCK);

      memset (self->left, 0, len * sizeof (float));
      memset (self->right, 0, len * sizeof (float));
      fluid_synth_write_float (self->synth, len, self->left, 0, 1, self->right, 0, 1);
      if (out != NULL)
        {
          for (int i = 0; i < len; i++)
            out[i] += 0.5f * (self->left[i] + self->right[i]);
          out += len;
        }
      n -= len;
    }
}

/* Every part gets a synth of its own, fresh, sharing the loaded
 * SoundFont: fluidsynth keeps state across fluid_synth_system_reset() that
 * changes later output, and a stem must depend only on its own notes for
 * the corpus to be the same whatever order songs are made in. */
static gboolean
begin_part (CochleaSynth  *self,
            GError       **error)
{
  g_mutex_lock (&create_lock);
  self->synth = new_fluid_synth (self->settings);
  g_mutex_unlock (&create_lock);
  if (self->synth == NULL)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                   "fluidsynth could not start");
      return FALSE;
    }
  self->sfont_id = fluid_synth_add_sfont (self->synth, self->sfont);
  if (self->sfont_id == FLUID_FAILED)
    {
      g_clear_pointer (&self->synth, delete_fluid_synth);
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_FAILED,
                   "fluidsynth could not share the SoundFont “%s”", self->soundfont);
      return FALSE;
    }
  return TRUE;
}

static void
end_part (CochleaSynth *self)
{
  if (self->synth == NULL)
    return;
  fluid_synth_system_reset (self->synth);
  fluid_synth_remove_sfont (self->synth, self->sfont);
  g_mutex_lock (&create_lock);
  g_clear_pointer (&self->synth, delete_fluid_synth);
  g_mutex_unlock (&create_lock);
}

static gboolean
render_midi_part (CochleaSynth        *self,
                  const CochleaSong   *song,
                  CochleaPart          part,
                  CochleaRenderFlags   flags,
                  float               *out,
                  GCancellable        *cancellable,
                  GError             **error)
{
  const CochleaSongPartInfo *info = &song->parts[part];
  int chan = cochlea_part_channel (part);
  int program = info->program;
  gint64 pos = 0;

  if (part != COCHLEA_PART_DRUMS && (flags & COCHLEA_RENDER_ALL_PIANO))
    program = 0;
  if (fluid_synth_program_select (self->synth, chan, self->sfont_id, info->bank, program) != FLUID_OK)
    {
      /* A SoundFont without this drum kit or program: the GM default. */
      if (fluid_synth_program_select (self->synth, chan, self->sfont_id, info->bank, 0) != FLUID_OK)
        {
          g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                       "SoundFont “%s” has no preset for bank %d program %d",
                       self->soundfont, info->bank, program);
          return FALSE;
        }
    }

  for (guint i = 0; i < song->events->len; i++)
    {
      const CochleaNoteEvent *ev = &g_array_index (song->events, CochleaNoteEvent, i);

      if (ev->part != part)
        continue;
      if (ev->sample > pos)
        {
          gint64 until = MIN (ev->sample, song->n_samples);
          render_frames (self, out + pos, until - pos);
          pos = until;
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
        }
      if (pos >= song->n_samples)
        break;
      if (ev->type == COCHLEA_NOTE_ON)
        fluid_synth_noteon (self->synth, chan, ev->key, ev->velocity);
      else
        fluid_synth_noteoff (self->synth, chan, ev->key);
    }
  if (pos < song->n_samples)
    render_frames (self, out + pos, song->n_samples - pos);
  return TRUE;
}

static double
rms (const float *x,
     gsize        n)
{
  double acc = 0;

  for (gsize i = 0; i < n; i++)
    acc += (double) x[i] * x[i];
  return n > 0 ? sqrt (acc / n) : 0;
}

/* RMS over the samples where the stem sounds (above -60 dB of its peak),
 * so a part that rests half the time is not pushed up. */
static double
active_rms (const float *x,
            gsize        n)
{
  double peak = 0, acc = 0;
  gsize count = 0;

  for (gsize i = 0; i < n; i++)
    peak = MAX (peak, fabs (x[i]));
  for (gsize i = 0; i < n; i += 64)
    {
      gsize end = MIN (n, i + 64);
      double e = 0;
      for (gsize j = i; j < end; j++)
        e += (double) x[j] * x[j];
      if (sqrt (e / (end - i)) > peak * 1e-3)
        {
          acc += e;
          count += end - i;
        }
    }
  return count > 0 ? sqrt (acc / count) : 0;
}

static gboolean
ensure_voice (CochleaSynth  *self,
              GError       **error)
{
  if (self->voice == NULL)
    self->voice = cochlea_voice_new (self->sample_rate, error);
  return self->voice != NULL;
}

/* The spoken lines in one run of espeak-ng (its sentence pauses separate
 * them), from the first line's start to the end of the clip. */
static gboolean
render_speech (CochleaSynth       *self,
               const CochleaSong  *song,
               float              *out,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree float *pcm = NULL;
  gint64 start;
  gsize n;

  if (song->spoken->len == 0)
    return TRUE;
  start = ((const CochleaSpokenLine *) g_ptr_array_index (song->spoken, 0))->start;
  for (guint i = 0; i < song->spoken->len; i++)
    {
      const CochleaSpokenLine *line = g_ptr_array_index (song->spoken, i);
      g_string_append_printf (text, "%s%s", i > 0 ? " " : "", line->text);
    }
  pcm = cochlea_voice_speak (self->voice, song->voice_name, song->voice_pitch,
                             song->speech_rate, text->str, &n, cancellable, error);
  if (pcm == NULL)
    return FALSE;
  for (gsize j = 0; j < n && start + (gint64) j < song->n_samples; j++)
    out[start + j] += pcm[j];
  return TRUE;
}

float *
cochlea_synth_render (CochleaSynth        *self,
                      const CochleaSong   *song,
                      guint                part_mask,
                      CochleaRenderFlags   flags,
                      GCancellable        *cancellable,
                      GError             **error)
{
  gsize n;
  g_autofree float *mix = NULL;
  g_autofree float *stem = NULL;
  double music_rms, peak = 0, gain;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (song != NULL, NULL);
  g_return_val_if_fail (song->sample_rate == self->sample_rate, NULL);

  n = (gsize) song->n_samples;
  mix = g_new0 (float, n);
  stem = g_new (float, n);

  for (int p = 0; p < COCHLEA_N_PARTS; p++)
    {
      const CochleaSongPartInfo *info = &song->parts[p];
      double r, g;

      if (!info->present || !(part_mask & COCHLEA_PART_MASK (p)))
        continue;
      memset (stem, 0, n * sizeof (float));

      if (p <= COCHLEA_PART_DRUMS)
        {
          gboolean ok;

          if (!begin_part (self, error))
            return NULL;
          ok = render_midi_part (self, song, p, flags, stem, cancellable, error);
          end_part (self);
          if (!ok)
            return NULL;
        }
      else
        {
          if (!ensure_voice (self, error))
            return NULL;
          if (p == COCHLEA_PART_VOICE)
            {
              if (!cochlea_voice_sing (self->voice, song->voice_name,
                                       (const CochleaSungNote *) (gpointer) song->sung->data,
                                       song->sung->len, stem, n, cancellable, error))
                return NULL;
            }
          else if (!render_speech (self, song, stem, cancellable, error))
            return NULL;
        }

      r = active_rms (stem, n);
      g = r > 0 ? STEM_RMS / r * pow (10.0, info->level_db / 20.0) : 0;
      for (gsize i = 0; i < n; i++)
        mix[i] += (float) (g * stem[i]);
    }

  if (!(flags & COCHLEA_RENDER_DRY))
    {
      if (song->reverb_wet > 0)
        cochlea_reverb_process (mix, n, song->sample_rate, song->reverb_room, song->reverb_wet);
      if (song->live)
        {
          double level;

          music_rms = rms (mix, n);
          level = (music_rms > 0 ? music_rms : STEM_RMS) * pow (10.0, song->crowd_db / 20.0) / 0.1;
          cochlea_crowd_render (stem, n, song->sample_rate, song->first_downbeat, 3.0,
                                song->song_seed ^ G_GUINT64_CONSTANT (0x63726F7764));
          for (gsize i = 0; i < n; i++)
            mix[i] += (float) (level * stem[i]);
        }
    }

  if (flags & COCHLEA_RENDER_RAW_LEVEL)
    return g_steal_pointer (&mix);

  /* Final level: the song's RMS target, but never a peak above -0.5 dBFS. */
  music_rms = rms (mix, n);
  for (gsize i = 0; i < n; i++)
    peak = MAX (peak, fabs (mix[i]));
  gain = music_rms > 0 ? pow (10.0, song->target_rms_db / 20.0) / music_rms : 0;
  if (peak * gain > 0.944)
    gain = 0.944 / peak;
  {
    gsize fade_in = MIN (n, (gsize) (0.005 * song->sample_rate));
    gsize fade_out = MIN (n, (gsize) (0.05 * song->sample_rate));
    for (gsize i = 0; i < n; i++)
      {
        double g = gain;
        if (i < fade_in)
          g *= (double) i / fade_in;
        if (n - i <= fade_out)
          g *= (double) (n - i - 1) / fade_out;
        mix[i] = (float) (mix[i] * g);
      }
  }
  return g_steal_pointer (&mix);
}
