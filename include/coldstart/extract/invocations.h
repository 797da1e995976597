// Part of the Extractor (extract.h). Asynchronous invocations (InvocationType::Event) and futures waited on at once.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// Lambda Invoke: asynchronous when the request's invocation type is set to Event
/// (on the request, in its initialiser, through a chain of With... setters, by a
/// helper it is passed to, or by the function that returns it), or when it is set to
/// something we cannot evaluate. Requests from elsewhere are unknown: not reported.
inline bool Extractor::invokesAsynchronously(const clang::CallExpr *CE, const CatalogFunction &entry) {
  using namespace clang;
  if (hasTag(entry, "future") && !waitedImmediately(CE)) return true;
  if (entry.arg < 0 || unsigned(entry.arg) >= CE->getNumArgs()) return true;
  const Expr *req = stripForFlow(CE->getArg(unsigned(entry.arg)));
  int verdict = invocationTypeIn(req); // 1 event/unknown, 0 sync, -1 not set
  if (verdict >= 0) return verdict == 1;
  if (isa<CXXConstructExpr>(req)) return false; // a fresh request, never set: synchronous
  if (auto *call = dyn_cast<CallExpr>(req)) return returnedRequestIsAsync(call);
  // A local request, or a member of one (`job.req`): look at everything done to it in
  // the function that declares it.
  return localRequestIsAsync(req, CE, 0);
}

/// A local request, or a member of one (`job.req`): everything done to it in the
/// function that declares it, through references and pointers to it
/// (`InvokeRequest& r = req;`), and what was done to the request it was copied from
/// (`InvokeRequest r = base;`).
inline bool Extractor::localRequestIsAsync(const clang::Expr *req, const clang::CallExpr *CE, int depth) {
  using namespace clang;
  const VarDecl *VD = localRoot(req);
  if (!VD || depth > 4) return true; // a parameter, a global, a member of *this: built elsewhere
  const Expr *copiedFrom = nullptr;
  if (VD->getInit() && isa<DeclRefExpr>(stripForFlow(req))) {
    const Expr *init = stripForFlow(VD->getInit());
    int v = invocationTypeIn(init);
    if (v >= 0) return v == 1;
    if (auto known = requestSourceIsAsync(init, copiedFrom)) return *known;
  }
  const FunctionDecl *fn = enclosingFunction(VD);
  if (!fn || !fn->getBody()) return true;
  auto same = [&](const Expr *E) { return sameObject(withoutLocalAlias(E), req); };
  bool asyncSeen = false;
  std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
    if (!S || asyncSeen) return;
    if (auto *MC = dyn_cast<CXXMemberCallExpr>(S); MC && same(setterChainRoot(MC)))
      if (invocationTypeIn(MC) == 1) asyncSeen = true;
    // `r = make_async("audit");`: assigned from a factory that sets Event.
    if (auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 && same(OC->getArg(0))) {
      const Expr *ignored = nullptr;
      if (invocationTypeIn(OC->getArg(1)) == 1 ||
          requestSourceIsAsync(stripForFlow(OC->getArg(1)), ignored).value_or(false))
        asyncSeen = true;
    }
    if (auto *call = dyn_cast<CallExpr>(S); call && call != CE)
      if (const FunctionDecl *callee = call->getDirectCallee())
        for (unsigned i = 0; i < call->getNumArgs(); ++i)
          if (same(call->getArg(i)) && helperSetsEvent(callee, i)) asyncSeen = true;
    for (const Stmt *c : S->children()) walk(c);
  };
  walk(fn->getBody());
  if (!asyncSeen && copiedFrom) return localRequestIsAsync(copiedFrom, CE, depth + 1);
  return asyncSeen;
}

