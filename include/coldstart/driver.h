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
#include "coldstart/hash.h"
#include "coldstart/isolate.h"
#include "coldstart/link.h"
#include "coldstart/nolint.h"
#include "coldstart/pipeline.h"
#include "coldstart/session.h"
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
#include <llvm/Support/Regex.h>
#include <llvm/Support/Threading.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/thread.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>

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
  SessionOptions session; ///< --checks, --warnings-as-errors, --config, the built-in catalog
  std::string resourceDir;
  bool skipSystemBodies = true; ///< --no-skip-bodies turns it off (to compare)
  bool parseOnly = false;       ///< --parse-only: parse and extract nothing (benchmarks)
  /// Declaration-only headers served at the lowest include priority when the real
  /// ones are missing (AWS SDK, aws-lambda-cpp, libcurl, cpp-httplib...).
  std::vector<EmbeddedText> fallbackHeaders;
  bool useFallbackHeaders = true;
  IsolationLimits isolation;    ///< -j, per-TU timeout and memory limit
  bool isolate = true;          ///< parse each TU in a child process
  bool useCache = true;
  std::string cacheDir;         ///< empty: <build>/.coldstart-lint-cache or $XDG_CACHE_HOME/coldstart-lint
  std::string identity;         ///< what built the facts (hash of the binary): part of every cache key
  unsigned shardIndex = 0, shardCount = 0; ///< --shard K/N (1-based K); 0: all
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

struct RunResult {
  std::vector<TUFacts> facts; ///< per TU, sorted by main file
  std::vector<Finding> findings;
  RunErrors errors;
  size_t suppressed = 0;
  size_t analysed = 0;
  size_t cacheHits = 0;
  std::vector<std::string> notes; ///< one line each, for stderr
  /// Files whose analysis may be incomplete (headers not found): also in JSON and SARIF.
  std::vector<IncompleteAnalysis> incomplete;
};

class Driver {
public:
  explicit Driver(DriverOptions opts) : opts_(std::move(opts)), session_(opts_.session) {}

  /// Loads the catalog and configs and selects checks. On failure `error` is one line.
  bool setup(std::vector<std::unique_ptr<Check>> checks, std::string &error) {
    return session_.setup(std::move(checks), opts_.files, error);
  }

  const Session &session() const { return session_; }
  const Catalog &catalog() const { return session_.catalog(); }

  /// Analyses every file and returns findings (sorted) and errors.
  RunResult run() {
    RunResult result;
    result.facts = extractAll(result);
    link(result.facts, result);
    return result;
  }

