// Part of the Extractor (extract.h). The accessor fix of coldstart-heavy-static-init: a
// namespace-scope variable of internal linkage with a dynamic initialiser becomes a
// function that builds it in a function-local static on first use, and every use in the
// file calls it:
//
//   static const std::regex kDate("...");       static const std::regex &kDate() { static const std::regex instance("..."); return instance; }
//   ... std::regex_match(s, kDate) ...      =>   ... std::regex_match(s, kDate()) ...
//
// Internal linkage means no other file can name it, so the file's uses are all its uses.
// The fix is offered only when every use can become a call; otherwise attrs["nofix"]
// says, in one clause, why not.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// Every use of the candidates in the analysed files (template patterns, not their
/// instantiations), and the first use of each that cannot become a call. Also every
/// token of the main file that the AST accounts for under a candidate's name, so that
/// a token it does not account for (in a macro's body, in code that #if leaves out) is
/// noticed.
class AccessorUses : public clang::RecursiveASTVisitor<AccessorUses> {
  using Base = clang::RecursiveASTVisitor<AccessorUses>;

public:
  struct Uses {
    std::vector<clang::SourceLocation> at; ///< the name token of each use, once
    std::string unsafe;                    ///< why one of them cannot become a call, or empty
    /// Where the uses are: the functions, lambdas and namespace-scope variables (their
    /// initialisers) that hold them; null for anywhere else (a default member initialiser).
    std::set<const clang::Decl *> users;
  };

  AccessorUses(clang::SourceManager &sm, std::map<const clang::VarDecl *, Uses> &uses,
               const std::set<std::string> &names)
      : sm_(sm), uses_(uses), names_(names) {}

