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
  const FunctionDecl *fn = enclosingFunction(VD);
  if (!fn || !fn->getBody() || !usesAllowStatic(fn->getBody(), VD)) return;
  if (!readsOnlyInvariantValues(VD->getInit())) return offerHoistFix(site, VD, DS, entry, fn);
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

/// The client is built from block-level locals of its own block (a configuration, a
/// credentials provider) declared and set up by the statements just above it: one fix
/// moves those statements and the construction into a once-only initialiser, an
/// immediately invoked lambda, when they read nothing that changes between invocations,
/// nothing else is interleaved, and the locals are not used after the client is built.
/// The clients among the moved locals keep their findings, without a fix of their own
/// (they would overlap): "fix-in" names the one that covers them.
inline void Extractor::offerHoistFix(Site &site, const clang::VarDecl *VD, const clang::DeclStmt *DS,
                                     const CatalogClass &entry, const clang::FunctionDecl *fn) {
  auto blk = blockOf_.find(DS);
  if (blk == blockOf_.end() || !frame()) return;
  HoistRange range;
  if (!hoistRange(VD, DS, blk->second, range) || !servesClientOnly(VD, range)) return;
  bool sdkLifetime = std::find(entry.tags.begin(), entry.tags.end(), "aws-sdk") != entry.tags.end();
  if (!passedWhole(VD, range, sdkLifetime)) return;
  if (const clang::VarDecl *usedAfter = usedAfterRange(fn, range)) {
    // Say why the fix the user may expect is not offered.
    site.data["nofix"] = "'" + usedAfter->getName().str() + "' is used after '" + VD->getName().str() + "' is built";
    return;
  }
  Fix fix;
  if (!hoistReplacement(VD, DS, blk->second, range, sdkLifetime, fix) ||
      !coverMovedSites(site, fix, VD->getName().str()))
    return;
  scopeFix(fix);
  site.fixes.push_back(fix);
}

/// The statements the hoisting fix moves: from the client's declaration upwards, every
/// statement that declares a local alone or sets one up (assigns a member of it, calls
/// a method on it), until every local they read is declared inside the range; each
/// reading only once-only values. False when something else is in the way.
inline bool Extractor::hoistRange(const clang::VarDecl *VD, const clang::DeclStmt *DS, const clang::CompoundStmt *block,
                                  HoistRange &r) {
  using namespace clang;
  r.body.assign(block->body_begin(), block->body_end());
  r.clientAt = std::find(r.body.begin(), r.body.end(), DS) - r.body.begin();
  if (r.clientAt == r.body.size()) return false;
  // The locals declared alone by the statements above the client, by statement.
  std::map<const VarDecl *, size_t> locals;
  for (size_t i = 0; i < r.clientAt; ++i)
    if (auto *D = dyn_cast<DeclStmt>(r.body[i]))
      for (const Decl *d : D->decls())
        if (auto *V = dyn_cast<VarDecl>(d)) locals[V] = i;
  // Grow the range upwards until every local it reads is declared inside it.
  r.start = r.clientAt;
  if (!readsOnlyOnceOnlyValues(VD->getInit(), locals, r.start) || r.start == r.clientAt) return false;
  for (size_t checked = r.clientAt; checked > r.start;) {
    size_t from = r.start;
    for (size_t i = from; i < checked; ++i) {
      const Stmt *S = r.body[i];
      if (S->getBeginLoc().isMacroID() || S->getEndLoc().isMacroID()) return false;
      if (auto *D = dyn_cast<DeclStmt>(S)) {
        auto *V = D->isSingleDecl() ? dyn_cast<VarDecl>(D->getSingleDecl()) : nullptr;
        if (!V || !V->isLocalVarDecl() || V->isStaticLocal() || V->getType()->isReferenceType()) return false;
        if (V->hasInit() && !readsOnlyOnceOnlyValues(V->getInit(), locals, r.start)) return false;
        r.hoisted.insert(V);
        continue;
      }
      const VarDecl *Target = setUpLocal(S);
      if (!Target || !locals.count(Target)) return false;
      r.setupOf[i] = Target;
      if (locals[Target] < r.start) r.start = locals[Target];
      if (!readsOnlyOnceOnlyValues(S, locals, r.start)) return false;
    }
    checked = from;
  }
  return true;
}