  /// Parses every selected file (cache, then isolated children) into facts.
  std::vector<TUFacts> extractAll(RunResult &result) {
    std::vector<std::string> files;
    std::unique_ptr<clang::tooling::CompilationDatabase> db = database(result.errors, files);
    std::vector<TUFacts> facts;
    if (!db) return facts;
    if (opts_.shardCount > 0) {
      std::vector<std::string> mine;
      for (const std::string &f : files)
        if (llvm::xxh3_64bits(llvm::StringRef(f)) % opts_.shardCount == opts_.shardIndex - 1) mine.push_back(f);
      files.swap(mine);
    }
    struct Plan {
      std::string file;
      clang::tooling::CompileCommand cmd;
      std::string key; ///< cache key; empty: not cacheable
    };
    std::vector<Plan> todo;
    FileHashes hashes;
    for (const std::string &file : files) {
      ++result.analysed;
      TUFacts early;
      early.mainFile = absolute(file);
      Plan plan{file, {}, {}};
      if (!commandFor(*db, file, plan.cmd, early)) {
        facts.push_back(std::move(early));
        continue;
      }
      if (opts_.useCache && !cacheDir().empty())
        if (auto main = hashes.of(early.mainFile)) {
          plan.key = cacheKey(plan.cmd, *main);
          if (auto hit = cacheLoad(plan.key, hashes)) {
            ++result.cacheHits;
            facts.push_back(std::move(*hit));
            continue;
          }
        }
      todo.push_back(std::move(plan));
    }
    auto store = [&](const Plan &plan, TUFacts tu) {
      if (!plan.key.empty()) cacheStore(plan.key, tu);
      facts.push_back(std::move(tu));
    };
    if (!opts_.isolate) {
      for (const Plan &plan : todo) store(plan, extractInProcess(plan.cmd, plan.file));
    } else {
      runIsolated(
          todo.size(), opts_.isolation,
          [&](size_t i) { return nlohmann::json(extractInProcess(todo[i].cmd, todo[i].file)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); },
          [&](size_t i, const IsolatedResult &r) {
            TUFacts tu;
            tu.mainFile = absolute(todo[i].file);
            if (r.ok) {
              try {
                tu = nlohmann::json::parse(r.output).get<TUFacts>();
              } catch (const std::exception &) {
                tu.errors.push_back({tu.mainFile, "internal error: the analyser's output for it was malformed", {}, ""});
                facts.push_back(std::move(tu));
                return;
              }
              store(todo[i], std::move(tu));
            } else {
              tu.errors.push_back({tu.mainFile, "the analyser " + r.failure + " on it; it was skipped, the other files were analysed", {}, ""});
              facts.push_back(std::move(tu));
            }
          });
    }
    std::sort(facts.begin(), facts.end(), [](const TUFacts &a, const TUFacts &b) { return a.mainFile < b.mainFile; });
    for (const TUFacts &tu : facts) {
      for (const FactsError &e : tu.errors) result.errors.add(e.file, formatFactsError(e));
      for (const FactsError &n : tu.notes) result.notes.push_back(formatFactsError(n));
      if (IncompleteAnalysis ia = incompleteAnalysis(tu); !ia.missing.empty()) result.incomplete.push_back(std::move(ia));
    }
    return facts;
  }

  /// Analyses one file as the editor has it (unsaved text included): the LSP server.
  RunResult analyseBuffer(const std::string &path, const std::string &text) {
    std::string abs = absolute(path);
    buffers_[abs] = text;
    sources_.overlay(abs, text);
    nolint_.erase(abs);
    RunResult result;
    std::string error;
    if (!session_.ensureConfigFor(abs, error)) {
      result.errors.add(abs, error);
      return result;
    }
    std::vector<std::string> savedFiles = opts_.files;
    bool savedCache = opts_.useCache;
    opts_.files = {abs};
    opts_.useCache = false; // the buffer is not what is on disk
    result.facts = extractAll(result);
    opts_.files = savedFiles;
    opts_.useCache = savedCache;
    link(result.facts, result);
    return result;
  }

  void forgetBuffer(const std::string &path) {
    std::string abs = absolute(path);
    buffers_.erase(abs);
    sources_.forget(abs);
    nolint_.erase(abs);
  }

  /// The linked program of some facts (for reports that are not findings).
  Program program(const std::vector<TUFacts> &facts) const { return linkProgram(facts, session_); }

  /// Links facts (from this run, a cache or shards) and runs checks and suppression.
  void link(std::vector<TUFacts> &facts, RunResult &result) {
    std::sort(facts.begin(), facts.end(), [](const TUFacts &a, const TUFacts &b) { return a.mainFile < b.mainFile; });
    Program program = linkProgram(facts, session_);
    PipelineResult checked = runChecks(
        program, session_, [&](const std::string &file) { return isMainFile(file, facts); },
        [&](const Finding &f) { return suppressed(f, result.errors); });
    result.findings = std::move(checked.findings);
    result.suppressed += checked.suppressed;
  }

  SourceCache &sources() { return sources_; }

private:
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

