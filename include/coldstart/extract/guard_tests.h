// Part of the Extractor (extract.h). Once-only guards: the tests of a lazy-initialisation guard (is the object empty?).
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// The long-lived object (a variable with static storage, or a data member) that
/// `E` tests for emptiness (`!x`, `x == nullptr`, `!x.has_value()`, `x.empty()`).
/// `!!x` is `x`.
inline const clang::Expr *Extractor::withoutDoubleNegation(const clang::Expr *E) {
  while (true) {
    auto *outer = llvm::dyn_cast<clang::UnaryOperator>(E->IgnoreParenImpCasts());
    if (!outer || outer->getOpcode() != clang::UO_LNot) return E->IgnoreParenImpCasts();
    auto *inner = llvm::dyn_cast<clang::UnaryOperator>(outer->getSubExpr()->IgnoreParenImpCasts());
    if (!inner || inner->getOpcode() != clang::UO_LNot) return E->IgnoreParenImpCasts();
    E = inner->getSubExpr();
  }
}

/// `__builtin_expect(!g, 0)` (what LIKELY/UNLIKELY macros expand to) tests `!g`.
inline const clang::Expr *Extractor::withoutExpect(const clang::Expr *E) {
  E = E->IgnoreImplicit()->IgnoreParenImpCasts()->IgnoreImplicit(); // also `g.load()` of a shared_ptr temporary
  while (auto *CE = llvm::dyn_cast<clang::CallExpr>(E)) {
    unsigned id = CE->getBuiltinCallee();
    if ((id != clang::Builtin::BI__builtin_expect && id != clang::Builtin::BI__builtin_expect_with_probability) ||
        CE->getNumArgs() == 0)
      break;
    E = CE->getArg(0)->IgnoreParenImpCasts();
  }
  return E;
}

inline const clang::Decl *Extractor::testedEmpty(const clang::Expr *E) {
  using namespace clang;
  E = withoutExpect(E);
  if (auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) return testedNonEmpty(UO->getSubExpr());
  if (auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->getOpcode() == BO_LAnd || BO->getOpcode() == BO_LOr) {
      if (const Decl *d = testedEmpty(BO->getLHS())) return d;
      return testedEmpty(BO->getRHS());
    }
    if (BO->getOpcode() == BO_EQ) return comparedWithNull(BO->getLHS(), BO->getRHS());
  }
  if (auto *OC = dyn_cast<CXXOperatorCallExpr>(E); OC && OC->getOperator() == OO_EqualEqual && OC->getNumArgs() == 2)
    return comparedWithNull(OC->getArg(0), OC->getArg(1));
  if (auto *RB = dyn_cast<CXXRewrittenBinaryOperator>(E)) { // C++20: `nullptr == p` reversed
    auto form = RB->getDecomposedForm();
    if (form.Opcode == BO_EQ) return comparedWithNull(form.LHS, form.RHS);
  }
  if (auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getIdentifier() && cat_.listed("emptiness-tests", M->getName()))
      return storageOf(MC->getImplicitObjectArgument());
  }
  return nullptr;
}

