// Part of the Extractor (extract.h). Calls that did not resolve because a header was missing (see recovery.h).
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

//
// With a header missing, `work(order)` (an argument of an undeclared type) and
// `run_handler([&](...) { ... })` (a lambda whose return statement names an undeclared
// function, so it no longer converts) are kept by clang as recovery expressions that
// still name their callee. When every candidate of that name is one function, the call
// is certain, only its arguments are not: it is an edge, and a registration stays a
// registration. Calls that name several overloads are not guessed at.
/// The one function a recovered call names, or null.
inline const clang::FunctionDecl *Extractor::recoveredCallee(const clang::Expr *callee) {
  using namespace clang;
  auto *ULE = dyn_cast_or_null<UnresolvedLookupExpr>(callee ? callee->IgnoreParenImpCasts() : nullptr);
  if (!ULE || ULE->getNumDecls() == 0) return nullptr;
  const FunctionDecl *only = nullptr;
  for (const NamedDecl *D : ULE->decls()) {
    const FunctionDecl *FD = D->getAsFunction();
    if (!FD) return nullptr;
    FD = FD->getCanonicalDecl();
    if (only && only != FD) return nullptr;
    only = FD;
  }
  return only;
}

/// The catalog's registration function that all candidates of a recovered call name
/// (every overload of run_handler is run_handler), or null.
inline const CatalogFunction *Extractor::recoveredRegistration(const clang::Expr *callee) {
  using namespace clang;
  auto *ULE = dyn_cast_or_null<UnresolvedLookupExpr>(callee ? callee->IgnoreParenImpCasts() : nullptr);
  if (!ULE || ULE->getNumDecls() == 0) return nullptr;
  std::string name;
  for (const NamedDecl *D : ULE->decls()) {
    const FunctionDecl *FD = D->getAsFunction();
    if (!FD) return nullptr;
    std::string q = qualifiedName(FD);
    if (!name.empty() && q != name) return nullptr;
    name = q;
  }
  const CatalogFunction *entry = cat_.findFunction(name);
  return entry && entry->kind == Kind::RegisterHandler ? entry : nullptr;
}

inline void Extractor::noteRecoveredCall(const clang::Expr *callee, llvm::ArrayRef<const clang::Expr *> args,
                                         clang::SourceLocation loc) {
  if (!frame()) return;
  if (const CatalogFunction *reg = recoveredRegistration(callee)) {
    unsigned arg = reg->arg < 0 ? 0 : unsigned(reg->arg);
    if (arg < args.size()) registrations_.push_back({args[arg], loc, reg->name});
    return;
  }
  if (const clang::FunctionDecl *FD = recoveredCallee(callee))
    if (!cat_.findFunction(qualifiedName(FD))) addEdgeTo(FD, loc, EdgeKind::Call);
}

inline bool Extractor::TraverseRecoveryExpr(clang::RecoveryExpr *E) {
  auto subs = E->subExpressions();
  if (!subs.empty())
    noteRecoveredCall(subs.front(), llvm::ArrayRef<const clang::Expr *>(subs.data() + 1, subs.size() - 1),
                      E->getBeginLoc());
  return Base::TraverseRecoveryExpr(E);
}

inline bool Extractor::TraverseCXXMemberCallExpr(clang::CXXMemberCallExpr *CE) {
  return traverseCall(CE, [&] { return Base::TraverseCXXMemberCallExpr(CE); });
}

inline bool Extractor::TraverseCXXOperatorCallExpr(clang::CXXOperatorCallExpr *CE) {
  return traverseCall(CE, [&] { return Base::TraverseCXXOperatorCallExpr(CE); });
}

inline bool Extractor::VisitDeclRefExpr(clang::DeclRefExpr *E) {
  using namespace clang;
  if (!frame()) return true;
  const ValueDecl *D = E->getDecl();
  if (auto *VD = dyn_cast<VarDecl>(D); VD && markerVars_.count(VD)) frame()->fn().mentionsNextUrl = true;
  if (calleeRefs_.count(E)) return true;
  // A function whose address is taken here is assumed to be called from here, unless
  // it is handed to a function that decides (see noteStoredArgs).
  if (auto *FD = dyn_cast<FunctionDecl>(D); FD && !handedOn_.count(E)) {
    auto slot = argSlots_.find(E);
    addEdgeTo(FD, E->getBeginLoc(), EdgeKind::Reference, slot == argSlots_.end() ? "" : slot->second);
  }
  return true;
}

inline void Extractor::noteArgSlots(const clang::CallExpr *CE, const clang::FunctionDecl *FD) {
  using namespace clang;
  if (!FD || isa<CXXOperatorCallExpr>(CE) || inSystem(FD->getLocation()) || FD->getBuiltinID()) return;
  for (unsigned i = 0; i < CE->getNumArgs(); ++i) {
    const Expr *a = CE->getArg(i)->IgnoreParenImpCasts();
    if (auto *U = dyn_cast<UnaryOperator>(a); U && U->getOpcode() == UO_AddrOf)
      a = U->getSubExpr()->IgnoreParenImpCasts();
    if (auto *DRE = dyn_cast<DeclRefExpr>(a); DRE && isa<FunctionDecl>(DRE->getDecl()))
      argSlots_[DRE] = idOf(patternOf(FD)) + "#" + std::to_string(i);
  }
}

} // namespace coldstart