  static std::string firstLine(const std::string &s) { return firstLineOf(s); }

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
    std::vector<std::string> extra = {"-w", "-fno-caret-diagnostics", "-fno-color-diagnostics", "-ferror-limit=0",
                                      // A misspelt name is not corrected to a declared one: with a
                                      // header missing, the "correction" is a guess (gcf -> gcs).
                                      "-fno-spell-checking"};
    if (!hasResourceDir && !opts_.resourceDir.empty()) extra.push_back("-resource-dir=" + opts_.resourceDir);
    args.insert(args.begin() + 1, extra.begin(), extra.end());
    return args;
  }

  /// The compile command of `file`; false (with an error in `tu`) if there is none.
  bool commandFor(clang::tooling::CompilationDatabase &db, const std::string &file, clang::tooling::CompileCommand &out,
                  TUFacts &tu) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec) && !buffers_.count(tu.mainFile)) {
      tu.errors.push_back({tu.mainFile, "no such file", {}, ""});
      return false;
    }
    if (std::filesystem::is_directory(file, ec)) {
      tu.errors.push_back({tu.mainFile, "is a directory, not a source file", {}, ""});
      return false;
    }
    std::vector<clang::tooling::CompileCommand> cmds = db.getCompileCommands(tu.mainFile);
    if (cmds.empty()) cmds = db.getCompileCommands(file);
    if (cmds.empty()) {
      tu.errors.push_back({tu.mainFile, "no compile command (not in " + (dbOrigin_.empty() ? "the database" : dbOrigin_) + ")", {}, ""});
      return false;
    }
    out = cmds.front();
    return true;
  }

public:
  /// Parses one TU in this process. Never throws; errors are in the facts.
  TUFacts extractInProcess(const clang::tooling::CompileCommand &cmd, const std::string &file) {
    // Test hook for crash isolation: a parse that dies, on demand, for a named file.
    if (const char *crash = std::getenv("COLDSTART_TEST_CRASH_ON"); crash && *crash && file.find(crash) != std::string::npos) {
      volatile int *nowhere = nullptr;
      *nowhere = 1; // a real fault, as a crashing parser would make
    }
    TUFacts tu;
    tu.mainFile = absolute(file);
    std::vector<std::string> args = adjust(cmd.CommandLine, cmd.Filename);
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> physical = llvm::vfs::createPhysicalFileSystem();
    llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> fs(new llvm::vfs::OverlayFileSystem(physical));
    if (opts_.useFallbackHeaders && !opts_.fallbackHeaders.empty()) {
      fs->pushOverlay(fallbackFileSystem(tu.mainFile));
      // -idirafter: searched after every system directory, so installed headers win.
      auto pos = std::find(args.begin(), args.end(), "--");
      args.insert(pos, {"-idirafter", kFallbackRoot});
    }
    if (!buffers_.empty()) { // unsaved editor buffers shadow the files on disk
      llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> mem(new llvm::vfs::InMemoryFileSystem);
      for (const auto &[path, text] : buffers_) mem->addFile(path, 0, llvm::MemoryBuffer::getMemBufferCopy(text, path));
      fs->pushOverlay(mem);
    }
    if (!cmd.Directory.empty()) fs->setCurrentWorkingDirectory(cmd.Directory);
    llvm::IntrusiveRefCntPtr<clang::FileManager> files(new clang::FileManager(clang::FileSystemOptions(), fs));
    ErrorTriage diags;
    ExtractOptions eopts;
    eopts.catalog = &session_.catalog();
    eopts.skipSystemBodies = opts_.skipSystemBodies;
    eopts.parseOnly = opts_.parseOnly;
    eopts.disableFree = opts_.isolate; // a child exits right after: freeing the AST is wasted time
    bool ok = false;
    // A deep AST (5,000 nested expressions) must not overflow the stack: parse and
    // extract on a thread with a large one.
    llvm::thread worker(std::optional<unsigned>(kExtractStackBytes), [&] {
      clang::tooling::ToolInvocation invocation(args, std::make_unique<ExtractAction>(eopts, tu), files.get(),
                                                std::make_shared<clang::PCHContainerOperations>());
      invocation.setDiagnosticConsumer(&diags);
      ok = invocation.run();
    });
    worker.join();
    tu.mainFile = absolute(file);
    reportParse(tu, diags, ok);
    return tu;
  }

