// Part of the Extractor (extract.h). What the parse read: every file with its content hash, for the facts cache.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

inline void Extractor::run() {
  prepass();
  TraverseDecl(ctx_.getTranslationUnitDecl());
  finish();
  offerAccessorFixes(); // after every other fix is known: they must not overlap
  recordDependencies();
}

/// Every file the parse read, with its content hash (main file first): the facts
/// cache is valid while they all hash the same.
inline void Extractor::recordDependencies() {
  std::vector<Dependency> deps;
  std::string mainPath;
  if (auto FE = sm_.getFileEntryRefForID(sm_.getMainFileID())) {
    llvm::SmallString<256> real;
    mainPath = llvm::sys::fs::real_path(FE->getName(), real) ? absolutePath(FE->getName()) : real.str().str();
  }
  for (auto it = sm_.fileinfo_begin(); it != sm_.fileinfo_end(); ++it) {
    clang::FileEntryRef FE = it->first;
    auto buf = sm_.getMemoryBufferForFileOrNone(FE);
    if (!buf) continue;
    llvm::StringRef name = FE.getName();
    if (name.starts_with(kFallbackRoot)) { // a built-in header: part of the binary, not a file
      // Name the ones the user's code includes, not what they include in turn.
      clang::FileID fid = sm_.translateFile(FE);
      clang::SourceLocation from = fid.isValid() ? sm_.getIncludeLoc(fid) : clang::SourceLocation();
      bool direct = true;
      if (from.isValid())
        if (auto includer = sm_.getFileEntryRefForID(sm_.getFileID(from)))
          direct = !includer->getName().starts_with(kFallbackRoot);
      if (direct) out_.fallback.push_back(name.drop_front(std::strlen(kFallbackRoot) + 1).str());
      continue;
    }
    // The real path: GCC's headers are found through '..' and the /lib -> /usr/lib
    // symlink, which a lexical clean-up would get wrong.
    llvm::SmallString<256> real;
    std::string path = absolutePath(FE.getName());
    if (!llvm::sys::fs::real_path(FE.getName(), real)) path = real.str().str();
    deps.push_back({path, hashText(buf->getBuffer())});
  }
  std::sort(deps.begin(), deps.end(), [&](const Dependency &a, const Dependency &b) {
    return std::make_pair(a.path != mainPath, a.path) < std::make_pair(b.path != mainPath, b.path);
  });
  deps.erase(
      std::unique(deps.begin(), deps.end(), [](const Dependency &a, const Dependency &b) { return a.path == b.path; }),
      deps.end());
  // Where each missing header would be found: the entry is stale once one appears.
  for (const MissingHeader &m : out_.missing)
    for (const std::string &c : m.candidates) deps.push_back({c, ""});
  out_.deps = std::move(deps);
  std::sort(out_.fallback.begin(), out_.fallback.end());
}

inline std::string Extractor::absolutePath(llvm::StringRef name) {
  llvm::SmallString<256> p(name);
  sm_.getFileManager().makeAbsolutePath(p);
  llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
  return p.str().str();
}

} // namespace coldstart
