#!/usr/bin/env bash
# bench/corpus/bench-generate-corpus.sh — how fast `cochlea-cli generate-corpus`
# makes a corpus.  Not a test.
#
#   bash bench/corpus/bench-generate-corpus.sh [BUILDDIR] [SONGS] [SECONDS]
#
# Prints, for each Debian SoundFont and for --jobs 1 and --jobs 2: wall time,
# CPU time, songs per minute and the real-time factor (seconds of audio made
# per second of wall time), plus the machine's load average, since other
# work on the machine slows the wall figures.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$here/_build}"
songs="${2:-100}"
seconds="${3:-30}"
cli="$build/app/cochlea-cli"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

printf '%-16s %4s %6s %9s %9s %10s %9s  %s\n' soundfont jobs songs wall_s cpu_s songs/min x_realtime load
for sf in /usr/share/sounds/sf2/FluidR3_GM.sf2 /usr/share/sounds/sf2/TimGM6mb.sf2; do
  [ -f "$sf" ] || continue
  for jobs in 1 2; do
    out="$tmp/$(basename "$sf" .sf2)-$jobs"
    load="$(cut -d' ' -f1 /proc/loadavg)"
    /usr/bin/time -f '%e %U %S' -o "$tmp/time" \
      "$cli" generate-corpus "$out" --songs "$songs" --seed 1 --duration "$seconds" \
      --jobs "$jobs" --soundfont "$sf" 2>/dev/null
    read -r wall user sys < "$tmp/time"
    awk -v sf="$(basename "$sf")" -v j="$jobs" -v n="$songs" -v d="$seconds" \
        -v w="$wall" -v u="$user" -v s="$sys" -v l="$load" \
        'BEGIN { printf "%-16s %4d %6d %9.1f %9.1f %10.1f %9.1f  %s\n", sf, j, n, w, u + s, n * 60 / w, n * d / w, l }'
    rm -rf "$out"
  done
done
