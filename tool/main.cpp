// coldstart-lint: the command-line front end.
//
//   coldstart-lint [options] <file>... [-- <compiler args>]
//   coldstart-lint link [options] <facts file>...
//
// Exit codes: 0 no findings, 1 findings, 2 the tool could not do its job (usage,
// unreadable input, a TU that did not parse — findings it has are still printed).
#include "coldstart/driver.h"
#include "coldstart/emit.h"
#include "coldstart/emit/github.h"
#include "coldstart/emit/init_report.h"
#include "coldstart/emit/json.h"
#include "coldstart/emit/sarif.h"
#include "coldstart/emit/text.h"
#include "coldstart/fixes.h"
#include "coldstart/lsp.h"
#include "coldstart/version.h"

#include "coldstart_embedded_catalog.h"  // generated from catalog/*.yaml
#include "coldstart_embedded_fallback.h" // generated from fixtures/fallback (libcurl, cpp-httplib)
#include "coldstart_embedded_stubs.h"    // generated from fixtures/include (AWS SDK, aws-lambda-cpp...)
#include "registry.h"                    // checks/

#include <llvm/Config/llvm-config.h>
#include <llvm/Support/InitLLVM.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <set>
#include <thread>
#include <unistd.h>

namespace {

using namespace coldstart;

constexpr const char *kUsage = R"(USAGE: coldstart-lint [options] <file>... [-- <compiler args>]
       coldstart-lint link [options] <facts file>...
       coldstart-lint lsp [-p <build-path>] [--config=<file>] [--checks=<globs>]

Finds cold-start and per-invocation costs in C and C++ AWS Lambda handlers: clients
built on every invocation, connections that cannot be reused, heavy static
initialisers and blocking calls, each with the handler it is reachable from and
the call path.

INPUT:
  -p <build-path>          Read compile commands from <build-path>/compile_commands.json
                           (without files: analyse every file it lists, linked together)
  -- <compiler args>       Compile every named file with these arguments
  (neither)                Use the compile_commands.json found in a parent directory of
                           each file or its build/ (as clangd does), else the nearest
                           compile_flags.txt, else compile without flags
  --no-project-link        With files named and a compilation database (-p or found), analyse
                           the named files alone. By default the database's other files are
                           linked in (cached) so that a finding whose handler is in another
                           file is found; only the named files (and headers) are reported

CHECKS AND CONFIG:
  --checks=<globs>         Select checks, clang-tidy syntax: 'coldstart-*,-coldstart-blocking-call'
  --config=<file>          Use this config instead of the .coldstart-lint.yaml found above each file
  --warnings-as-errors=<globs>
                           Report findings of these checks as errors (severity "error")
  --list-checks            List the enabled checks and exit
  --explain=<check>        Print a check's documentation and exit

OUTPUT:
  --format=<format>        text: compiler-style lines with notes and snippets (default);
                           json: one JSON document; sarif: SARIF 2.1.0 (code scanning);
                           github: GitHub Actions annotations (::warning file=...)
  --init-report            Instead of findings, list every dynamic initialiser with its cost
                           class, costliest first (text, or JSON with --format=json)
  --export-fixes=<file>    Write fixes as clang-apply-replacements YAML
  --fix                    Apply fixes in place (only in the analysed files; not in a file
                           with compile errors of its own)
  --fix-errors             Like --fix, and apply fixes even in files with compile errors
  --quiet                  Do not print the summary line on stderr

SPEED AND SCALE:
  -j <N>                   Parse N files at a time, each in its own process (default: all cores)
  --no-cache               Do not read or write the facts cache
  --cache-dir=<dir>        Facts cache (default: <build-path>/.coldstart-lint-cache with -p,
                           else $XDG_CACHE_HOME/coldstart-lint)
  --shard=<K>/<N>          Analyse only the K-th of N deterministic slices of the files
  --facts-out=<file>       Write the facts of the analysed files (for 'link') instead of findings
  --timeout=<seconds>      Give up on a file after this long (default: 600)
  --no-fallback-headers    Do not stand in for missing AWS SDK, aws-lambda-cpp, libcurl or
                           cpp-httplib headers with built-in declarations
  --max-memory=<MB>        Memory limit per parse (default: 4096; 0: none)

