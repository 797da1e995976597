// How declarations are named in facts and messages: qualified names without inline
// namespaces or template arguments, and display names with them.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/TemplateBase.h>

#include <string>
#include <vector>

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

} // namespace coldstart
