/* test-nn-io.c — the weights file: round trip, and every way a file can
 * be wrong is a clear error, never a crash.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cochlea-error.h"
#include "nn/cochlea-model-private.h"
#include "test-nn-common.h"

typedef struct
{
  char         *dir;
  char         *path;
  CochleaModel *model;
  char         *contents;   /* the saved file */
  gsize         length;
  guint64       header_len;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  CochleaModelConfig config;

  test_tiny_config (&config, 0.5f);
  f->model = cochlea_model_new (&config, 17, NULL);
  cochlea_model_config_clear (&config);
  for (int i = 0; i < 6; i++)
    {
      f->model->norm_mean[i] = -30.0f - i;
      f->model->norm_std[i] = 5.0f + i;
    }
  _cochlea_model_set_corpus (f->model, "{\"songs\":6}", "{\"epochs\":1}");
  f->dir = g_dir_make_tmp ("cochlea-nn-io-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "model.safetensors", NULL);
  g_assert_true (cochlea_model_save (f->model, f->path, NULL));
  g_assert_true (g_file_get_contents (f->path, &f->contents, &f->length, NULL));
  f->header_len = 0;
  for (int i = 0; i < 8; i++)
    f->header_len |= (guint64) (guint8) f->contents[i] << (8 * i);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->contents);
  cochlea_model_unref (f->model);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaModel) loaded = cochlea_model_load (f->path, &error);
  const CochleaModelConfig *a, *b;

  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpint ((8 + f->header_len) % 64, ==, 0);   /* data 64-byte aligned */
  a = cochlea_model_get_config (f->model);
  b = cochlea_model_get_config (loaded);
  g_assert_cmpint (a->window, ==, b->window);
  g_assert_cmpint (a->hop, ==, b->hop);
  g_assert_cmpint (a->channels[3], ==, b->channels[3]);
  g_assert_cmpint (a->n_heads, ==, b->n_heads);
  g_assert_cmpstr (b->heads[1].name, ==, "flags");
  g_assert_cmpstr (b->heads[0].labels[2], ==, "high");
  g_assert_cmpint (b->heads[0].kind, ==, COCHLEA_HEAD_SOFTMAX);
  g_assert_cmpfloat (b->dropout, ==, 0.5f);
  g_assert_cmpfloat (b->mel.amin, ==, a->mel.amin);
  g_assert_cmpint (f->model->n_params, ==, loaded->n_params);
  g_assert_cmpmem (f->model->params, f->model->n_params * 4, loaded->params, loaded->n_params * 4);
  g_assert_cmpmem (f->model->norm_std, 24, loaded->norm_std, 24);
  g_assert_cmpstr (cochlea_model_get_corpus_description (loaded), ==, "{\"songs\":6}");
}

/* Writes @contents to the fixture's path and expects a load to fail with
 * @code and a message containing the file name and @fragment. */
static void
expect_rejected (Fixture    *f,
                 const char *contents,
                 gsize       length,
                 int         code,
                 const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaModel) model = NULL;

  g_assert_true (g_file_set_contents (f->path, contents, length, NULL));
  model = cochlea_model_load (f->path, &error);
  g_assert_null (model);
  g_assert_error (error, COCHLEA_ENGINE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "model.safetensors"));
  g_assert_nonnull (strstr (error->message, fragment));
}

/* The file with its header replaced by @edit(header). */
static char *
with_header (Fixture    *f,
             const char *old_text,
             const char *new_text,
             gsize      *length)
{
  g_autofree char *header = g_strndup (f->contents + 8, f->header_len);
  g_autoptr(GString) h = NULL;
  char *out;
  char *at = strstr (header, old_text);

  g_assert_nonnull (at);
  h = g_string_new_len (header, at - header);
  g_string_append (h, new_text);
  g_string_append (h, at + strlen (old_text));
  *length = 8 + h->len + (f->length - 8 - f->header_len);
  out = g_malloc (*length);
  for (int i = 0; i < 8; i++)
    out[i] = (char) ((guint64) h->len >> (8 * i));
  memcpy (out + 8, h->str, h->len);
  memcpy (out + 8 + h->len, f->contents + 8 + f->header_len, f->length - 8 - f->header_len);
  return out;
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  expect_rejected (f, f->contents, f->length - 100, COCHLEA_ENGINE_ERROR_INVALID_FILE, "outside");
  expect_rejected (f, f->contents, 8 + f->header_len / 2, COCHLEA_ENGINE_ERROR_INVALID_FILE, "truncated");
  expect_rejected (f, f->contents, 5, COCHLEA_ENGINE_ERROR_INVALID_FILE, "not a weights file");
  expect_rejected (f, "", 0, COCHLEA_ENGINE_ERROR_INVALID_FILE, "not a weights file");
}

