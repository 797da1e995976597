// Parsing real code with headers missing.
//
// A handler file on a machine that lints it often includes headers that are not there:
// a project header that is generated at build time, a third-party library installed only
// in the build image, an SDK service without a stand-in. Clang treats "'x.h' file not
// found" as a fatal error, and after a fatal error it instantiates no templates, so
// `run_handler(my_handler)` (a conversion to std::function) becomes invalid and the whole
// file reads as clean. Two pieces here keep the analysis alive and honest:
//
//  - MissingHeaderRecorder (a PPCallbacks): a missing include is skipped instead of
//    fatal, and recorded with the paths where it would have been found (so that a facts
//    cache entry is stale once the header appears).
//  - ErrorTriage: sorts a parse's errors into those that follow from a missing header or
//    a built-in stand-in (set aside, and said so) and those that are the user's own
//    (a compile error, as without missing headers).
#pragma once

#include "coldstart/facts.h"

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/DiagnosticParse.h>
#include <clang/Basic/DiagnosticSema.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/HeaderSearch.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Lex/Lexer.h>
#include <clang/Sema/ExternalSemaSource.h>
#include <clang/Sema/SemaConsumer.h>
#include <clang/Sema/Lookup.h>
#include <clang/Sema/Sema.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace coldstart {

/// `name` made absolute, with `.` and `..` removed lexically (the driver's paths too).
inline std::string cleanAbsolute(llvm::StringRef name) {
  llvm::SmallString<256> p(name);
  llvm::sys::fs::make_absolute(p);
  llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
  return p.str().str();
}

/// Skips includes that cannot be found (instead of clang's fatal error) and records them.
class MissingHeaderRecorder : public clang::PPCallbacks {
public:
  MissingHeaderRecorder(clang::Preprocessor &pp, std::vector<MissingHeader> &out) : pp_(pp), out_(out) {}

  bool FileNotFound(llvm::StringRef name) override {
    pending_ = name.str();
    return true; // skip it: the parse goes on, and so does template instantiation
  }

  void InclusionDirective(clang::SourceLocation hashLoc, const clang::Token &, llvm::StringRef name, bool angled,
                          clang::CharSourceRange, clang::OptionalFileEntryRef file, llvm::StringRef, llvm::StringRef,
                          const clang::Module *, bool, clang::SrcMgr::CharacteristicKind) override {
    if (file || pending_ != name) return;
    pending_.clear();
    const clang::SourceManager &sm = pp_.getSourceManager();
    MissingHeader m;
    m.name = name.str();
    m.angled = angled;
    clang::PresumedLoc p = sm.getPresumedLoc(sm.getFileLoc(hashLoc));
    std::string includer;
    if (p.isValid()) {
      includer = p.getFilename();
      m.from = Loc{includer.rfind(kFallbackRoot, 0) == 0 ? includer : cleanAbsolute(includer), p.getLine(),
                   p.getColumn(), 0};
    }
    if (!seen_.insert({m.name, m.from.file}).second) return;
    // Where it would be found if it appeared: the includer's directory (quoted
    // includes), then every search directory. A facts cache entry is stale once one of
    // these exists.
    std::vector<std::string> dirs;
    if (!angled && !includer.empty()) dirs.push_back(llvm::sys::path::parent_path(m.from.file).str());
    for (const clang::DirectoryLookup &dl : pp_.getHeaderSearchInfo().search_dir_range())
      if (dl.isNormalDir())
        if (auto dir = dl.getDirRef()) dirs.push_back(cleanAbsolute(dir->getName()));
    for (const std::string &d : dirs) {
      if (d.rfind(kFallbackRoot, 0) == 0) continue;
      llvm::SmallString<256> cand(d);
      llvm::sys::path::append(cand, name);
      m.candidates.push_back(cand.str().str());
    }
    out_.push_back(std::move(m));
  }

private:
  clang::Preprocessor &pp_;
  std::vector<MissingHeader> &out_;
  std::string pending_;
  std::set<std::pair<std::string, std::string>> seen_;
};

/// A call to a name that is declared nowhere the parse could see (`helper(x)` or
/// `ns::helper(x)` declared in a missing header): clang drops such a statement, so the
/// call is recorded here, by name, from the failed lookup. The link step resolves it to
/// the one function of that name the project defines, if there is exactly one.
struct UnresolvedCall {
  const clang::FunctionDecl *caller = nullptr; ///< the function (or lambda) whose body has it
  std::string name;                            ///< as written: "helper", "ns::helper"
  clang::SourceLocation loc;
};

