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

# The same plugin in a parent Meson project that has srt as a subproject:
# dependency('srt-plugin') is then srt's own override (no pkg-config).
mkdir -p "$scratch/parent/subprojects"
ln -s "$src" "$scratch/parent/subprojects/srt"
cp "$src/examples/backend/example_backend.cpp" "$src/examples/backend/json_impl.cpp" "$scratch/parent/"
sed "s/dependency('srt-plugin')/dependency('srt-plugin', fallback: 'srt')/" "$src/examples/backend/meson.build" >"$scratch/parent/meson.build"
(unset PKG_CONFIG_PATH; meson setup "$scratch/parent-build" "$scratch/parent" -Dwrap_mode=forcefallback -Dsrt:tests=false \
  >"$scratch/sub.log" 2>&1) || { cat "$scratch/sub.log"; fail "meson setup with srt as a subproject"; }
ninja -C "$scratch/parent-build" srt-backend-example.so >>"$scratch/sub.log" 2>&1 || { cat "$scratch/sub.log"; fail "building the plugin against the subproject"; }

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
# The acceptance test for a third-party backend.
out=$("$srt" selftest --backend example 2>&1) || fail "srt selftest --backend example: $out"
[[ "$out" == *"passed: every escape of what backend example claims to enforce was blocked"* ]] || fail "selftest: $out"

# The network example, named "http": first in the search path, it replaces
# srt's own HTTP proxy.
meson setup "$scratch/network" "$src/examples/network" >"$scratch/setup.log" 2>&1 || { cat "$scratch/setup.log"; fail "meson setup of examples/network"; }
ninja -C "$scratch/network" >"$scratch/build.log" 2>&1 || { cat "$scratch/build.log"; fail "building examples/network"; }
export SRT_PLUGIN_PATH=$scratch/network
out=$("$srt" backends 2>&1) || true
[[ "$out" == *"$scratch/network/srt-network-http.so"* ]] || fail "srt backends does not list the example network plugin: $out"
[[ "$out" == *'network plugin "http" is already provided by'* ]] || fail "srt's own http plugin is not shown as replaced: $out"

"$build/tests/tools/test-server" http 0 "$scratch/http.log" >"$scratch/server.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 100); do [[ -s "$scratch/server.out" ]] && break; sleep 0.05; done
port=$(head -1 "$scratch/server.out")
[[ -n "$port" ]] || fail "the test server did not start"
echo '{"network": {"allowedDomains": ["localhost"]}}' >"$scratch/net.json"
curl_p="curl -sS -i --max-time 20 --noproxy '' -p -x \"\$HTTP_PROXY\""
out=$("$srt" -s "$scratch/net.json" -d -- sh -c "$curl_p http://localhost:$port/through-example" 2>"$scratch/net.err") ||
  fail "the allowed request failed: $out $(cat "$scratch/net.err")"
[[ "$out" == *"200 Connection Established"* && "$out" == *"hello from host server"* ]] || fail "the allowed request was not carried: $out"
grep -q "example proxy: CONNECT localhost:$port allowed" "$scratch/net.err" || fail "the example proxy did not log its decision: $(cat "$scratch/net.err")"
out=$("$srt" -s "$scratch/net.json" -- sh -c "$curl_p http://127.0.0.1:$port/refused; true" 2>&1)
[[ "$out" == *"403 Forbidden"* && "$out" == *"X-Proxy-Error: blocked-by-allowlist"* ]] || fail "the denied request was not refused: $out"
grep -q "refused" "$scratch/http.log" 2>/dev/null && fail "the refused request reached the server"
[[ "$(grep -c "REQUEST" "$scratch/http.log")" == 1 ]] || fail "the server saw $(grep -c REQUEST "$scratch/http.log") requests, expected 1"
echo "PASS: examples built against the installed SDK"