/// The local a set-up statement sets up (`cfg.region = ...`, `cfg->set(...)`,
/// `*p = ...`), or null when the statement is not one.
inline const clang::VarDecl *Extractor::setUpLocal(const clang::Stmt *S) {
  using namespace clang;
  auto *E = dyn_cast<Expr>(S);
  if (!E) return nullptr;
  const Expr *top = E->IgnoreImplicit()->IgnoreParens();
  const Expr *object = nullptr;
  if (auto *BO = dyn_cast<BinaryOperator>(top); BO && BO->isAssignmentOp()) object = BO->getLHS();
  else if (auto *OC = dyn_cast<CXXOperatorCallExpr>(top); OC && OC->isAssignmentOp() && OC->getNumArgs() == 2)
    object = OC->getArg(0);
  else if (auto *MC = dyn_cast<CXXMemberCallExpr>(top)) object = MC->getImplicitObjectArgument();
  if (!object) return nullptr;
  // Down to the variable: members, ->, *, and a smart pointer's operator->.
  while (true) {
    object = object->IgnoreParenImpCasts();
    if (auto *ME = dyn_cast<MemberExpr>(object)) object = ME->getBase();
    else if (auto *U = dyn_cast<UnaryOperator>(object); U && U->getOpcode() == UO_Deref) object = U->getSubExpr();
    else if (auto *OC = dyn_cast<CXXOperatorCallExpr>(object);
             OC && (OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star) && OC->getNumArgs() == 1)
      object = OC->getArg(0);
    else break;
  }
  auto *Ref = dyn_cast<DeclRefExpr>(object);
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

/// Every moved statement must serve the client: it declares or sets up a local that the
/// client, or a later moved statement, reads (no unrelated declaration in between).
inline bool Extractor::servesClientOnly(const clang::VarDecl *VD, const HoistRange &r) {
  using namespace clang;
  std::set<const VarDecl *> needed;
  std::function<void(const Stmt *)> reads = [&](const Stmt *S) {
    if (!S) return;
    if (auto *R = dyn_cast<DeclRefExpr>(S))
      if (auto *V = dyn_cast<VarDecl>(R->getDecl()); V && r.hoisted.count(V)) needed.insert(V);
    for (const Stmt *c : S->children()) reads(c);
  };
  reads(VD->getInit());
  for (size_t i = r.clientAt; i-- > r.start;) {
    auto *D = dyn_cast<DeclStmt>(r.body[i]);
    auto setup = r.setupOf.find(i);
    const VarDecl *own = D ? cast<VarDecl>(D->getSingleDecl()) : setup == r.setupOf.end() ? nullptr : setup->second;
    if (!needed.count(own)) return false;
    reads(r.body[i]);
  }
  return true;
}

/// The client may keep only copies of the moved locals, which die with the lambda: each
/// must be passed whole, as an argument of the construction (no `&cfg`, no
/// `cfg.get()`). AWS SDK clients copy their configuration and share their credentials
/// provider; another client given a catalog object (an io_context, a TLS context) may
/// keep a reference to it.
inline bool Extractor::passedWhole(const clang::VarDecl *VD, const HoistRange &r, bool sdkLifetime) {
  using namespace clang;
  const Expr *core = VD->getInit()->IgnoreUnlessSpelledInSource();
  while (true) {
    if (auto *FC = dyn_cast<CXXFunctionalCastExpr>(core)) core = FC->getSubExpr()->IgnoreUnlessSpelledInSource();
    else if (auto *CC = dyn_cast<CXXConstructExpr>(core);
             CC && CC->getNumArgs() == 1 && CC->getConstructor() && CC->getConstructor()->isCopyOrMoveConstructor())
      core = CC->getArg(0)->IgnoreUnlessSpelledInSource();
    else break;
  }
  llvm::ArrayRef<const Expr *> args;
  if (auto *CC = dyn_cast<CXXConstructExpr>(core)) args = llvm::ArrayRef(CC->getArgs(), CC->getNumArgs());
  else if (auto *CE = dyn_cast<CallExpr>(core)) args = llvm::ArrayRef(CE->getArgs(), CE->getNumArgs());
  else return false;
  size_t direct = 0, all = 0;
  for (const Expr *arg : args)
    if (auto *R = dyn_cast<DeclRefExpr>(arg->IgnoreUnlessSpelledInSource()))
      if (auto *V = dyn_cast<VarDecl>(R->getDecl()); V && r.hoisted.count(V)) {
        ++direct;
        const CXXRecordDecl *RD = V->getType()->getAsCXXRecordDecl();
        if (!sdkLifetime && RD && matchClass(RD)) return false;
      }
  std::function<void(const Stmt *)> countRefs = [&](const Stmt *S) {
    if (!S) return;
    if (auto *R = dyn_cast<DeclRefExpr>(S))
      if (auto *V = dyn_cast<VarDecl>(R->getDecl()); V && r.hoisted.count(V)) ++all;
    for (const Stmt *c : S->children()) countRefs(c);
  };
  countRefs(VD->getInit());
  return direct != 0 && all == direct;
}

/// A moved local that `fn` uses after the client is built (outside the range), or null.
inline const clang::VarDecl *Extractor::usedAfterRange(const clang::FunctionDecl *fn, const HoistRange &r) {
  using namespace clang;
  std::set<const Stmt *> inside;
  std::function<void(const Stmt *)> collect = [&](const Stmt *S) {
    if (!S) return;
    inside.insert(S);
    for (const Stmt *c : S->children()) collect(c);
  };
  for (size_t i = r.start; i <= r.clientAt; ++i) collect(r.body[i]);
  const VarDecl *usedAfter = nullptr;
  std::function<void(const Stmt *)> uses = [&](const Stmt *S) {
    if (!S || usedAfter) return;
    if (auto *R = dyn_cast<DeclRefExpr>(S))
      if (auto *V = dyn_cast<VarDecl>(R->getDecl()); V && r.hoisted.count(V) && !inside.count(S)) usedAfter = V;
    for (const Stmt *c : S->children()) uses(c);
  };
  uses(fn->getBody());
  return usedAfter;
}

/// The fix's text: from the first moved statement to the end of the client's
/// declarator, one function-local static initialised by an immediately invoked lambda
/// that holds the moved statements, re-indented one level deeper. False when the text
/// cannot be moved as it is (macros, raw strings, continued lines, directives).
inline bool Extractor::hoistReplacement(const clang::VarDecl *VD, const clang::DeclStmt *DS,
                                        const clang::CompoundStmt *block, const HoistRange &r, bool sdkLifetime,
                                        Fix &fix) {
  using namespace clang;
  const LangOptions &lo = ctx_.getLangOpts();
  SourceLocation begin = r.body[r.start]->getBeginLoc(), clientBegin = DS->getBeginLoc(), nameLoc = VD->getLocation();
  SourceLocation nameEnd = Lexer::getLocForEndOfToken(nameLoc, 0, sm_, lo);
  SourceLocation end = Lexer::getLocForEndOfToken(VD->getEndLoc(), 0, sm_, lo);
  if (begin.isInvalid() || nameEnd.isInvalid() || end.isInvalid() || VD->getLocation().isMacroID()) return false;
  if (sm_.getFileID(begin) != sm_.getFileID(end)) return false;
  std::string typeText = llvm::StringRef(text(clientBegin, nameLoc)).trim().str();
  std::string name = VD->getName().str();
  std::string initText = text(nameEnd, end);
  llvm::StringRef init = llvm::StringRef(initText).trim();
  if (typeText.empty() || typeText.find_first_of("*&[") != std::string::npos) return false;
  for (const char *word : {"static", "thread_local", "const", "volatile", "decltype", "constexpr"})
    if (typeText.find(word) != std::string::npos) return false;
  std::string setup = text(begin, clientBegin);
  // A raw string or a continued line would change if re-indented.
  if (setup.find("R\"") != std::string::npos || setup.find("\\\n") != std::string::npos) return false;
  // A preprocessor directive among them: the text holds more than the analysis saw.
  for (llvm::StringRef rest = setup; !rest.empty();) {
    auto [line, tail] = rest.split('\n');
    if (line.ltrim().starts_with("#")) return false;
    rest = tail;
  }
  // Only whitespace before the first statement on its line; the indentation one level deeper.
  Loc b = toLoc(begin), e = toLoc(end);
  llvm::StringRef buf = sm_.getBufferData(sm_.getFileID(sm_.getFileLoc(begin)));
  std::string indent = buf.substr(b.offset - (b.col - 1), b.col - 1).str();
  if (indent.find_first_not_of(" \t") != std::string::npos) return false;
  std::string step = indent.find('\t') != std::string::npos ? "\t" : "  ";
  Loc brace = toLoc(block->getLBracLoc());
  if (brace.valid() && brace.file == b.file) {
    llvm::StringRef braceLine = buf.substr(brace.offset - (brace.col - 1));
    std::string braceIndent = braceLine.substr(0, braceLine.find_first_not_of(" \t")).str();
    if (indent.size() > braceIndent.size() && llvm::StringRef(indent).starts_with(braceIndent))
      step = indent.substr(braceIndent.size());
  }
  std::string eol = setup.find("\r\n") != std::string::npos ? "\r\n" : "\n";

  bool isAuto = typeText == "auto";
  std::string value; // what the lambda returns
  if (init.starts_with("=")) {
    std::string expr = init.drop_front().trim().str();
    if (sdkLifetime) value = "new " + typeText + "(" + expr + ")";
    else if (isAuto) value = expr;
    else value = typeText + (llvm::StringRef(expr).starts_with("{") ? expr : "(" + expr + ")");
  } else if ((init.starts_with("(") || init.starts_with("{")) && !isAuto) {
    value = (sdkLifetime ? "new " : "") + typeText + init.str();
  } else {
    return false;
  }
  // Without C++17's guaranteed copy elision the returned object would need a move.
  if (!sdkLifetime && !lo.CPlusPlus17) return false;

  std::string replacement =
      sdkLifetime ? "static " + typeText + "& " + name + " = *[] {" : "static " + typeText + " " + name + " = [] {";
  llvm::StringRef rest = llvm::StringRef(setup).rtrim();
  bool first = true;
  while (!rest.empty() || first) {
    auto [line, tail] = rest.split('\n');
    llvm::StringRef l = line.rtrim("\r");
    replacement += eol;
    if (!l.trim().empty()) replacement += (first ? indent + step : step) + l.str();
    first = false;
    rest = tail;
    if (tail.empty()) break;
  }
  replacement += eol + indent + step + "return " + value + ";" + eol + indent + "}()";
  fix.description = "build '" + name + "' and what it is built from once, in a function-local static" +
                    (sdkLifetime ? " that is never destroyed, because AWS SDK objects must not outlive Aws::ShutdownAPI"
                                 : std::string());
  fix.replacements.push_back(Replacement{b.file, b.offset, e.offset - b.offset, replacement, b.line, b.col});
  return true;
}

/// Other findings' fixes inside the fix's range would overlap it: false when there is
/// another finding on a moved statement (a bad setting, left to the user). The clients
/// among the moved locals lose their own fixes and point to this one ("fix-in").
inline bool Extractor::coverMovedSites(Site &site, const Fix &fix, const std::string &name) {
  const Replacement &moved = fix.replacements.front();
  std::vector<Site *> covered;
  for (Site &o : frame()->fn().sites) {
    if (&o == &site || o.loc.file != moved.file || o.loc.offset < moved.offset ||
        o.loc.offset >= moved.offset + moved.length)
      continue;
    if (o.kind != "client" && o.kind != "sdk-init") return false;
    covered.push_back(&o);
  }
  for (Site *o : covered) {
    o->fixes.clear();
    o->locs["fix-in"] = site.loc;
    o->data["fix-in"] = name;
  }
  return true;
}

/// Like readsOnlyInvariantValues, but stricter about globals (only constants) and
/// allowing the block's `locals` declared at or after `start`... or before it, which
/// lowers `start` so that they are moved too.
inline bool Extractor::readsOnlyOnceOnlyValues(const clang::Stmt *S,
                                               const std::map<const clang::VarDecl *, size_t> &locals, size_t &start) {
  using namespace clang;
  if (!S) return true;
  if (isa<CXXThisExpr>(S)) return false;
  if (auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    const ValueDecl *D = DRE->getDecl();
    if (auto *V = dyn_cast<VarDecl>(D)) {
      if (auto it = locals.find(V); it != locals.end()) {
        start = std::min(start, it->second);
      } else if (!V->hasGlobalStorage()) {
        return false; // a parameter, or a local of another block
      } else if (!V->isConstexpr()) {
        QualType T = V->getType();
        if (T->isReferenceType()) T = T->getPointeeType();
        if (!T.isConstQualified()) return false; // a global that may change between invocations
      }
    } else if (isa<BindingDecl>(D)) {
      return false;
    }
  }
  for (const Stmt *child : S->children())
    if (!readsOnlyOnceOnlyValues(child, locals, start)) return false;
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
            if (cat_.listed("ownership-changing-methods", n)) ok = false;
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
