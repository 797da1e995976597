// The driver: compile commands in, findings out.
//
//   files + (-p build | -- flags | found compile_commands.json) -> one parse per TU
//   (extract.h) -> Program (link.h) -> checks -> suppression and config -> findings
//
// Nothing here prints: the front end (tool/main.cpp, the LSP server...) decides how
// findings and errors are shown.
#pragma once

#include "coldstart/catalog.h"
#include "coldstart/check.h"
#include "coldstart/config.h"
#include "coldstart/emit.h"
#include "coldstart/extract.h"
#include "coldstart/globs.h"
#include "coldstart/link.h"
#include "coldstart/nolint.h"
#include "coldstart/source.h"

#include <clang/Basic/Diagnostic.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/CrashRecoveryContext.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <filesystem>
#include <regex>

namespace coldstart {

struct EmbeddedText {
  std::string_view name;
  std::string_view data;
};

struct DriverOptions {
  std::vector<std::string> files;
  std::optional<std::string> buildPath; ///< -p
  bool haveCompilerArgs = false;        ///< `--` was given
  std::vector<std::string> compilerArgs;
  std::optional<std::string> checks; ///< --checks
  std::optional<std::string> configPath;
  std::string resourceDir;
  bool skipSystemBodies = true; ///< --no-skip-bodies turns it off (to compare)
  std::vector<EmbeddedText> builtinCatalog;
};

/// Collects compiler errors of one TU; warnings are ignored (we run with -w).
class ErrorCollector : public clang::DiagnosticConsumer {
public:
  void HandleDiagnostic(clang::DiagnosticsEngine::Level level, const clang::Diagnostic &info) override {
    clang::DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < clang::DiagnosticsEngine::Error) return;
    ++count;
    if (!first.empty()) return;
    llvm::SmallString<256> msg;
    info.FormatDiagnostic(msg);
    std::string where;
    if (info.hasSourceManager() && info.getLocation().isValid()) {
      const clang::SourceManager &sm = info.getSourceManager();
      clang::PresumedLoc p = sm.getPresumedLoc(sm.getFileLoc(info.getLocation()));
      if (p.isValid())
        where = displayPath(p.getFilename()) + ":" + std::to_string(p.getLine()) + ":" + std::to_string(p.getColumn()) + ": ";
    }
    first = where + msg.str().str();
  }
  unsigned count = 0;
  std::string first;
};

struct RunResult {
  std::vector<TUFacts> facts; ///< per TU, sorted by main file
  std::vector<Finding> findings;
  RunErrors errors;
  size_t suppressed = 0;
  size_t analysed = 0;
};

class Driver {
public:
  explicit Driver(DriverOptions opts) : opts_(std::move(opts)) {}

  /// Loads the catalog and configs and selects checks. On failure `error` is one line.
  bool setup(std::vector<std::unique_ptr<Check>> checks, std::string &error) {
    checks_ = std::move(checks);
    for (const EmbeddedText &t : opts_.builtinCatalog) {
      CatalogTable table;
      if (!parseYaml(llvm::StringRef(t.data.data(), t.data.size()), "catalog/" + std::string(t.name), table, error))
        return false;
      catalog_.add(table);
    }
    // Configs: --config for every file, or the nearest one above each file.
    if (opts_.configPath) {
      Config c;
      if (!loadConfigFile(*opts_.configPath, c, error)) return false;
      configs_.push_back(c);
    } else {
      std::set<std::string> seen;
      for (const std::string &f : opts_.files)
        if (auto p = findConfigFor(f); p && seen.insert(*p).second) {
          Config c;
          if (!loadConfigFile(*p, c, error)) return false;
          configs_.push_back(c);
        }
    }
    for (const Config &c : configs_) {
      catalog_.add(c.catalog);
      handlerNames_.insert(handlerNames_.end(), c.handlerNames.begin(), c.handlerNames.end());
      if (c.headerFilterRegex) {
        try {
          std::regex re(*c.headerFilterRegex);
        } catch (const std::regex_error &) {
          error = c.origin + ": HeaderFilterRegex is not a valid regular expression: '" + *c.headerFilterRegex + "'";
          return false;
        }
      }
    }
    // Validate check globs: from every config, then the command line.
    std::vector<std::pair<std::string, std::string>> globSources;
    for (const Config &c : configs_)
      if (c.checks) globSources.push_back({c.origin + ": Checks", *c.checks});
    if (opts_.checks) globSources.push_back({"--checks", *opts_.checks});
    for (const auto &[origin, text] : globSources)
      if (!validateGlobs(text, origin, error)) return false;
    for (const Config &c : configs_)
      for (const auto &[key, value] : c.checkOptions) {
        auto dot = key.rfind('.');
        if (dot == std::string::npos || !findCheck(key.substr(0, dot))) {
          error = c.origin + ": CheckOptions key '" + key + "' must be '<check>.<Option>' with a known check";
          return false;
        }
      }
    for (const Config &c : configs_)
      for (const auto &[check, sev] : c.severity)
        if (!findCheck(check)) {
          error = c.origin + ": Severity names unknown check '" + check + "'";
          return false;
        }
    if (enabledChecks(opts_.files.empty() ? std::string() : opts_.files.front()).empty()) {
      error = "no checks enabled (check --checks and the Checks of .coldstart-lint.yaml)";
      return false;
    }
    return true;
  }

