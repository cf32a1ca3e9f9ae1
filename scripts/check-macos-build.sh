#!/bin/bash
# Compiles srt for macOS (arm64) on Linux, to catch what would not build on a
# Mac: every object of the macOS build is compiled for real, with macOS's
# system headers and libc++'s. Links are not made (no Mach-O libSystem and
# libc++ to link against here), so this checks compilation only; nothing is
# run. The test suite runs it (test macos/build) with the toolchain
# scripts/fetch-macos-toolchain.sh fetches.
#
#   scripts/check-macos-build.sh TOOLCHAIN [BUILD_DIR]
#
# TOOLCHAIN: either a Zig installation that has macOS's headers
# (lib/libc/include/any-macos-any; what fetch-macos-toolchain.sh prints),
# compiled with its own clang; or a macOS SDK directory holding usr/include
# (MacOSX.sdk) or include (a headers-only copy) with libc++'s headers in
# include/c++/v1, compiled with Debian's clang++.
# Needs: Debian's Boost and fmt headers, meson, ninja, llvm-nm.
set -euo pipefail

toolchain=${1:?usage: $0 TOOLCHAIN [BUILD_DIR]}
build=${2:-build-macos-check}
src=$(cd "$(dirname "$0")/.." && pwd)
if [[ -x $toolchain/zig && -d $toolchain/lib/libc/include/any-macos-any ]]; then
  zig=$(realpath "$toolchain/zig")
else
  zig=
  sdk=$toolchain
  inc=$sdk/usr/include
  [[ -d $inc ]] || inc=$sdk/include
  [[ -f $inc/c++/v1/__config && -f $inc/unistd.h ]] || { echo "$0: $sdk is neither a Zig installation with macOS headers nor an SDK with usr/include (or include) and c++/v1" >&2; exit 2; }
  command -v clang++ >/dev/null || { echo "$0: clang++ is needed" >&2; exit 2; }
  clang_inc=$(clang++ -print-resource-dir)/include
  frameworks=$sdk/System/Library/Frameworks
  [[ -d $frameworks ]] || frameworks=$sdk/Frameworks
fi
nm=$(command -v llvm-nm || ls /usr/bin/llvm-nm-* 2>/dev/null | head -1 || true)
[[ -n $nm ]] || { echo "$0: llvm-nm is needed (Debian: llvm-14)" >&2; exit 2; }

# The wrappers stay next to the build directory: its build.ninja calls them.
tools=$(realpath -m "$build")-tools
rm -rf "$tools" "$build"
# Boost and fmt headers alone, without the rest of /usr/include (Linux's).
mkdir -p "$tools/inc" "$tools/pc" "$tools/lib"
ln -s /usr/include/boost "$tools/inc/boost"
ln -s /usr/include/fmt "$tools/inc/fmt"
# Meson's Boost lookup wants library files; nothing is linked.
for l in json program_options; do : >"$tools/lib/libboost_$l.a"; done
cat >"$tools/pc/fmt.pc" <<PC
Name: fmt
Description: fmt headers
Version: 9.1.0
Cflags: -isystem $tools/inc
Libs:
PC
if [[ -n $zig ]]; then
  # Zig's cache (it keeps what it compiles) stays with the wrappers.
  compile="exec env ZIG_GLOBAL_CACHE_DIR='$tools/zig-cache' ZIG_LOCAL_CACHE_DIR='$tools/zig-cache' '$zig' c++ -target aarch64-macos"
else
  compile="exec clang++ -target arm64-apple-macos13 -nostdinc -nostdinc++ -isystem '$inc/c++/v1' -isystem '$clang_inc' -isystem '$inc' -F'$frameworks'"
fi
cat >"$tools/c++" <<CXX
#!/bin/bash
# Compiles for macOS; answers Meson's linker detection as ld64.lld; fakes links.
case " \$* " in
  *" -Wl,--version "*) echo "LLD 14 (compatible with GNU linkers)"; exit 0 ;;
  *" -Wl,-v "*) echo "ld64.lld: LLD 14" >&2; exit 0 ;;
esac
for a in "\$@"; do
  case "\$a" in
    -c|-E|-M|-MM|-fsyntax-only|--version|-v|-dumpversion)
      $compile "\$@" ;;
  esac
done
out=; prev=
for a in "\$@"; do [[ \$prev == -o ]] && out=\$a; prev=\$a; done
[[ -n \$out ]] && : >"\$out"
exit 0
CXX
cat >"$tools/pkg-config" <<PKG
#!/bin/bash
PKG_CONFIG_LIBDIR="$tools/pc" exec pkg-config "\$@"
PKG
chmod +x "$tools/c++" "$tools/pkg-config"
cat >"$tools/cross.ini" <<INI
[binaries]
cpp = '$tools/c++'
ar = '$(command -v llvm-ar || command -v ar)'
strip = '/bin/true'
pkgconfig = '$tools/pkg-config'

[properties]
boost_includedir = '$tools/inc'
boost_librarydir = '$tools/lib'

[host_machine]
system = 'darwin'
subsystem = 'macos'
kernel = 'xnu'
cpu_family = 'aarch64'
cpu = 'arm64'
endian = 'little'
INI

meson setup "$build" "$src" --cross-file "$tools/cross.ini" -Dtests=false >/dev/null
log=$tools/ninja.log
if ! ninja -C "$build" -k 0 >"$log" 2>&1; then
  grep -E "error|FAILED" "$log" >&2
  echo "macOS build check: FAILED (full log: $log)" >&2
  exit 1
fi
# Boost 1.81 itself warns on the macOS SDK (sprintf is deprecated there);
# srt's own code must not.
if grep -E "warning:" "$log" | grep -v "/boost/" >&2; then
  echo "macOS build check: srt's code has warnings on macOS (full log: $log)" >&2
  exit 1
fi
# Without a link, a function srt declares but defines for Linux only would go
# unnoticed: every srt:: symbol an object uses must be defined by one.
mapfile -t objects < <(find "$build" -name '*.o')
missing=$(comm -23 <("$nm" --undefined-only -j "${objects[@]}" | grep -E '^__ZN?K?3srt' | sort -u) \
                   <("$nm" --defined-only -j "${objects[@]}" | sort -u))
if [[ -n $missing ]]; then
  echo "macOS build check: srt symbols used but defined nowhere on macOS:" >&2
  c++filt -_ <<<"$missing" >&2
  exit 1
fi
echo "macOS build check: every object compiled, no warning in srt's code, every srt symbol defined ($(find "$build" -name '*.o' | wc -l) objects; not linked)"
