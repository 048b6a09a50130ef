#!/usr/bin/env bash
# The Debian packages (cmake/packaging.cmake): `cpack -G DEB` in the build
# tree makes libsspf0, libsspf-dev and sspf-tool; each is unpacked with
# `dpkg -x` into one scratch root, and from there
#   - sspf-tool --version runs against the packaged library,
#   - a find_package(sspf) consumer (tests/consumer/find_package) builds and runs,
#   - every Depends names a package that dpkg knows (shlibdeps worked),
#   - each file is in the package it belongs to.
# Usage: deb_test.sh BUILD_DIR SOURCE_DIR CPACK CMAKE CTEST.  Exit 77 (skipped)
# when dpkg-deb or dpkg-shlibdeps is missing (not a Debian system).
set -euo pipefail
build=$1 source=$2 cpack=$3 cmake=$4 ctest=$5

for tool in dpkg-deb dpkg-shlibdeps dpkg-query; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is missing (install dpkg-dev); the .deb packages were not built"
    exit 77
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkgs" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack -G DEB failed"; }

version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
[ -n "$version" ] || fail "no CPACK_PACKAGE_VERSION in CPackConfig.cmake"
major=${version%%.*}
declare -A deb
for name in "libsspf$major" libsspf-dev sspf-tool; do
  file=$(ls "$work/pkgs/${name}_${version}"_*.deb 2>/dev/null | head -n1 || true)
  [ -n "$file" ] || { ls "$work/pkgs"; fail "package $name $version was not built"; }
  deb[$name]=$file
  [ "$(dpkg-deb -f "$file" Package)" = "$name" ] || fail "$file is not package $name"
  [ "$(dpkg-deb -f "$file" Version)" = "$version" ] || fail "$name has the wrong version"
  dpkg-deb -x "$file" "$work/root"
done

contents() { dpkg-deb -c "${deb[$1]}" | awk '{print $6}'; }
has() { contents "$1" | grep -Eq "$2" || fail "$1 lacks $2"; }
lacks() { ! contents "$1" | grep -Eq "$2" || fail "$1 must not contain $2"; }
has "libsspf$major" "/libsspf\.so\.$major$"
lacks "libsspf$major" "/include/|\.pc$|\.cmake$|/bin/"
has libsspf-dev "/include/sspf/sspf\.h$"
has libsspf-dev "/include/sspf/store\.h$"
has libsspf-dev "/libsspf\.so$"
has libsspf-dev "/cmake/sspf/sspfConfig\.cmake$"
has libsspf-dev "/pkgconfig/sspf\.pc$"
lacks libsspf-dev "/libsspf\.so\.$major"
has sspf-tool "/bin/sspf-tool$"
has sspf-tool "/libexec/sspf/sspf-tool-core$"
has sspf-tool "/bin/sspf-verify-export$"
has sspf-tool "/man1/sspf-tool\.1"
has sspf-tool "/bash-completion/completions/sspf-tool$"
lacks sspf-tool "/libsspf\.so"
# Private headers never ship.
for p in "${!deb[@]}"; do lacks "$p" "session_impl\.h|/db\.h$|sqlite3\.h|sodium\.h"; done

# Dependencies: shlibdeps found the libraries' packages, and the hand-written
# ones name libsspf0 at this version.  Each name must be a package dpkg knows.
depends() { dpkg-deb -f "${deb[$1]}" Depends; }
depends "libsspf$major" | grep -q libsodium || fail "libsspf$major does not depend on libsodium: $(depends "libsspf$major")"
depends "libsspf$major" | grep -q libsqlcipher || fail "libsspf$major does not depend on libsqlcipher"
depends sspf-tool | grep -q "libsspf$major (= $version)" || fail "sspf-tool does not depend on libsspf$major (= $version)"
depends sspf-tool | grep -q libboost-program-options || fail "sspf-tool lacks its boost dependency (shlibdeps)"
depends libsspf-dev | grep -q "libsspf$major (= $version)" || fail "libsspf-dev does not depend on libsspf$major"
[ -n "$(dpkg-deb -f "${deb[libsspf$major]}" Depends | grep -o libc6)" ] || fail "libsspf$major lacks libc6 (shlibdeps did not run)"
for p in "${!deb[@]}"; do
  depends "$p" | tr ',' '\n' | sed 's/|.*//; s/(.*//; s/ //g' | while read -r dep; do
    [ -z "$dep" ] && continue
    [[ $dep == libsspf$major ]] && continue
    dpkg-query -W "$dep" >/dev/null 2>&1 || fail "$p depends on $dep, which dpkg does not know"
  done
done
dpkg-deb -c "${deb[libsspf$major]}" >/dev/null
dpkg-deb --ctrl-tarfile "${deb[libsspf$major]}" | tar -t | grep -q 'shlibs' ||
  fail "libsspf$major has no shlibs file"

# The unpacked root works: the tool runs on the packaged library ...
libdir=$(dirname "$(find "$work/root" -name "libsspf.so.$major" | head -n1)")
out=$(LD_LIBRARY_PATH="$libdir" "$work/root/usr/bin/sspf-tool" --version)
echo "$out" | grep -q "$version" || fail "sspf-tool --version from the package said: $out"
# (sspf-tool is the light front end; the full tool it runs is in libexec.)
ldd_out=$(LD_LIBRARY_PATH="$libdir" ldd "$work/root/usr/libexec/sspf/sspf-tool-core")
echo "$ldd_out" | grep "libsspf.so.$major" | grep -q "$work/root" ||
  fail "sspf-tool-core did not load the packaged libsspf: $ldd_out"
front=$(ldd "$work/root/usr/bin/sspf-tool" 2>&1 || true)  # static: "not a dynamic executable"
if echo "$front" | grep -qE "libsspf|libsqlcipher|libcrypto|libboost"; then
  fail "the front end sspf-tool loads the library stack: $front"
fi

# ... and a find_package(sspf) consumer builds and runs against it.
"$ctest" --build-and-test "$source/tests/consumer/find_package" "$work/consumer" \
  --build-generator "Unix Makefiles" \
  --build-options -DCMAKE_PREFIX_PATH="$work/root/usr" -DCMAKE_BUILD_TYPE=Release \
  --test-command "$ctest" --output-on-failure >"$work/consumer.log" 2>&1 ||
  { cat "$work/consumer.log"; fail "the find_package(sspf) consumer failed on the packaged files"; }
grep -q "$work/root/usr" "$work/consumer/CMakeCache.txt" ||
  fail "the consumer did not find sspf in the scratch root"

echo "ok: ${deb[*]##*/} built, unpacked, and used"
