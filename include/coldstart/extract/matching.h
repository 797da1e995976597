// Part of the Extractor (extract.h). Matching against the catalog: classes, template arguments, handler signatures, markers.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

inline const CatalogClass *Extractor::matchClass(const clang::CXXRecordDecl *RD) {
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

inline clang::QualType Extractor::templateArgType(const clang::FunctionDecl *FD, unsigned index) {
  const auto *args = FD->getTemplateSpecializationArgs();
  if (!args || index >= args->size() || (*args)[index].getKind() != clang::TemplateArgument::Type) return {};
  return (*args)[index].getAsType();
}

/// How to name a constructed type: a typedef or alias the code used
/// (pqxx::connection), else the class (Aws::S3::S3Client).
inline std::string Extractor::typeName(clang::QualType T, const clang::CXXRecordDecl *RD) {
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

inline const clang::CXXRecordDecl *Extractor::templateArgRecord(const clang::FunctionDecl *FD, unsigned index) {
  const auto *args = FD->getTemplateSpecializationArgs();
  if (!args || index >= args->size() || (*args)[index].getKind() != clang::TemplateArgument::Type) return nullptr;
  return (*args)[index].getAsType()->getAsCXXRecordDecl();
}

/// The catalog's handler signature that FD has, or null.
inline const HandlerSignature *Extractor::handlerSignatureOf(const clang::FunctionDecl *FD) {
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

inline std::string Extractor::signatureText(const HandlerSignature &h) {
  if (!h.text.empty()) return h.text;
  auto last = [](const std::string &q) {
    size_t p = q.rfind("::");
    return p == std::string::npos ? q : q.substr(p + 2);
  };
  return last(h.returns) + "(" + last(h.parameter) + (h.passing == "value" ? "" : " const&") + ")";
}

/// +1 when `cond` is true exactly when the request for the next event failed
/// (`curl_easy_perform(h) != CURLE_OK`, `curl_easy_perform(h)`, `rc != CURLE_OK` with
/// `rc` its result, on a handle given the /next URL); -1 when it is true exactly
/// when the request succeeded; 0 otherwise.
inline int Extractor::nextEventFailure(const clang::Expr *cond) {
  using namespace clang;
  const Expr *E = withoutExpect(cond);
  if (auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot)
    return -nextEventFailure(UO->getSubExpr());
  if (auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->isEqualityOp())
    for (auto [x, c] : {std::pair{BO->getLHS(), BO->getRHS()}, std::pair{BO->getRHS(), BO->getLHS()}}) {
      llvm::APSInt v;
      if (fetchesNextEvent(x) && constantInt(c, v) && v.isZero()) return BO->getOpcode() == BO_NE ? 1 : -1;
    }
  return fetchesNextEvent(E) ? 1 : 0; // a curl error code: non-zero is a failure
}

inline bool Extractor::fetchesNextEvent(const clang::Expr *E) {
  using namespace clang;
  E = E->IgnoreParenImpCasts();
  if (const VarDecl *local = snapshotLocal(E)) E = local->getInit()->IgnoreParenImpCasts();
  if (auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->getOpcode() == BO_Assign)
    E = BO->getRHS()->IgnoreParenImpCasts();
  auto *CE = dyn_cast<CallExpr>(E);
  const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
  if (!FD || !FD->getIdentifier() || CE->getNumArgs() != 1) return false;
  bool sends = false;
  for (const UrlRequest &r : cat_.urlRequests()) sends = sends || FD->getName() == r.perform;
  if (!sends) return false;
  auto *DRE = dyn_cast<DeclRefExpr>(stripForFlow(CE->getArg(0)));
  auto it = DRE ? nextEventHandles_.find(DRE->getDecl()) : nextEventHandles_.end();
  return it != nextEventHandles_.end() && it->second;
}

/// `curl_easy_setopt(h, CURLOPT_URL, url)` (a catalog UrlRequest's SetUrl): whether h's
/// URL (the last one set, in source order) names /runtime/invocation/next.
inline void Extractor::noteNextEventHandle(const clang::CallExpr *CE, const clang::FunctionDecl *FD) {
  using namespace clang;
  if (!FD->getIdentifier()) return;
  const UrlRequest *request = nullptr;
  for (const UrlRequest &r : cat_.urlRequests())
    if (FD->getName() == r.setUrl && CE->getNumArgs() == unsigned(r.urlArg) + 1 &&
        (r.option.empty() || namesOption(CE, r.optionArg, r.option)))
      request = &r;
  if (!request) return;
  const Expr *url = stripForFlow(CE->getArg(unsigned(request->urlArg)));
  bool marker = mentionsMarker(url);
  if (auto *DRE = dyn_cast<DeclRefExpr>(url))
    if (auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && markerVars_.count(VD)) marker = true;
  if (auto *h = dyn_cast<DeclRefExpr>(stripForFlow(CE->getArg(0)))) nextEventHandles_[h->getDecl()] = marker;
}

/// `target = <something naming the next-event URL>`: the target names it too.
inline void Extractor::noteMarkerTarget(const clang::Expr *target, const clang::Expr *value) {
  if (!mentionsMarker(value)) return;
  const clang::Expr *t = stripForFlow(target);
  if (auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(t))
    if (auto *VD = llvm::dyn_cast<clang::VarDecl>(DRE->getDecl())) markerVars_.insert(VD);
}

inline bool Extractor::mentionsMarker(const clang::Stmt *S) {
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

} // namespace coldstart
