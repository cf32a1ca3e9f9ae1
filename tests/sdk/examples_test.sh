#!/bin/bash
# The SDK out of tree: install srt into a scratch prefix, build the examples
# against it with PKG_CONFIG_PATH only, and run them through the build tree's
# srt (SRT_PLUGIN_PATH). Usage: examples_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
scratch=$(mktemp -d /tmp/srt-sdk-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

meson install -C "$build" --destdir "$scratch/inst" --no-rebuild --quiet >/dev/null
pc=$(find "$scratch/inst" -name srt-plugin.pc -print -quit)
[[ -n "$pc" ]] || fail "meson install put no srt-plugin.pc in the prefix"
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
pkg-config --cflags srt-plugin | grep -q "$scratch/inst" || fail "srt-plugin.pc does not point into the install: $(pkg-config --cflags srt-plugin)"

meson setup "$scratch/backend" "$src/examples/backend" >"$scratch/setup.log" 2>&1 || { cat "$scratch/setup.log"; fail "meson setup of examples/backend"; }
ninja -C "$scratch/backend" >"$scratch/build.log" 2>&1 || { cat "$scratch/build.log"; fail "building examples/backend"; }

srt=$build/core/srt
export SRT_PLUGIN_PATH=$scratch/backend
out=$("$srt" backends 2>&1) || fail "srt backends: $out"
[[ "$out" == *"backend   example"* ]] || fail "srt backends does not list the example backend: $out"

mkdir -p "$scratch/work"
cd "$scratch/work"
cat >"$scratch/settings.json" <<JSON
{"filesystem": {"allowWrite": ["$scratch/work"], "denyWrite": ["$scratch/work/locked"]}}
JSON
"$srt" -s "$scratch/settings.json" --backend example -- sh -c "echo inside > $scratch/work/allowed" ||
  fail "a write the policy allows failed"
[[ "$(cat "$scratch/work/allowed")" == inside ]] || fail "the allowed write did not land"
status=0
err=$("$srt" -s "$scratch/settings.json" --backend example -- sh -c "echo outside > $scratch/forbidden" 2>&1) || status=$?
[[ $status -ne 0 ]] || fail "a write outside allowWrite succeeded"
[[ ! -e "$scratch/forbidden" ]] || fail "the forbidden file exists"
[[ "$err" == *"Read-only file system"* ]] || fail "expected a read-only file system, got: $err"

# A denyWrite inside allowWrite, and a Unix socket (srt's filter, applied by
# its helper inside the example's sandbox).
status=0
"$srt" -s "$scratch/settings.json" --backend example -- sh -c "echo x > $scratch/work/locked" 2>/dev/null || status=$?
[[ $status -ne 0 && ! -e "$scratch/work/locked" ]] || fail "a write to a denyWrite path inside allowWrite succeeded"
status=0
err=$("$srt" -s "$scratch/settings.json" --backend example -- python3 -c 'import socket; socket.socket(socket.AF_UNIX)' 2>&1) || status=$?
[[ $status -ne 0 && "$err" == *"Operation not permitted"* ]] || fail "a Unix socket could be created ($status): $err"
echo "PASS: examples built against the installed SDK"
