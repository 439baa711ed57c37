/* cochlea-model.c — configuration, parameter block, forward/backward of
 * the whole network, and the inference API.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cochlea-nn"

#include "config.h"

#include <cblas.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cochlea-error.h"
#include "cochlea-model-private.h"
#include "cochlea-ops.h"

static const char * const layer_names[] = {
  "input", "conv1", "pool1", "conv2", "pool2", "conv3", "pool3", "conv4",
  "global_pool", "dense", "embedding",
};
#define N_LAYERS ((int) G_N_ELEMENTS (layer_names))

void
cochlea_nn_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      openblas_set_num_threads (1);
      g_once_init_leave (&done, 1);
    }
}

float *
_cochlea_aligned_alloc0 (gsize n_floats)
{
  void *p = NULL;
  gsize bytes = MAX (64, (n_floats * sizeof (float) + 63) / 64 * 64);

  if (posix_memalign (&p, 64, bytes) != 0)
    return NULL;
  memset (p, 0, bytes);
  return p;
}

void
_cochlea_aligned_free (float *p)
{
  free (p);
}

/* ------------------------------------------------------------------ */
/* Configuration                                                       */

/**
 * cochlea_model_config_init_default:
 *
 * The shipped architecture without heads: 256-frame windows (5.9 s) every
 * 128 frames, conv widths 128/128/256/256 with filter length 4, pools
 * 4/2/2, a 512-unit dense layer with dropout 0.5, a 64-d embedding.
 */
void
cochlea_model_config_init_default (CochleaModelConfig *config)
{
  memset (config, 0, sizeof *config);
  cochlea_mel_params_init_default (&config->mel);
  config->window = 256;
  config->hop = 128;
  config->kernel = 4;
  config->channels[0] = 128;
  config->channels[1] = 128;
  config->channels[2] = 256;
  config->channels[3] = 256;
  config->pools[0] = 4;
  config->pools[1] = 2;
  config->pools[2] = 2;
  config->dense = 512;
  config->embed_dim = 64;
  config->dropout = 0.5f;
}

void
cochlea_model_config_add_head (CochleaModelConfig *config,
                               const char         *name,
                               CochleaHeadKind     kind,
                               const char * const *labels)
{
  CochleaHeadSpec *head;

  g_return_if_fail (config->n_heads < COCHLEA_MODEL_MAX_HEADS);
  g_return_if_fail (name != NULL && labels != NULL && labels[0] != NULL);

  head = &config->heads[config->n_heads++];
  head->name = g_strdup (name);
  head->kind = kind;
  head->labels = g_strdupv ((char **) labels);
  head->n_out = g_strv_length (head->labels);
}

int
cochlea_model_config_find_head (const CochleaModelConfig *config,
                                const char               *name)
{
  for (int i = 0; i < config->n_heads; i++)
    if (g_strcmp0 (config->heads[i].name, name) == 0)
      return i;
  return -1;
}

static gboolean
valid_name (const char *name)
{
  if (name == NULL || name[0] == '\0' || strlen (name) > 48)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

/**
 * cochlea_model_config_validate:
 *
 * Checks every size (they may come from a file) and fills in the derived
 * fields.
 */
gboolean
cochlea_model_config_validate (CochleaModelConfig *config,
                               GError            **error)
{
  int t;

#define BAD(...) G_STMT_START { \
    g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_SHAPE, __VA_ARGS__); \
    return FALSE; } G_STMT_END

  if (!cochlea_mel_params_validate (&config->mel, error))
    return FALSE;
  if (config->mel.n_mels < 1 || config->mel.n_mels > 512)
    BAD ("architecture: %d mel bands is out of range", config->mel.n_mels);
  if (config->kernel < 1 || config->kernel > 16)
    BAD ("architecture: filter length %d is out of range", config->kernel);
  if (config->window < 8 || config->window > 8192)
    BAD ("architecture: window of %d frames is out of range", config->window);
  if (config->hop < 1 || config->hop > config->window)
    BAD ("architecture: hop of %d frames is out of range", config->hop);
  for (int l = 0; l < COCHLEA_MODEL_N_CONV; l++)
    if (config->channels[l] < 1 || config->channels[l] > 2048)
      BAD ("architecture: conv%d width %d is out of range", l + 1, config->channels[l]);
  for (int l = 0; l < COCHLEA_MODEL_N_CONV - 1; l++)
    if (config->pools[l] < 1 || config->pools[l] > 16)
      BAD ("architecture: pool%d factor %d is out of range", l + 1, config->pools[l]);
  if (config->dense < 1 || config->dense > 8192)
    BAD ("architecture: dense width %d is out of range", config->dense);
  if (config->embed_dim < 2 || config->embed_dim > 1024)
    BAD ("architecture: embedding size %d is out of range", config->embed_dim);
  if (!(config->dropout >= 0.0f && config->dropout < 1.0f))
    BAD ("architecture: dropout %g is out of range", config->dropout);
  if (config->n_heads < 0 || config->n_heads > COCHLEA_MODEL_MAX_HEADS)
    BAD ("architecture: %d heads is out of range", config->n_heads);

  t = config->window;
  for (int l = 0; l < COCHLEA_MODEL_N_CONV; l++)
    {
      t = t - config->kernel + 1;
      if (t < 1)
        BAD ("architecture: a window of %d frames is too short for conv%d", config->window, l + 1);
      config->t_conv[l] = t;
      if (l < COCHLEA_MODEL_N_CONV - 1)
        {
          t = t / config->pools[l];
          if (t < 1)
            BAD ("architecture: a window of %d frames is too short for pool%d", config->window, l + 1);
          config->t_pool[l] = t;
        }
    }

  config->n_logits = 0;
  for (int h = 0; h < config->n_heads; h++)
    {
      CochleaHeadSpec *head = &config->heads[h];

      if (!valid_name (head->name))
        BAD ("architecture: head %d has an invalid name", h);
      for (int k = 0; k < h; k++)
        if (strcmp (config->heads[k].name, head->name) == 0)
          BAD ("architecture: two heads are named “%s”", head->name);
      if (head->kind != COCHLEA_HEAD_SIGMOID && head->kind != COCHLEA_HEAD_SOFTMAX)
        BAD ("architecture: head “%s” has an unknown kind", head->name);
      if (head->labels == NULL || head->n_out < 1 || head->n_out > 256 ||
          (int) g_strv_length (head->labels) != head->n_out)
        BAD ("architecture: head “%s” has a bad label list", head->name);
      if (head->kind == COCHLEA_HEAD_SOFTMAX && head->n_out < 2)
        BAD ("architecture: softmax head “%s” needs two classes or more", head->name);
      head->offset = config->n_logits;
      config->n_logits += head->n_out;
    }
