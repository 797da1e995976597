// Part of the Extractor (extract.h). Callable flow: what reaches run_handler, calls through std::function and parameters.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

inline void Extractor::noteFlow(const clang::Expr *lhs, const clang::Expr *rhs) {
  if (const clang::ValueDecl *D = flowTarget(lhs)) flows_[D].push_back(rhs);
}

/// `handlers.emplace(k, f)`, `v.push_back(f)`, `m[k] = f`: the arguments flow into
/// the container.
inline void Extractor::noteMemberFlow(const clang::CallExpr *CE) {
  using namespace clang;
  if (auto *MC = dyn_cast<CXXMemberCallExpr>(CE)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier()) return;
    llvm::StringRef n = M->getName();
    if (cat_.listed("container-insert-methods", n))
      if (const ValueDecl *D = flowTarget(MC->getImplicitObjectArgument()))
        for (const Expr *a : MC->arguments()) flows_[D].push_back(a);
  } else if (auto *OC = dyn_cast<CXXOperatorCallExpr>(CE); OC && OC->isAssignmentOp() && OC->getNumArgs() == 2) {
    noteFlow(OC->getArg(0), OC->getArg(1));
  }
}

inline const clang::ValueDecl *Extractor::flowTarget(const clang::Expr *E) {
  using namespace clang;
  if (!E) return nullptr;
  E = E->IgnoreParenImpCasts();
  while (true) {
    if (auto *OC = dyn_cast<CXXOperatorCallExpr>(E); OC && OC->getOperator() == OO_Subscript)
      E = OC->getArg(0)->IgnoreParenImpCasts();
    else if (auto *AS = dyn_cast<ArraySubscriptExpr>(E)) E = AS->getBase()->IgnoreParenImpCasts();
    else break;
  }
  if (auto *DRE = dyn_cast<DeclRefExpr>(E)) return dyn_cast<VarDecl>(DRE->getDecl());
  if (auto *ME = dyn_cast<MemberExpr>(E)) return dyn_cast<FieldDecl>(ME->getMemberDecl());
  return nullptr;
}

inline const clang::Expr *Extractor::stripForFlow(const clang::Expr *E) {
  using namespace clang;
  while (E) {
    const Expr *next = E->IgnoreParenImpCasts();
    if (auto *M = dyn_cast<MaterializeTemporaryExpr>(next)) next = M->getSubExpr();
    else if (auto *B = dyn_cast<CXXBindTemporaryExpr>(next)) next = B->getSubExpr();
    else if (auto *W = dyn_cast<ExprWithCleanups>(next)) next = W->getSubExpr();
    else if (auto *F = dyn_cast<CXXFunctionalCastExpr>(next)) next = F->getSubExpr();
    else if (auto *C = dyn_cast<CXXNamedCastExpr>(next)) next = C->getSubExpr();
    else if (auto *U = dyn_cast<UnaryOperator>(next); U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref))
      next = U->getSubExpr();
    else if (auto *D = dyn_cast<CXXDefaultArgExpr>(next)) next = D->getExpr();
    else if (auto *K = dyn_cast<ConstantExpr>(next)) next = K->getSubExpr();
    if (next == E) return E;
    E = next;
  }
  return E;
}

