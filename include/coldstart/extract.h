// Extraction: one clang AST in, TUFacts out.
//
// The Extractor walks the translation unit once. For every function-like node it
// records call edges (calls, constructions, destructions, lambdas, references to
// functions) and cost sites (catalog matches), each marked `once` when it sits in a
// once-only region: the initialiser of a function-local static, the arguments of
// std::call_once, or the body of a lazy-initialisation guard. It also records handler
// entries: callables passed to run_handler (resolved through variables, containers,
// parameters and returns), functions with the handler signature, and outermost loops,
// which become nodes of their own so that a custom runtime loop can be an entry.
//
// Nothing here decides what is per-invocation: that is the linker's job (link.h),
// because a handler in one TU may reach a client built in another.
#pragma once

#include "coldstart/catalog.h"
#include "coldstart/facts.h"
#include "coldstart/hash.h"
#include "coldstart/recovery.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Index/USRGeneration.h>
#include <clang/Lex/Lexer.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace coldstart {

/// Fully qualified name without inline namespaces (std::__cxx11, v2_x) or template
/// arguments: "Aws::S3::S3Client", "std::basic_regex", "curl_easy_init".
inline std::string qualifiedName(const clang::NamedDecl *D) {
  using namespace clang;
  std::vector<std::string> parts;
  auto nameOf = [](const NamedDecl *N) -> std::string {
    if (auto *ND = dyn_cast<NamespaceDecl>(N))
      if (ND->isAnonymousNamespace()) return "(anonymous namespace)";
    if (auto *RD = dyn_cast<RecordDecl>(N); RD && RD->getName().empty()) {
      if (auto *TD = RD->getTypedefNameForAnonDecl()) return TD->getName().str();
      return "(anonymous)";
    }
    return N->getDeclName().getAsString();
  };
  parts.push_back(nameOf(D));
  for (const DeclContext *C = D->getDeclContext(); C; C = C->getParent()) {
    if (auto *ND = dyn_cast<NamespaceDecl>(C)) {
      if (ND->isInline()) continue;
      parts.push_back(nameOf(ND));
    } else if (auto *RD = dyn_cast<RecordDecl>(C)) {
      parts.push_back(nameOf(RD));
    } else if (auto *FD = dyn_cast<FunctionDecl>(C)) {
      parts.push_back(FD->getDeclName().getAsString());
    }
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty()) out += "::";
    out += *it;
  }
  return out;
}

/// How a function or variable is named in messages: qualified, without anonymous
/// namespaces ("intake::kSku", not "intake::(anonymous namespace)::kSku"); the note's
/// location already says which file it is in.
inline std::string withoutAnonymousNamespaces(std::string qn) {
  static const std::string anon = "(anonymous namespace)::";
  for (size_t at; (at = qn.find(anon)) != std::string::npos;) qn.erase(at, anon.size());
  return qn;
}

inline std::string displayName(const clang::NamedDecl *D) { return withoutAnonymousNamespaces(qualifiedName(D)); }

/// `<args>` of a template instantiation, or "" when an argument has no name worth
/// showing (a lambda's or an unnamed type: '(lambda at /path:12:3)').
inline std::string templateArgsText(llvm::ArrayRef<clang::TemplateArgument> args, const clang::ASTContext &ctx) {
  std::string text;
  llvm::raw_string_ostream os(text);
  clang::printTemplateArgumentList(os, args, clang::PrintingPolicy(ctx.getLangOpts()));
  os.flush();
  if (text.find("(lambda") != std::string::npos || text.find("(unnamed") != std::string::npos ||
      text.find("(anonymous") != std::string::npos || text.size() > 80)
    return {};
  return text;
}

/// A function's name in notes and reports, with the template arguments of the
/// instantiation: 'create<Aws::S3::S3Client>', 'Box<int>::get'.
inline std::string displayFunctionName(const clang::FunctionDecl *FD) {
  using namespace clang;
  std::string name = displayName(FD);
  if (auto *CS = dyn_cast<ClassTemplateSpecializationDecl>(FD->getDeclContext())) {
    std::string cls = displayName(CS);
    if (name.rfind(cls + "::", 0) == 0)
      name = cls + templateArgsText(CS->getTemplateArgs().asArray(), FD->getASTContext()) + name.substr(cls.size());
  }
  if (const TemplateArgumentList *args = FD->getTemplateSpecializationArgs())
    name += templateArgsText(args->asArray(), FD->getASTContext());
  return name;
}

/// A variable's name in messages, with the template arguments of the instantiation it
/// belongs to: 'CardRule<Visa>::pattern', 'kReference<char>'.
inline std::string displayVarName(const clang::VarDecl *VD) {
  using namespace clang;
  PrintingPolicy policy(VD->getASTContext().getLangOpts());
  std::string args;
  llvm::raw_string_ostream os(args);
  if (auto *VS = dyn_cast<VarTemplateSpecializationDecl>(VD)) {
    printTemplateArgumentList(os, VS->getTemplateArgs().asArray(), policy);
    return withoutAnonymousNamespaces(displayName(VD) + os.str());
  }
  if (auto *CS = dyn_cast<ClassTemplateSpecializationDecl>(VD->getDeclContext())) {
    printTemplateArgumentList(os, CS->getTemplateArgs().asArray(), policy);
    return withoutAnonymousNamespaces(displayName(CS) + os.str() + "::" + VD->getDeclName().getAsString());
  }
  return displayName(VD);
}


struct ExtractOptions {
  const Catalog *catalog = nullptr;
  /// Skip parsing function bodies in system headers (design.md, Speed): they are never
  /// extracted. Bodies of catalog "construct" wrappers (std::make_unique...) are kept:
  /// they tell which constructor a wrapper calls.
  bool skipSystemBodies = true;
  /// Parse, but extract nothing (bench/: measures what the analysis itself costs).
  bool parseOnly = false;
  /// Leak the AST instead of freeing it (a child process that exits right after).
  bool disableFree = false;
};

class Extractor : public clang::RecursiveASTVisitor<Extractor> {
  using Base = clang::RecursiveASTVisitor<Extractor>;

public:
  Extractor(clang::ASTContext &ctx, const ExtractOptions &opts, TUFacts &out,
            std::vector<UnresolvedCall> unresolved = {})
      : ctx_(ctx), sm_(ctx.getSourceManager()), cat_(*opts.catalog), out_(out), unresolved_(std::move(unresolved)) {}

  bool shouldVisitImplicitCode() const { return true; }
  bool shouldVisitTemplateInstantiations() const { return true; }

  void run() {
    prepass();
    TraverseDecl(ctx_.getTranslationUnitDecl());
    finish();
    recordDependencies();
  }

  /// Every file the parse read, with its content hash (main file first): the facts
  /// cache is valid while they all hash the same.
  void recordDependencies() {
    std::vector<Dependency> deps;
    std::string mainPath;
    if (auto FE = sm_.getFileEntryRefForID(sm_.getMainFileID())) {
      llvm::SmallString<256> real;
      mainPath = llvm::sys::fs::real_path(FE->getName(), real) ? absolutePath(FE->getName()) : real.str().str();
    }
    for (auto it = sm_.fileinfo_begin(); it != sm_.fileinfo_end(); ++it) {
      clang::FileEntryRef FE = it->first;
      auto buf = sm_.getMemoryBufferForFileOrNone(FE);
      if (!buf) continue;
      llvm::StringRef name = FE.getName();
      if (name.starts_with(kFallbackRoot)) { // a built-in header: part of the binary, not a file
        // Name the ones the user's code includes, not what they include in turn.
        clang::FileID fid = sm_.translateFile(FE);
        clang::SourceLocation from = fid.isValid() ? sm_.getIncludeLoc(fid) : clang::SourceLocation();
        bool direct = true;
        if (from.isValid())
          if (auto includer = sm_.getFileEntryRefForID(sm_.getFileID(from)))
            direct = !includer->getName().starts_with(kFallbackRoot);
        if (direct) out_.fallback.push_back(name.drop_front(std::strlen(kFallbackRoot) + 1).str());
        continue;
      }
      // The real path: GCC's headers are found through '..' and the /lib -> /usr/lib
      // symlink, which a lexical clean-up would get wrong.
      llvm::SmallString<256> real;
      std::string path = absolutePath(FE.getName());
      if (!llvm::sys::fs::real_path(FE.getName(), real)) path = real.str().str();
      deps.push_back({path, hashText(buf->getBuffer())});
    }
    std::sort(deps.begin(), deps.end(), [&](const Dependency &a, const Dependency &b) {
      return std::make_pair(a.path != mainPath, a.path) < std::make_pair(b.path != mainPath, b.path);
    });
    deps.erase(std::unique(deps.begin(), deps.end(), [](const Dependency &a, const Dependency &b) { return a.path == b.path; }),
               deps.end());
    // Where each missing header would be found: the entry is stale once one appears.
    for (const MissingHeader &m : out_.missing)
      for (const std::string &c : m.candidates) deps.push_back({c, ""});
    out_.deps = std::move(deps);
    std::sort(out_.fallback.begin(), out_.fallback.end());
  }

  std::string absolutePath(llvm::StringRef name) {
    llvm::SmallString<256> p(name);
    sm_.getFileManager().makeAbsolutePath(p);
    llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
    return p.str().str();
  }

  // ---- declarations --------------------------------------------------------------

  bool TraverseDecl(clang::Decl *D) {
    using namespace clang;
    if (!D) return true;
    if (!isa<TranslationUnitDecl>(D) && inSystem(D->getLocation())) return true;
    if (auto *FD = dyn_cast<FunctionDecl>(D)) return traverseFunction(FD);
    return Base::TraverseDecl(D);
  }

  bool TraverseVarDecl(clang::VarDecl *VD) {
    return traverseVar(VD, [&] { return Base::TraverseVarDecl(VD); });
  }
  bool TraverseDecompositionDecl(clang::DecompositionDecl *VD) { // `static auto [a, b] = make();`
    return traverseVar(VD, [&] { return Base::TraverseDecompositionDecl(VD); });
  }
  bool TraverseVarTemplateSpecializationDecl(clang::VarTemplateSpecializationDecl *VD) {
    return traverseVar(VD, [&] { return Base::TraverseVarTemplateSpecializationDecl(VD); });
  }

