#!/usr/bin/env bash
# Builds the .deb with CPack from a build folder and checks it: the files it installs,
# the Debian packages it depends on, and that the binary it holds runs. The sonames
# after the folder are the libraries the binary loads with dlopen when first used.
# Usage: check_package.sh BUILD_DIR [SONAME...]
set -euo pipefail
build="$(cd "$1" && pwd)"
shift
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1 \
  || { cat "$scratch/cpack.log"; exit 1; }
deb="$(ls "$scratch"/out/aiops_*_*.deb)"
fail() { echo "check_package: $*"; exit 1; }

files="$(dpkg-deb --contents "$deb" | awk '{print $6}')"
for want in ./usr/bin/aiops ./usr/share/man/man1/aiops.1; do
  grep -qx -- "$want" <<<"$files" || fail "$want is not in $(basename "$deb")"
done
depends="$(dpkg-deb --field "$deb" Depends)"
for want in libcurl4 libgit2 libre2 libyaml-cpp libfmt libjemalloc2 libstdc++6; do
  grep -q -- "$want" <<<"$depends" || fail "Depends lacks $want: $depends"
done

dpkg-deb --extract "$deb" "$scratch/root"
# dpkg-shlibdeps cannot see a library loaded with dlopen: the binary must not link it,
# and Depends must name the package that ships it.
needed="$(readelf -d "$scratch/root/usr/bin/aiops" | grep NEEDED)"
for soname in "$@"; do
  ! grep -qF "[$soname]" <<<"$needed" || fail "the binary links $soname rather than loading it"
  owner="$(dpkg-query -S "*/$soname" | head -n 1 | cut -d: -f1)" || fail "no package here ships $soname"
  grep -qE "(^|, )$owner \(" <<<"$depends" || fail "Depends lacks $owner, which ships $soname: $depends"
done
version="$("$scratch/root/usr/bin/aiops" --version | head -n 1)"
[ "$version" = "aiops $(dpkg-deb --field "$deb" Version)" ] || fail "the packaged binary says '$version'"
man --local-file --warnings "$scratch/root/usr/share/man/man1/aiops.1" >/dev/null 2>"$scratch/man.log" \
  || fail "the man page does not format: $(cat "$scratch/man.log")"
[ ! -s "$scratch/man.log" ] || fail "the man page has warnings: $(cat "$scratch/man.log")"
echo "check_package: $(basename "$deb") is sound (Depends: $depends)"
