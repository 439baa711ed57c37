/* fuzz-model.c — the weights loader (safetensors + Cochlea metadata) on
 * arbitrary bytes, then one forward pass through whatever it accepted.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "nn/cochlea-model.h"
#include "cochlea-error.h"
#include "fuzz-common.h"

const char *fuzz_target_name = "model";

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  CochleaModel *model;
  volatile float sum = 0.0f;

  model = cochlea_model_load_from_bytes (bytes, "fuzz.safetensors", &error);
  if (model == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == COCHLEA_ENGINE_ERROR);
      g_assert_nonnull (strstr (error->message, "fuzz.safetensors"));
      return 0;
    }
  g_assert_no_error (error);

  /* Anything accepted must be runnable.  Only small networks, so the
   * fuzzer spends its time on the parser rather than in convolutions. */
  if (cochlea_model_get_n_params (model) < 200000)
    {
      const CochleaModelConfig *c = cochlea_model_get_config (model);
      CochleaNnContext *ctx = cochlea_nn_context_new (model);
      g_autofree float *window = g_new0 (float, (gsize) c->window * c->mel.n_mels);

      for (gsize i = 0; i < (gsize) c->window * c->mel.n_mels; i++)
        window[i] = -40.0f + (float) (i % 13);
      cochlea_nn_context_forward (ctx, window);
      /* read every output, so a short buffer shows under ASan/valgrind */
      for (int i = 0; i < c->embed_dim; i++)
        sum += cochlea_nn_context_get_embedding (ctx)[i];
      for (int i = 0; i < c->n_logits; i++)
        sum += cochlea_nn_context_get_probs (ctx)[i];
      cochlea_nn_context_free (ctx);
    }
  cochlea_model_unref (model);
  (void) sum;
  return 0;
}