  link <facts file>...     Merge facts written by --facts-out (e.g. by CI shards) and
                           report findings with the options above
  lsp                      Serve diagnostics and quick fixes to an editor (Language Server
                           Protocol over stdin/stdout)

  --version                Print the version and exit
  --help                   Print this help and exit

EXIT CODES:
  0  no findings
  1  findings
  2  the tool could not do its job (bad usage, unreadable input, a file that did not
     compile, a bad config); findings for the files that did are still printed

Docs: coldstart-lint --explain=<check>, and README.md
)";

struct CliOptions {
  DriverOptions driver;
  bool linkMode = false;
  bool lspMode = false;
  std::string format = "text";
  std::optional<std::string> exportFixes;
  std::optional<std::string> factsOut;
  bool fix = false;
  bool fixErrors = false;
  bool listChecks = false;
  bool initReport = false;
  std::optional<std::string> explain;
  bool quiet = false;
  bool version = false;
  bool help = false;
};

int usageError(const std::string &msg) {
  std::cerr << "coldstart-lint: error: " << msg << "\n"
            << "coldstart-lint: run 'coldstart-lint --help' for usage\n";
  return 2;
}

bool parseUnsigned(const std::string &text, unsigned long &out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

/// Parses argv. Returns -1 on success, else an exit code.
/// A flag (an option without a value), by name.
void setFlag(const std::string &name, CliOptions &o) {
  if (name == "help") o.help = true;
  else if (name == "version") o.version = true;
  else if (name == "fix") o.fix = true;
  else if (name == "fix-errors") o.fix = o.fixErrors = true;
  else if (name == "list-checks") o.listChecks = true;
  else if (name == "quiet") o.quiet = true;
  else if (name == "init-report") o.initReport = true;
  else if (name == "no-cache") o.driver.useCache = false;
  else if (name == "no-skip-bodies") o.driver.skipSystemBodies = false; // to check skipping changes nothing
  else if (name == "no-isolation") o.driver.isolate = false;            // debugging, fuzzing
  else if (name == "parse-only") o.driver.parseOnly = true;             // bench/: the cost of parsing alone
  else if (name == "no-fallback-headers") o.driver.useFallbackHeaders = false;
  else if (name == "no-project-link") o.driver.linkProject = false;
}

/// An option with a value, by name; an exit code when the value is bad, else -1.
int setValue(const std::string &name, const std::string &value, CliOptions &o) {
  unsigned long n = 0;
  if (name == "p") o.driver.buildPath = value;
  else if (name == "checks") o.driver.session.checks = value;
  else if (name == "warnings-as-errors") o.driver.session.warningsAsErrors = value;
  else if (name == "config") o.driver.session.configPath = value;
  else if (name == "format") o.format = value;
  else if (name == "export-fixes") o.exportFixes = value;
  else if (name == "explain") o.explain = value;
  else if (name == "cache-dir") o.driver.cacheDir = value;
  else if (name == "facts-out") o.factsOut = value;
  else if (name == "j") {
    if (!parseUnsigned(value, n) || n == 0 || n > 1024)
      return usageError("-j needs a positive number, not '" + value + "'");
    o.driver.isolation.jobs = unsigned(n);
  } else if (name == "timeout") {
    if (!parseUnsigned(value, n)) return usageError("--timeout needs a number of seconds, not '" + value + "'");
    o.driver.isolation.timeoutSeconds = unsigned(n);
  } else if (name == "max-memory") {
    if (!parseUnsigned(value, n)) return usageError("--max-memory needs a number of MB, not '" + value + "'");
    o.driver.isolation.memoryLimitMB = n;
  } else if (name == "shard") {
    unsigned long k = 0, total = 0;
    auto slash = value.find('/');
    if (slash == std::string::npos || !parseUnsigned(value.substr(0, slash), k) ||
        !parseUnsigned(value.substr(slash + 1), total) || total == 0 || k == 0 || k > total)
      return usageError("--shard needs K/N with 1 <= K <= N, not '" + value + "'");
    o.driver.shardIndex = unsigned(k);
    o.driver.shardCount = unsigned(total);
  }
  return -1;
}

int parseArgs(int argc, char **argv, CliOptions &o) {
  int first = 1;
  if (argc > 1 && std::string_view(argv[1]) == "link") {
    o.linkMode = true;
    first = 2;
  } else if (argc > 1 && std::string_view(argv[1]) == "lsp") {
    o.lspMode = true;
    first = 2;
  }
  const std::vector<std::string_view> flags = {"help",           "version",      "fix",         "fix-errors",
                                               "list-checks",    "quiet",        "init-report", "no-cache",
                                               "no-skip-bodies", "no-isolation", "parse-only",  "no-fallback-headers",
                                               "no-project-link"};
  const std::vector<std::string_view> valued = {
      "p",         "checks", "config",    "format",  "export-fixes", "explain", "j", "warnings-as-errors",
      "cache-dir", "shard",  "facts-out", "timeout", "max-memory"};
  for (int i = first; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      o.driver.haveCompilerArgs = true;
      for (int j = i + 1; j < argc; ++j) o.driver.compilerArgs.push_back(argv[j]);
      break;
    }
    if (arg.empty() || arg[0] != '-' || arg == "-") {
      o.driver.files.push_back(std::string(arg));
      continue;
    }
    std::string_view body = arg.substr(arg.rfind("--", 0) == 0 ? 2 : 1);
    std::string name(body.substr(0, body.find('=')));
    std::optional<std::string> value;
    if (body.find('=') != std::string_view::npos) value = std::string(body.substr(body.find('=') + 1));
    // -pbuild, -j4
    if (!value && arg.size() > 2 && arg[1] != '-' && (arg[1] == 'p' || arg[1] == 'j') &&
        std::find(flags.begin(), flags.end(), body) == flags.end() &&
        std::find(valued.begin(), valued.end(), body) == valued.end()) {
      name = std::string(1, arg[1]);
      value = std::string(arg.substr(2));
    }
    if (name == "h") name = "help";
    if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
      if (value) return usageError("option '" + name + "' takes no value");
      setFlag(name, o);
      continue;
    }
    if (std::find(valued.begin(), valued.end(), name) == valued.end())
      return usageError("unknown option '" + std::string(arg) + "'");
    if (!value) {
      if (i + 1 >= argc) return usageError("option '" + std::string(arg) + "' needs a value");
      value = argv[++i];
    }
    if (int rc = setValue(name, *value, o); rc >= 0) return rc;
  }
  if (o.format != "text" && o.format != "json" && o.format != "sarif" && o.format != "github")
    return usageError("unknown --format '" + o.format + "' (expected text, json, sarif or github)");
  if (o.linkMode && o.driver.haveCompilerArgs) return usageError("'link' takes facts files, not compiler arguments");
  return -1;
}

