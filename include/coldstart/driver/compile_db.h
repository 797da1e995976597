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
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace coldstart {

/// The JSON compilation database that covers `file`, as clangd looks for one: in the
/// file's directory and each one above it, `compile_commands.json`, then
/// `build/compile_commands.json`. Empty when there is none.
inline std::string findDatabaseUpward(const std::string &file) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(file).parent_path();
  for (; !dir.empty(); dir = dir.parent_path()) {
    for (const char *rel : {"compile_commands.json", "build/compile_commands.json"})
      if (std::filesystem::is_regular_file(dir / rel, ec)) return (dir / rel).string();
    if (dir == dir.parent_path()) break;
  }
  return {};
}

/// A JSON compilation database with commands inferred for the files it does not list
/// (a header, a new file: the nearest neighbour's flags, its language carried over).
inline std::unique_ptr<clang::tooling::CompilationDatabase> loadJsonDatabase(const std::string &path,
                                                                             std::string &why) {
  using namespace clang::tooling;
  auto json = JSONCompilationDatabase::loadFromFile(path, why, JSONCommandLineSyntax::AutoDetect);
  if (!json) return nullptr;
  return inferMissingCompileCommands(std::move(json));
}

/// Without -p or --: the compilation database found upward from each file (as clangd
/// does, build/ included), else its compile_flags.txt, else no flags. Each database is
/// loaded once; the files it lists are the file's project.
class AutoDatabase : public clang::tooling::CompilationDatabase {
public:
  std::vector<clang::tooling::CompileCommand> getCompileCommands(llvm::StringRef file) const override {
    if (const Found *db = databaseOf(file.str())) {
      auto cmds = db->db->getCompileCommands(file);
      if (!cmds.empty()) return cmds;
    }
    std::string why;
    if (auto db = clang::tooling::CompilationDatabase::autoDetectFromSource(file, why)) {
      auto cmds = clang::tooling::inferMissingCompileCommands(std::move(db))->getCompileCommands(file);
      if (!cmds.empty()) return cmds;
    }
    clang::tooling::FixedCompilationDatabase fixed(".", {});
    return fixed.getCompileCommands(file);
  }

  /// The files of the database that covers `file` (empty without one), and its path.
  std::vector<std::string> projectOf(const std::string &file, std::string &path) const {
    const Found *db = databaseOf(file);
    if (!db) return {};
    path = db->path;
    return db->db->getAllFiles();
  }

private:
  struct Found {
    std::string path;
    std::unique_ptr<clang::tooling::CompilationDatabase> db;
  };

  const Found *databaseOf(const std::string &file) const {
    std::string path = findDatabaseUpward(file);
    if (path.empty()) return nullptr;
    auto it = loaded_.find(path);
    if (it == loaded_.end()) {
      std::string why;
      it = loaded_.emplace(path, Found{path, loadJsonDatabase(path, why)}).first;
    }
    return it->second.db ? &it->second : nullptr;
  }

  mutable std::map<std::string, Found> loaded_;
};

/// What a run reads from the compilation database: the files to analyse (the named
/// ones, or all of -p's) and, when files are named and a database lists the project's
/// other files, those too (linked, not reported).
struct DatabaseFiles {
  std::vector<std::string> named;   ///< analysed and reported
  std::vector<std::string> project; ///< the rest of the project: linked, not reported
};

/// The compilation database and the files it gives the run.
inline std::unique_ptr<clang::tooling::CompilationDatabase>
loadCompilationDatabase(const DriverOptions &opts_, RunErrors &errors, DatabaseFiles &files, std::string &dbOrigin_) {
  using namespace clang::tooling;
  std::unique_ptr<CompilationDatabase> db;
  std::vector<std::string> project;
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
    } else if ((db = loadJsonDatabase(path, why))) {
      if (db->getAllFiles().empty()) errors.add(path, path + ": the compilation database lists no files");
      dbOrigin_ = path;
    } else {
      errors.add(path, path + ": cannot load compilation database: " + firstLineOf(why));
    }
    if (!db) return nullptr; // no flags for anything: analysing with guesses would mislead
    project = db->getAllFiles();
  } else {
    auto autoDb = std::make_unique<AutoDatabase>();
    for (const std::string &f : opts_.files) {
      std::string path;
      for (std::string &p : autoDb->projectOf(cleanAbsolute(f), path)) project.push_back(std::move(p));
    }
    db = std::move(autoDb);
  }
  files.named = opts_.files;
  if (opts_.files.empty()) files.named = project; // -p alone: the whole project, reported
  else if (opts_.linkProject) files.project = project;
  auto sortUnique = [](std::vector<std::string> &v) {
    for (std::string &f : v) f = cleanAbsolute(f);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  sortUnique(files.named);
  sortUnique(files.project);
  std::vector<std::string> rest;
  std::set_difference(files.project.begin(), files.project.end(), files.named.begin(), files.named.end(),
                      std::back_inserter(rest));
  files.project = std::move(rest);
  return db;
}

/// The language to parse a `.h` file in when its command does not say (`-x`): C++ when
/// the flags name a C++ standard, C when they name a C one; else what the sources
/// beside it and in the directory above are (C++ when any is, as clangd assumes C++ for
/// headers). Empty when the file is not a `.h` file or its language is explicit.
inline std::string headerLanguage(const std::vector<std::string> &args, const std::string &file) {
  if (!llvm::StringRef(file).ends_with(".h")) return {};
  for (size_t i = 1; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "-x" || a.starts_with("-x") || a.starts_with("--language")) return {};
    if (a.starts_with("-std=") || a.starts_with("--std=")) {
      llvm::StringRef std = a.substr(a.find('=') + 1);
      return std.contains("++") ? "c++-header" : "c-header";
    }
    if (a == "--driver-mode=g++" || a == "--driver-mode=cl") return {};
  }
  if (!args.empty()) { // clang++, g++: headers are C++ already
    llvm::StringRef compiler = llvm::sys::path::filename(args.front());
    if (compiler.contains("++") || compiler == "cl" || compiler == "clang-cl") return {};
  }
  size_t c = 0, cxx = 0;
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(file).parent_path();
  for (int up = 0; up < 2 && !dir.empty(); ++up, dir = dir.parent_path()) {
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::string ext = it->path().extension().string();
      if (ext == ".c") ++c;
      else if (ext == ".cpp" || ext == ".cc" || ext == ".cxx" || ext == ".C" || ext == ".hpp") ++cxx;
    }
    if (c || cxx) break;
  }
  return cxx || !c ? "c++-header" : "c-header";
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
  if (std::string lang = headerLanguage(args, file); !lang.empty()) extra.insert(extra.end(), {"-x", lang});
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