  const Catalog &catalog() const { return catalog_; }
  const std::vector<std::unique_ptr<Check>> &checks() const { return checks_; }

  const Check *findCheck(std::string_view id) const {
    for (const auto &c : checks_)
      if (c->id() == id) return c.get();
    return nullptr;
  }

  /// Checks enabled for findings in `file`: default all, then the file's config, then --checks.
  std::vector<const Check *> enabledChecks(const std::string &file) const {
    std::string globs = "coldstart-*";
    if (const Config *c = configFor(file); c && c->checks) globs += "," + *c->checks;
    if (opts_.checks) globs += "," + *opts_.checks;
    GlobList list(globs);
    std::vector<const Check *> out;
    for (const auto &c : checks_)
      if (list.contains(c->id())) out.push_back(c.get());
    return out;
  }

  /// Analyses every file and returns findings (sorted) and errors.
  RunResult run() {
    RunResult result;
    std::vector<std::string> files;
    std::unique_ptr<clang::tooling::CompilationDatabase> db = database(result.errors, files);
    if (!db) return result;
    for (const std::string &file : files) {
      TUFacts tu = extract(*db, file, result.errors);
      ++result.analysed;
      result.facts.push_back(std::move(tu));
    }
    link(result.facts, result);
    return result;
  }

  /// The linked program of some facts (for reports that are not findings).
  Program program(const std::vector<TUFacts> &facts) const {
    Program p;
    for (const TUFacts &tu : facts) p.add(tu);
    p.link(handlerNames_);
    return p;
  }

  /// Links facts (from this run, a cache or shards) and runs checks and suppression.
  void link(std::vector<TUFacts> &facts, RunResult &result) {
    std::sort(facts.begin(), facts.end(), [](const TUFacts &a, const TUFacts &b) { return a.mainFile < b.mainFile; });
    Program program;
    for (const TUFacts &tu : facts) program.add(tu);
    program.link(handlerNames_);
    std::vector<Finding> raw;
    CheckContext ctx(program, catalog_, raw, checkOptions());
    for (const auto &check : checks_) check->run(ctx);
    // Findings of disabled checks go first, so that they supersede nothing.
    raw.erase(std::remove_if(raw.begin(), raw.end(),
                             [&](const Finding &f) {
                               for (const Check *c : enabledChecks(f.loc.file))
                                 if (c->id() == f.check) return false;
                               return true;
                             }),
              raw.end());
    mergeSuperseded(raw);
    for (Finding &f : raw) {
      bool enabled = false;
      for (const Check *c : enabledChecks(f.loc.file)) enabled = enabled || c->id() == f.check;
      if (!enabled) continue;
      if (const Config *c = configFor(f.loc.file)) {
        if (auto it = c->severity.find(f.check); it != c->severity.end()) f.severity = it->second;
        if (c->warningsAsErrors && GlobList(*c->warningsAsErrors).contains(f.check)) f.severity = "error";
        if (c->headerFilterRegex && !isMainFile(f.loc.file, facts) &&
            !std::regex_search(f.loc.file, std::regex(*c->headerFilterRegex)))
          continue;
      }
      if (suppressed(f, result.errors)) {
        ++result.suppressed;
        continue;
      }
      result.findings.push_back(std::move(f));
    }
    std::sort(result.findings.begin(), result.findings.end(), findingLess);
  }

