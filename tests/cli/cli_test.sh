#!/usr/bin/env bash
# End-to-end tests of the command line: exit codes, one-line errors, output formats,
# bad input. Usage: cli_test.sh <coldstart-lint> <fixtures-dir> <case>
set -uo pipefail
TOOL=$1
FIX=$2
CASE=$3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

INC="-I$FIX/include"
fail() { echo "FAIL [$CASE]: $*"; echo "--- stdout"; cat out.txt 2>/dev/null; echo "--- stderr"; cat err.txt 2>/dev/null; exit 1; }
run() { "$TOOL" "$@" >out.txt 2>err.txt; echo $? >rc.txt; }
rc() { cat rc.txt; }
expect_rc() { [ "$(rc)" = "$1" ] || fail "exit $(rc), expected $1"; }
# every line on stderr that says error: must be a single line naming the input
expect_error() { grep -q -- "$1" err.txt || fail "stderr lacks '$1'"; }
expect_no_signal() { [ "$(rc)" -lt 128 ] || fail "killed by a signal"; }

handler_src() {
  cat <<'SRC'
#include <aws/core/Aws.h>
#include <aws/lambda-runtime/runtime.h>
#include <aws/s3/S3Client.h>
using namespace aws::lambda_runtime;
static invocation_response handler(invocation_request const&) {
  Aws::S3::S3Client s3;
  return invocation_response::success("ok", "text/plain");
}
int main() { run_handler(handler); }
SRC
}

# fix_twice <file> <exit code after --fix> [tool options...]: the fixes of <file>, exported as
# YAML and applied by clang-apply-replacements (in once/), and applied by --fix (in
# twice/), give the same file; --fix run again changes nothing; the result compiles as
# C++17 and C++20.
fix_twice() {
  local file=$1 after=$2
  shift 2
  mkdir once twice
  cp "$file" once/"$file"; cp "$file" twice/"$file"
  (cd once && "$TOOL" --no-cache "$@" --export-fixes=fixes.yaml "$file" -- -std=c++20 $INC >/dev/null 2>&1)
  clang-apply-replacements-19 once || fail "clang-apply-replacements rejected the YAML"
  cd twice
  run --no-cache "$@" --fix "$file" -- -std=c++20 $INC; expect_rc "$after"
  cmp -s "$file" ../once/"$file" || fail "--fix and clang-apply-replacements differ"
  cp "$file" "$file".once
  run --no-cache "$@" --fix "$file" -- -std=c++20 $INC; expect_rc "$after"
  cmp -s "$file" "$file".once || fail "fixing twice differs from fixing once"
  clang++-19 -fsyntax-only -std=c++17 $INC "$file" || fail "fixed file does not compile as C++17"
  clang++-19 -fsyntax-only -std=c++20 $INC "$file" || fail "fixed file does not compile as C++20"
  cd ..
}

case "$CASE" in
  findings_exit_1)
    handler_src >h.cpp
    run h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "^h.cpp:6:3: warning: 'Aws::S3::S3Client' is constructed on every invocation" out.txt || fail "no compiler-style line"
    grep -q "\[coldstart-client-per-invocation\]$" out.txt || fail "no check name at the end of the line"
    grep -q "^h.cpp:9:14: note: 'handler' runs on every invocation" out.txt || fail "no handler note"
    grep -q "^    6 |   Aws::S3::S3Client s3;" out.txt || fail "no source snippet"
    grep -q "^      |   \^" out.txt || fail "no caret"
    grep -q $'\033' out.txt && fail "colour codes when stdout is not a terminal"
    grep -q "1 finding in 1 file" err.txt || fail "no summary on stderr"
    ;;
  clean_exit_0)
    printf '#include <string>\nint main() { std::string s("x"); return (int)s.size(); }\n' >ok.cpp
    run ok.cpp -- -std=c++20; expect_rc 0
    [ ! -s out.txt ] || fail "stdout not empty"
    ;;
  quiet)
    handler_src >h.cpp
    run --quiet h.cpp -- -std=c++20 $INC; expect_rc 1
    [ ! -s err.txt ] || fail "--quiet still printed on stderr"
    ;;
  json)
    handler_src >h.cpp
    run --format=json h.cpp -- -std=c++20 $INC; expect_rc 1
    python3 - <<'PY' || fail "JSON does not follow the contract"
import json
d = json.load(open("out.txt"))
assert d["version"] == 1 and d["tool"]["name"] == "coldstart-lint", d
f = d["findings"][0]
assert list(f.keys()) == ["check","severity","file","line","column","message","handler","path","fixes"], f.keys()
assert (f["file"], f["line"], f["column"]) == ("h.cpp", 6, 3), f
assert f["handler"] == {"name": "handler", "file": "h.cpp", "line": 5}, f["handler"]
assert f["fixes"][0]["replacement"] == "static Aws::S3::S3Client& s3 = *new Aws::S3::S3Client", f["fixes"]
assert d["errors"] == []
PY
    ;;
  missing_file)
    handler_src >h.cpp
    run nope.cpp h.cpp -- -std=c++20 $INC; expect_rc 2; expect_no_signal
    expect_error "coldstart-lint: error: nope.cpp: no such file"
    grep -q "h.cpp:6:3: warning" out.txt || fail "findings of the other file not printed"
    ;;
  directory_as_file)
    mkdir d
    run d -- -std=c++20; expect_rc 2; expect_error "d: is a directory"
    ;;
  does_not_compile)
    { handler_src; echo "int broken( {"; } >bad.cpp
    run bad.cpp -- -std=c++20 $INC; expect_rc 2; expect_no_signal
    # compiler-style, as clang prints it: vim's errorformat and VS Code's $gcc read it
    grep -Eq "^bad.cpp:10:[0-9]+: error: .*; bad.cpp does not compile, so coldstart-lint did not analyse it$" err.txt ||
      fail "the compile error is not a compiler-style line"
    [ "$(grep -c 'error:' err.txt)" = 1 ] || fail "more than one error line for one file"
    grep -q "bad.cpp:6:3: warning" out.txt || fail "findings of the part that parsed are not printed"
    ;;
  missing_header)
    # A missing header is skipped, not fatal: the file is analysed, and one note says
    # what could not be seen (the findings may be incomplete). Not an error: exit 0.
    # (acme::Thing is declared in its stead; acme::kDefault, a value, stays an error.)
    printf '#include <acme/nonexistent/Thing.h>\nint main() { acme::Thing t; return acme::kDefault; }\n' >m.cpp
    run --no-cache m.cpp -- -std=c++20; expect_rc 0
    grep -q "coldstart-lint: note: m.cpp: headers not found: acme/nonexistent/Thing.h (the parse skipped them); findings may be incomplete; 1 error that follows from them was set aside" err.txt || fail "no missing-header note"
    [ "$(grep -c 'note:' err.txt)" = 1 ] || fail "more than one note for one file"
    ! grep -q "error:" err.txt || fail "a missing header is reported as an error"
    run --no-cache --format=json m.cpp -- -std=c++20; expect_rc 0
    python3 -c "import json,sys; d=json.load(open('out.txt')); n=d['notes']; assert len(n)==1 and n[0]['file']=='m.cpp' and n[0]['missingHeaders']==['acme/nonexistent/Thing.h'], n" || fail "JSON notes"
    # --quiet: one summary line for all such files.
    cp m.cpp m2.cpp
    run --no-cache --quiet m.cpp m2.cpp -- -std=c++20; expect_rc 0
    [ "$(cat err.txt)" = "coldstart-lint: note: 2 files were analysed without some of their headers (findings may be incomplete; run without --quiet to see which)" ] || fail "--quiet summary"
    # The facts cache: an entry made while the header was missing is stale once it exists.
    run m.cpp -- -std=c++20 -I.; expect_rc 0
    mkdir -p acme/nonexistent && printf 'namespace acme { struct Thing {}; constexpr int kDefault = 0; }\n' >acme/nonexistent/Thing.h
    run m.cpp -- -std=c++20 -I.; expect_rc 0
    ! grep -q "headers not found" err.txt || fail "a cached result kept a header missing after it appeared"
    ;;
  missing_header_user_error)
    # An error of the user's own is still a compile error when a header is missing; the
    # findings are printed, and --fix leaves the file alone unless --fix-errors.
    cat >u.cpp <<'SRC'