bool colorOutput() {
  if (!isatty(STDOUT_FILENO)) return false;
  if (std::getenv("NO_COLOR")) return false;
  const char *term = std::getenv("TERM");
  return !(term && std::string_view(term) == "dumb");
}

std::string resourceDir() {
  std::error_code ec;
  for (const char *candidate : {COLDSTART_CLANG_RESOURCE_DIR, "/usr/lib/llvm-19/lib/clang/19"})
    if (std::filesystem::is_directory(std::string(candidate) + "/include", ec)) return candidate;
  return COLDSTART_CLANG_RESOURCE_DIR;
}

/// What built the facts: the binary's own content, so that any rebuild invalidates
/// the cache (the version string alone does not change during development).
std::string binaryIdentity() {
  if (auto buf = llvm::MemoryBuffer::getFile("/proc/self/exe", false, false)) return hashText((*buf)->getBuffer());
  return kVersion;
}

// ---- facts files (--facts-out, link) ----------------------------------------------------

bool writeFactsFile(const std::string &path, const std::vector<TUFacts> &facts, std::string &error) {
  std::error_code ec;
  nlohmann::json doc;
  doc["version"] = 1;
  doc["tool"] = {{"name", kToolName}, {"version", kVersion}};
  doc["root"] = std::filesystem::current_path(ec).string();
  doc["facts"] = facts;
  std::string why;
  if (!writeFileAtomically(path, doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), why)) {
    error = path + ": cannot write facts: " + why; // source text may hold invalid UTF-8: replaced above
    return false;
  }
  return true;
}

