#!/bin/sh
# tests/fuzz/build.sh — builds and runs the libFuzzer target for the
# weights-file parser (engine/nn/cochlea-model-io.c).
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   sh tests/fuzz/build.sh [SECONDS]     (default 60)
#
# Compiles the nn sources it needs with clang and the fuzzer, address and
# undefined-behaviour sanitizers, seeds the corpus with a valid model file
# written by the test suite's tiny architecture, and fuzzes for SECONDS.
set -eu
here="$(cd "$(dirname "$0")/../.." && pwd)"
out="${FUZZ_OUT:-/tmp/cochlea-fuzz}"
seconds="${1:-60}"
mkdir -p "$out/corpus"

pkgs="glib-2.0 gio-2.0 json-glib-1.0 openblas fftw3f"
cflags="$(pkg-config --cflags $pkgs) -I$here/engine -I$here/engine/nn -I$here/engine/dsp -I$out"
libs="$(pkg-config --libs $pkgs) -lm"
printf '#define PKGDATADIR "/nonexistent"\n#define COCHLEA_SOURCE_DATADIR "/nonexistent"\n' > "$out/config.h"
# the umbrella header pulls in every engine header: give the fuzzer a small one
printf '#include "cochlea-error.h"\n#include "nn/cochlea-model.h"\n' > "$out/cochlea-engine.h"

srcs="$here/engine/nn/cochlea-model-io.c $here/engine/nn/cochlea-model.c $here/engine/nn/cochlea-ops.c
      $here/engine/nn/cochlea-tensor.c $here/engine/dsp/cochlea-mel.c $here/engine/dsp/cochlea-stft.c
      $here/engine/cochlea-error.c"

# a valid seed: a tiny model saved by a helper built without the fuzzer
cat > "$out/seed.c" <<'SEED'
#include "cochlea-engine.h"
int main (int argc, char **argv)
{
  static const char * const labels[] = { "x", "y", "z", NULL };
  CochleaModelConfig c;
  cochlea_model_config_init_default (&c);
  c.mel.n_mels = 6; c.window = 128; c.hop = 64;
  c.channels[0] = 4; c.channels[1] = 5; c.channels[2] = 5; c.channels[3] = 6;
  c.dense = 8; c.embed_dim = 4;
  cochlea_model_config_add_head (&c, "k", COCHLEA_HEAD_SOFTMAX, labels);
  CochleaModel *m = cochlea_model_new (&c, 1, NULL);
  return cochlea_model_save (m, argv[1], NULL) ? 0 : 1;
}
SEED
clang -O1 -g -I"$out" $cflags "$out/seed.c" $srcs $libs -o "$out/seed"
"$out/seed" "$out/corpus/tiny.safetensors"

clang -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$out" $cflags "$here/tests/fuzz/fuzz-model-io.c" $srcs $libs -o "$out/fuzz-model-io"
ASAN_OPTIONS=detect_leaks=1 "$out/fuzz-model-io" -max_total_time="$seconds" -max_len=65536 \
  -malloc_limit_mb=2048 "$out/corpus"
