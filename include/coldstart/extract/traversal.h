// Part of the Extractor (extract.h). The traversal: the RecursiveASTVisitor entry points for declarations, statements, lambdas,
// constructions and calls, which hand each node to the recorders in the other parts.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

inline bool Extractor::TraverseDecl(clang::Decl *D) {
  using namespace clang;
  if (!D) return true;
  if (!isa<TranslationUnitDecl>(D) && inSystem(D->getLocation())) return true;
  if (auto *FD = dyn_cast<FunctionDecl>(D)) return traverseFunction(FD);
  return Base::TraverseDecl(D);
}

inline bool Extractor::TraverseVarDecl(clang::VarDecl *VD) {
  return traverseVar(VD, [&] { return Base::TraverseVarDecl(VD); });
}

inline bool Extractor::TraverseDecompositionDecl(clang::DecompositionDecl *VD) { // `static auto [a, b] = make();`
  return traverseVar(VD, [&] { return Base::TraverseDecompositionDecl(VD); });
}

inline bool Extractor::TraverseVarTemplateSpecializationDecl(clang::VarTemplateSpecializationDecl *VD) {
  return traverseVar(VD, [&] { return Base::TraverseVarTemplateSpecializationDecl(VD); });
}

/// Variables: function-local statics run once; namespace-scope and static data
/// members (and the instantiations of variable templates) are static-init nodes.
template <typename BaseTraverse> inline bool Extractor::traverseVar(clang::VarDecl *VD, BaseTraverse base) {
  using namespace clang;
  if (!VD->hasInit()) return base();
  if (VD->isStaticLocal() && frame()) {
    // The initialiser of a function-local static runs once, on first use.
    ++frame()->once;
    bool r = base();
    --frame()->once;
    return r;
  }
  if (VD->hasGlobalStorage() && !VD->isStaticLocal() && !frame() && !isa<ParmVarDecl>(VD)) {
    // A static data member of a class template, or a variable template: only the
    // instantiations a TU uses are initialised; they are traversed instead.
    if (VD->isTemplated()) return true;
    // A namespace-scope or static data member initialiser: a node of its own.
    std::string id = "init:" + usrOf(VD);
    size_t idx = node(id, displayVarName(VD), qualifiedName(VD), "static-init", VD->getLocation());
    describeStaticVar(VD, out_.functions[idx].attrs);
    if (out_.functions[idx].attrs.count("dynamic-init")) accessorCandidates_.emplace_back(VD, idx);
    pushFrame(idx);
    bool r = base();
    popFrame();
    return r;
  }
  return base();
}

inline bool Extractor::VisitVarDecl(clang::VarDecl *VD) {
  using namespace clang;
  if (const Expr *init = VD->getInit(); init && !isa<ParmVarDecl>(VD)) {
    storeTargets_[coreOf(init)] = "var:" + usrOf(VD);
    noteReleasingDeleter(VD, init);
  }
  if (const Expr *init = VD->getInit()) {
    if (!isa<ParmVarDecl>(VD)) {
      if (headerish(VD->getName(), VD->getType())) markHeaderContext(init);
      else if (auto *SL = closeHeaderLiteral(init)) closeHeaderVars_[VD] = SL;
    }
    const Expr *core = stripForFlow(init);
    if (auto *LE = dyn_cast<LambdaExpr>(core)) lambdaNames_[LE] = VD->getName().str();
  }
  if (!frame()) return true;
  // Objects with automatic storage are destroyed at the end of their scope.
  if (VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) && !VD->getType()->isReferenceType())
    if (auto *RD = VD->getType()->getAsCXXRecordDecl()) addDestructorEdge(RD, VD->getLocation());
  return true;
}

// Unevaluated operands run nothing: decltype(make()), sizeof(make()), noexcept(make()).
inline bool Extractor::TraverseDecltypeTypeLoc(clang::DecltypeTypeLoc) { return true; }

inline bool Extractor::TraverseCXXTypeidExpr(clang::CXXTypeidExpr *E) {
  return E->isPotentiallyEvaluated() ? Base::TraverseCXXTypeidExpr(E) : true;
}

inline bool Extractor::TraverseDeclStmt(clang::DeclStmt *S) {
  using namespace clang;
  if (frame() && S->isSingleDecl())
    if (auto *VD = dyn_cast<VarDecl>(S->getSingleDecl())) noteDeclaration(S, VD);
  return Base::TraverseDeclStmt(S);
}

