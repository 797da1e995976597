#!/usr/bin/env bash
# The clang-tidy module: clang-tidy-19 --load runs the coldstart checks (the same check
# code as the tool) on the README's bad example.
set -uo pipefail
MODULE=$1; FIX=$2
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
cd "$FIX/examples"
clang-tidy-19 --load="$MODULE" --list-checks --checks='-*,coldstart-*' >"$WORK/list" 2>&1 || { cat "$WORK/list"; echo "FAIL: --list-checks"; exit 1; }
for c in coldstart-blocking-call coldstart-client-per-invocation coldstart-connection-reuse coldstart-heavy-static-init; do
  grep -q "$c" "$WORK/list" || { cat "$WORK/list"; echo "FAIL: $c not listed"; exit 1; }
done
clang-tidy-19 --load="$MODULE" --checks='-*,coldstart-*' bad_handler.cpp -- -std=c++20 -I"$FIX/include" >"$WORK/out" 2>&1
cat "$WORK/out" | grep -E "warning|note" | head -20
for expect in \
  "bad_handler.cpp:21:25: warning: dynamic initialisation of 'kOrderId' runs before main" \
  "bad_handler.cpp:26:3: warning: 'Aws::S3::S3Client' is constructed on every invocation.*\[coldstart-client-per-invocation\]" \
  "bad_handler.cpp:35:3: warning: 'CURLOPT_FORBID_REUSE' defeats connection reuse.*\[coldstart-connection-reuse\]" \
  "bad_handler.cpp:48:3: warning: 'std::this_thread::sleep_for' sleeps 500 ms on every invocation.*\[coldstart-blocking-call\]" \
  "note: 'handler' calls 'archive' here"; do
  grep -q "$expect" "$WORK/out" || { echo "FAIL: clang-tidy output lacks: $expect"; exit 1; }
done
# Fix-its go through clang-tidy's own --fix.
cp bad_handler.cpp "$WORK/h.cpp"
(cd "$WORK" && clang-tidy-19 --load="$MODULE" --checks='-*,coldstart-connection-reuse' --fix h.cpp -- -std=c++20 -I"$FIX/include" >/dev/null 2>&1)
grep -q "CURLOPT_FORBID_REUSE, 0L" "$WORK/h.cpp" || { echo "FAIL: clang-tidy --fix did not apply the fix"; exit 1; }
echo "ok: clang-tidy-19 --load runs the coldstart checks"
