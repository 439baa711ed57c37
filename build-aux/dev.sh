#!/usr/bin/env bash
# build-aux/dev.sh — the one set-up script behind the README's two commands.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bash build-aux/dev.sh run    install what is missing, build, start the app
#   bash build-aux/dev.sh test   install what is missing, build, run every test
#   bash build-aux/dev.sh deps   only install what is missing
#   bash build-aux/dev.sh bench-deps   also install the yardsticks used by bench/
#
# Idempotent: packages already installed are not touched, and apt is not
# called at all when nothing is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${COCHLEA_BUILDDIR:-$here/_build}"

# What building, running and testing need.  Kept sorted.
packages=(
  appstream
  build-essential
  dbus
  desktop-file-utils
  espeak-ng
  fluid-soundfont-gm
  fonts-dejavu-core
  gettext
  gstreamer1.0-libav
  gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good
  gstreamer1.0-tools
  libadwaita-1-dev
  libebur128-dev
  libfftw3-dev
  libfluidsynth-dev
  libgl1-mesa-dri
  libglib2.0-dev
  libgstreamer-plugins-base1.0-dev
  libgstreamer1.0-dev
  libgtk-4-bin
  libgtk-4-dev
  libjson-glib-dev
  libopenblas-dev
  libsqlite3-dev
  librsvg2-common
  meson
  ninja-build
  pkg-config
  sox
  timgm6mb-soundfont
  xauth
  xvfb
)

# Only for bench/ and for regenerating test fixtures; never needed by CI.
bench_packages=(
  aubio-tools
  bc
  colobot-common-sounds
  drascula-music
  ffmpeg
  flatpak-builder
  fluidsynth
  hedgewars-data
  hyperfine
  hyperrogue-music
  imagemagick
  naev-data
  neverball-common
  nexuiz-music
  nodejs
  planetblupi-music-ogg
  pushover-data
  python3-mir-eval
  python3-numpy
  python3-torch
  python3-torchaudio
  singularity-music
  sqlite3
  supertux-data
  time
  ufoai-music
  warzone2100-music
  wesnoth-1.16-music
)

install_missing () {
  local missing=()
  local p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "dev.sh: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "dev.sh: missing packages and not root; run as root or install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build () {
  if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" "$here" --buildtype=debugoptimized
  fi
  ninja -C "$builddir"
}

run_tests () {
  local log="$builddir/meson-logs/testlog.txt"
  local status=0
  # GUI tests need a display and a session bus (see platform notes).
  xvfb-run -a -s '-screen 0 1280x800x24' \
    dbus-run-session -- \
    meson test -C "$builddir" --print-errorlogs --num-processes 2 || status=$?
  # meson counts test programs; the line CI reads counts them the same way.
  local json="$builddir/meson-logs/testlog.json"
  local passed failed skipped
  passed=$(grep -c '"result": "OK"' "$json" || true)
  skipped=$(grep -c '"result": "SKIP"' "$json" || true)
  failed=$(grep -c -E '"result": "(FAIL|ERROR|TIMEOUT|UNEXPECTEDPASS)"' "$json" || true)
  echo "${passed} passed, ${failed} failed, ${skipped} skipped"
  if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
    return 1
  fi
}

case "${1:-}" in
  deps)
    install_missing "${packages[@]}"
    ;;
  bench-deps)
    install_missing "${packages[@]}" "${bench_packages[@]}"
    ;;
  run)
    install_missing "${packages[@]}"
    build
    shift
    # Uninstalled run: the compiled schema lives in the build dir.
    export GSETTINGS_SCHEMA_DIR="$builddir/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
    exec "$builddir/app/cochlea" "$@"
    ;;
  test)
    install_missing "${packages[@]}"
    build
    run_tests
    ;;
  *)
    echo "usage: bash build-aux/dev.sh run|test|deps|bench-deps" >&2
    exit 2
    ;;
esac
