// The one pipeline from facts to findings, shared by the CLI, the LSP server, the
// clang-tidy module and the fuzzer:
//
//   TUFacts... -> link (link.h) -> every check -> enabled checks, superseded findings
//   merged -> severity and HeaderFilterRegex of the file's config -> NOLINT -> sorted
//
// NOLINT is a hook: the driver reads the source; the clang-tidy module leaves it to
// clang-tidy, which applies its own.
#pragma once

#include "coldstart/check.h"
#include "coldstart/facts.h"
#include "coldstart/link.h"
#include "coldstart/session.h"

#include <algorithm>
#include <functional>
#include <vector>

namespace coldstart {

/// The facts of every TU linked into one program, with the session's handler names.
inline Program linkProgram(const std::vector<TUFacts> &facts, const Session &session) {
  Program program;
  for (const TUFacts &tu : facts) program.add(tu);
  program.link(session.handlerNames());
  return program;
}

struct PipelineResult {
  std::vector<Finding> findings; ///< sorted
  size_t suppressed = 0;         ///< dropped by NOLINT
};

/// Runs every check on `program` and keeps what the session's configuration shows.
/// `isMainFile` says whether a file is a TU's main file (HeaderFilterRegex never hides
/// those); `suppressed` says whether NOLINT suppresses a finding (may be empty);
/// `reported` whether the run reports a finding's file at all (may be empty: all are).
inline PipelineResult runChecks(const Program &program, const Session &session,
                                const std::function<bool(const std::string &)> &isMainFile,
                                const std::function<bool(const Finding &)> &suppressed = {},
                                const std::function<bool(const std::string &)> &reported = {}) {
  std::vector<Finding> raw;
  CheckContext ctx(program, session.catalog(), raw, session.checkOptions());
  for (const auto &check : session.checks()) check->run(ctx);
  // Findings of disabled checks go first, so that they supersede nothing.
  raw.erase(
      std::remove_if(raw.begin(), raw.end(), [&](const Finding &f) { return !session.enabled(f.check, f.loc.file); }),
      raw.end());
  mergeSuperseded(raw);
  PipelineResult out;
  for (Finding &f : raw) {
    f.severity = session.severity(f.check, f.loc.file, f.severity);
    if (reported && !reported(f.loc.file)) continue;
    if (session.filteredOut(f.loc.file, isMainFile && isMainFile(f.loc.file))) continue;
    if (suppressed && suppressed(f)) {
      ++out.suppressed;
      continue;
    }
    out.findings.push_back(std::move(f));
  }
  std::sort(out.findings.begin(), out.findings.end(), findingLess);
  return out;
}

} // namespace coldstart
