#!/usr/bin/env bash
# The pre-commit hook across files, with Debian's pre-commit: a project whose handler
# (main.cpp) is committed first; a later commit of only helpers.cpp, whose S3Client is
# built on every call from that handler, must be refused with the handler's path. The
# compilation database is in build/ (found as clangd finds it), flags nowhere else.
set -uo pipefail
TOOL_DIR=$(dirname "$1")     # build dir holding coldstart-lint
FIX=$2/fixtures
command -v pre-commit >/dev/null || { echo "SKIP: pre-commit not installed"; exit 77; }
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
export PATH="$TOOL_DIR:$PATH" PRE_COMMIT_HOME="$WORK/pre-commit-home" XDG_CACHE_HOME="$WORK/cache"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
fail() { echo "FAIL: $*"; cat "$WORK/log" 2>/dev/null; exit 1; }

cd "$WORK" && git init -q repo && cd repo
cat >.pre-commit-config.yaml <<'YAML'
repos:
  - repo: local
    hooks:
      - id: coldstart-lint
        name: coldstart-lint
        entry: coldstart-lint
        language: system
        types_or: [c, c++]
        require_serial: true
YAML
printf 'build/\n' >.gitignore
mkdir -p src build
cp "$FIX"/projects/two_tu/*.cpp "$FIX"/projects/two_tu/*.h src/
sed "s#@DIR@#$PWD/src#g; s#@FIXTURES@#$FIX#g" "$FIX/projects/two_tu/compile_commands.json.in" >build/compile_commands.json
git add .pre-commit-config.yaml .gitignore && git commit -q -m "set up" || fail "initial commit"
pre-commit install >"$WORK/log" 2>&1 || fail "pre-commit install"

git add src/main.cpp src/helpers.h
git commit -q -m "handler" >"$WORK/log" 2>&1 || fail "the commit of the handler alone was refused"

git add src/helpers.cpp
if git commit -q -m "helpers" >"$WORK/log" 2>&1; then fail "the commit of helpers.cpp alone was accepted"; fi
grep -q "src/helpers.cpp:29:3: warning: 'Aws::S3::S3Client' is constructed on every invocation" "$WORK/log" ||
  fail "the helper's finding is not shown"
grep -q "src/main.cpp:[0-9]*:[0-9]*: note: 'handler' runs on every invocation" "$WORK/log" ||
  fail "the path to the handler in main.cpp is not shown"
echo "ok: pre-commit refused helpers.cpp, whose client is built per invocation of main.cpp's handler"
