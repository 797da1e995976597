#!/usr/bin/env bash
# Sets up coldstart-lint on Debian 12: installs what is missing (apt-get, as root or
# with sudo), builds into build/, and runs the linter on the bundled example handlers.
# Idempotent: a second run installs nothing and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")"

# Build: compilers and CMake. Analysis: LLVM/Clang 19 (and clang-tidy-19's headers for
# the clang-tidy module). Libraries: nlohmann/json, fmt, Catch2 v2. Fixtures: real
# headers of the libraries the catalog knows (libcurl, cpp-httplib, libpq/libpqxx,
# MariaDB, hiredis, OpenSSL, gRPC, Boost). Integration tests: pre-commit, git, Node.js
# and npm (for the SARIF validator and an LSP client), python3, Neovim (the editor
# configuration of docs/integrations). Style: clang-format-19.
PACKAGES=(
  build-essential cmake ninja-build git python3
  llvm-19-dev libclang-19-dev libclang-cpp19-dev clang-19 clang-tools-19 clang-tidy-19 clang-format-19
  nlohmann-json3-dev libfmt-dev catch2
  libcurl4-openssl-dev libcpp-httplib-dev libpq-dev libpqxx-dev libmariadb-dev libhiredis-dev
  libssl-dev libgrpc++-dev libboost-dev
  pre-commit neovim
)
# Node.js: use the machine's if it has one (npm 11 on this project's machines), else Debian's.
command -v npm >/dev/null || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install packages" >&2; exit 1; }
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build

# npm packages for the integration tests, pinned: Microsoft's SARIF validator and an
# LSP client library. npm 11 does not run the validator's install script, which only
# makes its binary executable.
NPM_PKGS=(@microsoft/sarif-multitool@5.7.0 vscode-jsonrpc@8.2.1)
if [ ! -d build/npm/node_modules/vscode-jsonrpc ] || [ ! -d build/npm/node_modules/@microsoft/sarif-multitool-linux ]; then
  mkdir -p build/npm
  npm install --prefix build/npm --no-audit --no-fund --loglevel=error "${NPM_PKGS[@]}" >/dev/null
fi
chmod u+x build/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool 2>/dev/null || true

echo
echo "== coldstart-lint on the bundled examples (fixtures/examples) =="
set +e
./build/coldstart-lint fixtures/examples/bad_handler.cpp fixtures/examples/good_handler.cpp \
  -- -std=c++20 -Ifixtures/include
status=$?
set -e
# 1 means "findings", which is what the bad example is for; anything else is a failure.
if [ "$status" -ne 1 ]; then
  echo "setup: expected findings in the bad example (exit 1), got exit $status" >&2
  exit 1
fi
echo
echo "setup: done. Run the tests with: ctest --test-dir build --output-on-failure -j2"