  std::set<unsigned> accounted; ///< main-file offsets of tokens naming something with a candidate's name

  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }

  bool TraverseDecl(clang::Decl *D) {
    if (D && !llvm::isa<clang::TranslationUnitDecl>(D) && sm_.isInSystemHeader(sm_.getExpansionLoc(D->getLocation())))
      return true;
    return Base::TraverseDecl(D);
  }
  bool TraverseVarDecl(clang::VarDecl *VD) {
    bool constant = VD->isConstexpr() || VD->hasAttr<clang::ConstInitAttr>();
    const clang::VarDecl *outer = initOf_;
    if (uses_.count(VD->getCanonicalDecl())) initOf_ = VD->getCanonicalDecl();
    bool global = VD->hasGlobalStorage() && !VD->isStaticLocal();
    if (global) context_.push_back(VD);
    constant_ += constant;
    bool r = Base::TraverseVarDecl(VD);
    constant_ -= constant;
    if (global) context_.pop_back();
    initOf_ = outer;
    return r;
  }
  bool TraverseFunctionDecl(clang::FunctionDecl *FD) {
    return within(FD, [&] { return Base::TraverseFunctionDecl(FD); });
  }
  bool TraverseCXXMethodDecl(clang::CXXMethodDecl *FD) {
    return within(FD, [&] { return Base::TraverseCXXMethodDecl(FD); });
  }
  bool TraverseCXXConstructorDecl(clang::CXXConstructorDecl *FD) {
    return within(FD, [&] { return Base::TraverseCXXConstructorDecl(FD); });
  }
  bool TraverseCXXDestructorDecl(clang::CXXDestructorDecl *FD) {
    return within(FD, [&] { return Base::TraverseCXXDestructorDecl(FD); });
  }
  bool TraverseCXXConversionDecl(clang::CXXConversionDecl *FD) {
    return within(FD, [&] { return Base::TraverseCXXConversionDecl(FD); });
  }
  bool TraverseFieldDecl(clang::FieldDecl *FD) {
    return within(nullptr, [&] { return Base::TraverseFieldDecl(FD); });
  }
  bool TraverseLambdaExpr(clang::LambdaExpr *LE) {
    return within(LE->getCallOperator(), [&] { return Base::TraverseLambdaExpr(LE); });
  }
  // Unevaluated operands: `decltype(kX)` would change type if it became `decltype(kX())`.
  bool TraverseDecltypeTypeLoc(clang::DecltypeTypeLoc TL) {
    return inside(unevaluated_, [&] { return Base::TraverseDecltypeTypeLoc(TL); });
  }
  bool TraverseUnaryExprOrTypeTraitExpr(clang::UnaryExprOrTypeTraitExpr *E) {
    return inside(unevaluated_, [&] { return Base::TraverseUnaryExprOrTypeTraitExpr(E); });
  }
  bool TraverseCXXNoexceptExpr(clang::CXXNoexceptExpr *E) {
    return inside(unevaluated_, [&] { return Base::TraverseCXXNoexceptExpr(E); });
  }
  bool TraverseCXXTypeidExpr(clang::CXXTypeidExpr *E) {
    return inside(unevaluated_, [&] { return Base::TraverseCXXTypeidExpr(E); });
  }
  bool TraverseRequiresExpr(clang::RequiresExpr *E) {
    return inside(unevaluated_, [&] { return Base::TraverseRequiresExpr(E); });
  }
  // Constant expressions: `&kX` is one, `&kX()` is not.
  bool TraverseTemplateArgumentLoc(const clang::TemplateArgumentLoc &A) {
    return inside(constant_, [&] { return Base::TraverseTemplateArgumentLoc(A); });
  }
  bool TraverseConstantExpr(clang::ConstantExpr *E) {
    return inside(constant_, [&] { return Base::TraverseConstantExpr(E); });
  }
  bool TraverseStaticAssertDecl(clang::StaticAssertDecl *D) {
    return inside(constant_, [&] { return Base::TraverseStaticAssertDecl(D); });
  }
  bool TraverseEnumConstantDecl(clang::EnumConstantDecl *D) {
    return inside(constant_, [&] { return Base::TraverseEnumConstantDecl(D); });
  }

  bool VisitDeclRefExpr(clang::DeclRefExpr *E) {
    account(E->getDecl(), E->getLocation());
    auto *VD = llvm::dyn_cast<clang::VarDecl>(E->getDecl());
    auto it = VD ? uses_.find(VD->getCanonicalDecl()) : uses_.end();
    if (it == uses_.end()) return true;
    Uses &u = it->second;
    std::string name = "'" + VD->getName().str() + "'";
    clang::SourceLocation L = E->getLocation();
    if (!u.unsafe.empty()) return true;
    if (L.isMacroID()) u.unsafe = name + " is used in a macro";
    else if (unevaluated_) u.unsafe = name + " is used in an unevaluated operand such as decltype or sizeof";
    else if (constant_) u.unsafe = name + " is used in a constant expression or a template argument";
    else if (initOf_ == VD->getCanonicalDecl()) u.unsafe = "the initialiser of " + name + " uses it";
    else if (const clang::VarDecl *in = constantInitialiserAround())
      u.unsafe = name + " is used in the constant initialiser of '" + in->getName().str() +
                 "', which a call would make dynamic";
    else if (!sm_.isWrittenInMainFile(L)) u.unsafe = name + " is used in another file";
    else if (std::find(u.at.begin(), u.at.end(), L) == u.at.end()) u.at.push_back(L);
    u.users.insert(context_.empty() ? nullptr : context_.back());
    return true;
  }
  bool VisitNamedDecl(clang::NamedDecl *D) { return account(D, D->getLocation()); }
  bool VisitMemberExpr(clang::MemberExpr *E) { return account(E->getMemberDecl(), E->getMemberLoc()); }
  bool VisitOverloadExpr(clang::OverloadExpr *E) { return accountName(E->getName(), E->getNameLoc()); }
  bool VisitDependentScopeDeclRefExpr(clang::DependentScopeDeclRefExpr *E) {
    return accountName(E->getDeclName(), E->getLocation());
  }
  bool VisitCXXDependentScopeMemberExpr(clang::CXXDependentScopeMemberExpr *E) {
    return accountName(E->getMember(), E->getMemberLoc());
  }

