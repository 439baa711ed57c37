/* cochlea-dsp-private.h — helpers shared by the attribute DSP files
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

/* COCHLEA_DSP_CLONES: build a hot function twice, for plain x86-64 and for
 * x86-64-v3 (AVX2 + FMA: three-operand instructions, fused multiply-adds),
 * and let the loader pick one for the CPU (GCC/Clang target_clones, an
 * ifunc).  The FMA build rounds differently in the last bits.  Off under
 * AddressSanitizer and outside x86-64 ELF. */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__ELF__) && !defined(__SANITIZE_ADDRESS__)
#define COCHLEA_DSP_CLONES __attribute__ ((target_clones ("arch=x86-64-v3", "default")))
#else
#define COCHLEA_DSP_CLONES
#endif
