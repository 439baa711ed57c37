#!/bin/sh
# bench/run-recommend-bench.sh — builds and runs bench-recommend (synthetic
# 100 000 and 1 000 000 track catalogues; about 10 minutes and 2 GB of
# /tmp) and then the import throughput with 1 and 2 workers over the
# evaluation recordings.  docs/performance.md records a run.
#   sh bench/run-recommend-bench.sh [BUILDDIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/_build}
ninja -C "$build" bench/bench-recommend app/cochlea-cli >/dev/null
uptime
"$build/bench/bench-recommend" 100000 1000000
exec sh "$here/bench/eval-catalogue/run-import-scaling.sh" "$build"
