// The driver: compile commands in, findings out.
//
//   files + (-p build | -- flags | found compile_commands.json) -> one parse per TU
//   (extract.h) -> Program (link.h) -> checks -> suppression and config -> findings
//
// Nothing here prints: the front end (tool/main.cpp, the LSP server...) decides how
// findings and errors are shown.
//
// This file schedules the work (shards, the cache, isolated children) and holds the
// editor's buffers; the parts are units of their own: driver/options.h (what a run is
// asked and gives back), driver/compile_db.h (compile commands), driver/parse.h (one
// parse, its error triage), driver/fallback.h (built-in headers), driver/facts_cache.h,
// session.h (configs and checks) and pipeline.h (facts to findings).
#pragma once

#include "coldstart/catalog.h"
#include "coldstart/check.h"
#include "coldstart/config.h"
#include "coldstart/driver/compile_db.h"
#include "coldstart/driver/facts_cache.h"
#include "coldstart/driver/options.h"
#include "coldstart/driver/parse.h"
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

#include <clang/Tooling/CompilationDatabase.h>
#include <llvm/Support/xxhash.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace coldstart {

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

  /// Parses every selected file (cache, then isolated children) into facts. With files
  /// named and a compilation database, the project's other files are parsed too (from
  /// the cache when unchanged): they are linked, so that a finding whose handler is in
  /// another file is found, but only the named files are reported.
  std::vector<TUFacts> extractAll(RunResult &result) {
    DatabaseFiles files;
    std::unique_ptr<clang::tooling::CompilationDatabase> db =
        loadCompilationDatabase(opts_, result.errors, files, dbOrigin_);
    std::vector<TUFacts> facts;
    if (!db) return facts;
    if (opts_.shardCount > 0) files.named = shardOf(files.named);
    reported_ =
        files.project.empty() ? std::set<std::string>() : std::set<std::string>(files.named.begin(), files.named.end());
    std::vector<std::string> all = files.named;
    for (const std::string &f : files.project) {
      std::string error;
      if (session_.ensureConfigFor(f, error)) all.push_back(f); // a bad config is reported with its own file
      else result.errors.add(f, error);
    }
    FactsCache cache(opts_.useCache ? FactsCache::dirFor(opts_) : std::string());
    std::vector<Plan> todo = plan(*db, all, cache, facts, result);
    parseAll(todo, cache, facts);
    cache.prune();
    std::sort(facts.begin(), facts.end(), [](const TUFacts &a, const TUFacts &b) { return a.mainFile < b.mainFile; });
    size_t projectFailures = 0;
    std::string firstFailure;
    std::vector<const TUFacts *> withFallback;
    for (const TUFacts &tu : facts) {
      if (!isReported(tu.mainFile)) {
        // The rest of the project: its problems are not this run's, but findings that
        // depend on a file that could not be analysed may be missing.
        if (!tu.errors.empty() && projectFailures++ == 0) firstFailure = formatFactsError(tu.errors.front());
        continue;
      }
      ++result.analysed;
      for (const FactsError &e : tu.errors) result.errors.add(runError(e));
      for (const FactsError &n : tu.notes) result.notes.push_back(formatFactsError(n));
      if (IncompleteAnalysis ia = incompleteAnalysis(tu); !ia.missing.empty())
        result.incomplete.push_back(std::move(ia));
      else if (!tu.fallback.empty()) withFallback.push_back(&tu);
    }
    if (!withFallback.empty()) result.notes.push_back(result.fallbackNote = fallbackSummary(withFallback));
    result.linked = facts.size() - result.analysed;
    if (projectFailures)
      result.notes.push_back(std::to_string(projectFailures) + " other " + (projectFailures == 1 ? "file" : "files") +
                             " of the project could not be analysed, so findings that depend on " +
                             (projectFailures == 1 ? "it" : "them") + " may be missing (" + firstFailure + ")");
    return facts;
  }

  /// Whether findings in `file` are reported: with the project linked in, only the named
  /// files and the headers they include are; otherwise every file is.
  bool isReported(const std::string &file) const { return reported_.empty() || reported_.count(file) != 0; }

