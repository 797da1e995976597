#!/usr/bin/env bash
# The Debian package, installed and used as a user would, with nothing of this tree:
#  1. cpack builds the .deb (into a temporary directory); dpkg -I and dpkg -c show its
#     name, version (project()'s), Depends (libclang-cpp19, libllvm19, the package of
#     clang's resource directory), Suggests (clang-tidy-19) and its files;
#  2. dpkg -i installs it;
#  3. /usr/bin/coldstart-lint, run in a temporary directory on copies of the README's
#     examples with no -I (the built-in stand-ins serve the AWS SDK and libcurl), reports
#     bad_handler.cpp's expected findings (fixtures/examples/bad_handler.cpp.expect, exit 1)
#     and nothing for good_handler.cpp (exit 0); a file including clang's own headers
#     (stddef.h, stdarg.h) compiles, so the compiled-in resource directory is found;
#  4. clang-tidy-19 --load=/usr/lib/coldstart-lint/libcoldstart-tidy.so with the README's
#     command (-idirafter /usr/share/coldstart-lint/include) reports the bad handler;
#  5. Debian's pre-commit, in a new git repository with the README's `repo: local`
#     configuration (read from README.md), refuses a bad handler and accepts a good one,
#     with only the system's PATH;
#  6. dpkg --purge removes the package (also when a step fails: a trap), leaving the
#     machine as it was.
# Needs root and dpkg; skips (77) otherwise, and when coldstart-lint is already installed
# (it would not leave that installation as it found it).
# Usage: deb_test.sh <build-dir> <source-dir>
set -uo pipefail
BUILD=$1; SRC=$2
[ "$(id -u)" = 0 ] || { echo "SKIP: installing a .deb needs root"; exit 77; }
for t in dpkg dpkg-query cpack clang-tidy-19 pre-commit git python3 flock; do
  command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done
# One package installation at a time on this machine (other build trees run this test too).
exec 9>/tmp/coldstart-lint-deb-test.lock
flock 9
if dpkg-query -W -f='${Status}' coldstart-lint 2>/dev/null | grep -q "ok installed"; then
  echo "SKIP: the coldstart-lint package is already installed; this test would remove it"
  exit 77
fi
WORK=$(mktemp -d)
INSTALLED=0
cleanup() {
  if [ "$INSTALLED" = 1 ]; then dpkg --purge coldstart-lint >/dev/null 2>&1 || echo "WARN: dpkg --purge failed"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -s "$WORK/log" ] && cat "$WORK/log"; exit 1; }
VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD/CMakeCache.txt")
[ -n "$VERSION" ] || fail "no CMAKE_PROJECT_VERSION in $BUILD/CMakeCache.txt"

