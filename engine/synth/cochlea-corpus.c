/* cochlea-corpus.c — songs in parallel, atomic files, resumable runs.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-synth"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cochlea-corpus.h"
#include "cochlea-error.h"
#include "cochlea-song.h"
#include "cochlea-synth.h"

#define SAMPLE_RATE 22050

typedef struct
{
  const CochleaCorpusOptions *options;
  const char                 *soundfont;
  char                       *soundfont_name;
  CochleaCorpusProgress       progress;
  gpointer                    user_data;
  GCancellable               *cancellable;

  gint                        next;       /* atomic: next song index */
  GMutex                      lock;       /* guards the fields below */
  guint                       n_done;
  GError                     *error;      /* the first error; stops everyone */
} Run;

static const char * const default_soundfonts[] = {
  "/usr/share/sounds/sf2/FluidR3_GM.sf2",
  "/usr/share/sounds/sf2/TimGM6mb.sf2",
  "/usr/share/sounds/sf2/default-GM.sf2",
};

const char *
cochlea_corpus_default_soundfont (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (default_soundfonts); i++)
    if (g_file_test (default_soundfonts[i], G_FILE_TEST_IS_REGULAR))
      return default_soundfonts[i];
  return default_soundfonts[0];
}

GBytes *
cochlea_corpus_wav_bytes (const float *samples,
                          gsize        n_samples,
                          int          sample_rate)
{
  gsize data_len = n_samples * 2;
  guint8 *buf = g_malloc (44 + data_len);
  guint8 *p = buf;

#define PUT32(v) G_STMT_START { guint32 _v = (v); p[0] = _v; p[1] = _v >> 8; p[2] = _v >> 16; p[3] = _v >> 24; p += 4; } G_STMT_END
#define PUT16(v) G_STMT_START { guint16 _v = (v); p[0] = _v; p[1] = _v >> 8; p += 2; } G_STMT_END
  memcpy (p, "RIFF", 4); p += 4;
  PUT32 ((guint32) (36 + data_len));
  memcpy (p, "WAVEfmt ", 8); p += 8;
  PUT32 (16);
  PUT16 (1);                       /* PCM */
  PUT16 (1);                       /* mono */
  PUT32 ((guint32) sample_rate);
  PUT32 ((guint32) sample_rate * 2);
  PUT16 (2);
  PUT16 (16);
  memcpy (p, "data", 4); p += 4;
  PUT32 ((guint32) data_len);
  for (gsize i = 0; i < n_samples; i++)
    {
      double v = samples[i] * 32767.0;
      gint16 s = (gint16) CLAMP (lrint (v), -32768, 32767);
      PUT16 ((guint16) s);
    }
#undef PUT32
#undef PUT16
  return g_bytes_new_take (buf, 44 + data_len);
}

static gboolean
write_atomic (const char  *path,
              const void  *data,
              gsize        len,
              GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_IO,
                   "Could not write “%s”: %s", path, local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_json (const char  *path,
            JsonNode    *node,
            GError     **error)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  /* A final newline, as text files have. */
  text = g_realloc (text, len + 2);
  text[len] = '\n';
  text[len + 1] = '\0';
  return write_atomic (path, text, len + 1, error);
}

static gboolean
make_song (Run           *run,
           CochleaSynth **synth,
           guint          index,
           GError       **error)
{
  const CochleaCorpusOptions *o = run->options;
  g_autofree char *wav_name = g_strdup_printf ("%05u.wav", index);
  g_autofree char *wav_path = g_build_filename (o->dir, wav_name, NULL);
  g_autofree char *json_path = g_strdup_printf ("%s/%05u.json", o->dir, index);
  g_autoptr(CochleaSong) song = NULL;
  g_autoptr(JsonNode) labels = NULL;
  g_autoptr(GBytes) wav = NULL;
  g_autofree float *pcm = NULL;
  CochleaSongOptions song_options;

  cochlea_song_options_init_default (&song_options);
  song_options.duration = o->duration;
  song_options.sample_rate = SAMPLE_RATE;
  song = cochlea_song_compose (o->seed, index, &song_options);

  if (*synth == NULL && !(*synth = cochlea_synth_new (run->soundfont, SAMPLE_RATE, error)))
    return FALSE;
  if (!(pcm = cochlea_synth_render (*synth, song, COCHLEA_PART_MASK_ALL, COCHLEA_RENDER_DEFAULT,
                                    run->cancellable, error)))
    {
      g_prefix_error (error, "Song %05u: ", index);
      return FALSE;
    }
  wav = cochlea_corpus_wav_bytes (pcm, song->n_samples, SAMPLE_RATE);
  if (!write_atomic (wav_path, g_bytes_get_data (wav, NULL), g_bytes_get_size (wav), error))
    return FALSE;
  labels = cochlea_song_labels_to_json (song, run->soundfont_name, wav_name);
  return write_json (json_path, labels, error);
}

