/* bench-gui-utils.h — what the window benches (bench-app,
 * bench-library-search) share: the main thread's CPU time and page
 * faults, the process's resident memory, and waiting on the main loop.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* CPU time of the calling thread, µs. */
gint64   bench_thread_cpu_us  (void);
/* Minor page faults and system CPU time (µs) of the calling thread so
 * far: costs of a first time that callgrind does not count as our
 * instructions.  @sys_us may be NULL. */
glong    bench_thread_faults  (gint64    *sys_us);
/* The process's resident anonymous and shared memory, kB, from
 * /proc/self/status: whether page faults brought in the heap or cairo's
 * X shared-memory pool.  Both 0 where it cannot be read. */
void     bench_resident_kb    (glong     *anon,
                               glong     *shmem);
/* Iterates the default main context until @done (@data). */
void     bench_iterate_until  (gboolean (*done) (gpointer),
                               gpointer   data);
/* For bench_iterate_until (): whether the widget @data is mapped. */
gboolean bench_widget_mapped  (gpointer   data);
/* The GUI's memory policy as its main () applies it (or glibc's defaults
 * unless @apply), with a start-up reserve of @reserve_frames window frames
 * (0: none) and cairo's X shared-memory pool held if @hold_shm_pool;
 * prints what was done. */
void     bench_apply_memory_policy (gboolean apply,
                                    double   reserve_frames,
                                    gboolean hold_shm_pool);

G_END_DECLS
