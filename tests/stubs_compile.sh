#!/bin/bash
# Every stub header (fixtures/include) and fallback header (fixtures/fallback) must compile on
# its own under each C++ standard that handler code may use. The real SDKs build as C++11, so
# a stub that needs a newer standard would make real handlers fail to parse.
#
# Usage: stubs_compile.sh <source-root> [clang++]
set -u
root=${1:?usage: stubs_compile.sh <source-root> [clang++]}
cxx=${2:-clang++-19}
cd "$root" || exit 2

standards="11 14 17 20 23"

# Headers whose real library requires a newer standard than C++11: "<path prefix> <min-standard> <reason>".
# Everything else (aws-sdk-cpp, aws-crt-cpp, aws-lambda-cpp, mongo-cxx-driver 3.x, redis-plus-plus,
# libcurl, cpp-httplib) builds as C++11 and is checked from C++11 up.
exceptions=$(cat <<'LIST'
google/cloud/ 14 google-cloud-cpp requires C++14
azure/ 14 azure-sdk-for-cpp requires C++14
tao/ 17 taopq requires C++17
LIST
)

min_standard() { # prints the lowest standard the header must accept
  local h=$1
  while read -r prefix std _; do
    [ -n "$prefix" ] || continue
    case "$h" in "$prefix"*) echo "$std"; return;; esac
  done <<< "$exceptions"
  echo 11
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One TU per library (top-level folder) and standard, including every header of it: the
# same check as one TU per header at a fraction of the cost. A TU that fails is re-run
# header by header, so that the failure names its header.
jobs=()
total=0
for dir in fixtures/include fixtures/fallback; do
  while IFS= read -r h; do
    min=$(min_standard "$h")
    lib=${h%%/*}
    for std in $standards; do
      if [ "$std" -ge "$min" ]; then
        key=$(echo "$dir/$lib" | tr / _).$std
        [ -f "$tmp/tu.$key" ] || jobs+=("$key $std")
        printf '#include <%s>\n' "$h" >>"$tmp/tu.$key"
        echo "$dir $h" >>"$tmp/list.$key"
        total=$((total + 1))
      fi
    done
  done < <(cd "$dir" && find . -type f \( -name '*.h' -o -name '*.hpp' \) | sed 's|^\./||' | sort)
done

printf '%s\n' "${jobs[@]}" | xargs -P "${STUBS_COMPILE_JOBS:-2}" -L 1 bash -c '
  key=$0 std=$1 cxx='"$cxx"' tmp='"$tmp"'
  if ! "$cxx" -fsyntax-only -std=c++$std -Ifixtures/include -Ifixtures/fallback -x c++ "$tmp/tu.$key" >/dev/null 2>&1; then
    while read -r dir h; do
      if ! printf "#include <%s>\n" "$h" | "$cxx" -fsyntax-only -std=c++$std -Ifixtures/include -Ifixtures/fallback -x c++ - >"$tmp/out.$key" 2>&1; then
        { echo "FAIL -std=c++$std $dir/$h"; sed -n 1,10p "$tmp/out.$key"; } > "$tmp/fail.$key.$(echo "$h" | tr / _)"
      fi
    done <"$tmp/list.$key"
    # Headers that compile alone but not together with the rest of their library.
    ls "$tmp" | grep -q "^fail\.$key\." || { echo "FAIL -std=c++$std: the headers of $key compile alone but not together"; } > "$tmp/fail.$key.together"
  fi'

fails=$(ls "$tmp" | grep -c '^fail\.' || true)
if [ "$fails" -gt 0 ]; then
  cat "$tmp"/fail.*
  echo "stubs:compile: $fails header/standard combinations fail (of $total)"
  exit 1
fi
echo "stubs:compile: $total header/standard combinations compile (in ${#jobs[@]} translation units)"
