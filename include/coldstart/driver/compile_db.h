// Compile commands: the compilation database (-p, `--` flags, or the
// compile_commands.json found upward from each file, as clangd does) and the command
// line as the analysis runs it.
#pragma once

#include "coldstart/driver/options.h"

#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace coldstart {

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

/// The compilation database, and the files to analyse (named ones, or all of -p's).
inline std::unique_ptr<clang::tooling::CompilationDatabase> loadCompilationDatabase(const DriverOptions &opts_,
                                                                                    RunErrors &errors,
                                                                                    std::vector<std::string> &files,
                                                                                    std::string &dbOrigin_) {
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
      errors.add(path, path + ": cannot load compilation database: " + firstLineOf(why));
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

/// A compile command as the analysis runs it: no launcher, syntax only, no warnings, and
/// clang's resource directory.
inline std::vector<std::string> adjustCommand(std::vector<std::string> args, const std::string &file,
                                              const std::string &resourceDir) {
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
  if (!hasResourceDir && !resourceDir.empty()) extra.push_back("-resource-dir=" + resourceDir);
  args.insert(args.begin() + 1, extra.begin(), extra.end());
  return args;
}

/// The compile command of `file`; false (with an error in `tu`) if there is none.
inline bool commandFor(clang::tooling::CompilationDatabase &db, const std::string &file,
                       clang::tooling::CompileCommand &out, TUFacts &tu, bool isBuffer, const std::string &dbOrigin_) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec) && !isBuffer) {
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
    tu.errors.push_back(
        {tu.mainFile, "no compile command (not in " + (dbOrigin_.empty() ? "the database" : dbOrigin_) + ")", {}, ""});
    return false;
  }
  out = cmds.front();
  return true;
}

} // namespace coldstart
