/* cochlea-memory-policy.h — how the GUI's heap keeps the memory of its frames
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* glibc's largest allowed M_MMAP_THRESHOLD on 64-bit systems
 * (DEFAULT_MMAP_THRESHOLD_MAX, 4 MiB * sizeof (long)): one ARGB32 frame of
 * 3840 x 2160 device pixels (33 177 600 bytes) fits under it. */
#define COCHLEA_MEMORY_MMAP_THRESHOLD ((gsize) 32 * 1024 * 1024)
/* Free memory at the heap's top is given back to the kernel only past
 * this (twice the above, glibc's own ratio for its dynamic threshold). */
#define COCHLEA_MEMORY_TRIM_THRESHOLD ((gsize) 64 * 1024 * 1024)

typedef struct
{
  gboolean applied;         /* FALSE where it does nothing (not glibc) */
  gsize    mmap_threshold;  /* bytes; 0 when not applied */
  gsize    trim_threshold;
  gsize    reserve;         /* bytes of heap written once at start-up */
  gint64   reserve_cpu_us;  /* the thread's CPU time writing them */
  glong    reserve_faults;  /* minor page faults taken writing them */
} CochleaMemoryPolicy;

gboolean cochlea_memory_policy_apply        (gsize                reserve,
                                             CochleaMemoryPolicy *policy);
gboolean cochlea_memory_policy_get_applied  (void);
gsize    cochlea_memory_policy_frame_bytes  (void);
gsize    cochlea_memory_policy_refill       (gsize                bytes);
void     cochlea_memory_policy_watch        (GtkWidget           *toplevel);
guint    cochlea_memory_policy_get_refills  (GtkWidget           *toplevel);
void     cochlea_memory_policy_set_hold_shm_pool  (gboolean       hold);
gboolean cochlea_memory_policy_get_holds_shm_pool (GtkWidget     *toplevel);

G_END_DECLS