class UnresolvedCallRecorder : public clang::ExternalSemaSource {
public:
  UnresolvedCallRecorder(clang::Sema &sema, std::vector<UnresolvedCall> &out) : sema_(sema), out_(out) {}

  bool LookupUnqualified(clang::LookupResult &R, clang::Scope *) override {
    using namespace clang;
    if (R.isForRedeclaration() || !R.getLookupName().isIdentifier()) return false;
    if (R.getLookupKind() != Sema::LookupOrdinaryName && R.getLookupKind() != Sema::LookupNestedNameSpecifierName)
      return false;
    SourceLocation loc = R.getNameLoc();
    const SourceManager &sm = sema_.getSourceManager();
    if (loc.isInvalid() || loc.isMacroID() || sm.isInSystemHeader(loc)) return false;
    const FunctionDecl *caller = sema_.getCurFunctionDecl(/*AllowLambda=*/true);
    if (!caller || caller->isDependentContext()) return false;
    // The name, and any `::name` after it, must be followed by '(': a call.
    std::string name = R.getLookupName().getAsString();
    const LangOptions &lo = sema_.getLangOpts();
    std::optional<Token> t = Lexer::findNextToken(loc, sm, lo);
    while (t && t->is(tok::coloncolon)) {
      std::optional<Token> id = Lexer::findNextToken(t->getLocation(), sm, lo);
      if (!id || !id->is(tok::raw_identifier)) return false;
      name += "::" + id->getRawIdentifier().str();
      t = Lexer::findNextToken(id->getLocation(), sm, lo);
    }
    if (!t || !t->is(tok::l_paren)) return false;
    if (!seen_.insert(loc.getRawEncoding()).second) return false;
    out_.push_back({caller, name, loc});
    return false; // nothing is declared: the parse goes on as it would
  }

private:
  clang::Sema &sema_;
  std::vector<UnresolvedCall> &out_;
  std::set<unsigned> seen_;
};

/// A type that only a missing header declares (`next_outcome r;`, `const logger &log`,
/// `Storage s = Storage::get_client();`): clang drops every declaration that names it,
/// and with it the variable, the parameter's function and each statement that uses them,
/// so one unknown type hides the known client beside it. Once a header is missing, a
/// name that lookup cannot find is declared here, at file scope, from how the file
/// writes it (raw tokens):
///  - written where a type goes (followed by a declarator: `X x`, `X *p = ...`,
///    `X const &r,`): in C++ a class of its own that can be built from anything
///    (`X(...)`), called with anything (`operator()(...)`) and dereferenced; in C a
///    pointer to a function without a prototype (`int (*)()`), so that a handler pointer
///    of that type can be called (`handler(req, &res)`);
///  - in C++, written only as a scope (`X::a::T x`, `using namespace X::a;`,
///    `X::a::kLimit`) and never called through (`X::f()`; `X::a::T(v)` builds a T): a
///    namespace, with `a` a namespace and `T` a class in it (`kLimit` stays unknown).
///    A scope that is called through and never a type stays undeclared, for
///    UnresolvedCallRecorder to record the call by name.
/// A class's members are unknown, so they are declared when looked up, if the file
/// writes the name as `X::name`, `.name` or `->name`: a static member function that
/// accepts anything and returns an unknown object (itself such a class), or, where the
/// name is not followed by `(`, a static data member of that type. A call to one of
/// them is an edge to the name (`unresolved:X::name`), which the link resolves to the
/// project's own definition (isPlaceholder()).
class PlaceholderTypes : public clang::ExternalSemaSource {
public:
  PlaceholderTypes(clang::Sema &sema, const std::vector<MissingHeader> &missing) : sema_(sema), missing_(missing) {}

  /// The annotation on every declaration made here.
  static constexpr const char *kAnnotation = "coldstart::placeholder";
  /// What an unknown member returns; a call of its members is to no name the link knows.
  static constexpr const char *kUnknownClass = "__unknown_from_missing_header";
  static bool isPlaceholder(const clang::Decl *D) {
    if (!D) return false;
    for (const auto *A : D->specific_attrs<clang::AnnotateAttr>())
      if (A->getAnnotation() == kAnnotation) return true;
    return false;
  }

