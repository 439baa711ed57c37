/* fuzz-model-io.c — libFuzzer target for the weights-file parser.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built by tests/fuzz/build.sh (clang, -fsanitize=fuzzer,address,undefined);
 * not part of the meson build.  Any input must give a model or a GError,
 * never a crash, a leak or undefined behaviour.
 */
#include <glib.h>
#include <stdint.h>

#include "cochlea-engine.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(CochleaModel) model = cochlea_model_load_from_bytes (bytes, "fuzz", &error);

  g_assert ((model == NULL) != (error == NULL));
  return 0;
}
