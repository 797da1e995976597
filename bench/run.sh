#!/usr/bin/env bash
# coldstart-lint benchmark: ratios against clang++-19 -fsyntax-only and clang-tidy-19 on
# the same TUs with the same flags, all measured side by side in one run (medians).
#
#   bench/run.sh [--quick]        # prints a markdown table; writes bench/work/results.md
#
# TUs: bench/tu/*.cpp (STL + libcurl; Boost.Beast + nlohmann/json; gRPC + Boost), and a
# generated 200-TU project for -j and the facts cache. Needs a built build/coldstart-lint
# (./setup.sh); installs hyperfine, clang-tidy-19 and the -dev packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOL=$ROOT/build/coldstart-lint
WORK=$ROOT/bench/work
RUNS=5
PROJECT_RUNS=3
TUS=200
[ "${1:-}" = "--quick" ] && { RUNS=3; PROJECT_RUNS=1; TUS=40; }

need=()
for p in hyperfine clang-19 clang-tidy-19 libboost-dev nlohmann-json3-dev libgrpc++-dev libcurl4-openssl-dev time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ -x "$TOOL" ] || { echo "bench: build first (./setup.sh)" >&2; exit 1; }

rm -rf "$WORK"; mkdir -p "$WORK"
FLAGS=(-std=c++20 -I"$ROOT/fixtures/include")
median() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"])' "$@"; }
peak_kb() { # median peak RSS of 3 runs (for ours, the largest process: the child that parses)
  local best=()
  for _ in 1 2 3; do best+=("$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)"); done
  printf '%s\n' "${best[@]}" | sort -n | sed -n 2p
}
# Two significant digits: a warm-cache ratio of 0.0024 must not print as 0.00.
ratio() { python3 -c "r=float($1)/float($2); print(f'{r:.2f}' if r >= 0.1 else f'{r:.2g}')"; }

echo "| TU | lines after preprocessing | -fsyntax-only | coldstart-lint | ratio | parse only | analysis overhead | clang-tidy (1 check) | ratio | peak memory ratio |" >"$WORK/tus.md"
echo "|---|---|---|---|---|---|---|---|---|---|" >>"$WORK/tus.md"
for tu in "$ROOT"/bench/tu/*.cpp; do
  name=$(basename "$tu")
  lines=$(clang++-19 -E "${FLAGS[@]}" "$tu" | wc -l)
  hyperfine -N -w 1 -r "$RUNS" --export-json "$WORK/$name.json" \
    "clang++-19 -fsyntax-only ${FLAGS[*]} $tu" \
    "$TOOL --no-cache --quiet $tu -- ${FLAGS[*]}" \
    "$TOOL --no-cache --quiet --parse-only $tu -- ${FLAGS[*]}" \
    "clang-tidy-19 --quiet --checks=-*,misc-definitions-in-headers $tu -- ${FLAGS[*]}" >/dev/null
  syn=$(median "$WORK/$name.json" 0); ours=$(median "$WORK/$name.json" 1)
  parse=$(median "$WORK/$name.json" 2); tidy=$(median "$WORK/$name.json" 3)
  mem_syn=$(peak_kb clang++-19 -fsyntax-only "${FLAGS[@]}" "$tu")
  mem_ours=$(peak_kb "$TOOL" --no-cache --quiet "$tu" -- "${FLAGS[@]}")
  overhead=$(python3 -c "print(f'{max(0.0, ($ours - $parse) / $parse) * 100:.1f}%')")
  printf '| %s | %s | %.2f s | %.2f s | **%s×** | %.2f s | %s | %.2f s | **%s×** | **%s×** (%s / %s MB) |\n' \
    "$name" "$lines" "$syn" "$ours" "$(ratio "$ours" "$syn")" "$parse" "$overhead" "$tidy" "$(ratio "$ours" "$tidy")" \
    "$(ratio "$mem_ours" "$mem_syn")" "$((mem_ours / 1024))" "$((mem_syn / 1024))" >>"$WORK/tus.md"
done

# ---- a 200-TU project: -j speedup and the facts cache ------------------------------
P=$WORK/project
mkdir -p "$P/src"
python3 - "$P" "$TUS" "$ROOT/fixtures/include" <<'PY'
import json, sys, os
root, n, inc = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cmds = []
for i in range(n):
    path = os.path.join(root, "src", f"unit{i}.cpp")
    with open(path, "w") as f:
        f.write(f'''#include <curl/curl.h>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>
#include <aws/s3/S3Client.h>
namespace unit{i} {{
struct Record {{ std::string key; int value; }};
std::string render(const std::vector<Record>& rs) {{
  std::ostringstream out;
  for (const auto& r : rs) out << r.key << '=' << r.value << ';';
  return out.str();
}}
std::map<std::string, int> tally(const std::vector<Record>& rs) {{
  std::map<std::string, int> m;
  for (const auto& r : rs) m[r.key] += r.value;
  return m;
}}
void upload(const std::string& body) {{
  Aws::S3::S3Client s3;
  (void)body;
}}
}}
''')
    cmds.append({"directory": root, "file": path,
                 "arguments": ["clang++", "-std=c++20", f"-I{inc}", "-c", path, "-o", path + ".o"]})
with open(os.path.join(root, "compile_commands.json"), "w") as f:
    json.dump(cmds, f)
PY
hyperfine -N -w 0 -r "$PROJECT_RUNS" --export-json "$WORK/project.json" \
  "$TOOL --no-cache --quiet -j1 -p $P" \
  "$TOOL --no-cache --quiet -j2 -p $P" >/dev/null || true
j1=$(median "$WORK/project.json" 0); j2=$(median "$WORK/project.json" 1)
"$TOOL" --quiet -j2 -p "$P" --cache-dir="$WORK/cache" >/dev/null || true # fill the cache
hyperfine -N -w 1 -r 10 --export-json "$WORK/warm.json" "$TOOL --quiet -j2 -p $P --cache-dir=$WORK/cache" >/dev/null || true
warm=$(median "$WORK/warm.json" 0)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
{
  echo "Measured on: $(nproc) cores ($cpu), $(free -g | awk '/Mem:/ {print $2}') GiB, $(. /etc/os-release; echo "$PRETTY_NAME"), $(date -u +%Y-%m-%d)"
  echo "clang++-19 / clang-tidy-19 $(clang-19 --version | head -1 | grep -o '[0-9]*\.[0-9]*\.[0-9]*'); medians of $RUNS runs (hyperfine)."
  echo
  cat "$WORK/tus.md"
  echo
  echo "| $TUS-TU project | time | ratio |"
  echo "|---|---|---|"
  printf '| -j1, cold | %.1f s | |\n' "$j1"
  printf '| -j2, cold | %.1f s | **%s×** speedup |\n' "$j2" "$(ratio "$j1" "$j2")"
  printf '| -j2, warm facts cache (nothing changed) | %.2f s | **%s×** of the cold -j2 run |\n' "$warm" "$(ratio "$warm" "$j2")"
} | tee "$WORK/results.md"
