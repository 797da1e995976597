// Part of the Extractor (extract.h). Request headers: where a "Connection: close" is sent.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

//
// A header line or a ("Connection", "close") pair counts only in a header context: the
// arguments of a call that sets or appends headers (curl_slist_append, set_header,
// set_default_headers, an own append_header, set/insert/emplace on a header container
// or a Beast message), the initialiser of a variable of a header type or named like
// headers, or what a function named like headers returns. The same text compared with
// a response header, or a hop-by-hop list, is not a request header.
inline bool Extractor::VisitCXXConstructExpr(clang::CXXConstructExpr *E) {
  if (frame()) noteStoredArgs(E->getConstructor(), llvm::ArrayRef<const clang::Expr *>(E->getArgs(), E->getNumArgs()));
  noteFunctionObjectArgs(E->getConstructor(), llvm::ArrayRef<const clang::Expr *>(E->getArgs(), E->getNumArgs()));
  if (headerContext_.count(E))
    noteHeaderPair(llvm::ArrayRef<const clang::Expr *>(E->getArgs(), E->getNumArgs()), E->getBeginLoc());
  return true;
}

inline bool Extractor::VisitCallExpr(clang::CallExpr *E) {
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

inline bool Extractor::VisitReturnStmt(clang::ReturnStmt *S) {
  if (!frame() || !S->getRetValue()) return true;
  if (const clang::FunctionDecl *fn = enclosingFunctionOfFrame();
      fn && fn->getIdentifier() && headerish(fn->getName(), fn->getReturnType()))
    markHeaderContext(S->getRetValue());
  return true;
}

/// A call that adds request headers: named like it (set_header, set_default_headers,
/// curl_slist_append, an own append_header), or set/insert/emplace/add/append on a
/// header container or an HTTP message.
inline bool Extractor::setsHeaders(const clang::CallExpr *E, const clang::FunctionDecl *FD) {
  std::string name = FD->getName().lower();
  // A server's answer (`res.set_header(...)` on an httplib::Response, a Beast response)
  // closes the peer's connection, not one this process reuses.
  if (auto *MC = llvm::dyn_cast<clang::CXXMemberCallExpr>(E); MC && responseish(MC->getImplicitObjectArgument()))
    return false;
  if (name.find("header") != std::string::npos || cat_.listed("header-list-builders", qualifiedName(FD))) return true;
  if (!cat_.listed("header-adding-methods", name)) return false;
  auto *MC = llvm::dyn_cast<clang::CXXMemberCallExpr>(E);
  return MC && headerishExpr(MC->getImplicitObjectArgument());
}

/// Named like a set of headers (`headers`, `kDefaultHeaders`, `make_headers`), or of a header
/// type (httplib::Headers, a Boost.Beast message or fields).
inline bool Extractor::headerish(llvm::StringRef name, clang::QualType type) {
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
inline bool Extractor::responseish(llvm::StringRef name, clang::QualType type) {
  std::string n = name.lower();
  if (n == "res" || n == "resp" || n.find("response") != std::string::npos) return true;
  if (type.isNull()) return false;
  return llvm::StringRef(type.getCanonicalType().getAsString()).lower().find("response") != std::string::npos;
}

/// `pred` applied to the name (of a variable or member, else "") and type of `E`.
inline bool Extractor::byNameAndType(const clang::Expr *E, bool (*pred)(llvm::StringRef, clang::QualType)) {
  using namespace clang;
  E = stripForFlow(E);
  if (!E) return false;
  if (auto *DRE = dyn_cast<DeclRefExpr>(E)) return pred(DRE->getDecl()->getName(), E->getType());
  if (auto *ME = dyn_cast<MemberExpr>(E))
    return pred(ME->getMemberDecl()->getIdentifier() ? ME->getMemberDecl()->getName() : "", E->getType());
  return pred("", E->getType());
}

inline void Extractor::markHeaderContext(const clang::Stmt *S) {
  if (!S || !headerContext_.insert(S).second) return;
  for (const clang::Stmt *c : S->children()) markHeaderContext(c);
}

/// The "Connection: close" literal that `E` is (through std::string construction).
inline const clang::StringLiteral *Extractor::closeHeaderLiteral(const clang::Expr *E) {
  using namespace clang;
  E = stripForFlow(E);
  if (auto *CE = dyn_cast_or_null<CXXConstructExpr>(E); CE && CE->getNumArgs() >= 1) E = stripForFlow(CE->getArg(0));
  auto *SL = dyn_cast_or_null<StringLiteral>(E);
  return SL && (SL->isOrdinary() || SL->isUTF8()) && isConnectionCloseHeader(SL->getString()) ? SL : nullptr;
}

/// `curl_slist_append(h, kClose)` (or `kClose.c_str()`) where kClose holds the literal.
inline void Extractor::noteCloseHeaderVariable(const clang::Expr *arg) {
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

inline bool Extractor::VisitInitListExpr(clang::InitListExpr *E) {
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

inline bool Extractor::VisitStringLiteral(clang::StringLiteral *S) {
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

inline bool Extractor::VisitBinaryOperator(clang::BinaryOperator *E) {
  if (E->isAssignmentOp()) {
    noteFlow(E->getLHS(), E->getRHS());
    std::string key = objectKey(E->getLHS());
    if (!key.empty()) storeTargets_[coreOf(E->getRHS())] = key;
    noteMemberChange(E->getLHS());
    if (E->getOpcode() == clang::BO_Assign) noteFieldSetting(E);
  }
  return true;
}

inline bool Extractor::VisitUnaryOperator(clang::UnaryOperator *E) {
  if (E->isIncrementDecrementOp()) noteMemberChange(E->getSubExpr());
  return true;
}

} // namespace coldstart