static void
test_oversized_offset (Fixture       *f,
                       gconstpointer  data)
{
  gsize n;
  g_autofree char *bad = with_header (f, "\"norm.std\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[24,48]}",
                                      "\"norm.std\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[99999999976,99999999999]}",
                                      &n);
  g_autofree char *huge = g_memdup2 (f->contents, f->length);

  expect_rejected (f, bad, n, COCHLEA_ENGINE_ERROR_INVALID_FILE, "outside");
  /* a header length beyond the file */
  huge[5] = 0x01;
  expect_rejected (f, huge, f->length, COCHLEA_ENGINE_ERROR_INVALID_FILE, "implausible");
}

static void
test_wrong_dtype (Fixture       *f,
                  gconstpointer  data)
{
  gsize n;
  g_autofree char *bad = with_header (f, "\"norm.std\":{\"dtype\":\"F32\"", "\"norm.std\":{\"dtype\":\"F16\"", &n);

  expect_rejected (f, bad, n, COCHLEA_ENGINE_ERROR_SHAPE, "dtype F16");
}

static void
test_wrong_shape (Fixture       *f,
                  gconstpointer  data)
{
  gsize n, n_missing, n2;
  /* conv1.weight is (4, 6, 4) = 96 floats; claim (4, 4, 6): same bytes, wrong shape */
  g_autofree char *bad = with_header (f, "\"conv1.weight\":{\"dtype\":\"F32\",\"shape\":[4,6,4]",
                                      "\"conv1.weight\":{\"dtype\":\"F32\",\"shape\":[4,4,6]", &n);
  g_autofree char *missing = with_header (f, "\"embed.bias\"", "\"embed.bias_\"", &n_missing);
  g_autofree char *size_mismatch = NULL;

  expect_rejected (f, bad, n, COCHLEA_ENGINE_ERROR_SHAPE, "conv1.weight");
  expect_rejected (f, missing, n_missing, COCHLEA_ENGINE_ERROR_SHAPE, "embed.bias");
  size_mismatch = with_header (f, "\"norm.std\":{\"dtype\":\"F32\",\"shape\":[6]",
                               "\"norm.std\":{\"dtype\":\"F32\",\"shape\":[7]", &n2);
  expect_rejected (f, size_mismatch, n2, COCHLEA_ENGINE_ERROR_INVALID_FILE, "bytes of data");
}

static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *noise = g_malloc (4096);
  g_autofree char *json_garbage = NULL;
  gsize n;
  guint64 s = 5;

  for (int i = 0; i < 4096; i++)
    noise[i] = (char) (cochlea_nn_rng_uniform (&s) * 256);
  noise[0] = 100;   /* a plausible header length over noise */
  for (int i = 1; i < 8; i++)
    noise[i] = 0;
  expect_rejected (f, noise, 4096, COCHLEA_ENGINE_ERROR_INVALID_FILE, "not");
  expect_rejected (f, "\x10\0\0\0\0\0\0\0{\"a\": [1, 2,,]}", 24, COCHLEA_ENGINE_ERROR_INVALID_FILE, "JSON");
  expect_rejected (f, "\x02\0\0\0\0\0\0\0{}", 10, COCHLEA_ENGINE_ERROR_INVALID_FILE, "__metadata__");
  json_garbage = with_header (f, "\"format\":\"cochlea-cnn\"", "\"format\":\"something-else\"", &n);
  expect_rejected (f, json_garbage, n, COCHLEA_ENGINE_ERROR_INVALID_FILE, "something-else");
  g_free (json_garbage);
  json_garbage = with_header (f, "\"format_version\":\"1\"", "\"format_version\":\"9\"", &n);
  expect_rejected (f, json_garbage, n, COCHLEA_ENGINE_ERROR_VERSION, "newer");
  g_free (json_garbage);
  json_garbage = with_header (f, "\\\"window\\\":128", "\\\"window\\\":3", &n);
  expect_rejected (f, json_garbage, n, COCHLEA_ENGINE_ERROR_SHAPE, "window");
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaModel) model = cochlea_model_load ("/nonexistent/model.safetensors", &error);

  g_assert_null (model);
  g_assert_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (cochlea_model_load (g_get_tmp_dir (), &error));
  g_assert_error (error, COCHLEA_ENGINE_ERROR, COCHLEA_ENGINE_ERROR_INVALID_FILE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/nn/io/round-trip", test_round_trip);
  ADD ("/nn/io/truncated", test_truncated);
  ADD ("/nn/io/oversized-offset", test_oversized_offset);
  ADD ("/nn/io/wrong-dtype", test_wrong_dtype);
  ADD ("/nn/io/wrong-shape", test_wrong_shape);
  ADD ("/nn/io/garbage", test_garbage);
#undef ADD
  g_test_add_func ("/nn/io/missing", test_missing_file);
  return g_test_run ();
}