private:
  /// The namespace-scope variable whose constant initialiser is being walked, or null.
  const clang::VarDecl *constantInitialiserAround() const {
    auto *V = context_.empty() ? nullptr : llvm::dyn_cast_or_null<clang::VarDecl>(context_.back());
    if (!V || V->isTemplated() || !V->getInit() || V->getInit()->isValueDependent()) return nullptr;
    return V->hasConstantInitialization() ? V : nullptr;
  }
  template <typename F> bool within(const clang::Decl *D, F &&traverse) {
    context_.push_back(D);
    bool r = traverse();
    context_.pop_back();
    return r;
  }
  template <typename F> static bool inside(int &depth, F &&traverse) {
    ++depth;
    bool r = traverse();
    --depth;
    return r;
  }
  bool account(const clang::NamedDecl *D, clang::SourceLocation L) {
    return D ? accountName(D->getDeclName(), L) : true;
  }
  bool accountName(clang::DeclarationName N, clang::SourceLocation L) {
    const clang::IdentifierInfo *id = N.isIdentifier() ? N.getAsIdentifierInfo() : nullptr; // null: unnamed
    if (!id || !names_.count(id->getName().str()) || L.isInvalid()) return true;
    L = sm_.getSpellingLoc(L);
    if (sm_.isWrittenInMainFile(L)) accounted.insert(sm_.getFileOffset(L));
    return true;
  }

  clang::SourceManager &sm_;
  std::map<const clang::VarDecl *, Uses> &uses_;
  const std::set<std::string> &names_;
  const clang::VarDecl *initOf_ = nullptr; ///< the candidate whose initialiser is being walked
  int unevaluated_ = 0, constant_ = 0;
  std::vector<const clang::Decl *> context_; ///< the function, lambda or variable being walked
};

/// After the walk: the accessor fix, or the reason there is none, for every candidate.
inline void Extractor::offerAccessorFixes() {
  using namespace clang;
  std::map<const VarDecl *, AccessorUses::Uses> uses;
  std::set<std::string> names;
  std::set<std::pair<const VarDecl *, size_t>> seen;
  std::erase_if(accessorCandidates_, [&](const auto &c) { return !seen.insert(c).second; });
  for (auto &[VD, idx] : accessorCandidates_) {
    std::string why = accessorRefusal(VD);
    if (!why.empty()) out_.functions[idx].attrs["nofix"] = why;
    else uses[VD->getCanonicalDecl()], names.insert(VD->getName().str());
  }
  if (uses.empty()) return;
  AccessorUses walk(sm_, uses, names);
  walk.TraverseDecl(ctx_.getTranslationUnitDecl());
  std::set<std::string> hidden = namesOutsideTheAst(names, walk.accounted);
  for (auto &[VD, idx] : accessorCandidates_) {
    auto it = uses.find(VD->getCanonicalDecl());
    if (it == uses.end()) continue;
    FunctionFacts &node = out_.functions[idx];
    std::string name = "'" + VD->getName().str() + "'";
    const AccessorUses::Uses &u = it->second;
    Fix fix;
    if (!u.unsafe.empty()) node.attrs["nofix"] = u.unsafe;
    else if (hidden.count(VD->getName().str()))
      node.attrs["nofix"] = name + " is named where the analysis cannot see it (in a macro, or in code that #if "
                                   "leaves out)";
    else if (u.at.empty() && !pureInitialiser(VD->getInit()))
      node.attrs["nofix"] = name + " is never used, so its initialiser may be there for what it does (delete it, "
                                   "or do that in main)";
    else if (!accessorReplacement(VD, u.at, fix))
      node.attrs["nofix"] = "the declaration of " + name + " cannot be rewritten as it is written";
    else {
      node.fixes.push_back(std::move(fix));
      node.attrs["accessor-users"] = accessorUsers(u.users);
    }
  }
  dropAccessorFixesOverlappingOthers();
}

