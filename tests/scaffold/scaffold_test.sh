#!/usr/bin/env bash
# Tests of checks/add_check.py. Usage: scaffold_test.sh <source dir> <case>
#   refusals    cheap: in a copy of the script, an invalid name or an existing check is
#               refused with a one-line error and a non-zero exit, and nothing is written
#   clone_build a clone of the committed repository (uncommitted work is not in it): the
#               scaffold adds only its folder, the clone builds, --list-checks lists the
#               new check, --explain prints its page, and its fixture passes (minutes)
set -uo pipefail
SRC=$(cd "$1" && pwd)
CASE=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL [$CASE]: $*"; for f in "$WORK"/out.txt "$WORK"/err.txt; do [ -f "$f" ] && { echo "--- $f"; cat "$f"; }; done; exit 1; }
# runs the scaffold in $1 (a checks/ directory) with the remaining arguments
scaffold() { local dir=$1; shift; python3 "$dir/add_check.py" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt"; echo $? >"$WORK/rc.txt"; }
rc() { cat "$WORK/rc.txt"; }

case "$CASE" in
  refusals)
    mkdir -p "$WORK/repo/checks/coldstart-blocking-call"
    cp "$SRC/checks/add_check.py" "$WORK/repo/checks/"
    listing() { (cd "$WORK/repo" && find . | sort); }
    before=$(listing)
    for bad in "" "Bad" "two words" "snake_case" "-lead" "trail-" "double--hyphen" "9lives" "coldstart-" "a/b" "../x"; do
      scaffold "$WORK/repo/checks" "$bad"
      [ "$(rc)" = 1 ] || fail "name '$bad': exit $(rc), expected 1"
      [ "$(wc -l <"$WORK/err.txt")" = 1 ] || fail "name '$bad': the error is not one line"
      grep -q "^add_check.py: error: invalid check name '$bad'" "$WORK/err.txt" || fail "name '$bad': no clear error"
    done
    for existing in blocking-call coldstart-blocking-call; do
      scaffold "$WORK/repo/checks" "$existing"
      [ "$(rc)" = 1 ] || fail "existing '$existing': exit $(rc), expected 1"
      [ "$(wc -l <"$WORK/err.txt")" = 1 ] || fail "existing '$existing': the error is not one line"
      grep -q "^add_check.py: error: check 'coldstart-blocking-call' already exists" "$WORK/err.txt" || fail "existing '$existing': no clear error"
    done
    scaffold "$WORK/repo/checks"
    [ "$(rc)" = 2 ] || fail "no name: exit $(rc), expected 2 (usage)"
    scaffold "$WORK/repo/checks" a b
    [ "$(rc)" = 2 ] || fail "two names: exit $(rc), expected 2 (usage)"
    [ "$(listing)" = "$before" ] || fail "a refused run wrote something"
    # and the happy path writes exactly the three files of the folder
    scaffold "$WORK/repo/checks" coldstart-probe-2x
    [ "$(rc)" = 0 ] || fail "a valid name (with the coldstart- prefix) was refused"
    added=$(comm -13 <(echo "$before") <(listing) | tr '\n' ' ')
    [ "$added" = "./checks/coldstart-probe-2x ./checks/coldstart-probe-2x/check.cpp ./checks/coldstart-probe-2x/fixtures ./checks/coldstart-probe-2x/fixtures/silent_handler.cpp ./checks/coldstart-probe-2x/page.md " ] ||
      fail "unexpected files: $added"
    grep -q "class Probe2x : public Check" "$WORK/repo/checks/coldstart-probe-2x/check.cpp" || fail "class name"
    grep -q "make_coldstart_probe_2x()" "$WORK/repo/checks/coldstart-probe-2x/check.cpp" || fail "factory name"
    ;;
  clone_build)
    NAME=scaffold-probe
    ID=coldstart-$NAME
    T=$WORK/clone
    git clone -q "$SRC" "$T" || fail "git clone"
    [ -z "$(git -C "$T" status --porcelain)" ] || fail "the clone is not clean"
    (cd "$T" && python3 checks/add_check.py "$NAME") >"$WORK/out.txt" 2>"$WORK/err.txt" || fail "the scaffold failed"
    status=$(git -C "$T" status --porcelain --untracked-files=all)
    expected="?? checks/$ID/check.cpp
?? checks/$ID/fixtures/silent_handler.cpp
?? checks/$ID/page.md"
    [ "$status" = "$expected" ] || fail "the scaffold touched more than its folder:
$status"
    cmake -S "$T" -B "$T/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON >"$WORK/out.txt" 2>"$WORK/err.txt" ||
      fail "configure"
    cmake --build "$T/build" --target coldstart-lint fixture_runner >"$WORK/out.txt" 2>"$WORK/err.txt" || fail "build"
    LINT=$T/build/coldstart-lint
    "$LINT" --list-checks >"$WORK/out.txt" 2>"$WORK/err.txt" || fail "--list-checks"
    grep -q "^    $ID$" "$WORK/out.txt" || fail "--list-checks does not list $ID"
    [ "$(grep -c '^    coldstart-' "$WORK/out.txt")" = "$(($(ls -d "$T"/checks/coldstart-*/ | wc -l)))" ] || fail "not every check listed"
    grep '^    coldstart-' "$WORK/out.txt" | sort -c || fail "--list-checks is not sorted"
    "$LINT" --explain="$ID" >"$WORK/out.txt" 2>"$WORK/err.txt" || fail "--explain=$ID"
    cmp -s "$WORK/out.txt" "$T/checks/$ID/page.md" || fail "--explain=$ID does not print checks/$ID/page.md"
    # The fixture passes, run by the fixture runner as ctest registers it.
    ctest --test-dir "$T/build" -N >"$WORK/out.txt" 2>"$WORK/err.txt"
    grep -q "fixture:$ID/silent_handler.cpp$" "$WORK/out.txt" || fail "ctest does not register the new fixture"
    XDG_CACHE_HOME=$WORK/cache ctest --test-dir "$T/build" -R "^fixture:$ID/" --output-on-failure >"$WORK/out.txt" 2>"$WORK/err.txt" ||
      fail "the new check's fixture fails"
    grep -q "100% tests passed, 0 tests failed out of 1$" "$WORK/out.txt" || fail "the fixture did not run"
    ;;
  *)
    echo "unknown case $CASE"; exit 2 ;;
esac
echo "ok [$CASE]"
