/* fuzz-common.h — what every fuzz target shares.
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A target is one LLVMFuzzerTestOneInput().  It is linked twice: with
 * libFuzzer (-Dfuzzing=true, clang) to search for crashing inputs, and
 * always with fuzz-replay.c, a GTest program that feeds it every file in
 * tests/fuzz/corpus/<target>/ — the seeds and every input that once
 * crashed — so a regression fails `meson test --suite fuzz` on any build.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* The directory name under tests/fuzz/corpus/ */
extern const char *fuzz_target_name;

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* A path naming @size bytes of @data for readers that only take a path:
 * an anonymous memory file (memfd), so nothing is left on disk.  Close
 * with fuzz_memfile_close(). */
char *fuzz_memfile_new     (const uint8_t  *data,
                            size_t          size,
                            int            *fd);
void  fuzz_memfile_close   (char           *path,
                            int             fd);

G_END_DECLS
