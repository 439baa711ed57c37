/* cochlea-train-data.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-nn"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cochlea-error.h"
#include "cochlea-model-private.h"
#include "cochlea-train-data.h"
#include "dsp/cochlea-mel.h"
#include "media/cochlea-decoder.h"

static const char * const families[] = {
  "piano", "chromatic_percussion", "organ", "guitar", "bass", "strings",
  "ensemble", "brass", "reed", "pipe", "synth_lead", "synth_pad", "drums", NULL,
};
static const char * const voice_labels[] = { "voice", NULL };
static const char * const speech_labels[] = { "speech", NULL };
static const char * const acoustic_labels[] = { "acoustic", "electronic", NULL };
static const char * const live_labels[] = { "studio", "live", NULL };
static const char * const tempo_labels[] = { "60-84", "84-108", "108-132", "132-156", "156-180", NULL };
static const char * const key_labels[] = {
  "C major", "C# major", "D major", "D# major", "E major", "F major",
  "F# major", "G major", "G# major", "A major", "A# major", "B major",
  "C minor", "C# minor", "D minor", "D# minor", "E minor", "F minor",
  "F# minor", "G minor", "G# minor", "A minor", "A# minor", "B minor", NULL,
};

void
cochlea_model_config_add_corpus_heads (CochleaModelConfig *config)
{
  cochlea_model_config_add_head (config, "instruments", COCHLEA_HEAD_SIGMOID, families);
  cochlea_model_config_add_head (config, "voice", COCHLEA_HEAD_SIGMOID, voice_labels);
  cochlea_model_config_add_head (config, "speech", COCHLEA_HEAD_SIGMOID, speech_labels);
  cochlea_model_config_add_head (config, "acoustic", COCHLEA_HEAD_SOFTMAX, acoustic_labels);
  cochlea_model_config_add_head (config, "live", COCHLEA_HEAD_SOFTMAX, live_labels);
  cochlea_model_config_add_head (config, "tempo", COCHLEA_HEAD_SOFTMAX, tempo_labels);
  cochlea_model_config_add_head (config, "key", COCHLEA_HEAD_SOFTMAX, key_labels);
}

static gboolean
get_bool (JsonObject *o,
          const char *name,
          gboolean   *out)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return FALSE;
  *out = json_node_get_boolean (n);
  return TRUE;
}

static gboolean
get_number (JsonObject *o,
            const char *name,
            double     *out)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || (json_node_get_value_type (n) != G_TYPE_DOUBLE &&
                    json_node_get_value_type (n) != G_TYPE_INT64))
    return FALSE;
  *out = json_node_get_double (n);
  return isfinite (*out);
}

void
cochlea_corpus_labels_to_targets (const CochleaModelConfig *config,
                                  JsonObject               *labels,
                                  float                    *targets,
                                  guint32                  *known)
{
  gboolean music = TRUE, b;
  double x, mode;

  memset (targets, 0, sizeof (float) * config->n_logits);
  *known = 0;
  get_bool (labels, "music", &music);

  for (int h = 0; h < config->n_heads; h++)
    {
      const CochleaHeadSpec *head = &config->heads[h];
      float *t = targets + head->offset;
      const char *name = head->name;

      if (strcmp (name, "instruments") == 0)
        {
          JsonNode *n = json_object_get_member (labels, "families");
          JsonArray *a;

          if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
            continue;
          a = json_node_get_array (n);
          for (guint i = 0; i < json_array_get_length (a); i++)
            {
              const char *f = json_node_get_string (json_array_get_element (a, i));
              for (int k = 0; f != NULL && k < head->n_out; k++)
                if (strcmp (f, head->labels[k]) == 0)
                  t[k] = 1.0f;
            }
          *known |= 1u << h;
        }
      else if ((strcmp (name, "voice") == 0 || strcmp (name, "speech") == 0) &&
               head->n_out >= 1 && get_bool (labels, name, &b))
        {
          t[0] = b ? 1.0f : 0.0f;
          *known |= 1u << h;
        }
      else if (strcmp (name, "live") == 0 && head->n_out >= 2 && get_bool (labels, "live", &b))
        {
          t[b ? 1 : 0] = 1.0f;
          *known |= 1u << h;
        }
      else if (strcmp (name, "acoustic") == 0 && head->n_out >= 2 && music &&
               get_number (labels, "acoustic", &x))
        {
          t[x >= 0.5 ? 0 : 1] = 1.0f;
          *known |= 1u << h;
        }
      else if (strcmp (name, "tempo") == 0 && head->n_out >= 1 && music &&
               get_number (labels, "tempo", &x) && x > 0)
        {
          int k = (int) floor ((x - COCHLEA_TEMPO_CLASS_MIN) / COCHLEA_TEMPO_CLASS_WIDTH);
          t[CLAMP (k, 0, head->n_out - 1)] = 1.0f;
          *known |= 1u << h;
        }
      /* A head with fewer outputs than the label needs (a hand-made or
       * damaged weights file) has no target: never write past it. */
      else if (strcmp (name, "key") == 0 && head->n_out >= 24 && music && get_number (labels, "key", &x) &&
               get_number (labels, "mode", &mode) && x >= 0 && x < 12 && (mode == 0 || mode == 1))
        {
          t[(int) x + (mode == 1 ? 0 : 12)] = 1.0f;
          *known |= 1u << h;
        }
    }
}

