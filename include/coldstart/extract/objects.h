// Part of the Extractor (extract.h). Objects: stable keys for the object an expression denotes, parameters, client uses.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// A header line "Connection: close" (any case and spacing): the whole literal, or a
/// line of a raw request ("...\r\nConnection: close\r\n..."). Prose that merely
/// mentions it ("server answered with Connection: close") is not a header.
inline bool Extractor::isConnectionCloseHeader(llvm::StringRef text) {
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
inline void Extractor::noteHeaderPair(llvm::ArrayRef<const clang::Expr *> args, clang::SourceLocation loc) {
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

template <typename Entry> inline bool Extractor::hasTag(const Entry &entry, const char *tag) {
  return std::find(entry.tags.begin(), entry.tags.end(), tag) != entry.tags.end();
}

/// The expression that actually builds a stored value: through casts, temporaries,
/// `new`, and a smart pointer built from `new`.
inline const clang::Stmt *Extractor::coreOf(const clang::Expr *E) {
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
inline std::string Extractor::objectKey(const clang::Expr *E) {
  using namespace clang;
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (auto *U = dyn_cast<UnaryOperator>(E); U && (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf))
      E = U->getSubExpr();
    else if (auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
             OC && (OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star) && OC->getNumArgs() >= 1)
      E = OC->getArg(0);
    else if (auto *MC = dyn_cast<CXXMemberCallExpr>(E); MC && MC->getMethodDecl() &&
                                                        MC->getMethodDecl()->getIdentifier() &&
                                                        cat_.listed("pointer-getters", MC->getMethodDecl()->getName()))
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
inline void Extractor::noteArgParam(Site &s, const clang::Expr *arg) {
  using namespace clang;
  const Expr *e = stripForFlow(arg);
  for (int i = 0; i < 4; ++i) {
    if (auto *MC = dyn_cast<CXXMemberCallExpr>(e);
        MC && MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
        cat_.listed("string-contents-methods", MC->getMethodDecl()->getName()))
      e = stripForFlow(MC->getImplicitObjectArgument());
    else if (auto *CC = dyn_cast<CXXConstructExpr>(e); CC && CC->getNumArgs() == 1) e = stripForFlow(CC->getArg(0));
    else break;
  }
  if (auto *DRE = dyn_cast<DeclRefExpr>(e))
    if (auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
      if (auto *F = dyn_cast<FunctionDecl>(P->getDeclContext()))
        s.data["arg-param"] = idOf(patternOf(F)) + "#" + std::to_string(P->getFunctionScopeIndex());
}

inline void Extractor::resolveArgParams() {
  using namespace clang;
  std::map<std::string, std::set<std::string>> texts;  // "<fn>#i" -> argument texts at call sites
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
inline void Extractor::resolveParamKeys() {
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
inline void Extractor::noteClientUse(const clang::CXXMemberCallExpr *MC) {
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
    bool runtimeApi =
        mentionsMarker(a) || (isa<StringLiteral>(a) && cast<StringLiteral>(a)->getString().contains("/runtime/"));
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

} // namespace coldstart