/// The long-lived object that `E` tests for being set (`x`, `x != nullptr`, `x.has_value()`).
inline const clang::Decl *Extractor::testedNonEmpty(const clang::Expr *E) {
  using namespace clang;
  E = withoutExpect(E);
  if (auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) // `!!p`, `!!(!p)`
    return testedEmpty(UO->getSubExpr());
  if (auto *SC = dyn_cast<CXXStaticCastExpr>(E); SC && SC->getType()->isBooleanType()) // static_cast<bool>(p)
    return testedNonEmpty(SC->getSubExpr());
  if (auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    // x.has_value(), x.get(), operator bool; a cache of clients: cache.contains(k), cache.count(k)
    if (M && (isa<CXXConversionDecl>(M) || (M->getIdentifier() && cat_.listed("presence-tests", M->getName())))) {
      if (const Decl *d = storageOf(MC->getImplicitObjectArgument())) return d;
      // `auto p = g_sqs; if (!p)`: a local copy of a smart pointer tests the original.
      if (isa<CXXConversionDecl>(M) || cat_.listed("pointer-getters", M->getName()))
        if (const VarDecl *local = snapshotLocal(MC->getImplicitObjectArgument()); local && followingReference_ < 8) {
          ++followingReference_;
          const Decl *d = testedNonEmpty(local->getInit());
          --followingReference_;
          return d;
        }
    }
    return nullptr;
  }
  if (auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->getOpcode() == BO_NE)
    return comparedWithNull(BO->getLHS(), BO->getRHS());
  if (auto *OC = dyn_cast<CXXOperatorCallExpr>(E); OC && OC->getOperator() == OO_ExclaimEqual && OC->getNumArgs() == 2)
    return comparedWithNull(OC->getArg(0), OC->getArg(1));
  if (auto *RB = dyn_cast<CXXRewrittenBinaryOperator>(E)) { // C++20: `p != nullptr` is `!(p == nullptr)`
    auto form = RB->getDecomposedForm();
    if (form.Opcode == BO_NE) return comparedWithNull(form.LHS, form.RHS);
    return nullptr;
  }
  if (const Decl *d = storageOf(E)) return d;
  // `T* p = g.load(); if (!p) { ...; g.store(p); }` (double-checked locking): a local
  // copy of the long-lived object tests that object.
  if (const VarDecl *local = snapshotLocal(E); local && followingReference_ < 8) {
    ++followingReference_;
    const Decl *d = testedNonEmpty(local->getInit());
    --followingReference_;
    return d;
  }
  return nullptr;
}

/// A local variable (not a parameter, reference or static) named by `E`, with an
/// initialiser.
inline const clang::VarDecl *Extractor::snapshotLocal(const clang::Expr *E) {
  auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(E->IgnoreParenImpCasts());
  auto *VD = DRE ? llvm::dyn_cast<clang::VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || llvm::isa<clang::ParmVarDecl>(VD) || !VD->hasLocalStorage() || VD->getType()->isReferenceType() ||
      !VD->getInit())
    return nullptr;
  return VD;
}

inline const clang::Decl *Extractor::comparedWithNull(const clang::Expr *L, const clang::Expr *R) {
  auto isNull = [&](const clang::Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (llvm::isa<clang::CXXNullPtrLiteralExpr>(E) || llvm::isa<clang::GNUNullExpr>(E)) return true;
    if (auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(E))
      if (DRE->getDecl()->getIdentifier() && cat_.listed("empty-values", DRE->getDecl()->getName())) return true;
    return E->isNullPointerConstant(ctx_, clang::Expr::NPC_ValueDependentIsNotNull) != clang::Expr::NPCK_NotNull;
  };
  if (isNull(R)) return testedNonEmpty(L);
  if (isNull(L)) return testedNonEmpty(R);
  // A cache of clients: `cache.find(k) == cache.end()` tests the entry for k.
  auto containerOf = [&](const clang::Expr *E, llvm::StringRef method) -> const clang::Decl * {
    // `if (auto it = cache.find(k); it == cache.end())`: the iterator's initialiser.
    if (const clang::VarDecl *local = snapshotLocal(E)) E = local->getInit();
    auto *MC = llvm::dyn_cast<clang::CXXMemberCallExpr>(stripForFlow(E));
    const clang::CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    if (!M || !M->getIdentifier() || M->getName() != method) return nullptr;
    return storageOf(MC->getImplicitObjectArgument());
  };
  for (auto [a, b] : {std::pair{L, R}, std::pair{R, L}})
    for (const std::string &lookup : cat_.names("key-lookups"))
      for (const std::string &end : cat_.names("lookup-ends"))
        if (const clang::Decl *d = containerOf(a, lookup); d && d == containerOf(b, end)) return d;
  return nullptr;
}

} // namespace coldstart
