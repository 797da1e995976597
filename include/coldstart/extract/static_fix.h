// Part of the Extractor (extract.h). Declarations as a construction form, and the fix that makes a client static.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

inline void Extractor::noteDeclaration(const clang::DeclStmt *DS, const clang::VarDecl *VD) {
  using namespace clang;
  if (!VD->hasInit()) return;
  const Expr *core = VD->getInit()->IgnoreImplicit();
  while (true) {
    if (auto *FC = dyn_cast<CXXFunctionalCastExpr>(core)) core = FC->getSubExpr()->IgnoreImplicit();
    else if (auto *EC = dyn_cast<ExprWithCleanups>(core)) core = EC->getSubExpr()->IgnoreImplicit();
    else break;
  }
  if (isa<CXXConstructExpr>(core) || isa<CallExpr>(core)) forms_[core] = {"declaration", DS->getBeginLoc(), VD, DS};
  storeTargets_[coreOf(VD->getInit())] = "var:" + usrOf(VD);
}

/// Where a statement can be inserted after a block-level declaration: the offset
/// just after its ';' and the indentation of its line (for fixes that add a call).
inline void Extractor::noteStatementEnd(Site &site, const clang::DeclStmt *DS, const clang::VarDecl *VD) {
  using namespace clang;
  site.data["variable"] = VD->getName().str();
  if (!blockLevelDecls_.count(DS) || DS->getEndLoc().isMacroID() || DS->getBeginLoc().isMacroID()) return;
  SourceLocation end = Lexer::getLocForEndOfToken(DS->getEndLoc(), 0, sm_, ctx_.getLangOpts());
  Loc b = toLoc(DS->getBeginLoc()), e = toLoc(end);
  if (b.file != e.file || e.offset < b.offset) return;
  // Insert after the rest of the line when only a comment follows the ';'.
  llvm::StringRef buf = sm_.getBufferData(sm_.getFileID(sm_.getFileLoc(DS->getEndLoc())));
  size_t at = e.offset;
  while (at < buf.size() && (buf[at] == ' ' || buf[at] == '\t')) ++at;
  if (buf.substr(at).starts_with("//")) at = std::min(buf.find('\n', at), buf.size());
  if (at < buf.size() && buf[at] == '\r') ++at;
  if (at == buf.size() || buf[at] == '\n') {
    if (at > 0 && buf[at - 1] == '\r' && at < buf.size()) --at;
    e.col += unsigned(at - e.offset);
    e.offset = unsigned(at);
  }
  if (VD->isStaticLocal()) return; // a call after it would run on every invocation
  site.locs["stmt-end"] = e;
  site.data["indent"] = std::string(b.col > 1 ? b.col - 1 : 0, ' ');
  llvm::StringRef line = sm_.getBufferData(sm_.getFileID(sm_.getFileLoc(DS->getBeginLoc())));
  size_t lineStart = b.offset - (b.col - 1);
  std::string indent;
  for (size_t i = lineStart; i < b.offset && i < line.size() && (line[i] == ' ' || line[i] == '\t'); ++i)
    indent += line[i];
  site.data["indent"] = indent;
}

/// Says in one clause why a site has no fix, so the user knows one was considered. The
/// first reason given is the one reported.
inline void Extractor::refuseFix(Site &site, std::string why) {
  if (site.fixes.empty() && !site.data.count("nofix")) site.data["nofix"] = std::move(why);
}

/// Why a site that is not a variable of its own has no fix, by its construction form.
inline std::string Extractor::notAVariable(const std::string &form) {
  if (form == "temporary") return "it is a temporary, not a variable that could be kept";
  if (form == "new") return "it is allocated with new, and its owner decides how long it lives";
  if (form == "member") return "it is a member: build the object that holds it once";
  if (form == "call") return "its result is not kept in a local variable of its own";
  return "it is not kept in a local variable of its own";
}

/// In one clause, what an initialiser reads that changes between invocations.
inline std::string Extractor::describeInput(const clang::Stmt *S) {
  using namespace clang;
  if (S && isa<CXXThisExpr>(S)) return "it is built from members of the enclosing object";
  auto *DRE = S ? dyn_cast<DeclRefExpr>(S) : nullptr;
  if (!DRE) return "it is built from a value that changes between invocations";
  std::string name = "'" + DRE->getDecl()->getName().str() + "'";
  if (isa<ParmVarDecl>(DRE->getDecl())) return "it is built from the parameter " + name;
  auto *V = dyn_cast<VarDecl>(DRE->getDecl());
  if (V && V->hasGlobalStorage()) return "it reads " + name + ", which may change between invocations";
  return "it is built from " + name + ", computed on every invocation";
}

