#!/usr/bin/env bash
# bench/run-mel-bench.sh — decode-only against decode + log-mel, log-mel alone.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bash bench/run-mel-bench.sh [RUNS]
#
# Builds bench-mel in ${COCHLEA_BUILDDIR:-_build} (the same build directory
# build-aux/dev.sh uses), writes a 3-minute music-like 44.1 kHz stereo WAV,
# encodes it to FLAC, Ogg Vorbis and MP3 with gst-launch-1.0, and times each
# file in one process.  Needs what `bash build-aux/dev.sh deps` installs.
# Timings are printed, never asserted; docs/performance.md records them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${COCHLEA_BUILDDIR:-$here/_build}"
runs="${1:-5}"

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$here" --buildtype=debugoptimized
fi
ninja -C "$builddir" bench/bench-mel >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bench="$builddir/bench/bench-mel"
"$bench" --make-wav "$work/music.wav" --seconds 180
encode () {
  gst-launch-1.0 -q filesrc location="$work/music.wav" ! wavparse ! audioconvert ! "$@"
}
encode flacenc ! filesink location="$work/music.flac"
encode vorbisenc quality=0.5 ! oggmux ! filesink location="$work/music.ogg"
encode lamemp3enc target=bitrate bitrate=192 cbr=true ! id3v2mux ! filesink location="$work/music.mp3"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "files: $(cd "$work" && ls -l music.* | awk '{printf "%s %.1f MB; ", $NF, $5/1e6}')"
"$bench" --runs "$runs" "$work/music.wav" "$work/music.flac" "$work/music.ogg" "$work/music.mp3"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