/// The nodes that hold the uses, one a line, for the check: after the fix each calls the
/// accessor, which builds the variable, so a static initialiser that reaches one of them
/// would still build it before main. A node id ("init:..." for a variable's initialiser,
/// a function's or a lambda's id); "qname:<name>" for code in a template (its
/// instantiations are the nodes); "?" where the analysis cannot tell.
inline std::string Extractor::accessorUsers(const std::set<const clang::Decl *> &users) {
  using namespace clang;
  std::set<std::string> ids;
  for (const Decl *D : users) {
    if (auto *V = dyn_cast_or_null<VarDecl>(D)) ids.insert("init:" + usrOf(V));
    else if (auto *FD = dyn_cast_or_null<FunctionDecl>(D); FD && !FD->isTemplated()) ids.insert(idOf(FD));
    else if (FD) {
      while (auto *MD = dyn_cast<CXXMethodDecl>(FD)) { // a lambda: the function around it
        if (!MD->getParent()->isLambda()) break;
        auto *outer = dyn_cast_or_null<FunctionDecl>(MD->getParent()->getDeclContext());
        if (!outer) break;
        FD = outer;
      }
      ids.insert("qname:" + qualifiedName(FD));
    } else ids.insert("?");
  }
  std::string out;
  for (const std::string &id : ids) out += id + "\n";
  return out;
}

/// Why a candidate cannot have the fix whatever its uses, or empty.
inline std::string Extractor::accessorRefusal(const clang::VarDecl *VD) {
  using namespace clang;
  std::string name = "'" + VD->getName().str() + "'";
  const LangOptions &lo = ctx_.getLangOpts();
  if (VD->isStaticDataMember()) return name + " is a static data member";
  if (isa<VarTemplateSpecializationDecl>(VD)) return name + " is a variable template";
  if (isa<DecompositionDecl>(VD)) return name + " is a structured binding";
  if (!sm_.isWrittenInMainFile(sm_.getExpansionLoc(VD->getLocation()))) return name + " is declared in a header";
  if (VD->isExternallyVisible()) return name + " has external linkage (another file may use it)";
  if (!lo.CPlusPlus11) return "function-local statics are built thread-safely only from C++11";
  if (!lo.ThreadsafeStatics) return "the file is built with -fno-threadsafe-statics";
  if (VD->getPreviousDecl() || VD->getMostRecentDecl() != VD) return name + " is declared more than once";
  if (VD->getBeginLoc().isMacroID() || VD->getLocation().isMacroID() || VD->getEndLoc().isMacroID())
    return name + " is declared by a macro";
  QualType T = VD->getType();
  if (T->isArrayType()) return name + " is an array";
  if (T->isRValueReferenceType()) return name + " is an rvalue reference";
  if (auto *D = T->getContainedDeducedType();
      D && (isa<DeducedTemplateSpecializationType>(D) || cast<AutoType>(D)->isDecltypeAuto()))
    return "the type of " + name + " is deduced in a way a function cannot return";
  for (const Attr *A : VD->attrs())
    if (!A->isImplicit()) return name + " has attributes";
  if (accessorDeclaratorCount(VD) > 1) return name + " is declared together with other variables";
  if (!VD->getDeclContext()->getRedeclContext()->isFileContext()) return name + " is not at namespace scope";
  for (const NamedDecl *other : VD->getDeclContext()->lookup(VD->getDeclName()))
    if (other->getCanonicalDecl() != VD->getCanonicalDecl())
      return "another declaration is named " + name + " in the same scope";
  return {};
}

/// How many variables the declaration of `VD` declares (`static std::regex a("x"), b("y");`).
inline size_t Extractor::accessorDeclaratorCount(const clang::VarDecl *VD) {
  size_t n = 0;
  for (const clang::Decl *D : VD->getDeclContext()->decls())
    if (auto *V = llvm::dyn_cast<clang::VarDecl>(D); V && V->getBeginLoc() == VD->getBeginLoc()) ++n;
  return n;
}

/// The names of `names` that the main file spells at a token the AST does not account
/// for: in a macro's body, in code that #if leaves out.
inline std::set<std::string> Extractor::namesOutsideTheAst(const std::set<std::string> &names,
                                                           const std::set<unsigned> &accounted) {
  using namespace clang;
  std::set<std::string> hidden;
  FileID main = sm_.getMainFileID();
  llvm::StringRef buf = sm_.getBufferData(main);
  Lexer raw(sm_.getLocForStartOfFile(main), ctx_.getLangOpts(), buf.begin(), buf.begin(), buf.end());
  Token tok;
  while (true) {
    raw.LexFromRawLexer(tok);
    if (tok.is(tok::eof)) break;
    if (tok.is(tok::raw_identifier) && names.count(tok.getRawIdentifier().str()) &&
        !accounted.count(sm_.getFileOffset(tok.getLocation())))
      hidden.insert(tok.getRawIdentifier().str());
  }
  return hidden;
}

