// One parse: a compile command in, the TU's facts out, in this process (the driver
// runs it in a child, see isolate.h). Errors are triaged: those that follow from a
// missing header are set aside and named in one note; the user's own errors make the
// file "does not compile".
#pragma once

#include "coldstart/driver/compile_db.h"
#include "coldstart/driver/fallback.h"
#include "coldstart/driver/options.h"
#include "coldstart/extract.h"
#include "coldstart/recovery.h"

#include <clang/Tooling/Tooling.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/thread.h>

#include <cstdlib>
#include <map>
#include <string>

namespace coldstart {

inline constexpr unsigned kExtractStackBytes = 128u << 20; // 5,000-deep ASTs need ~20 MB

/// A fix rests on the statements of its function as the analysis saw them; a statement
/// with an error that was set aside was not seen (clang dropped it, or kept only part of
/// it), so a fix in such a function could move or duplicate code it knows nothing about.
inline void withdrawFixesOverErrors(TUFacts &tu, const std::vector<Loc> &errors) {
  if (errors.empty()) return;
  const char *why = "a statement of its function was set aside for a missing header, and a fix could move code "
                    "the analysis did not see";
  auto overError = [&](const Fix &fix) {
    return std::any_of(errors.begin(), errors.end(), [&](const Loc &e) {
      return e.file == fix.scopeBegin.file && e.line >= fix.scopeBegin.line && e.line <= fix.scopeEnd.line;
    });
  };
  std::vector<Loc> withdrawn; // sites whose fixes went: a finding covered by one of them loses its pointer too
  for (FunctionFacts &fn : tu.functions)
    for (Site &site : fn.sites) {
      size_t before = site.fixes.size();
      site.fixes.erase(std::remove_if(site.fixes.begin(), site.fixes.end(), overError), site.fixes.end());
      if (before == 0 || !site.fixes.empty()) continue;
      site.data["nofix"] = why;
      withdrawn.push_back(site.loc);
    }
  for (FunctionFacts &fn : tu.functions) std::erase_if(fn.fixes, overError); // the accessor fix rests on every use
  for (FunctionFacts &fn : tu.functions)
    for (Site &site : fn.sites)
      if (auto in = site.locs.find("fix-in"); in != site.locs.end())
        if (std::any_of(withdrawn.begin(), withdrawn.end(),
                        [&](const Loc &l) { return l.file == in->second.file && l.offset == in->second.offset; })) {
          site.locs.erase(in);
          site.data.erase("fix-in");
          site.data["nofix"] = why;
        }
}

/// Turns a parse's diagnostics into the TU's errors and notes. Errors that follow from
/// a missing header or a built-in stand-in are set aside (the parse recovered from
/// them), and one note says which headers were not seen; the user's own errors make the
/// file "does not compile", as they would without missing headers.
inline void reportParse(TUFacts &tu, ErrorTriage &diags, bool ok) {
  bool missing = !missingHeaderNames(tu).empty();
  diags.triage(missing || !tu.fallback.empty());
  tu.errorsSetAside = diags.setAsideAt.size();
  withdrawFixesOverErrors(tu, diags.setAsideAt);
  if (!diags.userErrors.empty()) {
    const ErrorTriage::Error &first = diags.userErrors.front();
    size_t n = diags.userErrors.size();
    std::string more = n > 1 ? " (and " + std::to_string(n - 1) + (n == 2 ? " more error)" : " more errors)") : "";
    tu.errors.push_back({tu.mainFile, "does not compile", first.where, first.message + more});
  } else if (!ok && diags.total() == 0) {
    tu.errors.push_back({tu.mainFile, "could not be analysed (the compiler rejected the command line)", {}, ""});
  }
  if (missing) tu.notes.push_back({tu.mainFile, describeIncomplete(tu), {}, ""});
  // A TU whose missing headers all had built-in stand-ins is complete: the run says so
  // once for all such files (fallbackSummary), not file by file.
}

/// --vfsoverlay: the virtual file system a YAML file describes (clang's -ivfsoverlay
/// format), over `base`; null with `error` when it cannot be read or is not one.
inline llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>
loadVfsOverlay(const std::string &path, llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> base, std::string &error) {
  auto buffer = base->getBufferForFile(path);
  if (!buffer) {
    error = "--vfsoverlay: cannot read '" + path + "': " + buffer.getError().message();
    return nullptr;
  }
  std::unique_ptr<llvm::vfs::FileSystem> overlay =
      llvm::vfs::getVFSFromYAML(std::move(*buffer), [](const llvm::SMDiagnostic &, void *) {}, path, nullptr, base);
  if (!overlay) error = "--vfsoverlay: '" + path + "' is not a virtual file system overlay (clang's YAML format)";
  return llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>(overlay.release());
}

/// Parses one TU in this process. Never throws; errors are in the facts.
inline TUFacts parseTU(const DriverOptions &opts_, const Catalog &catalog,
                       const std::map<std::string, std::string> &buffers_, const clang::tooling::CompileCommand &cmd,
                       const std::string &file) {
  // Test hook for crash isolation: a parse that dies, on demand, for a named file.
  if (const char *crash = std::getenv("COLDSTART_TEST_CRASH_ON");
      crash && *crash && file.find(crash) != std::string::npos) {
    volatile int *nowhere = nullptr;
    *nowhere = 1; // a real fault, as a crashing parser would make
  }
  TUFacts tu;
  tu.mainFile = cleanAbsolute(file);
  std::vector<std::string> args = adjustCommand(cmd.CommandLine, cmd.Filename, opts_.resourceDir);
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> physical = llvm::vfs::createPhysicalFileSystem();
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> fs(new llvm::vfs::OverlayFileSystem(physical));
  for (const std::string &overlay : opts_.vfsOverlays) { // checked by the front end: one that fails is skipped
    std::string error;
    if (auto vfs = loadVfsOverlay(overlay, physical, error)) fs->pushOverlay(vfs);
  }
  if (opts_.useFallbackHeaders && !opts_.fallbackHeaders.empty()) {
    fs->pushOverlay(fallbackFileSystem(opts_.fallbackHeaders, tu.mainFile));
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
  eopts.catalog = &catalog;
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
  tu.mainFile = cleanAbsolute(file);
  reportParse(tu, diags, ok);
  return tu;
}

} // namespace coldstart
