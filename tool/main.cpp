// coldstart-lint: the command-line front end.
//
//   coldstart-lint [options] <file>... [-- <compiler args>]
//
// Exit codes: 0 no findings, 1 findings, 2 the tool could not do its job (usage,
// unreadable input, a TU that did not parse — findings it has are still printed).
#include "coldstart/driver.h"
#include "coldstart/emit.h"
#include "coldstart/fixes.h"
#include "coldstart/version.h"

#include "coldstart_embedded_catalog.h" // generated from catalog/*.yaml
#include "registry.h"                   // checks/

#include <llvm/Config/llvm-config.h>
#include <llvm/Support/InitLLVM.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace {

using namespace coldstart;

constexpr const char *kUsage = R"(USAGE: coldstart-lint [options] <file>... [-- <compiler args>]

Finds cold-start and per-invocation costs in C and C++ AWS Lambda handlers: clients
built on every invocation, connections that cannot be reused, heavy static
initialisers and blocking calls, each with the handler it is reachable from and
the call path.

OPTIONS:
  -p <build-path>          Read compile commands from <build-path>/compile_commands.json
                           (without files: analyse every file it lists)
  -- <compiler args>       Compile every named file with these arguments
  --checks=<globs>         Select checks, clang-tidy syntax: 'coldstart-*,-coldstart-blocking-call'
  --config=<file>          Use this config instead of the .coldstart-lint.yaml found above each file
  --format=text|json       Output format (default: text)
  --export-fixes=<file>    Write fixes as clang-apply-replacements YAML
  --fix                    Apply fixes in place
  --init-report            Instead of findings, list every dynamic initialiser with its
                           cost class, costliest first (text, or JSON with --format=json)
  --list-checks            List the enabled checks and exit
  --explain=<check>        Print a check's documentation and exit
  -j <N>                   Parallel jobs (default: number of cores)
  --quiet                  Do not print the summary line on stderr
  --version                Print the version and exit
  --help                   Print this help and exit

Without -p or --, the compile_commands.json found in a parent directory of each file
is used (as clangd does), else the file is compiled without flags.

EXIT CODES:
  0  no findings
  1  findings
  2  the tool could not do its job (bad usage, unreadable input, a file that did not
     compile); findings for the files that did are still printed

Docs: coldstart-lint --explain=<check>; README.md
)";

struct CliOptions {
  DriverOptions driver;
  std::string format = "text";
  std::optional<std::string> exportFixes;
  bool fix = false;
  bool listChecks = false;
  bool initReport = false;
  std::optional<std::string> explain;
  unsigned jobs = 0;
  bool quiet = false;
  bool version = false;
  bool help = false;
};

int usageError(const std::string &msg) {
  std::cerr << "coldstart-lint: error: " << msg << "\n"
            << "coldstart-lint: run 'coldstart-lint --help' for usage\n";
  return 2;
}