#undef BAD
  return TRUE;
}

void
cochlea_model_config_copy (CochleaModelConfig       *dest,
                           const CochleaModelConfig *src)
{
  *dest = *src;
  for (int h = 0; h < src->n_heads; h++)
    {
      dest->heads[h].name = g_strdup (src->heads[h].name);
      dest->heads[h].labels = g_strdupv (src->heads[h].labels);
    }
}

void
cochlea_model_config_clear (CochleaModelConfig *config)
{
  for (int h = 0; h < config->n_heads; h++)
    {
      g_clear_pointer (&config->heads[h].name, g_free);
      g_clear_pointer (&config->heads[h].labels, g_strfreev);
    }
  config->n_heads = 0;
}

static void
add_int_array (JsonBuilder *b,
               const char  *name,
               const int   *v,
               int          n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (int i = 0; i < n; i++)
    json_builder_add_int_value (b, v[i]);
  json_builder_end_array (b);
}

/* json-glib 1.6 writes 1e-10 as "1e-10.0", which no JSON parser accepts:
 * drop a ".0" that follows an exponent. */
void
_cochlea_json_fix_exponents (char *json)
{
  char *r = json, *w = json;

  while (*r)
    {
      *w++ = *r++;
      if ((r[-1] == 'e' || r[-1] == 'E') && r - 1 > json && g_ascii_isdigit (r[-2]))
        {
          if (*r == '-' || *r == '+')
            *w++ = *r++;
          while (g_ascii_isdigit (*r))
            *w++ = *r++;
          if (r[0] == '.' && r[1] == '0' && !g_ascii_isdigit (r[2]))
            r += 2;
        }
    }
  *w = '\0';
}

static char *
builder_to_string (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  char *text = json_to_string (root, FALSE);

  _cochlea_json_fix_exponents (text);
  return text;
}

/* The "architecture" metadata: what an independent implementation needs
 * to rebuild the layers (docs/model.md explains each key). */
char *
cochlea_model_config_to_json (const CochleaModelConfig *config)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "cochlea-cnn1d");
  json_builder_set_member_name (b, "input");
  json_builder_add_string_value (b, "log-mel dB window (window, n_mels) time-major; "
                                    "normalised per band x' = (x - norm.mean) / norm.std "
                                    "and transposed to (n_mels, window): bands are channels, time is the conv axis");
  json_builder_set_member_name (b, "n_mels");
  json_builder_add_int_value (b, config->mel.n_mels);
  json_builder_set_member_name (b, "window");
  json_builder_add_int_value (b, config->window);
  json_builder_set_member_name (b, "hop");
  json_builder_add_int_value (b, config->hop);
  json_builder_set_member_name (b, "kernel");
  json_builder_add_int_value (b, config->kernel);
  add_int_array (b, "channels", config->channels, COCHLEA_MODEL_N_CONV);
  add_int_array (b, "pools", config->pools, COCHLEA_MODEL_N_CONV - 1);
  json_builder_set_member_name (b, "conv");
  json_builder_add_string_value (b, "valid, stride 1, bias, ReLU; max-pool (non-overlapping, floor) after conv1-3");
  json_builder_set_member_name (b, "global_pool");
  json_builder_add_string_value (b, "concat [mean_t, max_t, sqrt(mean_t x^2 + 1e-6)] of conv4");
  json_builder_set_member_name (b, "dense");
  json_builder_add_int_value (b, config->dense);
  json_builder_set_member_name (b, "dense_activation");
  json_builder_add_string_value (b, "relu");
  json_builder_set_member_name (b, "dropout");
  json_builder_add_double_value (b, config->dropout);
  json_builder_set_member_name (b, "embed_dim");
  json_builder_add_int_value (b, config->embed_dim);
  json_builder_set_member_name (b, "embedding");
  json_builder_add_string_value (b, "embed.weight * dense + embed.bias, divided by its L2 norm");
  json_builder_set_member_name (b, "song_pooling");
  json_builder_add_string_value (b, "windows every hop frames (+ one aligned to the end); "
                                    "mean of window embeddings renormalised; mean of head probabilities");
  json_builder_set_member_name (b, "heads");
  json_builder_begin_array (b);
  for (int h = 0; h < config->n_heads; h++)
    {
      const CochleaHeadSpec *head = &config->heads[h];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, head->name);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, head->kind == COCHLEA_HEAD_SOFTMAX ? "softmax" : "sigmoid");
      json_builder_set_member_name (b, "labels");
      json_builder_begin_array (b);
      for (int i = 0; i < head->n_out; i++)
        json_builder_add_string_value (b, head->labels[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return builder_to_string (b);
}

static char *
preprocessing_to_json (const CochleaMelParams *mel)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sample_rate");
  json_builder_add_int_value (b, mel->sample_rate);
  json_builder_set_member_name (b, "n_fft");
  json_builder_add_int_value (b, mel->n_fft);
  json_builder_set_member_name (b, "hop_length");
  json_builder_add_int_value (b, mel->hop_length);
  json_builder_set_member_name (b, "n_mels");
  json_builder_add_int_value (b, mel->n_mels);
  json_builder_set_member_name (b, "f_min");
  json_builder_add_double_value (b, mel->f_min);
  json_builder_set_member_name (b, "f_max");
  json_builder_add_double_value (b, mel->f_max);
  json_builder_set_member_name (b, "amin");
  json_builder_add_double_value (b, mel->amin);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, "mono PCM at sample_rate; periodic Hann window of n_fft, "
                                    "centred frames with reflect padding; power spectrum; "
                                    "Slaney mel scale and Slaney area norm; 10*log10(max(S, amin)) "
                                    "(torchaudio MelSpectrogram(mel_scale='slaney', norm='slaney', power=2))");
  json_builder_end_object (b);
  return builder_to_string (b);
}