  SourceCache &sources() { return sources_; }

  /// CheckOptions of every config (the nearest config's value wins for a file, but
  /// options are per run: later configs do not override earlier ones).
  std::map<std::string, std::string> checkOptions() const {
    std::map<std::string, std::string> out;
    for (const Config &c : configs_)
      for (const auto &[k, v] : c.checkOptions) out.emplace(k, v);
    return out;
  }

private:
  bool validateGlobs(const std::string &text, const std::string &origin, std::string &error) const {
    GlobList list(text);
    for (const GlobList::Glob &g : list.globs()) {
      bool matches = false;
      for (const auto &c : checks_) matches = matches || globMatch(g.pattern, c->id());
      // Wildcards may legitimately match nothing of ours (shared clang-tidy lists);
      // a plain name that is not a check is a typo.
      if (!matches && g.pattern.find('*') == std::string::npos) {
        error = origin + ": unknown check '" + g.pattern + "' (see --list-checks)";
        return false;
      }
    }
    return true;
  }

  const Config *configFor(const std::string &file) const {
    if (opts_.configPath) return configs_.empty() ? nullptr : &configs_.front();
    auto p = findConfigFor(file);
    if (!p) return nullptr;
    for (const Config &c : configs_)
      if (c.origin == *p) return &c;
    return nullptr;
  }

  static bool isMainFile(const std::string &file, const std::vector<TUFacts> &facts) {
    for (const TUFacts &t : facts)
      if (t.mainFile == file) return true;
    return false;
  }

  bool suppressed(const Finding &f, RunErrors &errors) {
    const std::string *text = sources_.get(f.loc.file);
    if (!text) return false;
    auto it = nolint_.find(f.loc.file);
    if (it == nolint_.end()) {
      it = nolint_.emplace(f.loc.file, std::make_unique<NoLintIndex>(*text)).first;
      for (const auto &p : it->second->problems()) {
        unsigned line = 1 + unsigned(std::count(text->begin(), text->begin() + long(p.pos), '\n'));
        errors.add(f.loc.file, displayPath(f.loc.file) + ":" + std::to_string(line) + ": " + p.message);
      }
    }
    return it->second->suppressed(f.loc.offset, f.check);
  }

  static std::string absolute(const std::string &p) {
    llvm::SmallString<256> s(p);
    llvm::sys::fs::make_absolute(s);
    llvm::sys::path::remove_dots(s, true);
    return s.str().str();
  }

  /// The compilation database, and the files to analyse (named ones, or all of -p's).
  std::unique_ptr<clang::tooling::CompilationDatabase> database(RunErrors &errors, std::vector<std::string> &files) {
    using namespace clang::tooling;
    std::unique_ptr<CompilationDatabase> db;
    if (opts_.haveCompilerArgs) {
      db = std::make_unique<FixedCompilationDatabase>(".", opts_.compilerArgs);
    } else if (opts_.buildPath) {
      std::string path = *opts_.buildPath;
      std::error_code ec;
      if (std::filesystem::is_directory(path, ec) || llvm::StringRef(path).ends_with(".json") == false)
        path = (std::filesystem::path(path) / "compile_commands.json").string();
      std::string why;
      if (!std::filesystem::exists(path, ec)) {
        errors.add(path, path + ": no compilation database (compile_commands.json not found)");
      } else if (auto json = JSONCompilationDatabase::loadFromFile(path, why, JSONCommandLineSyntax::AutoDetect)) {
        if (json->getAllFiles().empty()) errors.add(path, path + ": the compilation database lists no files");
        dbOrigin_ = path;
        db = inferMissingCompileCommands(std::move(json));
      } else {
        errors.add(path, path + ": cannot load compilation database: " + firstLine(why));
      }
      if (!db) return nullptr; // no flags for anything: analysing with guesses would mislead
      if (opts_.files.empty())
        for (const std::string &f : db->getAllFiles()) files.push_back(f);
    }
    for (const std::string &f : opts_.files) files.push_back(f);
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    if (!db) db = std::make_unique<AutoDatabase>();
    return db;
  }

  static std::string firstLine(const std::string &s) {
    std::string l = s.substr(0, s.find('\n'));
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
    return l.empty() ? "malformed" : l;
  }

