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

/// Offers "make it a function-local static" when that is mechanical and safe: a
/// block-level local, alone in its declaration, whose initialiser reads nothing
/// per-invocation and that is never moved from, returned, released or reassigned.
inline void Extractor::offerStaticFix(Site &site, const clang::VarDecl *VD, const clang::DeclStmt *DS,
                                      const CatalogClass &entry) {
  using namespace clang;
  site.data["variable"] = VD->getName().str();
  if (!DS || !blockLevelDecls_.count(DS) || !VD->isLocalVarDecl() || VD->isStaticLocal() || VD->isConstexpr()) return;
  QualType T = VD->getType();
  if (T->isReferenceType() || T->isPointerType() || T->isArrayType() || !T->isRecordType()) return;
  if (DS->getBeginLoc().isMacroID() || VD->getEndLoc().isMacroID() || VD->getLocation().isMacroID()) return;
  if (!readsOnlyInvariantValues(VD->getInit())) return;
  const FunctionDecl *fn = enclosingFunction(VD);
  if (!fn || !fn->getBody() || !usesAllowStatic(fn->getBody(), VD)) return;
  const LangOptions &lo = ctx_.getLangOpts();
  SourceLocation begin = DS->getBeginLoc();
  SourceLocation nameLoc = VD->getLocation();
  SourceLocation nameEnd = Lexer::getLocForEndOfToken(nameLoc, 0, sm_, lo);
  SourceLocation end = Lexer::getLocForEndOfToken(VD->getEndLoc(), 0, sm_, lo);
  if (begin.isInvalid() || nameEnd.isInvalid() || end.isInvalid()) return;
  if (sm_.getFileID(begin) != sm_.getFileID(end)) return;
  std::string typeText = llvm::StringRef(text(begin, nameLoc)).trim().str();
  std::string initText = text(nameEnd, end);
  std::string name = VD->getName().str();
  if (typeText.empty() || typeText.find_first_of("*&[") != std::string::npos) return;
  if (typeText.rfind("static", 0) == 0 || typeText.find("thread_local") != std::string::npos) return;

  std::string replacement;
  std::string description;
  bool sdkLifetime = std::find(entry.tags.begin(), entry.tags.end(), "aws-sdk") != entry.tags.end();
  if (!sdkLifetime) {
    replacement = "static " + text(begin, end);
    description = "make '" + name + "' a function-local static, built on the first invocation and reused";
  } else {
    // AWS SDK objects must not be destroyed after Aws::ShutdownAPI, which a static's
    // destructor would be: keep one on the heap that is never destroyed.
    llvm::StringRef init = llvm::StringRef(initText).ltrim();
    std::string args;
    if (init.empty()) args = "";
    else if (init.starts_with("(") || init.starts_with("{")) args = init.str();
    else if (init.starts_with("=")) args = "(" + init.drop_front().trim().str() + ")";
    else return;
    replacement = "static " + typeText + "& " + name + " = *new " + typeText + args;
    description = "make '" + name +
                  "' a function-local static built on the first invocation; it is never destroyed, "
                  "because AWS SDK objects must not outlive Aws::ShutdownAPI";
  }
  Fix fix;
  fix.description = description;
  Replacement r;
  Loc b = toLoc(begin);
  Loc e = toLoc(end);
  r.file = b.file;
  r.offset = b.offset;
  r.length = e.offset - b.offset;
  r.text = replacement;
  r.line = b.line;
  r.col = b.col;
  fix.replacements.push_back(r);
  scopeFix(fix);
  site.fixes.push_back(fix);
}

inline void Extractor::scopeFix(Fix &fix) {
  if (!currentFunction_) return;
  clang::SourceRange range = currentFunction_->getSourceRange();
  clang::SourceLocation b = sm_.getFileLoc(range.getBegin()), e = sm_.getFileLoc(range.getEnd());
  if (b.isInvalid() || e.isInvalid()) return;
  fix.scopeBegin = toLoc(b);
  fix.scopeEnd = toLoc(e);
}

inline bool Extractor::readsOnlyInvariantValues(const clang::Stmt *S) {
  using namespace clang;
  if (!S) return true;
  if (isa<CXXThisExpr>(S)) return false;
  if (auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    const ValueDecl *D = DRE->getDecl();
    if (auto *VD = dyn_cast<VarDecl>(D)) {
      if (VD->isConstexpr()) return true;
      if (!VD->hasGlobalStorage()) return false; // a parameter or a per-invocation local
    } else if (isa<BindingDecl>(D)) {
      return false;
    }
  }
  if (auto *LE = dyn_cast<LambdaExpr>(S)) {
    for (const Expr *init : LE->capture_inits())
      if (init && !readsOnlyInvariantValues(init)) return false;
    return true;
  }
  for (const Stmt *child : S->children())
    if (!readsOnlyInvariantValues(child)) return false;
  return true;
}

/// The variable is never moved from, returned, released, deleted or assigned to
/// (itself or one of its members): a static would carry that state to the next
/// invocation.
inline bool Extractor::usesAllowStatic(const clang::Stmt *body, const clang::VarDecl *VD) {
  using namespace clang;
  bool ok = true;
  std::vector<const Stmt *> parents;
  std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
    if (!S || !ok) return;
    if (auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && DRE->getDecl() == VD) {
      // Climb through nodes that pass the object on unchanged (casts, copies,
      // temporaries, & and *), then look at what consumes it.
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
      if (it != parents.rend()) {
        const Stmt *P = *it;
        if (isa<ReturnStmt>(P) || isa<CXXDeleteExpr>(P)) ok = false;
        else if (auto *BO = dyn_cast<BinaryOperator>(P)) {
          if (BO->isAssignmentOp() && BO->getLHS() == child) ok = false;
        } else if (auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
          if (OC->isAssignmentOp() && OC->getNumArgs() > 0 && OC->getArg(0) == child) ok = false;
        } else if (auto *ME = dyn_cast<MemberExpr>(P)) {
          // v.member = x, v.reset(), v.release(), v.swap(o): the next invocation
          // would see this one's changes.
          const Stmt *outer = nullptr;
          for (auto up = std::next(it); up != parents.rend(); ++up)
            if (!isa<ImplicitCastExpr>(*up) && !isa<ParenExpr>(*up)) {
              outer = *up;
              break;
            }
          if (isa<FieldDecl>(ME->getMemberDecl())) {
            if (auto *BO = outer ? dyn_cast<BinaryOperator>(outer) : nullptr; BO && BO->isAssignmentOp()) ok = false;
            if (auto *OC = outer ? dyn_cast<CXXOperatorCallExpr>(outer) : nullptr; OC && OC->isAssignmentOp())
              ok = false;
          } else if (auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl()); M && M->getIdentifier()) {
            llvm::StringRef n = M->getName();
            if (n == "reset" || n == "release" || n == "swap") ok = false;
          }
        } else if (auto *CE = dyn_cast<CallExpr>(P)) {
          if (const FunctionDecl *FD = CE->getDirectCallee()) {
            std::string qn = qualifiedName(FD);
            if (cat_.listed("moves-from-argument", qn)) ok = false;
            if (const CatalogFunction *f = cat_.findFunction(qn); f && f->kind == Kind::Release) ok = false;
          }
        }
      }
    }
    parents.push_back(S);
    for (const Stmt *child : S->children()) walk(child);
    parents.pop_back();
  };
  walk(body);
  return ok;
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
