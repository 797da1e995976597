// Part of the Extractor (extract.h). Once-only guards: what the guarded branch does (assigns, builds, empties).
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// A local of main declared outside any loop (main runs once), or an init-capture of a
/// lambda created there: the handler lambda that captures it sees the same object in
/// every invocation, so a guard on it is a once-only guard.
inline bool Extractor::livesAsLongAsMain(const clang::VarDecl *VD) {
  using namespace clang;
  if (isa<ParmVarDecl>(VD)) return false;
  const DeclContext *DC = VD->getDeclContext();
  if (VD->isInitCapture())
    if (auto *MD = dyn_cast<CXXMethodDecl>(DC); MD && MD->getParent()->isLambda())
      DC = MD->getParent()->getDeclContext();
  auto *FD = dyn_cast<FunctionDecl>(DC);
  if (!FD || !FD->isMain() || !FD->getBody()) return false;
  bool inLoop = false;
  std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
    if (!S || inLoop) return;
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S) &&
        sm_.isPointWithin(VD->getLocation(), S->getBeginLoc(), S->getEndLoc()))
      inLoop = true;
    for (const Stmt *c : S->children()) walk(c);
  };
  walk(FD->getBody());
  return !inLoop;
}

/// A constant that leaves an object empty or a flag unset: false, 0, nullptr, {}.
inline bool Extractor::emptyValue(const clang::Expr *E) {
  using namespace clang;
  if (!E) return true;
  E = E->IgnoreParenImpCasts();
  if (E->isValueDependent() || E->containsErrors()) return false;
  if (auto *IL = dyn_cast<InitListExpr>(E)) return IL->getNumInits() == 0;
  if (auto *DRE = dyn_cast<DeclRefExpr>(E);
      DRE && DRE->getDecl()->getIdentifier() && cat_.listed("empty-values", DRE->getDecl()->getName()))
    return true;
  if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E)) return true;
  if (!E->getType()->isScalarType()) return false;
  bool value = true;
  return E->EvaluateAsBooleanCondition(value, ctx_) && !value;
}

/// Whether `S` assigns (or resets, emplaces...) the object `key`.
inline bool Extractor::assigns(const clang::Stmt *S, const clang::Decl *key) {
  using namespace clang;
  if (!S) return false;
  auto isKey = [&](const Expr *E) { return storageOf(E) == key; };
  // `g = false`, `g = nullptr`, `g.store(false)`, `g.reset()` empty the object: a guard
  // that ends that way runs again next time.
  if (auto *BO = dyn_cast<BinaryOperator>(S);
      BO && BO->isAssignmentOp() && isKey(BO->getLHS()) && !emptyValue(BO->getRHS()))
    return true;
  if (auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
      OC && OC->isAssignmentOp() && OC->getNumArgs() == 2 && isKey(OC->getArg(0)) && !emptyValue(OC->getArg(1)))
    return true;
  if (auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getIdentifier() && isKey(MC->getImplicitObjectArgument())) {
      llvm::StringRef n = M->getName();
      if (cat_.listed("filling-methods", n)) return true;
      if (cat_.listed("value-setters", n) && MC->getNumArgs() > 0 && !emptyValue(MC->getArg(0))) return true;
    }
  }
  // `if (!g_s3) init_s3();`: a helper defined here that assigns the object, or
  // `std::atomic_store(&g_sqs, p)`.
  if (auto *CE = dyn_cast<CallExpr>(S)) {
    if (const FunctionDecl *FD = CE->getDirectCallee()) {
      const IdentifierInfo *id = FD->getIdentifier();
      if (id && cat_.listed("store-functions", id->getName()) && CE->getNumArgs() >= 2 && inSystem(FD->getLocation())) {
        auto *addr = dyn_cast<UnaryOperator>(CE->getArg(0)->IgnoreParenImpCasts());
        if (addr && addr->getOpcode() == UO_AddrOf && isKey(addr->getSubExpr()) && !emptyValue(CE->getArg(1)))
          return true;
      }
      const FunctionDecl *def = FD->getDefinition();
      // A helper of the project defined in another file (`init_sqs()` in init.cpp)
      // may set an object it can see: a global with external linkage, or a member
      // of its own class.
      if (!def && !inSystem(FD->getLocation())) {
        if (auto *VD = dyn_cast<VarDecl>(key); VD && VD->isExternallyVisible()) return true;
        if (auto *F = dyn_cast<FieldDecl>(key);
            F && isa<CXXMethodDecl>(FD) &&
            cast<CXXMethodDecl>(FD)->getParent()->getCanonicalDecl() == F->getParent()->getCanonicalDecl())
          return true;
      }
      if (def && def->getBody() && !inSystem(def->getLocation()) && assigningCalls_.size() < 4 &&
          !llvm::is_contained(assigningCalls_, def)) {
        assigningCalls_.push_back(def);
        bool found = assigns(def->getBody(), key);
        assigningCalls_.pop_back();
        if (found) return true;
      }
    }
  }
  for (const Stmt *child : S->children())
    if (assigns(child, key)) return true;
  return false;
}

