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
//
// This file declares the Extractor: its members are listed by concern, and each
// concern's definitions live in extract/<concern>.h (named on each section below):
// the traversal entry points in extract/traversal.h, frames, edges and sites, and the
// recorders (request headers, settings, durations, invocations, once-only guards,
// object lifetimes, callable flow...). extract/action.h is the FrontendAction that
// runs it; extract/qualified_names.h names declarations.
#pragma once

#include "coldstart/catalog.h"
#include "coldstart/facts.h"
#include "coldstart/hash.h"
#include "coldstart/extract/qualified_names.h"
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
  void run();
  void recordDependencies();
  std::string absolutePath(llvm::StringRef name);

  // ---- declarations (extract/traversal.h)
  bool TraverseDecl(clang::Decl *D);
  bool TraverseVarDecl(clang::VarDecl *VD);
  bool TraverseDecompositionDecl(clang::DecompositionDecl *VD);
  bool TraverseVarTemplateSpecializationDecl(clang::VarTemplateSpecializationDecl *VD);
  template <typename BaseTraverse> bool traverseVar(clang::VarDecl *VD, BaseTraverse base);
  bool VisitVarDecl(clang::VarDecl *VD);
  bool TraverseDecltypeTypeLoc(clang::DecltypeTypeLoc);
  bool TraverseUnaryExprOrTypeTraitExpr(clang::UnaryExprOrTypeTraitExpr *) { return true; }
  bool TraverseCXXNoexceptExpr(clang::CXXNoexceptExpr *) { return true; }
  bool TraverseCXXTypeidExpr(clang::CXXTypeidExpr *E);
  bool TraverseRequiresExpr(clang::RequiresExpr *) { return true; }
  bool TraverseDeclStmt(clang::DeclStmt *S);
  bool TraverseCompoundStmt(clang::CompoundStmt *S);
  bool TraverseIfStmt(clang::IfStmt *S);
  bool TraverseForStmt(clang::ForStmt *S);
  bool TraverseWhileStmt(clang::WhileStmt *S);
  bool TraverseDoStmt(clang::DoStmt *S);
  bool TraverseCXXForRangeStmt(clang::CXXForRangeStmt *S);

  // ---- lambdas (extract/traversal.h)
  bool TraverseLambdaExpr(clang::LambdaExpr *LE);

  // ---- constructions (extract/traversal.h)
  bool TraverseCXXConstructExpr(clang::CXXConstructExpr *E);
  bool TraverseCXXTemporaryObjectExpr(clang::CXXTemporaryObjectExpr *E);
  bool VisitCXXNewExpr(clang::CXXNewExpr *E);
  bool VisitCXXDeleteExpr(clang::CXXDeleteExpr *E);
  bool VisitCXXBindTemporaryExpr(clang::CXXBindTemporaryExpr *E);
  bool TraverseConstructorInitializer(clang::CXXCtorInitializer *I);

  // ---- calls (extract/traversal.h)

  bool TraverseCallExpr(clang::CallExpr *CE) {
    return traverseCall(CE, [&] { return Base::TraverseCallExpr(CE); });
  }

  // ---- calls that did not resolve because of a missing declaration (extract/unresolved_calls.h)
  const clang::FunctionDecl *recoveredCallee(const clang::Expr *callee);
  const CatalogFunction *recoveredRegistration(const clang::Expr *callee);
  void noteRecoveredCall(const clang::Expr *callee, llvm::ArrayRef<const clang::Expr *> args,
                         clang::SourceLocation loc);
  bool TraverseRecoveryExpr(clang::RecoveryExpr *E);
  bool TraverseCXXMemberCallExpr(clang::CXXMemberCallExpr *CE);
  bool TraverseCXXOperatorCallExpr(clang::CXXOperatorCallExpr *CE);
  bool VisitDeclRefExpr(clang::DeclRefExpr *E);
  /// Function references that are arguments of a call (`run_handler(&my_handler)`): the
  /// callee and parameter each binds to, "<callee id>#<i>" (Edge::argOf).
  std::unordered_map<const clang::DeclRefExpr *, std::string> argSlots_;
  void noteArgSlots(const clang::CallExpr *CE, const clang::FunctionDecl *FD);

  // ---- request headers: where a "Connection: close" is sent (extract/request_headers.h)
  bool VisitCXXConstructExpr(clang::CXXConstructExpr *E);
  bool VisitCallExpr(clang::CallExpr *E);
  bool VisitReturnStmt(clang::ReturnStmt *S);
  bool setsHeaders(const clang::CallExpr *E, const clang::FunctionDecl *FD);
  static bool headerish(llvm::StringRef name, clang::QualType type);
  static bool responseish(llvm::StringRef name, clang::QualType type);
  static bool byNameAndType(const clang::Expr *E, bool (*pred)(llvm::StringRef, clang::QualType));
  static bool responseish(const clang::Expr *E) { return byNameAndType(E, responseish); }
  static bool headerishExpr(const clang::Expr *E) { return byNameAndType(E, headerish); }
  void markHeaderContext(const clang::Stmt *S);
  static const clang::StringLiteral *closeHeaderLiteral(const clang::Expr *E);
  void noteCloseHeaderVariable(const clang::Expr *arg);
  bool VisitInitListExpr(clang::InitListExpr *E);
  bool VisitStringLiteral(clang::StringLiteral *S);
  bool VisitBinaryOperator(clang::BinaryOperator *E);
  bool VisitUnaryOperator(clang::UnaryOperator *E);