#include <aws/lambda-runtime/runtime.h>
#include <aws/s3/S3Client.h>
#include "generated/settings.h"
using namespace aws::lambda_runtime;
static int retries = ;
invocation_response handler(invocation_request const&) {
  Aws::S3::S3Client s3;
  return invocation_response::success("", "");
}
int main() { run_handler(handler); }
SRC
    cp u.cpp u.orig
    run --no-cache u.cpp -- -std=c++20 $INC; expect_rc 2
    expect_error "^u.cpp:5:22: error: expected expression"
    grep -q "u.cpp:7:3: warning" out.txt || fail "findings of a file with errors are not printed"
    run --no-cache --fix u.cpp -- -std=c++20 $INC; expect_rc 2
    cmp -s u.cpp u.orig || fail "--fix rewrote a file that does not compile"
    grep -q "u.cpp: not fixed, because it does not compile (--fix-errors applies fixes anyway)" err.txt || fail "no note on the skipped fix"
    run --no-cache --fix-errors u.cpp -- -std=c++20 $INC
    grep -q "static Aws::S3::S3Client& s3 = \*new Aws::S3::S3Client;" u.cpp || fail "--fix-errors did not apply the fix"
    ;;
  binary_junk)
    head -c 4096 /dev/urandom >junk.cpp
    printf '\0\1\2' >>junk.cpp
    run junk.cpp -- -std=c++20; expect_rc 2; expect_no_signal
    expect_error "junk.cpp does not compile, so coldstart-lint did not analyse it"
    ;;
  empty_file)
    : >empty.cpp
    run empty.cpp -- -std=c++20; expect_rc 0
    ;;
  compdb_missing)
    handler_src >h.cpp
    run -p nowhere h.cpp; expect_rc 2; expect_error "nowhere/compile_commands.json: no compilation database"
    ;;
  compdb_malformed)
    mkdir b; echo '[{"directory": ' >b/compile_commands.json
    handler_src >h.cpp
    run -p b h.cpp; expect_rc 2; expect_error "b/compile_commands.json: cannot load compilation database"
    [ "$(wc -l <err.txt)" -le 2 ] || fail "error is not one line"
    ;;
  compdb_empty)
    mkdir b; echo '[]' >b/compile_commands.json
    run -p b; expect_rc 2; expect_error "the compilation database lists no files"
    ;;
  compdb_nonexistent_file)
    mkdir b
    echo "[{\"directory\": \"$WORK\", \"file\": \"$WORK/gone.cpp\", \"arguments\": [\"clang++\", \"-c\", \"gone.cpp\"]}]" >b/compile_commands.json
    run -p b; expect_rc 2; expect_error "gone.cpp: no such file"
    ;;
  compdb_infers_missing)
    mkdir b src
    handler_src >src/h.cpp
    printf 'int other() { return 1; }\n' >src/other.cpp
    echo "[{\"directory\": \"$WORK/src\", \"file\": \"$WORK/src/other.cpp\", \"arguments\": [\"clang++\", \"-std=c++20\", \"$INC\", \"-c\", \"other.cpp\"]}]" >b/compile_commands.json
    run -p b src/h.cpp; expect_rc 1
    grep -q "src/h.cpp:6:3: warning" out.txt || fail "flags were not inferred from the neighbour"
    ;;
  unknown_check)
    handler_src >h.cpp
    run --checks=coldstart-no-such-check h.cpp -- -std=c++20 $INC; expect_rc 2
    expect_error "unknown check 'coldstart-no-such-check'"
    [ ! -s out.txt ] || fail "printed findings although the command line is wrong"
    ;;
  checks_disable)
    handler_src >h.cpp
    run --checks=-coldstart-client-per-invocation,coldstart-* h.cpp -- -std=c++20 $INC; expect_rc 1
    run --checks='-*' h.cpp -- -std=c++20 $INC; expect_rc 2; expect_error "no checks enabled"
    ;;
  unknown_option)
    run --frobnicate x.cpp; expect_rc 2; expect_error "unknown option '--frobnicate'"
    ;;
  no_input)
    run; expect_rc 2; expect_error "no input files"
    ;;
  bad_format)
    run --format=xml x.cpp; expect_rc 2; expect_error "unknown --format 'xml'"
    ;;
  list_and_explain)
    run --list-checks; expect_rc 0; grep -q "coldstart-client-per-invocation" out.txt || fail "list-checks"
    run --explain=coldstart-client-per-invocation; expect_rc 0
    grep -q "^# coldstart-client-per-invocation" out.txt || fail "explain prints no doc"
    grep -q "^## Bad" out.txt && grep -q "^## Good" out.txt || fail "doc lacks examples"
    run --explain=nope; expect_rc 2; expect_error "unknown check 'nope'"
    ;;
  version_help)
    run --version; expect_rc 0; grep -q "^coldstart-lint [0-9]" out.txt || fail "version"
    run --help; expect_rc 0; grep -q -- "--export-fixes" out.txt || fail "help incomplete"
    ;;
  bad_config)
    handler_src >h.cpp
    printf 'Checks: coldstart-*\nHandlerNamez: [x]\n' >.coldstart-lint.yaml
    run h.cpp -- -std=c++20 $INC; expect_rc 2
    expect_error ".coldstart-lint.yaml:2:1: unknown key 'HandlerNamez'"
    ;;
  bad_check_option)
    handler_src >h.cpp
    echo 'CheckOptions: { coldstart-heavy-static-init.LargeContainerTreshold: 10 }' >.coldstart-lint.yaml
    run h.cpp -- -std=c++20 $INC; expect_rc 2
    expect_error "CheckOptions key 'coldstart-heavy-static-init.LargeContainerTreshold': coldstart-heavy-static-init has no option 'LargeContainerTreshold' (its options: LargeContainerThreshold)"
    echo 'CheckOptions: { coldstart-blocking-call.Threshold: 10 }' >.coldstart-lint.yaml
    run h.cpp -- -std=c++20 $INC; expect_rc 2
    expect_error "coldstart-blocking-call has no option 'Threshold' (it has none)"
    ;;
  config_checks_and_severity)
    handler_src >h.cpp
    printf 'Severity:\n  coldstart-client-per-invocation: error\n' >.coldstart-lint.yaml
    run h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "h.cpp:6:3: error: 'Aws::S3::S3Client'" out.txt || fail "severity from config not applied"
    printf 'Checks: "-*"\n' >.coldstart-lint.yaml
    run h.cpp -- -std=c++20 $INC; expect_rc 2; expect_error "no checks enabled"
    ;;
  fix_in_place)
    handler_src >h.cpp
    # the file is re-analysed after fixing: nothing remains, so exit 0
    run --fix h.cpp -- -std=c++20 $INC; expect_rc 0
    grep -q "note: applied 1 fix in 1 file; the findings below remain" err.txt || fail "no note about the fix"
    grep -q "static Aws::S3::S3Client& s3 = \*new Aws::S3::S3Client;" h.cpp || fail "fix not applied"
    ls | grep -q tmp-coldstart && fail "temporary file left behind"
    run h.cpp -- -std=c++20 $INC; expect_rc 0
    ;;
  export_fixes)
    handler_src >h.cpp
    run --export-fixes=fixes.yaml h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "DiagnosticName:  *coldstart-client-per-invocation" fixes.yaml || fail "no diagnostic in YAML"
    clang-apply-replacements-19 . || fail "clang-apply-replacements rejected the YAML"
    grep -q "static Aws::S3::S3Client& s3" h.cpp || fail "clang-apply-replacements did not apply the fix"
    clang++-19 -fsyntax-only -std=c++20 $INC h.cpp || fail "fixed file does not compile"
    ;;
  fix_hoist_twice)
    # The hoisting fix (a configuration moved with its client into one once-only
    # initialiser): clang-apply-replacements and --fix give the same file, which
    # compiles, and --fix run again changes nothing.
    cat >h.cpp <<'SRC'
