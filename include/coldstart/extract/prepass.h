// Part of the Extractor (extract.h). The pre-pass over the whole TU, before the walk.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// The pre-pass over the whole TU, for facts that the traversal needs wherever they
/// are written: calls that pass by non-const reference, short-lived classes, and the
/// variables that hold the next-event URL.
inline void Extractor::prepass() {
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
      if (auto *RD = VD->getType()->getAsCXXRecordDecl();
          RD && !x.inSystem(RD->getLocation()) && x.isShortLivedLocal(VD))
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

} // namespace coldstart