static gboolean
get_int (JsonObject  *o,
         const char  *name,
         int         *out,
         GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || json_node_get_value_type (n) != G_TYPE_INT64)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "metadata: “%s” is missing or not an integer", name);
      return FALSE;
    }
  if (json_node_get_int (n) < G_MININT || json_node_get_int (n) > G_MAXINT)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "metadata: “%s” is out of range", name);
      return FALSE;
    }
  *out = (int) json_node_get_int (n);
  return TRUE;
}

static gboolean
get_double (JsonObject  *o,
            const char  *name,
            double      *out,
            GError     **error)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || (json_node_get_value_type (n) != G_TYPE_INT64 &&
                    json_node_get_value_type (n) != G_TYPE_DOUBLE))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "metadata: “%s” is missing or not a number", name);
      return FALSE;
    }
  *out = json_node_get_double (n);
  return TRUE;
}

static gboolean
get_int_array (JsonObject  *o,
               const char  *name,
               int         *out,
               int          n,
               GError     **error)
{
  JsonNode *node = json_object_get_member (o, name);
  JsonArray *a;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length ((a = json_node_get_array (node))) != (guint) n)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "metadata: “%s” must be an array of %d integers", name, n);
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (json_node_get_value_type (e) != G_TYPE_INT64 ||
          json_node_get_int (e) < 0 || json_node_get_int (e) > G_MAXINT)
        {
          g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                       "metadata: “%s” must be an array of %d integers", name, n);
          return FALSE;
        }
      out[i] = (int) json_node_get_int (e);
    }
  return TRUE;
}

static JsonObject *
parse_object (JsonParser  *parser,
              const char  *text,
              const char  *what,
              GError     **error)
{
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (text == NULL)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "metadata: “%s” is missing", what);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, -1, &local))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "metadata: “%s” is not valid JSON: %s", what, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "metadata: “%s” is not a JSON object", what);
      return NULL;
    }
  return json_node_get_object (root);
}

/**
 * cochlea_model_config_from_json:
 *
 * Rebuilds a configuration from the weights file's metadata and validates
 * it.  On failure @config is left cleared.
 */