/// The callables an expression can evaluate to (lambdas, functions, methods, function
/// objects), through variables, members, containers, conditionals, calls and parameters.
inline void Extractor::resolveCallables(const clang::Expr *E, std::vector<Target> &out, std::set<const void *> &seen,
                                        int depth, const std::string &via) {
  using namespace clang;
  if (!E || depth > 16) return;
  E = stripForFlow(E);
  if (!seen.insert(E).second) return;
  if (auto *LE = dyn_cast<LambdaExpr>(E)) return addTarget(out, lambdaId(LE->getLambdaClass()), via);
  if (auto *DRE = dyn_cast<DeclRefExpr>(E)) return resolveDeclRef(DRE, out, seen, depth, via);
  if (auto *ME = dyn_cast<MemberExpr>(E)) return resolveMember(ME, out, seen, depth, via);
  if (auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    for (const Expr *a : CE->arguments()) resolveCallables(a, out, seen, depth + 1, via);
    if (CE->getConstructor()) addCallOperators(CE->getConstructor()->getParent(), out, via);
    return;
  }
  if (auto *IL = dyn_cast<InitListExpr>(E)) {
    for (const Expr *a : IL->inits()) resolveCallables(a, out, seen, depth + 1, via);
    return;
  }
  if (auto *SIL = dyn_cast<CXXStdInitializerListExpr>(E))
    return resolveCallables(SIL->getSubExpr(), out, seen, depth + 1, via);
  if (auto *CO = dyn_cast<AbstractConditionalOperator>(E)) {
    resolveCallables(CO->getTrueExpr(), out, seen, depth + 1, via);
    resolveCallables(CO->getFalseExpr(), out, seen, depth + 1, via);
    return;
  }
  if (auto *CE = dyn_cast<CallExpr>(E)) return resolveCallResult(CE, out, seen, depth, via);
}

/// One callable found, once (with the call that passed it, when it came through a parameter).
inline void Extractor::addTarget(std::vector<Target> &out, const std::string &id, const std::string &via) {
  Target n{id, via, passedBy_.node, passedBy_.once};
  for (const Target &t : out)
    if (t.same(n)) return;
  out.push_back(n);
}

/// A function, a lambda's call operator, a parameter (its callers' arguments), or a
/// variable (its initialiser, what flows into it, its type's call operators).
inline void Extractor::resolveDeclRef(const clang::DeclRefExpr *DRE, std::vector<Target> &out,
                                      std::set<const void *> &seen, int depth, const std::string &via) {
  using namespace clang;
  const ValueDecl *D = DRE->getDecl();
  if (auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda())
      addTarget(out, lambdaId(MD->getParent()), via);
    else if (!inSystem(FD->getLocation()) || !FD->hasBody()) addTarget(out, idOf(patternOf(FD)), via);
    return;
  }
  if (auto *PVD = dyn_cast<ParmVarDecl>(D)) return resolveParam(PVD, out, seen, depth, via);
  if (auto *VD = dyn_cast<VarDecl>(D)) {
    std::string v = via.empty() ? VD->getName().str() : via;
    if (VD->getInit()) resolveCallables(VD->getInit(), out, seen, depth + 1, v);
    if (auto it = flows_.find(VD); it != flows_.end())
      for (const Expr *src : it->second) resolveCallables(src, out, seen, depth + 1, v);
    if (auto *RD = VD->getType()->getAsCXXRecordDecl()) addCallOperators(RD, out, v);
  }
}

/// A method, or a data member (its in-class initialiser, what flows into it, its type's
/// call operators; a member of a library type, such as a pair's `second`, is its object).
inline void Extractor::resolveMember(const clang::MemberExpr *ME, std::vector<Target> &out,
                                     std::set<const void *> &seen, int depth, const std::string &via) {
  using namespace clang;
  const ValueDecl *D = ME->getMemberDecl();
  if (auto *MD = dyn_cast<CXXMethodDecl>(D)) return addTarget(out, idOf(patternOf(MD)), via);
  if (auto *FD = dyn_cast<FieldDecl>(D)) {
    if (inSystem(FD->getLocation())) // pair.second, optional's value...
      return resolveCallables(ME->getBase(), out, seen, depth + 1, via);
    if (FD->hasInClassInitializer()) resolveCallables(FD->getInClassInitializer(), out, seen, depth + 1, via);
    if (auto it = flows_.find(FD); it != flows_.end())
      for (const Expr *src : it->second) resolveCallables(src, out, seen, depth + 1, via);
    if (auto *RD = FD->getType()->getAsCXXRecordDecl()) addCallOperators(RD, out, via);
  }
}