static gpointer
worker (gpointer data)
{
  Run *run = data;
  g_autoptr(CochleaSynth) synth = NULL;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *json_path = NULL;
      g_autofree char *wav_path = NULL;
      guint index = (guint) g_atomic_int_add (&run->next, 1);
      gboolean skipped = FALSE;

      if (index >= run->options->n_songs)
        break;

      g_mutex_lock (&run->lock);
      if (run->error != NULL)
        {
          g_mutex_unlock (&run->lock);
          break;
        }
      g_mutex_unlock (&run->lock);

      if (g_cancellable_set_error_if_cancelled (run->cancellable, &error))
        {
          /* recorded below */
        }
      else
        {
          json_path = g_strdup_printf ("%s/%05u.json", run->options->dir, index);
          wav_path = g_strdup_printf ("%s/%05u.wav", run->options->dir, index);
          if (g_file_test (json_path, G_FILE_TEST_IS_REGULAR) &&
              g_file_test (wav_path, G_FILE_TEST_IS_REGULAR))
            skipped = TRUE;
          else
            make_song (run, &synth, index, &error);
        }

      g_mutex_lock (&run->lock);
      if (error != NULL)
        {
          if (run->error == NULL)
            run->error = g_steal_pointer (&error);
          g_mutex_unlock (&run->lock);
          break;
        }
      run->n_done++;
      if (run->progress != NULL)
        run->progress (index, skipped, run->n_done, run->options->n_songs, run->user_data);
      g_mutex_unlock (&run->lock);
    }
  return NULL;
}

static JsonNode *
manifest_new (const CochleaCorpusOptions *o,
              const char                 *soundfont_name)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, o->seed);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "cochlea-corpus");
  json_builder_set_member_name (b, "format_version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "generator");
  json_builder_add_string_value (b, "cochlea-cli generate-corpus " PACKAGE_VERSION);
  json_builder_set_member_name (b, "generator_version");
  json_builder_add_int_value (b, COCHLEA_CORPUS_GENERATOR_VERSION);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) o->seed);
  json_builder_set_member_name (b, "seed_string");
  json_builder_add_string_value (b, seed);
  json_builder_set_member_name (b, "songs");
  json_builder_add_int_value (b, o->n_songs);
  json_builder_set_member_name (b, "duration");
  json_builder_add_double_value (b, o->duration);
  json_builder_set_member_name (b, "sample_rate");
  json_builder_add_int_value (b, SAMPLE_RATE);
  json_builder_set_member_name (b, "channels");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "audio_format");
  json_builder_add_string_value (b, "wav-pcm16");
  json_builder_set_member_name (b, "soundfont");
  json_builder_add_string_value (b, soundfont_name);

  json_builder_set_member_name (b, "labels");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "families");
  json_builder_begin_array (b);
  for (int f = 0; f < COCHLEA_N_FAMILIES; f++)
    json_builder_add_string_value (b, cochlea_family_name (f));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "keys");
  json_builder_begin_array (b);
  for (int k = 0; k < 12; k++)
    json_builder_add_string_value (b, cochlea_key_name (k));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "modes");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "minor");
  json_builder_add_string_value (b, "major");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "time_signatures");
  json_builder_begin_array (b);
  for (int t = 3; t <= 5; t++)
    json_builder_add_int_value (b, t);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "tempo_range");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, 60.0);
  json_builder_add_double_value (b, 180.0);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "booleans");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "music");
  json_builder_add_string_value (b, "drums");
  json_builder_add_string_value (b, "voice");
  json_builder_add_string_value (b, "speech");
  json_builder_add_string_value (b, "live");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "parts");
  json_builder_begin_array (b);
  for (int p = 0; p < COCHLEA_N_PARTS; p++)
    json_builder_add_string_value (b, cochlea_part_name (p));
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* An existing manifest must describe the same corpus (or a shorter run of
 * it): songs made with another seed, length or SoundFont must not mix. */
