/* bench-gui-utils.c — what the window benches share (bench-gui-utils.h).
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* RUSAGE_THREAD */
#include "config.h"

#include "bench-gui-utils.h"
#include "cochlea-memory-policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

gint64
bench_thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

glong
bench_thread_faults (gint64 *sys_us)
{
  struct rusage ru;

  getrusage (RUSAGE_THREAD, &ru);
  if (sys_us != NULL)
    *sys_us = (gint64) ru.ru_stime.tv_sec * G_USEC_PER_SEC + ru.ru_stime.tv_usec;
  return ru.ru_minflt;
}

void
bench_resident_kb (glong *anon,
                   glong *shmem)
{
  g_autofree char *status = NULL;
  const char *line;

  *anon = *shmem = 0;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  if ((line = strstr (status, "RssAnon:")) != NULL)
    *anon = strtol (line + 8, NULL, 10);
  if ((line = strstr (status, "RssShmem:")) != NULL)
    *shmem = strtol (line + 9, NULL, 10);
}

void
bench_iterate_until (gboolean (*done) (gpointer),
                     gpointer   data)
{
  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
}

gboolean
bench_widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

void
bench_apply_memory_policy (gboolean apply,
                           double   reserve_frames,
                           gboolean hold_shm_pool)
{
  CochleaMemoryPolicy policy;
  gsize reserve;

  if (!apply)
    {
      printf ("memory policy: glibc's defaults (--no-memory-policy)\n");
      return;
    }
  reserve = (gsize) (cochlea_memory_policy_frame_bytes () * MAX (reserve_frames, 0));
  cochlea_memory_policy_apply (reserve, &policy);
  cochlea_memory_policy_set_hold_shm_pool (hold_shm_pool);
  printf ("memory policy: applied %d, mmap threshold %zu, trim threshold %zu, reserve %zu bytes"
          " written in %.2f ms of CPU with %ld page faults\n",
          policy.applied, policy.mmap_threshold, policy.trim_threshold, policy.reserve,
          policy.reserve_cpu_us / 1000.0, policy.reserve_faults);
}
