// The command line of coldstart-lint: its options, their help text and their parsing.
//
// Option names and meanings follow clang-tidy's where clang-tidy has the option
// (--checks, --config, --config-file, --header-filter, --extra-arg, --fix-errors,
// --line-filter, --use-color...), with one or two dashes. Where coldstart-lint differs on
// purpose, the help says so.
#pragma once

#include "coldstart/driver.h"

#include <charconv>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coldstart::cli {

constexpr const char *kUsage = R"(USAGE: coldstart-lint [options] <file>... [-- <compiler args>]
       coldstart-lint link [options] <facts file>...
       coldstart-lint lsp [-p <build-path>] [--config-file=<file>] [--checks=<globs>]

Finds cold-start and per-invocation costs in C and C++ AWS Lambda handlers: clients
built on every invocation, connections that cannot be reused, heavy static
initialisers and blocking calls, each with the handler it is reachable from and
the call path. Options take one dash or two, as clang-tidy's do.

INPUT:
  -p <build-path>          Read compile commands from <build-path>/compile_commands.json
                           (without files: analyse every file it lists, linked together)
  -- <compiler args>       Compile every named file with these arguments
  (neither)                Use the compile_commands.json found in a parent directory of
                           each file or its build/ (as clangd does), else the nearest
                           compile_flags.txt, else compile without flags
  --extra-arg=<arg>        Add <arg> to the end of every compile command (repeatable)
  --extra-arg-before=<arg> Add <arg> to the start of every compile command (repeatable)
  --vfsoverlay=<file>      Overlay the virtual file system described by <file> (clang's
                           -ivfsoverlay); the facts cache is not used with it
  --no-project-link        With files named and a compilation database (-p or found), analyse
                           the named files alone. By default the database's other files are
                           linked in (cached) so that a finding whose handler is in another
                           file is found; only the named files (and headers) are reported

CHECKS AND CONFIG:
  --checks=<globs>         Select checks, clang-tidy syntax: 'coldstart-*,-coldstart-blocking-call'
  --config-file=<file>     Use this config instead of the .coldstart-lint.yaml found above each file
  --config=<yaml>          Use this config, given inline: --config='{Checks: "-*,coldstart-blocking-call"}'
                           (a path is still read as a file, as earlier versions did)
  --dump-config            Print the configuration that applies to the first file named (or
                           to the current directory) as YAML, every check option included, and exit
  --verify-config          Check the configs (and --checks) and exit: 0 when they are valid
  --allow-no-checks        Exit 0 without analysing when no check is enabled (else an error)
  --warnings-as-errors=<globs>
                           Report findings of these checks as errors (severity "error")
  --header-filter=<regex>  Report findings in headers only when their path matches (POSIX ERE,
                           searched anywhere in the path); overrides HeaderFilterRegex. Unlike
                           clang-tidy, findings in the project's headers are reported by default
  --exclude-header-filter=<regex>
                           Do not report findings in headers whose path matches
  --line-filter=<json>     Report only findings on these lines, clang-tidy's format:
                           '[{"name":"handler.cpp","lines":[[10,40]]},{"name":"util.h"}]'
                           (a name matches the end of a path; a file not listed reports nothing)
  --system-headers         Not supported: code in system headers is library code here (its calls
                           are matched against the catalog, not followed); use -I, not -isystem,
                           for a directory of your own code
  --list-checks            List the enabled checks and exit
  --explain=<check>        Print a check's documentation and exit

OUTPUT:
  --format=<format>        text: compiler-style lines with notes and snippets (default);
                           json: one JSON document; sarif: SARIF 2.1.0 (code scanning);
                           github: GitHub Actions annotations (::warning file=...)
  --use-color[=<bool>]     Colour the text output (default: only on a terminal, never with
                           NO_COLOR set; FORCE_COLOR set colours it anywhere)
  --progress               Show which file is being analysed, [k/N] on stderr (default: only
                           when stderr is a terminal; as lines, not redrawn, when asked for)
  --init-report            Instead of findings, list every dynamic initialiser with its cost
                           class, costliest first (text, or JSON with --format=json)
  --export-fixes=<file>    Write fixes as clang-apply-replacements YAML
  --fix                    Apply fixes in place (only in the analysed files; not in a file
                           with compile errors of its own)
  --fix-errors             Like --fix, and apply fixes even in files with compile errors
  --fix-notes              Same as --fix: coldstart-lint's fixes belong to the findings
                           themselves (accepted for clang-tidy command lines)
  --quiet                  Do not print the summary line or notes on stderr

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

