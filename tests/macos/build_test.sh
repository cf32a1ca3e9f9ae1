#!/usr/bin/env bash
# Test macos/build: every object of srt's macOS build compiles for arm64 macOS
# (scripts/check-macos-build.sh), with the pinned Zig toolchain fetched from
# the npm registry (scripts/fetch-macos-toolchain.sh) into the build tree.
# Nothing is linked or run: no Mac here.
#
# Exit 0 pass, 1 fail, 77 skip (the toolchain cannot be had here); under
# CI=true a check that cannot run fails instead of skipping.
set -euo pipefail
: "${SRT_BUILD_DIR:?run through meson test}"
src=$(cd "$(dirname "$0")/../.." && pwd)

skip() {
  echo "SKIP: $*" >&2
  if [[ "${CI:-}" == "true" ]]; then
    echo "FAIL: CI=true, and a check that cannot run is a failure" >&2
    exit 1
  fi
  exit 77
}

set +e
toolchain=$("$src/scripts/fetch-macos-toolchain.sh" "$SRT_BUILD_DIR/macos-toolchain")
status=$?
set -e
[[ $status == 0 ]] || skip "no macOS toolchain (scripts/fetch-macos-toolchain.sh exited $status)"
exec "$src/scripts/check-macos-build.sh" "$toolchain" "$SRT_BUILD_DIR/macos-check"
