// Part of the Extractor (extract.h). Static variables: facts for coldstart-heavy-static-init and the init report.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// Facts about a namespace-scope or static data member variable, for
/// coldstart-heavy-static-init and the init report.
inline void Extractor::describeStaticVar(const clang::VarDecl *VD, std::map<std::string, std::string> &attrs) {
  using namespace clang;
  attrs["variable"] = VD->getName().str();
  attrs["type"] = VD->getType().getAsString(ctx_.getPrintingPolicy());
  bool dynamic = ctx_.getLangOpts().CPlusPlus && VD->getInit() && !VD->isConstexpr() && !VD->hasAttr<ConstInitAttr>() &&
                 !VD->getInit()->isValueDependent() && !VD->hasConstantInitialization();
  if (dynamic) attrs["dynamic-init"] = "1";
  if (VD->getTLSKind() != VarDecl::TLS_None) attrs["thread_local"] = "1";
  if (VD->isStaticDataMember()) attrs["static-member"] = "1";
  // An SDK object held by value, or by a smart pointer that the initialiser sets:
  // either way one exists before main and is destroyed after it returns.
  std::string sdk = dynamic ? sdkObjectIn(VD->getType(), 0) : std::string();
  if (sdk.empty() && dynamic)
    if (auto *spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(VD->getType()->getAsCXXRecordDecl())) {
      std::string n = qualifiedName(spec);
      if (cat_.listed("owning-pointers", n) && spec->getTemplateArgs().size() > 0 &&
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
inline std::string Extractor::sdkObjectIn(clang::QualType T, int depth) {
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
      if (cat_.listed("value-holders", qualifiedName(RD)))
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

} // namespace coldstart