/// --line-filter: the lines of a file (matched by the end of its path) whose findings
/// are reported; no ranges: every line.
struct LineFilter {
  std::string name;
  std::vector<std::pair<unsigned, unsigned>> lines;
};

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
  bool dumpConfig = false;
  bool verifyConfig = false;
  bool allowNoChecks = false;
  std::optional<bool> useColor; ///< --use-color[=bool]; unset: decided by the terminal and the environment
  bool progress = false;        ///< --progress: lines even when stderr is not a terminal
  std::optional<std::vector<LineFilter>> lineFilter;
  std::optional<std::string> explain;
  bool quiet = false;
  bool version = false;
  bool help = false;
};

inline int usageError(const std::string &msg) {
  std::cerr << "coldstart-lint: error: " << msg << "\n"
            << "coldstart-lint: run 'coldstart-lint --help' for usage\n";
  return 2;
}

inline bool parseUnsigned(const std::string &text, unsigned long &out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

/// clang-tidy's boolean option values.
inline std::optional<bool> parseBool(std::string value) {
  for (char &c : value) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (value == "true" || value == "1" || value == "yes" || value == "on") return true;
  if (value == "false" || value == "0" || value == "no" || value == "off") return false;
  return std::nullopt;
}

/// --line-filter's JSON: [{"name": "file.cpp", "lines": [[1, 3], [5, 7]]}, ...].
inline bool parseLineFilter(const std::string &text, std::vector<LineFilter> &out, std::string &error) {
  error = "--line-filter needs a JSON array of {\"name\": <file>, \"lines\": [[<first>, <last>], ...]}";
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return false;
  for (const nlohmann::json &entry : j) {
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string()) return false;
    LineFilter f{entry["name"].get<std::string>(), {}};
    if (f.name.empty()) return false;
    if (entry.contains("lines")) {
      if (!entry["lines"].is_array()) return false;
      for (const nlohmann::json &range : entry["lines"]) {
        if (!range.is_array() || range.size() != 2 || !range[0].is_number_unsigned() || !range[1].is_number_unsigned())
          return false;
        unsigned first = range[0].get<unsigned>(), last = range[1].get<unsigned>();
        if (first == 0 || last < first) {
          error = "--line-filter: a range is [<first>, <last>] with 1 <= first <= last, not [" + std::to_string(first) +
                  ", " + std::to_string(last) + "]";
          return false;
        }
        f.lines.push_back({first, last});
      }
    }
    out.push_back(std::move(f));
  }
  error.clear();
  return true;
}

/// Whether --line-filter lets a finding at `file`:`line` through (as clang-tidy's).
inline bool passesLineFilter(const std::vector<LineFilter> &filters, const std::string &file, unsigned line) {
  for (const LineFilter &f : filters) {
    if (!llvm::StringRef(file).ends_with(f.name)) continue;
    if (f.lines.empty()) return true;
    for (const auto &[first, last] : f.lines)
      if (line >= first && line <= last) return true;
    return false;
  }
  return false;
}

/// A flag (an option without a value), by name.
inline void setFlag(const std::string &name, CliOptions &o) {
  if (name == "help") o.help = true;
  else if (name == "version") o.version = true;
  else if (name == "fix" || name == "fix-notes") o.fix = true;
  else if (name == "fix-errors") o.fix = o.fixErrors = true;
  else if (name == "list-checks") o.listChecks = true;
  else if (name == "quiet") o.quiet = true;
  else if (name == "init-report") o.initReport = true;
  else if (name == "dump-config") o.dumpConfig = true;
  else if (name == "verify-config") o.verifyConfig = true;
  else if (name == "allow-no-checks") o.allowNoChecks = true;
  else if (name == "progress") o.progress = true;
  else if (name == "no-cache") o.driver.useCache = false;
  else if (name == "no-skip-bodies") o.driver.skipSystemBodies = false; // to check skipping changes nothing
  else if (name == "no-isolation") o.driver.isolate = false;            // debugging, fuzzing
  else if (name == "parse-only") o.driver.parseOnly = true;             // bench/: the cost of parsing alone
  else if (name == "no-fallback-headers") o.driver.useFallbackHeaders = false;
  else if (name == "no-project-link") o.driver.linkProject = false;
}