/// The branch of a lazy-initialisation guard that assigns the long-lived object it
/// tests: the then-branch of `if (!g)`, the else-branch of `if (g)`.
inline const clang::Stmt *Extractor::lazyInitBranch(const clang::IfStmt *S) {
  if (!S->getCond()) return nullptr;
  const clang::Stmt *branch = nullptr;
  const clang::Decl *key = nullptr;
  bool onceWhen = true;
  if ((key = onceOnlyTest(S->getCond(), onceWhen)) && (branch = onceWhen ? S->getThen() : S->getElse())) {
  } else if ((key = insertedNewKey(S->getCond()))) branch = S->getThen();
  else if ((key = testedEmpty(S->getCond())) && assigns(S->getThen(), key)) branch = S->getThen();
  else if (S->getElse() && (key = testedNonEmpty(S->getCond())) && assigns(S->getElse(), key)) branch = S->getElse();
  else if ((key = rebuildGuard(S->getCond(), S->getThen()))) branch = S->getThen();
  // `if (!f.test_and_set()) ...; f.clear();`: a guard whose object the same function
  // always empties again is passed on every invocation. (Emptying it on an error path,
  // so that it is rebuilt, keeps the guard once-only.)
  if (branch && emptiedEveryTime(key)) return nullptr;
  return branch;
}

/// A rebuild guard: a test on a long-lived object other than "is it set"
/// (`PQstatus(g_conn) != CONNECTION_OK`, `g_redis->err`, `curl_easy_perform(g_h) !=
/// CURLE_OK`, `region != g_region`) whose branch sets that object again. The branch
/// runs when the object has become unusable (or its key changed), not every time.
inline const clang::Decl *Extractor::rebuildGuard(const clang::Expr *cond, const clang::Stmt *branch) {
  using namespace clang;
  if (!cond || !branch) return nullptr;
  const Decl *setTest = testedNonEmpty(cond); // `if (g) g = make();` rebuilds every time
  if (!storesClient(branch)) return nullptr;  // `if (last_id != req.id) { last_id = req.id; S3Client c; }`
  for (const Decl *d : testedObjects(cond))
    if (d != setTest && assigns(branch, d)) return d;
  return nullptr;
}

/// Whether `S` stores a client it builds in a long-lived object (`g_conn =
/// PQconnectdb(...)`, `g_s3 = std::make_unique<S3Client>()`, `g_s3.reset(new ...)`).
inline bool Extractor::storesClient(const clang::Stmt *S) {
  using namespace clang;
  if (!S || isa<LambdaExpr>(S)) return false;
  if (auto *BO = dyn_cast<BinaryOperator>(S);
      BO && BO->getOpcode() == BO_Assign && storageOf(BO->getLHS()) && buildsClient(BO->getRHS()))
    return true;
  if (auto *OC = dyn_cast<CXXOperatorCallExpr>(S); OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
                                                   storageOf(OC->getArg(0)) && buildsClient(OC->getArg(1)))
    return true;
  if (auto *MC = dyn_cast<CXXMemberCallExpr>(S); MC && storageOf(MC->getImplicitObjectArgument()))
    for (const Expr *a : MC->arguments())
      if (buildsClient(a)) return true;
  for (const Stmt *c : S->children())
    if (storesClient(c)) return true;
  return false;
}

