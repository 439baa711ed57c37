/* cochlea-model-io.c — the weights file, in the safetensors layout.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   u64 little-endian  N, the header length in bytes
 *   N bytes            a JSON object: for each tensor
 *                        "name": {"dtype": "F32", "shape": [...],
 *                                 "data_offsets": [begin, end]}
 *                      (offsets relative to the first data byte), and
 *                        "__metadata__": {string: string}
 *                      padded with spaces so the data starts 64-byte aligned
 *   data               little-endian float32, C order
 *
 * The metadata holds "format" = "cochlea-cnn", "format_version",
 * "architecture" and "preprocessing" (JSON texts, enough to rebuild the
 * network: docs/model.md), "labels", "corpus" and "training".  Checkpoints
 * add the optimiser's moments as "optim.m"/"optim.v" and "train_state".
 *
 * Everything read from the file is checked before use: header length,
 * JSON syntax, dtype, shape, every data_offsets pair against the file
 * size, the architecture's sizes, and that each expected tensor is present
 * with the expected shape.
 */
#define G_LOG_DOMAIN "cochlea-nn"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cochlea-error.h"
#include "cochlea-model-io-private.h"

#define MAX_HEADER_BYTES (16 * 1024 * 1024)

char *_cochlea_model_preprocessing_json (const CochleaModelConfig *config);

static void
append_tensor_header (GString       *h,
                      const char    *name,
                      int            ndim,
                      const int64_t *shape,
                      gsize          begin,
                      gsize          end)
{
  g_string_append_printf (h, ",\"%s\":{\"dtype\":\"F32\",\"shape\":[", name);
  for (int i = 0; i < ndim; i++)
    g_string_append_printf (h, "%s%" G_GINT64_FORMAT, i ? "," : "", shape[i]);
  g_string_append_printf (h, "],\"data_offsets\":[%" G_GSIZE_FORMAT ",%" G_GSIZE_FORMAT "]}", begin, end);
}