/// An initialiser that does nothing but build its value: constructors and operators of
/// library classes (system headers), literals, constants and enumerators. An unused
/// variable with such an initialiser is only a cost; with any other, it may be there for
/// what its initialiser does (a registration), which first use would never do.
inline bool Extractor::pureInitialiser(const clang::Stmt *S) {
  using namespace clang;
  if (!S) return true;
  auto system = [&](const Decl *D) { return D && inSystem(D->getLocation()); };
  if (auto *CE = dyn_cast<CXXConstructExpr>(S)) {
    if (!system(CE->getConstructor())) return false;
    // A library class the catalog knows does something when built (opens a file, connects),
    // unless all it does is compile a regular expression.
    const CatalogClass *known = matchClass(CE->getConstructor()->getParent());
    if (known && known->kind != Kind::Regex) return false;
    if (const CXXRecordDecl *RD = CE->getConstructor()->getParent();
        RD->getIdentifier() && cat_.listed("thread-classes", RD->getName()))
      return false; // starts a thread
  } else if (auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
    if (!system(OC->getDirectCallee())) return false;
  } else if (auto *DA = dyn_cast<CXXDefaultArgExpr>(S)) {
    return system(DA->getParam());
  } else if (auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    const ValueDecl *D = DRE->getDecl();
    auto *V = dyn_cast<VarDecl>(D);
    return isa<EnumConstantDecl>(D) || (V && V->isConstexpr()) || (isa<FunctionDecl>(D) && system(D));
  } else if (!isa<Expr>(S) || isa<CallExpr>(S) || isa<LambdaExpr>(S) || isa<CXXNewExpr>(S) || isa<StmtExpr>(S) ||
             isa<CXXThrowExpr>(S)) {
    return false;
  } else if (auto *U = dyn_cast<UnaryOperator>(S); U && U->isIncrementDecrementOp()) {
    return false;
  } else if (auto *B = dyn_cast<BinaryOperator>(S); B && B->isAssignmentOp()) {
    return false;
  }
  for (const Stmt *child : S->children())
    if (!pureInitialiser(child)) return false;
  return true;
}

