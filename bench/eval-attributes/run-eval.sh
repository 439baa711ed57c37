#!/usr/bin/env bash
# bench/eval-attributes/run-eval.sh — tempo/key/loudness evaluation of the
# engine's attributes against aubio and essentia.js, same files, same run.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bash bench/eval-attributes/run-eval.sh [WORKDIR] [N_SONGS]
#
# 1. renders N_SONGS (default 60) labelled songs with make-corpus.py and the
#    fluidsynth CLI (44.1 kHz stereo WAV; 40 % "dev", 60 % "heldout");
# 2. runs, one file after another, eval-attributes (this engine: decode +
#    log-mel + every attribute), `aubio tempo`, essentia.js's
#    RhythmExtractor2013 + KeyExtractor (node), and ffmpeg's ebur128 filter
#    (the loudness reference), timing each per track;
# 3. prints the tables of docs/attributes.md (score.py).
# EVAL_CORPUS_ARGS passes more options to make-corpus.py, e.g.
# "--seed 2027 --split heldout" for a second held-out set.
# ESSENTIA_RHYTHM_METHOD=degara makes essentia.js about 5× faster (see
# essentia-yardstick.js).  Needs `bash build-aux/dev.sh bench-deps` and npm (essentia.js is installed
# into bench/eval-attributes/node_modules, gitignored, never linked).
# Not a test: nothing is asserted.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
eval_dir="$here/bench/eval-attributes"
builddir="${COCHLEA_BUILDDIR:-$here/_build}"
work="${1:-$here/bench/out/eval-attributes}"
n="${2:-60}"

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$here" --buildtype=debugoptimized
fi
ninja -C "$builddir" bench/eval-attributes/eval-attributes >/dev/null
if [ ! -d "$eval_dir/node_modules/essentia.js" ]; then
  npm install --no-save --no-audit --no-fund --prefix "$eval_dir" essentia.js node-wav >/dev/null
fi

mkdir -p "$work"
# shellcheck disable=SC2086
/usr/bin/python3 "$eval_dir/make-corpus.py" "$work" --n "$n" ${EVAL_CORPUS_ARGS:-}
mapfile -t files < <(ls "$work"/*.wav | sort)

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
now () { date +%s.%N; }

echo "cochlea…" >&2
"$builddir/bench/eval-attributes/eval-attributes" "${files[@]}" > "$work/cochlea.jsonl" 2>/dev/null

echo "aubio…" >&2
: > "$work/aubio.tsv"
for f in "${files[@]}"; do
  t0=$(now)
  bpm=$(aubio tempo "$f" 2>/dev/null | awk '/bpm/ {print $1}' | tail -1)
  t1=$(now)
  printf '%s\t%s\t%s\n' "$(basename "$f")" "${bpm:-nan}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" >> "$work/aubio.tsv"
done

echo "essentia.js…" >&2
NODE_PATH="$eval_dir/node_modules" node "$eval_dir/essentia-yardstick.js" "${files[@]}" > "$work/essentia.jsonl"

echo "ffmpeg ebur128…" >&2
: > "$work/ffmpeg.tsv"
for f in "${files[@]}"; do
  t0=$(now)
  lufs=$(ffmpeg -hide_banner -nostats -i "$f" \
           -af ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.I:file=- -f null - 2>/dev/null |
         sed -n 's/^lavfi.r128.I=//p' | tail -1)
  t1=$(now)
  printf '%s\t%s\t%s\n' "$(basename "$f")" "${lufs:-nan}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" >> "$work/ffmpeg.tsv"
done

/usr/bin/python3 "$eval_dir/score.py" "$work" | tee "$work/table.md"
