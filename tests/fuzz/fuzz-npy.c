/* fuzz-npy.c — cochlea_npy_read_f32() on arbitrary bytes.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "dsp/cochlea-npy.h"
#include "cochlea-error.h"
#include "fuzz-common.h"

const char *fuzz_target_name = "npy";

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *out = NULL;
  gsize rows = 0, cols = 0;
  int fd;
  char *path = fuzz_memfile_new (data, size, &fd);

  if (cochlea_npy_read_f32 (path, &out, &rows, &cols, &error))
    {
      volatile float sum = 0.0f;

      g_assert_no_error (error);
      /* what was promised fits in what was read, and is all readable */
      g_assert_true (cols == 0 || rows <= size / sizeof (float) / cols);
      g_assert_true (rows * cols == 0 || out != NULL);
      for (gsize i = 0; i < rows * cols; i++)
        sum += out[i];
      (void) sum;
    }
  else
    {
      /* a clear error that names the file */
      g_assert_nonnull (error);
      g_assert_true (error->domain == COCHLEA_ENGINE_ERROR);
      g_assert_nonnull (strstr (error->message, path));
    }
  fuzz_memfile_close (path, fd);
  return 0;
}