/// A client built by a call: its result, kept in a local of its own, can become a static
/// as a constructed client can; SDK initialisation pairs with its shutdown and is moved
/// by hand.
inline void Extractor::offerCallFix(Site &site, const clang::CallExpr *CE, const CatalogFunction &entry) {
  if (entry.kind == Kind::SdkInit) return refuseFix(site, "it must move to main together with its shutdown call");
  auto it = forms_.find(CE);
  if (it == forms_.end() || !it->second.var) return refuseFix(site, notAVariable("call"));
  if (entry.reset.empty() && it->second.var->getType()->isPointerType())
    return refuseFix(site, "the catalog names no way to reuse the handle it returns");
  if (!entry.reset.empty()) {
    if (it->second.declStmt) noteStatementEnd(site, it->second.declStmt, it->second.var);
    return offerReuseFix(site, it->second.var, it->second.declStmt, entry);
  }
  const clang::CXXRecordDecl *RD = it->second.var->getType()->getAsCXXRecordDecl();
  if (RD && llvm::isa<clang::ClassTemplateSpecializationDecl>(RD) && cat_.listed("fallible-results", qualifiedName(RD)))
    return refuseFix(site, "its result may hold an error, which a static would keep for every later invocation");
  offerStaticFix(site, it->second.var, it->second.declStmt, hasTag(entry, "aws-sdk"));
}

/// Offers "make it a function-local static" when that is mechanical and safe: a
/// block-level local, alone in its declaration, whose initialiser reads nothing
/// per-invocation and that is never moved from, returned, released or reassigned.
/// Otherwise the hoisting fix (hoist_fix.h), or the reason there is none.
inline void Extractor::offerStaticFix(Site &site, const clang::VarDecl *VD, const clang::DeclStmt *DS,
                                      bool sdkLifetime) {
  using namespace clang;
  site.data["variable"] = VD->getName().str();
  std::string name = "'" + VD->getName().str() + "'";
  if (!DS || !blockLevelDecls_.count(DS))
    return refuseFix(site, "its declaration is not a statement of a block (a condition or a loop header)");
  if (!VD->isLocalVarDecl() || VD->isStaticLocal() || VD->isConstexpr())
    return refuseFix(site, name + " is not a plain local variable");
  QualType T = VD->getType();
  if (T->isReferenceType() || T->isPointerType() || T->isArrayType() || !T->isRecordType())
    return refuseFix(site, name + " is a pointer, a reference or an array, not the object itself");
  if (DS->getBeginLoc().isMacroID() || VD->getEndLoc().isMacroID() || VD->getLocation().isMacroID())
    return refuseFix(site, "its declaration is written in a macro");
  const FunctionDecl *fn = enclosingFunction(VD);
  if (!fn || !fn->getBody()) return refuseFix(site, name + " is not a local of a function");
  if (std::string why = staticBlocker(fn->getBody(), VD); !why.empty()) return refuseFix(site, why);
  if (!readsOnlyInvariantValues(VD->getInit())) return offerHoistFix(site, VD, DS, sdkLifetime, fn);
  Fix fix;
  if (!staticReplacement(VD, DS, sdkLifetime, fix))
    return refuseFix(site, "its declaration cannot be made static as written");
  scopeFix(fix);
  site.fixes.push_back(fix);
}

