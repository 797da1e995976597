#!/usr/bin/env bash
# Fuzz extraction + link + checks with libFuzzer (ASan + UBSan).
#   tests/fuzz/run.sh [seconds]      # default 60: a CI-sized run
# Builds build-fuzz/ with clang++-19, seeds the corpus from every fixture, and runs.
# A crash leaves its input in build-fuzz/crash-* and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-60}
dpkg-query -W -f='${Status}' libclang-rt-19-dev 2>/dev/null | grep -q "install ok installed" || {
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libclang-rt-19-dev >/dev/null
}
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-19 \
  -DCMAKE_C_COMPILER=clang-19 -DCOLDSTART_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz --target fuzz_extract
mkdir -p build-fuzz/corpus build-fuzz/seeds
find fixtures -name '*.cpp' -not -path 'fixtures/include/*' -exec cp {} build-fuzz/seeds/ \;
# The same sources without their #includes parse in milliseconds (into error-recovery
# ASTs, which the extractor must survive too): many more executions per second.
for f in build-fuzz/seeds/*.cpp; do grep -v '^#include' "$f" >"${f%.cpp}.noinc.cpp"; done
cd build-fuzz
ASAN_OPTIONS=detect_leaks=0 ./tests/fuzz/fuzz_extract -max_total_time="$SECONDS_TO_RUN" -max_len=8192 -timeout=60 \
  -rss_limit_mb=6144 -print_final_stats=1 corpus seeds
