#!/usr/bin/env bash
# build-aux/sanitize.sh — the quality gate's runs (docs/development.md).
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bash build-aux/sanitize.sh asan [SUITE…]     ASan+UBSan build, run the suites (all by default)
#   bash build-aux/sanitize.sh valgrind [SUITE…] plain build, meson test --setup valgrind (engine nn store)
#   bash build-aux/sanitize.sh fuzz [SECONDS] [TARGET…]
#                                                clang + libFuzzer build, fuzz each target
#                                                SECONDS (default 120) on a copy of its corpus
#   bash build-aux/sanitize.sh cppcheck          cppcheck over engine/
#   bash build-aux/sanitize.sh tidy              clang-tidy (bugprone, clang-analyzer) over engine/
#
# Build directories: $COCHLEA_ASAN_BUILDDIR (default _build-asan),
# $COCHLEA_VALGRIND_BUILDDIR (_build-valgrind), $COCHLEA_FUZZ_BUILDDIR
# (_build-fuzz).  Reports go to stdout and to the build dir's meson-logs.
# Exit status: 0 clean, 1 a finding or a failed test, 2 usage.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
asan_dir="${COCHLEA_ASAN_BUILDDIR:-$here/_build-asan}"
valgrind_dir="${COCHLEA_VALGRIND_BUILDDIR:-$here/_build-valgrind}"
fuzz_dir="${COCHLEA_FUZZ_BUILDDIR:-$here/_build-fuzz}"

# Leak reports from the display stack, fontconfig and the GStreamer
# registry are suppressed by tests/lsan.supp; everything else fails.
# abort_on_error gives a core/backtrace under gdb; detect_leaks is the
# default on x86-64 but said here so nobody wonders.  fast_unwind_on_malloc=0:
# Debian's GLib has no frame pointers, so without it a leak's stack stops
# at g_malloc and no suppression can tell GLib's from ours.
export ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$here/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# GUI tests need a display and a session bus (platform notes), the
# Cairo renderer keeps them fast under Xvfb.
run_headless () {
  xvfb-run -a -s '-screen 0 1280x800x24' dbus-run-session -- "$@"
}

suite_args () {
  local s
  for s in "$@"; do
    printf -- '--suite\n%s\n' "$s"
  done
}

do_asan () {
  if [ ! -f "$asan_dir/build.ninja" ]; then
    meson setup "$asan_dir" "$here" --buildtype=debug \
      -Db_sanitize=address,undefined -Db_lundef=false
  fi
  ninja -C "$asan_dir"
  local args=()
  mapfile -t args < <(suite_args "$@")
  # Sanitized code runs 2–5× slower: more time, same tests.
  GSK_RENDERER=cairo run_headless \
    meson test -C "$asan_dir" --print-errorlogs --num-processes 2 \
    --timeout-multiplier 4 "${args[@]}"
}

do_valgrind () {
  if [ ! -f "$valgrind_dir/build.ninja" ]; then
    meson setup "$valgrind_dir" "$here" --buildtype=debug
  fi
  ninja -C "$valgrind_dir"
  local suites=("$@")
  if [ ${#suites[@]} -eq 0 ]; then
    suites=(engine nn store)
  fi
  local args=()
  mapfile -t args < <(suite_args "${suites[@]}")
  G_SLICE=always-malloc G_DEBUG=gc-friendly \
    meson test -C "$valgrind_dir" --setup valgrind --print-errorlogs \
    --num-processes 2 "${args[@]}"
}

do_fuzz () {
  local seconds="${1:-120}"
  shift || true
  local targets=("$@")
  if [ ${#targets[@]} -eq 0 ]; then
    targets=(npy model labels playlist)
  fi
  if [ ! -f "$fuzz_dir/build.ninja" ]; then
    # The engine itself is instrumented for coverage (fuzzer-no-link);
    # only the fuzz-* binaries link libFuzzer's main().
    CC=clang meson setup "$fuzz_dir" "$here" --buildtype=debugoptimized \
      -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
      -Dc_args=-fsanitize=fuzzer-no-link
  fi
  local t bins=()
  for t in "${targets[@]}"; do
    bins+=("tests/fuzz/fuzz-$t")
  done
  ninja -C "$fuzz_dir" "${bins[@]}" tests/fuzz/fuzz-seeds

  local status=0
  for t in "${targets[@]}"; do
    # Work on a copy: the committed corpus holds only seeds and crashers.
    local work="$fuzz_dir/fuzz-work/$t"
    local artifacts="$fuzz_dir/fuzz-artifacts/$t/"
    mkdir -p "$work" "$artifacts"
    cp -n "$here/tests/fuzz/corpus/$t/"* "$work/" 2>/dev/null || true
    echo "== fuzz-$t for ${seconds}s (corpus $work, crashes in $artifacts)"
    # leak checks per input; 2 GB RSS and 512 MB per malloc are crashes too
    if ! "$fuzz_dir/tests/fuzz/fuzz-$t" -max_total_time="$seconds" \
        -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 \
        -dict="$here/tests/fuzz/fuzz-$t.dict" \
        -artifact_prefix="$artifacts" -print_final_stats=1 "$work" \
        2>"$fuzz_dir/fuzz-$t.log"; then
      status=1
      echo "fuzz-$t: FOUND A CRASH — see $fuzz_dir/fuzz-$t.log and $artifacts"
    fi
    grep -E '^(stat::|#[0-9]+ +DONE|SUMMARY|==[0-9]+==ERROR)' "$fuzz_dir/fuzz-$t.log" || true
  done
  return $status
}

engine_sources () {
  (cd "$here" && git ls-files 'engine/*.c')
}

do_cppcheck () {
  local src
  mapfile -t src < <(engine_sources)
  # GLib's macros confuse cppcheck's own configuration guessing; give
  # it the include paths and the gtk library file, and report only
  # warnings and worse (style noise is not a finding).
  (cd "$here" && cppcheck --enable=warning,performance,portability \
    --library=gtk --std=c11 --inline-suppr --quiet --error-exitcode=1 \
    -I engine -I engine/dsp -I engine/nn -I engine/media -I engine/store -I engine/synth \
    -D__GNUC__ -DG_LOG_DOMAIN=\"cochlea\" "${src[@]}")
}

do_tidy () {
  local build="${COCHLEA_TIDY_BUILDDIR:-$valgrind_dir}"
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$here" --buildtype=debug
  fi
  local src
  mapfile -t src < <(engine_sources)
  (cd "$here" && clang-tidy -p "$build" --quiet \
    --extra-arg=-Wno-error --extra-arg=-Wno-format-nonliteral \
    --checks='-*,clang-analyzer-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-macro-parentheses,-bugprone-narrowing-conversions,-bugprone-implicit-widening-of-multiplication-result,-bugprone-assignment-in-if-condition,-clang-analyzer-security.insecureAPI.*' \
    "${src[@]}")
}

cmd="${1:-}"
shift || true
case "$cmd" in
  asan) do_asan "$@" ;;
  valgrind) do_valgrind "$@" ;;
  fuzz) do_fuzz "$@" ;;
  cppcheck) do_cppcheck ;;
  tidy) do_tidy ;;
  *)
    echo "usage: bash build-aux/sanitize.sh asan|valgrind|fuzz|cppcheck|tidy [ARGS…]" >&2
    exit 2
    ;;
esac
