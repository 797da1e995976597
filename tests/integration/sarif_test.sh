#!/usr/bin/env bash
# SARIF output validated by Microsoft's SARIF validator (npm @microsoft/sarif-multitool,
# installed by setup.sh under build/npm): zero errors, zero warnings. URLs: with the
# build's COLDSTART_HOME_URL (the 4th argument) each rule's helpUri names its page under
# it; without one, the document has no informationUri and no helpUri and still validates.
set -uo pipefail
TOOL=$1; SRC=$2; NPM=$3; HOME_URL=${4:-}
MT=$NPM/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
[ -e "$MT" ] || { echo "SKIP: sarif-multitool not installed (setup.sh installs it)"; exit 77; }
chmod u+x "$MT" 2>/dev/null # npm 11 does not run its install script
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
export XDG_CACHE_HOME="$WORK/cache"
cd "$SRC"
"$TOOL" --format=sarif fixtures/examples/bad_handler.cpp -- -std=c++20 -Ifixtures/include >"$WORK/out.sarif" 2>/dev/null
[ $? = 1 ] || { echo "FAIL: expected findings"; exit 1; }
python3 - "$WORK/out.sarif" "$HOME_URL" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
run = d["runs"][0]
rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
assert {"coldstart-client-per-invocation", "coldstart-blocking-call", "coldstart-connection-reuse",
        "coldstart-heavy-static-init"} <= rules, rules
res = run["results"]
assert len(res) == 6, len(res)
loc = res[1]["locations"][0]["physicalLocation"]
assert loc["artifactLocation"] == {"uri": "fixtures/examples/bad_handler.cpp", "uriBaseId": "SRCROOT"}, loc
assert all("partialFingerprints" in r for r in res)
assert any("fixes" in r for r in res) and any("relatedLocations" in r for r in res)
# GitHub links only the related locations that the message references as [text](id).
import re
for r in res:
    ids = {l["id"] for l in r.get("relatedLocations", [])}
    linked = {int(i) for i in re.findall(r"\]\((\d+)\)", r["message"]["text"])}
    assert ids == linked, (r["message"]["text"], ids, linked)
# A finding reached from a handler carries the call path as a code flow: the handler's
# registration first, the finding's own location last.
flows = [r for r in res if "codeFlows" in r]
assert flows, "no codeFlows"
for r in flows:
    steps = r["codeFlows"][0]["threadFlows"][0]["locations"]
    assert len(steps) >= 2, steps
    assert "handler" in steps[0]["location"]["message"]["text"], steps[0]
    assert steps[-1]["location"]["physicalLocation"] == r["locations"][0]["physicalLocation"], r
# URLs only from the build's home URL: none at all without one (no dead links); with
# one, each rule's help link names its page, which exists in this source tree.
import os
home = sys.argv[2].rstrip("/")
driver = run["tool"]["driver"]
if not home:
    assert "informationUri" not in driver, driver.get("informationUri")
    assert not any("helpUri" in r for r in driver["rules"]), [r.get("helpUri") for r in driver["rules"]]
else:
    assert driver["informationUri"] == home, driver["informationUri"]
    for r in driver["rules"]:
        assert r["helpUri"].startswith(home + "/blob/main/"), (r["id"], r["helpUri"])
        page = r["helpUri"].split("/blob/main/", 1)[1]
        assert os.path.isfile(page), (r["id"], r["helpUri"])
print("ok: " + ("no URLs (no COLDSTART_HOME_URL)" if not home else "helpUri of every rule under " + home))
PY
# Fingerprints survive an unrelated edit that moves every line down.
{ echo "// an unrelated comment"; echo "// and another"; cat fixtures/examples/bad_handler.cpp; } >"$WORK/moved.cpp"
cp fixtures/examples/bad_handler.cpp "$WORK/orig.cpp"
(cd "$WORK" && "$TOOL" --format=sarif orig.cpp -- -std=c++20 -I"$SRC/fixtures/include" >a.sarif 2>/dev/null;
 cp moved.cpp orig.cpp && "$TOOL" --format=sarif orig.cpp -- -std=c++20 -I"$SRC/fixtures/include" >b.sarif 2>/dev/null)
python3 - "$WORK/a.sarif" "$WORK/b.sarif" <<'PY' || exit 1
import json, sys
fp = lambda p: sorted(r["partialFingerprints"]["coldstartFindingHash/v1"] for r in json.load(open(p))["runs"][0]["results"])
a, b = fp(sys.argv[1]), fp(sys.argv[2])
assert a == b, "fingerprints changed when lines moved"
PY
"$MT" validate "$WORK/out.sarif" --rule-kind "Gh;Sarif" -o "$WORK/validation.sarif" --log ForceOverwrite >"$WORK/validate.log" 2>&1
python3 - "$WORK/validation.sarif" "$HOME_URL" <<'PY' || { cat "$WORK/validate.log"; exit 1; }
import json, sys
d = json.load(open(sys.argv[1]))
results = [r for run in d["runs"] for r in run.get("results", [])]
# Without a home URL the one warning allowed is SARIF2005's advice to provide the
# optional informationUri (the schema and GitHub's rules do not require it): no link
# beats a dead one. Everything else, and everything with a URL, must be clean.
def expected(r):
    return (not sys.argv[2] and r.get("ruleId") == "SARIF2005"
            and r["message"].get("id") == "Warning_ProvideToolnformationUri")
bad = [r for r in results if r.get("level", "warning") in ("error", "warning") and not expected(r)]
for r in bad:
    print(r.get("level"), r.get("ruleId"), r["message"].get("text", r["message"]))
assert not bad, f"{len(bad)} validation errors/warnings"
print(f"ok: SARIF valid ({len(results)} notes)")
PY
