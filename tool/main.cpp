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
#include "cli.h"

#include "coldstart_embedded_catalog.h"  // generated from catalog/*.yaml
#include "coldstart_embedded_fallback.h" // generated from fixtures/fallback (libcurl, cpp-httplib)
#include "coldstart_embedded_stubs.h"    // generated from fixtures/include (AWS SDK, aws-lambda-cpp...)
#include "registry.h"                    // checks/

#include <llvm/Config/llvm-config.h>
#include <llvm/Support/InitLLVM.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <set>
#include <thread>
#include <unistd.h>

namespace {

using namespace coldstart;
using namespace coldstart::cli;

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
    if (!quietened.count(n) && !(quiet && n == result.fallbackNote)) std::cerr << "coldstart-lint: note: " << n << "\n";
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
    TextEmitter text(std::cout, driver.sources(), colorOutput(o));
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

/// A YAML scalar in single quotes (a config's values are patterns and globs).
std::string yamlQuote(const std::string &s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// --dump-config: the configuration that applies to `file`, as a config file that reads
/// back to the same run (every check option with its value, defaults included).
void dumpConfig(const Session &session, const std::string &file, const std::string &label) {
  const Config *c = session.configFor(file);
  const SessionOptions &opts = session.options();
  std::cout << "# coldstart-lint " << kVersion << ": the configuration for " << label << " ("
            << (c ? "from " + displayPath(c->origin) : std::string("no config file: the defaults"))
            << (opts.checks || opts.headerFilter || opts.excludeHeaderFilter || opts.warningsAsErrors
                    ? ", with the command line's options"
                    : "")
            << ")\n";
  // Without the implicit leading 'coldstart-*' when something follows it, so that the
  // dump reads back to the same list.
  std::string checks = session.checksFor(file);
  if (llvm::StringRef(checks).starts_with("coldstart-*,")) checks = checks.substr(std::strlen("coldstart-*,"));
  std::cout << "Checks: " << yamlQuote(checks) << "\n";
  std::string asErrors = c && c->warningsAsErrors ? *c->warningsAsErrors : "";
  if (opts.warningsAsErrors) asErrors += (asErrors.empty() ? "" : ",") + *opts.warningsAsErrors;
  std::cout << "WarningsAsErrors: " << yamlQuote(asErrors) << "\n";
  std::optional<std::string> filter = opts.headerFilter ? opts.headerFilter : c ? c->headerFilterRegex : std::nullopt;
  if (filter) std::cout << "HeaderFilterRegex: " << yamlQuote(*filter) << "\n";
  std::optional<std::string> exclude = opts.excludeHeaderFilter ? opts.excludeHeaderFilter
                                       : c                      ? c->excludeHeaderFilterRegex
                                                                : std::nullopt;
  if (exclude) std::cout << "ExcludeHeaderFilterRegex: " << yamlQuote(*exclude) << "\n";
  if (c && !c->handlerNames.empty()) {
    std::cout << "HandlerNames:\n";
    for (const std::string &h : c->handlerNames) std::cout << "  - " << yamlQuote(h) << "\n";
  }
  if (c && !c->severity.empty()) {
    std::cout << "Severity:\n";
    for (const auto &[check, sev] : c->severity) std::cout << "  " << check << ": " << sev << "\n";
  }
  std::map<std::string, std::string> configured = c ? c->checkOptions : std::map<std::string, std::string>{};
  std::string options;
  for (const auto &check : session.checks())
    for (const CheckOption &opt : check->options())
      options += "  " + std::string(check->id()) + "." + opt.name + ": " +
                 yamlQuote(checkOption(*check, opt.name, configured)) + "\n";
  if (!options.empty()) std::cout << "CheckOptions:\n" << options;
  if (c) {
    const CatalogTable &t = c->catalog;
    size_t entries = t.classes.size() + t.functions.size() + t.handlerSignatures.size() + t.settings.size();
    if (entries)
      std::cout << "# and the " << entries << " Catalog entries of " << displayPath(c->origin)
                << ", not repeated here\n";
  }
}

/// --line-filter: findings outside the listed lines are not reported (nor fixed).
void applyLineFilter(const CliOptions &o, RunResult &result) {
  if (!o.lineFilter) return;
  std::vector<Finding> kept;
  for (Finding &f : result.findings)
    if (passesLineFilter(*o.lineFilter, f.loc.file, f.loc.line)) kept.push_back(std::move(f));
  result.findings = std::move(kept);
}

/// [k/N] file on stderr as each parse ends: redrawn in place on a terminal, as lines
/// with --progress elsewhere, never otherwise (pipes, CI logs).
void setUpProgress(CliOptions &o) {
  const char *term = std::getenv("TERM");
  bool terminal = isatty(STDERR_FILENO) && !(term && std::string_view(term) == "dumb");
  if (o.quiet || o.lspMode || (!terminal && !o.progress)) return;
  o.driver.progress = [terminal](size_t done, size_t total, const std::string &file) {
    if (total < 2) return; // one file: the answer comes as soon as the line would
    std::string line = "[" + std::to_string(done) + "/" + std::to_string(total) + "] " + displayPath(file);
    if (!terminal) {
      std::cerr << line << "\n";
      return;
    }
    std::cerr << "\r\033[K" << (done == total ? std::string() : line) << std::flush;
  };
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
    if (!kHomeUrl.empty()) std::cout << "Home: " << kHomeUrl << "\n";
    return 0;
  }

  std::vector<TUFacts> linkedFacts;
  if (o.linkMode)
    if (int rc = readLinkedFacts(o, linkedFacts); rc >= 0) return rc;

  // Facts files and the init report are about the files named, not their project.
  if (o.factsOut || o.initReport) o.driver.linkProject = false;
  // The configuration of the current directory when no file is named (only to find it).
  bool namedFiles = !o.driver.files.empty();
  if ((o.dumpConfig || o.verifyConfig) && !namedFiles)
    o.driver.files.push_back((std::filesystem::current_path() / "-").string());
  o.driver.session.allowNoChecks = o.allowNoChecks || o.dumpConfig;
  addBuiltinData(o);
  setUpProgress(o);
  Driver driver(o.driver);
  std::string error;
  if (!driver.setup(checks::all(), error)) {
    std::cerr << "coldstart-lint: error: " << error << "\n";
    return 2;
  }
  if (o.verifyConfig) {
    std::cout << "No config errors detected.\n"; // clang-tidy's words
    return 0;
  }
  if (o.dumpConfig) {
    dumpConfig(driver.session(), cleanAbsolute(o.driver.files.front()),
               namedFiles ? displayPath(o.driver.files.front()) : std::string("the current directory"));
    return 0;
  }
  if (o.allowNoChecks && !o.lspMode &&
      driver.session().enabledChecks(o.driver.files.empty() ? std::string() : o.driver.files.front()).empty())
    return 0; // --allow-no-checks: nothing to do is not an error

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
  applyLineFilter(o, result);
  if (o.fix || o.exportFixes) {
    applyFixes(o, driver, result);
    applyLineFilter(o, result);
  }
  emitFindings(o, driver, result);
  std::cout.flush();
  printErrors(result, o.quiet);
  if (!o.quiet) printSummary(result);
  if (!result.errors.empty()) return 2;
  return result.findings.empty() ? 0 : 1;
}