typedef struct
{
  char     *json_path;
  char     *audio_path;
  char     *name;
  guint     index;
  float    *mel;        /* owned until handed to a dataset */
  gsize     n_frames;
  float    *targets;
  guint32   known;
  GError   *error;
} SongJob;

static void
song_job_free (gpointer data)
{
  SongJob *job = data;

  g_free (job->json_path);
  g_free (job->audio_path);
  g_free (job->name);
  g_free (job->mel);
  g_free (job->targets);
  g_clear_error (&job->error);
  g_free (job);
}

typedef struct
{
  GArray *frames;
} Collect;

static void
collect_cb (const float *mel_db,
            const float *power,
            gint64       index,
            gpointer     user_data)
{
  Collect *c = user_data;

  g_array_append_vals (c->frames, mel_db, 1);
}

typedef struct
{
  const CochleaModelConfig *config;
  GPtrArray                *jobs;
  gint                      next;       /* atomic */
  GCancellable             *cancellable;
} LoadShared;

static gboolean
load_song (SongJob                  *job,
           const CochleaModelConfig *config,
           GCancellable             *cancellable)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CochleaDecoder) decoder = NULL;
  g_autoptr(CochleaMel) mel = NULL;
  g_autofree float *block = g_new (float, 8192);
  g_autofree char *dir = g_path_get_dirname (job->json_path);
  GArray *frames;
  JsonNode *root;
  JsonObject *labels;
  const char *audio;
  Collect collect;
  gssize n;

  if (!json_parser_load_from_file (parser, job->json_path, &job->error))
    {
      g_prefix_error (&job->error, "%s: ", job->json_path);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (audio = json_object_get_string_member_with_default ((labels = json_node_get_object (root)), "audio", NULL)) == NULL ||
      strchr (audio, '/') != NULL)
    {
      g_set_error (&job->error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "%s: not a song label file (no “audio” member naming a file beside it)", job->json_path);
      return FALSE;
    }
  job->audio_path = g_build_filename (dir, audio, NULL);
  job->targets = g_new0 (float, MAX (1, config->n_logits));
  cochlea_corpus_labels_to_targets (config, labels, job->targets, &job->known);

  if (!(mel = cochlea_mel_new (&config->mel, &job->error)) ||
      !(decoder = cochlea_decoder_new (job->audio_path, config->mel.sample_rate, cancellable, &job->error)))
    return FALSE;
  frames = g_array_sized_new (FALSE, FALSE, sizeof (float) * config->mel.n_mels, 2048);
  collect.frames = frames;
  while ((n = cochlea_decoder_read (decoder, block, NULL, 8192, cancellable, &job->error)) > 0)
    cochlea_mel_push (mel, block, n, collect_cb, &collect);
  if (n < 0)
    {
      g_array_unref (frames);
      return FALSE;
    }
  cochlea_mel_finish (mel, collect_cb, &collect);
  job->n_frames = frames->len;
  job->mel = (float *) g_array_free (frames, FALSE);
  if (job->n_frames == 0)
    {
      g_set_error (&job->error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_NO_AUDIO,
                   "%s: no audio", job->audio_path);
      return FALSE;
    }
  return TRUE;
}