/// What a request's initialiser says about its invocation type: a factory's result
/// (`make_request(...)`, `notifier.make(...)`, also with `With...` setters after it,
/// braced, moved, or either arm of a conditional), as `returnedRequestIsAsync`; a
/// fresh request (nothing: the function's own setters decide). A copy of another
/// local request sets `copiedFrom`.
inline std::optional<bool> Extractor::requestSourceIsAsync(const clang::Expr *E, const clang::Expr *&copiedFrom) {
  using namespace clang;
  for (int i = 0; E && i < 8; ++i) {
    E = stripForFlow(E);
    if (auto *IL = dyn_cast<InitListExpr>(E); IL && IL->getNumInits() == 1) {
      E = IL->getInit(0);
      continue;
    }
    if (auto *C = dyn_cast<CXXConstructExpr>(E);
        C && C->getNumArgs() == 1 && C->getConstructor()->isCopyOrMoveConstructor()) {
      E = C->getArg(0);
      continue;
    }
    if (auto *CO = dyn_cast<AbstractConditionalOperator>(E)) {
      const Expr *ignored = nullptr;
      auto a = requestSourceIsAsync(CO->getTrueExpr(), ignored), b = requestSourceIsAsync(CO->getFalseExpr(), ignored);
      if (a && b) return *a && *b;
      return std::nullopt;
    }
    if (auto *call = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *callee = call->getDirectCallee();
      if (callee && callee->getIdentifier() && cat_.listed("argument-forwarding-functions", callee->getName()) &&
          call->getNumArgs() == 1 && inSystem(callee->getLocation())) {
        E = call->getArg(0);
        continue;
      }
      // `make_async(f).WithFunctionName(g)`: the setters return the same request.
      if (auto *MC = dyn_cast<CXXMemberCallExpr>(call); MC && callee && callee->getReturnType()->isReferenceType()) {
        E = setterChainRoot(MC);
        continue;
      }
      return returnedRequestIsAsync(call);
    }
    if (isa<DeclRefExpr, MemberExpr>(E)) copiedFrom = E;
    return std::nullopt;
  }
  return std::nullopt;
}

/// `r` declared as `InvokeRequest& r = req;` or `InvokeRequest* r = &req;`: `req`.
inline const clang::Expr *Extractor::withoutLocalAlias(const clang::Expr *E) {
  using namespace clang;
  for (int i = 0; i < 4; ++i) {
    auto *DRE = dyn_cast_or_null<DeclRefExpr>(stripForFlow(E));
    auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD || isa<ParmVarDecl>(VD) || !VD->hasLocalStorage() || !VD->getInit() ||
        !(VD->getType()->isReferenceType() || VD->getType()->isPointerType()))
      break;
    E = VD->getInit();
  }
  return E;
}

/// A request returned by a function (`lambda.Invoke(async_request("audit"))`): what
/// its body sets; a function defined elsewhere may set anything, so it is unknown.
inline bool Extractor::returnedRequestIsAsync(const clang::CallExpr *call) {
  const clang::FunctionDecl *callee = call->getDirectCallee();
  const clang::FunctionDecl *def = callee ? callee->getDefinition() : nullptr;
  if (!def || !def->getBody() || inSystem(def->getLocation())) return true;
  return invocationTypeIn(def->getBody()) == 1;
}

/// `req.WithFunctionName(f).WithInvocationType(t)`: the object the chain starts from.
inline const clang::Expr *Extractor::setterChainRoot(const clang::CXXMemberCallExpr *MC) {
  const clang::Expr *obj = stripForFlow(MC->getImplicitObjectArgument());
  while (auto *inner = llvm::dyn_cast_or_null<clang::CXXMemberCallExpr>(obj)) {
    if (!inner->getMethodDecl() || !inner->getMethodDecl()->getReturnType()->isReferenceType()) break;
    obj = stripForFlow(inner->getImplicitObjectArgument());
  }
  return obj;
}

/// The local variable that `E` (a variable, or a member of one: `job.req`) lives in.
inline const clang::VarDecl *Extractor::localRoot(const clang::Expr *E) {
  using namespace clang;
  E = stripForFlow(E);
  while (auto *ME = llvm::dyn_cast_or_null<MemberExpr>(E)) {
    if (ME->isArrow()) return nullptr;
    E = stripForFlow(ME->getBase());
  }
  auto *DRE = llvm::dyn_cast_or_null<DeclRefExpr>(E);
  auto *VD = DRE ? llvm::dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || isa<ParmVarDecl>(VD) || VD->hasGlobalStorage() || VD->getType()->isReferenceType()) return nullptr;
  return VD;
}