  bool LookupUnqualified(clang::LookupResult &R, clang::Scope *) override {
    using namespace clang;
    if (missing_.empty() || !R.empty() || R.isForRedeclaration() || !R.getLookupName().isIdentifier() ||
        (R.getLookupKind() != Sema::LookupOrdinaryName && R.getLookupKind() != Sema::LookupNestedNameSpecifierName))
      return false;
    SourceLocation loc = R.getNameLoc();
    const SourceManager &sm = sema_.getSourceManager();
    if (loc.isInvalid() || loc.isMacroID() || sm.isInSystemHeader(loc) || !sema_.TUScope) return false;
    IdentifierInfo *name = R.getLookupName().getAsIdentifierInfo();
    if (name->getName().starts_with("__")) return false;
    FileID file = sm.getFileID(loc);
    if (!declared_.count(name)) {
      declared_[name] = nullptr;
      if (NamedDecl *D = declare(name, file)) {
        sema_.PushOnScopeChains(D, sema_.TUScope, /*AddToContext=*/true);
        declared_[name] = D;
      }
    }
    NamedDecl *D = declared_[name];
    if (!D) return false;
    R.addDecl(D);
    R.resolveKind();
    return true;
  }

  bool FindExternalVisibleDeclsByName(const clang::DeclContext *DC, clang::DeclarationName Name) override {
    using namespace clang;
    auto *RD = dyn_cast<CXXRecordDecl>(DC);
    if (!RD || !classes_.count(RD) || !Name.isIdentifier()) return false;
    llvm::StringRef n = Name.getAsIdentifierInfo()->getName();
    auto use = memberUses_.find(n.str());
    if (use == memberUses_.end()) return false;
    ASTContext &C = sema_.Context;
    SourceLocation loc = RD->getLocation();
    NamedDecl *D;
    if (use->second) {
      FunctionProtoType::ExtProtoInfo variadic;
      variadic.Variadic = true;
      QualType type = C.getFunctionType(unknownType(), {}, variadic);
      D = CXXMethodDecl::Create(C, const_cast<CXXRecordDecl *>(RD), loc, DeclarationNameInfo(Name, loc), type,
                                C.getTrivialTypeSourceInfo(type, loc), SC_Static, false, true,
                                ConstexprSpecKind::Unspecified, loc);
    } else {
      D = VarDecl::Create(C, const_cast<CXXRecordDecl *>(RD), loc, loc, Name.getAsIdentifierInfo(), unknownType(),
                          C.getTrivialTypeSourceInfo(unknownType(), loc), SC_Static);
    }
    mark(D);
    const_cast<CXXRecordDecl *>(RD)->addHiddenDecl(D);
    SetExternalVisibleDeclsForName(DC, Name, {D});
    return true;
  }

private:
  struct Chain {
    std::vector<clang::Token> parts; ///< X, a, ..., and the last part
    enum { Type, Namespace, Template, Value } end = Value;
  };
  struct Uses {
    bool type = false;   ///< X written as a type, unqualified
    bool called = false; ///< X::...::f(
    std::vector<Chain> chains;
  };

  bool isKeyword(const clang::Token &t) const {
    return sema_.getPreprocessor().getIdentifierInfo(t.getRawIdentifier())->isKeyword(sema_.getLangOpts());
  }
  static bool isWord(const clang::Token &t, llvm::StringRef w) {
    return t.is(clang::tok::raw_identifier) && t.getRawIdentifier() == w;
  }
  clang::IdentifierInfo *ident(const clang::Token &t) const {
    return sema_.getPreprocessor().getIdentifierInfo(t.getRawIdentifier());
  }
  void mark(clang::Decl *D) {
    D->setImplicit(true);
    D->addAttr(clang::AnnotateAttr::CreateImplicit(sema_.Context, kAnnotation, nullptr, 0));
    if (auto *ND = llvm::dyn_cast<clang::NamedDecl>(D); ND && ND->getDeclContext()->isRecord())
      D->setAccess(clang::AS_public);
  }