gboolean
cochlea_model_config_from_json (CochleaModelConfig *config,
                                const char         *architecture_json,
                                const char         *preprocessing_json,
                                GError            **error)
{
  g_autoptr(JsonParser) ap = json_parser_new ();
  g_autoptr(JsonParser) pp = json_parser_new ();
  JsonObject *arch, *pre;
  JsonNode *heads_node;
  JsonArray *heads;
  double d;
  int n_mels;

  cochlea_model_config_init_default (config);
  if (!(arch = parse_object (ap, architecture_json, "architecture", error)) ||
      !(pre = parse_object (pp, preprocessing_json, "preprocessing", error)))
    return FALSE;

  if (!get_int (pre, "sample_rate", &config->mel.sample_rate, error) ||
      !get_int (pre, "n_fft", &config->mel.n_fft, error) ||
      !get_int (pre, "hop_length", &config->mel.hop_length, error) ||
      !get_int (pre, "n_mels", &config->mel.n_mels, error) ||
      !get_double (pre, "f_min", &config->mel.f_min, error) ||
      !get_double (pre, "f_max", &config->mel.f_max, error) ||
      !get_double (pre, "amin", &config->mel.amin, error) ||
      !get_int (arch, "n_mels", &n_mels, error) ||
      !get_int (arch, "window", &config->window, error) ||
      !get_int (arch, "hop", &config->hop, error) ||
      !get_int (arch, "kernel", &config->kernel, error) ||
      !get_int_array (arch, "channels", config->channels, COCHLEA_MODEL_N_CONV, error) ||
      !get_int_array (arch, "pools", config->pools, COCHLEA_MODEL_N_CONV - 1, error) ||
      !get_int (arch, "dense", &config->dense, error) ||
      !get_int (arch, "embed_dim", &config->embed_dim, error) ||
      !get_double (arch, "dropout", &d, error))
    return FALSE;
  config->dropout = (float) d;
  if (n_mels != config->mel.n_mels)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_SHAPE,
                   "metadata: architecture has %d mel bands but preprocessing %d",
                   n_mels, config->mel.n_mels);
      return FALSE;
    }

  heads_node = json_object_get_member (arch, "heads");
  if (heads_node == NULL || !JSON_NODE_HOLDS_ARRAY (heads_node) ||
      json_array_get_length ((heads = json_node_get_array (heads_node))) > COCHLEA_MODEL_MAX_HEADS)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "metadata: “heads” must be an array of at most %d objects", COCHLEA_MODEL_MAX_HEADS);
      return FALSE;
    }
  for (guint h = 0; h < json_array_get_length (heads); h++)
    {
      JsonNode *hn = json_array_get_element (heads, h);
      JsonObject *ho;
      const char *name, *kind;
      JsonNode *labels_node;
      JsonArray *labels;
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      if (!JSON_NODE_HOLDS_OBJECT (hn))
        goto bad_head;
      ho = json_node_get_object (hn);
      name = json_object_get_string_member_with_default (ho, "name", NULL);
      kind = json_object_get_string_member_with_default (ho, "kind", NULL);
      labels_node = json_object_get_member (ho, "labels");
      if (name == NULL || kind == NULL || labels_node == NULL || !JSON_NODE_HOLDS_ARRAY (labels_node))
        goto bad_head;
      labels = json_node_get_array (labels_node);
      if (json_array_get_length (labels) == 0 || json_array_get_length (labels) > 256)
        goto bad_head;
      for (guint i = 0; i < json_array_get_length (labels); i++)
        {
          JsonNode *ln = json_array_get_element (labels, i);
          if (json_node_get_value_type (ln) != G_TYPE_STRING)
            goto bad_head;
          g_ptr_array_add (names, (gpointer) json_node_get_string (ln));
        }
      g_ptr_array_add (names, NULL);
      if (strcmp (kind, "softmax") != 0 && strcmp (kind, "sigmoid") != 0)
        goto bad_head;
      cochlea_model_config_add_head (config, name,
                                     strcmp (kind, "softmax") == 0 ? COCHLEA_HEAD_SOFTMAX : COCHLEA_HEAD_SIGMOID,
                                     (const char * const *) names->pdata);
      continue;

    bad_head:
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "metadata: head %u needs a name, a kind (softmax or sigmoid) and 1–256 string labels", h);
      cochlea_model_config_clear (config);
      return FALSE;
    }

  if (!cochlea_model_config_validate (config, error))
    {
      cochlea_model_config_clear (config);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Parameters                                                          */

static void
add_tensor (CochleaModel *self,
            const char   *name,
            gboolean      decay,
            int           ndim,
            int64_t       d0,
            int64_t       d1,
            int64_t       d2)
{
  CochleaParamInfo *info = &self->info[self->n_tensors++];
  int64_t dims[3] = { d0, d1, d2 };

  g_assert (self->n_tensors <= COCHLEA_MODEL_MAX_TENSORS);
  g_strlcpy (info->name, name, sizeof info->name);
  info->ndim = ndim;
  info->size = 1;
  for (int i = 0; i < ndim; i++)
    {
      info->shape[i] = dims[i];
      info->size *= dims[i];
    }
  info->decay = decay;
  info->offset = self->n_params;
  /* keep every tensor 16-float (64-byte) aligned inside the block */
  self->n_params += (info->size + 15) / 16 * 16;
}

/* llm.c's fill_in_parameter_sizes: the table of tensors in block order. */
void
_cochlea_model_fill_in_param_sizes (CochleaModel *self)
{
  const CochleaModelConfig *c = &self->config;
  int c_in = c->mel.n_mels;
  char name[80];

  self->n_tensors = 0;
  self->n_params = 0;
  for (int l = 0; l < COCHLEA_MODEL_N_CONV; l++)
    {
      g_snprintf (name, sizeof name, "conv%d.weight", l + 1);
      add_tensor (self, name, TRUE, 3, c->channels[l], c_in, c->kernel);
      g_snprintf (name, sizeof name, "conv%d.bias", l + 1);
      add_tensor (self, name, FALSE, 1, c->channels[l], 0, 0);
      c_in = c->channels[l];
    }
  add_tensor (self, "dense.weight", TRUE, 2, c->dense, 3 * c_in, 0);
  add_tensor (self, "dense.bias", FALSE, 1, c->dense, 0, 0);
  add_tensor (self, "embed.weight", TRUE, 2, c->embed_dim, c->dense, 0);
  add_tensor (self, "embed.bias", FALSE, 1, c->embed_dim, 0, 0);
  for (int h = 0; h < c->n_heads; h++)
    {
      g_snprintf (name, sizeof name, "head.%s.weight", c->heads[h].name);
      add_tensor (self, name, TRUE, 2, c->heads[h].n_out, c->dense, 0);
      g_snprintf (name, sizeof name, "head.%s.bias", c->heads[h].name);
      add_tensor (self, name, FALSE, 1, c->heads[h].n_out, 0, 0);
    }
}

/* llm.c's point_parameters: the same table points into any flat block. */
void
_cochlea_model_point_params (const CochleaModel *self,
                             float              *base,
                             CochleaParamPtrs   *ptrs)
{
  int i = 0;

  memset (ptrs, 0, sizeof *ptrs);
  for (int l = 0; l < COCHLEA_MODEL_N_CONV; l++)
    {
      ptrs->conv_w[l] = base + self->info[i++].offset;
      ptrs->conv_b[l] = base + self->info[i++].offset;
    }
  ptrs->dense_w = base + self->info[i++].offset;
  ptrs->dense_b = base + self->info[i++].offset;
  ptrs->embed_w = base + self->info[i++].offset;
  ptrs->embed_b = base + self->info[i++].offset;
  for (int h = 0; h < self->config.n_heads; h++)
    {
      ptrs->head_w[h] = base + self->info[i++].offset;
      ptrs->head_b[h] = base + self->info[i++].offset;
    }
  g_assert (i == self->n_tensors);
}

/* Like _cochlea_model_alloc(), but refuses before allocating when the
 * architecture needs more than @max_params parameters: a weights file's
 * header must not make the loader allocate more than the file can fill. */
CochleaModel *
_cochlea_model_alloc_bounded (const CochleaModelConfig *config,
                              gsize                     max_params,
                              GError                  **error)
{
  g_autoptr(CochleaModel) self = g_new0 (CochleaModel, 1);

  self->ref_count = 1;
  cochlea_model_config_copy (&self->config, config);
  if (!cochlea_model_config_validate (&self->config, error))
    return NULL;

  _cochlea_model_fill_in_param_sizes (self);
  if (self->n_params > max_params)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_SHAPE,
                   "the architecture needs %" G_GSIZE_FORMAT " parameters but the file holds at most %" G_GSIZE_FORMAT " (truncated or damaged)",
                   self->n_params, max_params);
      return NULL;
    }
  self->params = _cochlea_aligned_alloc0 (self->n_params);
  self->norm_mean = _cochlea_aligned_alloc0 (config->mel.n_mels);
  self->norm_std = _cochlea_aligned_alloc0 (config->mel.n_mels);
  if (self->params == NULL || self->norm_mean == NULL || self->norm_std == NULL)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_NO_MEMORY,
                   "Not enough memory for a model of %" G_GSIZE_FORMAT " parameters", self->n_params);
      return NULL;
    }
  for (int i = 0; i < config->mel.n_mels; i++)
    self->norm_std[i] = 1.0f;
  _cochlea_model_point_params (self, self->params, &self->p);
  cochlea_nn_init ();
  return g_steal_pointer (&self);
}

CochleaModel *
_cochlea_model_alloc (const CochleaModelConfig *config,
                      GError                  **error)
{
  return _cochlea_model_alloc_bounded (config, G_MAXSIZE, error);
}

