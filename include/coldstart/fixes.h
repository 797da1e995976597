// Fixes: export as clang-tidy's YAML (for clang-apply-replacements), or apply in place.
#pragma once

#include "coldstart/check.h"
#include "coldstart/emit.h"
#include "coldstart/source.h"

#include <clang/Tooling/Core/Diagnostic.h>
#include <clang/Tooling/DiagnosticsYaml.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace coldstart {

/// Writes `findings`' fixes in clang-tidy's export-fixes YAML schema, atomically.
inline bool exportFixesYaml(const std::string &path, const std::vector<Finding> &findings, std::string &error) {
  clang::tooling::TranslationUnitDiagnostics tu;
  tu.MainSourceFile = findings.empty() ? "" : findings.front().loc.file;
  for (const Finding &f : findings) {
    clang::tooling::Diagnostic d;
    d.DiagnosticName = f.check;
    d.DiagLevel = f.severity == "error" ? clang::tooling::Diagnostic::Error : clang::tooling::Diagnostic::Warning;
    d.Message.Message = f.message;
    d.Message.FilePath = f.loc.file;
    d.Message.FileOffset = f.loc.offset;
    for (const Fix &fix : f.fixes)
      for (const Replacement &r : fix.replacements) {
        clang::tooling::Replacement rep(r.file, r.offset, r.length, r.text);
        llvm::consumeError(d.Message.Fix[r.file].add(rep));
      }
    tu.Diagnostics.push_back(std::move(d));
  }
  std::string text;
  {
    llvm::raw_string_ostream os(text);
    llvm::yaml::Output yaml(os);
    yaml << tu;
  }
  std::string why;
  if (!writeFileAtomically(path, text, why)) {
    error = path + ": cannot write fixes: " + why;
    return false;
  }
  return true;
}

struct FixOutcome {
  std::vector<std::string> errors;     ///< files that could not be fixed, and why
  std::vector<std::string> notAllowed; ///< files with fixes that were not analysed (left alone)
  std::vector<std::string> fixed;      ///< files written
  size_t replacements = 0;
};

/// Applies every fix to the files it edits, all-or-nothing per file, each written
/// atomically (temporary file + rename). Only files in `allowed` (the analysed files)
/// are ever written.
inline FixOutcome applyFixesInPlace(const std::vector<Finding> &findings, const std::vector<std::string> &allowed,
                                    SourceCache &sources) {
  FixOutcome outcome;
  std::vector<std::string> &errors = outcome.errors;
  std::set<std::string> allowedAbs;
  for (const std::string &a : allowed) {
    llvm::SmallString<256> p(a);
    llvm::sys::fs::make_absolute(p);
    llvm::sys::path::remove_dots(p, true);
    allowedAbs.insert(p.str().str());
  }
  std::map<std::string, std::vector<Replacement>> byFile;
  for (const Finding &f : findings)
    for (const Fix &fix : f.fixes)
      for (const Replacement &r : fix.replacements) byFile[r.file].push_back(r);
  for (auto &[file, reps] : byFile) {
    if (!allowedAbs.count(file)) {
      outcome.notAllowed.push_back(displayPath(file) + ": not fixed: it is not one of the analysed files");
      continue;
    }
    const std::string *text = sources.get(file);
    if (!text) {
      errors.push_back(displayPath(file) + ": not fixed: cannot read it");
      continue;
    }
    std::sort(reps.begin(), reps.end(), [](const Replacement &a, const Replacement &b) { return a.offset < b.offset; });
    reps.erase(std::unique(reps.begin(), reps.end(),
                           [](const Replacement &a, const Replacement &b) {
                             return a.offset == b.offset && a.length == b.length && a.text == b.text;
                           }),
               reps.end());
    bool ok = true;
    for (size_t i = 0; i < reps.size(); ++i) {
      if (reps[i].offset + reps[i].length > text->size()) ok = false;
      if (i > 0 && reps[i - 1].offset + reps[i - 1].length > reps[i].offset) ok = false;
    }
    if (!ok) {
      errors.push_back(displayPath(file) + ": not fixed: its fixes overlap or do not match the file");
      continue;
    }
    std::string out = *text;
    for (auto it = reps.rbegin(); it != reps.rend(); ++it) out.replace(it->offset, it->length, it->text);
    std::string why;
    if (!writeFileAtomically(file, out, why)) {
      errors.push_back(displayPath(file) + ": not fixed: cannot write it: " + why);
      continue;
    }
    sources.overlay(file, out);
    outcome.fixed.push_back(file);
    outcome.replacements += reps.size();
  }
  return outcome;
}

} // namespace coldstart