static gboolean
check_manifest (const char                 *path,
                const CochleaCorpusOptions *o,
                const char                 *soundfont_name,
                guint                      *n_songs_before,
                GError                    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, o->seed);
  JsonObject *obj;

  *n_songs_before = 0;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!json_parser_load_from_file (parser, path, &local) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "“%s” exists but is not a corpus manifest%s%s", path,
                   local ? ": " : "", local ? local->message : "");
      return FALSE;
    }
  obj = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (obj, "format", ""), "cochlea-corpus") != 0)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "“%s” is not a cochlea corpus manifest", path);
      return FALSE;
    }
  if (json_object_get_int_member_with_default (obj, "generator_version", -1) != COCHLEA_CORPUS_GENERATOR_VERSION ||
      g_strcmp0 (json_object_get_string_member_with_default (obj, "seed_string", ""), seed) != 0 ||
      json_object_get_double_member_with_default (obj, "duration", -1) != o->duration ||
      g_strcmp0 (json_object_get_string_member_with_default (obj, "soundfont", ""), soundfont_name) != 0)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "“%s” describes a different corpus (seed %s, duration %g s, SoundFont %s, "
                   "generator version %" G_GINT64_FORMAT "); use another directory",
                   path,
                   json_object_get_string_member_with_default (obj, "seed_string", "?"),
                   json_object_get_double_member_with_default (obj, "duration", -1),
                   json_object_get_string_member_with_default (obj, "soundfont", "?"),
                   json_object_get_int_member_with_default (obj, "generator_version", -1));
      return FALSE;
    }
  *n_songs_before = (guint) json_object_get_int_member_with_default (obj, "songs", 0);
  return TRUE;
}

gboolean
cochlea_corpus_generate (const CochleaCorpusOptions *options,
                         CochleaCorpusProgress       progress,
                         gpointer                    user_data,
                         GCancellable               *cancellable,
                         GError                    **error)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree char *manifest_path = NULL;
  g_autoptr(JsonNode) manifest = NULL;
  CochleaCorpusOptions o;
  Run run = { 0, };
  guint n_jobs, n_before;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (options->dir != NULL, FALSE);
  g_return_val_if_fail (options->duration > 0, FALSE);

  o = *options;
  if (o.soundfont == NULL)
    o.soundfont = cochlea_corpus_default_soundfont ();
  if (!g_file_test (o.soundfont, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_NOT_FOUND,
                   "SoundFont “%s” not found (install fluid-soundfont-gm or timgm6mb-soundfont, or pass --soundfont)",
                   o.soundfont);
      return FALSE;
    }
  if (g_mkdir_with_parents (o.dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_IO,
                   "Could not create directory “%s”: %s", o.dir, g_strerror (saved));
      return FALSE;
    }

  run.options = &o;
  run.soundfont = o.soundfont;
  run.soundfont_name = g_path_get_basename (o.soundfont);
  run.progress = progress;
  run.user_data = user_data;
  run.cancellable = cancellable;
  g_mutex_init (&run.lock);

  manifest_path = g_build_filename (o.dir, "corpus.json", NULL);
  if (!check_manifest (manifest_path, &o, run.soundfont_name, &n_before, error))
    {
      g_free (run.soundfont_name);
      g_mutex_clear (&run.lock);
      return FALSE;
    }

  n_jobs = o.n_jobs > 0 ? o.n_jobs : g_get_num_processors ();
  n_jobs = MAX (1, MIN (n_jobs, MAX (o.n_songs, 1)));
  for (guint j = 0; j < n_jobs; j++)
    g_ptr_array_add (threads, g_thread_new ("cochlea-corpus", worker, &run));
  for (guint j = 0; j < threads->len; j++)
    g_thread_join (g_ptr_array_index (threads, j));

  g_mutex_clear (&run.lock);
  if (run.error != NULL)
    {
      g_propagate_error (error, run.error);
      g_free (run.soundfont_name);
      return FALSE;
    }

  /* The manifest last: it lists as many songs as were ever asked for. */
  o.n_songs = MAX (o.n_songs, n_before);
  manifest = manifest_new (&o, run.soundfont_name);
  g_free (run.soundfont_name);
  return write_json (manifest_path, manifest, error);
}
