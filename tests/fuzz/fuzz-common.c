/* fuzz-common.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE 1  /* memfd_create */

#include "config.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-common.h"

/* Under libFuzzer nothing calls g_test_init(): make criticals and
 * warnings (a g_return_if_fail() that fired, a json-glib complaint)
 * abort, so the fuzzer reports them as crashes. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

char *
fuzz_memfile_new (const uint8_t *data,
                  size_t         size,
                  int           *fd)
{
  size_t done = 0;

  *fd = memfd_create (fuzz_target_name, MFD_CLOEXEC);
  g_assert (*fd >= 0);
  while (done < size)
    {
      ssize_t n = write (*fd, data + done, size - done);
      if (n < 0 && errno == EINTR)
        continue;
      g_assert (n > 0);
      done += (size_t) n;
    }
  return g_strdup_printf ("/proc/self/fd/%d", *fd);
}

void
fuzz_memfile_close (char *path,
                    int   fd)
{
  g_free (path);
  close (fd);
}
