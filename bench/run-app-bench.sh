#!/usr/bin/env bash
# bench/run-app-bench.sh — frame times and main-thread cost of the app window.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bash bench/run-app-bench.sh [SECONDS]                 playing, cairo then GL
#   bash bench/run-app-bench.sh --library N [SECONDS]     the Library page over N tracks (cairo)
#   bash bench/run-app-bench.sh --verbose [SECONDS]       also list each measurement's first 8 frames
#   bash bench/run-app-bench.sh 10 --css '.view-slot { box-shadow: none; }'
#                                                         arguments after SECONDS go to bench-app
#   COCHLEA_BENCH_RENDERERS=cairo bash bench/run-app-bench.sh 10
#                                                         playing, cairo only
#   bash bench/run-app-bench.sh --callgrind [--library N]
#                                                         instructions per frame (cairo;
#                                                         $COCHLEA_BENCH_FRAMES frames, 40)
#
# Builds bench-app in ${COCHLEA_BUILDDIR:-_build} and runs it under Xvfb.
# Timings are printed, never asserted; docs/performance.md records them.
# --callgrind runs the same measurements under valgrind's callgrind, which
# dumps each measurement on its own; the script then prints the main
# thread's instructions per frame for each (load-independent, but valgrind
# runs the app ~50x slower, so a frame covers more playback time).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${COCHLEA_BUILDDIR:-$here/_build}"
library=0
callgrind=0
verbose=()
while [ $# -gt 0 ]; do
  case "$1" in
    --library) library="$2"; shift 2 ;;
    --callgrind) callgrind=1; shift ;;
    --verbose) verbose=(--verbose); shift ;;
    *) break ;;
  esac
done
seconds="${1:-10}"
[ $# -gt 0 ] && shift

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$here" --buildtype=debugoptimized
fi
ninja -C "$builddir" bench/bench-app data/gschemas.compiled >/dev/null 2>&1 ||
  ninja -C "$builddir" bench/bench-app >/dev/null

args=(--seconds "$seconds" "${verbose[@]}" "$@")
if [ "$library" -gt 0 ]; then
  args+=(--library "$library")
fi

run () {
  GSK_RENDERER=$1 NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory \
    GSETTINGS_SCHEMA_DIR="$builddir/data" \
    xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- "${@:2}" 2> >(grep -v -e ALSA -e dbus-daemon -e SpiRegistry >&2)
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) ($(date -u +%H:%M) UTC), commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')"

if [ "$callgrind" = 1 ]; then
  out="$(mktemp -d)"
  # A fixed number of frames per measurement (valgrind is slow); the
  # synthetic catalogue is written beforehand, outside valgrind.
  args+=(--frames "${COCHLEA_BENCH_FRAMES:-40}")
  if [ "$library" -gt 0 ]; then
    args+=(--catalogue "$out/catalogue.db")
    run cairo "$builddir/bench/bench-app" "${args[@]}"
  fi
  run cairo valgrind --tool=callgrind --collect-atstart=no --separate-threads=yes \
    --callgrind-out-file="$out/cg.out" "$builddir/bench/bench-app" "${args[@]}" | tee "$out/bench.txt"
  # One dump per measurement and thread; thread 1 is the main thread.
  echo "main thread, instructions per frame (callgrind; frames = after-paints counted by bench-app):"
  for f in "$out"/cg.out.*-01; do
    name="$(sed -n 's/^desc: Trigger: Client Request: bench-app:\(.*\)$/\1/p' "$f")"
    [ -n "$name" ] || continue
    ir="$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$f")"
    frames="$(awk -v n="$name" 'index($0, n " ") == 1 { r = substr($0, length(n) + 1); sub(/^ +/, "", r); split(r, f, " "); if (f[1] ~ /^[0-9]+$/) { print f[1]; exit } }' "$out/bench.txt")"
    if [ -n "$frames" ] && [ "$frames" -gt 0 ]; then
      printf '  %-24s %14s Ir  %5s frames  %12.0f Ir/frame\n' "$name" "$ir" "$frames" "$(echo "$ir / $frames" | bc -l)"
    else
      printf '  %-24s %14s Ir\n' "$name" "$ir"
    fi
  done
  echo "callgrind files kept in $out (callgrind_annotate FILE)"
  exit 0
fi

if [ "$library" -gt 0 ]; then
  run cairo "$builddir/bench/bench-app" "${args[@]}"
else
  for renderer in ${COCHLEA_BENCH_RENDERERS:-cairo gl}; do
    run "$renderer" "$builddir/bench/bench-app" "${args[@]}"
  done
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