  const std::vector<clang::Token> &tokens(clang::FileID file) {
    auto [it, fresh] = tokens_.try_emplace(file.getHashValue());
    if (!fresh) return it->second;
    const clang::SourceManager &sm = sema_.getSourceManager();
    llvm::StringRef text = sm.getBufferData(file);
    clang::Lexer lex(sm.getLocForStartOfFile(file), sema_.getLangOpts(), text.begin(), text.begin(), text.end());
    for (clang::Token t; lex.LexFromRawLexer(t), t.isNot(clang::tok::eof);) it->second.push_back(t);
    // Member names as written after `::`, `.` or `->`, and whether a call follows.
    const auto &toks = it->second;
    for (size_t i = 1; i + 1 < toks.size(); ++i)
      if (toks[i].is(clang::tok::raw_identifier) &&
          toks[i - 1].isOneOf(clang::tok::coloncolon, clang::tok::period, clang::tok::arrow))
        memberUses_[toks[i].getRawIdentifier().str()] |= toks[i + 1].is(clang::tok::l_paren);
    return it->second;
  }

  /// toks[i] is followed by a declarator: cv-qualifiers, `*`/`&`/`&&`, a name that is not a
  /// keyword, then what may follow a declarator's name.
  bool declaratorAfter(const std::vector<clang::Token> &toks, size_t i) const {
    using namespace clang;
    size_t j = i + 1;
    while (j < toks.size() && (toks[j].isOneOf(tok::star, tok::amp, tok::ampamp) || isWord(toks[j], "const") ||
                               isWord(toks[j], "volatile") || isWord(toks[j], "restrict")))
      ++j;
    if (j + 1 >= toks.size() || !toks[j].is(tok::raw_identifier) || isKeyword(toks[j])) return false;
    return toks[j + 1].isOneOf(tok::semi, tok::equal, tok::comma, tok::r_paren, tok::l_paren, tok::l_brace,
                               tok::l_square);
  }

  Uses scan(llvm::StringRef name, clang::FileID file) {
    using namespace clang;
    const std::vector<Token> &toks = tokens(file);
    Uses u;
    std::vector<std::string> calledChains;
    for (size_t i = 0; i < toks.size(); ++i) {
      if (!isWord(toks[i], name)) continue;
      if (i > 0 && toks[i - 1].isOneOf(tok::coloncolon, tok::period, tok::arrow)) continue;
      if (i + 1 >= toks.size() || !toks[i + 1].is(tok::coloncolon)) {
        u.type = u.type || declaratorAfter(toks, i);
        continue;
      }
      Chain c;
      size_t j = i;
      c.parts.push_back(toks[j]);
      while (j + 2 < toks.size() && toks[j + 1].is(tok::coloncolon) && toks[j + 2].is(tok::raw_identifier)) {
        j += 2;
        c.parts.push_back(toks[j]);
      }
      if (j + 1 < toks.size() && toks[j + 1].is(tok::l_paren)) calledChains.push_back(chainText(c));
      else if (i > 0 && isWord(toks[i - 1], "namespace")) c.end = Chain::Namespace;
      else if (j + 1 < toks.size() && toks[j + 1].is(tok::less)) c.end = Chain::Template;
      else if (declaratorAfter(toks, j)) c.end = Chain::Type;
      u.chains.push_back(std::move(c));
    }
    // `X::T(args)` builds a T when `X::T` is also written as a type; any other
    // `X::...::f(` calls a function, so X may be a class.
    std::set<std::string> types;
    for (const Chain &c : u.chains)
      if (c.end == Chain::Type) types.insert(chainText(c));
    for (const std::string &called : calledChains) u.called = u.called || !types.count(called);
    return u;
  }
  static std::string chainText(const Chain &c) {
    std::string text;
    for (const clang::Token &t : c.parts)
      if (t.is(clang::tok::raw_identifier)) text += (text.empty() ? "" : "::") + t.getRawIdentifier().str();
    return text;
  }

  clang::NamedDecl *declare(clang::IdentifierInfo *name, clang::FileID file) {
    using namespace clang;
    ASTContext &C = sema_.Context;
    Uses u = scan(name->getName(), file);
    if (!sema_.getLangOpts().CPlusPlus) return u.type ? declareFunctionPointer(name) : nullptr;
    if (u.type) {
      CXXRecordDecl *RD = declareClass(name, C.getTranslationUnitDecl());
      for (const Chain &c : u.chains) // X::Inner y: a nested class
        if (c.parts.size() == 2 && c.end == Chain::Type && RD->lookup(ident(c.parts[1])).empty())
          RD->addDecl(declareClass(ident(c.parts[1]), RD));
      return RD;
    }
    if (u.called || u.chains.empty()) return nullptr;
    auto *top = declareNamespace(name, C.getTranslationUnitDecl());
    // Namespaces first, so that a name both a scope and a type is the scope.
    for (bool types : {false, true})
      for (const Chain &c : u.chains) {
        DeclContext *dc = top;
        size_t scopes = c.end == Chain::Namespace ? c.parts.size() : c.parts.size() - 1;
        for (size_t k = 1; k < scopes && dc; ++k) {
          DeclContext::lookup_result found = dc->lookup(ident(c.parts[k]));
          NamedDecl *have = found.empty() ? nullptr : found.front();
          if (!have && !types) have = declareNamespace(ident(c.parts[k]), dc);
          dc = dyn_cast_or_null<NamespaceDecl>(have);
        }
        if (types && c.end == Chain::Type && dc && dc->lookup(ident(c.parts.back())).empty())
          dc->addDecl(declareClass(ident(c.parts.back()), dc));
      }
    return top;
  }