/// The same variable, or the same member path of the same variable.
inline bool Extractor::sameObject(const clang::Expr *A, const clang::Expr *B) {
  using namespace clang;
  A = stripForFlow(A);
  B = stripForFlow(B);
  if (!A || !B) return false;
  if (auto *DA = dyn_cast<DeclRefExpr>(A)) {
    auto *DB = dyn_cast<DeclRefExpr>(B);
    return DB && DA->getDecl()->getCanonicalDecl() == DB->getDecl()->getCanonicalDecl();
  }
  if (auto *MA = dyn_cast<MemberExpr>(A)) {
    auto *MB = dyn_cast<MemberExpr>(B);
    return MB && MA->getMemberDecl() == MB->getMemberDecl() && sameObject(MA->getBase(), MB->getBase());
  }
  return false;
}

/// 1: sets the invocation type to Event, DryRun (validates, runs no function) or to
/// something not constant; 0: sets it to another constant; -1: does not set it.
inline int Extractor::invocationTypeIn(const clang::Stmt *S) {
  using namespace clang;
  if (!S) return -1;
  int result = -1;
  if (auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getIdentifier() && cat_.listed("invocation-type-setters", M->getName()) && MC->getNumArgs() == 1) {
      auto *DRE = dyn_cast<DeclRefExpr>(MC->getArg(0)->IgnoreParenImpCasts());
      auto *EC = DRE ? dyn_cast<EnumConstantDecl>(DRE->getDecl()) : nullptr;
      result = !EC ? 1 : (cat_.listed("asynchronous-invocation-types", EC->getName()) ? 1 : 0);
    }
  }
  for (const Stmt *c : S->children()) {
    int v = invocationTypeIn(c);
    if (v == 1) return 1;
    if (v == 0) result = result == 1 ? 1 : 0;
  }
  return result;
}

inline bool Extractor::helperSetsEvent(const clang::FunctionDecl *callee, unsigned index) {
  using namespace clang;
  if (index >= callee->getNumParams() || inSystem(callee->getLocation())) return false;
  QualType T = callee->getParamDecl(index)->getType();
  bool mayModify = (T->isReferenceType() || T->isPointerType()) && !T->getPointeeType().isConstQualified();
  if (!mayModify) return false; // by value or const: the helper cannot set our request's type
  const FunctionDecl *def = callee->getDefinition();
  if (!def || !def->getBody()) return true; // defined elsewhere: it may set it, so do not report
  const ParmVarDecl *P = def->getParamDecl(index);
  bool found = false;
  std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
    if (!S || found) return;
    if (auto *MC = dyn_cast<CXXMemberCallExpr>(S))
      if (auto *DRE = dyn_cast_or_null<DeclRefExpr>(setterChainRoot(MC)); DRE && DRE->getDecl() == P)
        found = invocationTypeIn(MC) == 1;
    for (const Stmt *c : S->children()) walk(c);
  };
  walk(def->getBody());
  return found;
}

/// `.get()` / `.wait()` applied directly to a future-returning call.
inline void Extractor::noteWaitedFuture(const clang::CXXMemberCallExpr *MC) {
  const clang::CXXMethodDecl *M = MC->getMethodDecl();
  if (!M || !M->getIdentifier() || !cat_.listed("future-waits", M->getName())) return;
  const clang::Expr *obj = stripForFlow(MC->getImplicitObjectArgument());
  if (auto *inner = llvm::dyn_cast_or_null<clang::CallExpr>(obj)) waited_.insert(inner);
}