static float
gauss (guint64 *state)
{
  float u1 = cochlea_nn_rng_uniform (state), u2 = cochlea_nn_rng_uniform (state);

  return sqrtf (-2.0f * logf (1.0f - u1)) * cosf (2.0f * (float) G_PI * u2);
}

/* He-normal for weights feeding a ReLU, 1/sqrt(fan_in) for the linear
 * outputs, zero biases. */
void
_cochlea_model_init_params (CochleaModel *self,
                            guint64       seed)
{
  memset (self->params, 0, sizeof (float) * self->n_params);
  for (int i = 0; i < self->n_tensors; i++)
    {
      CochleaParamInfo *info = &self->info[i];
      guint64 state = cochlea_nn_rng_seed3 (seed, 0x1417, i);
      gsize fan_in;
      float std;

      if (!info->decay)
        continue;
      fan_in = info->size / info->shape[0];
      std = g_str_has_prefix (info->name, "conv") || g_str_has_prefix (info->name, "dense")
            ? sqrtf (2.0f / fan_in) : sqrtf (1.0f / fan_in);
      for (gsize k = 0; k < info->size; k++)
        self->params[info->offset + k] = std * gauss (&state);
    }
}

/**
 * cochlea_model_new:
 *
 * Returns: (transfer full): a freshly initialised model (input
 *   normalisation 0 dB mean, 1 dB deviation until training sets it)
 */
CochleaModel *
cochlea_model_new (const CochleaModelConfig *config,
                   guint64                   seed,
                   GError                  **error)
{
  CochleaModel *self;

  g_return_val_if_fail (config != NULL, NULL);

  if (!(self = _cochlea_model_alloc (config, error)))
    return NULL;
  _cochlea_model_init_params (self, seed);
  return self;
}