  /// Where the declarations made here are: the start of the main file (they are
  /// written nowhere).
  clang::SourceLocation declLoc() const {
    const clang::SourceManager &sm = sema_.getSourceManager();
    return sm.getLocForStartOfFile(sm.getMainFileID());
  }

  clang::NamespaceDecl *declareNamespace(clang::IdentifierInfo *name, clang::DeclContext *dc) {
    clang::SourceLocation loc = declLoc();
    auto *ns = clang::NamespaceDecl::Create(sema_.Context, dc, /*Inline=*/false, loc, loc, name, nullptr, false);
    mark(ns);
    if (!dc->isTranslationUnit()) dc->addDecl(ns);
    return ns;
  }

  /// A class of its own: built from anything, called with anything, dereferenced to
  /// itself; its members are declared on lookup (FindExternalVisibleDeclsByName).
  clang::CXXRecordDecl *declareClass(clang::IdentifierInfo *name, clang::DeclContext *dc) {
    using namespace clang;
    ASTContext &C = sema_.Context;
    SourceLocation loc = declLoc();
    auto *RD = CXXRecordDecl::Create(C, TagTypeKind::Struct, dc, loc, loc, name);
    mark(RD);
    RD->startDefinition();
    QualType self = C.getTypeDeclType(RD);
    FunctionProtoType::ExtProtoInfo variadic;
    variadic.Variadic = true;
    FunctionProtoType::ExtProtoInfo constVariadic = variadic;
    constVariadic.TypeQuals.addConst();
    QualType ctorType = C.getFunctionType(C.VoidTy, {}, variadic);
    DeclarationNameInfo ctorName(C.DeclarationNames.getCXXConstructorName(C.getCanonicalType(self)), loc);
    auto *ctor = CXXConstructorDecl::Create(C, RD, loc, ctorName, ctorType, C.getTrivialTypeSourceInfo(ctorType, loc),
                                            ExplicitSpecifier(), /*UsesFPIntrin=*/false, /*isInline=*/true,
                                            /*isImplicitlyDeclared=*/false, ConstexprSpecKind::Unspecified);
    mark(ctor);
    RD->addDecl(ctor);
    auto addOperator = [&](OverloadedOperatorKind op, QualType type) {
      DeclarationNameInfo opName(C.DeclarationNames.getCXXOperatorName(op), loc);
      auto *M = CXXMethodDecl::Create(C, RD, loc, opName, type, C.getTrivialTypeSourceInfo(type, loc), SC_None, false,
                                      true, ConstexprSpecKind::Unspecified, loc);
      mark(M);
      RD->addDecl(M);
    };
    addOperator(OO_Call, C.getFunctionType(self, {}, constVariadic));
    FunctionProtoType::ExtProtoInfo constNone;
    constNone.TypeQuals.addConst();
    addOperator(OO_Arrow, C.getFunctionType(C.getPointerType(self), {}, constNone));
    addOperator(OO_Star, C.getFunctionType(C.getLValueReferenceType(self), {}, constNone));
    RD->completeDefinition();
    RD->setHasExternalVisibleStorage(true);
    classes_.insert(RD);
    return RD;
  }

  /// What an unknown member returns: one more such class.
  clang::QualType unknownType() {
    if (!unknown_) {
      unknown_ = declareClass(&sema_.Context.Idents.get(kUnknownClass), sema_.Context.getTranslationUnitDecl());
      sema_.Context.getTranslationUnitDecl()->addDecl(unknown_);
    }
    return sema_.Context.getTypeDeclType(unknown_);
  }