static char *
labels_json (const CochleaModelConfig *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  for (int h = 0; h < c->n_heads; h++)
    {
      json_builder_set_member_name (b, c->heads[h].name);
      json_builder_begin_array (b);
      for (int i = 0; i < c->heads[h].n_out; i++)
        json_builder_add_string_value (b, c->heads[h].labels[i]);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
append_meta (GString    *h,
             const char *key,
             const char *value,
             gboolean    first)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *quoted = NULL;

  json_node_set_string (node, value);
  quoted = json_to_string (node, FALSE);
  g_string_append_printf (h, "%s\"%s\":%s", first ? "" : ",", key, quoted);
}

gboolean
_cochlea_model_save_full (const CochleaModel       *self,
                          const char               *path,
                          const CochleaExtraTensor *extra,
                          int                       n_extra,
                          const char               *train_state_json,
                          GError                  **error)
{
  const CochleaModelConfig *c = &self->config;
  g_autoptr(GString) h = g_string_new ("{\"__metadata__\":{");
  g_autofree char *arch = cochlea_model_config_to_json (c);
  g_autofree char *pre = _cochlea_model_preprocessing_json (c);
  g_autofree char *labels = labels_json (c);
  g_autofree char *contents = NULL;
  g_autofree char *version = g_strdup_printf ("%d", COCHLEA_MODEL_FORMAT_VERSION);
  gsize off = 0, header_len, total;
  int64_t n_mels = c->mel.n_mels;
  char *p;

  append_meta (h, "format", COCHLEA_MODEL_FORMAT, TRUE);
  append_meta (h, "format_version", version, FALSE);
  append_meta (h, "architecture", arch, FALSE);
  append_meta (h, "preprocessing", pre, FALSE);
  append_meta (h, "labels", labels, FALSE);
  append_meta (h, "corpus", self->corpus_json ? self->corpus_json : "{}", FALSE);
  append_meta (h, "training", self->training_json ? self->training_json : "{}", FALSE);
  if (train_state_json != NULL)
    append_meta (h, "train_state", train_state_json, FALSE);
  g_string_append_c (h, '}');

  append_tensor_header (h, "norm.mean", 1, &n_mels, off, off + n_mels * 4);
  off += n_mels * 4;
  append_tensor_header (h, "norm.std", 1, &n_mels, off, off + n_mels * 4);
  off += n_mels * 4;
  for (int i = 0; i < self->n_tensors; i++)
    {
      append_tensor_header (h, self->info[i].name, self->info[i].ndim, self->info[i].shape,
                            off, off + self->info[i].size * 4);
      off += self->info[i].size * 4;
    }
  for (int i = 0; i < n_extra; i++)
    {
      int64_t n = extra[i].n;
      append_tensor_header (h, extra[i].name, 1, &n, off, off + extra[i].n * 4);
      off += extra[i].n * 4;
    }
  g_string_append_c (h, '}');
  while ((8 + h->len) % 64 != 0)
    g_string_append_c (h, ' ');

  header_len = h->len;
  total = 8 + header_len + off;
  contents = g_malloc (total);
  p = contents;
  for (int i = 0; i < 8; i++)
    *p++ = (char) ((guint64) header_len >> (8 * i));
  memcpy (p, h->str, header_len);
  p += header_len;

#define PUT(src, n) G_STMT_START { \
    for (gsize _k = 0; _k < (gsize) (n); _k++) { \
      guint32 _u; memcpy (&_u, &(src)[_k], 4); _u = GUINT32_TO_LE (_u); memcpy (p, &_u, 4); p += 4; } \
  } G_STMT_END
  PUT (self->norm_mean, n_mels);
  PUT (self->norm_std, n_mels);
  for (int i = 0; i < self->n_tensors; i++)
    PUT (self->params + self->info[i].offset, self->info[i].size);
  for (int i = 0; i < n_extra; i++)
    PUT (extra[i].data, extra[i].n);
#undef PUT
  g_assert ((gsize) (p - contents) == total);

  /* temp file + rename: never a half-written model */
  if (!g_file_set_contents_full (path, contents, total, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    {
      g_prefix_error (error, "Could not write model “%s”: ", path);
      return FALSE;
    }
  return TRUE;
}

/**
 * cochlea_model_save:
 *
 * Writes the weights file (atomically: a temporary file renamed over
 * @path).
 */
gboolean
cochlea_model_save (const CochleaModel *self,
                    const char         *path,
                    GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return _cochlea_model_save_full (self, path, NULL, 0, NULL, error);
}

typedef struct
{
  gsize   begin;
  gsize   end;
  int     ndim;
  int64_t shape[4];
} TensorEntry;

static gboolean
parse_entry (JsonObject  *header,
             const char  *name,
             gsize        data_size,
             TensorEntry *e,
             GError     **error)
{
  JsonNode *node = json_object_get_member (header, name);
  JsonObject *o;
  JsonNode *dtype, *shape, *offsets;
  JsonArray *sa, *oa;
  guint64 n = 1;
  gint64 b, en;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "tensor “%s”: entry is not an object", name);
      return FALSE;
    }
  o = json_node_get_object (node);
  dtype = json_object_get_member (o, "dtype");
  shape = json_object_get_member (o, "shape");
  offsets = json_object_get_member (o, "data_offsets");
  if (dtype == NULL || json_node_get_value_type (dtype) != G_TYPE_STRING)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "tensor “%s”: no dtype", name);
      return FALSE;
    }
  if (strcmp (json_node_get_string (dtype), "F32") != 0)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_SHAPE,
                   "tensor “%s”: dtype %s is not supported (only F32)", name,
                   json_node_get_string (dtype));
      return FALSE;
    }
  if (shape == NULL || !JSON_NODE_HOLDS_ARRAY (shape) ||
      json_array_get_length ((sa = json_node_get_array (shape))) > 4)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "tensor “%s”: shape must be an array of at most 4 sizes", name);
      return FALSE;
    }
  e->ndim = json_array_get_length (sa);
  for (int i = 0; i < e->ndim; i++)
    {
      JsonNode *d = json_array_get_element (sa, i);
      if (json_node_get_value_type (d) != G_TYPE_INT64 || json_node_get_int (d) < 0 ||
          json_node_get_int (d) > G_MAXINT32)
        {
          g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                       "tensor “%s”: shape has a bad size", name);
          return FALSE;
        }
      e->shape[i] = json_node_get_int (d);
      n *= (guint64) e->shape[i];
      if (n > G_MAXUINT32)
        {
          g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                       "tensor “%s”: shape is too large", name);
          return FALSE;
        }
    }
  if (offsets == NULL || !JSON_NODE_HOLDS_ARRAY (offsets) ||
      json_array_get_length ((oa = json_node_get_array (offsets))) != 2 ||
      json_node_get_value_type (json_array_get_element (oa, 0)) != G_TYPE_INT64 ||
      json_node_get_value_type (json_array_get_element (oa, 1)) != G_TYPE_INT64)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "tensor “%s”: data_offsets must be two integers", name);
      return FALSE;
    }
  b = json_array_get_int_element (oa, 0);
  en = json_array_get_int_element (oa, 1);
  if (b < 0 || en < b || (guint64) en > data_size)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "tensor “%s”: data_offsets [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "] lie outside the "
                   "%" G_GSIZE_FORMAT " bytes of data (truncated or corrupt file)",
                   name, b, en, data_size);
      return FALSE;
    }
  if ((guint64) (en - b) != n * 4)
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "tensor “%s”: %" G_GINT64_FORMAT " bytes of data for %" G_GUINT64_FORMAT " floats",
                   name, en - b, n);
      return FALSE;
    }
  e->begin = b;
  e->end = en;
  return TRUE;
}

