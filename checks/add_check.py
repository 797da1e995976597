#!/usr/bin/env python3
"""Creates a new check: checks/coldstart-<name>/ with a skeleton that builds and passes.

    checks/add_check.py <name>        e.g. checks/add_check.py dns-per-invocation

writes, and touches nothing else:

    checks/coldstart-<name>/check.cpp                   the check class (a TODO where the logic goes)
    checks/coldstart-<name>/page.md                     its documentation page (--explain)
    checks/coldstart-<name>/fixtures/silent_handler.cpp a fixture on which the skeleton is silent

CMake finds the folder on the next build (the registry is generated from checks/*/check.cpp),
so `cmake --build build` is enough for --list-checks to show it and ctest to run its fixture.
See checks/README.md.
"""
import pathlib
import re
import sys

PREFIX = "coldstart-"
NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

CHECK_CPP = """\
// {id}: TODO: what the check finds, in a sentence or two (the first lines of page.md).
#include "registry.h"

namespace coldstart::checks {{
namespace {{

class {cls} : public Check {{
public:
  std::string_view id() const override {{ return "{id}"; }}
  std::string_view summary() const override {{ return "TODO: one line for --list-checks"; }}
  std::string_view doc() const override {{ return page(id()); }}
  /// Options, read with ctx.option(*this, "<Name>"); list them on page.md too, e.g.
  ///   return {{{{"Threshold", "10", "how many ... before the check reports"}}}};
  std::vector<CheckOption> options() const override {{ return {{}}; }}

  void run(CheckContext &ctx) const override {{
    ctx.forEachPerInvocationSite([&](const FunctionFacts &node, const Site &site) {{
      // TODO: report the sites this check is about (site.kind is the catalog kind), e.g.
      //   if (site.kind == "sleep") ctx.report(ctx.perInvocationFinding(id(), node, site, "... on every invocation"));
      (void)node;
      (void)site;
    }});
  }}
}};

}} // namespace

std::unique_ptr<Check> {factory}() {{ return std::make_unique<{cls}>(); }}

}} // namespace coldstart::checks
"""

PAGE_MD = """\
# {id}

TODO: what the check finds, in a paragraph.

## Why it costs on Lambda

TODO: what the pattern costs on every invocation or at every cold start.

## What it finds

TODO: a table or a list of the patterns, and an example message.

## Bad

```cpp
// TODO
```

## Good

```cpp
// TODO
```

## Not flagged

- TODO: the cases the check deliberately leaves alone, and why.

## Options

This check declares no `CheckOptions`.

- `Severity` (config): `warning` (default) or `error`.
"""

FIXTURE = """\
// {id}: a handler on which the check stays silent. Add fixtures with an expectation
// comment on each line the check must report (format: the top of tests/fixture_runner.cpp;
// examples: the other checks' fixtures).
// ARGS: --checks=-*,{id}
#include <aws/lambda-runtime/runtime.h>

using namespace aws::lambda_runtime;

static invocation_response handler(invocation_request const &request) {{
  return invocation_response::success(request.payload, "application/json"); // OK: nothing per invocation to report
}}

int main() {{
  run_handler(handler);
  return 0;
}}
"""


def fail(message):
    print(f"add_check.py: error: {message}", file=sys.stderr)
    return 1


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print("usage: checks/add_check.py <name>   (lower-case words joined by '-', e.g. dns-per-invocation)",
              file=sys.stderr)
        return 0 if len(argv) == 2 else 2
    name = argv[1]
    if name.startswith(PREFIX):
        name = name[len(PREFIX):]
    if not NAME.match(name):
        return fail(f"invalid check name '{argv[1]}': use lower-case letters and digits in words joined by '-' "
                    "(e.g. dns-per-invocation)")
    check_id = PREFIX + name
    checks = pathlib.Path(__file__).resolve().parent
    folder = checks / check_id
    if folder.exists():
        return fail(f"check '{check_id}' already exists ({folder})")
    words = check_id.split("-")
    fields = {
        "id": check_id,
        "cls": "".join(w.capitalize() for w in words[1:]),
        "factory": "make_" + check_id.replace("-", "_"),
    }
    (folder / "fixtures").mkdir(parents=True)
    (folder / "check.cpp").write_text(CHECK_CPP.format(**fields))
    (folder / "page.md").write_text(PAGE_MD.format(**fields))
    (folder / "fixtures" / "silent_handler.cpp").write_text(FIXTURE.format(**fields))
    rel = folder.relative_to(checks.parent)
    print(f"created {rel}/check.cpp, {rel}/page.md and {rel}/fixtures/silent_handler.cpp")
    print(f"next: cmake --build build && ctest --test-dir build -R 'fixture:{check_id}/'")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