/// Parses argv. Returns -1 on success, else an exit code.
int parseArgs(int argc, char **argv, CliOptions &o) {
  auto valueOf = [&](int &i, std::string_view arg, std::string_view name, std::string &out) -> int {
    // --name=value, -name=value, --name value, -name value
    std::string_view a = arg;
    if (a.rfind("--", 0) == 0) a.remove_prefix(2);
    else if (a.rfind("-", 0) == 0) a.remove_prefix(1);
    if (a == name) {
      if (i + 1 >= argc) return 0;
      out = argv[++i];
      return 1;
    }
    if (a.size() > name.size() && a.substr(0, name.size()) == name && a[name.size()] == '=') {
      out = std::string(a.substr(name.size() + 1));
      return 1;
    }
    return -1;
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string value;
    if (arg == "--") {
      o.driver.haveCompilerArgs = true;
      for (int j = i + 1; j < argc; ++j) o.driver.compilerArgs.push_back(argv[j]);
      break;
    }
    if (arg.empty() || arg[0] != '-' || arg == "-") {
      o.driver.files.push_back(std::string(arg));
      continue;
    }
    if (arg == "--help" || arg == "-help" || arg == "-h") {
      o.help = true;
      continue;
    }
    if (arg == "--version" || arg == "-version") {
      o.version = true;
      continue;
    }
    if (arg == "--fix" || arg == "-fix") {
      o.fix = true;
      continue;
    }
    if (arg == "--no-skip-bodies") { // parse every function body (to check that skipping changes nothing)
      o.driver.skipSystemBodies = false;
      continue;
    }
    if (arg == "--init-report" || arg == "-init-report") {
      o.initReport = true;
      continue;
    }
    if (arg == "--list-checks" || arg == "-list-checks") {
      o.listChecks = true;
      continue;
    }
    if (arg == "--quiet" || arg == "-quiet") {
      o.quiet = true;
      continue;
    }
    if (arg.rfind("-p", 0) == 0 && arg.size() > 2 && arg[2] != '=') { // -pbuild
      o.driver.buildPath = std::string(arg.substr(2));
      continue;
    }
    if (arg.rfind("-j", 0) == 0 && arg.size() > 2 && arg[2] != '=') { // -j4
      value = std::string(arg.substr(2));
    } else {
      int r = -1;
      for (std::string_view name : {"p", "checks", "config", "format", "export-fixes", "explain", "j"}) {
        r = valueOf(i, arg, name, value);
        if (r == 0) return usageError("option '" + std::string(arg) + "' needs a value");
        if (r == 1) {
          if (name == "p") o.driver.buildPath = value;
          else if (name == "checks") o.driver.checks = value;
          else if (name == "config") o.driver.configPath = value;
          else if (name == "format") o.format = value;
          else if (name == "export-fixes") o.exportFixes = value;
          else if (name == "explain") o.explain = value;
          else if (name == "j") break;
          value.clear();
          break;
        }
      }
      if (r == -1) return usageError("unknown option '" + std::string(arg) + "'");
      if (value.empty()) continue;
    }
    unsigned jobs = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), jobs);
    if (ec != std::errc() || ptr != value.data() + value.size() || jobs == 0)
      return usageError("-j needs a positive number, not '" + value + "'");
    o.jobs = jobs;
  }
  if (o.format != "text" && o.format != "json")
    return usageError("unknown --format '" + o.format + "' (expected text or json)");
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

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  CliOptions o;
  if (int rc = parseArgs(argc, argv, o); rc >= 0) return rc;
  if (o.help) {
    std::cout << kUsage;
    return 0;
  }
  if (o.version) {
    std::cout << "coldstart-lint " << kVersion << " (LLVM " << LLVM_VERSION_STRING << ")\n";
    return 0;
  }

  o.driver.resourceDir = resourceDir();
  for (const auto &f : embedded_catalog::files) o.driver.builtinCatalog.push_back({f.name, f.data});
  Driver driver(o.driver);
  std::string error;
  if (!driver.setup(checks::all(), error)) {
    std::cerr << "coldstart-lint: error: " << error << "\n";
    return 2;
  }

  if (o.explain) {
    const Check *c = driver.findCheck(*o.explain);
    if (!c) c = driver.findCheck("coldstart-" + *o.explain);
    if (!c) {
      std::cerr << "coldstart-lint: error: unknown check '" << *o.explain << "' (see --list-checks)\n";
      return 2;
    }
    std::cout << c->doc();
    return 0;
  }
  if (o.listChecks) {
    std::cout << "Enabled checks:\n";
    for (const Check *c : driver.enabledChecks(o.driver.files.empty() ? std::string() : o.driver.files.front()))
      std::cout << "    " << c->id() << "\n        " << c->summary() << "\n";
    return 0;
  }
  if (o.driver.files.empty() && !o.driver.buildPath)
    return usageError("no input files (name files, or give -p <build-path> to analyse a whole project)");

  RunResult result = driver.run();

  if (o.initReport) {
    unsigned threshold = 1000;
    auto opts = driver.checkOptions();
    if (auto it = opts.find("coldstart-heavy-static-init.LargeContainerThreshold"); it != opts.end()) {
      try {
        threshold = unsigned(std::stoul(it->second));
      } catch (...) {
      }
    }
    Program program = driver.program(result.facts); // the report points into it
    auto inits = analyseStaticInits(program, driver.catalog(), threshold);
    if (o.format == "json") std::cout << initReportToJson(inits, result.errors, kVersion).dump(2) << "\n";
    else printInitReportText(std::cout, inits);
    std::cout.flush();
    for (const auto &e : result.errors.list) std::cerr << "coldstart-lint: error: " << e.message << "\n";
    return result.errors.empty() ? 0 : 2;
  }

  if (o.fix || o.exportFixes) {
    std::string fixError;
    if (o.exportFixes && !exportFixesYaml(*o.exportFixes, result.findings, fixError))
      result.errors.add(*o.exportFixes, fixError);
    if (o.fix) {
      for (const std::string &msg : applyFixesInPlace(result.findings, o.driver.files, driver.sources()))
        result.errors.add("", msg);
    }
  }

  if (o.format == "json") {
    std::cout << findingsToJson(result.findings, result.errors, kVersion).dump(2) << "\n";
  } else {
    TextEmitter text(std::cout, driver.sources(), colorOutput());
    text.emit(result.findings);
  }
  std::cout.flush();
  for (const auto &e : result.errors.list) std::cerr << "coldstart-lint: error: " << e.message << "\n";
  if (!o.quiet) {
    size_t warnings = 0, errors = 0;
    for (const Finding &f : result.findings) (f.severity == "error" ? errors : warnings)++;
    std::cerr << "coldstart-lint: " << result.findings.size() << (result.findings.size() == 1 ? " finding" : " findings");
    if (errors) std::cerr << " (" << errors << (errors == 1 ? " error" : " errors") << ")";
    std::cerr << " in " << result.analysed << (result.analysed == 1 ? " file" : " files");
    if (result.suppressed) std::cerr << ", " << result.suppressed << " suppressed by NOLINT";
    std::cerr << "\n";
  }
  if (!result.errors.empty()) return 2;
  return result.findings.empty() ? 0 : 1;
}
