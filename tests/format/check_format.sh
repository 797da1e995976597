#!/usr/bin/env bash
# The code keeps the style of .clang-format: clang-format-19 would change nothing in
# include/, checks/ (fixtures excluded: their lines carry expectations), tool/ and tests/.
# Usage: check_format.sh <source-dir> <clang-format-19>
set -uo pipefail
SRC=$1; CF=$2
[ -x "$CF" ] || { echo "SKIP: clang-format-19 not installed (setup.sh installs it)"; exit 77; }
cd "$SRC" || exit 1
mapfile -t files < <(git ls-files include checks tool tests | grep -E '\.(h|cpp)$' | grep -v '/fixtures/')
[ "${#files[@]}" -gt 0 ] || { echo "FAIL: no sources found (not a git work tree?)"; exit 1; }
if ! "$CF" --dry-run -Werror "${files[@]}"; then
  echo "FAIL: run: clang-format-19 -i \$(git ls-files include checks tool tests | grep -E '\\.(h|cpp)\$' | grep -v /fixtures/)"
  exit 1
fi
echo "ok: ${#files[@]} files formatted"