/// Whether `S` builds a client or connection of the catalog (a construction, `new`,
/// a factory such as `PQconnectdb`, or a construct wrapper such as `make_unique`).
inline bool Extractor::buildsClient(const clang::Stmt *S) {
  using namespace clang;
  if (!S) return false;
  auto isClient = [&](const CXXRecordDecl *RD) {
    const CatalogClass *c = RD ? matchClass(RD) : nullptr;
    return c && (c->kind == Kind::Client || c->kind == Kind::SdkInit);
  };
  if (auto *C = dyn_cast<CXXConstructExpr>(S); C && C->getConstructor() && isClient(C->getConstructor()->getParent()))
    return true;
  if (auto *N = dyn_cast<CXXNewExpr>(S); N && isClient(N->getAllocatedType()->getAsCXXRecordDecl())) return true;
  if (auto *CE = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (const CatalogFunction *f = cat_.findFunction(qualifiedName(FD))) {
        if (f->kind == Kind::Client) return true;
        if (f->kind == Kind::Construct && isClient(templateArgRecord(FD, f->arg < 0 ? 0 : unsigned(f->arg))))
          return true;
      }
  for (const Stmt *c : S->children())
    if (buildsClient(c)) return true;
  return false;
}

/// The long-lived objects an expression reads.
inline std::vector<const clang::Decl *> Extractor::testedObjects(const clang::Expr *cond) {
  using namespace clang;
  std::vector<const Decl *> tested;
  std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
    if (!S || isa<LambdaExpr>(S)) return;
    if (auto *E = dyn_cast<Expr>(S); E && (isa<DeclRefExpr, MemberExpr>(E)))
      if (const Decl *d = storageOf(E); d && !llvm::is_contained(tested, d)) tested.push_back(d);
    for (const Stmt *c : S->children()) walk(c);
  };
  walk(cond);
  return tested;
}

/// Whether the function being walked always empties `key` again, at its top level.
inline bool Extractor::emptiedEveryTime(const clang::Decl *key) {
  if (currentFunction_)
    if (auto *body = llvm::dyn_cast_or_null<clang::CompoundStmt>(currentFunction_->getBody()))
      for (const clang::Stmt *top : body->body())
        if (auto *E = llvm::dyn_cast_or_null<clang::Expr>(top); E && emptiesAlways(E, key)) return true;
  return false;
}

/// Whether the expression `S` empties `key`: `clear()`, `reset()`, `store(false)`,
/// `= nullptr`, `= false` (not inside a lambda it merely creates).
inline bool Extractor::emptiesAlways(const clang::Stmt *S, const clang::Decl *key) {
  using namespace clang;
  if (!S || isa<LambdaExpr>(S) || isa<ConditionalOperator>(S) || isa<BinaryConditionalOperator>(S)) return false;
  if (auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isLogicalOp()) return emptiesAlways(BO->getLHS(), key);
  auto isKey = [&](const Expr *E) { return storageOf(E) == key; };
  if (auto *BO = dyn_cast<BinaryOperator>(S);
      BO && BO->getOpcode() == BO_Assign && isKey(BO->getLHS()) && emptyValue(BO->getRHS()))
    return true;
  if (auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
      OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 && isKey(OC->getArg(0)) && emptyValue(OC->getArg(1)))
    return true;
  if (auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getIdentifier() && isKey(MC->getImplicitObjectArgument())) {
      StringRef n = M->getName();
      if (cat_.listed("emptying-methods", n)) return true;
      if ((cat_.listed("value-setters", n) || cat_.listed("exchanging-methods", n)) &&
          (MC->getNumArgs() == 0 || emptyValue(MC->getArg(0))))
        return true;
    }
  }
  for (const Stmt *child : S->children())
    if (emptiesAlways(child, key)) return true;
  return false;
}