/// An option with a value, by name; an exit code when the value is bad, else -1.
inline int setValue(const std::string &name, const std::string &value, CliOptions &o) {
  unsigned long n = 0;
  SessionOptions &session = o.driver.session;
  if (name == "p") o.driver.buildPath = value;
  else if (name == "checks") session.checks = value;
  else if (name == "warnings-as-errors") session.warningsAsErrors = value;
  else if (name == "config-file") session.configPath = value;
  else if (name == "config") {
    // clang-tidy's --config is the config itself; ours used to take a path. A config's
    // text is a mapping ('{...}' or 'Key: value'), which a path never looks like.
    if (!value.empty() && value.find_first_of("{:\n") == std::string::npos) session.configPath = value;
    else session.configText = value;
  } else if (name == "header-filter") session.headerFilter = value;
  else if (name == "exclude-header-filter") session.excludeHeaderFilter = value;
  else if (name == "extra-arg") o.driver.extraArgs.push_back(value);
  else if (name == "extra-arg-before") o.driver.extraArgsBefore.push_back(value);
  else if (name == "vfsoverlay") {
    std::string error;
    if (!loadVfsOverlay(value, llvm::vfs::createPhysicalFileSystem(), error)) return usageError(error);
    o.driver.vfsOverlays.push_back(cleanAbsolute(value));
    o.driver.useCache = false; // files read through the overlay are not what the cache hashes
  } else if (name == "line-filter") {
    std::vector<LineFilter> filters;
    std::string error;
    if (!parseLineFilter(value, filters, error)) return usageError(error);
    o.lineFilter = std::move(filters);
  } else if (name == "use-color") {
    std::optional<bool> b = parseBool(value);
    if (!b) return usageError("--use-color takes true or false, not '" + value + "'");
    o.useColor = b;
  } else if (name == "format") o.format = value;
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

/// Parses argv. Returns -1 on success, else an exit code.
inline int parseArgs(int argc, char **argv, CliOptions &o) {
  int first = 1;
  if (argc > 1 && std::string_view(argv[1]) == "link") {
    o.linkMode = true;
    first = 2;
  } else if (argc > 1 && std::string_view(argv[1]) == "lsp") {
    o.lspMode = true;
    first = 2;
  }
  const std::vector<std::string_view> flags = {
      "help",     "version",        "fix",          "fix-errors",    "fix-notes",           "list-checks",
      "quiet",    "init-report",    "dump-config",  "verify-config", "allow-no-checks",     "progress",
      "no-cache", "no-skip-bodies", "no-isolation", "parse-only",    "no-fallback-headers", "no-project-link"};
  const std::vector<std::string_view> valued = {"p",
                                                "checks",
                                                "config",
                                                "config-file",
                                                "header-filter",
                                                "exclude-header-filter",
                                                "extra-arg",
                                                "extra-arg-before",
                                                "vfsoverlay",
                                                "line-filter",
                                                "use-color",
                                                "format",
                                                "export-fixes",
                                                "explain",
                                                "j",
                                                "warnings-as-errors",
                                                "cache-dir",
                                                "shard",
                                                "facts-out",
                                                "timeout",
                                                "max-memory"};
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
    if (name == "system-headers")
      return usageError("--system-headers is not supported: code in system headers is library code to "
                        "coldstart-lint (its calls are matched against the catalog, not followed); name the "
                        "directory with -I instead of -isystem to have its code analysed");
    if (name == "use-color" && !value) value = "true"; // a flag, or --use-color=<bool>
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
  if (o.driver.session.configPath && o.driver.session.configText)
    return usageError("give a config inline (--config) or as a file (--config-file), not both");
  return -1;
}

/// Colour for text on stdout: --use-color, else never with NO_COLOR, always with
/// FORCE_COLOR, else on a terminal that is not dumb.
inline bool colorOutput(const CliOptions &o) {
  if (o.useColor) return *o.useColor;
  if (const char *no = std::getenv("NO_COLOR"); no && *no) return false;
  if (const char *force = std::getenv("FORCE_COLOR"); force && *force) return true;
  if (!isatty(STDOUT_FILENO)) return false;
  const char *term = std::getenv("TERM");
  return !(term && std::string_view(term) == "dumb");
}

} // namespace coldstart::cli