CochleaModel *
cochlea_model_ref (CochleaModel *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
cochlea_model_unref (CochleaModel *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;
  cochlea_model_config_clear (&self->config);
  _cochlea_aligned_free (self->params);
  _cochlea_aligned_free (self->norm_mean);
  _cochlea_aligned_free (self->norm_std);
  g_free (self->corpus_json);
  g_free (self->training_json);
  g_free (self);
}

const CochleaModelConfig *
cochlea_model_get_config (const CochleaModel *self)
{
  return &self->config;
}

gsize
cochlea_model_get_n_params (const CochleaModel *self)
{
  gsize n = 0;

  for (int i = 0; i < self->n_tensors; i++)
    n += self->info[i].size;
  return n;
}

const char *
cochlea_model_get_corpus_description (const CochleaModel *self)
{
  return self->corpus_json;
}

void
_cochlea_model_set_corpus (CochleaModel *self,
                           const char   *corpus_json,
                           const char   *training_json)
{
  g_free (self->corpus_json);
  g_free (self->training_json);
  self->corpus_json = g_strdup (corpus_json);
  self->training_json = g_strdup (training_json);
}

void
cochlea_model_set_description (CochleaModel *self,
                               const char   *corpus_json,
                               const char   *training_json)
{
  g_return_if_fail (self != NULL);
  _cochlea_model_set_corpus (self, corpus_json, training_json);
}

void
cochlea_model_set_norm (CochleaModel *self,
                        const float  *mean,
                        const float  *std)
{
  g_return_if_fail (self != NULL);
  memcpy (self->norm_mean, mean, sizeof (float) * self->config.mel.n_mels);
  memcpy (self->norm_std, std, sizeof (float) * self->config.mel.n_mels);
}

char *_cochlea_model_preprocessing_json (const CochleaModelConfig *config);

char *
_cochlea_model_preprocessing_json (const CochleaModelConfig *config)
{
  return preprocessing_to_json (&config->mel);
}

/* ------------------------------------------------------------------ */
/* Activations, forward, backward                                      */

typedef struct
{
  gsize xn, conv[COCHLEA_MODEL_N_CONV], pool[COCHLEA_MODEL_N_CONV - 1];
  gsize g, h, mask, hd, e_raw, e, logits, probs, total;
} ActsLayout;

static gsize
round16 (gsize n)
{
  return (n + 15) / 16 * 16;
}

static void
acts_layout (const CochleaModelConfig *c,
             ActsLayout               *l)
{
  gsize o = 0;

  l->xn = o; o += round16 ((gsize) c->mel.n_mels * c->window);
  for (int i = 0; i < COCHLEA_MODEL_N_CONV; i++)
    {
      l->conv[i] = o; o += round16 ((gsize) c->channels[i] * c->t_conv[i]);
      if (i < COCHLEA_MODEL_N_CONV - 1)
        {
          l->pool[i] = o; o += round16 ((gsize) c->channels[i] * c->t_pool[i]);
        }
    }
  l->g = o; o += round16 (3 * c->channels[COCHLEA_MODEL_N_CONV - 1]);
  l->h = o; o += round16 (c->dense);
  l->mask = o; o += round16 (c->dense);
  l->hd = o; o += round16 (c->dense);
  l->e_raw = o; o += round16 (c->embed_dim);
  l->e = o; o += round16 (c->embed_dim);
  l->logits = o; o += round16 (MAX (1, c->n_logits));
  l->probs = o; o += round16 (MAX (1, c->n_logits));
  l->total = o;
}

gsize
_cochlea_model_acts_size (const CochleaModelConfig *config)
{
  ActsLayout l;

  acts_layout (config, &l);
  return l.total;
}

void
_cochlea_model_point_acts (const CochleaModelConfig *config,
                           float                    *base,
                           CochleaActs              *a)
{
  ActsLayout l;

  acts_layout (config, &l);
  a->xn = base + l.xn;
  for (int i = 0; i < COCHLEA_MODEL_N_CONV; i++)
    {
      a->conv[i] = base + l.conv[i];
      if (i < COCHLEA_MODEL_N_CONV - 1)
        a->pool[i] = base + l.pool[i];
    }
  a->g = base + l.g;
  a->h = base + l.h;
  a->mask = base + l.mask;
  a->hd = base + l.hd;
  a->e_raw = base + l.e_raw;
  a->e = base + l.e;
  a->logits = base + l.logits;
  a->probs = base + l.probs;
}

gsize
_cochlea_model_col_size (const CochleaModelConfig *c)
{
  gsize n = 0;
  int c_in = c->mel.n_mels;

  for (int l = 0; l < COCHLEA_MODEL_N_CONV; l++)
    {
      n = MAX (n, (gsize) c_in * c->kernel * c->t_conv[l]);
      c_in = c->channels[l];
    }
  return round16 (n);
}

void
_cochlea_model_head_probs (const CochleaModelConfig *config,
                           const float              *logits,
                           float                    *probs)
{
  for (int h = 0; h < config->n_heads; h++)
    {
      const CochleaHeadSpec *head = &config->heads[h];

      if (head->kind == COCHLEA_HEAD_SOFTMAX)
        cochlea_softmax_xent_forward (probs + head->offset, logits + head->offset, head->n_out, -1);
      else
        cochlea_sigmoid_bce_forward (probs + head->offset, logits + head->offset, NULL, head->n_out);
    }
}

void
_cochlea_model_forward (const CochleaModel     *self,
                        const CochleaParamPtrs *p,
                        const float            *frames,
                        CochleaActs            *a,
                        float                  *col,
                        gboolean                train,
                        guint64                 dropout_seed)
{
  const CochleaModelConfig *c = &self->config;
  const float *x = a->xn;
  int c_in = c->mel.n_mels, t_in = c->window;
  int c4 = c->channels[COCHLEA_MODEL_N_CONV - 1];

  cochlea_normalize_forward (a->xn, frames, c->mel.n_mels, self->norm_mean, self->norm_std,
                             c->mel.n_mels, c->window);
  for (int l = 0; l < COCHLEA_MODEL_N_CONV; l++)
    {
      cochlea_conv1d_forward (a->conv[l], col, x, p->conv_w[l], p->conv_b[l],
                              c_in, t_in, c->channels[l], c->kernel);
      cochlea_relu_forward (a->conv[l], (int64_t) c->channels[l] * c->t_conv[l]);
      c_in = c->channels[l];
      if (l < COCHLEA_MODEL_N_CONV - 1)
        {
          cochlea_maxpool1d_forward (a->pool[l], a->conv[l], c_in, c->t_conv[l], c->pools[l]);
          x = a->pool[l];
          t_in = c->t_pool[l];
        }
    }
  cochlea_global_pool_forward (a->g, a->conv[COCHLEA_MODEL_N_CONV - 1], c4, c->t_conv[COCHLEA_MODEL_N_CONV - 1]);
  cochlea_dense_forward (a->h, a->g, p->dense_w, p->dense_b, 3 * c4, c->dense);
  cochlea_relu_forward (a->h, c->dense);
  if (train && c->dropout > 0.0f)
    {
      cochlea_dropout_fill_mask (a->mask, c->dense, c->dropout, dropout_seed);
      cochlea_dropout_forward (a->hd, a->h, a->mask, c->dense);
    }
  else
    memcpy (a->hd, a->h, sizeof (float) * c->dense);
  cochlea_dense_forward (a->e_raw, a->hd, p->embed_w, p->embed_b, c->dense, c->embed_dim);
  cochlea_l2norm_forward (a->e, a->e_raw, c->embed_dim);
  for (int h = 0; h < c->n_heads; h++)
    cochlea_dense_forward (a->logits + c->heads[h].offset, a->hd, p->head_w[h], p->head_b[h],
                           c->dense, c->heads[h].n_out);
  _cochlea_model_head_probs (c, a->logits, a->probs);
}

void
_cochlea_model_backward (const CochleaModel     *self,
                         const CochleaParamPtrs *p,
                         const CochleaActs      *a,
                         CochleaActs            *d,
                         CochleaParamPtrs       *g,
                         float                  *col)
{
  const CochleaModelConfig *c = &self->config;
  int L = COCHLEA_MODEL_N_CONV;
  int c4 = c->channels[L - 1];

  /* heads and embedding → d->hd (accumulated in d->h as scratch) */
  cochlea_l2norm_backward (d->e_raw, d->e, a->e_raw, a->e, c->embed_dim);
  cochlea_dense_backward (d->hd, g->embed_w, g->embed_b, d->e_raw, a->hd, p->embed_w,
                          c->dense, c->embed_dim);
  for (int h = 0; h < c->n_heads; h++)
    {
      cochlea_dense_backward (d->h, g->head_w[h], g->head_b[h], d->logits + c->heads[h].offset,
                              a->hd, p->head_w[h], c->dense, c->heads[h].n_out);
      for (int i = 0; i < c->dense; i++)
        d->hd[i] += d->h[i];
    }
  if (c->dropout > 0.0f)
    cochlea_dropout_backward (d->h, d->hd, a->mask, c->dense);
  else
    memcpy (d->h, d->hd, sizeof (float) * c->dense);
  cochlea_relu_backward (d->h, a->h, c->dense);
  cochlea_dense_backward (d->g, g->dense_w, g->dense_b, d->h, a->g, p->dense_w, 3 * c4, c->dense);
  cochlea_global_pool_backward (d->conv[L - 1], d->g, a->conv[L - 1], a->g, c4, c->t_conv[L - 1]);

  for (int l = L - 1; l >= 0; l--)
    {
      int c_in = l == 0 ? c->mel.n_mels : c->channels[l - 1];
      int t_in = l == 0 ? c->window : c->t_pool[l - 1];
      const float *x = l == 0 ? a->xn : a->pool[l - 1];

      cochlea_relu_backward (d->conv[l], a->conv[l], (int64_t) c->channels[l] * c->t_conv[l]);
      cochlea_conv1d_backward (l == 0 ? NULL : d->pool[l - 1], g->conv_w[l], g->conv_b[l], col,
                               d->conv[l], x, p->conv_w[l], c_in, t_in, c->channels[l], c->kernel);
      if (l > 0)
        cochlea_maxpool1d_backward (d->conv[l - 1], d->pool[l - 1], a->conv[l - 1],
                                    c->channels[l - 1], c->t_conv[l - 1], c->pools[l - 1]);
    }
}

/* ------------------------------------------------------------------ */
/* Inference                                                           */

struct _CochleaNnContext
{
  CochleaModel *model;   /* owned ref */
  float        *block;   /* owned: activations + scratch */
  CochleaActs   acts;
  float        *col;
};

/**
 * cochlea_nn_context_new:
 *
 * Returns: (transfer full): a workspace for running @model on one thread
 */
CochleaNnContext *
cochlea_nn_context_new (CochleaModel *model)
{
  CochleaNnContext *self;
  gsize n_acts, n_col;

  g_return_val_if_fail (model != NULL, NULL);

  n_acts = _cochlea_model_acts_size (&model->config);
  n_col = _cochlea_model_col_size (&model->config);
  self = g_new0 (CochleaNnContext, 1);
  self->model = cochlea_model_ref (model);
  self->block = _cochlea_aligned_alloc0 (n_acts + n_col);
  g_assert (self->block != NULL);
  _cochlea_model_point_acts (&model->config, self->block, &self->acts);
  self->col = self->block + n_acts;
  return self;
}

void
cochlea_nn_context_free (CochleaNnContext *self)
{
  if (self == NULL)
    return;
  cochlea_model_unref (self->model);
  _cochlea_aligned_free (self->block);
  g_free (self);
}

void
cochlea_nn_context_forward (CochleaNnContext *self,
                            const float      *frames)
{
  _cochlea_model_forward (self->model, &self->model->p, frames, &self->acts, self->col, FALSE, 0);
}

const float *
cochlea_nn_context_get_embedding (CochleaNnContext *self)
{
  return self->acts.e;
}

const float *
cochlea_nn_context_get_probs (CochleaNnContext *self)
{
  return self->acts.probs;
}

int
cochlea_nn_context_get_n_layers (CochleaNnContext *self)
{
  return N_LAYERS;
}

void
cochlea_nn_context_get_layer (CochleaNnContext     *self,
                              int                   index,
                              CochleaActivationMap *map)
{
  const CochleaModelConfig *c = &self->model->config;
  int step = 1;

  g_return_if_fail (index >= 0 && index < N_LAYERS);

  map->name = layer_names[index];
  map->n_times = 1;
  map->frames_per_step = 0;
  if (index == 0)
    {
      map->n_channels = c->mel.n_mels;
      map->n_times = c->window;
      map->frames_per_step = 1;
      map->data = self->acts.xn;
      return;
    }
  if (index <= 7)
    {
      int l = (index - 1) / 2;   /* conv index */
      gboolean pooled = (index - 1) % 2 == 1;

      for (int k = 0; k < l; k++)
        step *= c->pools[k];
      map->n_channels = c->channels[l];
      if (pooled)
        {
          map->n_times = c->t_pool[l];
          map->frames_per_step = step * c->pools[l];
          map->data = self->acts.pool[l];
        }
      else
        {
          map->n_times = c->t_conv[l];
          map->frames_per_step = step;
          map->data = self->acts.conv[l];
        }
      return;
    }
  switch (index)
    {
    case 8:
      map->n_channels = 3 * c->channels[COCHLEA_MODEL_N_CONV - 1];
      map->data = self->acts.g;
      break;
    case 9:
      map->n_channels = c->dense;
      map->data = self->acts.h;
      break;
    default:
      map->n_channels = c->embed_dim;
      map->data = self->acts.e;
      break;
    }
}

void
cochlea_nn_context_get_layer_tensor (CochleaNnContext *self,
                                     int               index,
                                     CochleaTensor    *tensor)
{
  CochleaActivationMap map;

  cochlea_nn_context_get_layer (self, index, &map);
  cochlea_tensor_init_borrowed (tensor, (float *) map.data, 1, map.n_channels, 1, map.n_times);
}

void
cochlea_nn_result_free (CochleaNnResult *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->model, cochlea_model_unref);
  g_free (self->embedding);
  g_free (self->probs);
  g_free (self);
}