static gpointer
load_worker (gpointer data)
{
  LoadShared *shared = data;
  int i;

  while ((i = g_atomic_int_add (&shared->next, 1)) < (int) shared->jobs->len)
    {
      if (g_cancellable_is_cancelled (shared->cancellable))
        break;
      load_song (g_ptr_array_index (shared->jobs, i), shared->config, shared->cancellable);
    }
  return NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

gboolean
cochlea_corpus_load (const char               *dir,
                     const CochleaModelConfig *config,
                     guint                     val_every,
                     guint                     max_songs,
                     int                       n_threads,
                     CochleaDataset          **train,
                     CochleaDataset          **val,
                     char                    **description,
                     GCancellable             *cancellable,
                     GError                  **error)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (song_job_free);
  g_autoptr(CochleaDataset) tr = cochlea_dataset_new (config->mel.n_mels, config->n_logits);
  g_autoptr(CochleaDataset) va = cochlea_dataset_new (config->mel.n_mels, config->n_logits);
  g_autofree char *manifest_path = g_build_filename (dir, "corpus.json", NULL);
  g_autofree char *manifest = NULL;
  GThread *threads[16];
  LoadShared shared;
  const char *entry;
  double seconds = 0;

  if (!(d = g_dir_open (dir, 0, error)))
    {
      g_prefix_error (error, "Could not read the corpus: ");
      return FALSE;
    }
  while ((entry = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (entry, ".json") && strcmp (entry, "corpus.json") != 0 && entry[0] != '.')
      g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, compare_strings);
  if (names->len == 0)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "%s: no song label files (NNNNN.json) — generate one with “cochlea-cli generate-corpus”", dir);
      return FALSE;
    }
  for (guint i = 0; i < names->len && (max_songs == 0 || i < max_songs); i++)
    {
      SongJob *job = g_new0 (SongJob, 1);
      job->json_path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      job->name = g_strndup (g_ptr_array_index (names, i), strlen (g_ptr_array_index (names, i)) - 5);
      job->index = i;
      g_ptr_array_add (jobs, job);
    }

  shared = (LoadShared) { config, jobs, 0, cancellable };
  n_threads = CLAMP (n_threads, 1, 16);
  for (int t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("cochlea-corpus", load_worker, &shared);
  load_worker (&shared);
  for (int t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  for (guint i = 0; i < jobs->len; i++)
    {
      SongJob *job = g_ptr_array_index (jobs, i);
      gboolean is_val = val_every > 0 && i % val_every == val_every - 1;

      if (job->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&job->error));
          return FALSE;
        }
      seconds += (double) job->n_frames * config->mel.hop_length / config->mel.sample_rate;
      cochlea_dataset_add (is_val ? va : tr, job->name, g_steal_pointer (&job->mel), job->n_frames,
                           job->targets, job->known);
    }

  if (description != NULL)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonParser) mp = json_parser_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *base = g_path_get_basename (dir);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "generator");
      json_builder_add_string_value (b, "cochlea-cli generate-corpus (procedural songs rendered with libfluidsynth; docs/corpus.md)");
      json_builder_set_member_name (b, "directory");
      json_builder_add_string_value (b, base);
      json_builder_set_member_name (b, "songs");
      json_builder_add_int_value (b, jobs->len);
      json_builder_set_member_name (b, "train_songs");
      json_builder_add_int_value (b, cochlea_dataset_get_n_songs (tr));
      json_builder_set_member_name (b, "validation_songs");
      json_builder_add_int_value (b, cochlea_dataset_get_n_songs (va));
      json_builder_set_member_name (b, "validation_split");
      json_builder_add_string_value (b, val_every ? "song i with i % val_every == val_every - 1" : "none");
      json_builder_set_member_name (b, "val_every");
      json_builder_add_int_value (b, val_every);
      json_builder_set_member_name (b, "hours");
      json_builder_add_double_value (b, seconds / 3600.0);
      if (g_file_get_contents (manifest_path, &manifest, NULL, NULL) &&
          json_parser_load_from_data (mp, manifest, -1, NULL) && json_parser_get_root (mp) != NULL)
        {
          json_builder_set_member_name (b, "manifest");
          json_builder_add_value (b, json_node_copy (json_parser_get_root (mp)));
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      *description = json_to_string (root, FALSE);
      _cochlea_json_fix_exponents (*description);
    }

  *train = g_steal_pointer (&tr);
  if (val != NULL)
    *val = g_steal_pointer (&va);
  return TRUE;
}