  clang::NamedDecl *declareFunctionPointer(clang::IdentifierInfo *name) {
    using namespace clang;
    ASTContext &C = sema_.Context;
    SourceLocation loc = declLoc();
    QualType type = C.getPointerType(C.getFunctionNoProtoType(C.IntTy));
    auto *TD =
        TypedefDecl::Create(C, C.getTranslationUnitDecl(), loc, loc, name, C.getTrivialTypeSourceInfo(type, loc));
    mark(TD);
    return TD;
  }

  clang::Sema &sema_;
  const std::vector<MissingHeader> &missing_;
  std::map<clang::IdentifierInfo *, clang::NamedDecl *> declared_;
  std::map<unsigned, std::vector<clang::Token>> tokens_;
  std::map<std::string, bool> memberUses_; ///< name -> called somewhere
  std::set<const clang::CXXRecordDecl *> classes_;
  clang::CXXRecordDecl *unknown_ = nullptr;
};

/// Collects every error of a parse and decides which ones the user must hear about.
class ErrorTriage : public clang::DiagnosticConsumer {
public:
  struct Error {
    unsigned id = 0;
    Loc where;
    std::string message;
    bool inStandIn = false;     ///< located in a built-in fallback header
    bool noteInStandIn = false; ///< one of its notes (a candidate, "declared here") is
    bool lookup = false;        ///< a name or type that is not declared or not complete
    bool syntax = false;        ///< a parse or preprocessor error, not a semantic one
    std::string name;           ///< the name a lookup failure is about ('gcf', 'FAIL_IF')
    std::string text;           ///< a syntax error's line and the one before it
  };

  void HandleDiagnostic(clang::DiagnosticsEngine::Level level, const clang::Diagnostic &info) override {
    clang::DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level == clang::DiagnosticsEngine::Note) {
      if (!errors_.empty() && lastWasError_ && inStandIn(info)) errors_.back().noteInStandIn = true;
      return;
    }
    lastWasError_ = level >= clang::DiagnosticsEngine::Error;
    if (!lastWasError_) return;
    Error e;
    e.id = info.getID();
    llvm::SmallString<256> msg;
    info.FormatDiagnostic(msg);
    e.message = msg.empty() ? std::string("error") : msg.str().str();
    e.inStandIn = inStandIn(info);
    e.lookup = isLookupFailure(e.id);
    llvm::StringRef category =
        clang::DiagnosticIDs::getCategoryNameFromID(clang::DiagnosticIDs::getCategoryNumberForDiag(e.id));
    e.syntax = category == "Parse Issue" || category == "Lexical or Preprocessor Issue";
    if (e.lookup) { // the first quoted name: "use of undeclared identifier 'gcf'"
      size_t a = e.message.find('\'');
      size_t b = a == std::string::npos ? a : e.message.find('\'', a + 1);
      if (b != std::string::npos) e.name = e.message.substr(a + 1, b - a - 1);
    }
    if (info.hasSourceManager() && info.getLocation().isValid()) {
      const clang::SourceManager &sm = info.getSourceManager();
      clang::SourceLocation loc = sm.getFileLoc(info.getLocation());
      clang::PresumedLoc p = sm.getPresumedLoc(loc);
      if (p.isValid()) e.where = Loc{cleanAbsolute(p.getFilename()), p.getLine(), p.getColumn(), 0};
      if (e.syntax) {
        bool invalid = false;
        llvm::StringRef buf = sm.getBufferData(sm.getFileID(loc), &invalid);
        if (!invalid) {
          size_t off = sm.getFileOffset(loc), end = buf.find('\n', off), begin = off;
          for (int lines = 0; begin > 0 && lines < 2; --begin)
            if (buf[begin - 1] == '\n' && ++lines == 2) break;
          e.text = buf.slice(begin, end == llvm::StringRef::npos ? buf.size() : end).str();
        }
      }
    }
    errors_.push_back(std::move(e));
  }

  /// Sorts the errors once the parse is over. `missingOrStandIn`: some header was
  /// missing, or a built-in stand-in was used (whose declarations are incomplete).
  /// Then a semantic error (a name, type, overload or conversion that does not work out)
  /// may come from what is not there, and is set aside; so is a syntax error on a line
  /// that has one (an unknown macro used as a statement: `LOG(x)` with no ';'). Other
  /// syntax errors are the user's, and so is every error when nothing was missing.
  void triage(bool missingOrStandIn) {
    userErrors.clear();
    setAsideAt.clear();
    auto explainedAlone = [&](const Error &e) {
      return e.inStandIn || e.noteInStandIn || (missingOrStandIn && (e.lookup || !e.syntax));
    };
    std::set<std::pair<std::string, unsigned>> explainedLines;
    std::set<std::string> unknownNames;
    for (const Error &e : errors_)
      if (explainedAlone(e)) {
        explainedLines.insert({e.where.file, e.where.line});
        if (e.lookup && !e.name.empty()) unknownNames.insert(e.name);
      }
    // A syntax error is explained by a set-aside error on its line or the line before (a
    // statement that goes on), or by a name set aside elsewhere that its line uses (an
    // unknown macro is reported once, where it is first used).
    auto mentionsUnknown = [&](const std::string &text) {
      for (const std::string &n : unknownNames)
        for (size_t at = text.find(n); at != std::string::npos; at = text.find(n, at + 1)) {
          auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
          bool starts = at == 0 || !word(text[at - 1]);
          bool ends = at + n.size() >= text.size() || !word(text[at + n.size()]);
          if (starts && ends) return true;
        }
      return false;
    };
    for (const Error &e : errors_) {
      bool explained =
          explainedAlone(e) ||
          (missingOrStandIn && (explainedLines.count({e.where.file, e.where.line}) ||
                                explainedLines.count({e.where.file, e.where.line - 1}) || mentionsUnknown(e.text)));
      if (explained) setAsideAt.push_back(e.where);
      else userErrors.push_back(e);
    }
  }

  size_t total() const { return errors_.size(); }
  std::vector<Error> userErrors; ///< after triage(): the user's own errors
  std::vector<Loc> setAsideAt;   ///< after triage(): where the errors are that follow from missing headers or stand-ins