static gboolean
check_shape (const char    *name,
             const TensorEntry *e,
             int            ndim,
             const int64_t *shape,
             GError       **error)
{
  gboolean ok = e->ndim == ndim;

  for (int i = 0; ok && i < ndim; i++)
    ok = e->shape[i] == shape[i];
  if (!ok)
    {
      g_autoptr(GString) want = g_string_new ("[");
      g_autoptr(GString) got = g_string_new ("[");

      for (int i = 0; i < ndim; i++)
        g_string_append_printf (want, "%s%" G_GINT64_FORMAT, i ? ", " : "", shape[i]);
      for (int i = 0; i < e->ndim; i++)
        g_string_append_printf (got, "%s%" G_GINT64_FORMAT, i ? ", " : "", e->shape[i]);
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_SHAPE,
                   "tensor “%s” has shape %s] but the architecture needs %s]",
                   name, got->str, want->str);
      return FALSE;
    }
  return TRUE;
}

static void
copy_le (float       *dest,
         const char  *src,
         gsize        n)
{
  for (gsize i = 0; i < n; i++)
    {
      guint32 u;
      memcpy (&u, src + 4 * i, 4);
      u = GUINT32_FROM_LE (u);
      memcpy (&dest[i], &u, 4);
    }
}

CochleaModel *
_cochlea_model_load_full (GBytes              *bytes,
                          const char          *display_name,
                          CochleaExtraTensor  *extra,
                          int                  n_extra,
                          char               **train_state_json,
                          GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CochleaModel) model = NULL;
  g_autoptr(GError) local = NULL;
  CochleaModelConfig config;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *payload;
  guint64 header_len = 0;
  JsonNode *root, *meta_node;
  JsonObject *header, *meta;
  const char *format, *version;
  g_autoptr(GList) members = NULL;
  TensorEntry e;
  int64_t n_mels;