#include <aws/core/Aws.h>
#include <aws/core/client/ClientConfiguration.h>
#include <aws/core/platform/Environment.h>
#include <aws/lambda-runtime/runtime.h>
#include <aws/s3/S3Client.h>
#include <aws/s3/model/GetObjectRequest.h>
using namespace aws::lambda_runtime;
static invocation_response handler(invocation_request const&) {
    Aws::Client::ClientConfiguration config;
    config.region = Aws::Environment::GetEnv("AWS_REGION");
    config.connectTimeoutMs = 2000;
    Aws::S3::S3Client s3(config);
    s3.GetObject(Aws::S3::Model::GetObjectRequest());
    return invocation_response::success("ok", "text/plain");
}
int main() { run_handler(handler); }
SRC
    fix_twice h.cpp 0
    grep -q "static Aws::S3::S3Client& s3 = \*\[\] {" once/h.cpp || fail "the hoisting fix was not applied"
    grep -q "^        return new Aws::S3::S3Client(config);" once/h.cpp || fail "not indented one level deeper"
    ;;
  fix_accessor_twice)
    # The accessor fix of coldstart-heavy-static-init (a variable built on first use, every
    # use rewritten to call it), on its fixture: the same checks as fix_hoist_twice, and
    # the result is the fixture's golden file (findings without a fix remain: exit 1).
    SRCDIR="$FIX/../checks/coldstart-heavy-static-init/fixtures"
    cp "$SRCDIR/accessor_fixits.cpp" a.cpp
    fix_twice a.cpp 1 --checks=-*,coldstart-heavy-static-init
    grep -q "^static const std::regex &kDate() { static const std::regex instance(" once/a.cpp ||
      fail "the accessor fix was not applied"
    cmp -s once/a.cpp "$SRCDIR/accessor_fixits.fixed.cpp" || fail "clang-apply-replacements differs from the golden file"
    ;;
  export_fixes_unwritable)
    handler_src >h.cpp
    run --export-fixes=/nonexistent-dir/fixes.yaml h.cpp -- -std=c++20 $INC; expect_rc 2
    expect_error "/nonexistent-dir/fixes.yaml: cannot write fixes"
    [ ! -e /nonexistent-dir/fixes.yaml.tmp-coldstart ] || fail "partial file"
    ;;
  init_report)
    cat >init.cpp <<'SRC'
#include <fstream>
#include <regex>
#include <string>
#include <sstream>
static std::string read_all(const char* p) { std::ifstream in(p); std::stringstream s; s << in.rdbuf(); return s.str(); }
const std::string g_config = read_all("/var/task/config.json");
const std::regex g_id("[a-z]+");
const std::string g_name = "plain";
constexpr int g_answer = 42;
int main() {}
SRC
    run --init-report init.cpp -- -std=c++20; expect_rc 0
    grep -q "^  io  *g_config  *init.cpp:6:19  *initialiser calls read_all(), which opens a file with std::ifstream (\"/var/task/config.json\")" out.txt || fail "io row"
    grep -q "^  regex  *g_id " out.txt || fail "regex row"
    grep -q "^  dynamic  *g_name " out.txt || fail "cheap dynamic row"
    grep -q "g_answer" out.txt && fail "constant initialisation listed"
    [ "$(grep -n 'g_config' out.txt | cut -d: -f1)" -lt "$(grep -n 'g_name' out.txt | cut -d: -f1)" ] || fail "not costliest first"
    run --init-report --format=json init.cpp -- -std=c++20; expect_rc 0
    python3 - <<'PY' || fail "init report JSON"