/// handlers.at(name), handlers[name], it->second, std::move(f), std::bind(&f, ...),
/// make_handler(): what comes out is built from the object, the arguments and (for
/// functions defined here) what the callee returns.
inline void Extractor::resolveCallResult(const clang::CallExpr *CE, std::vector<Target> &out,
                                         std::set<const void *> &seen, int depth, const std::string &via) {
  using namespace clang;
  if (auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
    resolveCallables(MC->getImplicitObjectArgument(), out, seen, depth + 1, via);
  // `make_handler()` with make_handler a lambda or function object: what comes out is
  // what its body returns, not the object called.
  auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
  bool callsObject = OC && OC->getOperator() == OO_Call;
  for (const Expr *a : CE->arguments())
    if (!callsObject || a != CE->getArg(0)) resolveCallables(a, out, seen, depth + 1, via);
  if (const FunctionDecl *FD = CE->getDirectCallee(); FD && !inSystem(FD->getLocation()))
    if (const FunctionDecl *def = FD->getDefinition(); def && def->getBody()) {
      std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
        if (!S) return;
        if (auto *R = dyn_cast<ReturnStmt>(S)) resolveCallables(R->getRetValue(), out, seen, depth + 1, via);
        if (isa<LambdaExpr>(S)) return; // returns inside lambdas are theirs
        for (const Stmt *c : S->children()) walk(c);
      };
      walk(def->getBody());
    }
}

/// A function object of ours handed to the library (`std::visit(Upload{}, ev)`,
/// `std::thread t(Worker{})`, `std::for_each(b, e, Tally{})`): the library calls it,
/// as it would a lambda, and we do not read the library's bodies.
inline void Extractor::noteFunctionObjectArgs(const clang::FunctionDecl *callee,
                                              llvm::ArrayRef<const clang::Expr *> args) {
  if (!frame() || !callee || !inSystem(callee->getLocation()) || !libraryRunsCallable(callee)) return;
  for (const clang::Expr *arg : args) {
    if (!arg) continue;
    // A callable parameter handed on (`std::call_once(flag, f)`, `std::thread(f)`):
    // the library calls it here, in this region (once-only under call_once).
    if (auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(stripForFlow(arg)))
      if (auto *P = llvm::dyn_cast<clang::ParmVarDecl>(DRE->getDecl()); P && isCallableType(P->getType()))
        indirect_.push_back({DRE, frame()->index, arg->getBeginLoc(), frame()->once > 0});
    // `std::function<void()> f = [&] {...}; std::thread t(f);`: what the local holds.
    if (auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(stripForFlow(arg)))
      if (auto *VD = llvm::dyn_cast<clang::VarDecl>(DRE->getDecl());
          VD && !llvm::isa<clang::ParmVarDecl>(VD) && VD->hasLocalStorage() && isCallableType(VD->getType())) {
        std::vector<Target> held;
        std::set<const void *> seen;
        resolveCallables(DRE, held, seen, 0, "");
        for (const Target &t : held) addEdge(t.id, arg->getBeginLoc(), EdgeKind::Reference);
        continue;
      }
    const clang::CXXRecordDecl *RD = arg->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (!RD || RD->isLambda()) continue;
    std::vector<Target> targets;
    addCallOperators(RD, targets, "");
    // Like a lambda created here: assumed to run on this path, but not a call (a
    // std::function built from it at static initialisation runs nothing).
    for (const Target &t : targets) addEdge(t.id, arg->getBeginLoc(), EdgeKind::Reference);
  }
}

/// A function or lambda passed straight to a function that decides whether it runs:
/// one defined here (its calls through the parameter, or the calls of whatever stores
/// it, are followed) or a library function that only stores or forwards it (`atexit`,
/// a container's `push_back`, `std::function`'s constructor). It is not assumed to
/// run where it is passed: `on_shutdown(flush)` in a handler runs nothing.
inline void Extractor::noteStoredArgs(const clang::FunctionDecl *callee, llvm::ArrayRef<const clang::Expr *> args) {
  using namespace clang;
  if (!callee) return;
  bool decides = false;
  if (inSystem(callee->getLocation())) decides = !libraryRunsCallable(callee);
  else if (const FunctionDecl *pattern = patternOf(callee)) {
    const FunctionDecl *def = pattern->getDefinition();
    decides = (def && def->doesThisDeclarationHaveABody()) ||
              (pattern->getPrimaryTemplate() && pattern->getPrimaryTemplate()->getTemplatedDecl()->hasBody());
  }
  if (!decides) return;
  for (const Expr *arg : args) {
    const Expr *E = arg ? stripForFlow(arg) : nullptr;
    // A captureless lambda converted to a function pointer (`atexit([] {...})`).
    if (auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E);
        MC && isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()))
      E = stripForFlow(MC->getImplicitObjectArgument());
    if (auto *DRE = dyn_cast_or_null<DeclRefExpr>(E); DRE && isa<FunctionDecl>(DRE->getDecl())) handedOn_.insert(DRE);
    else if (auto *LE = dyn_cast_or_null<LambdaExpr>(E)) handedOn_.insert(LE);
  }
}

