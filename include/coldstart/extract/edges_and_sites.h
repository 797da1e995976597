// Part of the Extractor (extract.h). Edges and sites: what a node calls, constructs and destroys, and its catalog matches.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// `argOf`: the function reference is argument i of a call, "<callee id>#<i>" (Edge::argOf).
inline void Extractor::addEdge(const std::string &callee, clang::SourceLocation loc, EdgeKind kind,
                               const std::string &argOf) {
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

inline void Extractor::addEdgeTo(const clang::FunctionDecl *FD, clang::SourceLocation loc, EdgeKind kind,
                                 const std::string &argOf) {
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

inline void Extractor::addDestructorEdge(const clang::CXXRecordDecl *RD, clang::SourceLocation loc) {
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

inline void Extractor::addMemberDestructorEdges(const clang::CXXDestructorDecl *DD) {
  const clang::CXXRecordDecl *RD = DD->getParent();
  for (const auto *field : RD->fields())
    if (auto *FR = field->getType()->getAsCXXRecordDecl()) addDestructorEdge(FR, DD->getLocation());
  for (const auto &base : RD->bases())
    if (auto *BR = base.getType()->getAsCXXRecordDecl()) addDestructorEdge(BR, DD->getLocation());
}

inline Site &Extractor::addSite(Kind kind, const std::string &entry, const std::string &subject,
                                const std::string &form, clang::SourceLocation loc) {
  Frame *f = frame();
  Site s;
  s.kind = kindName(kind);
  s.entry = entry;
  s.subject = subject;
  s.form = form;
  s.loc = toLoc(loc.isValid() ? loc : implicitInitLoc_);
  s.once = f->once > 0;
  if (!f->loops.empty()) {
    s.locs["loop"] = toLoc(f->loops.back());
    s.data["loop-depth"] = std::to_string(f->loops.size());
  }
  auto &sites = f->fn().sites;
  for (Site &o : sites)
    if (o.loc == s.loc && o.kind == s.kind && o.subject == s.subject && o.once == s.once) return o;
  sites.push_back(std::move(s));
  return sites.back();
}

template <typename F> inline bool Extractor::withNesting(bool site, F &&traverse) {
  if (site) ++nesting_;
  bool r = traverse();
  if (site) --nesting_;
  return r;
}

/// Records a construction: a catalog site, or an edge to a user constructor.
/// Returns true when it is a catalog site (its arguments then nest inside it).
inline bool Extractor::recordConstruct(clang::CXXConstructExpr *E) {
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
    if (form.var) offerStaticFix(s, form.var, form.declStmt, hasTag(*entry, "aws-sdk"));
    else refuseFix(s, notAVariable(form.form));
    return true;
  }
  addEdgeTo(ctor, E->getBeginLoc().isValid() ? E->getBeginLoc() : E->getLocation(), EdgeKind::Construct);
  return false;
}

/// A call: the recorders see it, then a catalog entry decides what it is (a site, a
/// once-only region, a registration...), else it is an edge to the project's function
/// or an indirect call resolved at the end.
template <typename F> inline bool Extractor::traverseCall(clang::CallExpr *CE, F &&base) {
  if (!frame()) return base();
  const clang::FunctionDecl *FD = CE->getDirectCallee();
  recordCall(CE, FD);
  if (const CatalogFunction *entry = callEntry(CE, FD)) return traverseCatalogCall(CE, FD, *entry, base);
  recordCallEdge(CE, FD);
  return base();
}

/// What the recorders note about every call inside a node: stored arguments, flows
/// into members, assignments' targets, client uses, waited futures, settings.
inline void Extractor::recordCall(clang::CallExpr *CE, const clang::FunctionDecl *FD) {
  using namespace clang;
  if (auto *callee = dyn_cast<DeclRefExpr>(CE->getCallee()->IgnoreParenImpCasts())) calleeRefs_.insert(callee);
  noteStoredArgs(FD, llvm::ArrayRef<const clang::Expr *>(CE->getArgs(), CE->getNumArgs()));
  noteMemberFlow(CE);
  if (FD) {
    callsTo_[patternOf(FD)].push_back(CE);
    callSites_[CE] = CallSite{frame()->fn().id, frame()->once > 0};
  } else if (CE->containsErrors()) {
    noteRecoveredCall(CE->getCallee(), llvm::ArrayRef<const clang::Expr *>(CE->getArgs(), CE->getNumArgs()),
                      CE->getBeginLoc());
  }
  if (auto *OC = dyn_cast<CXXOperatorCallExpr>(CE); OC && OC->isAssignmentOp() && OC->getNumArgs() == 2) {
    std::string key = objectKey(OC->getArg(0));
    if (!key.empty()) storeTargets_[coreOf(OC->getArg(1))] = key;
  }
  if (auto *MC = dyn_cast<CXXMemberCallExpr>(CE)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (M && M->getIdentifier() && cat_.listed("store-target-methods", M->getName()) && MC->getNumArgs() > 0) {
      std::string key = objectKey(MC->getImplicitObjectArgument());
      if (!key.empty()) storeTargets_[coreOf(MC->getArg(0))] = key;
    }
    noteClientUse(MC);
    noteWaitedFuture(MC);
  }
  if (FD) noteCallSettings(CE, FD);
  if (FD) noteNextEventHandle(CE, FD);
}

/// The catalog entry a call matches, if any.
inline const CatalogFunction *Extractor::callEntry(const clang::CallExpr *CE, const clang::FunctionDecl *FD) {
  const CatalogFunction *entry = FD ? cat_.findFunction(qualifiedName(FD)) : nullptr;
  // A built-in C API name (connect, open, read, sleep...) means that API only when it
  // is not the project's own function of the same name.
  if (entry && entry->builtin && entry->name.find("::") == std::string::npos && FD->isDefined() &&
      !inSystem(FD->getDefinition()->getLocation()))
    entry = nullptr;
  if (entry && !entry->option.empty() && !namesOption(CE, entry->optionArg, entry->option)) entry = nullptr;
  return entry;
}

/// A call of a catalog function: what its kind makes of it.
template <typename F>
inline bool Extractor::traverseCatalogCall(clang::CallExpr *CE, const clang::FunctionDecl *FD,
                                           const CatalogFunction &catalogEntry, F &&base) {
  using namespace clang;
  const CatalogFunction *entry = &catalogEntry;
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
    if (arg < CE->getNumArgs()) registrations_.push_back({CE->getArg(arg), CE->getBeginLoc(), qualifiedName(FD)});
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
        Site &s =
            addSite(cls->kind, cls->name, typeName(templateArgType(FD, entry->arg < 0 ? 0 : unsigned(entry->arg)), RD),
                    form.form, form.loc);
        if (auto it = storeTargets_.find(CE); it != storeTargets_.end()) s.data["object"] = it->second;
        if (form.var) offerStaticFix(s, form.var, form.declStmt, hasTag(*cls, "aws-sdk"));
        else refuseFix(s, notAVariable(form.form));
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
      if (isClientKind) offerCallFix(s, CE, *entry);
    }
    return withNesting(isClientKind, base);
  }
  }
  return base();
}

