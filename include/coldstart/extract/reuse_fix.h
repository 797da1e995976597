// Part of the Extractor (extract.h). The fix that reuses a handle created and released
// within one invocation (a curl easy handle): the handle is kept for the thread, reset
// before each use with the catalog's `Reset` function, and its release calls go.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// Offers the reuse fix for a handle-returning client with a catalog `Reset` function
/// when the handle is a block-level local of its own that does not escape (every use is
/// the first argument of a C library call, or a null test) and every release of it is a
/// statement of its own. The handle becomes thread-local, which is the same as static
/// on Lambda's one thread and safe where a framework runs handlers on several.
inline void Extractor::offerReuseFix(Site &site, const clang::VarDecl *VD, const clang::DeclStmt *DS,
                                     const CatalogFunction &entry) {
  using namespace clang;
  std::string name = VD->getName().str();
  if (!DS || !blockLevelDecls_.count(DS) || !VD->isLocalVarDecl() || VD->isStaticLocal())
    return refuseFix(site, "its declaration is not a statement of a block");
  if (!VD->getType()->isPointerType() || !DS->isSingleDecl())
    return refuseFix(site, "'" + name + "' is not declared alone as the handle itself");
  if (DS->getBeginLoc().isMacroID() || DS->getEndLoc().isMacroID())
    return refuseFix(site, "its declaration is written in a macro");
  const FunctionDecl *fn = enclosingFunction(VD);
  auto end = site.locs.find("stmt-end");
  if (!fn || !fn->getBody() || end == site.locs.end())
    return refuseFix(site, "no statement can be added after its declaration");
  const FunctionDecl *reset = nullptr;
  for (const NamedDecl *D : ctx_.getTranslationUnitDecl()->lookup(&ctx_.Idents.get(entry.reset)))
    if (auto *F = dyn_cast<FunctionDecl>(D)) reset = F;
  if (!reset) return refuseFix(site, "'" + entry.reset + "' is not declared here");
  std::vector<const CallExpr *> releases;
  if (std::string why = handleEscapes(fn->getBody(), VD, reset, releases); !why.empty())
    return refuseFix(site, "'" + name + "' " + why);
  Fix fix;
  if (!reuseDeclaration(VD, DS, site, entry.reset, fix))
    return refuseFix(site, "its declaration cannot be rewritten as written");
  for (const CallExpr *release : releases) {
    Replacement r;
    if (!releaseRemoval(release, r)) return refuseFix(site, "a release of '" + name + "' cannot be removed as written");
    fix.replacements.push_back(r);
  }
  fix.description = "reuse '" + name + "' across invocations: keep it for the thread, call " + entry.reset +
                    " before each use" + (releases.empty() ? "" : ", and drop its release");
  scopeFix(fix);
  site.fixes.push_back(fix);
}

/// The declaration kept for the thread, and the reset before use. C++ initialises a
/// thread_local local once; C allows no call in a static's initialiser, so there the
/// handle starts null and is created by the first use.
inline bool Extractor::reuseDeclaration(const clang::VarDecl *VD, const clang::DeclStmt *DS, Site &site,
                                        const std::string &reset, Fix &fix) {
  using namespace clang;
  const LangOptions &lo = ctx_.getLangOpts();
  std::string name = VD->getName().str(), indent = "\n" + site.data["indent"];
  Loc b = toLoc(DS->getBeginLoc()), e = site.locs.at("stmt-end");
  if (lo.CPlusPlus) {
    fix.replacements.push_back(Replacement{b.file, b.offset, 0, "thread_local ", b.line, b.col});
    std::string call = indent + "if (" + name + ") " + reset + "(" + name + ");";
    fix.replacements.push_back(Replacement{e.file, e.offset, 0, call, e.line, e.col});
    return true;
  }
  SourceLocation nameEnd = Lexer::getLocForEndOfToken(VD->getLocation(), 0, sm_, lo);
  SourceLocation initEnd = Lexer::getLocForEndOfToken(VD->getEndLoc(), 0, sm_, lo);
  std::string initText = text(nameEnd, initEnd);
  llvm::StringRef init = llvm::StringRef(initText).trim();
  if (!init.consume_front("=") || VD->getInitStyle() != VarDecl::CInit) return false;
  Loc n = toLoc(nameEnd), ie = toLoc(initEnd);
  if (!n.valid() || !ie.valid() || ie.offset < n.offset) return false;
  fix.replacements.push_back(
      Replacement{b.file, b.offset, 0, lo.C11 ? "static _Thread_local " : "static ", b.line, b.col});
  fix.replacements.push_back(Replacement{n.file, n.offset, ie.offset - n.offset, "", n.line, n.col});
  std::string call = indent + "if (" + name + ") " + reset + "(" + name + ");" + indent + "else " + name + " = " +
                     init.trim().str() + ";";
  fix.replacements.push_back(Replacement{e.file, e.offset, 0, call, e.line, e.col});
  return true;
}