/// Paths in facts are absolute: a shard that ran in another checkout (root) is mapped
/// onto this one when its root does not exist here.
void remapRoot(nlohmann::json &j, const std::string &from, const std::string &to) {
  if (j.is_string()) {
    const std::string &s = j.get_ref<const std::string &>();
    if (s.rfind(from + "/", 0) == 0) j = to + s.substr(from.size());
  } else if (j.is_array() || j.is_object()) {
    for (auto &child : j) remapRoot(child, from, to);
  }
}

bool readFactsFile(const std::string &path, std::vector<TUFacts> &facts, std::string &error) {
  auto buf = llvm::MemoryBuffer::getFile(path, false, false);
  if (!buf) {
    error = path + ": cannot read facts file: " + buf.getError().message();
    return false;
  }
  try {
    nlohmann::json doc = nlohmann::json::parse((*buf)->getBuffer().begin(), (*buf)->getBuffer().end());
    if (!doc.is_object() || doc.value("version", 0) != 1 || !doc.contains("facts"))
      throw std::runtime_error("not a coldstart-lint facts file (version 1)");
    std::error_code ec;
    std::string root = doc.value("root", "");
    std::string here = std::filesystem::current_path(ec).string();
    if (!root.empty() && root != here && !std::filesystem::exists(root, ec)) remapRoot(doc["facts"], root, here);
    for (auto &f : doc["facts"]) facts.push_back(f.get<TUFacts>());
  } catch (const std::exception &e) {
    error = path + ": not a valid facts file: " + firstLineOf(e.what());
    return false;
  }
  return true;
}

/// Notes and errors on stderr, after the findings. With --quiet, the files analysed
/// without some of their headers are one line.
void printErrors(const RunResult &result, bool quiet) {
  // With --quiet, the files analysed without some of their headers are one line.
  std::set<std::string> quietened;
  if (quiet && result.incomplete.size() > 0) {
    for (const IncompleteAnalysis &ia : result.incomplete)
      quietened.insert(formatFactsError({ia.file, ia.message, {}, ""}));
    std::cerr
        << "coldstart-lint: note: " << result.incomplete.size()
        << (result.incomplete.size() == 1 ? " file was" : " files were")
        << " analysed without some of their headers (findings may be incomplete; run without --quiet to see which)\n";
  }
  for (const std::string &n : result.notes)
    if (!quietened.count(n)) std::cerr << "coldstart-lint: note: " << n << "\n";
  for (const auto &e : result.errors.list) std::cerr << errorLine(e) << "\n";
}

/// --init-report: every dynamic initialiser that runs at cold start, with its cost.
int initReport(const CliOptions &o, Driver &driver, const RunResult &result) {
  // The check's option, as the check reads it: configured, else the default it declares.
  unsigned long threshold = 0;
  if (const Check *c = driver.session().findCheck("coldstart-heavy-static-init"))
    if (!parseUnsigned(checkOption(*c, "LargeContainerThreshold", driver.session().checkOptions()), threshold))
      parseUnsigned(checkOption(*c, "LargeContainerThreshold", {}), threshold);
  Program program = driver.program(result.facts); // the report points into it
  auto inits = analyseStaticInits(program, driver.catalog(), unsigned(threshold));
  if (o.format == "json")
    std::cout << initReportToJson(inits, result.errors, kVersion)
                     .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  else printInitReportText(std::cout, inits);
  std::cout.flush();
  printErrors(result, o.quiet);
  return result.errors.empty() ? 0 : 2;
}