/// `auto [it, inserted] = cache.try_emplace(k); if (inserted) ...` (or `r.second` of
/// a local result): the branch runs once per key of a long-lived cache.
inline const clang::Decl *Extractor::insertedNewKey(const clang::Expr *E) {
  using namespace clang;
  E = withoutExpect(E);
  const Expr *init = nullptr;
  if (auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    auto *BD = dyn_cast<BindingDecl>(DRE->getDecl());
    auto *DD = BD ? dyn_cast_or_null<DecompositionDecl>(BD->getDecomposedDecl()) : nullptr;
    if (!DD || DD->bindings().size() != 2 || DD->bindings()[1] != BD) return nullptr;
    init = DD->getInit();
  } else if (auto *ME = dyn_cast<MemberExpr>(E)) {
    const IdentifierInfo *name = ME->getMemberDecl()->getIdentifier();
    if (name && cat_.listed("inserted-flags", name->getName()))
      if (const VarDecl *local = snapshotLocal(ME->getBase())) init = local->getInit();
  }
  if (!init) return nullptr;
  auto *MC = dyn_cast<CXXMemberCallExpr>(stripForFlow(init));
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier()) return nullptr;
  StringRef n = M->getName();
  if (!cat_.listed("key-inserting-methods", n)) return nullptr;
  return storageOf(MC->getImplicitObjectArgument());
}

/// A test of a read-modify-write on a long-lived object that at most one caller can
/// see come out one way: a flag that is only ever set (`!g.exchange(true)`,
/// `!f.test_and_set()`, `g.compare_exchange_strong(expected = false, true)`) or a
/// counter that only grows (`calls++ == 0`, `g.fetch_add(1) == 0`, `++n == 1`).
/// Returns the object; `onceWhen` is the value of the test that at most one caller
/// sees (false for `if (g.exchange(true)) return;`, which lets only the first on).
inline const clang::Decl *Extractor::onceOnlyTest(const clang::Expr *E, bool &onceWhen) {
  using namespace clang;
  E = withoutExpect(E);
  if (auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) {
    const Decl *d = onceOnlyTest(UO->getSubExpr(), onceWhen);
    onceWhen = !onceWhen;
    return d;
  }
  const Expr *L = nullptr, *R = nullptr;
  bool equal = true;
  if (auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->isEqualityOp())
    L = BO->getLHS(), R = BO->getRHS(), equal = BO->getOpcode() == BO_EQ;
  else if (auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
           OC && OC->getNumArgs() == 2 && (OC->getOperator() == OO_EqualEqual || OC->getOperator() == OO_ExclaimEqual))
    L = OC->getArg(0), R = OC->getArg(1), equal = OC->getOperator() == OO_EqualEqual;
  else if (auto *RB = dyn_cast<CXXRewrittenBinaryOperator>(E)) {
    auto form = RB->getDecomposedForm();
    if (form.Opcode != BO_EQ && form.Opcode != BO_NE) return nullptr;
    L = form.LHS, R = form.RHS, equal = form.Opcode == BO_EQ;
  }
  ReadKind kind;
  if (!L) { // the value itself
    const Decl *d = readModifyWrite(E, kind);
    onceWhen = kind == ReadKind::Succeeded;
    return d;
  }
  for (auto [x, c] : {std::pair{L, R}, std::pair{R, L}}) {
    const Decl *d = readModifyWrite(x, kind);
    llvm::APSInt value;
    if (!d || !constantInt(c, value)) continue;
    // A growing counter equals any constant at most once; a set-only flag reads clear
    // at most once (`old == false`) and set for everyone after (`old == true`).
    onceWhen =
        kind == ReadKind::Counter ? equal : (equal == (kind == ReadKind::Flag ? value.isZero() : !value.isZero()));
    return d;
  }
  return nullptr;
}

