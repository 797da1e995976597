#!/usr/bin/env bash
# Builds the tool and the test suite with AddressSanitizer and UndefinedBehaviorSanitizer
# (build-asan/) and runs the suite. Everything except cli:memory_limit runs (an
# address-space limit and ASan's shadow memory do not mix), and the tests named below.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DCMAKE_MODULE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build build-asan
[ -d build/npm ] && [ ! -e build-asan/npm ] && ln -s "$PWD/build/npm" build-asan/npm
# Leaks: LLVM keeps some allocations to process exit by design, and children _exit.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The clang-tidy module cannot be loaded into an uninstrumented clang-tidy-19 with ASan;
# the scaffold test builds a release clone of its own, which tests the scaffold, not memory;
# the install and package tests load the installed module into clang-tidy too (and the
# package test installs system-wide).
ctest --test-dir build-asan --output-on-failure -j2 \
  -E 'cli:memory_limit|integration:clang-tidy|scaffold:clone_build|integration:install|integration:deb'