private:
  // ---- frames (extract/frames.h)

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
  size_t node(const std::string &id, const std::string &name, const std::string &qname, const std::string &kind,
              clang::SourceLocation loc);
  bool traverseFunction(clang::FunctionDecl *FD);
  template <typename F> bool traverseLoop(clang::Stmt *S, clang::Expr *cond, F &&base, bool rangeLoop = false);
  template <typename F> bool traverseLoopIn(clang::Stmt *S, clang::Expr *cond, F &&base, bool rangeLoop);

  // ---- edges and sites (extract/edges_and_sites.h)
  void addEdge(const std::string &callee, clang::SourceLocation loc, EdgeKind kind, const std::string &argOf = "");
  void addEdgeTo(const clang::FunctionDecl *FD, clang::SourceLocation loc, EdgeKind kind,
                 const std::string &argOf = "");
  void addDestructorEdge(const clang::CXXRecordDecl *RD, clang::SourceLocation loc);
  void addMemberDestructorEdges(const clang::CXXDestructorDecl *DD);
  Site &addSite(Kind kind, const std::string &entry, const std::string &subject, const std::string &form,
                clang::SourceLocation loc);
  template <typename F> bool withNesting(bool site, F &&traverse);

  bool isMemberInitCore(const clang::Expr *E) const { return memberInitCore_ && coreOf(E) == memberInitCore_; }
  bool recordConstruct(clang::CXXConstructExpr *E);
  template <typename F> bool traverseCall(clang::CallExpr *CE, F &&base);
  void recordCall(clang::CallExpr *CE, const clang::FunctionDecl *FD);
  const CatalogFunction *callEntry(const clang::CallExpr *CE, const clang::FunctionDecl *FD);
  template <typename F>
  bool traverseCatalogCall(clang::CallExpr *CE, const clang::FunctionDecl *FD, const CatalogFunction &catalogEntry,
                           F &&base);
  void recordCallEdge(clang::CallExpr *CE, const clang::FunctionDecl *FD);
  void addWrappedConstructorEdges(const clang::FunctionDecl *wrapper, const clang::CXXRecordDecl *RD,
                                  const clang::CallExpr *CE);

  // ---- declarations as a construction form, and the static fix (extract/static_fix.h)

  struct Form {
    std::string form;
    clang::SourceLocation loc;
    const clang::VarDecl *var;
    const clang::DeclStmt *declStmt;
  };
  void noteDeclaration(const clang::DeclStmt *DS, const clang::VarDecl *VD);
  void noteStatementEnd(Site &site, const clang::DeclStmt *DS, const clang::VarDecl *VD);
  void refuseFix(Site &site, std::string why);
  static std::string notAVariable(const std::string &form);
  static std::string describeInput(const clang::Stmt *S);
  void offerCallFix(Site &site, const clang::CallExpr *CE, const CatalogFunction &entry);
  void offerStaticFix(Site &site, const clang::VarDecl *VD, const clang::DeclStmt *DS, bool sdkLifetime);
  bool staticReplacement(const clang::VarDecl *VD, const clang::DeclStmt *DS, bool sdkLifetime, Fix &fix);
  void offerHoistFix(Site &site, const clang::VarDecl *VD, const clang::DeclStmt *DS, bool sdkLifetime,
                     const clang::FunctionDecl *fn);
  /// What the hoisting fix moves: statements [start, clientAt] of a block's body, the
  /// locals they declare, and the local each set-up statement sets up.
  struct HoistRange {
    std::vector<const clang::Stmt *> body;
    size_t start = 0, clientAt = 0;
    std::set<const clang::VarDecl *> hoisted;
    std::map<size_t, const clang::VarDecl *> setupOf;
    std::string why; ///< when the range cannot be moved: why, in one clause
    bool fail(std::string reason) {
      why = std::move(reason);
      return false;
    }
  };
  bool hoistRange(const clang::VarDecl *VD, const clang::DeclStmt *DS, const clang::CompoundStmt *block, HoistRange &r);
  static const clang::VarDecl *setUpLocal(const clang::Stmt *S);
  std::string servesClientOnly(const clang::VarDecl *VD, const HoistRange &r);
  bool passedWhole(const clang::VarDecl *VD, const HoistRange &r, bool sdkLifetime);
  static const clang::VarDecl *usedAfterRange(const clang::FunctionDecl *fn, const HoistRange &r);
  bool hoistReplacement(const clang::VarDecl *VD, const clang::DeclStmt *DS, const clang::CompoundStmt *block,
                        const HoistRange &r, bool sdkLifetime, Fix &fix);
  bool coverMovedSites(Site &site, const Fix &fix, const std::string &name);
  bool readsOnlyOnceOnlyValues(const clang::Stmt *S, const std::map<const clang::VarDecl *, size_t> &locals,
                               size_t &start, const clang::Stmt **culprit = nullptr);
  void scopeFix(Fix &fix);
  bool readsOnlyInvariantValues(const clang::Stmt *S, const clang::Stmt **culprit = nullptr);
  // the fix that reuses a handle (extract/reuse_fix.h)
  void offerReuseFix(Site &site, const clang::VarDecl *VD, const clang::DeclStmt *DS, const CatalogFunction &entry);
  std::string handleEscapes(const clang::Stmt *body, const clang::VarDecl *VD, const clang::FunctionDecl *reset,
                            std::vector<const clang::CallExpr *> &releases);
  std::string handleUse(const clang::DeclRefExpr *DRE, const std::vector<const clang::Stmt *> &parents,
                        const clang::FunctionDecl *reset, std::vector<const clang::CallExpr *> &releases);
  bool releaseRemoval(const clang::CallExpr *CE, Replacement &r);
  bool reuseDeclaration(const clang::VarDecl *VD, const clang::DeclStmt *DS, Site &site, const std::string &reset,
                        Fix &fix);
  std::string staticBlocker(const clang::Stmt *body, const clang::VarDecl *VD);
  std::string staticUseBlocker(const clang::DeclRefExpr *DRE, const std::vector<const clang::Stmt *> &parents);
  static bool refersTo(const clang::Expr *E, const clang::VarDecl *VD);
  const clang::FunctionDecl *enclosingFunction(const clang::Decl *D);

  // ---- the accessor fix of a heavy static initialiser (extract/accessor_fix.h)
  /// Namespace-scope variables with a dynamic initialiser, and their static-init nodes.
  std::vector<std::pair<const clang::VarDecl *, size_t>> accessorCandidates_;
  void offerAccessorFixes();
  std::string accessorRefusal(const clang::VarDecl *VD);
  static size_t accessorDeclaratorCount(const clang::VarDecl *VD);
  std::set<std::string> namesOutsideTheAst(const std::set<std::string> &names, const std::set<unsigned> &accounted);
  bool pureInitialiser(const clang::Stmt *S);
  bool accessorReplacement(const clang::VarDecl *VD, const std::vector<clang::SourceLocation> &uses, Fix &fix);
  static std::string withoutWords(const std::string &text, std::initializer_list<const char *> words);
  static std::string accessorLocalName(const std::string &initText);
  void dropAccessorFixesOverlappingOthers();
  std::string accessorUsers(const std::set<const clang::Decl *> &users);

  // ---- objects: keys, parameters, client uses, header pairs (extract/objects.h)

  static constexpr unsigned kLargeListFloor = 16; ///< smaller lists are never worth a site
  static bool isConnectionCloseHeader(llvm::StringRef text);
  void noteHeaderPair(llvm::ArrayRef<const clang::Expr *> args, clang::SourceLocation loc);
  template <typename Entry> static bool hasTag(const Entry &entry, const char *tag); ///< a catalog class or function
  static const clang::Stmt *coreOf(const clang::Expr *E);
  std::string objectKey(const clang::Expr *E);
  void noteArgParam(Site &s, const clang::Expr *arg);
  void resolveArgParams();
  void resolveParamKeys();
  void noteClientUse(const clang::CXXMemberCallExpr *MC);

  // ---- durations (extract/durations.h)
  static std::string formatMs(double ms);
  std::optional<double> evalNumber(const clang::Expr *E);
  std::optional<double> durationMs(const clang::Expr *arg, const std::string &unit);
  std::optional<double> chronoMs(const clang::Expr *arg);
  std::optional<double> timespecMs(const clang::Expr *arg);

  // ---- settings (extract/settings.h)
  std::optional<bool> settingIsBad(const CatalogSetting &st, const clang::Expr *value);
  void recordSetting(const CatalogSetting &st, const clang::Expr *value, clang::SourceLocation loc);
  static bool namesOption(const clang::CallExpr *CE, int index, llvm::StringRef option);
  void noteCallSettings(const clang::CallExpr *CE, const clang::FunctionDecl *FD);
  void noteMemberChange(const clang::Expr *lhs);
  void noteFieldSetting(const clang::BinaryOperator *E);

  // ---- asynchronous invocations and waited futures (extract/invocations.h)
  bool invokesAsynchronously(const clang::CallExpr *CE, const CatalogFunction &entry);
  bool localRequestIsAsync(const clang::Expr *req, const clang::CallExpr *CE, int depth);
  std::optional<bool> requestSourceIsAsync(const clang::Expr *E, const clang::Expr *&copiedFrom);
  static const clang::Expr *withoutLocalAlias(const clang::Expr *E);
  bool returnedRequestIsAsync(const clang::CallExpr *call);
  static const clang::Expr *setterChainRoot(const clang::CXXMemberCallExpr *MC);
  static const clang::VarDecl *localRoot(const clang::Expr *E);
  static bool sameObject(const clang::Expr *A, const clang::Expr *B);
  int invocationTypeIn(const clang::Stmt *S);
  bool helperSetsEvent(const clang::FunctionDecl *callee, unsigned index);
  void noteWaitedFuture(const clang::CXXMemberCallExpr *MC);
  bool waitedImmediately(const clang::CallExpr *CE);
  bool doesWork(const clang::CallExpr *call, const clang::FunctionDecl *callee);

  const clang::FunctionDecl *enclosingFunctionOfFrame() { return currentFunction_; }

  // ---- static variables (extract/static_vars.h)
  void describeStaticVar(const clang::VarDecl *VD, std::map<std::string, std::string> &attrs);
  std::string sdkObjectIn(clang::QualType T, int depth);

  // ---- once-only guards (extract/guard_tests.h)
  static const clang::Expr *withoutDoubleNegation(const clang::Expr *E);
  static const clang::Expr *withoutExpect(const clang::Expr *E);
  const clang::Decl *testedEmpty(const clang::Expr *E);
  const clang::Decl *testedNonEmpty(const clang::Expr *E);
  static const clang::VarDecl *snapshotLocal(const clang::Expr *E);
  const clang::Decl *comparedWithNull(const clang::Expr *L, const clang::Expr *R);

  // ---- object lifetimes: where an object is stored and how long it lives (extract/lifetimes.h)
  const clang::Decl *storageOf(const clang::Expr *E);
  const clang::Expr *copiedFrom(const clang::Expr *E);
  std::optional<const clang::Decl *> storageReturnedByReference(const clang::Expr *E);
  const clang::Expr *containerOfElement(const clang::Expr *E);
  const clang::Decl *variableStorage(const clang::VarDecl *VD);
  const clang::Decl *memberStorage(const clang::MemberExpr *ME, const clang::FieldDecl *FD);
  void noteReleasingDeleter(const clang::VarDecl *VD, const clang::Expr *init);
  bool isShortLivedLocal(const clang::VarDecl *VD);

  /// Classes of the project with an instance that is a local object of a function (see
  /// isShortLivedLocal), or a temporary: a guard on one of their members runs once per
  /// object, not once per process. Collected before the walk.
  std::unordered_set<const clang::CXXRecordDecl *> shortLivedClasses_;

  // ---- the pre-pass (extract/prepass.h)

  /// Every call in the project's code (not system headers) to a function of the project
  /// that takes a non-const lvalue reference, by the callee's pattern: collected before
  /// the walk, so that a parameter's callers are all known when its function is walked.
  std::unordered_map<const clang::FunctionDecl *, std::vector<const clang::CallExpr *>> referenceCalls_;
  void prepass();

  // ---- once-only guards: what the guarded branch does (extract/guards.h)

  int followingReference_ = 0;
  struct Pooling {
    std::string client; ///< object key of the client attached
    bool conditional;   ///< the cache exists only if `pool` was set up to share connections
    std::string pool;   ///< object key of that cache ("" when unknown)
    std::string call;
  };
  std::vector<Pooling> pools_;
  std::unordered_set<const clang::Stmt *> headerContext_;
  std::unordered_map<const clang::VarDecl *, const clang::StringLiteral *> closeHeaderVars_;
  bool livesAsLongAsMain(const clang::VarDecl *VD);
  bool emptyValue(const clang::Expr *E);
  bool assigns(const clang::Stmt *S, const clang::Decl *key);
  std::vector<const clang::FunctionDecl *> assigningCalls_; ///< helpers `assigns` is looking into
  const clang::Stmt *lazyInitBranch(const clang::IfStmt *S);
  const clang::Decl *rebuildGuard(const clang::Expr *cond, const clang::Stmt *branch);
  bool storesClient(const clang::Stmt *S);
  bool buildsClient(const clang::Stmt *S);
  std::vector<const clang::Decl *> testedObjects(const clang::Expr *cond);
  bool emptiedEveryTime(const clang::Decl *key);
  bool emptiesAlways(const clang::Stmt *S, const clang::Decl *key);
  const clang::Decl *insertedNewKey(const clang::Expr *E);
  const clang::Decl *onceOnlyTest(const clang::Expr *E, bool &onceWhen);
  bool constantInt(const clang::Expr *E, llvm::APSInt &value);

  /// What a read-modify-write returns: a counter's value (it grows; zero at most once),
  /// a set-only flag's old value (clear at most once), or whether a compare-exchange
  /// that sets the flag succeeded (true at most once).
  enum class ReadKind { Counter, Flag, Succeeded };
  const clang::Decl *readModifyWrite(const clang::Expr *E, ReadKind &kind);
  const clang::Decl *earlyReturnGuard(const clang::IfStmt *S, bool &passesOnce);

  // ---- callable flow: what reaches run_handler, std::function calls (extract/callables.h)

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
  void noteFlow(const clang::Expr *lhs, const clang::Expr *rhs);
  void noteMemberFlow(const clang::CallExpr *CE);
  const clang::ValueDecl *flowTarget(const clang::Expr *E);
  static const clang::Expr *stripForFlow(const clang::Expr *E);

  struct Target {
    std::string id;
    std::string via;         ///< the variable it came through, if any
    std::string caller;      ///< through a parameter: the function whose call passed it
    bool callerOnce = false; ///< ... in a once-only region
    bool same(const Target &o) const { return id == o.id && caller == o.caller && callerOnce == o.callerOnce; }
  };
  /// Where each call was made: the node whose body holds it, and whether it is once-only.
  struct CallSite {
    std::string node;
    bool once = false;
  };
  std::unordered_map<const clang::CallExpr *, CallSite> callSites_;
  CallSite passedBy_;                 ///< while resolving a parameter: the call that passed the argument
  clang::SourceLocation resolvingAt_; ///< while resolving an indirect call: where it is made
  bool storedParam_ = false;          ///< ... through a parameter stored and called elsewhere
  void resolveCallables(const clang::Expr *E, std::vector<Target> &out, std::set<const void *> &seen, int depth,
                        const std::string &via);
  void addTarget(std::vector<Target> &out, const std::string &id, const std::string &via);
  void resolveDeclRef(const clang::DeclRefExpr *DRE, std::vector<Target> &out, std::set<const void *> &seen, int depth,
                      const std::string &via);
  void resolveMember(const clang::MemberExpr *ME, std::vector<Target> &out, std::set<const void *> &seen, int depth,
                     const std::string &via);
  void resolveCallResult(const clang::CallExpr *CE, std::vector<Target> &out, std::set<const void *> &seen, int depth,
                         const std::string &via);
  void noteFunctionObjectArgs(const clang::FunctionDecl *callee, llvm::ArrayRef<const clang::Expr *> args);
  void noteStoredArgs(const clang::FunctionDecl *callee, llvm::ArrayRef<const clang::Expr *> args);
  std::unordered_set<const clang::Expr *> handedOn_;
  bool libraryRunsCallable(const clang::FunctionDecl *callee);
  static bool isCallableType(clang::QualType T);
  void addCallOperators(const clang::CXXRecordDecl *RD, std::vector<Target> &out, const std::string &via);
  void resolveParam(const clang::ParmVarDecl *P, std::vector<Target> &out, std::set<const void *> &seen, int depth,
                    const std::string &via);
  bool inStaticLocalInit(const clang::FunctionDecl *FD, clang::SourceLocation loc);
  void addUnresolvedCallEdges();
  void finish();
  void markPooledClients();

  // ---- matching (extract/matching.h)
  const CatalogClass *matchClass(const clang::CXXRecordDecl *RD);
  clang::QualType templateArgType(const clang::FunctionDecl *FD, unsigned index);
  std::string typeName(clang::QualType T, const clang::CXXRecordDecl *RD);
  const clang::CXXRecordDecl *templateArgRecord(const clang::FunctionDecl *FD, unsigned index);
  const HandlerSignature *handlerSignatureOf(const clang::FunctionDecl *FD);
  static std::string signatureText(const HandlerSignature &h);
  int nextEventFailure(const clang::Expr *cond);
  bool fetchesNextEvent(const clang::Expr *E);
  void noteNextEventHandle(const clang::CallExpr *CE, const clang::FunctionDecl *FD);
  std::unordered_map<const clang::ValueDecl *, bool> nextEventHandles_;
  void noteMarkerTarget(const clang::Expr *target, const clang::Expr *value);
  bool mentionsMarker(const clang::Stmt *S);

  // ---- names, ids, locations (extract/names.h)
  static const clang::FunctionDecl *patternOf(const clang::FunctionDecl *FD);
  std::string usrOf(const clang::Decl *D);
  std::string lambdaNodeId(const clang::FunctionDecl *op);
  std::string idOf(const clang::FunctionDecl *FD);
  std::string lambdaId(const clang::CXXRecordDecl *closure);
  std::string lambdaName(const clang::LambdaExpr *LE);
  bool inSystem(clang::SourceLocation L);
  std::string text(clang::SourceLocation b, clang::SourceLocation e);
  std::string sourceText(clang::SourceRange r);
  Loc toLoc(clang::SourceLocation L);

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
  std::unordered_map<const clang::DeclStmt *, const clang::CompoundStmt *> blockOf_; ///< the block it is a statement of
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

} // namespace coldstart

// The Extractor's member definitions, by concern.
#include "coldstart/extract/dependencies.h"
#include "coldstart/extract/traversal.h"
#include "coldstart/extract/unresolved_calls.h"
#include "coldstart/extract/request_headers.h"
#include "coldstart/extract/frames.h"
#include "coldstart/extract/edges_and_sites.h"
#include "coldstart/extract/static_fix.h"
#include "coldstart/extract/hoist_fix.h"
#include "coldstart/extract/reuse_fix.h"
#include "coldstart/extract/accessor_fix.h"
#include "coldstart/extract/objects.h"
#include "coldstart/extract/durations.h"
#include "coldstart/extract/settings.h"
#include "coldstart/extract/invocations.h"
#include "coldstart/extract/static_vars.h"
#include "coldstart/extract/guard_tests.h"
#include "coldstart/extract/lifetimes.h"
#include "coldstart/extract/prepass.h"
#include "coldstart/extract/guards.h"
#include "coldstart/extract/callables.h"
#include "coldstart/extract/matching.h"
#include "coldstart/extract/names.h"
#include "coldstart/extract/action.h"
