#!/usr/bin/env bash
# bench/run-widgets-bench.sh — the widgets' tile renderer and frame times.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bash bench/run-widgets-bench.sh [SECONDS]
#
# Builds bench-widgets in ${COCHLEA_BUILDDIR:-_build} and runs it under
# Xvfb twice, with the cairo and the GL renderer.  Timings are printed,
# never asserted; docs/performance.md records them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${COCHLEA_BUILDDIR:-$here/_build}"
seconds="${1:-10}"

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$here" --buildtype=debugoptimized
fi
ninja -C "$builddir" bench/bench-widgets >/dev/null

for renderer in cairo gl; do
  GSK_RENDERER=$renderer NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory \
    xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- \
    "$builddir/bench/bench-widgets" --seconds "$seconds"
done