private:
  static bool inStandIn(const clang::Diagnostic &info) {
    if (!info.hasSourceManager() || info.getLocation().isInvalid()) return false;
    const clang::SourceManager &sm = info.getSourceManager();
    clang::PresumedLoc p = sm.getPresumedLoc(sm.getFileLoc(info.getLocation()));
    return p.isValid() && llvm::StringRef(p.getFilename()).starts_with(kFallbackRoot);
  }

  /// Errors that a missing declaration explains: an undeclared name or type, a member
  /// the (incomplete or stand-in) class lacks, an incomplete type, a C function used
  /// without a prototype.
  static bool isLookupFailure(unsigned id) {
    namespace d = clang::diag;
    static const std::set<unsigned> ids = {
        d::err_undeclared_var_use,
        d::err_undeclared_var_use_suggest,
        d::err_undeclared_use,
        d::err_undeclared_use_suggest,
        d::err_unknown_typename,
        d::err_unknown_typename_suggest,
        d::err_unknown_type_or_class_name_suggest,
        d::err_unknown_nested_typename_suggest,
        d::err_no_member,
        d::err_no_member_suggest,
        d::err_no_member_overloaded_arrow,
        d::err_typename_nested_not_found,
        d::err_typename_nested_not_found_enable_if,
        d::err_no_template,
        d::err_no_template_suggest,
        d::err_no_member_template,
        d::err_no_member_template_suggest,
        d::err_expected_class_name,
        d::err_expected_namespace_name,
        d::err_incomplete_type,
        d::err_typecheck_decl_incomplete_type,
        d::err_incomplete_member_access,
        d::err_incomplete_base_class,
        d::err_incomplete_nested_name_spec,
        d::err_typecheck_incomplete_tag,
        d::err_incomplete_type_used_in_type_trait_expr,
        d::err_incomplete_receiver_type,
        d::err_new_incomplete_or_sizeless_type,
        d::err_field_incomplete_or_sizeless,
        d::err_call_incomplete_return,
        d::err_call_function_incomplete_return,
        d::err_call_incomplete_argument,
        d::err_typecheck_incomplete_array_needs_initializer,
        d::err_implicit_instantiate_member_undefined,
        d::err_template_arg_must_be_type,
        d::ext_implicit_function_decl_c99,
        d::ext_missing_type_specifier,
        d::err_missing_type_specifier,
        d::err_use_of_tag_name_without_tag,
        d::err_unknown_template_name,
        d::err_dependent_nested_name_spec,
        d::err_not_tag_in_scope,
    };
    return ids.count(id) > 0;
  }

  std::vector<Error> errors_;
  bool lastWasError_ = false;
};

} // namespace coldstart