/// A call that no catalog entry matches: an edge to the project's function, or an
/// indirect call (through a pointer, a std::function or a functor) resolved later.
inline void Extractor::recordCallEdge(clang::CallExpr *CE, const clang::FunctionDecl *FD) {
  using namespace clang;
  // A lambda converted to a function pointer runs where the pointer is called.
  if (auto *conv = dyn_cast_or_null<CXXConversionDecl>(FD); conv && conv->getParent()->isLambda()) {
    return;
  } else if (FD && !inSystem(FD->getLocation())) {
    addEdgeTo(FD, CE->getBeginLoc(), EdgeKind::Call);
    noteArgSlots(CE, FD);
  } else {
    // A call through a pointer, a std::function or a functor: resolve later, when
    // every assignment in the TU is known.
    const Expr *target = nullptr;
    if (!FD) target = CE->getCallee();
    else if (auto *OC = dyn_cast<CXXOperatorCallExpr>(CE); OC && OC->getOperator() == OO_Call) target = OC->getArg(0);
    if (target) indirect_.push_back({target, frame()->index, CE->getBeginLoc(), frame()->once > 0});
  }
}

inline void Extractor::addWrappedConstructorEdges(const clang::FunctionDecl *wrapper, const clang::CXXRecordDecl *RD,
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
  bool tagged = false; // Aws::MakeShared<T>(tag, args...): the first argument is an allocation tag
  for (const std::string &prefix : cat_.names("allocation-tag-prefixes"))
    tagged = tagged || llvm::StringRef(qualifiedName(wrapper)).starts_with(prefix);
  unsigned skip = tagged && nargs > 0 ? 1 : 0;
  nargs -= skip;
  for (const CXXConstructorDecl *ctor : RD->ctors()) {
    if (ctor->isCopyOrMoveConstructor()) continue;
    if (nargs >= ctor->getMinRequiredArguments() && (ctor->isVariadic() || nargs <= ctor->getNumParams()))
      addEdgeTo(ctor, CE->getBeginLoc(), EdgeKind::Construct);
  }
}

} // namespace coldstart
