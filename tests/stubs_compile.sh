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

jobs=()
for dir in fixtures/include fixtures/fallback; do
  while IFS= read -r h; do
    min=$(min_standard "$h")
    for std in $standards; do
      [ "$std" -ge "$min" ] && jobs+=("$dir $h $std")
    done
  done < <(cd "$dir" && find . -type f \( -name '*.h' -o -name '*.hpp' \) | sed 's|^\./||' | sort)
done

printf '%s\n' "${jobs[@]}" | xargs -P "${STUBS_COMPILE_JOBS:-2}" -L 1 bash -c '
  dir=$0 h=$1 std=$2 cxx='"$cxx"' tmp='"$tmp"'
  if ! printf "#include <%s>\n" "$h" | "$cxx" -fsyntax-only -std=c++$std -Ifixtures/include -Ifixtures/fallback -x c++ - >"$tmp/out.$$" 2>&1; then
    { echo "FAIL -std=c++$std $dir/$h"; sed -n 1,10p "$tmp/out.$$"; } > "$tmp/fail.$$.$std.$(echo "$h" | tr / _)"
  fi
  rm -f "$tmp/out.$$"'

fails=$(ls "$tmp" | grep -c '^fail\.' || true)
if [ "$fails" -gt 0 ]; then
  cat "$tmp"/fail.*
  echo "stubs:compile: $fails header/standard combinations fail (of ${#jobs[@]})"
  exit 1
fi
echo "stubs:compile: ${#jobs[@]} header/standard combinations compile"