/// The future of `CE` is waited on before any other asynchronous work starts.
inline bool Extractor::waitedImmediately(const clang::CallExpr *CE) {
  using namespace clang;
  if (waited_.count(CE)) return true;
  // auto f = client.InvokeCallable(req); ... f.get();  with no other future in flight
  // between the call and that wait. Futures whose lifetimes overlap are a fan-out;
  // `f1 = A(); f1.get(); f2 = B(); f2.get();` is two synchronous calls in a row.
  auto it = storeTargets_.find(coreOf(CE));
  const FunctionDecl *fn = frame() ? enclosingFunctionOfFrame() : nullptr;
  if (it == storeTargets_.end() || !fn || !fn->getBody()) return false;
  std::string key = it->second;
  struct Future {
    SourceLocation start;
    std::string key;
    bool immediate; ///< `InvokeCallable(r).get()`: waited where it starts
  };
  std::vector<Future> futures;                               // every future-returning call
  std::vector<std::pair<SourceLocation, std::string>> waits; // .get()/.wait() on a stored future
  std::vector<SourceLocation> work; // other calls that do work: `s3.GetObject(g)`, `enrich(doc)`
  std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
    if (!S) return;
    if (auto *call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *callee = call->getDirectCallee()) {
        QualType R = callee->getReturnType();
        if (auto *RD = R->getAsCXXRecordDecl();
            RD && RD->getIdentifier() && cat_.listed("future-classes", RD->getName())) {
          auto t = storeTargets_.find(coreOf(call));
          futures.push_back(
              {call->getBeginLoc(), t == storeTargets_.end() ? std::string() : t->second, waited_.count(call) != 0});
        }
        if (auto *MC = dyn_cast<CXXMemberCallExpr>(call); MC && MC->getMethodDecl() &&
                                                          MC->getMethodDecl()->getIdentifier() &&
                                                          cat_.listed("future-waits", MC->getMethodDecl()->getName()))
          waits.push_back({MC->getBeginLoc(), objectKey(MC->getImplicitObjectArgument())});
        else if (doesWork(call, callee)) work.push_back(call->getBeginLoc());
      }
    for (const Stmt *c : S->children()) walk(c);
  };
  walk(fn->getBody());
  auto before = [&](SourceLocation a, SourceLocation b) { return sm_.isBeforeInTranslationUnit(a, b); };
  auto firstWaitAfter = [&](const std::string &k, SourceLocation from) -> std::optional<SourceLocation> {
    std::optional<SourceLocation> best;
    if (k.empty()) return best;
    for (const auto &[loc, wk] : waits)
      if (wk == k && before(from, loc) && (!best || before(loc, *best))) best = loc;
    return best;
  };
  SourceLocation start = CE->getBeginLoc();
  std::optional<SourceLocation> wait = firstWaitAfter(key, start);
  if (!wait) return false;
  // Work done while the call is in flight (an S3 read, a function of ours) overlaps it.
  for (SourceLocation w : work)
    if (before(start, w) && before(w, *wait) && !sm_.isPointWithin(w, CE->getBeginLoc(), CE->getEndLoc())) return false;
  for (const Future &o : futures) {
    if (o.start == start) continue;
    // Another future started while this one is in flight...
    if (before(start, o.start) && before(o.start, *wait)) return false;
    // ...or started earlier and still in flight when this one starts.
    if (before(o.start, start) && !o.immediate) {
      std::optional<SourceLocation> ow = firstWaitAfter(o.key, o.start);
      if (!ow || before(start, *ow)) return false;
    }
  }
  return true;
}

/// A call that does work of its own while a future is in flight, as opposed to
/// building a request (`SetKey`, `WithFunctionName`), an operator or the standard
/// library (`std::move`, `std::cout <<`).
inline bool Extractor::doesWork(const clang::CallExpr *call, const clang::FunctionDecl *callee) {
  if (llvm::isa<clang::CXXOperatorCallExpr>(call) || !callee->getIdentifier()) return false;
  llvm::StringRef n = callee->getName();
  if (llvm::isa<clang::CXXMethodDecl>(callee))
    for (const std::string &prefix : cat_.names("request-setter-prefixes"))
      if (n.starts_with(prefix)) return false;
  const clang::DeclContext *DC = callee->getDeclContext()->getEnclosingNamespaceContext();
  auto *NS = llvm::dyn_cast<clang::NamespaceDecl>(DC);
  while (NS && llvm::isa<clang::NamespaceDecl>(NS->getParent())) NS = llvm::cast<clang::NamespaceDecl>(NS->getParent());
  return !(NS && NS->getIdentifier() && cat_.listed("no-work-namespaces", NS->getName()));
}

} // namespace coldstart
