// Part of the Extractor (extract.h). Durations: how long a sleep waits, when it is a constant.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

inline std::string Extractor::formatMs(double ms) {
  char buf[32];
  if (ms == static_cast<double>(static_cast<long long>(ms)))
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(ms));
  else std::snprintf(buf, sizeof buf, "%.3g", ms);
  return buf;
}

inline std::optional<double> Extractor::evalNumber(const clang::Expr *E) {
  if (!E || E->isValueDependent()) return std::nullopt;
  clang::Expr::EvalResult r;
  if (!E->EvaluateAsRValue(r, ctx_) || r.HasSideEffects) return std::nullopt;
  if (r.Val.isInt()) return static_cast<double>(r.Val.getInt().getExtValue());
  if (r.Val.isFloat()) return r.Val.getFloat().convertToDouble();
  return std::nullopt;
}

/// The duration a sleep call waits, in milliseconds, when it is a constant.
inline std::optional<double> Extractor::durationMs(const clang::Expr *arg, const std::string &unit) {
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
inline std::optional<double> Extractor::chronoMs(const clang::Expr *arg) {
  using namespace clang;
  if (!arg || arg->isValueDependent()) return std::nullopt;
  auto *RD = dyn_cast_or_null<ClassTemplateSpecializationDecl>(arg->getType()->getAsCXXRecordDecl());
  if (!RD || RD->getTemplateArgs().size() < 2 || RD->getTemplateArgs()[1].getKind() != TemplateArgument::Type)
    return std::nullopt;
  auto *ratio =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD->getTemplateArgs()[1].getAsType()->getAsCXXRecordDecl());
  if (!ratio || ratio->getTemplateArgs().size() < 2 ||
      ratio->getTemplateArgs()[0].getKind() != TemplateArgument::Integral ||
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
inline std::optional<double> Extractor::timespecMs(const clang::Expr *arg) {
  using namespace clang;
  const Expr *e = arg->IgnoreParenImpCasts();
  if (auto *U = dyn_cast<UnaryOperator>(e); U && U->getOpcode() == UO_AddrOf)
    e = U->getSubExpr()->IgnoreParenImpCasts();
  const InitListExpr *list = nullptr;
  if (auto *CL = dyn_cast<CompoundLiteralExpr>(e)) list = dyn_cast_or_null<InitListExpr>(CL->getInitializer());
  if (auto *DRE = dyn_cast<DeclRefExpr>(e))
    if (auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->getInit() && !flows_.count(VD) && !assignedMembers_.count(VD))
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
    if (!F->getIdentifier()) continue;
    if (cat_.listed("timespec-second-fields", F->getName())) ms += *v * 1000.0;
    else if (cat_.listed("timespec-nanosecond-fields", F->getName())) ms += *v / 1e6;
  }
  return ms;
}

} // namespace coldstart