inline bool Extractor::TraverseCompoundStmt(clang::CompoundStmt *S) {
  using namespace clang;
  if (!frame()) return Base::TraverseCompoundStmt(S);
  if (!WalkUpFromCompoundStmt(S)) return false;
  for (Stmt *child : S->body())
    if (auto *DS = dyn_cast_or_null<DeclStmt>(child)) blockLevelDecls_.insert(DS), blockOf_[DS] = S;
  // Early-return lazy init: `if (g) return g; ... g = make();` — what follows the
  // guard runs once, when it assigns the guarded long-lived object.
  int extraOnce = 0;
  auto body = S->body();
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (!TraverseStmt(*it)) return false;
    if (auto *If = dyn_cast_or_null<IfStmt>(*it)) {
      bool passesOnce = false;
      if (const Decl *key = earlyReturnGuard(If, passesOnce)) {
        bool assignedLater = passesOnce;
        for (auto rest = std::next(it); rest != body.end() && !assignedLater; ++rest)
          assignedLater = assigns(*rest, key);
        if (assignedLater) {
          ++frame()->once;
          ++extraOnce;
        }
      }
    }
  }
  frame()->once -= extraOnce;
  return true;
}

inline bool Extractor::TraverseIfStmt(clang::IfStmt *S) {
  using namespace clang;
  // `if constexpr (kDebug) { ... }` with kDebug false: the discarded branch is never
  // part of the program (templates instantiate it as a null statement already).
  bool value = false;
  if (S->isConstexpr() && S->getCond() && !S->getCond()->isValueDependent() && !S->getCond()->containsErrors() &&
      S->getCond()->EvaluateAsBooleanCondition(value, ctx_)) {
    Stmt *taken = value ? S->getThen() : S->getElse();
    if (!WalkUpFromIfStmt(S)) return false;
    if (!TraverseStmt(S->getInit())) return false;
    if (S->getConditionVariableDeclStmt() && !TraverseStmt(S->getConditionVariableDeclStmt())) return false;
    if (!TraverseStmt(S->getCond())) return false;
    return TraverseStmt(taken);
  }
  if (!frame()) return Base::TraverseIfStmt(S);
  // `if (!g_client) { ... g_client = ...; }` (or `if (g_client) ... else { g_client = ...; }`):
  // the branch that assigns runs once.
  const Stmt *onceBranch = lazyInitBranch(S);
  // `if (curl_easy_perform(next) != CURLE_OK) { sleep(1); continue; }` in a custom
  // runtime: no event has been received, so no invocation is running.
  if (!onceBranch && S->getCond()) {
    int failed = nextEventFailure(S->getCond());
    onceBranch = failed > 0 ? S->getThen() : failed < 0 ? S->getElse() : nullptr;
  }
  if (!onceBranch) return Base::TraverseIfStmt(S);
  if (!WalkUpFromIfStmt(S)) return false;
  if (!TraverseStmt(S->getInit())) return false;
  if (S->getConditionVariableDeclStmt() && !TraverseStmt(S->getConditionVariableDeclStmt())) return false;
  if (!TraverseStmt(S->getCond())) return false;
  for (Stmt *branch : {S->getThen(), S->getElse()}) {
    if (branch == onceBranch) ++frame()->once;
    bool ok = TraverseStmt(branch);
    if (branch == onceBranch) --frame()->once;
    if (!ok) return false;
  }
  return true;
}

// Loops: each outermost loop of a function is a node of its own, so that a custom
// runtime's event loop can be a handler entry while the code before it is not.
inline bool Extractor::TraverseForStmt(clang::ForStmt *S) {
  return traverseLoop(S, S->getCond(), [&] { return Base::TraverseForStmt(S); });
}

inline bool Extractor::TraverseWhileStmt(clang::WhileStmt *S) {
  return traverseLoop(S, S->getCond(), [&] { return Base::TraverseWhileStmt(S); });
}

inline bool Extractor::TraverseDoStmt(clang::DoStmt *S) {
  return traverseLoop(S, S->getCond(), [&] { return Base::TraverseDoStmt(S); });
}

inline bool Extractor::TraverseCXXForRangeStmt(clang::CXXForRangeStmt *S) {
  return traverseLoop(
      S, S->getRangeInit(), [&] { return Base::TraverseCXXForRangeStmt(S); },
      /*rangeLoop=*/true);
}

