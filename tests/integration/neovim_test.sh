#!/usr/bin/env bash
# integration:neovim: Debian's Neovim (0.7.2 on Debian 12) runs the configuration the
# README quotes, docs/integrations/coldstart-lint.lua, as it is: opened on a copy of
# fixtures/examples/bad_handler.cpp, it must show the server's diagnostics on the
# lines the CLI reports, and the quick fix for CURLOPT_FORBID_REUSE must change the
# buffer as the CLI's --fix changes the file. Skips (77) only when nvim is missing.
#   neovim_test.sh <coldstart-lint> <source-dir>
set -euo pipefail
tool=$(realpath "$1")
src=$(realpath "$2")
command -v nvim >/dev/null || { echo "SKIP: nvim is not installed (apt-get install neovim)"; exit 77; }

config="$src/docs/integrations/coldstart-lint.lua"
# The README quotes this very file.
python3 -c 'import sys; sys.exit(open(sys.argv[1]).read() not in open(sys.argv[2]).read())' "$config" "$src/README.md" ||
  { echo "FAIL: README.md does not quote $config as it is"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/project" "$tmp/expected" "$tmp/xdg/config" "$tmp/xdg/data" "$tmp/xdg/state" "$tmp/xdg/cache" "$tmp/home"
for d in project expected; do
  cp "$src/fixtures/examples/bad_handler.cpp" "$tmp/$d/handler.cpp"
  printf -- '-std=c++20\n-I%s/fixtures/include\n' "$src" >"$tmp/$d/compile_flags.txt"
done
export XDG_CONFIG_HOME="$tmp/xdg/config" XDG_DATA_HOME="$tmp/xdg/data" XDG_STATE_HOME="$tmp/xdg/state"
export XDG_CACHE_HOME="$tmp/xdg/cache" HOME="$tmp/home"

# What the CLI says: the lines of its findings, and the file after the one fix.
set +e
"$tool" --format=json "$tmp/project/handler.cpp" >"$tmp/findings.json" 2>"$tmp/cli.err"
rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "FAIL: the CLI exited $rc on the example (expected findings)"; cat "$tmp/cli.err"; exit 1; }
lines=$(python3 -c 'import json,sys; print(" ".join(str(f["line"]) for f in sorted(json.load(open(sys.argv[1]))["findings"], key=lambda f: f["line"])))' "$tmp/findings.json")
[ -n "$lines" ] || { echo "FAIL: no findings from the CLI"; exit 1; }
"$tool" --quiet --fix --checks='-*,coldstart-connection-reuse' "$tmp/expected/handler.cpp" >/dev/null 2>&1
if cmp -s "$tmp/expected/handler.cpp" "$src/fixtures/examples/bad_handler.cpp"; then
  echo "FAIL: the CLI's --fix changed nothing"
  exit 1
fi

# The editor: the server is found on PATH, as the configuration expects.
set +e
PATH="$(dirname "$tool"):$PATH" \
  COLDSTART_NVIM_FILE="$tmp/project/handler.cpp" COLDSTART_NVIM_LINES="$lines" \
  COLDSTART_NVIM_EXPECTED="$tmp/expected/handler.cpp" COLDSTART_NVIM_RESULT="$tmp/result" \
  COLDSTART_NVIM_TIMEOUT_MS=60000 \
  timeout -k 5 120 nvim --headless --clean -c "luafile $config" \
  -c "luafile $src/tests/integration/neovim_test.lua" </dev/null >"$tmp/nvim.out" 2>&1
rc=$?
set -e
result=$(cat "$tmp/result" 2>/dev/null || echo "no result (nvim exited $rc)")
if [ "$rc" -ne 0 ] || [ "$result" != "ok" ]; then
  echo "FAIL: $result"
  cat "$tmp/nvim.out"
  cat "$XDG_CACHE_HOME/nvim/lsp.log" "$XDG_STATE_HOME/nvim/lsp.log" 2>/dev/null | tail -20
  exit 1
fi
echo "ok: $(nvim --version | head -1) shows the CLI's findings (lines $lines) and applies the CURLOPT_FORBID_REUSE fix as --fix does"