/// The fix's edits: the declaration's specifiers and name become the accessor's head and
/// its local static's declaration; the `;` closes the accessor; each use becomes a call.
/// The initialiser stays where it is, so that the fix of another variable used in it does
/// not overlap this one. False when the text is not as expected.
inline bool Extractor::accessorReplacement(const clang::VarDecl *VD, const std::vector<clang::SourceLocation> &uses,
                                           Fix &fix) {
  using namespace clang;
  const LangOptions &lo = ctx_.getLangOpts();
  SourceLocation begin = VD->getBeginLoc(), nameLoc = VD->getLocation();
  SourceLocation nameEnd = Lexer::getLocForEndOfToken(nameLoc, 0, sm_, lo);
  SourceLocation end = Lexer::getLocForEndOfToken(VD->getEndLoc(), 0, sm_, lo);
  std::optional<Token> semi = Lexer::findNextToken(VD->getEndLoc(), sm_, lo);
  if (begin.isInvalid() || nameEnd.isInvalid() || end.isInvalid() || !semi || semi->isNot(tok::semi) ||
      semi->getLocation().isMacroID())
    return false;
  std::string name = VD->getName().str();
  std::string specs = text(begin, nameLoc);
  std::string initText = text(nameEnd, end);
  llvm::StringRef init = llvm::StringRef(initText).ltrim();
  if (!init.starts_with("=") && !init.starts_with("(") && !init.starts_with("{")) return false; // `(*fp)(int)`
  if (specs.find('#') != std::string::npos) return false; // a directive among the specifiers
  // The specifiers: `static` on the accessor unless an unnamed namespace gives it internal
  // linkage already; `thread_local` and `static` on the local; `inline` on neither.
  std::string type = withoutWords(specs, {"static", "thread_local", "inline"});
  llvm::StringRef typeRef = llvm::StringRef(type).trim();
  if (typeRef.empty()) return false;
  bool hasStatic = specs != withoutWords(specs, {"static"});
  std::string head = (hasStatic || VD->isInAnonymousNamespace()) ? "" : "static ";
  head += withoutWords(specs, {"thread_local", "inline"});
  llvm::StringRef headRef = llvm::StringRef(head).rtrim();
  bool glued = headRef.ends_with("*") || headRef.ends_with("&");
  std::string local = accessorLocalName(initText);
  std::string accessor = headRef.str() +
                         (VD->getType()->isReferenceType() ? (glued ? "" : " ")
                          : glued                          ? "&"
                                                           : " &") +
                         name + "() { static " + (VD->getTLSKind() != VarDecl::TLS_None ? "thread_local " : "") +
                         typeRef.str() + (typeRef.ends_with("*") || typeRef.ends_with("&") ? "" : " ") + local;
  Loc b = toLoc(begin), n = toLoc(nameEnd), s = toLoc(semi->getLocation());
  fix.description =
      "build '" + name + "' on first use: an accessor with a function-local static, and every use calls it";
  fix.replacements.push_back(Replacement{b.file, b.offset, n.offset - b.offset, accessor, b.line, b.col});
  fix.replacements.push_back(Replacement{s.file, s.offset, 1, "; return " + local + "; }", s.line, s.col});
  for (SourceLocation use : uses) {
    Loc u = toLoc(use);
    fix.replacements.push_back(Replacement{u.file, u.offset, unsigned(name.size()), name + "()", u.line, u.col});
  }
  std::sort(fix.replacements.begin(), fix.replacements.end(),
            [](const Replacement &x, const Replacement &y) { return x.offset < y.offset; });
  // It rests on every use in the file: an error set aside anywhere in it withdraws it.
  fix.scopeBegin = Loc{b.file, 1, 1, 0};
  fix.scopeEnd = Loc{b.file, std::numeric_limits<unsigned>::max(), 1, 0};
  return true;
}

/// `text` without the whole words `words` (and the blanks after each).
inline std::string Extractor::withoutWords(const std::string &text, std::initializer_list<const char *> words) {
  std::string out;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t i = 0; i < text.size();) {
    bool removed = false;
    if (!word(text[i]) || i == 0 || !word(text[i - 1]))
      for (const char *w : words) {
        size_t len = std::strlen(w);
        if (text.compare(i, len, w) == 0 && (i + len == text.size() || !word(text[i + len]))) {
          i += len;
          while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
          removed = true;
          break;
        }
      }
    if (!removed) out += text[i++];
  }
  return out;
}

/// A name for the local static that the initialiser does not use.
inline std::string Extractor::accessorLocalName(const std::string &initText) {
  for (std::string candidate : {"instance", "instance_", "the_instance", "cold_start_instance"})
    if (withoutWords(initText, {candidate.c_str()}) == initText) return candidate;
  return "cold_start_instance_";
}

/// A use inside another fix (a client made static) would make the two overlap: the
/// accessor fix gives way, and says so.
inline void Extractor::dropAccessorFixesOverlappingOthers() {
  for (auto &[VD, idx] : accessorCandidates_) {
    FunctionFacts &node = out_.functions[idx];
    if (node.fixes.empty()) continue;
    bool overlaps = false;
    for (const FunctionFacts &f : out_.functions)
      for (const Site &s : f.sites)
        for (const Fix &other : s.fixes)
          for (const Replacement &o : other.replacements)
            for (const Replacement &r : node.fixes.front().replacements)
              overlaps =
                  overlaps || (o.file == r.file && o.offset < r.offset + r.length && r.offset < o.offset + o.length);
    if (overlaps) {
      node.fixes.clear();
      node.attrs["nofix"] = "'" + VD->getName().str() + "' is used in code that another fix rewrites";
    }
  }
}

} // namespace coldstart