# 1. the package
cpack --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg" >"$WORK/log" 2>&1 || fail "cpack"
DEB=$(ls "$WORK"/pkg/coldstart-lint_*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] || fail "cpack made no coldstart-lint_*.deb"
dpkg -I "$DEB" >"$WORK/info" || fail "dpkg -I"
field() { sed -n "s/^ $1: //p" "$WORK/info"; }
[ "$(field Package)" = coldstart-lint ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$VERSION" ] || fail "Version: $(field Version), project() says $VERSION"
DEPENDS=$(field Depends)
for d in libclang-cpp19 libllvm19 libstdc++6 libc6 libclang-common-19-dev; do # names, without versions
  echo "$DEPENDS" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -Fxq "$d" || fail "Depends lacks $d: $DEPENDS"
done
echo "$DEPENDS" | grep -q clang-tidy && fail "clang-tidy is a Depends (only the module needs it): $DEPENDS"
field Suggests | grep -q clang-tidy-19 || fail "Suggests lacks clang-tidy-19: $(field Suggests)"
dpkg -c "$DEB" >"$WORK/files" || fail "dpkg -c"
for f in ./usr/bin/coldstart-lint ./usr/lib/coldstart-lint/libcoldstart-tidy.so \
  ./usr/share/coldstart-lint/include/aws/core/Aws.h ./usr/share/coldstart-lint/include/curl/curl.h \
  ./usr/share/coldstart-lint/include/aws/lambda-runtime/runtime.h \
  ./usr/share/doc/coldstart-lint/README.md ./usr/share/doc/coldstart-lint/checks/coldstart-blocking-call.md \
  ./usr/share/doc/coldstart-lint/examples/pre-commit-config.yaml; do
  grep -q " $f\$" "$WORK/files" || fail "the package lacks $f"
done
echo "package: $(basename "$DEB"), Depends: $DEPENDS; Suggests: $(field Suggests)"

# 2. installed
INSTALLED=1
dpkg -i "$DEB" >"$WORK/log" 2>&1 || fail "dpkg -i"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin XDG_CACHE_HOME="$WORK/cache"
[ "$(command -v coldstart-lint)" = /usr/bin/coldstart-lint ] || fail "coldstart-lint on PATH is $(command -v coldstart-lint)"

# 3. the installed program, away from this tree, with the built-in stand-ins
mkdir "$WORK/run" && cd "$WORK/run" || exit 1
cp "$SRC/fixtures/examples/bad_handler.cpp" "$SRC/fixtures/examples/good_handler.cpp" .
coldstart-lint --version >version.txt && grep -q "coldstart-lint $VERSION" version.txt || fail "--version"
coldstart-lint --explain=coldstart-blocking-call >explain.txt && grep -q "^# coldstart-blocking-call" explain.txt ||
  fail "--explain"
coldstart-lint --format=json bad_handler.cpp -- -std=c++20 >bad.json 2>"$WORK/log"
[ $? = 1 ] || fail "bad_handler.cpp: expected exit 1 (findings)"
python3 - bad.json "$SRC/fixtures/examples/bad_handler.cpp.expect" <<'PY' || fail "bad_handler.cpp's findings"
import json, re, sys
found = json.load(open(sys.argv[1]))["findings"]
expected = []
for line in open(sys.argv[2]):
    m = re.match(r'(\d+): (\S+) "([^"]*)"', line)
    if m:
        expected.append((int(m[1]), m[2], m[3]))
got = sorted((f["line"], f["check"], f["message"]) for f in found)
assert len(got) == len(expected), (got, expected)
for (line, check, fragment), (gline, gcheck, message) in zip(sorted(expected), got):
    assert (line, check) == (gline, gcheck) and fragment in message, ((line, check, fragment), (gline, gcheck, message))
print(f"ok: /usr/bin/coldstart-lint reports bad_handler.cpp's {len(got)} expected findings")
PY
coldstart-lint good_handler.cpp -- -std=c++20 >good.txt 2>"$WORK/log" || fail "good_handler.cpp: expected exit 0"
[ -s good.txt ] && { cat good.txt; fail "findings in good_handler.cpp"; }
printf '#include <stddef.h>\n#include <stdarg.h>\n#include <cstdint>\nsize_t f(int n, ...) { va_list ap; va_start(ap, n); va_end(ap); return sizeof(max_align_t); }\n' >builtin.cpp
coldstart-lint builtin.cpp -- -std=c++20 >"$WORK/log" 2>&1 || fail "clang's resource headers (stddef.h, stdarg.h) not found from /usr/bin"

# 4. the installed clang-tidy module, with the installed stand-ins (the README's command)
clang-tidy-19 --load=/usr/lib/coldstart-lint/libcoldstart-tidy.so --checks='-*,coldstart-*' bad_handler.cpp \
  -- -std=c++20 -idirafter /usr/share/coldstart-lint/include >"$WORK/log" 2>&1
grep -q "bad_handler.cpp:26:3: warning: 'Aws::S3::S3Client' is constructed on every invocation.*\[coldstart-client-per-invocation\]" \
  "$WORK/log" || fail "clang-tidy-19 with the installed module reports no coldstart finding"
grep -q "error:" "$WORK/log" && fail "clang-tidy-19 with the installed stand-ins: compile errors"
echo "ok: clang-tidy-19 --load=/usr/lib/coldstart-lint/libcoldstart-tidy.so reports the bad handler"

# 5. pre-commit with the README's repo: local configuration and the installed program
export PRE_COMMIT_HOME="$WORK/pre-commit-home"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
mkdir "$WORK/repo" && cd "$WORK/repo" && git init -q . || exit 1
python3 - "$SRC/README.md" "$SRC/docs/integrations/pre-commit-config.yaml" >.pre-commit-config.yaml <<'PY' ||
import re, sys, yaml
blocks = re.findall(r"```yaml\n(.*?)```", open(sys.argv[1]).read(), re.S)
local = [b for b in blocks if "repo: local" in b]
assert local, "no `repo: local` yaml block in README.md"
# docs/integrations/pre-commit-config.yaml is the same configuration with comments.
assert yaml.safe_load(local[0]) == yaml.safe_load(open(sys.argv[2])), "README and docs/integrations differ"
sys.stdout.write(local[0])
PY
  fail "the README's pre-commit configuration"
printf -- '-std=c++20\n' >compile_flags.txt
git add .pre-commit-config.yaml compile_flags.txt && git commit -q -m "set up" || fail "initial commit"
pre-commit install >"$WORK/log" 2>&1 || fail "pre-commit install"
cp "$SRC/fixtures/examples/bad_handler.cpp" handler.cpp
git add handler.cpp
if git commit -q -m "bad handler" >"$WORK/log" 2>&1; then fail "pre-commit accepted the bad handler"; fi
grep -q "handler.cpp:26:3: warning: 'Aws::S3::S3Client' is constructed on every invocation" "$WORK/log" ||
  fail "pre-commit does not show the finding"
cp "$SRC/fixtures/examples/good_handler.cpp" handler.cpp
git add handler.cpp
git commit -q -m "good handler" >"$WORK/log" 2>&1 || fail "pre-commit refused the good handler"
echo "ok: pre-commit with the README's repo: local hook refused the bad handler and accepted the good one"

# 6. removed
cd / && dpkg --purge coldstart-lint >"$WORK/log" 2>&1 || fail "dpkg --purge"
INSTALLED=0
[ -e /usr/bin/coldstart-lint ] && fail "/usr/bin/coldstart-lint is still there after dpkg --purge"
echo "ok: the package built, installed, ran and was removed"