private:
  /// A fix rests on the statements of its function as the analysis saw them; a statement
  /// with an error that was set aside was not seen (clang dropped it, or kept only part of
  /// it), so a fix in such a function could move or duplicate code it knows nothing about.
  static void withdrawFixesOverErrors(TUFacts &tu, const std::vector<Loc> &errors) {
    if (errors.empty()) return;
    for (FunctionFacts &fn : tu.functions)
      for (Site &site : fn.sites)
        site.fixes.erase(std::remove_if(site.fixes.begin(), site.fixes.end(),
                                        [&](const Fix &fix) {
                                          return std::any_of(errors.begin(), errors.end(), [&](const Loc &e) {
                                            return e.file == fix.scopeBegin.file && e.line >= fix.scopeBegin.line &&
                                                   e.line <= fix.scopeEnd.line;
                                          });
                                        }),
                         site.fixes.end());
  }

  /// Turns a parse's diagnostics into the TU's errors and notes. Errors that follow from
  /// a missing header or a built-in stand-in are set aside (the parse recovered from
  /// them), and one note says which headers were not seen; the user's own errors make the
  /// file "does not compile", as they would without missing headers.
  static void reportParse(TUFacts &tu, ErrorTriage &diags, bool ok) {
    bool missing = !missingHeaderNames(tu).empty();
    diags.triage(missing || !tu.fallback.empty());
    tu.errorsSetAside = diags.setAsideAt.size();
    withdrawFixesOverErrors(tu, diags.setAsideAt);
    if (!diags.userErrors.empty()) {
      const ErrorTriage::Error &first = diags.userErrors.front();
      size_t n = diags.userErrors.size();
      std::string more = n > 1 ? " (and " + std::to_string(n - 1) + " more errors)" : "";
      tu.errors.push_back({tu.mainFile, "does not compile", first.where, first.message + more});
    } else if (!ok && diags.total() == 0) {
      tu.errors.push_back({tu.mainFile, "could not be analysed (the compiler rejected the command line)", {}, ""});
    }
    if (missing) {
      tu.notes.push_back({tu.mainFile, describeIncomplete(tu), {}, ""});
    } else if (!tu.fallback.empty()) {
      std::string setAside = tu.errorsSetAside == 0 ? ""
                             : "; " + std::to_string(tu.errorsSetAside) +
                                   (tu.errorsSetAside == 1 ? " error against them was set aside" : " errors against them were set aside");
      tu.notes.push_back({tu.mainFile, "analysed with built-in declarations for headers that are not installed (" +
                                           listNames(tu.fallback) + ")" + setAside, {}, ""});
    }
  }

  static constexpr unsigned kExtractStackBytes = 128u << 20; // 5,000-deep ASTs need ~20 MB

  /// The built-in headers, plus headers made up by name for AWS SDK services we have no
  /// declarations for: `#include <aws/rds/RDSClient.h>` in the main file, with
  /// `Aws::RDS::RDSClient` used in it, gets a client class of that name, so that its
  /// construction is still recognised (findings made this way are marked by a note).
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> fallbackFileSystem(const std::string &mainFile) {
    llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> mem(new llvm::vfs::InMemoryFileSystem);
    std::set<std::string> known;
    for (const EmbeddedText &h : opts_.fallbackHeaders) {
      std::string path = std::string(kFallbackRoot) + "/" + std::string(h.name);
      mem->addFile(path, 0, llvm::MemoryBuffer::getMemBuffer(llvm::StringRef(h.data.data(), h.data.size()), path, false));
      known.insert(std::string(h.name));
    }
    auto buf = llvm::MemoryBuffer::getFile(mainFile, false, false);
    if (!buf) return mem;
    std::string text = (*buf)->getBuffer().str();
    static const std::regex include(R"re(#\s*include\s*[<"](aws/[A-Za-z0-9_\-]+/[A-Za-z0-9_/\-]+\.h)[>"])re");
    for (std::sregex_iterator it(text.begin(), text.end(), include), end; it != end; ++it) {
      std::string header = (*it)[1];
      if (known.count(header)) continue;
      std::string path = std::string(kFallbackRoot) + "/" + header;
      mem->addFile(path, 0, llvm::MemoryBuffer::getMemBufferCopy(madeUpSdkHeader(header, text), path));
      known.insert(header);
    }
    return mem;
  }

  static std::string madeUpSdkHeader(const std::string &header, const std::string &source) {
    std::smatch m;
    std::string out = "// Made up by coldstart-lint from the name of a missing header.\n#pragma once\n"
                      "#include <aws/core/client/AWSClient.h>\n#include <aws/core/client/ClientConfiguration.h>\n";
    static const std::regex client(R"re(aws/[A-Za-z0-9_\-]+/([A-Za-z0-9_]+Client)\.h)re");
    if (std::regex_match(header, m, client)) {
      std::string name = m[1];
      std::smatch ns;
      std::regex use("Aws::([A-Za-z0-9_]+)::" + name + "\\b");
      if (!std::regex_search(source, ns, use)) return out;
      out += "namespace Aws {\nnamespace " + ns[1].str() + " {\nclass " + name +
             " : public Aws::Client::AWSJsonClient {\npublic:\n  " + name + "();\n  template <typename... Args> explicit " +
             name + "(Args &&...args);\n};\n} // namespace " + ns[1].str() + "\n} // namespace Aws\n";
    }
    return out;
  }

