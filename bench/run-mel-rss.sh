#!/usr/bin/env bash
# bench/run-mel-rss.sh — peak RSS of `cochlea-cli mel` on a 60-minute file.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bash bench/run-mel-rss.sh [MINUTES]
#
# Builds cochlea-cli and bench-mel in ${COCHLEA_BUILDDIR:-_build}, writes a
# MINUTES-long (default 60) music-like 44.1 kHz stereo WAV (about 10.6 MB a
# minute) and an MP3 and Ogg Vorbis encoding of it, runs `cochlea-cli mel`
# on each under /usr/bin/time -v (Debian package `time`) and prints the
# peak resident set size and the shape of the .npy written.  Target from
# issue 2: under 150 MB.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${COCHLEA_BUILDDIR:-$here/_build}"
minutes="${1:-60}"

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$here" --buildtype=debugoptimized
fi
ninja -C "$builddir" bench/bench-mel app/cochlea-cli >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$builddir/bench/bench-mel" --make-wav "$work/long.wav" --seconds "$((minutes * 60))"
encode () {
  gst-launch-1.0 -q filesrc location="$work/long.wav" ! wavparse ! audioconvert ! "$@"
}
encode lamemp3enc target=bitrate bitrate=192 cbr=true ! id3v2mux ! filesink location="$work/long.mp3"
encode vorbisenc quality=0.5 ! oggmux ! filesink location="$work/long.ogg"

for f in long.wav long.mp3 long.ogg; do
  /usr/bin/time -v -o "$work/time.txt" \
    "$builddir/app/cochlea-cli" mel "$work/$f" -o "$work/out.npy"
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  shape=$(head -c 128 "$work/out.npy" | tr -d '\0' | grep -ao "'shape': ([0-9, ]*)" || true)
  printf '%-9s %6.1f MB file | peak RSS %6.1f MiB | wall %s | %s\n' \
    "$f" "$(stat -c %s "$work/$f" | awk '{print $1/1e6}')" "$(echo "$rss_kb" | awk '{print $1/1024}')" \
    "$wall" "$shape"
  rm -f "$work/out.npy"
done
