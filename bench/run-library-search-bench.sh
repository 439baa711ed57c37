#!/usr/bin/env bash
# bench/run-library-search-bench.sh — main-thread CPU per keystroke in the
# Library page's search over N synthetic tracks (bench-library-search.c).
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bash bench/run-library-search-bench.sh [N [RUNS]]      CPU times (N 10000, RUNS 5)
#   bash bench/run-library-search-bench.sh --callgrind [N] instructions per keystroke
#   bash bench/run-library-search-bench.sh 10000 5 --no-memory-policy
#                                                          arguments after RUNS go to bench-library-search
#
# Builds bench-app and bench-library-search in ${COCHLEA_BUILDDIR:-_build},
# writes bench-app's synthetic catalogue of N tracks once (kept in
# ${TMPDIR:-/tmp}/cochlea-bench-library-N.db), and runs under Xvfb with the
# cairo renderer.  Timings are printed, never asserted.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${COCHLEA_BUILDDIR:-$here/_build}"
callgrind=0
if [ "${1:-}" = --callgrind ]; then
  callgrind=1
  shift
fi
n="${1:-10000}"
runs="${2:-5}"
extra=("${@:3}")
catalogue="${TMPDIR:-/tmp}/cochlea-bench-library-$n.db"

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$here" --buildtype=debugoptimized
fi
ninja -C "$builddir" bench/bench-app bench/bench-library-search data/gschemas.compiled >/dev/null

run () {
  GSK_RENDERER=cairo NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory \
    GSETTINGS_SCHEMA_DIR="$builddir/data" \
    xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- "$@" 2> >(grep -v -e ALSA -e dbus-daemon -e SpiRegistry >&2)
}

if [ ! -f "$catalogue" ]; then
  run "$builddir/bench/bench-app" --library "$n" --catalogue "$catalogue"
fi

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) ($(date -u +%H:%M) UTC), commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$here" diff --quiet HEAD -- app 2>/dev/null || echo ' + uncommitted app/ changes')"

if [ "$callgrind" = 1 ]; then
  out="$(mktemp -d)"
  run valgrind --tool=callgrind --collect-atstart=no --separate-threads=yes \
    --callgrind-out-file="$out/cg.out" "$builddir/bench/bench-library-search" \
    --catalogue "$catalogue" --runs 1 | tee "$out/bench.txt"
  echo "main thread, instructions from each keystroke's search-changed to the frame painted after it (callgrind):"
  for f in "$out"/cg.out.*-01; do
    name="$(sed -n 's/^desc: Trigger: Client Request: \(search:.*\)$/\1/p' "$f")"
    [ -n "$name" ] || continue
    printf '  %-20s %14s Ir\n' "$name" "$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$f")"
  done
  echo "callgrind files kept in $out (callgrind_annotate --inclusive=yes FILE)"
else
  run "$builddir/bench/bench-library-search" --catalogue "$catalogue" --runs "$runs" "${extra[@]}"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) ($(date -u +%H:%M) UTC)"
