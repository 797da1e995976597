// Part of the Extractor (extract.h). Object lifetimes: where an object is stored (storageOf) and how long it lives.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// A variable with static storage or a data member behind `E`, if any. Each step
/// below names the pattern it sees through.
inline const clang::Decl *Extractor::storageOf(const clang::Expr *E) {
  using namespace clang;
  if (!E) return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const Expr *from = copiedFrom(E)) return storageOf(from);
  if (std::optional<const Decl *> d = storageReturnedByReference(E)) return *d;
  if (const Expr *whole = containerOfElement(E)) return storageOf(whole);
  if (auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    return VD ? variableStorage(VD) : nullptr;
  }
  if (auto *ME = dyn_cast<MemberExpr>(E))
    if (auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl())) return memberStorage(ME, FD);
  return nullptr;
}

/// `auto p = g_sqs;` copies the object and `std::atomic_load(&g_sqs)` reads it: the
/// expression they come from (temporaries and copy or move constructions seen through).
inline const clang::Expr *Extractor::copiedFrom(const clang::Expr *E) {
  using namespace clang;
  if (auto *EWC = dyn_cast<ExprWithCleanups>(E)) return EWC->getSubExpr();
  if (auto *BT = dyn_cast<CXXBindTemporaryExpr>(E)) return BT->getSubExpr();
  if (auto *MT = dyn_cast<MaterializeTemporaryExpr>(E)) return MT->getSubExpr();
  if (auto *CE = dyn_cast<CXXConstructExpr>(E);
      CE && CE->getNumArgs() == 1 && CE->getConstructor()->isCopyOrMoveConstructor())
    return CE->getArg(0);
  if (auto *CE = dyn_cast<CallExpr>(E); CE && !isa<CXXMemberCallExpr>(CE) && CE->getNumArgs() >= 1)
    if (const FunctionDecl *FD = CE->getDirectCallee();
        FD && FD->getIdentifier() && inSystem(FD->getLocation()) && cat_.listed("load-functions", FD->getName()))
      if (auto *addr = dyn_cast<UnaryOperator>(CE->getArg(0)->IgnoreParenImpCasts());
          addr && addr->getOpcode() == UO_AddrOf)
        return addr->getSubExpr();
  return nullptr;
}

/// `auto& p = slot();` where the project's slot() returns a reference to one static on
/// every path: that static. Nothing when the call is not such a function.
inline std::optional<const clang::Decl *> Extractor::storageReturnedByReference(const clang::Expr *E) {
  using namespace clang;
  auto *CE = dyn_cast<CallExpr>(E);
  if (!CE || followingReference_ >= 8) return std::nullopt;
  const FunctionDecl *FD = CE->getDirectCallee();
  if (!FD || !FD->getReturnType()->isReferenceType()) return std::nullopt;
  const FunctionDecl *def = FD->getDefinition();
  if (!def || !def->getBody() || inSystem(def->getLocation())) return std::nullopt;
  const Decl *only = nullptr;
  bool mixed = false;
  ++followingReference_;
  std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
    if (!S || mixed || isa<LambdaExpr>(S)) return;
    if (auto *R = dyn_cast<ReturnStmt>(S)) {
      const Decl *d = storageOf(R->getRetValue());
      if (!d || (only && d != only)) mixed = true;
      only = d;
    }
    for (const Stmt *c : S->children()) walk(c);
  };
  walk(def->getBody());
  --followingReference_;
  if (only && !mixed) return only;
  return std::nullopt;
}

/// What `x.get()`, `bool(x)`, `cache.at(k)`, `cache[k]` and `table[i]` reach into: an
/// element of a long-lived container is long-lived.
inline const clang::Expr *Extractor::containerOfElement(const clang::Expr *E) {
  using namespace clang;
  if (auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && (isa<CXXConversionDecl>(M) || (M->getIdentifier() && (cat_.listed("pointer-getters", M->getName()) ||
                                                                   cat_.listed("element-accessors", M->getName())))))
      return MC->getImplicitObjectArgument();
  }
  if (auto *OC = dyn_cast<CXXOperatorCallExpr>(E); OC && OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2)
    return OC->getArg(0);
  if (auto *AS = dyn_cast<ArraySubscriptExpr>(E)) return AS->getBase();
  return nullptr;
}