import json
d = json.load(open("out.txt"))
rows = d["initializers"]
assert [r["variable"] for r in rows] == ["g_config", "g_id", "g_name"], rows
assert rows[0]["cost"] == "io" and rows[0]["line"] == 6 and rows[0]["path"][0]["function"] == "g_config", rows[0]
assert d["errors"] == []
PY
    ;;
  init_report_threshold)
    # --init-report reads heavy-static-init's LargeContainerThreshold as the check does:
    # configured, else the default the check declares (1000).
    { echo '#include <vector>'; printf 'const std::vector<int> g_ids = {'; seq -s, 1 20 | tr -d '\n'; echo '};'; echo 'int main() {}'; } >big.cpp
    run --init-report big.cpp -- -std=c++20; expect_rc 0
    grep -q "^  dynamic  *g_ids " out.txt || fail "20 elements are large below the default of 1000"
    echo 'CheckOptions: { coldstart-heavy-static-init.LargeContainerThreshold: 16 }' >low.yaml
    run --init-report --config=low.yaml big.cpp -- -std=c++20; expect_rc 0
    grep -q "^  large-container  *g_ids " out.txt || fail "configured threshold of 16 not used"
    echo 'CheckOptions: { coldstart-heavy-static-init.LargeContainerThreshold: lots }' >bad.yaml
    run --init-report --config=bad.yaml big.cpp -- -std=c++20; expect_rc 0
    grep -q "^  dynamic  *g_ids " out.txt || fail "an invalid threshold does not fall back to the default"
    ;;
  cache)
    mkdir -p src c
    printf '#pragma once\n#include <aws/s3/S3Client.h>\ninline void helper() {}\n' >src/helper.h
    { echo '#include "helper.h"'; handler_src; } >src/h.cpp
    run --cache-dir=c --format=json src/h.cpp -- -std=c++20 $INC; expect_rc 1; cp out.txt cold.json
    grep -q "1 finding in 1 file$" err.txt || fail "first run should parse"
    run --cache-dir=c --format=json src/h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "(1 from the cache)" err.txt || fail "second run did not hit the cache"
    cmp -s out.txt cold.json || fail "cached output differs"
    # a header the TU includes changes: the entry is stale
    printf '#pragma once\n#include <aws/s3/S3Client.h>\ninline void helper() { Aws::S3::S3Client c; }\n' >src/helper.h
    printf '%s\n' '#include "helper.h"' >src/h2.cpp
    { echo '#include "helper.h"'; handler_src | sed 's/Aws::S3::S3Client s3;/helper();/'; } >src/h.cpp
    run --cache-dir=c src/h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "from the cache" err.txt && fail "stale entry was used"
    grep -q "src/helper.h:3:24: warning: 'Aws::S3::S3Client'" out.txt || fail "change in the header not seen"
    # corrupt entries are misses, not errors
    find c -name '*.json' -exec sh -c 'printf "{not json" > "$1"' _ {} \;
    run --cache-dir=c src/h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "from the cache" err.txt && fail "corrupt entry was used"
    # --no-cache neither reads nor writes
    run --no-cache --cache-dir=c2 src/h.cpp -- -std=c++20 $INC; expect_rc 1
    [ ! -e c2 ] || fail "--no-cache wrote a cache"
    ;;
  shards_and_link)
    mkdir -p p b
    for n in 1 2 3 4 5; do
      printf '#include <aws/s3/S3Client.h>\nvoid helper%s() { Aws::S3::S3Client c; }\n' $n >p/helper$n.cpp
    done
    { handler_src | sed 's/Aws::S3::S3Client s3;/helper1(); helper2(); helper3(); helper4(); helper5();/' | sed 's/^using namespace/void helper1(); void helper2(); void helper3(); void helper4(); void helper5();\nusing namespace/'; } >p/main.cpp
    {
      echo '['; first=1
      for f in p/*.cpp; do
        [ $first = 1 ] || echo ','; first=0
        echo "{\"directory\": \"$WORK\", \"file\": \"$WORK/$f\", \"arguments\": [\"clang++\", \"-std=c++20\", \"$INC\", \"-c\", \"$f\"]}"
      done
      echo ']'
    } >b/compile_commands.json
    run --no-cache -p b --format=json; expect_rc 1; cp out.txt whole.json
    [ "$(grep -c '"check"' whole.json)" = 5 ] || fail "expected 5 findings, one per helper"
    run --no-cache -p b --shard=1/2 --facts-out=s1.json; expect_rc 0
    run --no-cache -p b --shard=2/2 --facts-out=s2.json; expect_rc 0
    run link --format=json s1.json s2.json; expect_rc 1
    cmp -s out.txt whole.json || fail "linked shards differ from the whole run"
    run --no-cache -p b --shard=3/2; expect_rc 2; expect_error "--shard needs K/N"
    run link nothing.json; expect_rc 2; expect_error "nothing.json: cannot read facts file"
    echo '{"version": 7}' >bad.json
    run link bad.json; expect_rc 2; expect_error "bad.json: not a valid facts file"
    ;;
  parallel_deterministic)
    mkdir -p p
    for n in 1 2 3 4 5 6; do handler_src | sed "s/ handler(/ handler$n(/; s/(handler)/(handler$n)/" >p/h$n.cpp; done
    run --no-cache -j1 --format=json p/*.cpp -- -std=c++20 $INC; expect_rc 1; cp out.txt j1.json
    run --no-cache -j4 --format=json p/*.cpp -- -std=c++20 $INC; expect_rc 1
    cmp -s out.txt j1.json || fail "-j4 output differs from -j1"
    run --no-cache -j3 p/*.cpp -- -std=c++20 $INC; expect_rc 1; cp out.txt t3.txt
    run --no-cache -j1 p/*.cpp -- -std=c++20 $INC; cmp -s out.txt t3.txt || fail "text output differs between -j values"
    ;;
  crash_isolation)
    handler_src >good.cpp
    handler_src >boom.cpp
    COLDSTART_TEST_CRASH_ON=boom.cpp run --no-cache good.cpp boom.cpp -- -std=c++20 $INC; expect_rc 2; expect_no_signal
    # (under AddressSanitizer the child reports the fault and exits instead of dying of it)
    expect_error "boom.cpp: the analyser \(crashed (SIGSEGV)\|failed (exit status 1)\) on it; it was skipped, the other files were analysed"
    grep -q "^good.cpp:6:3: warning" out.txt || fail "the other file was not analysed"
    ;;
  memory_limit)
    handler_src >small.cpp
    python3 -c "
import sys
print('#include <string>')
for i in range(40000):
    print('template <int N> struct S%d { static constexpr int v = N * %d; std::string s = std::to_string(v); };' % (i, i))
    print('inline int f%d() { return S%d<%d>{}.s.size(); }' % (i, i, i))
" >huge.cpp
    run --no-cache --max-memory=700 small.cpp huge.cpp -- -std=c++20 $INC; expect_rc 2; expect_no_signal
    expect_error "huge.cpp: the analyser crashed or ran out of memory"
    grep -q "^small.cpp:6:3: warning" out.txt || fail "the other file was not analysed"
    ;;
  timeout)
    # small.c parses in milliseconds even on a loaded machine; slow.cpp takes many seconds.
    printf '#include <unistd.h>\nint main(void) {\n  for (;;) {\n    const char *u = "/2018-06-01/runtime/invocation/next";\n    (void)u;\n    sleep(1);\n  }\n}\n' >small.c
    python3 -c "
print('#include <string>')
for i in range(40000):
    print('template <int N> struct S%d { static constexpr int v = N * %d; std::string s = std::to_string(v); };' % (i, i))
    print('inline int f%d() { return S%d<%d>{}.s.size(); }' % (i, i, i))
" >slow.cpp
    "$TOOL" --no-cache --timeout=3 small.c >out.txt 2>err.txt; echo $? >rc.txt; expect_rc 1
    "$TOOL" --no-cache --timeout=3 slow.cpp -- -std=c++20 >out.txt 2>err.txt; echo $? >rc.txt; expect_rc 2; expect_no_signal
    expect_error "slow.cpp: the analyser timed out after 3 s on it"
    run --no-cache --timeout=3 small.c slow.cpp -- -std=c++20; expect_rc 2
    expect_error "slow.cpp: the analyser timed out after 3 s on it"
    ;;
  fallback_headers)
    # No -I to the stubs: the built-in declarations stand in, and the findings are the same.
    handler_src >h.cpp
    run --no-cache --format=json h.cpp -- -std=c++20 $INC; expect_rc 1; cp out.txt with.json
    run --no-cache --format=json h.cpp -- -std=c++20; expect_rc 1
    cmp -s out.txt with.json || fail "findings differ without the stub headers"
    grep -q "coldstart-lint: note: h.cpp: analysed with built-in declarations for headers that are not installed (aws/core/Aws.h" err.txt || fail "no fallback note"
    [ "$(grep -c 'note:' err.txt)" = 1 ] || fail "more than one note for one file"
    run --no-cache --no-fallback-headers h.cpp -- -std=c++20
    grep -q "coldstart-lint: note: h.cpp: headers not found: aws/core/Aws.h" err.txt || fail "no note on the headers not found"
    ;;
  fallback_unknown_service)
    cat >rds.cpp <<'SRC'
#include <aws/core/Aws.h>
#include <aws/lambda-runtime/runtime.h>
#include <aws/rds/RDSClient.h>
#include <aws/rds/model/DescribeDBInstancesRequest.h>
using namespace aws::lambda_runtime;
static invocation_response handler(invocation_request const&) {
  Aws::RDS::RDSClient rds;
  Aws::RDS::Model::DescribeDBInstancesRequest req;
  auto outcome = rds.DescribeDBInstances(req);
  return invocation_response::success("ok", "text/plain");
}
int main() { run_handler(handler); }
SRC
    run --no-cache rds.cpp -- -std=c++20; expect_rc 1; expect_no_signal
    grep -q "^rds.cpp:7:3: warning: 'Aws::RDS::RDSClient' is constructed on every invocation" out.txt || fail "client not recovered by name"
    grep -q "note: rds.cpp: analysed with built-in declarations for headers that are not installed (aws/core/Aws.h, aws/lambda-runtime/runtime.h, aws/rds/RDSClient.h" err.txt || fail "no note"
    ;;
  huge_file)
    python3 - <<'PY'
out, size, i = ['#include <string>'], 0, 0
while size < 10 * 1024 * 1024:
    line = 'static int f%d(int x) { std::string s = "value %d"; return x + (int)s.size() + %d; }' % (i, i, i)
    out.append(line)
    size += len(line) + 1
    i += 1
out.append('int main() { return f0(1); }')
open('big.cpp', 'w').write('\n'.join(out) + '\n')
PY
    [ "$(stat -c %s big.cpp)" -ge 10000000 ] || fail "generator made a small file"
    run --no-cache big.cpp -- -std=c++20; expect_no_signal
    [ "$(rc)" = 0 ] || fail "exit $(rc) on a large clean file"
    ;;
  deep_nesting)
    python3 -c "
depth = 5000
expr = '1'
for i in range(depth): expr = 'g(' + expr + ')'
paren = '(' * depth + '1' + ')' * depth
open('deep.cpp', 'w').write('int g(int x) { return x + 1; }\nint calls = ' + expr + ';\nint parens = ' + paren + ';\nint main() { return calls + parens; }\n')
"
    run --no-cache deep.cpp -- -std=c++20 -fbracket-depth=20000; expect_no_signal
    [ "$(rc)" = 0 ] || fail "exit $(rc) on deep but valid nesting"
    run --no-cache deep.cpp -- -std=c++20; expect_rc 2; expect_no_signal
    expect_error "^deep.cpp:[0-9]*:[0-9]*: error: .*deep.cpp does not compile"
    [ "$(grep -c error: err.txt)" = 1 ] || fail "not a single error line"
    ;;
  invalid_utf8)
    printf '#include <cstdio>\n// caf\xe9 \xff\xfe comment\nFILE *g_log = std::fopen("/tmp/\xff\xfe.log", "a");\nconst char *g_name = "\xc3\x28 bad";\nint main() { return g_log == nullptr; }\n' >u.cpp
    run --no-cache --format=json u.cpp -- -std=c++20; expect_rc 1; expect_no_signal
    python3 -c "import json; d = json.load(open('out.txt')); assert d['findings'][0]['check'] == 'coldstart-heavy-static-init', d" || fail "JSON not valid"
    run --no-cache u.cpp -- -std=c++20; expect_rc 1
    grep -q "^u.cpp:3:7: warning: dynamic initialisation of 'g_log'" out.txt || fail "text output"
    ;;
  never_executes)
    mkdir b
    handler_src >h.cpp
    echo "[{\"directory\": \"$WORK\", \"file\": \"$WORK/h.cpp\", \"command\": \"sh -c 'touch $WORK/pwned1' ; touch $WORK/pwned2 && clang++ -std=c++20 $INC -c h.cpp\"}]" >b/compile_commands.json
    run --no-cache -p b h.cpp; expect_no_signal
    [ ! -e pwned1 ] && [ ! -e pwned2 ] || fail "something named in compile_commands.json was executed"
    printf 'Checks: "$(touch pwned3)"\n' >.coldstart-lint.yaml
    run --no-cache h.cpp -- -std=c++20 $INC; expect_rc 2
    [ ! -e pwned3 ] || fail "something named in the config was executed"
    ;;
  fix_only_analysed_files)
    mkdir inc
    printf '#pragma once\n#include <httplib.h>\ninline int ping() {\n  httplib::Client cli("http://localhost:8080");\n  return cli.Get("/ping") ? 1 : 0;\n}\n' >inc/ping.h
    { echo '#include "ping.h"'; handler_src | sed 's/Aws::S3::S3Client s3;/ping();/'; } >h.cpp
    cp inc/ping.h ping.orig
    run --no-cache --fix h.cpp -- -std=c++20 $INC -Iinc; expect_rc 1
    cmp -s inc/ping.h ping.orig || fail "a header that was not analysed was changed"
    grep -q "note: inc/ping.h: not fixed: it is not one of the analysed files" err.txt || fail "no note about the unfixed header"
    ;;
  broken_operands)
    # Found by fuzzing: operands that do not compile leave clang's AST with null types.
    cat >broken.cpp <<'SRC'
struct Conn { ~Conn(); };
void handler_like() {
  delete undeclared_thing;
  auto *p = new UnknownType(1);
  delete p;
  Conn *c = new Conn;
  delete c;
}
SRC
    run --no-cache broken.cpp -- -std=c++20; expect_rc 2; expect_no_signal
    expect_error "^broken.cpp:3:10: error: use of undeclared identifier 'undeclared_thing' (and 1 more error); broken.cpp does not compile"
    ;;
  broken_init_list)
    # Found by fuzzing: after a missing header, a braced initialiser of a class whose
    # member type is unknown has null elements (UBSan reported a null member call).
    cat >broken.cpp <<'SRC'
#include "no_such_header.h"
#include <string>
struct Rule {
  std::string sku_prefix;
  double discount = 0.0;
static RuleSet parse_rules(const std::string& json) {
  RuleSet set;
  set.rules.push_back(Rule{"SKU-", 0.1});
SRC
    run --no-cache broken.cpp -- -std=c++20; expect_no_signal
    grep -q "broken.cpp: headers not found: no_such_header.h" err.txt || fail "no note on the header not found"
    ;;
  own_function_named_like_an_api)
    # The project's own connect()/sleep() are not POSIX's.
    cat >own.cpp <<'SRC'
#include <string>
static int connect(const std::string& dsn) { return static_cast<int>(dsn.size()); }
static void sleep(int units) { (void)units; }
const int g_conn = connect("db");
int main() { sleep(3); return g_conn; }
SRC
    run --no-cache own.cpp -- -std=c++20; expect_rc 0
    ;;
  github_format)
    handler_src >h.cpp
    run --format=github h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "^::warning file=h.cpp,line=6,col=3,title=coldstart-client-per-invocation::'Aws::S3::S3Client' is constructed on every invocation" out.txt || fail "annotation"
    [ "$(wc -l <out.txt)" = 1 ] || fail "one line per finding"
    grep -q "%0A'handler' runs on every invocation: it is the handler passed to aws::lambda_runtime::run_handler here (h.cpp:9)" out.txt ||
      fail "the handler is not in the annotation"
    # Paths are relative to the workspace, wherever the tool runs from.
    mkdir -p repo/.git repo/src repo/build && handler_src >repo/src/h.cpp
    (cd repo/build && "$TOOL" --format=github ../src/h.cpp -- -std=c++20 $INC >../../out.txt 2>/dev/null)
    grep -q "^::warning file=src/h.cpp,line=6" out.txt || fail "path not relative to the repository root"
    (cd repo/src && GITHUB_WORKSPACE=$WORK "$TOOL" --format=github h.cpp -- -std=c++20 $INC >../../out.txt 2>/dev/null)
    grep -q "^::warning file=repo/src/h.cpp,line=6" out.txt || fail "path not relative to GITHUB_WORKSPACE"
    # A file that could not be analysed is an annotation too.
    { handler_src; echo "int broken( {"; } >bad.cpp
    run --format=github bad.cpp -- -std=c++20 $INC; expect_rc 2
    grep -Eq "^::error file=bad.cpp,line=10,col=[0-9]+,title=coldstart-lint::.*; bad.cpp does not compile, so it was not analysed$" out.txt ||
      fail "no ::error for the file that does not compile"
    # More warnings than GitHub shows per step: a summary says so.
    { handler_src | sed '/^int main/d'; for i in $(seq 1 11); do echo "void s$i() { Aws::S3::S3Client c; }"; done
      echo "static invocation_response h2(invocation_request const&) {"; for i in $(seq 1 11); do echo "  s$i();"; done
      echo '  return invocation_response::success("ok", "text/plain"); }'; echo 'int main() { run_handler(handler); run_handler(h2); }'; } >many.cpp
    run --format=github many.cpp -- -std=c++20 $INC; expect_rc 1
    [ "$(grep -c '^::warning' out.txt)" = 12 ] || fail "expected 12 warnings"
    grep -q "^::notice title=coldstart-lint::12 warnings and 0 errors; GitHub shows at most 10 of each per step" out.txt ||
      fail "no summary when GitHub hides annotations"
    run --format=github h.cpp -- -std=c++20 $INC
    grep -q "::notice" out.txt && fail "a summary with few annotations"
    ;;
  header_filter)
    mkdir -p src/vendor
    printf '#pragma once\n#include <aws/s3/S3Client.h>\ninline void vendored() { Aws::S3::S3Client c; }\n' >src/vendor/v.h
    printf '#pragma once\n#include <aws/s3/S3Client.h>\ninline void ours() { Aws::S3::S3Client c; }\n' >src/ours.h
    { echo '#include "vendor/v.h"'; echo '#include "ours.h"'; handler_src | sed 's/Aws::S3::S3Client s3;/vendored(); ours();/'; } >src/h.cpp
    run --no-cache src/h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "src/vendor/v.h:3:26: warning" out.txt || fail "header finding missing without a filter"
    cat >src/.coldstart-lint.yaml <<'YAML'
HeaderFilterRegex: '.*/src/[^/]*\.h$'
YAML
    run --no-cache src/h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "src/vendor/v.h" out.txt && fail "HeaderFilterRegex did not filter the vendored header"
    grep -q "src/ours.h:3:22: warning" out.txt || fail "HeaderFilterRegex filtered a matching header"
    printf 'HeaderFilterRegex: "("\n' >src/.coldstart-lint.yaml
    run --no-cache src/h.cpp -- -std=c++20 $INC; expect_rc 2; expect_error "HeaderFilterRegex is not a valid regular expression"
    ;;
  multiline_message)
    # A message quoting a multi-line raw string stays one line (escaped \n).
    printf '#include <regex>\nstatic const std::regex kRe(R"(ab\ncd)");\nint main() { return 0; }\n' >m.cpp
    run --no-cache m.cpp -- -std=c++20; expect_rc 1
    grep -q '^m.cpp:2:25: warning: .*ab\\ncd.*\[coldstart-heavy-static-init\]$' out.txt || fail "the message was split over lines"
    ;;
  extra_args)
    # clang-tidy's --extra-arg (at the end) and --extra-arg-before (after the compiler),
    # with -- flags and with a compilation database.
    mkdir -p inc && printf '#pragma once\n#include <aws/s3/S3Client.h>\ninline void helper() { Aws::S3::S3Client c; }\n' >inc/helper.h
    { handler_src | sed 's/^  Aws::S3::S3Client s3;/  helper();/; 3a #include <helper.h>'; } >h.cpp
    run --no-cache h.cpp -- -std=c++20 $INC; expect_rc 0 # helper.h not found: a note, and no finding
    grep -q "warning:" out.txt && fail "a finding without the header"
    run --no-cache --extra-arg=-Iinc h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "^inc/helper.h:3:24: warning: 'Aws::S3::S3Client' is constructed on every invocation" out.txt || fail "--extra-arg not added"
    printf '[{"directory":"%s","file":"h.cpp","arguments":["c++","-std=c++20","-I%s","-c","h.cpp"]}]\n' "$WORK" "$FIX/include" >compile_commands.json
    run --no-cache -p . --extra-arg-before=-Iinc h.cpp; expect_rc 1
    grep -q "^inc/helper.h:3:24: warning" out.txt || fail "--extra-arg-before not added to the database's command"
    run --no-cache -p . -extra-arg=-DX h.cpp; expect_rc 0 # one dash, as clang-tidy; no finding without -Iinc
    ;;
  header_filter_options)
    mkdir -p inc vendor
    printf '#pragma once\n#include <aws/s3/S3Client.h>\ninline void mine() { Aws::S3::S3Client c; }\n' >inc/mine.h
    printf '#pragma once\n#include <aws/s3/S3Client.h>\ninline void theirs() { Aws::S3::S3Client c; }\n' >vendor/theirs.h
    { handler_src | sed 's/^  Aws::S3::S3Client s3;/  mine(); theirs();/; 3a #include "inc/mine.h"\n#include "vendor/theirs.h"'; } >h.cpp
    run --no-cache h.cpp -- -std=c++20 $INC; expect_rc 1
    [ "$(grep -c ': warning:' out.txt)" = 2 ] || fail "findings in both headers by default"
    run --no-cache --header-filter='inc/' h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "^inc/mine.h:3" out.txt && ! grep -q "vendor/" out.txt || fail "--header-filter"
    run --no-cache --exclude-header-filter='vendor/' h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "^inc/mine.h:3" out.txt && ! grep -q "vendor/" out.txt || fail "--exclude-header-filter"
    printf 'HeaderFilterRegex: "vendor/"\n' >.coldstart-lint.yaml
    run --no-cache --header-filter='inc/' h.cpp -- -std=c++20 $INC
    grep -q "^inc/mine.h:3" out.txt && ! grep -q "vendor/" out.txt || fail "--header-filter does not override HeaderFilterRegex"
    printf 'ExcludeHeaderFilterRegex: "inc/"\n' >.coldstart-lint.yaml
    run --no-cache h.cpp -- -std=c++20 $INC
    grep -q "^vendor/theirs.h:3" out.txt && ! grep -q "inc/" out.txt || fail "ExcludeHeaderFilterRegex"
    rm .coldstart-lint.yaml
    run --no-cache --header-filter='(' h.cpp -- -std=c++20 $INC; expect_rc 2
    expect_error "^coldstart-lint: error: --header-filter is not a valid regular expression: '('"
    ;;
  line_filter)
    cp "$FIX/examples/bad_handler.cpp" b.cpp
    run --no-cache b.cpp -- -std=c++20 $INC; expect_rc 1
    all=$(grep -c ': warning:' out.txt)
    run --no-cache --line-filter='[{"name":"b.cpp","lines":[[20,30]]}]' b.cpp -- -std=c++20 $INC; expect_rc 1
    lines=$(grep -o '^b.cpp:[0-9]*:[0-9]*: warning' out.txt | cut -d: -f2)
    [ -n "$lines" ] || fail "nothing in the range"
    for l in $lines; do [ "$l" -ge 20 ] && [ "$l" -le 30 ] || fail "finding on line $l outside [20, 30]"; done
    [ "$(grep -c ': warning:' out.txt)" -lt "$all" ] || fail "the filter kept everything"
    run --no-cache --line-filter='[{"name":"b.cpp"}]' b.cpp -- -std=c++20 $INC; expect_rc 1
    [ "$(grep -c ': warning:' out.txt)" = "$all" ] || fail "a file without ranges keeps every line"
    run --no-cache --line-filter='[{"name":"other.cpp"}]' b.cpp -- -std=c++20 $INC; expect_rc 0
    run --line-filter='[{"name":"b.cpp","lines":[[5,1]]}]' b.cpp; expect_rc 2
    expect_error "^coldstart-lint: error: --line-filter: a range is \[<first>, <last>\]"
    run --line-filter='not json' b.cpp; expect_rc 2; expect_error "^coldstart-lint: error: --line-filter needs a JSON array"
    ;;
  dump_and_verify_config)
    run --dump-config; expect_rc 0
    grep -q "^Checks: 'coldstart-\*'$" out.txt || fail "default Checks"
    grep -q "^  coldstart-heavy-static-init.LargeContainerThreshold: '1000'$" out.txt || fail "default option values"
    printf 'Checks: "-coldstart-blocking-call"\nHeaderFilterRegex: "src/"\nCheckOptions:\n  coldstart-heavy-static-init.LargeContainerThreshold: 50\n' >.coldstart-lint.yaml
    handler_src >h.cpp
    run --dump-config --warnings-as-errors='coldstart-*' h.cpp; expect_rc 0
    grep -q "^Checks: '-coldstart-blocking-call'$" out.txt || fail "the config's Checks"
    grep -q "^WarningsAsErrors: 'coldstart-\*'$" out.txt || fail "the command line's WarningsAsErrors"
    grep -q "^  coldstart-heavy-static-init.LargeContainerThreshold: '50'$" out.txt || fail "the configured option"
    # What it prints is a config that reads back to the same configuration.
    mkdir -p again && cp out.txt again/.coldstart-lint.yaml && cp h.cpp again/
    run --dump-config again/h.cpp; expect_rc 0
    diff <(grep -v '^#' out.txt) <(grep -v '^#' again/.coldstart-lint.yaml) >/dev/null || fail "the dump does not read back"
    run --verify-config h.cpp; expect_rc 0
    [ "$(cat out.txt)" = "No config errors detected." ] || fail "verify-config on a valid config"
    printf 'Checks: "coldstart-no-such-check"\n' >.coldstart-lint.yaml
    run --verify-config; expect_rc 2; expect_error "unknown check 'coldstart-no-such-check'"
    ;;
  inline_config)
    handler_src >h.cpp
    run --no-cache --config='{Checks: "-*,coldstart-blocking-call"}' h.cpp -- -std=c++20 $INC; expect_rc 0
    run --no-cache --config='{Severity: {coldstart-client-per-invocation: error}}' h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "^h.cpp:6:3: error:" out.txt || fail "inline Severity"
    printf 'Checks: "-*,coldstart-blocking-call"\n' >c.yaml
    run --no-cache --config-file=c.yaml h.cpp -- -std=c++20 $INC; expect_rc 0
    run --no-cache --config=c.yaml h.cpp -- -std=c++20 $INC; expect_rc 0 # a path, as before
    run --config='{Checks: [' h.cpp -- -std=c++20; expect_rc 2; expect_error "^coldstart-lint: error: --config"
    run --config=missing.yaml h.cpp -- -std=c++20; expect_rc 2; expect_error "^coldstart-lint: error: missing.yaml: cannot read config file: no such file"
    run --config-file=c.yaml --config='{}' h.cpp; expect_rc 2; expect_error "not both"
    ;;
  allow_no_checks)
    handler_src >h.cpp
    run --checks='-*' --allow-no-checks h.cpp -- -std=c++20 $INC; expect_rc 0
    [ ! -s out.txt ] || fail "output with no checks"
    ;;
  system_headers)
    handler_src >h.cpp
    run --system-headers h.cpp -- -std=c++20 $INC; expect_rc 2
    expect_error "^coldstart-lint: error: --system-headers is not supported: code in system headers is library code"
    ;;
  fix_notes)
    cp "$FIX/examples/bad_handler.cpp" b.cpp && cp b.cpp b.orig
    run --no-cache --fix-notes b.cpp -- -std=c++20 $INC
    cmp -s b.cpp b.orig && fail "--fix-notes applied nothing"
    grep -q "applied [0-9]* fix" err.txt || fail "no note of the fixes applied"
    ;;
  use_color)
    handler_src >h.cpp
    run h.cpp -- -std=c++20 $INC; grep -q $'\033' out.txt && fail "colour in a pipe"
    FORCE_COLOR=1 run h.cpp -- -std=c++20 $INC; grep -q $'\033\[1m' out.txt || fail "no colour with FORCE_COLOR"
    FORCE_COLOR=1 NO_COLOR=1 run h.cpp -- -std=c++20 $INC; grep -q $'\033' out.txt && fail "colour with NO_COLOR"
    NO_COLOR=1 run --use-color h.cpp -- -std=c++20 $INC; grep -q $'\033' out.txt || fail "--use-color"
    FORCE_COLOR=1 run --use-color=false h.cpp -- -std=c++20 $INC; grep -q $'\033' out.txt && fail "--use-color=false"
    run --use-color=maybe h.cpp; expect_rc 2; expect_error "use-color takes true or false"
    ;;
  vfsoverlay)
    # A header that exists only in the overlay (as a build system's generated header).
    mkdir -p real && printf '#pragma once\n#include <aws/s3/S3Client.h>\ninline void gen() { Aws::S3::S3Client c; }\n' >real/gen_impl.h
    { handler_src | sed 's/^  Aws::S3::S3Client s3;/  gen();/; 3a #include "virtual/gen.h"'; } >h.cpp
    cat >overlay.yaml <<YAML
{ 'version': 0, 'roots': [ { 'name': '$WORK/virtual', 'type': 'directory',
  'contents': [ { 'name': 'gen.h', 'type': 'file', 'external-contents': '$WORK/real/gen_impl.h' } ] } ] }