/// Whether a library function runs a callable it is given (`std::call_once`,
/// `std::thread`, `std::visit`, `std::for_each`, `pthread_create`, an optional's
/// `transform`) rather than storing or forwarding it (`std::move`, `std::bind`, a
/// container's `push_back`, `std::function`'s constructor, `atexit`): what is stored
/// runs where it is called, and the flow of the stored value finds that call.
inline bool Extractor::libraryRunsCallable(const clang::FunctionDecl *callee) {
  const clang::IdentifierInfo *id = callee->getIdentifier();
  auto isThread = [&](const clang::CXXRecordDecl *RD) {
    return RD && RD->getIdentifier() && cat_.listed("thread-classes", RD->getName());
  };
  if (auto *M = llvm::dyn_cast<clang::CXXMethodDecl>(callee)) {
    if (llvm::isa<clang::CXXConstructorDecl>(M)) return isThread(M->getParent());
    // `std::ranges::for_each(r, f)`: the algorithm is a function object.
    if (M->getOverloadedOperator() == clang::OO_Call) return true;
    // `workers.emplace_back(f)` on a container of threads starts a thread.
    if (auto *spec = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(M->getParent());
        spec && spec->getTemplateArgs().size() > 0 &&
        spec->getTemplateArgs()[0].getKind() == clang::TemplateArgument::Type &&
        isThread(spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl()))
      return true;
    return id && cat_.listed("callable-running-methods", id->getName());
  }
  if (!id) return false; // operators: `os << f`, `f == nullptr`
  return !cat_.listed("callable-storing-functions", id->getName());
}

inline bool Extractor::isCallableType(clang::QualType T) {
  T = T.getNonReferenceType();
  if (T->isFunctionPointerType() || T->isFunctionType() || T->isMemberFunctionPointerType()) return true;
  const clang::CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition()) return false;
  for (const auto *D : RD->getDefinition()->decls()) {
    const clang::FunctionDecl *F = llvm::dyn_cast<clang::FunctionDecl>(D);
    if (auto *FT = llvm::dyn_cast<clang::FunctionTemplateDecl>(D)) F = FT->getTemplatedDecl();
    if (F && F->getOverloadedOperator() == clang::OO_Call) return true;
  }
  return false;
}

inline void Extractor::addCallOperators(const clang::CXXRecordDecl *RD, std::vector<Target> &out,
                                        const std::string &via) {
  if (!RD || RD->isLambda() || !RD->hasDefinition() || inSystem(RD->getLocation())) return;
  RD = RD->getDefinition();
  auto add = [&](const clang::FunctionDecl *M) {
    Target n{idOf(patternOf(M)), via, passedBy_.node, passedBy_.once};
    bool dup = false;
    for (const Target &t : out) dup = dup || t.same(n);
    if (!dup) out.push_back(n);
  };
  for (const auto *M : RD->methods())
    if (M->getOverloadedOperator() == clang::OO_Call) add(M);
  // `template <class E> void operator()(E const&)`: the instantiations the TU made.
  for (const auto *D : RD->decls())
    if (auto *FT = llvm::dyn_cast<clang::FunctionTemplateDecl>(D))
      if (FT->getTemplatedDecl()->getOverloadedOperator() == clang::OO_Call)
        for (const clang::FunctionDecl *spec : FT->specializations()) add(spec);
}

