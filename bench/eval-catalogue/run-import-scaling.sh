#!/bin/sh
# Import throughput, 1 worker against 2, over the same real recordings
# (the evaluation set; bash build-aux/dev.sh bench-deps installs them),
# each into a fresh catalogue, twice, best of two.
#   sh bench/eval-catalogue/run-import-scaling.sh [BUILDDIR]
# IMPORT_DIRS (space-separated folders) replaces the default set, e.g.
#   IMPORT_DIRS="/usr/share/scummvm/drascula/audio /usr/share/hyperrogue/music"
# (many files of similar length, so the last minutes of the 2-worker run
# are not one long file analysed alone).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/_build}
cli="$build/app/cochlea-cli"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/lib"
for d in ${IMPORT_DIRS:-/usr/share/games/singularity/music /usr/share/planetblupi/music}; do
  ln -s "$d" "$work/lib/$(basename "$(dirname "$d")")-$(basename "$d")"
done
uptime
# "1 core": the import pinned to one CPU (taskset), one worker; "2 cores":
# both CPUs, one worker (GStreamer's decoding thread already runs beside
# the analysis) and two.  CPU is user + system of the whole process.
run_import () {
  label=$1; jobs=$2; shift 2
  best=; cpu=
  for run in 1 2; do
    rm -f "$work/c.db" "$work/c.db-wal" "$work/c.db-shm"
    start=$(date +%s.%N)
    /usr/bin/time -f "%U %S" -o "$work/time" "$@" "$cli" import -q -j "$jobs" --db "$work/c.db" "$work/lib" >/dev/null
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then
      best=$t
      cpu=$(awk '{ print $1 + $2 }' "$work/time")
    fi
  done
  n=$(sqlite3 "$work/c.db" "SELECT count(*) FROM tracks WHERE status = 'ok'")
  bytes=$(stat -c %s "$work/c.db")
  echo "$label tracks=$n best_of_2=${best}s cpu=${cpu}s tracks_per_s=$(echo "scale=2; $n / $best" | bc) db_bytes_per_track=$((bytes / n))"
}
run_import "1-core-j1" 1 taskset -c 0
run_import "2-cores-j1" 1
run_import "2-cores-j2" 2
uptime
