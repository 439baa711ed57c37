#!/usr/bin/env bash
# bench/eval-attributes/run-bench.sh — what the attributes add to decode +
# log-mel (issue 3, item 6), and what each part of them costs.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bash bench/eval-attributes/run-bench.sh [RUNS] [WORKDIR]
#
# Builds bench-mel and bench-attributes in ${COCHLEA_BUILDDIR:-_build},
# writes the 3-minute music-like 44.1 kHz stereo WAV of `bench-mel
# --make-wav` and its FLAC and 192 kbit/s MP3 encodings into WORKDIR (a
# temporary folder unless given; existing files there are reused), then
# runs, in one process per line:
#   - bench-attributes --runs RUNS (default 9) on the three files: decode +
#     log-mel alternating with decode + log-mel + every attribute;
#   - bench-attributes --part loudness|chroma|cues|finish on the WAV: each
#     part alone on input decoded into memory beforehand.
# Timings are printed, never asserted; docs/performance.md records them.
# Run it on an otherwise idle machine for wall-clock figures.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
builddir="${COCHLEA_BUILDDIR:-$here/_build}"
runs="${1:-9}"

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$here" --buildtype=debugoptimized
fi
ninja -C "$builddir" bench/bench-mel bench/eval-attributes/bench-attributes >/dev/null

if [ -n "${2:-}" ]; then
  work="$2"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi

if [ ! -f "$work/music.wav" ]; then
  "$builddir/bench/bench-mel" --make-wav "$work/music.wav" --seconds 180
fi
encode () {
  gst-launch-1.0 -q filesrc location="$work/music.wav" ! wavparse ! audioconvert ! "$@"
}
[ -f "$work/music.flac" ] || encode flacenc ! filesink location="$work/music.flac"
[ -f "$work/music.mp3" ] || encode lamemp3enc target=bitrate bitrate=192 cbr=true ! id3v2mux ! filesink location="$work/music.mp3"

bench="$builddir/bench/eval-attributes/bench-attributes"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "commit: $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bench" --runs "$runs" "$work/music.wav" "$work/music.flac" "$work/music.mp3"
for part in loudness chroma cues finish; do
  "$bench" --runs "$runs" --part "$part" "$work/music.wav" | tail -n 1
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
