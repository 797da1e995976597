// Part of the Extractor (extract.h). The fix that hoists a client's set-up with it: the
// statements that declare and set up the locals it is built from (a configuration, a
// credentials provider) move with the construction into one once-only initialiser.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// The client is built from block-level locals of its own block (a configuration, a
/// credentials provider) declared and set up by the statements just above it: one fix
/// moves those statements and the construction into a once-only initialiser, an
/// immediately invoked lambda, when they read nothing that changes between invocations,
/// nothing else is interleaved, and the locals are not used after the client is built.
/// The clients among the moved locals keep their findings, without a fix of their own
/// (they would overlap): "fix-in" names the one that covers them.
inline void Extractor::offerHoistFix(Site &site, const clang::VarDecl *VD, const clang::DeclStmt *DS, bool sdkLifetime,
                                     const clang::FunctionDecl *fn) {
  std::string name = "'" + VD->getName().str() + "'";
  auto blk = blockOf_.find(DS);
  if (blk == blockOf_.end() || !frame()) return refuseFix(site, "its declaration is not a statement of a block");
  HoistRange range;
  if (!hoistRange(VD, DS, blk->second, range)) return refuseFix(site, range.why);
  if (std::string why = servesClientOnly(VD, range); !why.empty()) return refuseFix(site, why);
  if (!passedWhole(VD, range, sdkLifetime))
    return refuseFix(site, "what it is built from is not passed to it whole, and it may keep a reference to it");
  if (const clang::VarDecl *usedAfter = usedAfterRange(fn, range))
    return refuseFix(site, "'" + usedAfter->getName().str() + "' is used after " + name + " is built");
  // Without C++17's guaranteed copy elision the lambda's result would need a move.
  if (!sdkLifetime && !ctx_.getLangOpts().CPlusPlus17) return refuseFix(site, "moving its set-up needs C++17");
  Fix fix;
  if (!hoistReplacement(VD, DS, blk->second, range, sdkLifetime, fix))
    return refuseFix(site, "its set-up cannot be moved as written (a macro, a raw string, a directive or a "
                           "continued line)");
  if (!coverMovedSites(site, fix, VD->getName().str()))
    return refuseFix(site, "another finding is on a statement of its set-up");
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
  if (r.clientAt == r.body.size()) return r.fail("its declaration is not a statement of a block");
  // The locals declared alone by the statements above the client, by statement.
  std::map<const VarDecl *, size_t> locals;
  for (size_t i = 0; i < r.clientAt; ++i)
    if (auto *D = dyn_cast<DeclStmt>(r.body[i]))
      for (const Decl *d : D->decls())
        if (auto *V = dyn_cast<VarDecl>(d)) locals[V] = i;
  // Grow the range upwards until every local it reads is declared inside it.
  r.start = r.clientAt;
  const Stmt *culprit = nullptr;
  if (!readsOnlyOnceOnlyValues(VD->getInit(), locals, r.start, &culprit)) return r.fail(describeInput(culprit));
  if (r.start == r.clientAt) return r.fail("it reads a value that changes between invocations");
  for (size_t checked = r.clientAt; checked > r.start;) {
    size_t from = r.start;
    for (size_t i = from; i < checked; ++i) {
      const Stmt *S = r.body[i];
      std::string line = "line " + std::to_string(sm_.getPresumedLineNumber(sm_.getFileLoc(S->getBeginLoc())));
      if (S->getBeginLoc().isMacroID() || S->getEndLoc().isMacroID())
        return r.fail("its set-up on " + line + " is written in a macro");
      if (auto *D = dyn_cast<DeclStmt>(S)) {
        auto *V = D->isSingleDecl() ? dyn_cast<VarDecl>(D->getSingleDecl()) : nullptr;
        if (!V || !V->isLocalVarDecl() || V->isStaticLocal() || V->getType()->isReferenceType())
          return r.fail("the declaration on " + line + " is not of one local object");
        if (V->hasInit() && !readsOnlyOnceOnlyValues(V->getInit(), locals, r.start, &culprit))
          return r.fail(describeInput(culprit));
        r.hoisted.insert(V);
        continue;
      }
      const VarDecl *Target = setUpLocal(S);
      if (!Target || !locals.count(Target))
        return r.fail("the statement on " + line + ", among its set-up, does other work");
      r.setupOf[i] = Target;
      if (locals[Target] < r.start) r.start = locals[Target];
      if (!readsOnlyOnceOnlyValues(S, locals, r.start, &culprit)) return r.fail(describeInput(culprit));
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
inline std::string Extractor::servesClientOnly(const clang::VarDecl *VD, const HoistRange &r) {
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
    if (!needed.count(own))
      return "the statement on line " +
             std::to_string(sm_.getPresumedLineNumber(sm_.getFileLoc(r.body[i]->getBeginLoc()))) +
             ", among its set-up, does not serve it";
    reads(r.body[i]);
  }
  return "";
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
    o->data.erase("nofix"); // its note points to the fix that covers it
    o->locs["fix-in"] = site.loc;
    o->data["fix-in"] = name;
  }
  return true;
}

/// Like readsOnlyInvariantValues, but stricter about globals (only constants) and
/// allowing the block's `locals` declared at or after `start`... or before it, which
/// lowers `start` so that they are moved too.
inline bool Extractor::readsOnlyOnceOnlyValues(const clang::Stmt *S,
                                               const std::map<const clang::VarDecl *, size_t> &locals, size_t &start,
                                               const clang::Stmt **culprit) {
  using namespace clang;
  if (!S) return true;
  auto fail = [&] {
    if (culprit && !*culprit) *culprit = S;
    return false;
  };
  if (isa<CXXThisExpr>(S)) return fail();
  if (auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    const ValueDecl *D = DRE->getDecl();
    if (auto *V = dyn_cast<VarDecl>(D)) {
      if (auto it = locals.find(V); it != locals.end()) {
        start = std::min(start, it->second);
      } else if (!V->hasGlobalStorage()) {
        return fail(); // a parameter, or a local of another block
      } else if (!V->isConstexpr()) {
        QualType T = V->getType();
        if (T->isReferenceType()) T = T->getPointeeType();
        if (!T.isConstQualified()) return fail(); // a global that may change between invocations
      }
    } else if (isa<BindingDecl>(D)) {
      return fail();
    }
  }
  for (const Stmt *child : S->children())
    if (!readsOnlyOnceOnlyValues(child, locals, start, culprit)) return false;
  return true;
}

} // namespace coldstart