/// A variable: itself when it has static storage or lives as long as main; what a local
/// reference names (`auto& slot = g_cache[key];`); a non-const reference parameter that
/// every call passes a long-lived object (`lazy(g_s3)`).
inline const clang::Decl *Extractor::variableStorage(const clang::VarDecl *VD) {
  using namespace clang;
  if (VD->hasGlobalStorage()) return VD;
  if (VD->getType()->isReferenceType() && !isa<ParmVarDecl>(VD) && VD->getInit() && followingReference_ < 8) {
    ++followingReference_; // `auto& r = r.at(0);` is legal: never loop
    const clang::Decl *d = storageOf(VD->getInit());
    --followingReference_;
    return d;
  }
  if (livesAsLongAsMain(VD)) return VD;
  // `T& lazy(std::unique_ptr<T>& slot) { if (!slot) slot = ...; }` called only with
  // long-lived slots (`lazy(g_s3)`): the parameter stands for them.
  if (auto *P = dyn_cast<ParmVarDecl>(VD); P && P->getType()->isLValueReferenceType() &&
                                           !P->getType().getNonReferenceType().isConstQualified() &&
                                           followingReference_ < 8)
    if (auto *fn = dyn_cast<FunctionDecl>(P->getDeclContext())) {
      auto it = referenceCalls_.find(patternOf(fn));
      unsigned idx = P->getFunctionScopeIndex();
      bool all = it != referenceCalls_.end() && !it->second.empty();
      ++followingReference_;
      for (const CallExpr *call : all ? it->second : std::vector<const CallExpr *>{}) {
        unsigned shift = isa<CXXOperatorCallExpr>(call) && isa<CXXMethodDecl>(fn) ? 1 : 0;
        all = all && idx + shift < call->getNumArgs() && storageOf(call->getArg(idx + shift));
      }
      --followingReference_;
      if (all) return P;
    }
  return nullptr;
}

/// A member lives as long as its object: `conn_` of a Repo that the handler builds on
/// every invocation is new each time, and so is `req.conn` of a local.
inline const clang::Decl *Extractor::memberStorage(const clang::MemberExpr *ME, const clang::FieldDecl *FD) {
  using namespace clang;
  const Expr *base = ME->getBase()->IgnoreParenImpCasts();
  if (isa<CXXThisExpr>(base))
    return shortLivedClasses_.count(llvm::dyn_cast<CXXRecordDecl>(FD->getParent()->getCanonicalDecl())) ? nullptr : FD;
  if (auto *DRE = dyn_cast<DeclRefExpr>(base))
    if (auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && isShortLivedLocal(VD)) return nullptr;
  return FD;
}

/// `std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), &curl_easy_cleanup)`:
/// an owner whose deleter is a catalog `release` function releases the handle when the
/// owner goes: a release of that owner, where the owner is declared.
inline void Extractor::noteReleasingDeleter(const clang::VarDecl *VD, const clang::Expr *init) {
  using namespace clang;
  if (!frame() || !VD->hasLocalStorage()) return;
  auto *CE = dyn_cast<CXXConstructExpr>(init->IgnoreImplicit());
  if (!CE || CE->getNumArgs() < 2) return;
  for (unsigned i = 1; i < CE->getNumArgs(); ++i) {
    const Expr *a = CE->getArg(i)->IgnoreParenImpCasts();
    if (auto *U = dyn_cast<UnaryOperator>(a); U && U->getOpcode() == UO_AddrOf)
      a = U->getSubExpr()->IgnoreParenImpCasts();
    auto *DRE = dyn_cast<DeclRefExpr>(a);
    auto *FD = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
    const CatalogFunction *entry = FD ? cat_.findFunction(qualifiedName(FD)) : nullptr;
    if (!entry || entry->kind != Kind::Release) continue;
    Site &s = addSite(entry->kind, entry->name, qualifiedName(FD), "deleter", DRE->getBeginLoc());
    s.data["object"] = "var:" + usrOf(VD);
    storeTargets_[coreOf(CE->getArg(0))] = "var:" + usrOf(VD); // the handle it owns
    return;
  }
}

/// A local object of a function other than main (or of main inside a loop): made anew
/// each time its function runs.
inline bool Extractor::isShortLivedLocal(const clang::VarDecl *VD) {
  return VD->hasLocalStorage() && !clang::isa<clang::ParmVarDecl>(VD) && !VD->getType()->isReferenceType() &&
         !VD->getType()->isPointerType() && !livesAsLongAsMain(VD);
}

} // namespace coldstart
