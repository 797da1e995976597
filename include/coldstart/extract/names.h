// Part of the Extractor (extract.h). Names, ids and locations.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// The declaration that names a function node. Each instantiation of a template is a
/// node of its own: `create<S3Client>()` in main and `create<Scratch>()` in the
/// handler construct different things, and `if constexpr` keeps different branches.
inline const clang::FunctionDecl *Extractor::patternOf(const clang::FunctionDecl *FD) { return FD->getCanonicalDecl(); }

inline std::string Extractor::usrOf(const clang::Decl *D) {
  llvm::SmallString<128> buf;
  if (!clang::index::generateUSRForDecl(D, buf)) return buf.str().str();
  Loc l = toLoc(D->getLocation());
  return "decl:" + l.file + ":" + std::to_string(l.offset);
}

/// The node of a lambda's call operator: the lambda's, or for a generic lambda, the
/// instantiation's own.
inline std::string Extractor::lambdaNodeId(const clang::FunctionDecl *op) {
  auto *MD = llvm::cast<clang::CXXMethodDecl>(op);
  std::string id = lambdaId(MD->getParent());
  if (op->isFunctionTemplateSpecialization()) id += "#" + usrOf(op);
  return id;
}

inline std::string Extractor::idOf(const clang::FunctionDecl *FD) {
  if (auto *MD = llvm::dyn_cast<clang::CXXMethodDecl>(FD); MD && MD->getParent()->isLambda()) return lambdaNodeId(MD);
  return usrOf(FD);
}

inline std::string Extractor::lambdaId(const clang::CXXRecordDecl *closure) {
  Loc l = toLoc(closure->getLocation());
  std::string id = "lambda:" + l.file + ":" + std::to_string(l.offset);
  // A lambda in a template: one closure per instantiation of the enclosing function.
  for (const clang::DeclContext *DC = closure->getDeclContext(); DC; DC = DC->getParent())
    if (auto *FD = llvm::dyn_cast<clang::FunctionDecl>(DC)) {
      if (FD->isTemplateInstantiation() || FD->getTemplateInstantiationPattern())
        return id + "@" + usrOf(FD->getCanonicalDecl());
      if (!llvm::isa<clang::CXXMethodDecl>(FD) || !llvm::cast<clang::CXXMethodDecl>(FD)->getParent()->isLambda()) break;
    }
  return id;
}

inline std::string Extractor::lambdaName(const clang::LambdaExpr *LE) {
  if (auto it = lambdaNames_.find(LE); it != lambdaNames_.end()) return "lambda '" + it->second + "'";
  if (frame()) {
    return "lambda in " + frame()->fn().name;
  }
  return "lambda";
}

inline bool Extractor::inSystem(clang::SourceLocation L) {
  if (L.isInvalid()) return false;
  return sm_.isInSystemHeader(sm_.getExpansionLoc(L));
}

inline std::string Extractor::text(clang::SourceLocation b, clang::SourceLocation e) {
  return clang::Lexer::getSourceText(clang::CharSourceRange::getCharRange(b, e), sm_, ctx_.getLangOpts()).str();
}

inline std::string Extractor::sourceText(clang::SourceRange r) {
  return clang::Lexer::getSourceText(clang::CharSourceRange::getTokenRange(r), sm_, ctx_.getLangOpts()).str();
}

inline Loc Extractor::toLoc(clang::SourceLocation L) {
  Loc out;
  if (L.isInvalid()) return out;
  L = sm_.getFileLoc(L);
  auto [fid, offset] = sm_.getDecomposedLoc(L);
  auto it = fileNames_.find(fid);
  if (it == fileNames_.end()) {
    std::string name;
    if (auto FE = sm_.getFileEntryRefForID(fid)) {
      llvm::SmallString<256> p(FE->getName());
      sm_.getFileManager().makeAbsolutePath(p);
      llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
      name = p.str().str();
    } else {
      name = sm_.getBufferName(L).str();
    }
    it = fileNames_.emplace(fid, name).first;
  }
  out.file = it->second;
  out.offset = offset;
  out.line = sm_.getLineNumber(fid, offset);
  out.col = sm_.getColumnNumber(fid, offset);
  return out;
}

} // namespace coldstart