/// --export-fixes and --fix: the replacements written out, or applied and the fixed
/// files analysed again (what is printed is what remains).
void applyFixes(const CliOptions &o, Driver &driver, RunResult &result) {
  std::string fixError;
  if (o.exportFixes && !exportFixesYaml(*o.exportFixes, result.findings, fixError))
    result.errors.add(*o.exportFixes, fixError);
  if (o.fix) {
    // A file that does not compile is not rewritten (the fix may be wrong where the
    // parse was): clang-tidy's --fix-errors says to do it anyway.
    std::vector<std::string> analysed;
    for (const TUFacts &tu : result.facts) {
      if (!driver.isReported(tu.mainFile)) continue; // the rest of the project is not rewritten
      bool broken = std::any_of(tu.errors.begin(), tu.errors.end(),
                                [](const FactsError &e) { return e.message == "does not compile"; });
      if (broken && !o.fixErrors) {
        result.notes.push_back(displayPath(tu.mainFile) +
                               ": not fixed, because it does not compile (--fix-errors applies fixes anyway)");
        continue;
      }
      analysed.push_back(tu.mainFile);
    }
    FixOutcome fixes = applyFixesInPlace(result.findings, analysed, driver.sources());
    if (!fixes.fixed.empty()) {
      // Re-analyse the fixed files: what is printed is what remains.
      for (const std::string &f : fixes.fixed) driver.forgetBuffer(f);
      RunResult again = driver.run();
      again.notes.insert(again.notes.begin(), "applied " + std::to_string(fixes.replacements) +
                                                  (fixes.replacements == 1 ? " fix" : " fixes") + " in " +
                                                  std::to_string(fixes.fixed.size()) +
                                                  (fixes.fixed.size() == 1 ? " file" : " files") +
                                                  "; the findings below remain");
      for (const auto &e : result.errors.list) again.errors.add(e);
      result = std::move(again);
    }
    // Fixes outside the analysed files are not applied: a note, not a failure.
    for (const std::string &msg : fixes.notAllowed) result.notes.push_back(msg);
    for (const std::string &msg : fixes.errors) result.errors.add("", msg);
  }
}