/// The text of the static fix: `static T x(args)`, or for AWS SDK objects a static
/// reference to one on the heap that is never destroyed. False when the declaration's
/// text does not allow it (a pointer or array declarator, already static, several files).
inline bool Extractor::staticReplacement(const clang::VarDecl *VD, const clang::DeclStmt *DS, bool sdkLifetime,
                                         Fix &fix) {
  using namespace clang;
  const LangOptions &lo = ctx_.getLangOpts();
  SourceLocation begin = DS->getBeginLoc();
  SourceLocation nameLoc = VD->getLocation();
  SourceLocation nameEnd = Lexer::getLocForEndOfToken(nameLoc, 0, sm_, lo);
  SourceLocation end = Lexer::getLocForEndOfToken(VD->getEndLoc(), 0, sm_, lo);
  if (begin.isInvalid() || nameEnd.isInvalid() || end.isInvalid()) return false;
  if (sm_.getFileID(begin) != sm_.getFileID(end)) return false;
  std::string typeText = llvm::StringRef(text(begin, nameLoc)).trim().str();
  std::string initText = text(nameEnd, end);
  std::string name = VD->getName().str();
  if (typeText.empty() || typeText.find_first_of("*&[") != std::string::npos) return false;
  if (typeText.rfind("static", 0) == 0 || typeText.find("thread_local") != std::string::npos) return false;

  std::string replacement;
  if (!sdkLifetime) {
    replacement = "static " + text(begin, end);
    fix.description = "make '" + name + "' a function-local static, built on the first invocation and reused";
  } else {
    // AWS SDK objects must not be destroyed after Aws::ShutdownAPI, which a static's
    // destructor would be: keep one on the heap that is never destroyed.
    llvm::StringRef init = llvm::StringRef(initText).ltrim();
    std::string args;
    if (init.empty()) args = "";
    else if (init.starts_with("(") || init.starts_with("{")) args = init.str();
    else if (init.starts_with("=")) args = "(" + init.drop_front().trim().str() + ")";
    else return false;
    replacement = "static " + typeText + "& " + name + " = *new " + typeText + args;
    fix.description = "make '" + name +
                      "' a function-local static built on the first invocation; it is never destroyed, "
                      "because AWS SDK objects must not outlive Aws::ShutdownAPI";
  }
  Loc b = toLoc(begin), e = toLoc(end);
  fix.replacements.push_back(Replacement{b.file, b.offset, e.offset - b.offset, replacement, b.line, b.col});
  return true;
}

inline void Extractor::scopeFix(Fix &fix) {
  if (!currentFunction_) return;
  clang::SourceRange range = currentFunction_->getSourceRange();
  clang::SourceLocation b = sm_.getFileLoc(range.getBegin()), e = sm_.getFileLoc(range.getEnd());
  if (b.isInvalid() || e.isInvalid()) return;
  fix.scopeBegin = toLoc(b);
  fix.scopeEnd = toLoc(e);
}

/// True when the expression reads only values that are the same on every invocation:
/// constants, globals and calls. Otherwise `culprit`, when given, is the first node
/// that is not (a parameter, a per-invocation local, `this`).
inline bool Extractor::readsOnlyInvariantValues(const clang::Stmt *S, const clang::Stmt **culprit) {
  using namespace clang;
  if (!S) return true;
  auto fail = [&] {
    if (culprit && !*culprit) *culprit = S;
    return false;
  };
  if (isa<CXXThisExpr>(S)) return fail();
  if (auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    const ValueDecl *D = DRE->getDecl();
    if (auto *VD = dyn_cast<VarDecl>(D)) {
      if (VD->isConstexpr()) return true;
      if (!VD->hasGlobalStorage()) return fail(); // a parameter or a per-invocation local
    } else if (isa<BindingDecl>(D)) {
      return fail();
    }
  }
  if (auto *LE = dyn_cast<LambdaExpr>(S)) {
    for (const Expr *init : LE->capture_inits())
      if (init && !readsOnlyInvariantValues(init, culprit)) return false;
    return true;
  }
  for (const Stmt *child : S->children())
    if (!readsOnlyInvariantValues(child, culprit)) return false;
  return true;
}

/// Why the variable cannot become a static, or empty when it can: it must never be
/// moved from, returned, released, deleted or assigned to (itself or one of its
/// members), as a static would carry that state to the next invocation.
inline std::string Extractor::staticBlocker(const clang::Stmt *body, const clang::VarDecl *VD) {
  using namespace clang;
  std::string why;
  std::vector<const Stmt *> parents;
  std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
    if (!S || !why.empty()) return;
    if (auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && DRE->getDecl() == VD) why = staticUseBlocker(DRE, parents);
    parents.push_back(S);
    for (const Stmt *child : S->children()) walk(child);
    parents.pop_back();
  };
  walk(body);
  if (!why.empty()) why = "'" + VD->getName().str() + "' " + why;
  return why;
}

