#!/usr/bin/env bash
# cmake --install into a temporary prefix (no root needed; integration:deb tests the
# package made from the same rules): the files land where README "Install" says, and the
# installed program and clang-tidy module work from a temporary directory with only
# installed files (the program's built-in stand-ins; the module with the installed ones).
# Usage: install_test.sh <build-dir> <source-dir>
set -uo pipefail
BUILD=$1; SRC=$2
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
export XDG_CACHE_HOME="$WORK/cache"
fail() { echo "FAIL: $*"; [ -s "$WORK/log" ] && cat "$WORK/log"; exit 1; }
P=$WORK/prefix
cmake --install "$BUILD" --prefix "$P" >"$WORK/log" 2>&1 || fail "cmake --install"
for f in bin/coldstart-lint share/coldstart-lint/include/aws/core/Aws.h share/coldstart-lint/include/curl/curl.h \
  share/coldstart-lint/include/httplib.h share/doc/coldstart-lint/README.md \
  share/doc/coldstart-lint/checks/coldstart-client-per-invocation.md share/doc/coldstart-lint/examples/bad_handler.cpp; do
  [ -f "$P/$f" ] || fail "cmake --install did not install $f"
done
for page in "$SRC"/checks/*/page.md; do
  id=$(basename "$(dirname "$page")")
  cmp -s "$page" "$P/share/doc/coldstart-lint/checks/$id.md" || fail "checks/$id/page.md not installed as checks/$id.md"
done
mkdir "$WORK/run" && cd "$WORK/run" || exit 1
cp "$SRC/fixtures/examples/bad_handler.cpp" .
"$P/bin/coldstart-lint" --format=json bad_handler.cpp -- -std=c++20 >bad.json 2>"$WORK/log"
[ $? = 1 ] || fail "the installed program: expected findings (exit 1)"
python3 -c 'import json,sys; n=len(json.load(open(sys.argv[1]))["findings"]); assert n == 6, n' bad.json ||
  fail "the installed program: expected 6 findings"
if [ -f "$BUILD/libcoldstart-tidy.so" ]; then
  [ -f "$P/lib/coldstart-lint/libcoldstart-tidy.so" ] || fail "the clang-tidy module is not installed"
  clang-tidy-19 --load="$P/lib/coldstart-lint/libcoldstart-tidy.so" --checks='-*,coldstart-*' bad_handler.cpp \
    -- -std=c++20 -idirafter "$P/share/coldstart-lint/include" >"$WORK/log" 2>&1
  grep -q "\[coldstart-client-per-invocation\]" "$WORK/log" || fail "the installed clang-tidy module reports nothing"
fi
echo "ok: cmake --install put every file in place, and the installed program and module work"