inline void Extractor::resolveParam(const clang::ParmVarDecl *P, std::vector<Target> &out, std::set<const void *> &seen,
                                    int depth, const std::string &via) {
  using namespace clang;
  auto *FD = dyn_cast<FunctionDecl>(P->getDeclContext());
  if (!FD) return;
  unsigned idx = P->getFunctionScopeIndex();
  auto it = callsTo_.find(patternOf(FD));
  if (it == callsTo_.end()) return;
  for (const CallExpr *CE : it->second) {
    unsigned shift = 0;
    if (auto *OC = dyn_cast<CXXOperatorCallExpr>(CE); OC && isa<CXXMethodDecl>(FD)) shift = 1;
    if (idx + shift >= CE->getNumArgs()) continue;
    // The callable runs only when that call runs: the edge is conditional on its
    // caller (the outermost one, when a parameter is passed on to another function).
    CallSite saved = passedBy_;
    // Only a call made inside the function (`f()` in `retry(f)`) runs when its caller
    // does; a parameter stored (`g_routes[name] = f`) and called elsewhere runs there.
    // Passed on (`traced(f)` calling `measured(f)`): the call inside is the one that
    // passed it, in the caller.
    bool inside = !storedParam_ &&
                  (resolvingAt_.isInvalid() || sm_.isPointWithin(resolvingAt_, FD->getBeginLoc(), FD->getEndLoc()));
    clang::SourceLocation savedAt = resolvingAt_;
    bool savedStored = storedParam_;
    if (inside) {
      if (auto cs = callSites_.find(CE); cs != callSites_.end())
        passedBy_ = CallSite{cs->second.node, saved.once || cs->second.once};
      if (resolvingAt_.isValid()) resolvingAt_ = CE->getBeginLoc();
    } else {
      storedParam_ = true;
    }
    std::set<const void *> seenHere = seen; // the same lambda may be passed by several callers
    resolveCallables(CE->getArg(idx + shift), out, seenHere, depth + 1, via);
    passedBy_ = saved;
    resolvingAt_ = savedAt;
    storedParam_ = savedStored;
  }
}

/// `static T t = missing_helper();`: the call runs once, with the initialiser.
inline bool Extractor::inStaticLocalInit(const clang::FunctionDecl *FD, clang::SourceLocation loc) {
  using namespace clang;
  bool inside = false;
  std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
    if (!S || inside) return;
    if (auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        // The statement's range: a dropped initialiser is not in the variable's own.
        if (auto *VD = dyn_cast<VarDecl>(D); VD && (VD->isStaticLocal() || VD->getTSCSpec() != TSCS_unspecified) &&
                                             sm_.isPointWithin(loc, DS->getBeginLoc(), DS->getEndLoc()))
          inside = true;
    for (const Stmt *c : S->children()) walk(c);
  };
  walk(FD->getBody());
  return inside;
}

/// Calls to names no header declared: an edge to the name, which the link step
/// resolves to the one function of that name the project defines (link.h).
inline void Extractor::addUnresolvedCallEdges() {
  using namespace clang;
  for (const UnresolvedCall &u : unresolved_) {
    if (inSystem(u.loc) || inStaticLocalInit(u.caller, u.loc)) continue;
    std::string id;
    if (auto *MD = dyn_cast<CXXMethodDecl>(u.caller); MD && MD->getParent()->isLambda()) id = lambdaNodeId(MD);
    else id = idOf(patternOf(u.caller));
    auto it = index_.find(id);
    if (it == index_.end()) continue;
    Edge e;
    e.callee = std::string(kUnresolvedCallee) + u.name;
    e.loc = toLoc(u.loc);
    e.kind = EdgeKind::Call;
    e.once = false;
    out_.functions[it->second].edges.push_back(e);
  }
}