/// What one use of the variable does that a static would carry over ("is returned"), or
/// empty. `parents` are the nodes above the use, outermost first.
inline std::string Extractor::staticUseBlocker(const clang::DeclRefExpr *DRE,
                                               const std::vector<const clang::Stmt *> &parents) {
  using namespace clang;
  // Climb through nodes that pass the object on unchanged (casts, copies, temporaries,
  // & and *), then look at what consumes it.
  const Stmt *child = DRE;
  auto it = parents.rbegin();
  for (; it != parents.rend(); child = *it, ++it) {
    const Stmt *P = *it;
    if (isa<ImplicitCastExpr>(P) || isa<ParenExpr>(P) || isa<MaterializeTemporaryExpr>(P) ||
        isa<CXXBindTemporaryExpr>(P) || isa<ExprWithCleanups>(P) || isa<CXXFunctionalCastExpr>(P) ||
        isa<CXXNamedCastExpr>(P) || isa<CStyleCastExpr>(P))
      continue;
    if (auto *U = dyn_cast<UnaryOperator>(P); U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref))
      continue;
    if (auto *CC = dyn_cast<CXXConstructExpr>(P);
        CC && CC->getConstructor() && CC->getConstructor()->isCopyOrMoveConstructor())
      continue;
    break;
  }
  if (it == parents.rend()) return "";
  const Stmt *P = *it;
  if (isa<ReturnStmt>(P)) return "is returned";
  if (isa<CXXDeleteExpr>(P)) return "is deleted";
  if (auto *BO = dyn_cast<BinaryOperator>(P); BO && BO->isAssignmentOp() && BO->getLHS() == child)
    return "is assigned to";
  if (auto *OC = dyn_cast<CXXOperatorCallExpr>(P);
      OC && OC->isAssignmentOp() && OC->getNumArgs() > 0 && OC->getArg(0) == child)
    return "is assigned to";
  if (auto *ME = dyn_cast<MemberExpr>(P)) {
    // v.member = x, v.reset(), v.release(), v.swap(o): the next invocation would see
    // this one's changes.
    const Stmt *outer = nullptr;
    for (auto up = std::next(it); up != parents.rend(); ++up)
      if (!isa<ImplicitCastExpr>(*up) && !isa<ParenExpr>(*up)) {
        outer = *up;
        break;
      }
    if (isa<FieldDecl>(ME->getMemberDecl())) {
      auto *BO = outer ? dyn_cast<BinaryOperator>(outer) : nullptr;
      auto *OC = outer ? dyn_cast<CXXOperatorCallExpr>(outer) : nullptr;
      if ((BO && BO->isAssignmentOp()) || (OC && OC->isAssignmentOp()))
        return "is set up after it is built, which a static would repeat on every invocation";
    } else if (auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl()); M && M->getIdentifier()) {
      llvm::StringRef n = M->getName();
      if (cat_.listed("ownership-changing-methods", n)) return "is changed by '" + n.str() + "'";
    }
  } else if (auto *CE = dyn_cast<CallExpr>(P)) {
    if (const FunctionDecl *FD = CE->getDirectCallee()) {
      std::string qn = qualifiedName(FD);
      if (cat_.listed("moves-from-argument", qn)) return "is passed to '" + qn + "'";
      if (const CatalogFunction *f = cat_.findFunction(qn); f && f->kind == Kind::Release)
        return "is released with '" + qn + "'";
    }
  }
  return "";
}

inline bool Extractor::refersTo(const clang::Expr *E, const clang::VarDecl *VD) {
  using namespace clang;
  if (!E) return false;
  E = E->IgnoreParenImpCasts();
  while (true) {
    if (auto *U = dyn_cast<UnaryOperator>(E); U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref))
      E = U->getSubExpr()->IgnoreParenImpCasts();
    else if (auto *ME = dyn_cast<MemberExpr>(E)) E = ME->getBase()->IgnoreParenImpCasts();
    else if (auto *AS = dyn_cast<ArraySubscriptExpr>(E)) E = AS->getBase()->IgnoreParenImpCasts();
    else break;
  }
  auto *DRE = dyn_cast<DeclRefExpr>(E);
  return DRE && DRE->getDecl() == VD;
}

inline const clang::FunctionDecl *Extractor::enclosingFunction(const clang::Decl *D) {
  for (const clang::DeclContext *C = D->getDeclContext(); C; C = C->getParent())
    if (auto *FD = llvm::dyn_cast<clang::FunctionDecl>(C)) return FD;
  return nullptr;
}

} // namespace coldstart