inline bool Extractor::constantInt(const clang::Expr *E, llvm::APSInt &value) {
  E = E->IgnoreParenImpCasts();
  if (E->isValueDependent() || E->containsErrors() || !E->getType()->isIntegralOrEnumerationType()) return false;
  clang::Expr::EvalResult r;
  if (!E->EvaluateAsInt(r, ctx_)) return false;
  value = r.Val.getInt();
  return true;
}

/// The long-lived object a read-modify-write in `E` updates, and what it returns.
inline const clang::Decl *Extractor::readModifyWrite(const clang::Expr *E, ReadKind &kind) {
  using namespace clang;
  E = E->IgnoreParenImpCasts();
  kind = ReadKind::Counter;
  if (auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->isIncrementOp() && UO->getType()->isIntegerType())
    return storageOf(UO->getSubExpr());
  if (auto *OC = dyn_cast<CXXOperatorCallExpr>(E); OC && OC->getOperator() == OO_PlusPlus && OC->getNumArgs() >= 1)
    return storageOf(OC->getArg(0)); // std::atomic<int>: `g++`, `++g`
  auto *MC = dyn_cast<CXXMemberCallExpr>(E);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier()) return nullptr;
  StringRef n = M->getName();
  llvm::APSInt v;
  const Decl *key = storageOf(MC->getImplicitObjectArgument());
  if (cat_.listed("counter-increments", n))
    return MC->getNumArgs() > 0 && constantInt(MC->getArg(0), v) && v.isStrictlyPositive() ? key : nullptr;
  kind = ReadKind::Flag;
  if (cat_.listed("flag-setting-tests", n)) return key;
  if (cat_.listed("exchanging-methods", n))
    return MC->getNumArgs() > 0 && constantInt(MC->getArg(0), v) && !v.isZero() ? key : nullptr;
  if (cat_.listed("compare-exchanges", n)) {
    // Succeeds (true) only while the flag still holds `expected`, and then sets it.
    const VarDecl *expected = MC->getNumArgs() >= 2 ? snapshotLocal(MC->getArg(0)) : nullptr;
    llvm::APSInt from, to;
    if (!expected || !constantInt(expected->getInit(), from) || !constantInt(MC->getArg(1), to) ||
        llvm::APSInt::isSameValue(from, to))
      return nullptr;
    kind = ReadKind::Succeeded;
    return key;
  }
  return nullptr;
}

/// `if (g) return g;` on a long-lived object: what follows runs once if it assigns the
/// object (or, with `passesOnce` set, whatever it does).
inline const clang::Decl *Extractor::earlyReturnGuard(const clang::IfStmt *S, bool &passesOnce) {
  passesOnce = false;
  using namespace clang;
  if (!S->getCond() || S->getElse()) return nullptr;
  const Stmt *then = S->getThen();
  if (auto *CS = dyn_cast<CompoundStmt>(then); CS && CS->size() == 1) then = CS->body_front();
  if (!isa<ReturnStmt>(then)) return nullptr;
  // `if (g.exchange(true)) return;`: only the first caller goes on, whatever follows.
  bool onceWhen = true;
  if (const Decl *key = onceOnlyTest(S->getCond(), onceWhen); key && !onceWhen) {
    if (emptiedEveryTime(key)) return nullptr;
    passesOnce = true;
    return key;
  }
  if (const Decl *key = testedNonEmpty(S->getCond())) return key;
  // `if (ch && ch->WaitForConnected(t)) return ch; ch = make();`: what follows rebuilds
  // the object only when the test on it fails.
  std::vector<const Decl *> tested = testedObjects(S->getCond());
  return tested.empty() ? nullptr : tested.front();
}

} // namespace coldstart