struct _CochleaNnRunner
{
  CochleaNnContext *ctx;        /* owned */
  int               n_mels;
  int               window;
  int               hop;
  float            *frames;     /* (2·window, n_mels) time-major, owned */
  int               n_buffered;
  gint64            n_seen;
  gint64            last_end;   /* frame index after the last window run, -1 if none */
  double           *sum_embed;  /* (embed_dim) */
  double           *sum_probs;  /* (n_logits) */
  int               n_windows;
};

CochleaNnRunner *
cochlea_nn_runner_new (CochleaModel *model)
{
  CochleaNnRunner *self;

  g_return_val_if_fail (model != NULL, NULL);

  self = g_new0 (CochleaNnRunner, 1);
  self->ctx = cochlea_nn_context_new (model);
  self->n_mels = model->config.mel.n_mels;
  self->window = model->config.window;
  self->hop = model->config.hop;
  self->frames = g_new0 (float, (gsize) 2 * self->window * self->n_mels);
  self->sum_embed = g_new0 (double, model->config.embed_dim);
  self->sum_probs = g_new0 (double, MAX (1, model->config.n_logits));
  self->last_end = -1;
  return self;
}

void
cochlea_nn_runner_free (CochleaNnRunner *self)
{
  if (self == NULL)
    return;
  cochlea_nn_context_free (self->ctx);
  g_free (self->frames);
  g_free (self->sum_embed);
  g_free (self->sum_probs);
  g_free (self);
}

CochleaNnContext *
cochlea_nn_runner_get_context (CochleaNnRunner *self)
{
  return self->ctx;
}

static void
run_window (CochleaNnRunner *self,
            const float     *frames)
{
  const CochleaModelConfig *c = &self->ctx->model->config;

  cochlea_nn_context_forward (self->ctx, frames);
  for (int i = 0; i < c->embed_dim; i++)
    self->sum_embed[i] += self->ctx->acts.e[i];
  for (int i = 0; i < c->n_logits; i++)
    self->sum_probs[i] += self->ctx->acts.probs[i];
  self->n_windows++;
}

/**
 * cochlea_nn_runner_push:
 * @mel_db: one frame of n_mels dB values
 *
 * Returns: %TRUE when this frame completed a window that was just run
 */