YAML
    run --no-cache h.cpp -- -std=c++20 $INC; grep -q "warning:" out.txt && fail "a finding without the overlay"
    run --vfsoverlay=overlay.yaml h.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q "gen_impl.h:3:21: warning: 'Aws::S3::S3Client' is constructed on every invocation" out.txt || fail "the overlay's header was not read"
    run --vfsoverlay=none.yaml h.cpp; expect_rc 2; expect_error "^coldstart-lint: error: --vfsoverlay: cannot read 'none.yaml'"
    echo "not: [an overlay" >bad.yaml
    run --vfsoverlay=bad.yaml h.cpp; expect_rc 2; expect_error "^coldstart-lint: error: --vfsoverlay: 'bad.yaml' is not a virtual file system overlay"
    ;;
  progress)
    handler_src >a.cpp; handler_src >b.cpp
    run --no-cache a.cpp b.cpp -- -std=c++20 $INC; grep -q '\[1/2\]' err.txt && fail "progress in a pipe"
    run --no-cache --progress a.cpp b.cpp -- -std=c++20 $INC; expect_rc 1
    grep -q '^\[1/2\] [ab].cpp$' err.txt && grep -q '^\[2/2\] [ab].cpp$' err.txt || fail "no progress lines with --progress"
    grep -q '^\[[0-9]' out.txt && fail "progress on stdout"
    # On a terminal: redrawn in place, and cleared before the summary.
    script -qec "'$TOOL' --no-cache a.cpp b.cpp -- -std=c++20 $INC >/dev/null" /dev/null >tty.txt </dev/null
    grep -q $'\r\033\[K\[1/2\]' tty.txt || fail "no progress on a terminal"
    grep -q $'\r\033\[Kcoldstart-lint: 2 findings in 2 files' tty.txt || fail "the progress line was not cleared"
    run --no-cache --quiet --progress a.cpp b.cpp -- -std=c++20 $INC; [ ! -s err.txt ] || fail "progress with --quiet"
    ;;
  fallback_summary)
    # Built-in declarations standing in: one line for the run, none with --quiet.
    handler_src >a.cpp; handler_src >b.cpp; handler_src >c.cpp
    run --no-cache a.cpp b.cpp c.cpp -- -std=c++20; expect_rc 1
    [ "$(grep -c 'note:' err.txt)" = 1 ] || fail "not one note for three files"
    expect_error "^coldstart-lint: note: 3 files were analysed with built-in declarations for headers that are not installed (aws/core/Aws.h, aws/lambda-runtime/runtime.h, aws/s3/S3Client.h)$"
    run --no-cache --quiet a.cpp b.cpp c.cpp -- -std=c++20; expect_rc 1
    [ ! -s err.txt ] || fail "a note with --quiet"
    ;;
  cache_dir_marked)
    handler_src >h.cpp
    run --cache-dir=cache h.cpp -- -std=c++20 $INC; expect_rc 1
    [ "$(tail -1 cache/.gitignore)" = "*" ] || fail "no .gitignore in the cache"
    head -1 cache/CACHEDIR.TAG | grep -q "^Signature: 8a477f597d28d172789f06886806bc55$" || fail "no CACHEDIR.TAG"
    git init -q repo 2>/dev/null && (cd repo && handler_src >h.cpp && "$TOOL" --cache-dir=.cache h.cpp -- -std=c++20 $INC >/dev/null 2>&1;
      [ -z "$(git status --porcelain --untracked-files=all | grep -v '^?? h.cpp$')" ]) || fail "git sees the cache"
    # Entries unused for 30 days go after a run that wrote to the cache; others stay.
    mkdir -p cache/zz && echo '{}' >cache/zz/old.json && touch -d '40 days ago' cache/zz/old.json
    echo keep >cache/zz/notes.txt
    run --cache-dir=cache h.cpp -- -std=c++20 $INC
    [ -e cache/zz/old.json ] || fail "pruned by a run that wrote nothing"
    echo "// edited" >>h.cpp
    run --cache-dir=cache h.cpp -- -std=c++20 $INC
    [ -e cache/zz/old.json ] && fail "an entry unused for 40 days was kept"
    [ -e cache/zz/notes.txt ] || fail "a file that is not an entry was removed"
    run --cache-dir=cache h.cpp -- -std=c++20 $INC
    grep -q "from the cache" err.txt || fail "the fresh entry was pruned"
    ;;
  project_link_named)
    # Files named with a compilation database: the project's other files are linked in,
    # so a helper whose handler is in another file is reported; only named files are.
    mkdir -p src build
    cp "$FIX"/projects/two_tu/*.cpp "$FIX"/projects/two_tu/*.h src/
    sed "s#@DIR@#$WORK/src#g; s#@FIXTURES@#$FIX#g" "$FIX/projects/two_tu/compile_commands.json.in" >build/compile_commands.json
    run --no-cache src/helpers.cpp; expect_rc 1 # build/compile_commands.json found upward, as clangd does
    grep -q "^src/helpers.cpp:29:3: warning: 'Aws::S3::S3Client' is constructed on every invocation" out.txt ||
      fail "the helper's finding is missing"
    grep -q "^src/main.cpp:[0-9]*:[0-9]*: note: 'handler' runs on every invocation" out.txt || fail "no path to the handler in main.cpp"
    grep -q "in 1 file, linked with 1 other file of the project" err.txt || fail "summary does not say what was linked"
    run -p build src/helpers.cpp; expect_rc 1
    grep -q "^src/helpers.cpp:29:3: warning" out.txt || fail "-p with a named file did not link the project"
    run -p build src/helpers.cpp; expect_rc 1
    grep -q "(2 from the cache)" err.txt || fail "the project was not cached"
    run --no-project-link -p build src/helpers.cpp; expect_rc 0
    grep -q "warning" out.txt && fail "--no-project-link still linked the project"
    run -p build src/main.cpp; expect_rc 0
    grep -q "helpers.cpp" out.txt && fail "a file that was not named was reported"
    grep -q "0 findings in 1 file" err.txt || fail "summary counts files that were not named"
    # A file of the project that does not compile is a note, not this run's error.
    printf 'int broken( {\n' >src/broken.cpp
    python3 - "$WORK" <<'PY'
import json, sys
p = sys.argv[1] + "/build/compile_commands.json"
d = json.load(open(p)); e = dict(d[0]); e["file"] = sys.argv[1] + "/src/broken.cpp"
e["arguments"] = [a.replace("main.", "broken.") for a in e["arguments"]]; d.append(e)
json.dump(d, open(p, "w"))
PY
    run -p build src/helpers.cpp; expect_rc 1
    expect_error "note: 1 other file of the project could not be analysed, so findings that depend on it may be missing (src/broken.cpp: does not compile"
    grep -q "error:" err.txt && fail "a file that was not named failed the run"
    run -p build src/broken.cpp; expect_rc 2 # named: its own error
    ;;
  header_language)
    # A .h file named directly is C++ when its flags or its neighbours say so (as clangd).
    mkdir -p inc src
    printf '#pragma once\n#include <regex>\nstatic const std::regex kId("[a-z]+");\n' >inc/ids.h
    printf '%s\n' -std=c++20 >inc/compile_flags.txt
    run --no-cache inc/ids.h; expect_rc 1
    grep -q "^inc/ids.h:3:25: warning: dynamic initialisation of 'kId'" out.txt || fail "a .h with -std=c++20 was not parsed as C++"
    printf '#pragma once\n#include <regex>\nstatic const std::regex kName("[a-z]+");\n' >src/names.h
    printf 'int f() { return 0; }\n' >src/names.cpp
    run --no-cache src/names.h; expect_rc 1
    grep -q "^src/names.h:3:25: warning: dynamic initialisation of 'kName'" out.txt || fail "a .h beside C++ sources was not parsed as C++"
    mkdir c && printf '#pragma once\nstruct point { int x, y; };\nstatic int class = 1;\n' >c/p.h
    printf 'int main(void) { return 0; }\n' >c/m.c
    run --no-cache c/p.h; expect_rc 0 # not C++ ('class' is a keyword there): a header beside only C sources stays C
    ;;
  *)
    echo "unknown case $CASE"; exit 2 ;;
esac
echo "ok [$CASE]"