inline bool Extractor::TraverseLambdaExpr(clang::LambdaExpr *LE) {
  using namespace clang;
  if (!WalkUpFromLambdaExpr(LE)) return false;
  // Captures are initialised where the lambda is created.
  for (Expr *init : LE->capture_inits())
    if (init && !TraverseStmt(init)) return false;
  std::string id = lambdaId(LE->getLambdaClass());
  if (frame() && !handedOn_.count(LE)) addEdge(id, LE->getBeginLoc(), EdgeKind::Lambda);
  std::string name = lambdaName(LE);
  auto traverseBody = [&](FunctionDecl *op) {
    if (!op || !op->hasBody() || op->isDependentContext()) return true;
    std::string opId = lambdaNodeId(op);
    if (opId != id) {
      // A generic lambda: one node per instantiation of its call operator, and the
      // lambda itself (what creating it assumes runs) reaches each of them.
      size_t base = node(id, name, "", "lambda", LE->getBeginLoc());
      Edge e;
      e.callee = opId;
      e.loc = toLoc(LE->getBeginLoc());
      e.kind = EdgeKind::Loop; // like a loop node: the same code, folded out of call paths
      auto &edges = out_.functions[base].edges;
      if (std::none_of(edges.begin(), edges.end(), [&](const Edge &o) { return o.callee == opId; })) edges.push_back(e);
    }
    size_t idx = node(opId, name, "", "lambda", LE->getBeginLoc());
    if (const HandlerSignature *h = handlerSignatureOf(op)) out_.functions[idx].handlerSignature = signatureText(*h);
    pushFrame(idx);
    const FunctionDecl *savedFn = currentFunction_;
    currentFunction_ = op;
    bool r = TraverseStmt(op->getBody());
    currentFunction_ = savedFn;
    popFrame();
    return r;
  };
  if (!traverseBody(LE->getCallOperator())) return false;
  if (FunctionTemplateDecl *T = LE->getDependentCallOperator())
    for (FunctionDecl *spec : T->specializations())
      if (!traverseBody(spec)) return false;
  return true;
}

inline bool Extractor::TraverseCXXConstructExpr(clang::CXXConstructExpr *E) {
  return withNesting(recordConstruct(E), [&] { return Base::TraverseCXXConstructExpr(E); });
}

inline bool Extractor::TraverseCXXTemporaryObjectExpr(clang::CXXTemporaryObjectExpr *E) {
  return withNesting(recordConstruct(E), [&] { return Base::TraverseCXXTemporaryObjectExpr(E); });
}

inline bool Extractor::VisitCXXNewExpr(clang::CXXNewExpr *E) {
  using namespace clang;
  if (!frame()) return true;
  if (auto *CE = E->getConstructExpr()) {
    forms_[CE] = {"new", E->getBeginLoc(), nullptr, nullptr};
    if (auto it = storeTargets_.find(E); it != storeTargets_.end()) storeTargets_[CE] = it->second;
  }
  if (clang::QualType T = E->getAllocatedType(); !T.isNull())
    if (auto *RD = T->getAsCXXRecordDecl()) addDestructorEdge(RD, E->getBeginLoc());
  return true;
}

inline bool Extractor::VisitCXXDeleteExpr(clang::CXXDeleteExpr *E) {
  if (!frame()) return true;
  clang::QualType T = E->getDestroyedType(); // null when the operand did not compile (found by fuzzing)
  if (T.isNull()) return true;
  if (auto *RD = T->getAsCXXRecordDecl()) addDestructorEdge(RD, E->getBeginLoc());
  return true;
}

inline bool Extractor::VisitCXXBindTemporaryExpr(clang::CXXBindTemporaryExpr *E) {
  if (!frame()) return true;
  if (const auto *D = E->getTemporary()->getDestructor()) addDestructorEdge(D->getParent(), E->getBeginLoc());
  return true;
}

inline bool Extractor::TraverseConstructorInitializer(clang::CXXCtorInitializer *I) {
  // Implicit member initialisers (of an implicit constructor) have no location of
  // their own: report what they build at the member's declaration.
  clang::SourceLocation saved = implicitInitLoc_;
  std::string savedOwner = implicitInitOwner_;
  if (I->getMember()) {
    // Report a member built by any constructor at the member's declaration: that is
    // where the fix goes (hold a reference to a client built once instead).
    implicitInitLoc_ = I->getMember()->getLocation();
    implicitInitOwner_ = qualifiedName(I->getMember()->getParent());
  }
  if (I->getMember() && I->getInit()) storeTargets_[coreOf(I->getInit())] = "field:" + qualifiedName(I->getMember());
  const clang::Stmt *savedCore = memberInitCore_;
  memberInitCore_ = I->getInit() ? coreOf(I->getInit()) : nullptr;
  if (auto *DIE = llvm::dyn_cast_or_null<clang::CXXDefaultInitExpr>(memberInitCore_))
    memberInitCore_ = coreOf(DIE->getExpr());
  bool r = Base::TraverseConstructorInitializer(I);
  memberInitCore_ = savedCore;
  implicitInitLoc_ = saved;
  implicitInitOwner_ = savedOwner;
  return r;
}

} // namespace coldstart