#define FAIL(code, ...) G_STMT_START { \
    g_set_error (error, COCHLEA_ENGINE_ERROR, code, __VA_ARGS__); \
    goto fail; } G_STMT_END

  if (size < 8)
    FAIL (COCHLEA_ENGINE_ERROR_INVALID_FILE, "only %" G_GSIZE_FORMAT " bytes long: not a weights file", size);
  for (int i = 0; i < 8; i++)
    header_len |= (guint64) (guint8) data[i] << (8 * i);
  if (header_len < 2 || header_len > MAX_HEADER_BYTES)
    FAIL (COCHLEA_ENGINE_ERROR_INVALID_FILE, "header length %" G_GUINT64_FORMAT " is implausible: not a weights file", header_len);
  if (header_len > size - 8)
    FAIL (COCHLEA_ENGINE_ERROR_INVALID_FILE, "the header needs %" G_GUINT64_FORMAT " bytes but the file has %" G_GSIZE_FORMAT " (truncated)",
          header_len, size - 8);
  if (data[8] != '{')
    FAIL (COCHLEA_ENGINE_ERROR_INVALID_FILE, "the header is not a JSON object: not a weights file");
  if (!json_parser_load_from_data (parser, data + 8, (gssize) header_len, &local))
    FAIL (COCHLEA_ENGINE_ERROR_INVALID_FILE, "the header is not valid JSON: %s", local->message);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    FAIL (COCHLEA_ENGINE_ERROR_INVALID_FILE, "the header is not a JSON object");
  header = json_node_get_object (root);
  payload = data + 8 + header_len;
  size = size - 8 - header_len;

  meta_node = json_object_get_member (header, "__metadata__");
  if (meta_node == NULL || !JSON_NODE_HOLDS_OBJECT (meta_node))
    FAIL (COCHLEA_ENGINE_ERROR_INVALID_FILE, "no __metadata__: a safetensors file, but not a Cochlea model");
  meta = json_node_get_object (meta_node);
  format = json_object_get_string_member_with_default (meta, "format", NULL);
  version = json_object_get_string_member_with_default (meta, "format_version", NULL);
  if (g_strcmp0 (format, COCHLEA_MODEL_FORMAT) != 0)
    FAIL (COCHLEA_ENGINE_ERROR_INVALID_FILE, "metadata format is “%s”, not “%s”",
          format ? format : "(none)", COCHLEA_MODEL_FORMAT);
  if (version == NULL || g_ascii_strtoll (version, NULL, 10) < 1)
    FAIL (COCHLEA_ENGINE_ERROR_INVALID_FILE, "metadata has no valid format_version");
  if (g_ascii_strtoll (version, NULL, 10) > COCHLEA_MODEL_FORMAT_VERSION)
    FAIL (COCHLEA_ENGINE_ERROR_VERSION, "format version %s is newer than this program reads (%d)",
          version, COCHLEA_MODEL_FORMAT_VERSION);

  if (!cochlea_model_config_from_json (&config,
                                       json_object_get_string_member_with_default (meta, "architecture", NULL),
                                       json_object_get_string_member_with_default (meta, "preprocessing", NULL),
                                       error))
    goto fail;
  /* The parameter block pads each tensor for alignment, so it can be a
   * little larger than the data; it can never be many times larger. */
  model = _cochlea_model_alloc_bounded (&config, 2 * (size / sizeof (float)) + 65536, error);
  cochlea_model_config_clear (&config);
  if (model == NULL)
    goto fail;

  /* every member must be an expected tensor (or a checkpoint's extra) */
  members = json_object_get_members (header);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean known = strcmp (name, "__metadata__") == 0 ||
                       strcmp (name, "norm.mean") == 0 || strcmp (name, "norm.std") == 0 ||
                       g_str_has_prefix (name, "optim.");

      for (int i = 0; !known && i < model->n_tensors; i++)
        known = strcmp (name, model->info[i].name) == 0;
      if (!known)
        FAIL (COCHLEA_ENGINE_ERROR_SHAPE, "tensor “%s” is not part of the architecture", name);
      if (strcmp (name, "__metadata__") != 0 && !parse_entry (header, name, size, &e, error))
        goto fail;
    }

  n_mels = model->config.mel.n_mels;
  if (!json_object_has_member (header, "norm.mean") || !json_object_has_member (header, "norm.std"))
    FAIL (COCHLEA_ENGINE_ERROR_SHAPE, "tensor “norm.mean” or “norm.std” is missing");
  if (!parse_entry (header, "norm.mean", size, &e, error) || !check_shape ("norm.mean", &e, 1, &n_mels, error))
    goto fail;
  copy_le (model->norm_mean, payload + e.begin, n_mels);
  if (!parse_entry (header, "norm.std", size, &e, error) || !check_shape ("norm.std", &e, 1, &n_mels, error))
    goto fail;
  copy_le (model->norm_std, payload + e.begin, n_mels);
  for (int i = 0; i < n_mels; i++)
    if (!(model->norm_std[i] > 0.0f) || !isfinite (model->norm_std[i]) || !isfinite (model->norm_mean[i]))
      FAIL (COCHLEA_ENGINE_ERROR_INVALID_FILE, "norm.std must be positive and finite (band %d)", i);

  for (int i = 0; i < model->n_tensors; i++)
    {
      CochleaParamInfo *info = &model->info[i];

      if (!json_object_has_member (header, info->name))
        FAIL (COCHLEA_ENGINE_ERROR_SHAPE, "tensor “%s” is missing", info->name);
      if (!parse_entry (header, info->name, size, &e, error) ||
          !check_shape (info->name, &e, info->ndim, info->shape, error))
        goto fail;
      copy_le (model->params + info->offset, payload + e.begin, info->size);
    }

  for (int i = 0; i < n_extra; i++)
    {
      int64_t n = extra[i].n;

      if (!json_object_has_member (header, extra[i].name))
        FAIL (COCHLEA_ENGINE_ERROR_SHAPE, "tensor “%s” is missing (not a checkpoint?)", extra[i].name);
      if (!parse_entry (header, extra[i].name, size, &e, error) ||
          !check_shape (extra[i].name, &e, 1, &n, error))
        goto fail;
      copy_le (extra[i].data, payload + e.begin, extra[i].n);
    }

  _cochlea_model_set_corpus (model,
                             json_object_get_string_member_with_default (meta, "corpus", NULL),
                             json_object_get_string_member_with_default (meta, "training", NULL));
  if (train_state_json != NULL)
    *train_state_json = g_strdup (json_object_get_string_member_with_default (meta, "train_state", NULL));
  return g_steal_pointer (&model);