  /// Without -p or --: the compile_commands.json found upward from the file (as
  /// clangd does), else no flags.
  class AutoDatabase : public clang::tooling::CompilationDatabase {
  public:
    std::vector<clang::tooling::CompileCommand> getCompileCommands(llvm::StringRef file) const override {
      std::string why;
      if (auto db = clang::tooling::CompilationDatabase::autoDetectFromSource(file, why)) {
        auto inferred = clang::tooling::inferMissingCompileCommands(std::move(db));
        auto cmds = inferred->getCompileCommands(file);
        if (!cmds.empty()) return cmds;
      }
      clang::tooling::FixedCompilationDatabase fixed(".", {});
      return fixed.getCompileCommands(file);
    }
  };

  std::vector<std::string> adjust(std::vector<std::string> args, const std::string &file) const {
    using namespace clang::tooling;
    // Launchers in front of the compiler are not part of the command.
    while (args.size() > 1) {
      std::string base = llvm::sys::path::filename(args.front()).str();
      if (base == "ccache" || base == "sccache" || base == "distcc" || base == "icecc") args.erase(args.begin());
      else break;
    }
    args = getClangStripOutputAdjuster()(args, file);
    args = getClangStripDependencyFileAdjuster()(args, file);
    args = getClangSyntaxOnlyAdjuster()(args, file);
    bool hasResourceDir = false;
    for (const std::string &a : args) hasResourceDir = hasResourceDir || a.rfind("-resource-dir", 0) == 0;
    // Right after the compiler: warnings are not ours to report (-w also keeps -Werror
    // from failing the parse), no carets or "N errors generated" on stderr.
    std::vector<std::string> extra = {"-w", "-fno-caret-diagnostics", "-fno-color-diagnostics", "-ferror-limit=50"};
    if (!hasResourceDir && !opts_.resourceDir.empty()) extra.push_back("-resource-dir=" + opts_.resourceDir);
    args.insert(args.begin() + 1, extra.begin(), extra.end());
    return args;
  }

  TUFacts extract(clang::tooling::CompilationDatabase &db, const std::string &file, RunErrors &errors) {
    TUFacts tu;
    tu.mainFile = absolute(file);
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
      errors.add(file, file + ": no such file");
      return tu;
    }
    if (std::filesystem::is_directory(file, ec)) {
      errors.add(file, file + ": is a directory, not a source file");
      return tu;
    }
    std::vector<clang::tooling::CompileCommand> cmds = db.getCompileCommands(tu.mainFile);
    if (cmds.empty()) cmds = db.getCompileCommands(file);
    if (cmds.empty()) {
      errors.add(file, file + ": no compile command (not in " + (dbOrigin_.empty() ? "the database" : dbOrigin_) + ")");
      return tu;
    }
    const clang::tooling::CompileCommand &cmd = cmds.front();
    std::string mainArg = cmd.Filename;
    std::vector<std::string> args = adjust(cmd.CommandLine, mainArg);

    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs = llvm::vfs::createPhysicalFileSystem();
    if (!cmd.Directory.empty()) fs->setCurrentWorkingDirectory(cmd.Directory);
    llvm::IntrusiveRefCntPtr<clang::FileManager> files(new clang::FileManager(clang::FileSystemOptions(), fs));
    ErrorCollector diags;
    ExtractOptions eopts;
    eopts.catalog = &catalog_;
    eopts.skipSystemBodies = opts_.skipSystemBodies;
    clang::tooling::ToolInvocation invocation(args, std::make_unique<ExtractAction>(eopts, tu), files.get(),
                                              std::make_shared<clang::PCHContainerOperations>());
    invocation.setDiagnosticConsumer(&diags);
    bool ok = invocation.run();
    if (diags.count > 0) {
      std::string more = diags.count > 1 ? " (and " + std::to_string(diags.count - 1) + " more errors)" : "";
      errors.add(file, file + ": does not compile: " + diags.first + more);
    } else if (!ok) {
      errors.add(file, file + ": could not be analysed (the compiler rejected the command line)");
    }
    tu.mainFile = absolute(file);
    return tu;
  }

  DriverOptions opts_;
  Catalog catalog_;
  std::vector<Config> configs_;
  std::vector<std::string> handlerNames_;
  std::vector<std::unique_ptr<Check>> checks_;
  SourceCache sources_;
  std::map<std::string, std::unique_ptr<NoLintIndex>> nolint_;
  std::string dbOrigin_;
};

} // namespace coldstart
