#!/bin/sh
# bench/eval-catalogue/run-eval.sh — builds the CLI and runs the quality
# evaluation (docs/catalogue.md, "Quality").  Needs the soundtrack packages
# listed in build-aux/dev.sh's bench_packages (bash build-aux/dev.sh bench-deps).
#   sh bench/eval-catalogue/run-eval.sh [BUILDDIR] [--model FILE.safetensors]
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/_build}
[ $# -gt 0 ] && shift
ninja -C "$build" app/cochlea-cli >/dev/null
exec /usr/bin/python3 "$here/bench/eval-catalogue/eval.py" --cli "$build/app/cochlea-cli" "$@"