fail:
  g_prefix_error (error, "Could not load model “%s”: ", display_name);
  return NULL;
#undef FAIL
}

/**
 * cochlea_model_load_from_bytes:
 *
 * Returns: (transfer full): the model, or %NULL with an error naming
 *   @display_name and the problem
 */
CochleaModel *
cochlea_model_load_from_bytes (GBytes     *bytes,
                               const char *display_name,
                               GError    **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);

  return _cochlea_model_load_full (bytes, display_name ? display_name : "(memory)", NULL, 0, NULL, error);
}

GBytes *
_cochlea_model_map_file (const char  *path,
                         GError     **error)
{
  g_autoptr(GMappedFile) map = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *display = g_filename_display_name (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE,
                   "Could not load model “%s”: it is a directory", display);
      return NULL;
    }
  if (!(map = g_mapped_file_new (path, FALSE, &local)))
    {
      int code = g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? COCHLEA_ENGINE_ERROR_NOT_FOUND
               : g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_ACCES) ? COCHLEA_ENGINE_ERROR_PERMISSION
               : COCHLEA_ENGINE_ERROR_INVALID_FILE;
      g_set_error (error, COCHLEA_ENGINE_ERROR, code, "Could not load model “%s”: %s", display, local->message);
      return NULL;
    }
  return g_mapped_file_get_bytes (map);
}

/**
 * cochlea_model_load:
 *
 * Maps and checks a weights file; the weights are copied out, so the map
 * is released before returning.
 *
 * Returns: (transfer full): the model, or %NULL with an error naming the
 *   file and the problem
 */
CochleaModel *
cochlea_model_load (const char *path,
                    GError    **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!(bytes = _cochlea_model_map_file (path, error)))
    return NULL;
  display = g_filename_display_name (path);
  return _cochlea_model_load_full (bytes, display, NULL, 0, NULL, error);
}