  /// Variables: function-local statics run once; namespace-scope and static data
  /// members (and the instantiations of variable templates) are static-init nodes.
  template <typename BaseTraverse> bool traverseVar(clang::VarDecl *VD, BaseTraverse base) {
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
      pushFrame(idx);
      bool r = base();
      popFrame();
      return r;
    }
    return base();
  }

  bool VisitVarDecl(clang::VarDecl *VD) {
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
      if (auto *RD = VD->getType()->getAsCXXRecordDecl())
        addDestructorEdge(RD, VD->getLocation());
    return true;
  }

  // Unevaluated operands run nothing: decltype(make()), sizeof(make()), noexcept(make()).
  bool TraverseDecltypeTypeLoc(clang::DecltypeTypeLoc) { return true; }
  bool TraverseUnaryExprOrTypeTraitExpr(clang::UnaryExprOrTypeTraitExpr *) { return true; }
  bool TraverseCXXNoexceptExpr(clang::CXXNoexceptExpr *) { return true; }
  bool TraverseCXXTypeidExpr(clang::CXXTypeidExpr *E) {
    return E->isPotentiallyEvaluated() ? Base::TraverseCXXTypeidExpr(E) : true;
  }
  bool TraverseRequiresExpr(clang::RequiresExpr *) { return true; }

  bool TraverseDeclStmt(clang::DeclStmt *S) {
    using namespace clang;
    if (frame() && S->isSingleDecl())
      if (auto *VD = dyn_cast<VarDecl>(S->getSingleDecl())) noteDeclaration(S, VD);
    return Base::TraverseDeclStmt(S);
  }

  bool TraverseCompoundStmt(clang::CompoundStmt *S) {
    using namespace clang;
    if (!frame()) return Base::TraverseCompoundStmt(S);
    if (!WalkUpFromCompoundStmt(S)) return false;
    for (Stmt *child : S->body())
      if (auto *DS = dyn_cast_or_null<DeclStmt>(child)) blockLevelDecls_.insert(DS);
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

  bool TraverseIfStmt(clang::IfStmt *S) {
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
  bool TraverseForStmt(clang::ForStmt *S) {
    return traverseLoop(S, S->getCond(), [&] { return Base::TraverseForStmt(S); });
  }
  bool TraverseWhileStmt(clang::WhileStmt *S) {
    return traverseLoop(S, S->getCond(), [&] { return Base::TraverseWhileStmt(S); });
  }
  bool TraverseDoStmt(clang::DoStmt *S) {
    return traverseLoop(S, S->getCond(), [&] { return Base::TraverseDoStmt(S); });
  }
  bool TraverseCXXForRangeStmt(clang::CXXForRangeStmt *S) {
    return traverseLoop(S, S->getRangeInit(), [&] { return Base::TraverseCXXForRangeStmt(S); },
                        /*rangeLoop=*/true);
  }

  // ---- lambdas -------------------------------------------------------------------

  bool TraverseLambdaExpr(clang::LambdaExpr *LE) {
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

  // ---- constructions ---------------------------------------------------------------

  bool TraverseCXXConstructExpr(clang::CXXConstructExpr *E) {
    return withNesting(recordConstruct(E), [&] { return Base::TraverseCXXConstructExpr(E); });
  }
  bool TraverseCXXTemporaryObjectExpr(clang::CXXTemporaryObjectExpr *E) {
    return withNesting(recordConstruct(E), [&] { return Base::TraverseCXXTemporaryObjectExpr(E); });
  }

  bool VisitCXXNewExpr(clang::CXXNewExpr *E) {
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

  bool VisitCXXDeleteExpr(clang::CXXDeleteExpr *E) {
    if (!frame()) return true;
    clang::QualType T = E->getDestroyedType(); // null when the operand did not compile (found by fuzzing)
    if (T.isNull()) return true;
    if (auto *RD = T->getAsCXXRecordDecl()) addDestructorEdge(RD, E->getBeginLoc());
    return true;
  }

  bool VisitCXXBindTemporaryExpr(clang::CXXBindTemporaryExpr *E) {
    if (!frame()) return true;
    if (const auto *D = E->getTemporary()->getDestructor()) addDestructorEdge(D->getParent(), E->getBeginLoc());
    return true;
  }

  bool TraverseConstructorInitializer(clang::CXXCtorInitializer *I) {
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

  // ---- calls ---------------------------------------------------------------------

  bool TraverseCallExpr(clang::CallExpr *CE) { return traverseCall(CE, [&] { return Base::TraverseCallExpr(CE); }); }

  // ---- calls that did not resolve because of a missing declaration -------------------
  //
  // With a header missing, `work(order)` (an argument of an undeclared type) and
  // `run_handler([&](...) { ... })` (a lambda whose return statement names an undeclared
  // function, so it no longer converts) are kept by clang as recovery expressions that
  // still name their callee. When every candidate of that name is one function, the call
  // is certain, only its arguments are not: it is an edge, and a registration stays a
  // registration. Calls that name several overloads are not guessed at.

  /// The one function a recovered call names, or null.
  const clang::FunctionDecl *recoveredCallee(const clang::Expr *callee) {
    using namespace clang;
    auto *ULE = dyn_cast_or_null<UnresolvedLookupExpr>(callee ? callee->IgnoreParenImpCasts() : nullptr);
    if (!ULE || ULE->getNumDecls() == 0) return nullptr;
    const FunctionDecl *only = nullptr;
    for (const NamedDecl *D : ULE->decls()) {
      const FunctionDecl *FD = D->getAsFunction();
      if (!FD) return nullptr;
      FD = FD->getCanonicalDecl();
      if (only && only != FD) return nullptr;
      only = FD;
    }
    return only;
  }

  /// The catalog's registration function that all candidates of a recovered call name
  /// (every overload of run_handler is run_handler), or null.
  const CatalogFunction *recoveredRegistration(const clang::Expr *callee) {
    using namespace clang;
    auto *ULE = dyn_cast_or_null<UnresolvedLookupExpr>(callee ? callee->IgnoreParenImpCasts() : nullptr);
    if (!ULE || ULE->getNumDecls() == 0) return nullptr;
    std::string name;
    for (const NamedDecl *D : ULE->decls()) {
      const FunctionDecl *FD = D->getAsFunction();
      if (!FD) return nullptr;
      std::string q = qualifiedName(FD);
      if (!name.empty() && q != name) return nullptr;
      name = q;
    }
    const CatalogFunction *entry = cat_.findFunction(name);
    return entry && entry->kind == Kind::RegisterHandler ? entry : nullptr;
  }

  void noteRecoveredCall(const clang::Expr *callee, llvm::ArrayRef<const clang::Expr *> args, clang::SourceLocation loc) {
    if (!frame()) return;
    if (const CatalogFunction *reg = recoveredRegistration(callee)) {
      unsigned arg = reg->arg < 0 ? 0 : unsigned(reg->arg);
      if (arg < args.size()) registrations_.push_back({args[arg], loc, reg->name});
      return;
    }
    if (const clang::FunctionDecl *FD = recoveredCallee(callee))
      if (!cat_.findFunction(qualifiedName(FD))) addEdgeTo(FD, loc, EdgeKind::Call);
  }

  bool TraverseRecoveryExpr(clang::RecoveryExpr *E) {
    auto subs = E->subExpressions();
    if (!subs.empty())
      noteRecoveredCall(subs.front(), llvm::ArrayRef<const clang::Expr *>(subs.data() + 1, subs.size() - 1), E->getBeginLoc());
    return Base::TraverseRecoveryExpr(E);
  }
  bool TraverseCXXMemberCallExpr(clang::CXXMemberCallExpr *CE) {
    return traverseCall(CE, [&] { return Base::TraverseCXXMemberCallExpr(CE); });
  }
  bool TraverseCXXOperatorCallExpr(clang::CXXOperatorCallExpr *CE) {
    return traverseCall(CE, [&] { return Base::TraverseCXXOperatorCallExpr(CE); });
  }

  bool VisitDeclRefExpr(clang::DeclRefExpr *E) {
    using namespace clang;
    if (!frame()) return true;
    const ValueDecl *D = E->getDecl();
    if (auto *VD = dyn_cast<VarDecl>(D); VD && markerVars_.count(VD)) frame()->fn().mentionsNextUrl = true;
    if (calleeRefs_.count(E)) return true;
    // A function whose address is taken here is assumed to be called from here, unless
    // it is handed to a function that decides (see noteStoredArgs).
    if (auto *FD = dyn_cast<FunctionDecl>(D); FD && !handedOn_.count(E)) {
      auto slot = argSlots_.find(E);
      addEdgeTo(FD, E->getBeginLoc(), EdgeKind::Reference, slot == argSlots_.end() ? "" : slot->second);
    }
    return true;
  }
  /// Function references that are arguments of a call (`run_handler(&my_handler)`): the
  /// callee and parameter each binds to, "<callee id>#<i>" (Edge::argOf).
  std::unordered_map<const clang::DeclRefExpr *, std::string> argSlots_;
  void noteArgSlots(const clang::CallExpr *CE, const clang::FunctionDecl *FD) {
    using namespace clang;
    if (!FD || isa<CXXOperatorCallExpr>(CE) || inSystem(FD->getLocation()) || FD->getBuiltinID()) return;
    for (unsigned i = 0; i < CE->getNumArgs(); ++i) {
      const Expr *a = CE->getArg(i)->IgnoreParenImpCasts();
      if (auto *U = dyn_cast<UnaryOperator>(a); U && U->getOpcode() == UO_AddrOf) a = U->getSubExpr()->IgnoreParenImpCasts();
      if (auto *DRE = dyn_cast<DeclRefExpr>(a); DRE && isa<FunctionDecl>(DRE->getDecl()))
        argSlots_[DRE] = idOf(patternOf(FD)) + "#" + std::to_string(i);
    }
  }

  // ---- request headers: where a "Connection: close" is sent -------------------------
  //
  // A header line or a ("Connection", "close") pair counts only in a header context: the
  // arguments of a call that sets or appends headers (curl_slist_append, set_header,
  // set_default_headers, an own append_header, set/insert/emplace on a header container
  // or a Beast message), the initialiser of a variable of a header type or named like
  // headers, or what a function named like headers returns. The same text compared with
  // a response header, or a hop-by-hop list, is not a request header.

  bool VisitCXXConstructExpr(clang::CXXConstructExpr *E) {
    if (frame()) noteStoredArgs(E->getConstructor(), llvm::ArrayRef<const clang::Expr *>(E->getArgs(), E->getNumArgs()));
    noteFunctionObjectArgs(E->getConstructor(), llvm::ArrayRef<const clang::Expr *>(E->getArgs(), E->getNumArgs()));
    if (headerContext_.count(E))
      noteHeaderPair(llvm::ArrayRef<const clang::Expr *>(E->getArgs(), E->getNumArgs()), E->getBeginLoc());
    return true;
  }
  bool VisitCallExpr(clang::CallExpr *E) {
    using namespace clang;
    noteFunctionObjectArgs(E->getDirectCallee(), llvm::ArrayRef<const clang::Expr *>(E->getArgs(), E->getNumArgs()));
    if (auto *OC = dyn_cast<CXXOperatorCallExpr>(E); OC && OC->isAssignmentOp() && OC->getNumArgs() == 2) {
      if (headerishExpr(OC->getArg(0))) markHeaderContext(OC->getArg(1));
      return true;
    }
    const FunctionDecl *FD = E->getDirectCallee();
    if (!FD || !FD->getIdentifier()) return true;
    bool sets = setsHeaders(E, FD);
    if (sets) {
      for (const Expr *arg : E->arguments()) {
        markHeaderContext(arg);
        noteCloseHeaderVariable(arg);
      }
    }
    if (sets || headerContext_.count(E))
      noteHeaderPair(llvm::ArrayRef<const clang::Expr *>(E->getArgs(), E->getNumArgs()), E->getBeginLoc());
    return true;
  }
  bool VisitReturnStmt(clang::ReturnStmt *S) {
    if (!frame() || !S->getRetValue()) return true;
    if (const clang::FunctionDecl *fn = enclosingFunctionOfFrame(); fn && fn->getIdentifier() &&
                                                                  headerish(fn->getName(), fn->getReturnType()))
      markHeaderContext(S->getRetValue());
    return true;
  }

  /// A call that adds request headers: named like it (set_header, set_default_headers,
  /// curl_slist_append, an own append_header), or set/insert/emplace/add/append on a
  /// header container or an HTTP message.
  bool setsHeaders(const clang::CallExpr *E, const clang::FunctionDecl *FD) {
    std::string name = FD->getName().lower();
    // A server's answer (`res.set_header(...)` on an httplib::Response, a Beast response)
    // closes the peer's connection, not one this process reuses.
    if (auto *MC = llvm::dyn_cast<clang::CXXMemberCallExpr>(E); MC && responseish(MC->getImplicitObjectArgument()))
      return false;
    if (name.find("header") != std::string::npos || name == "curl_slist_append") return true;
    if (name != "set" && name != "insert" && name != "emplace" && name != "add" && name != "append" &&
        name != "push_back" && name != "emplace_back")
      return false;
    auto *MC = llvm::dyn_cast<clang::CXXMemberCallExpr>(E);
    return MC && headerishExpr(MC->getImplicitObjectArgument());
  }

  /// Named like a set of headers (`headers`, `kDefaultHeaders`, `make_headers`), or of a header
  /// type (httplib::Headers, a Boost.Beast message or fields).
  static bool headerish(llvm::StringRef name, clang::QualType type) {
    if (responseish(name, type)) return false;
    if (name.lower().find("headers") != std::string::npos) return true; // a single kCloseHeader may be compared
    if (type.isNull()) return false;
    for (clang::QualType q : {type, type.getCanonicalType()}) {
      std::string t = llvm::StringRef(q.getAsString()).lower();
      if (t.find("header") != std::string::npos || t.find("beast::http") != std::string::npos) return true;
    }
    return false;
  }
  /// Named like, or of the type of, a response (`res` of httplib::Response,
  /// `response_headers`, a Beast `http::response<...>`).
  static bool responseish(llvm::StringRef name, clang::QualType type) {
    std::string n = name.lower();
    if (n == "res" || n == "resp" || n.find("response") != std::string::npos) return true;
    if (type.isNull()) return false;
    return llvm::StringRef(type.getCanonicalType().getAsString()).lower().find("response") != std::string::npos;
  }
  /// `pred` applied to the name (of a variable or member, else "") and type of `E`.
  static bool byNameAndType(const clang::Expr *E, bool (*pred)(llvm::StringRef, clang::QualType)) {
    using namespace clang;
    E = stripForFlow(E);
    if (!E) return false;
    if (auto *DRE = dyn_cast<DeclRefExpr>(E)) return pred(DRE->getDecl()->getName(), E->getType());
    if (auto *ME = dyn_cast<MemberExpr>(E))
      return pred(ME->getMemberDecl()->getIdentifier() ? ME->getMemberDecl()->getName() : "", E->getType());
    return pred("", E->getType());
  }
  static bool responseish(const clang::Expr *E) { return byNameAndType(E, responseish); }
  static bool headerishExpr(const clang::Expr *E) { return byNameAndType(E, headerish); }

  void markHeaderContext(const clang::Stmt *S) {
    if (!S || !headerContext_.insert(S).second) return;
    for (const clang::Stmt *c : S->children()) markHeaderContext(c);
  }

  /// The "Connection: close" literal that `E` is (through std::string construction).
  static const clang::StringLiteral *closeHeaderLiteral(const clang::Expr *E) {
    using namespace clang;
    E = stripForFlow(E);
    if (auto *CE = dyn_cast_or_null<CXXConstructExpr>(E); CE && CE->getNumArgs() >= 1) E = stripForFlow(CE->getArg(0));
    auto *SL = dyn_cast_or_null<StringLiteral>(E);
    return SL && (SL->isOrdinary() || SL->isUTF8()) && isConnectionCloseHeader(SL->getString()) ? SL : nullptr;
  }

  /// `curl_slist_append(h, kClose)` (or `kClose.c_str()`) where kClose holds the literal.
  void noteCloseHeaderVariable(const clang::Expr *arg) {
    using namespace clang;
    if (!frame()) return;
    const Expr *E = stripForFlow(arg);
    if (auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E)) E = stripForFlow(MC->getImplicitObjectArgument());
    auto *DRE = dyn_cast_or_null<DeclRefExpr>(E);
    auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD || !closeHeaderVars_.count(VD)) return;
    Site &site = addSite(Kind::Network, "Connection: close", "Connection: close", "header", arg->getBeginLoc());
    site.kind = "connection-close";
  }

  bool VisitInitListExpr(clang::InitListExpr *E) {
    if (E->isSemanticForm() && headerContext_.count(E))
      noteHeaderPair(llvm::ArrayRef<const clang::Expr *>(E->getInits(), E->getNumInits()), E->getBeginLoc());
    // Containers built from long initialiser lists (std::map<...> m = {{...}, ...}).
    if (!frame() || E->getNumInits() < kLargeListFloor || !E->isSemanticForm()) return true;
    if (!E->getType()->isArrayType()) return true; // an aggregate's fields are not a container
    Site &s = addSite(Kind::Io, "initializer-list", "initializer list", "list", E->getBeginLoc());
    s.kind = "large-container";
    s.data["elements"] = std::to_string(E->getNumInits());
    return true;
  }

  bool VisitStringLiteral(clang::StringLiteral *S) {
    if (!frame() || !(S->isOrdinary() || S->isUTF8())) return true;
    // A header line sent as a header, or a whole raw request ("GET / HTTP/1.1\r\n..."),
    // but not a canned response ("HTTP/1.1 503 ...\r\nConnection: close").
    auto rawRequest = [](llvm::StringRef text) {
      std::string lower = text.ltrim().lower();
      return llvm::StringRef(lower).contains(" http/1.") && !llvm::StringRef(lower).starts_with("http/");
    };
    if (isConnectionCloseHeader(S->getString()) && (headerContext_.count(S) || rawRequest(S->getString()))) {
      Site &site = addSite(Kind::Network, "Connection: close", "Connection: close", "header", S->getBeginLoc());
      site.kind = "connection-close";
    }
    for (const auto &marker : cat_.runtimeLoopMarkers())
      if (S->getString().contains(marker)) frame()->fn().mentionsNextUrl = true;
    return true;
  }

  bool VisitBinaryOperator(clang::BinaryOperator *E) {
    if (E->isAssignmentOp()) {
      noteFlow(E->getLHS(), E->getRHS());
      std::string key = objectKey(E->getLHS());
      if (!key.empty()) storeTargets_[coreOf(E->getRHS())] = key;
      noteMemberChange(E->getLHS());
      if (E->getOpcode() == clang::BO_Assign) noteFieldSetting(E);
    }
    return true;
  }

  bool VisitUnaryOperator(clang::UnaryOperator *E) {
    if (E->isIncrementDecrementOp()) noteMemberChange(E->getSubExpr());
    return true;
  }

private:
  // ---- frames ----------------------------------------------------------------------

  struct Frame {
    Extractor *x;
    size_t index;
    int once = 0;      ///< > 0 inside a once-only region
    int loopDepth = 0; ///< loops entered inside this node
    std::vector<clang::SourceLocation> loops;
    FunctionFacts &fn() { return x->out_.functions[index]; }
  };

  Frame *frame() { return frames_.empty() ? nullptr : &frames_.back(); }
  void pushFrame(size_t idx) { frames_.push_back(Frame{this, idx}); }
  void popFrame() { frames_.pop_back(); }

  /// The node with this id, created on first use. Nodes seen again (a template's
  /// instantiations, an inline function's several definitions) are merged.
  size_t node(const std::string &id, const std::string &name, const std::string &qname,
              const std::string &kind, clang::SourceLocation loc) {
    auto it = index_.find(id);
    if (it != index_.end()) return it->second;
    FunctionFacts f;
    f.id = id;
    f.name = name;
    f.qualifiedName = qname;
    f.nodeKind = kind;
    f.loc = toLoc(loc);
    index_[id] = out_.functions.size();
    out_.functions.push_back(std::move(f));
    return out_.functions.size() - 1;
  }

  bool traverseFunction(clang::FunctionDecl *FD) {
    using namespace clang;
    if (auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda())
      return true; // lambda bodies are traversed from their LambdaExpr
    if (!FD->doesThisDeclarationHaveABody()) return Base::TraverseDecl(FD);
    // A template's pattern: its instantiations are traversed instead (a dependent body
    // cannot tell what it constructs or calls).
    if (FD->isDependentContext()) return true;
    const FunctionDecl *canon = patternOf(FD);
    size_t idx = node(idOf(canon), displayFunctionName(canon), qualifiedName(canon), "function", canon->getLocation());
    FunctionFacts &fn = out_.functions[idx];
    if (const HandlerSignature *h = handlerSignatureOf(FD)) fn.handlerSignature = signatureText(*h);
    if (auto *MD = dyn_cast<CXXMethodDecl>(FD))
      for (const CXXMethodDecl *o : MD->overridden_methods()) {
        std::string oid = idOf(patternOf(o));
        if (std::find(fn.overrides.begin(), fn.overrides.end(), oid) == fn.overrides.end())
          fn.overrides.push_back(oid);
      }
    std::vector<Frame> saved;
    saved.swap(frames_); // a function body is never inside another node's region
    const FunctionDecl *savedFn = currentFunction_;
    currentFunction_ = FD;
    pushFrame(idx);
    if (auto *DD = dyn_cast<CXXDestructorDecl>(FD)) addMemberDestructorEdges(DD);
    bool r = Base::TraverseDecl(FD);
    frames_.swap(saved);
    currentFunction_ = savedFn;
    return r;
  }

  template <typename F>
  bool traverseLoop(clang::Stmt *S, clang::Expr *cond, F &&base, bool rangeLoop = false) {
    using namespace clang;
    Frame *f = frame();
    if (!f) return base();
    // `while (curl_easy_perform(next) != CURLE_OK) usleep(...)`: retrying the request
    // for the next event, before any invocation starts.
    if (cond && !rangeLoop && nextEventFailure(cond) > 0) {
      ++f->once;
      bool r = traverseLoopIn(S, cond, base, rangeLoop);
      --frame()->once;
      return r;
    }
    return traverseLoopIn(S, cond, base, rangeLoop);
  }

  template <typename F> bool traverseLoopIn(clang::Stmt *S, clang::Expr *cond, F &&base, bool rangeLoop) {
    using namespace clang;
    Frame *f = frame();
    if (f->loopDepth > 0 || f->fn().nodeKind == "static-init") {
      ++f->loopDepth;
      f->loops.push_back(S->getBeginLoc());
      bool r = base();
      f = frame();
      --f->loopDepth;
      f->loops.pop_back();
      return r;
    }
    FunctionFacts &parent = f->fn();
    Loc l = toLoc(S->getBeginLoc());
    std::string id = parent.id + "#loop@" + std::to_string(l.offset);
    std::string name = parent.name; // a loop speaks for the function that contains it
    size_t idx = node(id, name, "", "loop", S->getBeginLoc());
    bool unbounded = false;
    if (!rangeLoop) {
      bool value = false;
      unbounded = !cond || (!cond->isValueDependent() && cond->EvaluateAsBooleanCondition(value, ctx_) && value);
    }
    out_.functions[idx].unboundedLoop = unbounded;
    addEdge(id, S->getBeginLoc(), EdgeKind::Loop);
    pushFrame(idx);
    frame()->loopDepth = 1;
    frame()->loops.push_back(S->getBeginLoc());
    bool r = base();
    popFrame();
    return r;
  }

  // ---- edges and sites -------------------------------------------------------------

  /// `argOf`: the function reference is argument i of a call, "<callee id>#<i>" (Edge::argOf).
  void addEdge(const std::string &callee, clang::SourceLocation loc, EdgeKind kind, const std::string &argOf = "") {
    Frame *f = frame();
    if (!f) return;
    Edge e;
    e.callee = callee;
    e.loc = toLoc(loc.isValid() ? loc : implicitInitLoc_);
    e.kind = kind;
    e.once = f->once > 0;
    e.argOf = argOf;
    auto &edges = f->fn().edges;
    for (Edge &o : edges)
      if (o.callee == e.callee && o.loc == e.loc && o.once == e.once) {
        if (o.argOf.empty()) o.argOf = argOf;
        return;
      }
    edges.push_back(std::move(e));
  }

  void addEdgeTo(const clang::FunctionDecl *FD, clang::SourceLocation loc, EdgeKind kind,
                 const std::string &argOf = "") {
    if (FD && PlaceholderTypes::isPlaceholder(FD)) {
      // A member of a type no header declared: the project's own definition, by name.
      auto *RD = llvm::dyn_cast<clang::CXXRecordDecl>(FD->getDeclContext());
      if (FD->getIdentifier() && RD && RD->getName() != PlaceholderTypes::kUnknownClass)
        addEdge(std::string(kUnresolvedCallee) + FD->getQualifiedNameAsString(), loc, kind);
      return;
    }
    if (!FD || inSystem(FD->getLocation()) || FD->getBuiltinID()) return;
    if (auto *MD = llvm::dyn_cast<clang::CXXMethodDecl>(FD); MD && MD->getParent()->isLambda()) {
      addEdge(lambdaNodeId(MD), loc, kind, argOf);
      return;
    }
    addEdge(idOf(patternOf(FD)), loc, kind, argOf);
  }

  void addDestructorEdge(const clang::CXXRecordDecl *RD, clang::SourceLocation loc) {
    if (!RD || !RD->hasDefinition()) return;
    RD = RD->getDefinition();
    if (matchClass(RD)) return;
    if (RD->isLambda()) {
      // A closure's destructor destroys its captures; it is not the lambda's body.
      for (const auto *field : RD->fields())
        if (auto *FR = field->getType()->getAsCXXRecordDecl(); FR && FR != RD) addDestructorEdge(FR, loc);
      return;
    }
    if (const auto *D = RD->getDestructor(); D && !D->isTrivial()) addEdgeTo(D, loc, EdgeKind::Destruct);
  }

  void addMemberDestructorEdges(const clang::CXXDestructorDecl *DD) {
    const clang::CXXRecordDecl *RD = DD->getParent();
    for (const auto *field : RD->fields())
      if (auto *FR = field->getType()->getAsCXXRecordDecl()) addDestructorEdge(FR, DD->getLocation());
    for (const auto &base : RD->bases())
      if (auto *BR = base.getType()->getAsCXXRecordDecl()) addDestructorEdge(BR, DD->getLocation());
  }

  Site &addSite(Kind kind, const std::string &entry, const std::string &subject, const std::string &form,
                clang::SourceLocation loc) {
    Frame *f = frame();
    Site s;
    s.kind = kindName(kind);
    s.entry = entry;
    s.subject = subject;
    s.form = form;
    s.loc = toLoc(loc.isValid() ? loc : implicitInitLoc_);
    s.once = f->once > 0;
    if (!f->loops.empty()) {
      s.data["loop"] = locString(toLoc(f->loops.back()));
      s.data["loop-depth"] = std::to_string(f->loops.size());
    }
    auto &sites = f->fn().sites;
    for (Site &o : sites)
      if (o.loc == s.loc && o.kind == s.kind && o.subject == s.subject && o.once == s.once) return o;
    sites.push_back(std::move(s));
    return sites.back();
  }

  template <typename F> bool withNesting(bool site, F &&traverse) {
    if (site) ++nesting_;
    bool r = traverse();
    if (site) --nesting_;
    return r;
  }

  bool isMemberInitCore(const clang::Expr *E) const { return memberInitCore_ && coreOf(E) == memberInitCore_; }

  /// Records a construction: a catalog site, or an edge to a user constructor.
  /// Returns true when it is a catalog site (its arguments then nest inside it).
  bool recordConstruct(clang::CXXConstructExpr *E) {
    using namespace clang;
    if (!frame()) return false;
    const CXXConstructorDecl *ctor = E->getConstructor();
    if (!ctor) return false;
    if (ctor->isCopyOrMoveConstructor()) return false; // copying a client builds nothing new
    const CXXRecordDecl *RD = ctor->getParent();
    if (const CatalogClass *entry = matchClass(RD)) {
      if (nesting_ > 0) return true; // part of an enclosing client's construction
      // An empty std::regex or an unopened std::ifstream compiles and opens nothing.
      if ((entry->kind == Kind::Io || entry->kind == Kind::Regex) &&
          (E->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(E->getArg(0))))
        return false;
      Form form{"temporary", E->getBeginLoc(), nullptr, nullptr};
      if (auto it = forms_.find(E); it != forms_.end()) form = it->second;
      if (implicitInitLoc_.isValid() && isMemberInitCore(E)) form = {"member", implicitInitLoc_, nullptr, nullptr};
      Site &s = addSite(entry->kind, entry->name, typeName(E->getType(), RD), form.form, form.loc);
      if (form.form == "member") s.data["owner"] = implicitInitOwner_;
      if (form.var && form.declStmt) noteStatementEnd(s, form.declStmt, form.var);
      if (auto it = storeTargets_.find(E); it != storeTargets_.end()) s.data["object"] = it->second;
      if (entry->kind == Kind::Io || entry->kind == Kind::Regex)
        if (E->getNumArgs() > 0 && !isa<CXXDefaultArgExpr>(E->getArg(0))) {
          s.data["arg"] = sourceText(E->getArg(0)->getSourceRange());
          noteArgParam(s, E->getArg(0));
        }
      if (form.var) offerStaticFix(s, form.var, form.declStmt, *entry);
      return true;
    }
    addEdgeTo(ctor, E->getBeginLoc().isValid() ? E->getBeginLoc() : E->getLocation(), EdgeKind::Construct);
    return false;
  }

  template <typename F> bool traverseCall(clang::CallExpr *CE, F &&base) {
    using namespace clang;
    if (!frame()) return base();
    const FunctionDecl *FD = CE->getDirectCallee();
    if (auto *callee = dyn_cast<DeclRefExpr>(CE->getCallee()->IgnoreParenImpCasts())) calleeRefs_.insert(callee);
    noteStoredArgs(FD, llvm::ArrayRef<const clang::Expr *>(CE->getArgs(), CE->getNumArgs()));
    noteMemberFlow(CE);
    if (FD) {
      callsTo_[patternOf(FD)].push_back(CE);
      callSites_[CE] = CallSite{frame()->fn().id, frame()->once > 0};
    } else if (CE->containsErrors()) {
      noteRecoveredCall(CE->getCallee(), llvm::ArrayRef<const clang::Expr *>(CE->getArgs(), CE->getNumArgs()), CE->getBeginLoc());
    }
    if (auto *OC = dyn_cast<CXXOperatorCallExpr>(CE); OC && OC->isAssignmentOp() && OC->getNumArgs() == 2) {
      std::string key = objectKey(OC->getArg(0));
      if (!key.empty()) storeTargets_[coreOf(OC->getArg(1))] = key;
    }
    if (auto *MC = dyn_cast<CXXMemberCallExpr>(CE)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (M && M->getIdentifier() && (M->getName() == "reset" || M->getName() == "emplace") && MC->getNumArgs() > 0) {
        std::string key = objectKey(MC->getImplicitObjectArgument());
        if (!key.empty()) storeTargets_[coreOf(MC->getArg(0))] = key;
      }
      noteClientUse(MC);
      noteWaitedFuture(MC);
    }
    if (FD) noteCallSettings(CE, FD);
    if (FD) noteNextEventHandle(CE, FD);

    const CatalogFunction *entry = FD ? cat_.findFunction(qualifiedName(FD)) : nullptr;
    // A built-in C API name (connect, open, read, sleep...) means that API only when it
    // is not the project's own function of the same name.
    if (entry && entry->builtin && entry->name.find("::") == std::string::npos && FD->isDefined() &&
        !inSystem(FD->getDefinition()->getLocation()))
      entry = nullptr;
    if (entry && !entry->option.empty() && !namesOption(CE, entry->optionArg, entry->option)) entry = nullptr;
    if (entry) {
      switch (entry->kind) {
      case Kind::Once: {
        // Everything handed to std::call_once runs at most once — per flag: a flag
        // that is itself a per-invocation local makes it run every time.
        bool longLived = CE->getNumArgs() > 0 && storageOf(stripForFlow(CE->getArg(0)));
        if (!longLived) return base();
        ++frame()->once;
        bool r = base();
        --frame()->once;
        return r;
      }
      case Kind::NextEvent:
        frame()->fn().mentionsNextUrl = true; // runtime::get_next(): like the URL literal
        return base();
      case Kind::Pool:
        if (entry->arg >= 0 && unsigned(entry->arg) < CE->getNumArgs())
          if (std::string key = objectKey(CE->getArg(unsigned(entry->arg))); !key.empty()) {
            std::string pool = entry->poolArg >= 0 && unsigned(entry->poolArg) < CE->getNumArgs()
                                   ? objectKey(CE->getArg(unsigned(entry->poolArg)))
                                   : std::string();
            pools_.push_back({key, entry->poolArg >= 0, pool, entry->name});
          }
        return base();
      case Kind::RegisterHandler: {
        unsigned arg = entry->arg < 0 ? 0 : unsigned(entry->arg);
        if (arg < CE->getNumArgs())
          registrations_.push_back({CE->getArg(arg), CE->getBeginLoc(), qualifiedName(FD)});
        return base();
      }
      case Kind::Construct: {
        const CXXRecordDecl *RD = templateArgRecord(FD, entry->arg < 0 ? 0 : unsigned(entry->arg));
        if (!RD) return base();
        if (const CatalogClass *cls = matchClass(RD)) {
          bool site = nesting_ == 0;
          if (site) {
            Form form{entry->name, CE->getBeginLoc(), nullptr, nullptr};
            if (auto it = forms_.find(CE); it != forms_.end()) form = it->second, form.form = entry->name;
            Site &s = addSite(cls->kind, cls->name, typeName(templateArgType(FD, entry->arg < 0 ? 0 : unsigned(entry->arg)), RD), form.form, form.loc);
            if (auto it = storeTargets_.find(CE); it != storeTargets_.end()) s.data["object"] = it->second;
            if (form.var) offerStaticFix(s, form.var, form.declStmt, *cls);
          }
          return withNesting(true, base);
        }
        // The wrapper constructs a user class inside a library template: follow it
        // to the constructor(s) it can call, and to the destructor.
        addWrappedConstructorEdges(FD, RD, CE);
        addDestructorEdge(RD, CE->getBeginLoc());
        return base();
      }
      default: {
        bool isClientKind = entry->kind == Kind::Client || entry->kind == Kind::SdkInit;
        bool report = !(isClientKind && nesting_ > 0);
        if (report && hasTag(*entry, "lambda-invoke")) report = !invokesAsynchronously(CE, *entry);
        else if (report && hasTag(*entry, "future")) report = waitedImmediately(CE);
        if (report) {
          Site &s = addSite(entry->kind, entry->name, qualifiedName(FD), "call", CE->getBeginLoc());
          if (entry->arg >= 0 && unsigned(entry->arg) < CE->getNumArgs()) {
            const Expr *arg = CE->getArg(unsigned(entry->arg));
            s.data["arg"] = sourceText(arg->getSourceRange());
            noteArgParam(s, arg);
            if (entry->kind == Kind::Sleep)
              if (auto ms = durationMs(arg, entry->unit)) s.data["ms"] = formatMs(*ms);
          }
          if (auto it = storeTargets_.find(CE); it != storeTargets_.end()) s.data["object"] = it->second;
          if (entry->kind == Kind::Release && CE->getNumArgs() > 0) s.data["object"] = objectKey(CE->getArg(0));
        }
        return withNesting(isClientKind, base);
      }
      }
    }

    // A lambda converted to a function pointer runs where the pointer is called.
    if (auto *conv = dyn_cast_or_null<CXXConversionDecl>(FD); conv && conv->getParent()->isLambda()) {
      return base();
    } else if (FD && !inSystem(FD->getLocation())) {
      addEdgeTo(FD, CE->getBeginLoc(), EdgeKind::Call);
      noteArgSlots(CE, FD);
    } else {
      // A call through a pointer, a std::function or a functor: resolve later, when
      // every assignment in the TU is known.
      const Expr *target = nullptr;
      if (!FD) target = CE->getCallee();
      else if (auto *OC = dyn_cast<CXXOperatorCallExpr>(CE); OC && OC->getOperator() == OO_Call)
        target = OC->getArg(0);
      if (target) indirect_.push_back({target, frame()->index, CE->getBeginLoc(), frame()->once > 0});
    }
    return base();
  }

  void addWrappedConstructorEdges(const clang::FunctionDecl *wrapper, const clang::CXXRecordDecl *RD,
                                  const clang::CallExpr *CE) {
    using namespace clang;
    if (!RD->hasDefinition()) return;
    RD = RD->getDefinition();
    // The instantiated wrapper's body names the constructor it calls.
    if (const Stmt *body = wrapper->getBody()) {
      const CXXConstructorDecl *found = nullptr;
      std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
        if (!S || found) return;
        if (auto *C = dyn_cast<CXXConstructExpr>(S))
          if (C->getConstructor() && C->getConstructor()->getParent()->getCanonicalDecl() == RD->getCanonicalDecl())
            found = C->getConstructor();
        for (const Stmt *child : S->children()) walk(child);
      };
      walk(body);
      if (found) {
        addEdgeTo(found, CE->getBeginLoc(), EdgeKind::Construct);
        return;
      }
    }
    // A declaration-only wrapper: every constructor that accepts that many arguments.
    unsigned nargs = CE->getNumArgs();
    unsigned skip = qualifiedName(wrapper).rfind("Aws::", 0) == 0 && nargs > 0 ? 1 : 0; // allocation tag
    nargs -= skip;
    for (const CXXConstructorDecl *ctor : RD->ctors()) {
      if (ctor->isCopyOrMoveConstructor()) continue;
      if (nargs >= ctor->getMinRequiredArguments() && (ctor->isVariadic() || nargs <= ctor->getNumParams()))
        addEdgeTo(ctor, CE->getBeginLoc(), EdgeKind::Construct);
    }
  }

  // ---- declarations as a construction form, and the static fix -----------------------

  struct Form {
    std::string form;
    clang::SourceLocation loc;
    const clang::VarDecl *var;
    const clang::DeclStmt *declStmt;
  };

  void noteDeclaration(const clang::DeclStmt *DS, const clang::VarDecl *VD) {
    using namespace clang;
    if (!VD->hasInit()) return;
    const Expr *core = VD->getInit()->IgnoreImplicit();
    while (true) {
      if (auto *FC = dyn_cast<CXXFunctionalCastExpr>(core)) core = FC->getSubExpr()->IgnoreImplicit();
      else if (auto *EC = dyn_cast<ExprWithCleanups>(core)) core = EC->getSubExpr()->IgnoreImplicit();
      else break;
    }
    if (isa<CXXConstructExpr>(core) || isa<CallExpr>(core))
      forms_[core] = {"declaration", DS->getBeginLoc(), VD, DS};
    storeTargets_[coreOf(VD->getInit())] = "var:" + usrOf(VD);
  }

  /// Where a statement can be inserted after a block-level declaration: the offset
  /// just after its ';' and the indentation of its line (for fixes that add a call).
  void noteStatementEnd(Site &site, const clang::DeclStmt *DS, const clang::VarDecl *VD) {
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
    site.data["stmt-end"] = std::to_string(e.offset);
    site.data["stmt-end-line"] = std::to_string(e.line);
    site.data["stmt-end-col"] = std::to_string(e.col);
    site.data["indent"] = std::string(b.col > 1 ? b.col - 1 : 0, ' ');
    llvm::StringRef line = sm_.getBufferData(sm_.getFileID(sm_.getFileLoc(DS->getBeginLoc())));
    size_t lineStart = b.offset - (b.col - 1);
    std::string indent;
    for (size_t i = lineStart; i < b.offset && i < line.size() && (line[i] == ' ' || line[i] == '\t'); ++i) indent += line[i];
    site.data["indent"] = indent;
  }

  /// Offers "make it a function-local static" when that is mechanical and safe: a
  /// block-level local, alone in its declaration, whose initialiser reads nothing
  /// per-invocation and that is never moved from, returned, released or reassigned.
  void offerStaticFix(Site &site, const clang::VarDecl *VD, const clang::DeclStmt *DS, const CatalogClass &entry) {
    using namespace clang;
    site.data["variable"] = VD->getName().str();
    if (!DS || !blockLevelDecls_.count(DS) || !VD->isLocalVarDecl() || VD->isStaticLocal() || VD->isConstexpr())
      return;
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

  void scopeFix(Fix &fix) {
    if (!currentFunction_) return;
    clang::SourceRange range = currentFunction_->getSourceRange();
    clang::SourceLocation b = sm_.getFileLoc(range.getBegin()), e = sm_.getFileLoc(range.getEnd());
    if (b.isInvalid() || e.isInvalid()) return;
    fix.scopeBegin = toLoc(b);
    fix.scopeEnd = toLoc(e);
  }

  bool readsOnlyInvariantValues(const clang::Stmt *S) {
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
  bool usesAllowStatic(const clang::Stmt *body, const clang::VarDecl *VD) {
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
          if (auto *CC = dyn_cast<CXXConstructExpr>(P); CC && CC->getConstructor() && CC->getConstructor()->isCopyOrMoveConstructor())
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
              if (auto *BO = outer ? dyn_cast<BinaryOperator>(outer) : nullptr; BO && BO->isAssignmentOp())
                ok = false;
              if (auto *OC = outer ? dyn_cast<CXXOperatorCallExpr>(outer) : nullptr; OC && OC->isAssignmentOp())
                ok = false;
            } else if (auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl()); M && M->getIdentifier()) {
              llvm::StringRef n = M->getName();
              if (n == "reset" || n == "release" || n == "swap") ok = false;
            }
          } else if (auto *CE = dyn_cast<CallExpr>(P)) {
            if (const FunctionDecl *FD = CE->getDirectCallee()) {
              std::string qn = qualifiedName(FD);
              if (qn == "std::move" || qn == "std::forward" || qn == "std::exchange" || qn == "std::swap") ok = false;
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

  static bool refersTo(const clang::Expr *E, const clang::VarDecl *VD) {
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

  const clang::FunctionDecl *enclosingFunction(const clang::Decl *D) {
    for (const clang::DeclContext *C = D->getDeclContext(); C; C = C->getParent())
      if (auto *FD = llvm::dyn_cast<clang::FunctionDecl>(C)) return FD;
    return nullptr;
  }


  // ---- objects, durations, settings, invocations -------------------------------------

  static constexpr unsigned kLargeListFloor = 16; ///< smaller lists are never worth a site


  /// A header line "Connection: close" (any case and spacing): the whole literal, or a
  /// line of a raw request ("...\r\nConnection: close\r\n..."). Prose that merely
  /// mentions it ("server answered with Connection: close") is not a header.
  static bool isConnectionCloseHeader(llvm::StringRef text) {
    std::string lower = text.lower();
    size_t at = 0;
    while ((at = lower.find("connection", at)) != std::string::npos) {
      bool lineStart = at == 0 || lower[at - 1] == '\n';
      size_t i = at + 10;
      at = i;
      if (!lineStart) continue;
      while (i < lower.size() && lower[i] == ' ') ++i;
      if (i >= lower.size() || lower[i] != ':') continue;
      ++i;
      while (i < lower.size() && (lower[i] == ' ' || lower[i] == '\t')) ++i;
      if (lower.compare(i, 5, "close") != 0) continue;
      i += 5;
      while (i < lower.size() && (lower[i] == ' ' || lower[i] == '\t')) ++i;
      if (i == lower.size() || lower[i] == '\r' || lower[i] == '\n') return true;
    }
    return false;
  }

  /// ("Connection", "close") as neighbouring arguments or list elements: cpp-httplib
  /// headers, set_header("Connection", "close"), Beast's set(field::connection, "close").
  void noteHeaderPair(llvm::ArrayRef<const clang::Expr *> args, clang::SourceLocation loc) {
    using namespace clang;
    if (!frame() || args.size() < 2) return;
    auto literal = [](const Expr *e) -> std::optional<std::string> {
      if (!e) return std::nullopt; // error recovery leaves holes in argument lists
      if (auto *SL = dyn_cast<StringLiteral>(e->IgnoreImplicit()->IgnoreParenImpCasts()))
        if (SL->isOrdinary() || SL->isUTF8()) return SL->getString().lower();
      if (auto *CE = dyn_cast<CXXConstructExpr>(e->IgnoreImplicit()); CE && CE->getNumArgs() >= 1)
        if (auto *SL = dyn_cast<StringLiteral>(CE->getArg(0)->IgnoreParenImpCasts()))
          if (SL->isOrdinary() || SL->isUTF8()) return SL->getString().lower();
      return std::nullopt;
    };
    for (size_t i = 0; i + 1 < args.size(); ++i) {
      const Expr *name = args[i];
      if (!name) continue;
      bool isConnection = false;
      if (auto l = literal(name)) isConnection = *l == "connection";
      else if (auto *DRE = dyn_cast<DeclRefExpr>(name->IgnoreParenImpCasts()))
        isConnection = isa<EnumConstantDecl>(DRE->getDecl()) && DRE->getDecl()->getName() == "connection";
      if (!isConnection) continue;
      auto value = literal(args[i + 1]);
      if (value && llvm::StringRef(*value).trim() == "close") {
        Site &site = addSite(Kind::Network, "Connection: close", "Connection: close", "header",
                             name->getBeginLoc().isValid() ? name->getBeginLoc() : loc);
        site.kind = "connection-close";
      }
    }
  }

  static bool hasTag(const CatalogFunction &f, const char *tag) {
    return std::find(f.tags.begin(), f.tags.end(), tag) != f.tags.end();
  }

  /// The expression that actually builds a stored value: through casts, temporaries,
  /// `new`, and a smart pointer built from `new`.
  static const clang::Stmt *coreOf(const clang::Expr *E) {
    using namespace clang;
    while (E) {
      const Expr *next = E->IgnoreImplicit();
      if (auto *F = dyn_cast<CXXFunctionalCastExpr>(next)) next = F->getSubExpr();
      else if (auto *W = dyn_cast<ExprWithCleanups>(next)) next = W->getSubExpr();
      else if (auto *P = dyn_cast<ParenExpr>(next)) next = P->getSubExpr();
      else if (auto *C = dyn_cast<CXXConstructExpr>(next);
               C && C->getNumArgs() == 1 && isa<CXXNewExpr>(C->getArg(0)->IgnoreImplicit()))
        next = C->getArg(0)->IgnoreImplicit(); // std::unique_ptr<T>(new T(...))
      if (next == E) return E;
      E = next;
    }
    return E;
  }

  /// A stable name for the object an expression denotes: a variable or a data member,
  /// through pointers and smart pointers. Empty when it cannot be named.
  std::string objectKey(const clang::Expr *E) {
    using namespace clang;
    while (E) {
      E = E->IgnoreParenImpCasts();
      if (auto *U = dyn_cast<UnaryOperator>(E); U && (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf))
        E = U->getSubExpr();
      else if (auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
               OC && (OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star) && OC->getNumArgs() >= 1)
        E = OC->getArg(0);
      else if (auto *MC = dyn_cast<CXXMemberCallExpr>(E);
               MC && MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() && MC->getMethodDecl()->getName() == "get")
        E = MC->getImplicitObjectArgument();
      else break;
    }
    if (!E) return {};
    if (auto *CE = dyn_cast<CallExpr>(E); CE && !isa<CXXOperatorCallExpr>(CE)) {
      // geo().Get(...) where geo() returns a static: the static is the object.
      const FunctionDecl *callee = CE->getDirectCallee();
      const FunctionDecl *def = callee ? callee->getDefinition() : nullptr;
      if (!def || !def->getBody() || inSystem(def->getLocation()) || getterDepth_ > 3) return {};
      ++getterDepth_;
      std::set<std::string> keys;
      std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
        if (!S || isa<LambdaExpr>(S)) return;
        if (auto *R = dyn_cast<ReturnStmt>(S)) keys.insert(R->getRetValue() ? objectKey(R->getRetValue()) : "");
        for (const Stmt *c : S->children()) walk(c);
      };
      walk(def->getBody());
      --getterDepth_;
      return keys.size() == 1 ? *keys.begin() : std::string();
    }
    if (auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
        if (auto *F = dyn_cast<FunctionDecl>(P->getDeclContext()))
          return "param:" + idOf(patternOf(F)) + "#" + std::to_string(P->getFunctionScopeIndex());
      if (auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) return "var:" + usrOf(VD);
    }
    if (auto *ME = dyn_cast<MemberExpr>(E))
      if (auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl())) return "field:" + qualifiedName(FD);
    return {};
  }

  /// A site argument that is a parameter: remember which, so that finish() can show
  /// what the (single) caller passes instead ("rules.json" rather than `path`).
  void noteArgParam(Site &s, const clang::Expr *arg) {
    using namespace clang;
    const Expr *e = stripForFlow(arg);
    for (int i = 0; i < 4; ++i) {
      if (auto *MC = dyn_cast<CXXMemberCallExpr>(e); MC && MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
                                                   (MC->getMethodDecl()->getName() == "c_str" || MC->getMethodDecl()->getName() == "data"))
        e = stripForFlow(MC->getImplicitObjectArgument());
      else if (auto *CC = dyn_cast<CXXConstructExpr>(e); CC && CC->getNumArgs() == 1)
        e = stripForFlow(CC->getArg(0));
      else break;
    }
    if (auto *DRE = dyn_cast<DeclRefExpr>(e))
      if (auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
        if (auto *F = dyn_cast<FunctionDecl>(P->getDeclContext()))
          s.data["arg-param"] = idOf(patternOf(F)) + "#" + std::to_string(P->getFunctionScopeIndex());
  }

  void resolveArgParams() {
    using namespace clang;
    std::map<std::string, std::set<std::string>> texts; // "<fn>#i" -> argument texts at call sites
    std::map<std::string, std::set<std::string>> params; // "<fn>#i" -> caller parameters passed through
    for (const auto &[fn, calls] : callsTo_) {
      std::string fid = idOf(fn);
      for (const CallExpr *CE : calls) {
        unsigned shift = (isa<CXXOperatorCallExpr>(CE) && isa<CXXMethodDecl>(fn)) ? 1 : 0;
        for (unsigned i = 0; i + shift < CE->getNumArgs(); ++i) {
          std::string key = fid + "#" + std::to_string(i);
          const Expr *a = CE->getArg(i + shift);
          Site probe;
          noteArgParam(probe, a);
          if (probe.data.count("arg-param")) params[key].insert(probe.data["arg-param"]);
          else texts[key].insert(sourceText(a->getSourceRange()));
        }
      }
    }
    std::function<std::optional<std::string>(const std::string &, int)> resolve =
        [&](const std::string &key, int depth) -> std::optional<std::string> {
      if (depth > 8) return std::nullopt;
      std::set<std::string> found = texts[key];
      for (const std::string &p : params[key]) {
        auto r = resolve(p, depth + 1);
        if (!r) return std::nullopt;
        found.insert(*r);
      }
      if (found.size() != 1) return std::nullopt;
      return *found.begin();
    };
    for (FunctionFacts &f : out_.functions)
      for (Site &s : f.sites) {
        auto it = s.data.find("arg-param");
        if (it == s.data.end()) continue;
        if (auto r = resolve(it->second, 0)) s.data["arg"] = *r;
        s.data.erase("arg-param");
      }
  }

  /// "param:<fn>#i" keys name whatever the callers pass: when every call in the TU
  /// passes the same object, use that object's key.
  void resolveParamKeys() {
    using namespace clang;
    std::map<std::string, std::set<std::string>> argKeys; // param key -> keys passed
    for (const auto &[fn, calls] : callsTo_) {
      std::string fid = idOf(fn);
      for (const CallExpr *CE : calls) {
        unsigned shift = (isa<CXXOperatorCallExpr>(CE) && isa<CXXMethodDecl>(fn)) ? 1 : 0;
        for (unsigned i = 0; i + shift < CE->getNumArgs(); ++i)
          argKeys["param:" + fid + "#" + std::to_string(i)].insert(objectKey(CE->getArg(i + shift)));
      }
    }
    for (int round = 0; round < 4; ++round)
      for (FunctionFacts &f : out_.functions)
        for (Site &s : f.sites) {
          auto it = s.data.find("object");
          if (it == s.data.end() || it->second.rfind("param:", 0) != 0) continue;
          auto keys = argKeys.find(it->second);
          if (keys != argKeys.end() && keys->second.size() == 1 && !keys->second.begin()->empty())
            it->second = *keys->second.begin();
        }
  }

  /// A method called on an object of a catalog class (cli.Get(...), cli->set_keep_alive(true)).
  void noteClientUse(const clang::CXXMemberCallExpr *MC) {
    using namespace clang;
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier() || !frame()) return;
    const CatalogClass *cls = matchClass(M->getParent());
    if (!cls) {
      if (const Expr *obj = MC->getImplicitObjectArgument()) {
        QualType T = obj->getType();
        if (T->isPointerType()) T = T->getPointeeType();
        cls = matchClass(T->getAsCXXRecordDecl());
      }
    }
    if (!cls || cls->kind != Kind::Client) return;
    Site &s = addSite(Kind::Client, cls->name, qualifiedName(M->getParent()), "use", MC->getBeginLoc());
    s.kind = "use";
    s.data["method"] = M->getName().str();
    s.data["object"] = objectKey(MC->getImplicitObjectArgument());
    // A client that talks to the Lambda Runtime API (localhost) is not a remote connection.
    if (MC->getNumArgs() > 0) {
      const Expr *a = stripForFlow(MC->getArg(0));
      bool runtimeApi = mentionsMarker(a) || (isa<StringLiteral>(a) && cast<StringLiteral>(a)->getString().contains("/runtime/"));
      if (auto *DRE = dyn_cast<DeclRefExpr>(a))
        if (auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && markerVars_.count(VD)) runtimeApi = true;
      if (runtimeApi) s.data["runtime-api"] = "1";
    }
    if (MC->getNumArgs() > 0) {
      bool b = false;
      const Expr *a = MC->getArg(0);
      if (!a->isValueDependent() && a->getType()->isBooleanType() && a->EvaluateAsBooleanCondition(b, ctx_))
        s.data["bool"] = b ? "true" : "false";
    }
  }

  static std::string formatMs(double ms) {
    char buf[32];
    if (ms == static_cast<double>(static_cast<long long>(ms))) std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(ms));
    else std::snprintf(buf, sizeof buf, "%.3g", ms);
    return buf;
  }

  std::optional<double> evalNumber(const clang::Expr *E) {
    if (!E || E->isValueDependent()) return std::nullopt;
    clang::Expr::EvalResult r;
    if (!E->EvaluateAsRValue(r, ctx_) || r.HasSideEffects) return std::nullopt;
    if (r.Val.isInt()) return static_cast<double>(r.Val.getInt().getExtValue());
    if (r.Val.isFloat()) return r.Val.getFloat().convertToDouble();
    return std::nullopt;
  }

  /// The duration a sleep call waits, in milliseconds, when it is a constant.
  std::optional<double> durationMs(const clang::Expr *arg, const std::string &unit) {
    using namespace clang;
    if (unit == "s" || unit == "ms" || unit == "us" || unit == "ns") {
      auto v = evalNumber(arg);
      if (!v) return std::nullopt;
      double factor = unit == "s" ? 1000.0 : unit == "ms" ? 1.0 : unit == "us" ? 0.001 : 0.000001;
      return *v * factor;
    }
    if (unit == "chrono") return chronoMs(arg);
    if (unit == "timespec") return timespecMs(arg);
    return std::nullopt;
  }

  /// std::chrono::duration<Rep, std::ratio<N, D>>: value * N / D seconds.
  std::optional<double> chronoMs(const clang::Expr *arg) {
    using namespace clang;
    if (!arg || arg->isValueDependent()) return std::nullopt;
    auto *RD = dyn_cast_or_null<ClassTemplateSpecializationDecl>(arg->getType()->getAsCXXRecordDecl());
    if (!RD || RD->getTemplateArgs().size() < 2 || RD->getTemplateArgs()[1].getKind() != TemplateArgument::Type)
      return std::nullopt;
    auto *ratio = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD->getTemplateArgs()[1].getAsType()->getAsCXXRecordDecl());
    if (!ratio || ratio->getTemplateArgs().size() < 2 || ratio->getTemplateArgs()[0].getKind() != TemplateArgument::Integral ||
        ratio->getTemplateArgs()[1].getKind() != TemplateArgument::Integral)
      return std::nullopt;
    double num = static_cast<double>(ratio->getTemplateArgs()[0].getAsIntegral().getExtValue());
    double den = static_cast<double>(ratio->getTemplateArgs()[1].getAsIntegral().getExtValue());
    Expr::EvalResult r;
    if (!arg->EvaluateAsRValue(r, ctx_) || !r.Val.isStruct() || r.Val.getStructNumFields() < 1) return std::nullopt;
    const APValue &rep = r.Val.getStructField(0);
    double v;
    if (rep.isInt()) v = static_cast<double>(rep.getInt().getExtValue());
    else if (rep.isFloat()) v = rep.getFloat().convertToDouble();
    else return std::nullopt;
    return v * num / den * 1000.0;
  }

  /// nanosleep(&ts, ...) with `struct timespec ts = {1, 500000000};` never assigned.
  std::optional<double> timespecMs(const clang::Expr *arg) {
    using namespace clang;
    const Expr *e = arg->IgnoreParenImpCasts();
    if (auto *U = dyn_cast<UnaryOperator>(e); U && U->getOpcode() == UO_AddrOf) e = U->getSubExpr()->IgnoreParenImpCasts();
    const InitListExpr *list = nullptr;
    if (auto *CL = dyn_cast<CompoundLiteralExpr>(e)) list = dyn_cast_or_null<InitListExpr>(CL->getInitializer());
    if (auto *DRE = dyn_cast<DeclRefExpr>(e))
      if (auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && VD->getInit() && !flows_.count(VD) && !assignedMembers_.count(VD))
        list = dyn_cast<InitListExpr>(VD->getInit()->IgnoreImplicit());
    if (!list) return std::nullopt;
    if (list->isSyntacticForm() && list->getSemanticForm()) list = list->getSemanticForm();
    const RecordDecl *RD = list->getType()->getAsRecordDecl();
    if (!RD) return std::nullopt;
    double ms = 0;
    unsigned i = 0;
    for (const FieldDecl *F : RD->fields()) {
      if (i >= list->getNumInits()) break;
      auto v = evalNumber(list->getInit(i++));
      if (!v) return std::nullopt;
      if (F->getName() == "tv_sec") ms += *v * 1000.0;
      else if (F->getName() == "tv_nsec") ms += *v / 1e6;
    }
    return ms;
  }

  /// Whether a value is "bad" for a setting.
  std::optional<bool> settingIsBad(const CatalogSetting &st, const clang::Expr *value) {
    auto v = evalNumber(value);
    if (!v) {
      bool b = false;
      if (!value->isValueDependent() && value->EvaluateAsBooleanCondition(b, ctx_)) v = b ? 1.0 : 0.0;
      else return std::nullopt;
    }
    if (st.bad == "nonzero" || st.bad == "true") return *v != 0;
    return *v == 0; // "zero", "false"
  }

  void recordSetting(const CatalogSetting &st, const clang::Expr *value, clang::SourceLocation loc) {
    if (!frame()) return;
    auto bad = settingIsBad(st, value);
    if (!bad || !*bad) return;
    Site &s = addSite(Kind::Client, st.name, st.option.empty() ? st.name : st.option, "setting", loc);
    s.kind = "setting";
    s.data["value"] = sourceText(value->getSourceRange());
    s.data["setting"] = st.option.empty() ? st.name : st.option;
    // A file range for the value, also when it is a macro argument
    // (curl.h wraps curl_easy_setopt in a macro of the same name).
    clang::CharSourceRange r = clang::Lexer::makeFileCharRange(
        clang::CharSourceRange::getTokenRange(value->getSourceRange()), sm_, ctx_.getLangOpts());
    if (!st.fix.empty() && r.isValid()) {
      Loc b = toLoc(r.getBegin()), e = toLoc(r.getEnd());
      if (b.file == e.file && e.offset >= b.offset) {
        Fix fix;
        fix.description = "set " + s.data["setting"] + " to " + st.fix;
        fix.replacements.push_back(Replacement{b.file, b.offset, e.offset - b.offset, st.fix, b.line, b.col});
        scopeFix(fix);
        s.fixes.push_back(fix);
      }
    }
  }

  /// `curl_easy_setopt(h, CURLOPT_SHARE, ...)`: the argument at `index` is that constant.
  static bool namesOption(const clang::CallExpr *CE, int index, llvm::StringRef option) {
    if (index < 0 || unsigned(index) >= CE->getNumArgs()) return false;
    auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(CE->getArg(unsigned(index))->IgnoreParenImpCasts());
    return DRE && DRE->getDecl()->getName() == option;
  }

  void noteCallSettings(const clang::CallExpr *CE, const clang::FunctionDecl *FD) {
    using namespace clang;
    auto settings = cat_.settingsFor(qualifiedName(FD));
    if (settings.empty()) return;
    for (const CatalogSetting *st : settings) {
      if (st->optionArg >= 0) {
        if (unsigned(st->optionArg) >= CE->getNumArgs()) continue;
        if (!namesOption(CE, st->optionArg, st->option)) continue;
      }
      if (st->valueArg < 0 || unsigned(st->valueArg) >= CE->getNumArgs()) continue;
      recordSetting(*st, CE->getArg(unsigned(st->valueArg)), CE->getBeginLoc());
    }
  }

  /// `v.member = x`, `v.member += x`, `++v.member`: v's value is not its initialiser's.
  void noteMemberChange(const clang::Expr *lhs) {
    using namespace clang;
    auto *ME = dyn_cast<MemberExpr>(lhs->IgnoreParenImpCasts());
    if (!ME) return;
    if (auto *base = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts()))
      if (auto *VD = dyn_cast<VarDecl>(base->getDecl())) assignedMembers_.insert(VD);
  }

  void noteFieldSetting(const clang::BinaryOperator *E) {
    using namespace clang;
    auto *ME = dyn_cast<MemberExpr>(E->getLHS()->IgnoreParenImpCasts());
    if (!ME) return;
    auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD) return;
    for (const CatalogSetting *st : cat_.settingsFor(qualifiedName(FD))) recordSetting(*st, E->getRHS(), E->getBeginLoc());
  }

  /// Lambda Invoke: asynchronous when the request's invocation type is set to Event
  /// (on the request, in its initialiser, through a chain of With... setters, by a
  /// helper it is passed to, or by the function that returns it), or when it is set to
  /// something we cannot evaluate. Requests from elsewhere are unknown: not reported.
  bool invokesAsynchronously(const clang::CallExpr *CE, const CatalogFunction &entry) {
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
  bool localRequestIsAsync(const clang::Expr *req, const clang::CallExpr *CE, int depth) {
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
      if (auto *OC = dyn_cast<CXXOperatorCallExpr>(S); OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
                                                       same(OC->getArg(0))) {
        const Expr *ignored = nullptr;
        if (invocationTypeIn(OC->getArg(1)) == 1 || requestSourceIsAsync(stripForFlow(OC->getArg(1)), ignored).value_or(false))
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
  std::optional<bool> requestSourceIsAsync(const clang::Expr *E, const clang::Expr *&copiedFrom) {
    using namespace clang;
    for (int i = 0; E && i < 8; ++i) {
      E = stripForFlow(E);
      if (auto *IL = dyn_cast<InitListExpr>(E); IL && IL->getNumInits() == 1) {
        E = IL->getInit(0);
        continue;
      }
      if (auto *C = dyn_cast<CXXConstructExpr>(E); C && C->getNumArgs() == 1 && C->getConstructor()->isCopyOrMoveConstructor()) {
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
        if (callee && callee->getIdentifier() && (callee->getName() == "move" || callee->getName() == "forward") &&
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
  static const clang::Expr *withoutLocalAlias(const clang::Expr *E) {
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
  bool returnedRequestIsAsync(const clang::CallExpr *call) {
    const clang::FunctionDecl *callee = call->getDirectCallee();
    const clang::FunctionDecl *def = callee ? callee->getDefinition() : nullptr;
    if (!def || !def->getBody() || inSystem(def->getLocation())) return true;
    return invocationTypeIn(def->getBody()) == 1;
  }

  /// `req.WithFunctionName(f).WithInvocationType(t)`: the object the chain starts from.
  static const clang::Expr *setterChainRoot(const clang::CXXMemberCallExpr *MC) {
    const clang::Expr *obj = stripForFlow(MC->getImplicitObjectArgument());
    while (auto *inner = llvm::dyn_cast_or_null<clang::CXXMemberCallExpr>(obj)) {
      if (!inner->getMethodDecl() || !inner->getMethodDecl()->getReturnType()->isReferenceType()) break;
      obj = stripForFlow(inner->getImplicitObjectArgument());
    }
    return obj;
  }

  /// The local variable that `E` (a variable, or a member of one: `job.req`) lives in.
  static const clang::VarDecl *localRoot(const clang::Expr *E) {
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
  static bool sameObject(const clang::Expr *A, const clang::Expr *B) {
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
  int invocationTypeIn(const clang::Stmt *S) {
    using namespace clang;
    if (!S) return -1;
    int result = -1;
    if (auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (M && M->getIdentifier() && (M->getName() == "SetInvocationType" || M->getName() == "WithInvocationType") &&
          MC->getNumArgs() == 1) {
        auto *DRE = dyn_cast<DeclRefExpr>(MC->getArg(0)->IgnoreParenImpCasts());
        auto *EC = DRE ? dyn_cast<EnumConstantDecl>(DRE->getDecl()) : nullptr;
        result = !EC ? 1 : (EC->getName() == "Event" || EC->getName() == "DryRun" ? 1 : 0);
      }
    }
    for (const Stmt *c : S->children()) {
      int v = invocationTypeIn(c);
      if (v == 1) return 1;
      if (v == 0) result = result == 1 ? 1 : 0;
    }
    return result;
  }

  bool helperSetsEvent(const clang::FunctionDecl *callee, unsigned index) {
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
  void noteWaitedFuture(const clang::CXXMemberCallExpr *MC) {
    const clang::CXXMethodDecl *M = MC->getMethodDecl();
    if (!M || !M->getIdentifier() || (M->getName() != "get" && M->getName() != "wait")) return;
    const clang::Expr *obj = stripForFlow(MC->getImplicitObjectArgument());
    if (auto *inner = llvm::dyn_cast_or_null<clang::CallExpr>(obj)) waited_.insert(inner);
  }

  /// The future of `CE` is waited on before any other asynchronous work starts.
  bool waitedImmediately(const clang::CallExpr *CE) {
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
    std::vector<Future> futures;                          // every future-returning call
    std::vector<std::pair<SourceLocation, std::string>> waits; // .get()/.wait() on a stored future
    std::vector<SourceLocation> work; // other calls that do work: `s3.GetObject(g)`, `enrich(doc)`
    std::function<void(const Stmt *)> walk = [&](const Stmt *S) {
      if (!S) return;
      if (auto *call = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *callee = call->getDirectCallee()) {
          QualType R = callee->getReturnType();
          if (auto *RD = R->getAsCXXRecordDecl(); RD && (RD->getName() == "future" || RD->getName() == "shared_future")) {
            auto t = storeTargets_.find(coreOf(call));
            futures.push_back({call->getBeginLoc(), t == storeTargets_.end() ? std::string() : t->second,
                               waited_.count(call) != 0});
          }
          if (auto *MC = dyn_cast<CXXMemberCallExpr>(call); MC && MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
                                                           (MC->getMethodDecl()->getName() == "get" || MC->getMethodDecl()->getName() == "wait"))
            waits.push_back({MC->getBeginLoc(), objectKey(MC->getImplicitObjectArgument())});
          else if (doesWork(call, callee))
            work.push_back(call->getBeginLoc());
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
  static bool doesWork(const clang::CallExpr *call, const clang::FunctionDecl *callee) {
    if (llvm::isa<clang::CXXOperatorCallExpr>(call) || !callee->getIdentifier()) return false;
    llvm::StringRef n = callee->getName();
    if (llvm::isa<clang::CXXMethodDecl>(callee) && (n.starts_with("Set") || n.starts_with("With") || n.starts_with("Add")))
      return false;
    const clang::DeclContext *DC = callee->getDeclContext()->getEnclosingNamespaceContext();
    auto *NS = llvm::dyn_cast<clang::NamespaceDecl>(DC);
    while (NS && llvm::isa<clang::NamespaceDecl>(NS->getParent())) NS = llvm::cast<clang::NamespaceDecl>(NS->getParent());
    return !(NS && NS->getIdentifier() && NS->getName() == "std");
  }

  const clang::FunctionDecl *enclosingFunctionOfFrame() { return currentFunction_; }

  /// Facts about a namespace-scope or static data member variable, for
  /// coldstart-heavy-static-init and the init report.
  void describeStaticVar(const clang::VarDecl *VD, std::map<std::string, std::string> &attrs) {
    using namespace clang;
    attrs["variable"] = VD->getName().str();
    attrs["type"] = VD->getType().getAsString(ctx_.getPrintingPolicy());
    bool dynamic = ctx_.getLangOpts().CPlusPlus && VD->getInit() && !VD->isConstexpr() &&
                   !VD->hasAttr<ConstInitAttr>() && !VD->getInit()->isValueDependent() && !VD->hasConstantInitialization();
    if (dynamic) attrs["dynamic-init"] = "1";
    if (VD->getTLSKind() != VarDecl::TLS_None) attrs["thread_local"] = "1";
    if (VD->isStaticDataMember()) attrs["static-member"] = "1";
    // An SDK object held by value, or by a smart pointer that the initialiser sets:
    // either way one exists before main and is destroyed after it returns.
    std::string sdk = dynamic ? sdkObjectIn(VD->getType(), 0) : std::string();
    if (sdk.empty() && dynamic)
      if (auto *spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(VD->getType()->getAsCXXRecordDecl())) {
        std::string n = qualifiedName(spec);
        if ((n == "std::unique_ptr" || n == "std::shared_ptr") && spec->getTemplateArgs().size() > 0 &&
            spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
          sdk = sdkObjectIn(spec->getTemplateArgs()[0].getAsType(), 0);
        if (!sdk.empty()) attrs["sdk-pointer"] = "1"; // the initialiser may build a derived class
      }
    if (!sdk.empty()) attrs["sdk-object"] = sdk;
    // `static T* g = new T;` / `static T& g = *new T;`: the object is never destroyed.
    if (dynamic && (VD->getType()->isPointerType() || VD->getType()->isReferenceType())) attrs["never-destroyed"] = "1";
  }

  /// The AWS SDK class held by value in `T` (directly, in an array, or as a member or
  /// base), or empty.
  std::string sdkObjectIn(clang::QualType T, int depth) {
    using namespace clang;
    if (depth > 6) return {};
    T = T.getCanonicalType();
    while (const ArrayType *A = dyn_cast<ArrayType>(T.getTypePtr())) T = A->getElementType().getCanonicalType();
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    if (!RD || !RD->hasDefinition()) return {};
    RD = RD->getDefinition();
    if (const CatalogClass *c = matchClass(RD))
      if (std::find(c->tags.begin(), c->tags.end(), "aws-sdk") != c->tags.end()) return qualifiedName(RD);
    if (inSystem(RD->getLocation())) {
      // std::optional<S3Client>, std::array<...>, std::pair<...>: look at template arguments
      if (auto *spec = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
        std::string n = qualifiedName(RD);
        if (n == "std::optional" || n == "std::array" || n == "std::pair" || n == "std::tuple")
          for (const TemplateArgument &a : spec->getTemplateArgs().asArray())
            if (a.getKind() == TemplateArgument::Type) {
              std::string c = sdkObjectIn(a.getAsType(), depth + 1);
              if (!c.empty()) return c;
            }
      }
      return {};
    }
    for (const FieldDecl *F : RD->fields()) {
      std::string c = sdkObjectIn(F->getType(), depth + 1);
      if (!c.empty()) return c;
    }
    for (const CXXBaseSpecifier &B : RD->bases()) {
      std::string c = sdkObjectIn(B.getType(), depth + 1);
      if (!c.empty()) return c;
    }
    return {};
  }

  // ---- once-only guards --------------------------------------------------------------

  /// The long-lived object (a variable with static storage, or a data member) that
  /// `E` tests for emptiness (`!x`, `x == nullptr`, `!x.has_value()`, `x.empty()`).
  /// `!!x` is `x`.
  static const clang::Expr *withoutDoubleNegation(const clang::Expr *E) {
    while (true) {
      auto *outer = llvm::dyn_cast<clang::UnaryOperator>(E->IgnoreParenImpCasts());
      if (!outer || outer->getOpcode() != clang::UO_LNot) return E->IgnoreParenImpCasts();
      auto *inner = llvm::dyn_cast<clang::UnaryOperator>(outer->getSubExpr()->IgnoreParenImpCasts());
      if (!inner || inner->getOpcode() != clang::UO_LNot) return E->IgnoreParenImpCasts();
      E = inner->getSubExpr();
    }
  }

  /// `__builtin_expect(!g, 0)` (what LIKELY/UNLIKELY macros expand to) tests `!g`.
  static const clang::Expr *withoutExpect(const clang::Expr *E) {
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

  const clang::Decl *testedEmpty(const clang::Expr *E) {
    using namespace clang;
    E = withoutExpect(E);
    if (auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot)
      return testedNonEmpty(UO->getSubExpr());
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
      if (M && M->getIdentifier() && M->getName() == "empty") return storageOf(MC->getImplicitObjectArgument());
    }
    return nullptr;
  }

  /// The long-lived object that `E` tests for being set (`x`, `x != nullptr`, `x.has_value()`).
  const clang::Decl *testedNonEmpty(const clang::Expr *E) {
    using namespace clang;
    E = withoutExpect(E);
    if (auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) // `!!p`, `!!(!p)`
      return testedEmpty(UO->getSubExpr());
    if (auto *SC = dyn_cast<CXXStaticCastExpr>(E); SC && SC->getType()->isBooleanType()) // static_cast<bool>(p)
      return testedNonEmpty(SC->getSubExpr());
    if (auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      // x.has_value(), x.get(), operator bool; a cache of clients: cache.contains(k), cache.count(k)
      if (M && (isa<CXXConversionDecl>(M) || (M->getIdentifier() && (M->getName() == "has_value" || M->getName() == "get" ||
                                                                      M->getName() == "contains" || M->getName() == "count" ||
                                                                      M->getName() == "load")))) {
        if (const Decl *d = storageOf(MC->getImplicitObjectArgument())) return d;
        // `auto p = g_sqs; if (!p)`: a local copy of a smart pointer tests the original.
        if (isa<CXXConversionDecl>(M) || M->getName() == "get")
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
  static const clang::VarDecl *snapshotLocal(const clang::Expr *E) {
    auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(E->IgnoreParenImpCasts());
    auto *VD = DRE ? llvm::dyn_cast<clang::VarDecl>(DRE->getDecl()) : nullptr;
    if (!VD || llvm::isa<clang::ParmVarDecl>(VD) || !VD->hasLocalStorage() || VD->getType()->isReferenceType() ||
        !VD->getInit())
      return nullptr;
    return VD;
  }

  const clang::Decl *comparedWithNull(const clang::Expr *L, const clang::Expr *R) {
    auto isNull = [&](const clang::Expr *E) {
      E = E->IgnoreParenImpCasts();
      if (llvm::isa<clang::CXXNullPtrLiteralExpr>(E) || llvm::isa<clang::GNUNullExpr>(E)) return true;
      if (auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(E))
        if (DRE->getDecl()->getName() == "nullopt") return true;
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
      if (const clang::Decl *d = containerOf(a, "find"); d && d == containerOf(b, "end")) return d;
    return nullptr;
  }

  /// A variable with static storage or a data member behind `E`, if any.
  const clang::Decl *storageOf(const clang::Expr *E) {
    using namespace clang;
    if (!E) return nullptr;
    E = E->IgnoreParenImpCasts();
    // `auto p = g_sqs;` copies the object; `std::atomic_load(&g_sqs)` reads it.
    if (auto *EWC = dyn_cast<ExprWithCleanups>(E)) return storageOf(EWC->getSubExpr());
    if (auto *BT = dyn_cast<CXXBindTemporaryExpr>(E)) return storageOf(BT->getSubExpr());
    if (auto *MT = dyn_cast<MaterializeTemporaryExpr>(E)) return storageOf(MT->getSubExpr());
    if (auto *CE = dyn_cast<CXXConstructExpr>(E);
        CE && CE->getNumArgs() == 1 && CE->getConstructor()->isCopyOrMoveConstructor())
      return storageOf(CE->getArg(0));
    if (auto *CE = dyn_cast<CallExpr>(E); CE && !isa<CXXMemberCallExpr>(CE) && CE->getNumArgs() >= 1)
      if (const FunctionDecl *FD = CE->getDirectCallee(); FD && FD->getIdentifier() && inSystem(FD->getLocation()) &&
                                                          (FD->getName() == "atomic_load" || FD->getName() == "atomic_load_explicit"))
        if (auto *addr = dyn_cast<UnaryOperator>(CE->getArg(0)->IgnoreParenImpCasts()); addr && addr->getOpcode() == UO_AddrOf)
          return storageOf(addr->getSubExpr());
    // `auto& p = slot();` where slot() returns a reference to a static.
    if (auto *CE = dyn_cast<CallExpr>(E); CE && followingReference_ < 8)
      if (const FunctionDecl *FD = CE->getDirectCallee(); FD && FD->getReturnType()->isReferenceType())
        if (const FunctionDecl *def = FD->getDefinition(); def && def->getBody() && !inSystem(def->getLocation())) {
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
        }
    if (auto *MC = dyn_cast<CXXMemberCallExpr>(E)) // x.get(), operator bool
      if (MC->getMethodDecl() && (isa<CXXConversionDecl>(MC->getMethodDecl()) ||
                                  (MC->getMethodDecl()->getIdentifier() && MC->getMethodDecl()->getName() == "get")))
        return storageOf(MC->getImplicitObjectArgument());
    if (auto *MC = dyn_cast<CXXMemberCallExpr>(E)) // cache.at(k)
      if (MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() && MC->getMethodDecl()->getName() == "at")
        return storageOf(MC->getImplicitObjectArgument());
    // An element of a long-lived container is long-lived: cache[k], table[i].
    if (auto *OC = dyn_cast<CXXOperatorCallExpr>(E); OC && OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2)
      return storageOf(OC->getArg(0));
    if (auto *AS = dyn_cast<ArraySubscriptExpr>(E)) return storageOf(AS->getBase());
    if (auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
      if (!VD) return nullptr;
      if (VD->hasGlobalStorage()) return VD;
      // `auto& slot = g_cache[key];`: the reference names the long-lived object.
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
    if (auto *ME = dyn_cast<MemberExpr>(E))
      if (auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl())) {
        // A member lives as long as its object: `conn_` of a Repo that the handler
        // builds on every invocation is new each time, and so is `req.conn` of a local.
        const Expr *base = ME->getBase()->IgnoreParenImpCasts();
        if (isa<CXXThisExpr>(base)) return shortLivedClasses_.count(llvm::dyn_cast<CXXRecordDecl>(FD->getParent()->getCanonicalDecl())) ? nullptr : FD;
        if (auto *DRE = dyn_cast<DeclRefExpr>(base))
          if (auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && isShortLivedLocal(VD)) return nullptr;
        return FD;
      }
    return nullptr;
  }

  /// `std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), &curl_easy_cleanup)`:
  /// an owner whose deleter is a catalog `release` function releases the handle when the
  /// owner goes: a release of that owner, where the owner is declared.
  void noteReleasingDeleter(const clang::VarDecl *VD, const clang::Expr *init) {
    using namespace clang;
    if (!frame() || !VD->hasLocalStorage()) return;
    auto *CE = dyn_cast<CXXConstructExpr>(init->IgnoreImplicit());
    if (!CE || CE->getNumArgs() < 2) return;
    for (unsigned i = 1; i < CE->getNumArgs(); ++i) {
      const Expr *a = CE->getArg(i)->IgnoreParenImpCasts();
      if (auto *U = dyn_cast<UnaryOperator>(a); U && U->getOpcode() == UO_AddrOf) a = U->getSubExpr()->IgnoreParenImpCasts();
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
  bool isShortLivedLocal(const clang::VarDecl *VD) {
    return VD->hasLocalStorage() && !clang::isa<clang::ParmVarDecl>(VD) && !VD->getType()->isReferenceType() &&
           !VD->getType()->isPointerType() && !livesAsLongAsMain(VD);
  }

  /// Classes of the project with an instance that is a local object of a function (see
  /// isShortLivedLocal), or a temporary: a guard on one of their members runs once per
  /// object, not once per process. Collected before the walk.
  std::unordered_set<const clang::CXXRecordDecl *> shortLivedClasses_;

  /// Every call in the project's code (not system headers) to a function of the project
  /// that takes a non-const lvalue reference, by the callee's pattern: collected before
  /// the walk, so that a parameter's callers are all known when its function is walked.
  std::unordered_map<const clang::FunctionDecl *, std::vector<const clang::CallExpr *>> referenceCalls_;
  /// The pre-pass over the whole TU, for facts that the traversal needs wherever they
  /// are written: calls that pass by non-const reference, short-lived classes, and the
  /// variables that hold the next-event URL.
  void prepass() {
    struct Collector : clang::RecursiveASTVisitor<Collector> {
      Extractor &x;
      explicit Collector(Extractor &x) : x(x) {}
      bool shouldVisitTemplateInstantiations() const { return true; }
      bool shouldVisitImplicitCode() const { return true; }
      bool TraverseDecl(clang::Decl *D) {
        if (D && !llvm::isa<clang::TranslationUnitDecl>(D) && x.inSystem(D->getLocation())) return true;
        return clang::RecursiveASTVisitor<Collector>::TraverseDecl(D);
      }
      bool VisitVarDecl(clang::VarDecl *VD) {
        if (auto *RD = VD->getType()->getAsCXXRecordDecl(); RD && !x.inSystem(RD->getLocation()) && x.isShortLivedLocal(VD))
          x.shortLivedClasses_.insert(RD->getCanonicalDecl());
        if (VD->getInit() && x.mentionsMarker(VD->getInit())) x.markerVars_.insert(VD);
        return true;
      }
      // Variables that hold the next-event URL, wherever in the file they are set: a
      // function that reads one requests the next event, whether the assignment comes
      // before or after it.
      bool VisitBinaryOperator(clang::BinaryOperator *E) {
        if (E->isAssignmentOp()) x.noteMarkerTarget(E->getLHS(), E->getRHS());
        return true;
      }
      void noteMarkerStores(clang::CallExpr *CE) {
        using namespace clang;
        // snprintf(url, n, "http://%s/2018-06-01/runtime/invocation/next", api): the
        // buffer now holds the next-event URL.
        if (CE->getNumArgs() > 1 && !isa<CXXOperatorCallExpr>(CE))
          for (const Expr *a : CE->arguments())
            if (auto *SL = dyn_cast<StringLiteral>(a->IgnoreParenImpCasts()); SL && x.mentionsMarker(SL)) {
              x.noteMarkerTarget(CE->getArg(0), SL);
              break;
            }
        if (auto *OC = dyn_cast<CXXOperatorCallExpr>(CE); OC && OC->isAssignmentOp() && OC->getNumArgs() == 2)
          x.noteMarkerTarget(OC->getArg(0), OC->getArg(1));
      }
      bool VisitCXXTemporaryObjectExpr(clang::CXXTemporaryObjectExpr *E) {
        if (auto *RD = E->getType()->getAsCXXRecordDecl(); RD && !x.inSystem(RD->getLocation()))
          x.shortLivedClasses_.insert(RD->getCanonicalDecl());
        return true;
      }
      bool VisitCallExpr(clang::CallExpr *CE) {
        noteMarkerStores(CE);
        const clang::FunctionDecl *FD = CE->getDirectCallee();
        if (!FD || x.inSystem(FD->getLocation())) return true;
        for (const clang::ParmVarDecl *P : FD->parameters())
          if (P->getType()->isLValueReferenceType() && !P->getType().getNonReferenceType().isConstQualified()) {
            x.referenceCalls_[x.patternOf(FD)].push_back(CE);
            break;
          }
        return true;
      }
    } collector(*this);
    collector.TraverseDecl(ctx_.getTranslationUnitDecl());
  }

  int followingReference_ = 0;
  struct Pooling {
    std::string client;  ///< object key of the client attached
    bool conditional;    ///< the cache exists only if `pool` was set up to share connections
    std::string pool;    ///< object key of that cache ("" when unknown)
    std::string call;
  };
  std::vector<Pooling> pools_;
  std::unordered_set<const clang::Stmt *> headerContext_;
  std::unordered_map<const clang::VarDecl *, const clang::StringLiteral *> closeHeaderVars_;

  /// A local of main declared outside any loop (main runs once), or an init-capture of a
  /// lambda created there: the handler lambda that captures it sees the same object in
  /// every invocation, so a guard on it is a once-only guard.
  bool livesAsLongAsMain(const clang::VarDecl *VD) {
    using namespace clang;
    if (isa<ParmVarDecl>(VD)) return false;
    const DeclContext *DC = VD->getDeclContext();
    if (VD->isInitCapture())
      if (auto *MD = dyn_cast<CXXMethodDecl>(DC); MD && MD->getParent()->isLambda()) DC = MD->getParent()->getDeclContext();
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
  bool emptyValue(const clang::Expr *E) {
    using namespace clang;
    if (!E) return true;
    E = E->IgnoreParenImpCasts();
    if (E->isValueDependent() || E->containsErrors()) return false;
    if (auto *IL = dyn_cast<InitListExpr>(E)) return IL->getNumInits() == 0;
    if (auto *DRE = dyn_cast<DeclRefExpr>(E); DRE && DRE->getDecl()->getIdentifier() && DRE->getDecl()->getName() == "nullopt")
      return true;
    if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(E)) return true;
    if (!E->getType()->isScalarType()) return false;
    bool value = true;
    return E->EvaluateAsBooleanCondition(value, ctx_) && !value;
  }

  /// Whether `S` assigns (or resets, emplaces...) the object `key`.
  bool assigns(const clang::Stmt *S, const clang::Decl *key) {
    using namespace clang;
    if (!S) return false;
    auto isKey = [&](const Expr *E) { return storageOf(E) == key; };
    // `g = false`, `g = nullptr`, `g.store(false)`, `g.reset()` empty the object: a guard
    // that ends that way runs again next time.
    if (auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp() && isKey(BO->getLHS()) &&
                                                !emptyValue(BO->getRHS()))
      return true;
    if (auto *OC = dyn_cast<CXXOperatorCallExpr>(S); OC && OC->isAssignmentOp() && OC->getNumArgs() == 2 &&
                                                     isKey(OC->getArg(0)) && !emptyValue(OC->getArg(1)))
      return true;
    if (auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (M && M->getIdentifier() && isKey(MC->getImplicitObjectArgument())) {
        llvm::StringRef n = M->getName();
        if (n == "emplace" || n == "assign" || n == "swap" || n == "insert" || n == "emplace_back" || n == "push_back" ||
            n == "try_emplace" || n == "insert_or_assign")
          return true;
        if ((n == "reset" || n == "store") && MC->getNumArgs() > 0 && !emptyValue(MC->getArg(0))) return true;
      }
    }
    // `if (!g_s3) init_s3();`: a helper defined here that assigns the object, or
    // `std::atomic_store(&g_sqs, p)`.
    if (auto *CE = dyn_cast<CallExpr>(S)) {
      if (const FunctionDecl *FD = CE->getDirectCallee()) {
        const IdentifierInfo *id = FD->getIdentifier();
        if (id && (id->getName() == "atomic_store" || id->getName() == "atomic_store_explicit") &&
            CE->getNumArgs() >= 2 && inSystem(FD->getLocation())) {
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
          if (auto *F = dyn_cast<FieldDecl>(key); F && isa<CXXMethodDecl>(FD) &&
                                                  cast<CXXMethodDecl>(FD)->getParent()->getCanonicalDecl() ==
                                                      F->getParent()->getCanonicalDecl())
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
  std::vector<const clang::FunctionDecl *> assigningCalls_; ///< helpers `assigns` is looking into

  /// The branch of a lazy-initialisation guard that assigns the long-lived object it
  /// tests: the then-branch of `if (!g)`, the else-branch of `if (g)`.
  const clang::Stmt *lazyInitBranch(const clang::IfStmt *S) {
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
  const clang::Decl *rebuildGuard(const clang::Expr *cond, const clang::Stmt *branch) {
    using namespace clang;
    if (!cond || !branch) return nullptr;
    const Decl *setTest = testedNonEmpty(cond); // `if (g) g = make();` rebuilds every time
    if (!storesClient(branch)) return nullptr; // `if (last_id != req.id) { last_id = req.id; S3Client c; }`
    for (const Decl *d : testedObjects(cond))
      if (d != setTest && assigns(branch, d)) return d;
    return nullptr;
  }

  /// Whether `S` stores a client it builds in a long-lived object (`g_conn =
  /// PQconnectdb(...)`, `g_s3 = std::make_unique<S3Client>()`, `g_s3.reset(new ...)`).
  bool storesClient(const clang::Stmt *S) {
    using namespace clang;
    if (!S || isa<LambdaExpr>(S)) return false;
    if (auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->getOpcode() == BO_Assign && storageOf(BO->getLHS()) &&
                                                buildsClient(BO->getRHS()))
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
  bool buildsClient(const clang::Stmt *S) {
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
          if (f->kind == Kind::Construct && isClient(templateArgRecord(FD, f->arg < 0 ? 0 : unsigned(f->arg)))) return true;
        }
    for (const Stmt *c : S->children())
      if (buildsClient(c)) return true;
    return false;
  }

  /// The long-lived objects an expression reads.
  std::vector<const clang::Decl *> testedObjects(const clang::Expr *cond) {
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
  bool emptiedEveryTime(const clang::Decl *key) {
    if (currentFunction_)
      if (auto *body = llvm::dyn_cast_or_null<clang::CompoundStmt>(currentFunction_->getBody()))
        for (const clang::Stmt *top : body->body())
          if (auto *E = llvm::dyn_cast_or_null<clang::Expr>(top); E && emptiesAlways(E, key)) return true;
    return false;
  }

  /// Whether the expression `S` empties `key`: `clear()`, `reset()`, `store(false)`,
  /// `= nullptr`, `= false` (not inside a lambda it merely creates).
  bool emptiesAlways(const clang::Stmt *S, const clang::Decl *key) {
    using namespace clang;
    if (!S || isa<LambdaExpr>(S) || isa<ConditionalOperator>(S) || isa<BinaryConditionalOperator>(S)) return false;
    if (auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isLogicalOp()) return emptiesAlways(BO->getLHS(), key);
    auto isKey = [&](const Expr *E) { return storageOf(E) == key; };
    if (auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->getOpcode() == BO_Assign && isKey(BO->getLHS()) &&
                                                emptyValue(BO->getRHS()))
      return true;
    if (auto *OC = dyn_cast<CXXOperatorCallExpr>(S); OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
                                                     isKey(OC->getArg(0)) && emptyValue(OC->getArg(1)))
      return true;
    if (auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (M && M->getIdentifier() && isKey(MC->getImplicitObjectArgument())) {
        StringRef n = M->getName();
        if (n == "clear") return true;
        if ((n == "reset" || n == "store" || n == "exchange") && (MC->getNumArgs() == 0 || emptyValue(MC->getArg(0))))
          return true;
      }
    }
    for (const Stmt *child : S->children())
      if (emptiesAlways(child, key)) return true;
    return false;
  }

  /// `auto [it, inserted] = cache.try_emplace(k); if (inserted) ...` (or `r.second` of
  /// a local result): the branch runs once per key of a long-lived cache.
  const clang::Decl *insertedNewKey(const clang::Expr *E) {
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
      if (name && name->getName() == "second")
        if (const VarDecl *local = snapshotLocal(ME->getBase())) init = local->getInit();
    }
    if (!init) return nullptr;
    auto *MC = dyn_cast<CXXMemberCallExpr>(stripForFlow(init));
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    if (!M || !M->getIdentifier()) return nullptr;
    StringRef n = M->getName();
    if (n != "try_emplace" && n != "emplace" && n != "insert") return nullptr;
    return storageOf(MC->getImplicitObjectArgument());
  }

  /// A test of a read-modify-write on a long-lived object that at most one caller can
  /// see come out one way: a flag that is only ever set (`!g.exchange(true)`,
  /// `!f.test_and_set()`, `g.compare_exchange_strong(expected = false, true)`) or a
  /// counter that only grows (`calls++ == 0`, `g.fetch_add(1) == 0`, `++n == 1`).
  /// Returns the object; `onceWhen` is the value of the test that at most one caller
  /// sees (false for `if (g.exchange(true)) return;`, which lets only the first on).
  const clang::Decl *onceOnlyTest(const clang::Expr *E, bool &onceWhen) {
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
      onceWhen = kind == ReadKind::Counter ? equal : (equal == (kind == ReadKind::Flag ? value.isZero() : !value.isZero()));
      return d;
    }
    return nullptr;
  }

  bool constantInt(const clang::Expr *E, llvm::APSInt &value) {
    E = E->IgnoreParenImpCasts();
    if (E->isValueDependent() || E->containsErrors() || !E->getType()->isIntegralOrEnumerationType()) return false;
    clang::Expr::EvalResult r;
    if (!E->EvaluateAsInt(r, ctx_)) return false;
    value = r.Val.getInt();
    return true;
  }

  /// What a read-modify-write returns: a counter's value (it grows; zero at most once),
  /// a set-only flag's old value (clear at most once), or whether a compare-exchange
  /// that sets the flag succeeded (true at most once).
  enum class ReadKind { Counter, Flag, Succeeded };

  /// The long-lived object a read-modify-write in `E` updates, and what it returns.
  const clang::Decl *readModifyWrite(const clang::Expr *E, ReadKind &kind) {
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
    if (n == "fetch_add") return MC->getNumArgs() > 0 && constantInt(MC->getArg(0), v) && v.isStrictlyPositive() ? key : nullptr;
    kind = ReadKind::Flag;
    if (n == "test_and_set") return key;
    if (n == "exchange")
      return MC->getNumArgs() > 0 && constantInt(MC->getArg(0), v) && !v.isZero() ? key : nullptr;
    if (n == "compare_exchange_strong" || n == "compare_exchange_weak") {
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
  const clang::Decl *earlyReturnGuard(const clang::IfStmt *S, bool &passesOnce) {
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

  // ---- callable flow: what reaches run_handler, std::function calls ------------------

  struct Registration {
    const clang::Expr *arg;
    clang::SourceLocation loc;
    std::string registrar;
  };
  struct Indirect {
    const clang::Expr *callee;
    size_t node;
    clang::SourceLocation loc;
    bool once;
  };

  void noteFlow(const clang::Expr *lhs, const clang::Expr *rhs) {
    if (const clang::ValueDecl *D = flowTarget(lhs)) flows_[D].push_back(rhs);
  }

  /// `handlers.emplace(k, f)`, `v.push_back(f)`, `m[k] = f`: the arguments flow into
  /// the container.
  void noteMemberFlow(const clang::CallExpr *CE) {
    using namespace clang;
    if (auto *MC = dyn_cast<CXXMemberCallExpr>(CE)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      if (!M || !M->getIdentifier()) return;
      llvm::StringRef n = M->getName();
      if (n == "emplace" || n == "emplace_back" || n == "push_back" || n == "insert" || n == "try_emplace" ||
          n == "insert_or_assign" || n == "assign" || n == "emplace_front" || n == "push_front")
        if (const ValueDecl *D = flowTarget(MC->getImplicitObjectArgument()))
          for (const Expr *a : MC->arguments()) flows_[D].push_back(a);
    } else if (auto *OC = dyn_cast<CXXOperatorCallExpr>(CE); OC && OC->isAssignmentOp() && OC->getNumArgs() == 2) {
      noteFlow(OC->getArg(0), OC->getArg(1));
    }
  }

  const clang::ValueDecl *flowTarget(const clang::Expr *E) {
    using namespace clang;
    if (!E) return nullptr;
    E = E->IgnoreParenImpCasts();
    while (true) {
      if (auto *OC = dyn_cast<CXXOperatorCallExpr>(E); OC && OC->getOperator() == OO_Subscript)
        E = OC->getArg(0)->IgnoreParenImpCasts();
      else if (auto *AS = dyn_cast<ArraySubscriptExpr>(E))
        E = AS->getBase()->IgnoreParenImpCasts();
      else break;
    }
    if (auto *DRE = dyn_cast<DeclRefExpr>(E)) return dyn_cast<VarDecl>(DRE->getDecl());
    if (auto *ME = dyn_cast<MemberExpr>(E)) return dyn_cast<FieldDecl>(ME->getMemberDecl());
    return nullptr;
  }

  static const clang::Expr *stripForFlow(const clang::Expr *E) {
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

  struct Target {
    std::string id;
    std::string via;     ///< the variable it came through, if any
    std::string caller;  ///< through a parameter: the function whose call passed it
    bool callerOnce = false; ///< ... in a once-only region
    bool same(const Target &o) const { return id == o.id && caller == o.caller && callerOnce == o.callerOnce; }
  };
  /// Where each call was made: the node whose body holds it, and whether it is once-only.
  struct CallSite {
    std::string node;
    bool once = false;
  };
  std::unordered_map<const clang::CallExpr *, CallSite> callSites_;
  CallSite passedBy_; ///< while resolving a parameter: the call that passed the argument
  clang::SourceLocation resolvingAt_; ///< while resolving an indirect call: where it is made
  bool storedParam_ = false; ///< ... through a parameter stored and called elsewhere

  void resolveCallables(const clang::Expr *E, std::vector<Target> &out, std::set<const void *> &seen, int depth,
                        const std::string &via) {
    using namespace clang;
    if (!E || depth > 16) return;
    E = stripForFlow(E);
    if (!seen.insert(E).second) return;
    auto add = [&](const std::string &id) {
      Target n{id, via, passedBy_.node, passedBy_.once};
      for (const Target &t : out)
        if (t.same(n)) return;
      out.push_back(n);
    };
    if (auto *LE = dyn_cast<LambdaExpr>(E)) {
      add(lambdaId(LE->getLambdaClass()));
      return;
    }
    if (auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const ValueDecl *D = DRE->getDecl();
      if (auto *FD = dyn_cast<FunctionDecl>(D)) {
        if (auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda())
          add(lambdaId(MD->getParent()));
        else if (!inSystem(FD->getLocation()) || !FD->hasBody())
          add(idOf(patternOf(FD)));
        return;
      }
      if (auto *PVD = dyn_cast<ParmVarDecl>(D)) {
        resolveParam(PVD, out, seen, depth, via);
        return;
      }
      if (auto *VD = dyn_cast<VarDecl>(D)) {
        std::string v = via.empty() ? VD->getName().str() : via;
        if (VD->getInit()) resolveCallables(VD->getInit(), out, seen, depth + 1, v);
        if (auto it = flows_.find(VD); it != flows_.end())
          for (const Expr *src : it->second) resolveCallables(src, out, seen, depth + 1, v);
        if (auto *RD = VD->getType()->getAsCXXRecordDecl()) addCallOperators(RD, out, v);
      }
      return;
    }
    if (auto *ME = dyn_cast<MemberExpr>(E)) {
      const ValueDecl *D = ME->getMemberDecl();
      if (auto *MD = dyn_cast<CXXMethodDecl>(D)) {
        add(idOf(patternOf(MD)));
        return;
      }
      if (auto *FD = dyn_cast<FieldDecl>(D)) {
        if (inSystem(FD->getLocation())) { // pair.second, optional's value...
          resolveCallables(ME->getBase(), out, seen, depth + 1, via);
          return;
        }
        if (FD->hasInClassInitializer()) resolveCallables(FD->getInClassInitializer(), out, seen, depth + 1, via);
        if (auto it = flows_.find(FD); it != flows_.end())
          for (const Expr *src : it->second) resolveCallables(src, out, seen, depth + 1, via);
        if (auto *RD = FD->getType()->getAsCXXRecordDecl()) addCallOperators(RD, out, via);
      }
      return;
    }
    if (auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      for (const Expr *a : CE->arguments()) resolveCallables(a, out, seen, depth + 1, via);
      if (CE->getConstructor()) addCallOperators(CE->getConstructor()->getParent(), out, via);
      return;
    }
    if (auto *IL = dyn_cast<InitListExpr>(E)) {
      for (const Expr *a : IL->inits()) resolveCallables(a, out, seen, depth + 1, via);
      return;
    }
    if (auto *SIL = dyn_cast<CXXStdInitializerListExpr>(E)) {
      resolveCallables(SIL->getSubExpr(), out, seen, depth + 1, via);
      return;
    }
    if (auto *CO = dyn_cast<AbstractConditionalOperator>(E)) {
      resolveCallables(CO->getTrueExpr(), out, seen, depth + 1, via);
      resolveCallables(CO->getFalseExpr(), out, seen, depth + 1, via);
      return;
    }
    if (auto *CE = dyn_cast<CallExpr>(E)) {
      // handlers.at(name), handlers[name], it->second, std::move(f), std::bind(&f, ...),
      // make_handler(): what comes out is built from the object, the arguments and
      // (for functions defined here) what the callee returns.
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
      return;
    }
  }

  /// A function object of ours handed to the library (`std::visit(Upload{}, ev)`,
  /// `std::thread t(Worker{})`, `std::for_each(b, e, Tally{})`): the library calls it,
  /// as it would a lambda, and we do not read the library's bodies.
  void noteFunctionObjectArgs(const clang::FunctionDecl *callee, llvm::ArrayRef<const clang::Expr *> args) {
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
  void noteStoredArgs(const clang::FunctionDecl *callee, llvm::ArrayRef<const clang::Expr *> args) {
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
      if (auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E); MC && isa_and_nonnull<CXXConversionDecl>(MC->getMethodDecl()))
        E = stripForFlow(MC->getImplicitObjectArgument());
      if (auto *DRE = dyn_cast_or_null<DeclRefExpr>(E); DRE && isa<FunctionDecl>(DRE->getDecl())) handedOn_.insert(DRE);
      else if (auto *LE = dyn_cast_or_null<LambdaExpr>(E)) handedOn_.insert(LE);
    }
  }
  std::unordered_set<const clang::Expr *> handedOn_;

  /// Whether a library function runs a callable it is given (`std::call_once`,
  /// `std::thread`, `std::visit`, `std::for_each`, `pthread_create`, an optional's
  /// `transform`) rather than storing or forwarding it (`std::move`, `std::bind`, a
  /// container's `push_back`, `std::function`'s constructor, `atexit`): what is stored
  /// runs where it is called, and the flow of the stored value finds that call.
  static bool libraryRunsCallable(const clang::FunctionDecl *callee) {
    const clang::IdentifierInfo *id = callee->getIdentifier();
    auto isThread = [](const clang::CXXRecordDecl *RD) {
      return RD && RD->getIdentifier() && (RD->getName() == "thread" || RD->getName() == "jthread");
    };
    if (auto *M = llvm::dyn_cast<clang::CXXMethodDecl>(callee)) {
      if (llvm::isa<clang::CXXConstructorDecl>(M)) return isThread(M->getParent());
      // `std::ranges::for_each(r, f)`: the algorithm is a function object.
      if (M->getOverloadedOperator() == clang::OO_Call) return true;
      // `workers.emplace_back(f)` on a container of threads starts a thread.
      if (auto *spec = llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(M->getParent());
          spec && spec->getTemplateArgs().size() > 0 && spec->getTemplateArgs()[0].getKind() == clang::TemplateArgument::Type &&
          isThread(spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl()))
        return true;
      return id && llvm::is_contained({"transform", "and_then", "or_else", "transform_error"}, id->getName());
    }
    if (!id) return false; // operators: `os << f`, `f == nullptr`
    static const llvm::StringRef stores[] = {
        "move", "forward", "move_if_noexcept", "bind", "bind_front", "bind_back", "ref", "cref", "mem_fn", "not_fn",
        "make_pair", "make_tuple", "forward_as_tuple", "tie", "make_optional", "make_any", "make_shared",
        "make_unique", "allocate_shared", "exchange", "swap", "addressof", "as_const", "construct_at", "launder",
        "atexit", "at_quick_exit", "signal", "set_terminate", "set_new_handler", "pthread_atfork", "on_exit"};
    return !llvm::is_contained(stores, id->getName());
  }

  static bool isCallableType(clang::QualType T) {
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

  void addCallOperators(const clang::CXXRecordDecl *RD, std::vector<Target> &out, const std::string &via) {
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

  void resolveParam(const clang::ParmVarDecl *P, std::vector<Target> &out, std::set<const void *> &seen, int depth,
                    const std::string &via) {
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
      bool inside = !storedParam_ && (resolvingAt_.isInvalid() ||
                                      sm_.isPointWithin(resolvingAt_, FD->getBeginLoc(), FD->getEndLoc()));
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
  bool inStaticLocalInit(const clang::FunctionDecl *FD, clang::SourceLocation loc) {
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
  void addUnresolvedCallEdges() {
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

  void finish() {
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
        e.detail = t.via.empty() ? "passed to " + r.registrar
                                 : "passed to " + r.registrar + " through '" + t.via + "'";
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
            e.callee = std::string(kParameterCallee) + idOf(patternOf(FD)) + "#" + std::to_string(P->getFunctionScopeIndex());
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
  void markPooledClients() {
    if (pools_.empty()) return;
    std::set<std::string> built;
    for (const FunctionFacts &fn : out_.functions)
      for (const Site &site : fn.sites)
        if (auto obj = site.data.find("object"); obj != site.data.end() && site.kind == "client") built.insert(obj->second);
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

  // ---- matching ------------------------------------------------------------------

  const CatalogClass *matchClass(const clang::CXXRecordDecl *RD) {
    if (!RD) return nullptr;
    RD = RD->getCanonicalDecl();
    if (auto it = classCache_.find(RD); it != classCache_.end()) return it->second;
    const CatalogClass *found = cat_.findClass(qualifiedName(RD));
    if (!found) {
      const clang::CXXRecordDecl *def = RD->getDefinition();
      if (def && !def->isDependentType()) {
        def->forallBases([&](const clang::CXXRecordDecl *base) {
          if (const CatalogClass *c = cat_.findClass(qualifiedName(base)); c && c->derived) {
            found = c;
            return false;
          }
          return true;
        });
      }
    }
    classCache_[RD] = found;
    return found;
  }

  clang::QualType templateArgType(const clang::FunctionDecl *FD, unsigned index) {
    const auto *args = FD->getTemplateSpecializationArgs();
    if (!args || index >= args->size() || (*args)[index].getKind() != clang::TemplateArgument::Type) return {};
    return (*args)[index].getAsType();
  }

  /// How to name a constructed type: a typedef or alias the code used
  /// (pqxx::connection), else the class (Aws::S3::S3Client).
  std::string typeName(clang::QualType T, const clang::CXXRecordDecl *RD) {
    using namespace clang;
    if (!T.isNull()) {
      for (int i = 0; i < 8; ++i) {
        if (auto *E = dyn_cast<ElaboratedType>(T.getTypePtr())) T = E->getNamedType();
        else if (auto *TT = dyn_cast<TypedefType>(T.getTypePtr())) {
          const TypedefNameDecl *TD = TT->getDecl();
          if (!TD->getDeclContext()->isFunctionOrMethod()) return qualifiedName(TD);
          T = TD->getUnderlyingType();
        } else if (auto *UT = dyn_cast<UsingType>(T.getTypePtr())) T = UT->getUnderlyingType();
        else break;
      }
      if (auto *R = T->getAsCXXRecordDecl()) return qualifiedName(R);
    }
    return qualifiedName(RD);
  }

  const clang::CXXRecordDecl *templateArgRecord(const clang::FunctionDecl *FD, unsigned index) {
    const auto *args = FD->getTemplateSpecializationArgs();
    if (!args || index >= args->size() || (*args)[index].getKind() != clang::TemplateArgument::Type) return nullptr;
    return (*args)[index].getAsType()->getAsCXXRecordDecl();
  }

  /// The catalog's handler signature that FD has, or null.
  const HandlerSignature *handlerSignatureOf(const clang::FunctionDecl *FD) {
    using namespace clang;
    if (FD->getNumParams() != 1) return nullptr;
    auto recordName = [&](QualType T) -> std::string {
      T = T.getNonReferenceType().getCanonicalType();
      if (T->isVoidType()) return "void";
      if (auto *RD = T->getAsCXXRecordDecl()) return qualifiedName(RD);
      return {};
    };
    QualType P = FD->getParamDecl(0)->getType();
    bool constRef = P->isLValueReferenceType() && P.getNonReferenceType().isConstQualified();
    bool byValue = !P->isReferenceType();
    bool rvalue = P->isRValueReferenceType();
    std::string ret = recordName(FD->getReturnType());
    std::string param = recordName(P);
    if (param.empty()) return nullptr;
    for (const HandlerSignature &h : cat_.handlerSignatures()) {
      if (h.returns != ret || h.parameter != param) continue;
      bool passes = h.passing == "any" ? constRef || byValue || rvalue : h.passing == "value" ? byValue : constRef;
      if (passes) return &h;
    }
    return nullptr;
  }

  static std::string signatureText(const HandlerSignature &h) {
    if (!h.text.empty()) return h.text;
    auto last = [](const std::string &q) { size_t p = q.rfind("::"); return p == std::string::npos ? q : q.substr(p + 2); };
    return last(h.returns) + "(" + last(h.parameter) + (h.passing == "value" ? "" : " const&") + ")";
  }

  /// +1 when `cond` is true exactly when the request for the next event failed
  /// (`curl_easy_perform(h) != CURLE_OK`, `curl_easy_perform(h)`, `rc != CURLE_OK` with
  /// `rc` its result, on a handle given the /next URL); -1 when it is true exactly
  /// when the request succeeded; 0 otherwise.
  int nextEventFailure(const clang::Expr *cond) {
    using namespace clang;
    const Expr *E = withoutExpect(cond);
    if (auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) return -nextEventFailure(UO->getSubExpr());
    if (auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->isEqualityOp())
      for (auto [x, c] : {std::pair{BO->getLHS(), BO->getRHS()}, std::pair{BO->getRHS(), BO->getLHS()}}) {
        llvm::APSInt v;
        if (fetchesNextEvent(x) && constantInt(c, v) && v.isZero()) return BO->getOpcode() == BO_NE ? 1 : -1;
      }
    return fetchesNextEvent(E) ? 1 : 0; // a curl error code: non-zero is a failure
  }

  bool fetchesNextEvent(const clang::Expr *E) {
    using namespace clang;
    E = E->IgnoreParenImpCasts();
    if (const VarDecl *local = snapshotLocal(E)) E = local->getInit()->IgnoreParenImpCasts();
    if (auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->getOpcode() == BO_Assign) E = BO->getRHS()->IgnoreParenImpCasts();
    auto *CE = dyn_cast<CallExpr>(E);
    const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
    if (!FD || !FD->getIdentifier() || FD->getName() != "curl_easy_perform" || CE->getNumArgs() != 1) return false;
    auto *DRE = dyn_cast<DeclRefExpr>(stripForFlow(CE->getArg(0)));
    auto it = DRE ? nextEventHandles_.find(DRE->getDecl()) : nextEventHandles_.end();
    return it != nextEventHandles_.end() && it->second;
  }

  /// `curl_easy_setopt(h, CURLOPT_URL, url)`: whether h's URL (the last one set, in
  /// source order) names /runtime/invocation/next.
  void noteNextEventHandle(const clang::CallExpr *CE, const clang::FunctionDecl *FD) {
    using namespace clang;
    if (!FD->getIdentifier() || FD->getName() != "curl_easy_setopt" || CE->getNumArgs() != 3 ||
        !namesOption(CE, 1, "CURLOPT_URL"))
      return;
    const Expr *url = stripForFlow(CE->getArg(2));
    bool marker = mentionsMarker(url);
    if (auto *DRE = dyn_cast<DeclRefExpr>(url))
      if (auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && markerVars_.count(VD)) marker = true;
    if (auto *h = dyn_cast<DeclRefExpr>(stripForFlow(CE->getArg(0)))) nextEventHandles_[h->getDecl()] = marker;
  }
  std::unordered_map<const clang::ValueDecl *, bool> nextEventHandles_;

  /// `target = <something naming the next-event URL>`: the target names it too.
  void noteMarkerTarget(const clang::Expr *target, const clang::Expr *value) {
    if (!mentionsMarker(value)) return;
    const clang::Expr *t = stripForFlow(target);
    if (auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(t))
      if (auto *VD = llvm::dyn_cast<clang::VarDecl>(DRE->getDecl())) markerVars_.insert(VD);
  }

  bool mentionsMarker(const clang::Stmt *S) {
    if (!S) return false;
    if (auto *SL = llvm::dyn_cast<clang::StringLiteral>(S)) {
      if (!(SL->isOrdinary() || SL->isUTF8())) return false;
      for (const auto &m : cat_.runtimeLoopMarkers())
        if (SL->getString().contains(m)) return true;
      return false;
    }
    for (const clang::Stmt *child : S->children())
      if (mentionsMarker(child)) return true;
    return false;
  }

  // ---- names, ids, locations ---------------------------------------------------------

  /// The declaration that names a function node. Each instantiation of a template is a
  /// node of its own: `create<S3Client>()` in main and `create<Scratch>()` in the
  /// handler construct different things, and `if constexpr` keeps different branches.
  static const clang::FunctionDecl *patternOf(const clang::FunctionDecl *FD) { return FD->getCanonicalDecl(); }

  std::string usrOf(const clang::Decl *D) {
    llvm::SmallString<128> buf;
    if (!clang::index::generateUSRForDecl(D, buf)) return buf.str().str();
    Loc l = toLoc(D->getLocation());
    return "decl:" + l.file + ":" + std::to_string(l.offset);
  }

  /// The node of a lambda's call operator: the lambda's, or for a generic lambda, the
  /// instantiation's own.
  std::string lambdaNodeId(const clang::FunctionDecl *op) {
    auto *MD = llvm::cast<clang::CXXMethodDecl>(op);
    std::string id = lambdaId(MD->getParent());
    if (op->isFunctionTemplateSpecialization()) id += "#" + usrOf(op);
    return id;
  }

  std::string idOf(const clang::FunctionDecl *FD) {
    if (auto *MD = llvm::dyn_cast<clang::CXXMethodDecl>(FD); MD && MD->getParent()->isLambda())
      return lambdaNodeId(MD);
    return usrOf(FD);
  }

  std::string lambdaId(const clang::CXXRecordDecl *closure) {
    Loc l = toLoc(closure->getLocation());
    std::string id = "lambda:" + l.file + ":" + std::to_string(l.offset);
    // A lambda in a template: one closure per instantiation of the enclosing function.
    for (const clang::DeclContext *DC = closure->getDeclContext(); DC; DC = DC->getParent())
      if (auto *FD = llvm::dyn_cast<clang::FunctionDecl>(DC)) {
        if (FD->isTemplateInstantiation() || FD->getTemplateInstantiationPattern())
          return id + "@" + usrOf(FD->getCanonicalDecl());
        if (!llvm::isa<clang::CXXMethodDecl>(FD) || !llvm::cast<clang::CXXMethodDecl>(FD)->getParent()->isLambda()) break;
      }
    return id;
  }

  std::string lambdaName(const clang::LambdaExpr *LE) {
    if (auto it = lambdaNames_.find(LE); it != lambdaNames_.end()) return "lambda '" + it->second + "'";
    if (frame()) {
      return "lambda in " + frame()->fn().name;
    }
    return "lambda";
  }

  bool inSystem(clang::SourceLocation L) {
    if (L.isInvalid()) return false;
    return sm_.isInSystemHeader(sm_.getExpansionLoc(L));
  }

  std::string text(clang::SourceLocation b, clang::SourceLocation e) {
    return clang::Lexer::getSourceText(clang::CharSourceRange::getCharRange(b, e), sm_, ctx_.getLangOpts()).str();
  }
  std::string sourceText(clang::SourceRange r) {
    return clang::Lexer::getSourceText(clang::CharSourceRange::getTokenRange(r), sm_, ctx_.getLangOpts()).str();
  }

  static std::string locString(const Loc &l) {
    return l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.col);
  }

  Loc toLoc(clang::SourceLocation L) {
    Loc out;
    if (L.isInvalid()) return out;
    L = sm_.getFileLoc(L);
    auto [fid, offset] = sm_.getDecomposedLoc(L);
    auto it = fileNames_.find(fid);
    if (it == fileNames_.end()) {
      std::string name;
      if (auto FE = sm_.getFileEntryRefForID(fid)) {
        llvm::SmallString<256> p(FE->getName());
        sm_.getFileManager().makeAbsolutePath(p);
        llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
        name = p.str().str();
      } else {
        name = sm_.getBufferName(L).str();
      }
      it = fileNames_.emplace(fid, name).first;
    }
    out.file = it->second;
    out.offset = offset;
    out.line = sm_.getLineNumber(fid, offset);
    out.col = sm_.getColumnNumber(fid, offset);
    return out;
  }

  clang::ASTContext &ctx_;
  clang::SourceManager &sm_;
  const Catalog &cat_;
  TUFacts &out_;

  std::vector<Frame> frames_;
  std::unordered_map<std::string, size_t> index_;
  std::map<clang::FileID, std::string> fileNames_;
  std::unordered_map<const clang::CXXRecordDecl *, const CatalogClass *> classCache_;
  std::unordered_map<const clang::Stmt *, Form> forms_;
  std::unordered_set<const clang::DeclStmt *> blockLevelDecls_;
  std::unordered_set<const clang::DeclRefExpr *> calleeRefs_;
  std::unordered_set<const clang::VarDecl *> markerVars_;
  std::unordered_map<const clang::LambdaExpr *, std::string> lambdaNames_;
  std::unordered_map<const clang::ValueDecl *, std::vector<const clang::Expr *>> flows_;
  std::unordered_map<const clang::FunctionDecl *, std::vector<const clang::CallExpr *>> callsTo_;
  std::vector<Registration> registrations_;
  std::vector<UnresolvedCall> unresolved_; ///< owned: the clang-tidy module passes none
  std::vector<Indirect> indirect_;
  std::unordered_map<const clang::Stmt *, std::string> storeTargets_; ///< expr -> object it initialises
  std::unordered_set<const clang::CallExpr *> waited_;
  std::unordered_set<const clang::VarDecl *> assignedMembers_;
  const clang::FunctionDecl *currentFunction_ = nullptr;
  clang::SourceLocation implicitInitLoc_;
  std::string implicitInitOwner_;
  const clang::Stmt *memberInitCore_ = nullptr;
  int getterDepth_ = 0;
  int nesting_ = 0;
};

/// Runs the Extractor on the parsed TU.
class ExtractConsumer : public clang::SemaConsumer {
public:
  ExtractConsumer(const ExtractOptions &opts, TUFacts &out) : opts_(opts), out_(out) {}
  void InitializeSema(clang::Sema &S) override {
    // Calls to names that no header declared (see recovery.h).
    S.addExternalSource(new UnresolvedCallRecorder(S, unresolved_));
    // Types that only a missing header declares (see recovery.h). Their members are
    // declared when looked up, so it is the AST's external source too.
    auto *placeholders = new PlaceholderTypes(S, out_.missing);
    S.addExternalSource(placeholders);
    if (!S.Context.getExternalSource())
      S.Context.setExternalSource(llvm::IntrusiveRefCntPtr<clang::ExternalASTSource>(placeholders));
  }
  void HandleTranslationUnit(clang::ASTContext &ctx) override {
    if (opts_.parseOnly) return;
    Extractor x(ctx, opts_, out_, unresolved_);
    x.run();
  }

  bool shouldSkipFunctionBody(clang::Decl *D) override {
    const clang::SourceManager &sm = D->getASTContext().getSourceManager();
    if (!sm.isInSystemHeader(sm.getExpansionLoc(D->getLocation()))) return false;
    // The smart-pointer and allocator machinery that std::make_shared reaches: with its
    // bodies, `make_shared<Deps>()` instantiates (and defines) the constructor of Deps
    // it calls, as it does without skipping.
    clang::FileID file = sm.getFileID(sm.getExpansionLoc(D->getLocation()));
    auto known = constructionMachinery_.find(file);
    if (known == constructionMachinery_.end()) {
      llvm::StringRef path = sm.getFilename(sm.getExpansionLoc(D->getLocation()));
      bool keep = false;
      for (llvm::StringRef suffix : {"bits/shared_ptr.h", "bits/shared_ptr_base.h", "bits/alloc_traits.h",
                                     "bits/new_allocator.h", "ext/new_allocator.h", "bits/allocator.h",
                                     "bits/stl_construct.h", "__memory/shared_ptr.h", "__memory/allocator_traits.h",
                                     "__memory/allocator.h", "__memory/construct_at.h"})
        keep = keep || path.ends_with(suffix);
      known = constructionMachinery_.try_emplace(file, keep).first;
    }
    if (known->second) return false;
    const clang::FunctionDecl *FD = D->getAsFunction();
    if (!FD || !FD->getIdentifier()) return true;
    // Cheap test first: only names that some construct wrapper has.
    llvm::StringRef name = FD->getName();
    if (!name.starts_with("make_") && !name.starts_with("allocate_") && name != "New" && !name.starts_with("Make"))
      return true;
    const CatalogFunction *f = opts_.catalog->findFunction(qualifiedName(FD));
    return !(f && f->kind == Kind::Construct);
  }

private:
  const ExtractOptions &opts_;
  TUFacts &out_;
  std::vector<UnresolvedCall> unresolved_;
  llvm::DenseMap<clang::FileID, bool> constructionMachinery_;
};

class ExtractAction : public clang::ASTFrontendAction {
public:
  ExtractAction(const ExtractOptions &opts, TUFacts &out) : opts_(opts), out_(out) {}
  bool BeginInvocation(clang::CompilerInstance &CI) override {
    CI.getFrontendOpts().SkipFunctionBodies = opts_.skipSystemBodies;
    CI.getFrontendOpts().DisableFree = opts_.disableFree;
    return true;
  }
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &CI, llvm::StringRef) override {
    // A missing include is skipped, not fatal (see recovery.h).
    CI.getPreprocessor().addPPCallbacks(std::make_unique<MissingHeaderRecorder>(CI.getPreprocessor(), out_.missing));
    return std::make_unique<ExtractConsumer>(opts_, out_);
  }

private:
  const ExtractOptions &opts_;
  TUFacts &out_;
};

} // namespace coldstart