gboolean
cochlea_nn_runner_push (CochleaNnRunner *self,
                        const float     *mel_db)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->n_buffered == 2 * self->window)
    {
      memmove (self->frames, self->frames + (gsize) self->window * self->n_mels,
               sizeof (float) * self->window * self->n_mels);
      self->n_buffered = self->window;
    }
  memcpy (self->frames + (gsize) self->n_buffered * self->n_mels, mel_db, sizeof (float) * self->n_mels);
  self->n_buffered++;
  self->n_seen++;

  if (self->n_seen >= self->window && (self->n_seen - self->window) % self->hop == 0)
    {
      run_window (self, self->frames + (gsize) (self->n_buffered - self->window) * self->n_mels);
      self->last_end = self->n_seen;
      return TRUE;
    }
  return FALSE;
}

/**
 * cochlea_nn_runner_finish:
 *
 * Returns: (transfer full): the song's pooled outputs, or %NULL when no
 *   frame was pushed
 */
CochleaNnResult *
cochlea_nn_runner_finish (CochleaNnRunner *self)
{
  CochleaModel *model = self->ctx->model;
  const CochleaModelConfig *c = &model->config;
  CochleaNnResult *result;
  double norm = 0.0;

  if (self->n_seen == 0)
    return NULL;

  if (self->n_seen < self->window)
    {
      /* pad with each band's training mean (0 after normalisation) */
      for (int t = self->n_buffered; t < self->window; t++)
        memcpy (self->frames + (gsize) t * self->n_mels, model->norm_mean, sizeof (float) * self->n_mels);
      run_window (self, self->frames);
    }
  else if (self->last_end != self->n_seen)
    run_window (self, self->frames + (gsize) (self->n_buffered - self->window) * self->n_mels);

  result = g_new0 (CochleaNnResult, 1);
  result->model = cochlea_model_ref (model);
  result->n_windows = self->n_windows;
  result->embed_dim = c->embed_dim;
  result->embedding = g_new0 (float, c->embed_dim);
  result->n_logits = c->n_logits;
  result->probs = g_new0 (float, MAX (1, c->n_logits));
  for (int i = 0; i < c->embed_dim; i++)
    norm += self->sum_embed[i] * self->sum_embed[i];
  norm = sqrt (norm) + 1e-12;
  for (int i = 0; i < c->embed_dim; i++)
    result->embedding[i] = (float) (self->sum_embed[i] / norm);
  for (int i = 0; i < c->n_logits; i++)
    result->probs[i] = (float) (self->sum_probs[i] / self->n_windows);

  /* ready for another song */
  memset (self->sum_embed, 0, sizeof (double) * c->embed_dim);
  memset (self->sum_probs, 0, sizeof (double) * MAX (1, c->n_logits));
  self->n_windows = 0;
  self->n_seen = 0;
  self->n_buffered = 0;
  self->last_end = -1;
  return result;
}

CochleaNnResult *
cochlea_nn_run_frames (CochleaModel *model,
                       const float  *frames,
                       gsize         n_frames)
{
  g_autoptr(CochleaNnRunner) runner = cochlea_nn_runner_new (model);

  for (gsize t = 0; t < n_frames; t++)
    cochlea_nn_runner_push (runner, frames + t * model->config.mel.n_mels);
  return cochlea_nn_runner_finish (runner);
}

char *
cochlea_model_find_default_path (void)
{
  const char *env = g_getenv ("COCHLEA_MODEL");
  g_autofree char *installed = g_build_filename (PKGDATADIR, "models", "cochlea.safetensors", NULL);
  g_autofree char *source = g_build_filename (COCHLEA_SOURCE_DATADIR, "models", "cochlea.safetensors", NULL);

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);
  if (g_file_test (source, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&source);
  return NULL;
}

/**
 * cochlea_model_get_default:
 *
 * Loads cochlea_model_find_default_path() the first time.
 */
CochleaModel *
cochlea_model_get_default (void)
{
  static GMutex lock;
  static gboolean tried = FALSE;
  static CochleaModel *model = NULL;
  CochleaModel *result;

  g_mutex_lock (&lock);
  if (!tried)
    {
      g_autofree char *path = cochlea_model_find_default_path ();
      g_autoptr(GError) error = NULL;

      tried = TRUE;
      if (path == NULL)
        g_message ("No network model found (set COCHLEA_MODEL to a .safetensors file); "
                   "the embedding and the network's outputs are left out");
      else if (!(model = cochlea_model_load (path, &error)))
        g_message ("%s; the embedding and the network's outputs are left out", error->message);
      else
        {
          CochleaMelParams defaults;

          cochlea_mel_params_init_default (&defaults);
          if (memcmp (&defaults, &model->config.mel, sizeof defaults) != 0)
            {
              g_message ("The model %s expects another log-mel front end than the analysis computes; "
                         "the embedding and the network's outputs are left out", path);
              g_clear_pointer (&model, cochlea_model_unref);
            }
        }
    }
  result = model != NULL ? cochlea_model_ref (model) : NULL;
  g_mutex_unlock (&lock);
  return result;
}

void
cochlea_nn_result_to_json (const CochleaNnResult *self,
                           JsonBuilder           *builder)
{
  const CochleaModelConfig *c = &self->model->config;

  json_builder_set_member_name (builder, "embedding");
  json_builder_begin_array (builder);
  for (int i = 0; i < self->embed_dim; i++)
    json_builder_add_double_value (builder, isfinite (self->embedding[i]) ? self->embedding[i] : 0.0);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "heads");
  json_builder_begin_object (builder);
  for (int h = 0; h < c->n_heads; h++)
    {
      const CochleaHeadSpec *head = &c->heads[h];

      json_builder_set_member_name (builder, head->name);
      json_builder_begin_object (builder);
      for (int k = 0; k < head->n_out; k++)
        {
          /* 4 decimals: probabilities, not bit patterns */
          double p = self->probs[head->offset + k];
          json_builder_set_member_name (builder, head->labels[k]);
          json_builder_add_double_value (builder, isfinite (p) ? round (p * 1e4) / 1e4 : 0.0);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}