/// The findings on stdout, in the chosen format.
void emitFindings(const CliOptions &o, Driver &driver, const RunResult &result) {
  if (o.format == "json") {
    std::cout << findingsToJson(result.findings, result.errors, kVersion, result.incomplete)
                     .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else if (o.format == "sarif") {
    SarifEmitter sarif(driver.sources(), kVersion);
    std::vector<const Check *> rules;
    for (const auto &c : driver.session().checks()) rules.push_back(c.get());
    std::cout << sarif.document(result.findings, result.errors, rules, result.notes)
                     .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else if (o.format == "github") {
    GithubEmitter(std::cout, githubWorkspace()).emit(result.findings, result.errors);
  } else {
    TextEmitter text(std::cout, driver.sources(), colorOutput());
    text.emit(result.findings);
  }
}

/// The one-line summary on stderr: findings, files, cache hits, NOLINT.
void printSummary(const RunResult &result) {
  size_t warnings = 0, errors = 0;
  for (const Finding &f : result.findings) (f.severity == "error" ? errors : warnings)++;
  std::cerr << "coldstart-lint: " << result.findings.size() << (result.findings.size() == 1 ? " finding" : " findings");
  if (errors) std::cerr << " (" << errors << (errors == 1 ? " error" : " errors") << ")";
  std::cerr << " in " << result.analysed << (result.analysed == 1 ? " file" : " files");
  if (result.linked)
    std::cerr << ", linked with " << result.linked << " other " << (result.linked == 1 ? "file" : "files")
              << " of the project";
  if (result.cacheHits) std::cerr << " (" << result.cacheHits << " from the cache)";
  if (result.suppressed) std::cerr << ", " << result.suppressed << " suppressed by NOLINT";
  std::cerr << "\n";
}

/// --explain and --list-checks; -1 when neither was asked for.
int describeChecks(const CliOptions &o, Driver &driver) {
  if (o.explain) {
    const Check *c = driver.session().findCheck(*o.explain);
    if (!c) c = driver.session().findCheck("coldstart-" + *o.explain);
    if (!c) {
      std::cerr << "coldstart-lint: error: unknown check '" << *o.explain << "' (see --list-checks)\n";
      return 2;
    }
    std::cout << c->doc();
    return 0;
  }
  if (o.listChecks) {
    std::cout << "Enabled checks:\n";
    for (const Check *c :
         driver.session().enabledChecks(o.driver.files.empty() ? std::string() : o.driver.files.front()))
      std::cout << "    " << c->id() << "\n        " << c->summary() << "\n";
    return 0;
  }
  return -1;
}

/// `link`: the inputs are facts files; their main files stand in for the analysed
/// files. An exit code on failure, else -1.
int readLinkedFacts(CliOptions &o, std::vector<TUFacts> &linkedFacts) {
  if (o.driver.files.empty()) return usageError("'link' needs facts files (written with --facts-out)");
  for (const std::string &f : o.driver.files) {
    std::string error;
    if (!readFactsFile(f, linkedFacts, error)) {
      std::cerr << "coldstart-lint: error: " << error << "\n";
      return 2;
    }
  }
  o.driver.files.clear();
  for (const TUFacts &tu : linkedFacts) o.driver.files.push_back(tu.mainFile);
  return -1;
}

/// What the binary brings: clang's resource directory, its own identity (for cache
/// keys), the catalog and the fallback headers.
void addBuiltinData(CliOptions &o) {
  o.driver.resourceDir = resourceDir();
  o.driver.identity = binaryIdentity();
  o.driver.session.builtinCatalog = embeddedTexts(embedded_catalog::files);
  for (const auto &f : embedded_stubs::files) o.driver.fallbackHeaders.push_back({f.name, f.data});
  for (const auto &f : embedded_fallback::files) o.driver.fallbackHeaders.push_back({f.name, f.data});
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  CliOptions o;
  o.driver.isolation.jobs = std::max(1u, std::thread::hardware_concurrency());
  o.driver.isolation.memoryLimitMB = 4096;
#if defined(__SANITIZE_ADDRESS__)
  o.driver.isolation.memoryLimitMB = 0; // ASan reserves terabytes of address space for its shadow
#endif
  if (int rc = parseArgs(argc, argv, o); rc >= 0) return rc;
  if (o.help) {
    std::cout << kUsage;
    return 0;
  }
  if (o.version) {
    std::cout << "coldstart-lint " << kVersion << " (LLVM " << LLVM_VERSION_STRING << ")\n";
    return 0;
  }

  std::vector<TUFacts> linkedFacts;
  if (o.linkMode)
    if (int rc = readLinkedFacts(o, linkedFacts); rc >= 0) return rc;

  // Facts files and the init report are about the files named, not their project.
  if (o.factsOut || o.initReport) o.driver.linkProject = false;
  addBuiltinData(o);
  Driver driver(o.driver);
  std::string error;
  if (!driver.setup(checks::all(), error)) {
    std::cerr << "coldstart-lint: error: " << error << "\n";
    return 2;
  }

  if (o.lspMode) {
    std::ios::sync_with_stdio(false);
    LspServer server(driver, std::cin, std::cout);
    return server.run();
  }

  if (int rc = describeChecks(o, driver); rc >= 0) return rc;
  if (o.fix && o.linkMode) return usageError("--fix needs the sources: run it without 'link'");
  if (!o.linkMode && o.driver.files.empty() && !o.driver.buildPath)
    return usageError("no input files (name files, or give -p <build-path> to analyse a whole project)");

  RunResult result;
  if (o.linkMode) {
    result.analysed = linkedFacts.size();
    std::sort(linkedFacts.begin(), linkedFacts.end(),
              [](const TUFacts &a, const TUFacts &b) { return a.mainFile < b.mainFile; });
    for (const TUFacts &tu : linkedFacts)
      for (const FactsError &e : tu.errors) result.errors.add(runError(e));
    result.facts = std::move(linkedFacts);
    if (!o.initReport) driver.link(result.facts, result);
  } else if (o.factsOut || o.initReport) {
    result.facts = driver.extractAll(result);
  } else {
    result = driver.run();
  }

  if (o.factsOut) {
    if (!writeFactsFile(*o.factsOut, result.facts, error)) result.errors.add(*o.factsOut, error);
    printErrors(result, o.quiet);
    if (!o.quiet)
      std::cerr << "coldstart-lint: facts of " << result.facts.size() << (result.facts.size() == 1 ? " file" : " files")
                << " written to " << *o.factsOut << " (" << result.cacheHits << " from the cache)\n";
    return result.errors.empty() ? 0 : 2;
  }

  if (o.initReport) return initReport(o, driver, result);
  if (o.fix || o.exportFixes) applyFixes(o, driver, result);
  emitFindings(o, driver, result);
  std::cout.flush();
  printErrors(result, o.quiet);
  if (!o.quiet) printSummary(result);
  if (!result.errors.empty()) return 2;
  return result.findings.empty() ? 0 : 1;
}
