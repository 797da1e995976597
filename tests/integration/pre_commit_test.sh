#!/usr/bin/env bash
# The pre-commit hook, with Debian's pre-commit: a throwaway repository that uses this
# repository's .pre-commit-hooks.yaml refuses a commit of a bad handler (and shows the
# finding) and accepts a good one.
set -uo pipefail
TOOL_DIR=$(dirname "$1")     # build dir holding coldstart-lint
SRC=$2                       # this repository (a git work tree)
FIX=$SRC/fixtures
command -v pre-commit >/dev/null || { echo "SKIP: pre-commit not installed"; exit 77; }
git -C "$SRC" rev-parse HEAD >/dev/null 2>&1 || { echo "SKIP: $SRC is not a git work tree"; exit 77; }
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
export PATH="$TOOL_DIR:$PATH" PRE_COMMIT_HOME="$WORK/pre-commit-home" XDG_CACHE_HOME="$WORK/cache"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
REV=$(git -C "$SRC" rev-parse HEAD)
fail() { echo "FAIL: $*"; cat "$WORK/log" 2>/dev/null; exit 1; }

cd "$WORK" && git init -q repo && cd repo
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $SRC
    rev: $REV
    hooks:
      - id: coldstart-lint
YAML
printf -- '-std=c++20\n-I%s/include\n' "$FIX" >compile_flags.txt
git add .pre-commit-config.yaml compile_flags.txt && git commit -q -m "set up" || fail "initial commit"
pre-commit install >"$WORK/log" 2>&1 || fail "pre-commit install"

cp "$FIX/examples/bad_handler.cpp" handler.cpp
git add handler.cpp
if git commit -q -m "bad handler" >"$WORK/log" 2>&1; then fail "the commit of a bad handler was accepted"; fi
grep -q "handler.cpp:26:3: warning: 'Aws::S3::S3Client' is constructed on every invocation" "$WORK/log" ||
  fail "the finding is not shown"

cp "$FIX/examples/good_handler.cpp" handler.cpp
git add handler.cpp
git commit -q -m "good handler" >"$WORK/log" 2>&1 || fail "the commit of a good handler was refused"
echo "ok: pre-commit refused the bad handler and accepted the good one"