private:
  // ---- the facts cache (ccache's direct mode) ---------------------------------------
  //
  // Key: what built the facts (the binary), the catalog and configs, the compile
  // command and the main file's content. The entry lists every file the parse read
  // with its content hash; it is a hit only if they all still hash the same.

  std::string cacheDir() const {
    if (!opts_.cacheDir.empty()) return opts_.cacheDir;
    if (opts_.buildPath) {
      std::string b = *opts_.buildPath;
      if (llvm::StringRef(b).ends_with(".json")) b = llvm::sys::path::parent_path(b).str();
      if (!b.empty()) return (std::filesystem::path(b) / ".coldstart-lint-cache").string();
    }
    if (const char *x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/coldstart-lint";
    if (const char *h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/coldstart-lint";
    return {};
  }

  std::string cacheKey(const clang::tooling::CompileCommand &cmd, const std::string &mainHash) const {
    KeyBuilder k;
    k.add("coldstart-facts-v1").add(opts_.identity).add(session_.digest()).add(cmd.Directory).add(cmd.Filename);
    for (const std::string &a : cmd.CommandLine) k.add(a);
    k.add(mainHash).add(opts_.skipSystemBodies ? "skip" : "full").add(opts_.resourceDir);
    return k.hex();
  }

  std::string cachePath(const std::string &key) const {
    return (std::filesystem::path(cacheDir()) / key.substr(0, 2) / (key + ".json")).string();
  }

  std::optional<TUFacts> cacheLoad(const std::string &key, FileHashes &hashes) const {
    auto buf = llvm::MemoryBuffer::getFile(cachePath(key), /*IsText=*/false, /*RequiresNullTerminator=*/false);
    if (!buf) return std::nullopt;
    TUFacts tu;
    try {
      tu = nlohmann::json::parse((*buf)->getBuffer().begin(), (*buf)->getBuffer().end()).get<TUFacts>();
    } catch (const std::exception &) {
      return std::nullopt; // corrupt: a miss, overwritten below
    }
    if (tu.deps.empty()) return std::nullopt;
    for (const Dependency &d : tu.deps) {
      if (d.hash.empty()) { // where a missing header would be found: stale once it is there
        std::error_code ec;
        if (std::filesystem::exists(d.path, ec)) return std::nullopt;
        continue;
      }
      auto h = hashes.of(d.path);
      if (!h || *h != d.hash) return std::nullopt;
    }
    return tu;
  }

  void cacheStore(const std::string &key, const TUFacts &tu) const {
    if (tu.deps.empty()) return;
    std::error_code ec;
    std::filesystem::path path = cachePath(key);
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return; // no cache rather than no result
    std::string why;
    writeFileAtomically(path.string(), nlohmann::json(tu).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        why); // a cache that cannot be written is no cache, not an error
  }

  DriverOptions opts_;
  Session session_;
  SourceCache sources_;
  std::map<std::string, std::unique_ptr<NoLintIndex>> nolint_;
  std::string dbOrigin_;
  std::map<std::string, std::string> buffers_; ///< unsaved editor buffers, by absolute path
};

} // namespace coldstart
