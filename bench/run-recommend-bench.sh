#!/bin/sh
# bench/run-recommend-bench.sh — builds and runs bench-recommend (synthetic
# 100 000 and 1 000 000 track catalogues kept in a temporary folder with
# their index files: about 6 GB of /tmp at the peak, 30 minutes on the
# shared 2-core machine), then times `cochlea-cli recommend --track` on
# each with the persisted index and without it (COCHLEA_INDEX_FILE=off)
# when hyperfine is installed, then the import throughput with 1 and 2
# workers over the evaluation recordings.  docs/performance.md records a
# run.
#   sh bench/run-recommend-bench.sh [BUILDDIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/_build}
ninja -C "$build" bench/bench-recommend app/cochlea-cli >/dev/null
keep=$(mktemp -d /tmp/cochlea-bench-XXXXXX)
trap 'rm -rf "$keep"' EXIT
uptime
"$build/bench/bench-recommend" --keep "$keep" 100000 1000000
if command -v hyperfine >/dev/null; then
  for n in 100000 1000000; do
    uptime
    hyperfine -N -w 1 -r 5 "$build/app/cochlea-cli recommend --db $keep/bench-$n.db --track 5"
    hyperfine -r 2 "COCHLEA_INDEX_FILE=off $build/app/cochlea-cli recommend --db $keep/bench-$n.db --track 5"
  done
fi
sh "$here/bench/eval-catalogue/run-import-scaling.sh" "$build"
