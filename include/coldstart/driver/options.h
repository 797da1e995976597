// What the driver is asked to do (DriverOptions) and what a run gives back (RunResult).
#pragma once

#include "coldstart/check.h"
#include "coldstart/emit.h"
#include "coldstart/facts.h"
#include "coldstart/isolate.h"
#include "coldstart/recovery.h" // cleanAbsolute
#include "coldstart/session.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace coldstart {

inline std::string firstLineOf(const std::string &s) {
  std::string l = s.substr(0, s.find('\n'));
  while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
  return l.empty() ? "malformed" : l;
}

struct DriverOptions {
  std::vector<std::string> files;
  std::optional<std::string> buildPath; ///< -p
  bool haveCompilerArgs = false;        ///< `--` was given
  std::vector<std::string> compilerArgs;
  /// --extra-arg and --extra-arg-before: added to every compile command (clang-tidy's).
  std::vector<std::string> extraArgs, extraArgsBefore;
  std::vector<std::string> vfsOverlays; ///< --vfsoverlay: YAML overlay files (absolute paths)
  /// Called as each parse ends (not for cache hits): files parsed so far, files to parse.
  std::function<void(size_t done, size_t total, const std::string &file)> progress;
  SessionOptions session; ///< --checks, --warnings-as-errors, --config, the built-in catalog
  std::string resourceDir;
  bool skipSystemBodies = true; ///< --no-skip-bodies turns it off (to compare)
  bool parseOnly = false;       ///< --parse-only: parse and extract nothing (benchmarks)
  /// Declaration-only headers served at the lowest include priority when the real
  /// ones are missing (AWS SDK, aws-lambda-cpp, libcurl, cpp-httplib...).
  std::vector<EmbeddedText> fallbackHeaders;
  bool useFallbackHeaders = true;
  IsolationLimits isolation; ///< -j, per-TU timeout and memory limit
  bool isolate = true;       ///< parse each TU in a child process
  bool useCache = true;
  std::string cacheDir;                    ///< empty: <build>/.coldstart-lint-cache or $XDG_CACHE_HOME/coldstart-lint
  std::string identity;                    ///< what built the facts (hash of the binary): part of every cache key
  unsigned shardIndex = 0, shardCount = 0; ///< --shard K/N (1-based K); 0: all
  /// Files named and a compilation database given or found: link the project's other
  /// files too, reporting only the named ones (--no-project-link turns it off).
  bool linkProject = true;
};

/// Collects compiler errors of one TU; warnings are ignored (we run with -w).
/// One line for an error of a TU: "<file>: <message>: <where>: <detail>".
inline std::string formatFactsError(const FactsError &e) {
  std::string out = displayPath(e.file) + ": " + e.message;
  if (e.where.valid())
    out += ": " + displayPath(e.where.file) + ":" + std::to_string(e.where.line) + ":" + std::to_string(e.where.col);
  if (!e.detail.empty()) out += ": " + e.detail;
  return out;
}

/// A TU's error as the run reports it (the one line, and its place when it has one).
inline RunErrors::Error runError(const FactsError &e) {
  return {e.file, formatFactsError(e), e.where, e.message, firstLineOf(e.detail)};
}

/// The one line that says which analysed files used built-in declarations in place of
/// headers that are not installed (their own headers all found otherwise), or "".
inline std::string fallbackSummary(const std::vector<const TUFacts *> &tus) {
  if (tus.empty()) return {};
  std::vector<std::string> names;
  size_t setAside = 0;
  for (const TUFacts *tu : tus) {
    setAside += tu->errorsSetAside;
    for (const std::string &n : tu->fallback)
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  }
  std::string text = tus.size() == 1 ? displayPath(tus.front()->mainFile) + ": analysed"
                                     : std::to_string(tus.size()) + " files were analysed";
  text += " with built-in declarations for headers that are not installed (" + listNames(names) + ")";
  if (setAside)
    text += "; " + std::to_string(setAside) +
            (setAside == 1 ? " error against them was set aside" : " errors against them were set aside");
  return text;
}

struct RunResult {
  std::vector<TUFacts> facts; ///< per TU, sorted by main file
  std::vector<Finding> findings;
  RunErrors errors;
  size_t suppressed = 0;
  size_t analysed = 0; ///< files analysed and reported
  size_t linked = 0;   ///< other files of the project, linked in but not reported
  size_t cacheHits = 0;
  std::vector<std::string> notes; ///< one line each, for stderr
  std::string fallbackNote;       ///< the one of `notes` that says built-in declarations stood in (--quiet hides it)
  /// Files whose analysis may be incomplete (headers not found): also in JSON and SARIF.
  std::vector<IncompleteAnalysis> incomplete;
};

} // namespace coldstart