/// Why the handle cannot be kept (it is passed on, stored, assigned, or released inside
/// another statement), or empty; `releases` gets its release calls. The handle's own API
/// is the functions declared in the same header as its `reset` function.
inline std::string Extractor::handleEscapes(const clang::Stmt *body, const clang::VarDecl *VD,
                                            const clang::FunctionDecl *reset,
                                            std::vector<const clang::CallExpr *> &releases) {
  using namespace clang;
  std::string why;
  std::vector<const Stmt *> parents;
  std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
    if (!S || !why.empty()) return;
    if (auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && DRE->getDecl() == VD)
      why = handleUse(DRE, parents, reset, releases);
    parents.push_back(S);
    for (const Stmt *child : S->children()) walk(child);
    parents.pop_back();
  };
  walk(body);
  return why;
}

/// One use of the handle: empty when it stays in place (the first argument of a function
/// of its API, a null test), else what it does.
inline std::string Extractor::handleUse(const clang::DeclRefExpr *DRE, const std::vector<const clang::Stmt *> &parents,
                                        const clang::FunctionDecl *reset,
                                        std::vector<const clang::CallExpr *> &releases) {
  using namespace clang;
  const Stmt *child = DRE;
  auto it = parents.rbegin();
  for (; it != parents.rend() && (isa<ImplicitCastExpr>(*it) || isa<ParenExpr>(*it)); child = *it, ++it)
    if (auto *IC = dyn_cast<ImplicitCastExpr>(*it); IC && IC->getCastKind() == CK_PointerToBoolean) return "";
  if (it == parents.rend()) return "is used in a way the tool cannot follow";
  const Stmt *P = *it;
  if (auto *U = dyn_cast<UnaryOperator>(P); U && U->getOpcode() == UO_LNot) return "";
  if (auto *BO = dyn_cast<BinaryOperator>(P); BO && BO->isEqualityOp()) return "";
  auto *CE = dyn_cast<CallExpr>(P);
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!FD || CE->getNumArgs() == 0 || CE->getArg(0)->IgnoreParenImpCasts() != DRE)
    return isa<BinaryOperator>(P) && cast<BinaryOperator>(P)->isAssignmentOp() ? "is assigned to" : "is passed on";
  auto header = [&](const FunctionDecl *F) { return sm_.getFileID(sm_.getExpansionLoc(F->getLocation())); };
  if (isa<CXXMethodDecl>(FD) || header(FD->getFirstDecl()) != header(reset->getFirstDecl()))
    return "is passed to '" + displayName(FD) + "', which may keep it";
  const CatalogFunction *f = cat_.findFunction(qualifiedName(FD));
  if (!f || f->kind != Kind::Release) return "";
  // Releasing it must be a statement of its own, so that removing it leaves the rest.
  auto stmt = std::next(it);
  if (stmt == parents.rend() || !isa<CompoundStmt>(*stmt)) return "is released inside another statement";
  releases.push_back(CE);
  return "";
}

/// The replacement that removes a release statement: its whole line when nothing else
/// is on it, else the statement alone.
inline bool Extractor::releaseRemoval(const clang::CallExpr *CE, Replacement &r) {
  using namespace clang;
  if (CE->getBeginLoc().isMacroID() || CE->getEndLoc().isMacroID()) return false;
  Loc b = toLoc(CE->getBeginLoc());
  Loc e = toLoc(Lexer::getLocForEndOfToken(CE->getEndLoc(), 0, sm_, ctx_.getLangOpts()));
  if (!b.valid() || !e.valid() || b.file != e.file || e.offset < b.offset) return false;
  llvm::StringRef buf = sm_.getBufferData(sm_.getFileID(sm_.getFileLoc(CE->getBeginLoc())));
  size_t end = e.offset;
  while (end < buf.size() && (buf[end] == ' ' || buf[end] == '\t')) ++end;
  if (end >= buf.size() || buf[end] != ';') return false;
  ++end;
  size_t lineStart = b.offset - (b.col - 1), after = end;
  while (after < buf.size() && (buf[after] == ' ' || buf[after] == '\t' || buf[after] == '\r')) ++after;
  bool alone = buf.substr(lineStart, b.offset - lineStart).find_first_not_of(" \t") == llvm::StringRef::npos &&
               (after == buf.size() || buf[after] == '\n');
  size_t from = alone ? lineStart : b.offset, to = alone ? std::min(after + 1, buf.size()) : end;
  r = Replacement{b.file, unsigned(from), unsigned(to - from), "", b.line, alone ? 1u : b.col};
  return true;
}

} // namespace coldstart