private:
  /// A TU to parse: its file, its command, and its cache key (empty: not cacheable).
  struct Plan {
    std::string file;
    clang::tooling::CompileCommand cmd;
    std::string key;
  };

  /// --shard K/N: the files of shard K, by a hash of their names.
  std::vector<std::string> shardOf(const std::vector<std::string> &files) const {
    std::vector<std::string> mine;
    for (const std::string &f : files)
      if (llvm::xxh3_64bits(llvm::StringRef(f)) % opts_.shardCount == opts_.shardIndex - 1) mine.push_back(f);
    return mine;
  }

  /// What must be parsed: files without a command become facts with an error, cache
  /// hits become facts as they are, the rest are plans.
  std::vector<Plan> plan(clang::tooling::CompilationDatabase &db, const std::vector<std::string> &files,
                         const FactsCache &cache, std::vector<TUFacts> &facts, RunResult &result) {
    std::vector<Plan> todo;
    FileHashes hashes;
    for (const std::string &file : files) {
      TUFacts early;
      early.mainFile = cleanAbsolute(file);
      Plan plan{file, {}, {}};
      if (!commandFor(db, file, plan.cmd, early, buffers_.count(early.mainFile) != 0, dbOrigin_)) {
        facts.push_back(std::move(early));
        continue;
      }
      addExtraArgs(plan.cmd);
      if (cache.enabled() && !buffers_.count(early.mainFile)) // a buffer is not what is on disk
        if (auto main = hashes.of(early.mainFile)) {
          plan.key = FactsCache::key(opts_, session_.digest(), plan.cmd, *main);
          if (auto hit = cache.load(plan.key, hashes)) {
            ++result.cacheHits;
            facts.push_back(std::move(*hit));
            continue;
          }
        }
      todo.push_back(std::move(plan));
    }
    return todo;
  }

  /// --extra-arg-before right after the compiler, --extra-arg at the end (before a `--`
  /// that ends the options), as clang-tidy adds them.
  void addExtraArgs(clang::tooling::CompileCommand &cmd) const {
    using namespace clang::tooling;
    if (!opts_.extraArgsBefore.empty())
      cmd.CommandLine = getInsertArgumentAdjuster(opts_.extraArgsBefore, ArgumentInsertPosition::BEGIN)(cmd.CommandLine,
                                                                                                        cmd.Filename);
    if (!opts_.extraArgs.empty())
      cmd.CommandLine =
          getInsertArgumentAdjuster(opts_.extraArgs, ArgumentInsertPosition::END)(cmd.CommandLine, cmd.Filename);
  }

  /// Parses the plans, each in a child process (or here, without isolation); a child
  /// that crashes, runs out of time or memory, or writes malformed facts is an error of
  /// its file, and the others are still analysed.
  void parseAll(const std::vector<Plan> &todo, const FactsCache &cache, std::vector<TUFacts> &facts) {
    size_t done = 0;
    auto store = [&](const Plan &plan, TUFacts tu) {
      if (!plan.key.empty()) cache.store(plan.key, tu);
      facts.push_back(std::move(tu));
      if (opts_.progress) opts_.progress(++done, todo.size(), plan.file);
    };
    if (!opts_.isolate) {
      for (const Plan &plan : todo) store(plan, extractInProcess(plan.cmd, plan.file));
      return;
    }
    runIsolated(
        todo.size(), opts_.isolation,
        [&](size_t i) {
          return nlohmann::json(extractInProcess(todo[i].cmd, todo[i].file))
              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        },
        [&](size_t i, const IsolatedResult &r) {
          TUFacts tu;
          tu.mainFile = cleanAbsolute(todo[i].file);
          if (!r.ok) {
            tu.errors.push_back({tu.mainFile,
                                 "the analyser " + r.failure + " on it; it was skipped, the other files were analysed",
                                 {},
                                 ""});
            store({todo[i].file, {}, {}}, std::move(tu));
            return;
          }
          try {
            tu = nlohmann::json::parse(r.output).get<TUFacts>();
          } catch (const std::exception &) {
            tu.errors.push_back({tu.mainFile, "internal error: the analyser's output for it was malformed", {}, ""});
            store({todo[i].file, {}, {}}, std::move(tu));
            return;
          }
          store(todo[i], std::move(tu));
        });
  }

public:
  /// Analyses one file as the editor has it (unsaved text included): the LSP server.
  RunResult analyseBuffer(const std::string &path, const std::string &text) {
    std::string abs = cleanAbsolute(path);
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
    opts_.files = {abs};
    result.facts = extractAll(result);
    opts_.files = savedFiles;
    link(result.facts, result);
    return result;
  }

  void forgetBuffer(const std::string &path) {
    std::string abs = cleanAbsolute(path);
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
    // With the project linked in: the named files, and the headers they read that are
    // not main files of their own.
    std::set<std::string> readByNamed;
    if (!reported_.empty())
      for (const TUFacts &tu : facts)
        if (reported_.count(tu.mainFile))
          for (const Dependency &d : tu.deps) readByNamed.insert(d.path);
    PipelineResult checked = runChecks(
        program, session_, [&](const std::string &file) { return isMainFile(file, facts); },
        [&](const Finding &f) { return suppressed(f, result.errors); },
        [&](const std::string &file) {
          return isReported(file) || (readByNamed.count(file) && !isMainFile(file, facts));
        });
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

public:
  /// Parses one TU in this process (parse.h), with the editor's unsaved buffers.
  TUFacts extractInProcess(const clang::tooling::CompileCommand &cmd, const std::string &file) {
    return parseTU(opts_, session_.catalog(), buffers_, cmd, file);
  }

private:
  DriverOptions opts_;
  Session session_;
  SourceCache sources_;
  std::map<std::string, std::unique_ptr<NoLintIndex>> nolint_;
  std::string dbOrigin_;
  std::set<std::string> reported_; ///< the named files, when the rest of the project is linked in (else empty)
  std::map<std::string, std::string> buffers_; ///< unsaved editor buffers, by absolute path
};

} // namespace coldstart
