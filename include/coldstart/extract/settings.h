// Part of the Extractor (extract.h). Settings: catalog settings (curl options, keep-alive) and whether their value is bad.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// Whether a value is "bad" for a setting.
inline std::optional<bool> Extractor::settingIsBad(const CatalogSetting &st, const clang::Expr *value) {
  auto v = evalNumber(value);
  if (!v) {
    bool b = false;
    if (!value->isValueDependent() && value->EvaluateAsBooleanCondition(b, ctx_)) v = b ? 1.0 : 0.0;
    else return std::nullopt;
  }
  if (st.bad == "nonzero" || st.bad == "true") return *v != 0;
  return *v == 0; // "zero", "false"
}

inline void Extractor::recordSetting(const CatalogSetting &st, const clang::Expr *value, clang::SourceLocation loc) {
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
inline bool Extractor::namesOption(const clang::CallExpr *CE, int index, llvm::StringRef option) {
  if (index < 0 || unsigned(index) >= CE->getNumArgs()) return false;
  auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(CE->getArg(unsigned(index))->IgnoreParenImpCasts());
  return DRE && DRE->getDecl()->getName() == option;
}

inline void Extractor::noteCallSettings(const clang::CallExpr *CE, const clang::FunctionDecl *FD) {
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
inline void Extractor::noteMemberChange(const clang::Expr *lhs) {
  using namespace clang;
  auto *ME = dyn_cast<MemberExpr>(lhs->IgnoreParenImpCasts());
  if (!ME) return;
  if (auto *base = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts()))
    if (auto *VD = dyn_cast<VarDecl>(base->getDecl())) assignedMembers_.insert(VD);
}

inline void Extractor::noteFieldSetting(const clang::BinaryOperator *E) {
  using namespace clang;
  auto *ME = dyn_cast<MemberExpr>(E->getLHS()->IgnoreParenImpCasts());
  if (!ME) return;
  auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
  if (!FD) return;
  for (const CatalogSetting *st : cat_.settingsFor(qualifiedName(FD)))
    recordSetting(*st, E->getRHS(), E->getBeginLoc());
}

} // namespace coldstart
