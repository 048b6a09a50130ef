#!/usr/bin/env bash
# libsspf setup: installs the Debian packages the project needs (when
# missing), configures and builds, then runs what was asked for.
#
#   tools/setup.sh demo    build, then run the end-to-end SSPF demo on a
#                          throwaway store
#   tools/setup.sh test    build, run the whole test suite, then build with
#                          ASan+UBSan (clang, with libFuzzer targets) and run
#                          the suite again
#   tools/setup.sh build   build only
#
# Environment: BUILD_DIR (default ./build), ASAN_BUILD_DIR (./build-asan),
# JOBS (default: number of CPUs), SSPF_SKIP_ASAN=1 to skip the sanitizer pass.
set -euo pipefail

mode=${1:-build}
case "$mode" in demo|test|build) ;; *)
  echo "usage: tools/setup.sh demo|test|build" >&2; exit 2;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
asan_build=${ASAN_BUILD_DIR:-$root/build-asan}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

packages=(libsodium-dev libsqlcipher-dev libssl-dev libboost-program-options-dev catch2
          nlohmann-json3-dev pkg-config cmake g++ make python3)
if [ "$mode" = test ]; then
  # clang + libFuzzer runtime for the sanitizer/fuzz pass, valgrind for the
  # C API memcheck, Python's cryptography for the independent Ed25519 check
  # of checkpoints in the audit CLI test (tools/verify_export.py), Go and its
  # golang.org/x/mod sources for the tlog interop test of consistency proofs,
  # faketime for the clock-set-back test, dpkg-dev (dpkg-shlibdeps) and file
  # for the .deb packaging test.
  packages+=(clang libclang-rt-14-dev valgrind python3-cryptography
             golang-go golang-golang-x-mod-dev faketime dpkg-dev file)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "== configuring and building in $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs"

case "$mode" in
  build)
    echo "== built: $build/tools/sspf-tool/sspf-tool";;
  demo)
    exec "$root/tools/demo.sh" "$build/tools/sspf-tool/sspf-tool";;
  test)
    echo "== running the test suite ($build)"
    ctest --test-dir "$build" --output-on-failure -j "$jobs"
    if [ "${SSPF_SKIP_ASAN:-0}" != 1 ]; then
      echo "== ASan+UBSan build with clang and libFuzzer targets in $asan_build"
      san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
      CC=clang CXX=clang++ cmake -S "$root" -B "$asan_build" -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_C_FLAGS="$san" -DCMAKE_CXX_FLAGS="$san" \
        -DCMAKE_EXE_LINKER_FLAGS="$san" -DCMAKE_SHARED_LINKER_FLAGS="$san" \
        -DSSPF_BUILD_FUZZERS=ON >/dev/null
      cmake --build "$asan_build" -j "$jobs"
      echo "== running the test suite under ASan+UBSan ($asan_build)"
      # valgrind cannot run ASan binaries; the consumer and packaging tests
      # install or package the plain build and are covered above.
      ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir "$asan_build" --output-on-failure -j "$jobs" -LE 'valgrind|consumer|packaging|bench'
    fi
    echo "== all tests passed";;
esac
