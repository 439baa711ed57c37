/* fuzz-labels.c — a corpus song's label JSON (docs/corpus.md) mapped to
 * training targets by cochlea_corpus_labels_to_targets().
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The heads come from the model being trained, and `cochlea-cli train
 * --evaluate MODEL` takes them from a weights file, so they are input
 * too.  The first byte picks them: 0 the corpus heads, otherwise the
 * corpus heads' names each with 1–3 labels (a valid architecture that
 * cochlea_model_config_validate() accepts).  The rest is the JSON.
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "nn/cochlea-model.h"
#include "nn/cochlea-train-data.h"
#include "fuzz-common.h"

const char *fuzz_target_name = "labels";

static const char * const names[] = {
  "instruments", "voice", "speech", "acoustic", "live", "tempo", "key",
};
static const char * const labels3[] = { "a", "b", "c", NULL };

static void
make_config (CochleaModelConfig *config,
             guint8              selector)
{
  cochlea_model_config_init_default (config);
  if (selector == 0)
    cochlea_model_config_add_corpus_heads (config);
  else
    for (guint h = 0; h < G_N_ELEMENTS (names); h++)
      {
        /* 1, 2 or 3 labels; a softmax needs two */
        int n = 1 + (selector >> h) % 3;
        CochleaHeadKind kind = (selector >> h) & 1 ? COCHLEA_HEAD_SOFTMAX : COCHLEA_HEAD_SIGMOID;

        if (kind == COCHLEA_HEAD_SOFTMAX && n < 2)
          n = 2;
        cochlea_model_config_add_head (config, names[h], kind,
                                       labels3 + (3 - n));
      }
  g_assert_true (cochlea_model_config_validate (config, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree float *targets = NULL;
  CochleaModelConfig config;
  JsonNode *root;
  guint32 known = 0;

  if (size < 1)
    return 0;
  if (!json_parser_load_from_data (parser, (const char *) data + 1, (gssize) size - 1, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  make_config (&config, data[0]);
  /* exactly n_logits floats, as load_song() allocates them */
  targets = g_new0 (float, MAX (1, config.n_logits));
  cochlea_corpus_labels_to_targets (&config, json_node_get_object (root), targets, &known);
  for (int i = 0; i < config.n_logits; i++)
    g_assert_true (targets[i] == 0.0f || targets[i] == 1.0f);
  g_assert_cmpuint (known >> config.n_heads, ==, 0);
  cochlea_model_config_clear (&config);
  return 0;
}