inline void Extractor::finish() {
  addUnresolvedCallEdges();
  resolveParamKeys();
  resolveArgParams();
  for (const Registration &r : registrations_) {
    std::vector<Target> targets;
    std::set<const void *> seen;
    resolveCallables(r.arg, targets, seen, 0, "");
    for (const Target &t : targets) {
      HandlerEntry e;
      e.id = t.id;
      e.how = "run_handler";
      e.loc = toLoc(r.loc);
      e.detail = t.via.empty() ? "passed to " + r.registrar : "passed to " + r.registrar + " through '" + t.via + "'";
      out_.entries.push_back(e);
    }
  }
  // (caller node, callable) pairs whose every run is known through a parameter call:
  // the caller's own "created/passed here, assumed to run" edge is then redundant,
  // and wrong when the callee runs it only once (`once(f)` wrapping std::call_once).
  std::set<std::pair<std::string, std::string>> throughParameter;
  for (const Indirect &call : indirect_) {
    std::vector<Target> targets;
    std::set<const void *> seen;
    resolvingAt_ = call.loc;
    resolveCallables(call.callee, targets, seen, 0, "");
    resolvingAt_ = clang::SourceLocation();
    for (const Target &t : targets) {
      if (!t.caller.empty()) throughParameter.insert({t.caller, t.id});
      Edge e;
      e.callee = t.id;
      e.loc = toLoc(call.loc);
      e.kind = EdgeKind::Call;
      e.once = call.once || t.callerOnce;
      e.caller = t.caller;
      out_.functions[call.node].edges.push_back(e);
    }
    // A parameter of a function other TUs may call: bound at link time to what they pass.
    if (auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(call.callee->IgnoreParenImpCasts()))
      if (auto *P = llvm::dyn_cast<clang::ParmVarDecl>(DRE->getDecl()))
        if (auto *FD = llvm::dyn_cast<clang::FunctionDecl>(P->getDeclContext()); FD && FD->isExternallyVisible()) {
          Edge e;
          e.callee =
              std::string(kParameterCallee) + idOf(patternOf(FD)) + "#" + std::to_string(P->getFunctionScopeIndex());
          e.loc = toLoc(call.loc);
          e.kind = EdgeKind::Call;
          e.once = call.once;
          out_.functions[call.node].edges.push_back(e);
        }
  }
  for (FunctionFacts &f : out_.functions)
    std::erase_if(f.edges, [&](const Edge &e) {
      return (e.kind == EdgeKind::Lambda || e.kind == EdgeKind::Reference) && throughParameter.count({f.id, e.callee});
    });
  for (const FunctionFacts &f : out_.functions)
    if (!f.handlerSignature.empty()) {
      HandlerEntry e;
      e.id = f.id;
      e.how = "handler-signature";
      e.loc = f.loc;
      e.detail = "has the handler signature " + f.handlerSignature;
      out_.entries.push_back(e);
    }
  markPooledClients();
}

/// A handle attached to a multi handle, or to a share handle that shares connections,
/// uses that handle's connection cache: building it per invocation loses nothing. A
/// share handle built in this TU shares connections only if it is set up to
/// (CURL_LOCK_DATA_CONNECT); one from elsewhere is given the benefit of the doubt.
inline void Extractor::markPooledClients() {
  if (pools_.empty()) return;
  std::set<std::string> built;
  for (const FunctionFacts &fn : out_.functions)
    for (const Site &site : fn.sites)
      if (auto obj = site.data.find("object"); obj != site.data.end() && site.kind == "client")
        built.insert(obj->second);
  std::map<std::string, std::string> pooled;
  for (bool changed = true; changed;) {
    changed = false;
    for (const Pooling &p : pools_) {
      if (pooled.count(p.client)) continue;
      if (!p.conditional || p.pool.empty() || pooled.count(p.pool) || !built.count(p.pool)) {
        pooled[p.client] = p.call;
        changed = true;
      }
    }
  }
  for (FunctionFacts &fn : out_.functions)
    for (Site &site : fn.sites)
      if (auto obj = site.data.find("object"); obj != site.data.end() && site.kind == "client")
        if (auto it = pooled.find(obj->second); it != pooled.end()) site.data["pooled"] = it->second;
}

} // namespace coldstart
