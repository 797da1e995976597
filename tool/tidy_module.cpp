// A clang-tidy module: the coldstart checks inside clang-tidy-19, for editors and CI
// that already run clang-tidy.
//
//   clang-tidy-19 --load=build/libcoldstart-tidy.so --checks='-*,coldstart-*' handler.cpp -- <flags>
//
// The four checks share one analysis per translation unit (the same extraction, link
// and check code as the command-line tool), run when clang-tidy has the whole AST.
// What the module cannot do that the tool does: link across files (clang-tidy sees one
// TU at a time), read .coldstart-lint.yaml (use clang-tidy's own config for check
// selection), and skip function bodies (clang-tidy parses everything).
#include "coldstart/check.h"
#include "coldstart/emit.h"
#include "coldstart/extract.h"
#include "coldstart/link.h"
#include "coldstart/pipeline.h"
#include "coldstart/session.h"

#include "coldstart_embedded_catalog.h"
#include "registry.h"

#include <clang-tidy/ClangTidyCheck.h>
#include <clang-tidy/ClangTidyModule.h>
#include <clang-tidy/ClangTidyModuleRegistry.h>
#include <clang/ASTMatchers/ASTMatchFinder.h>

namespace coldstart::tidy {
namespace {

/// The checks and the built-in catalog; clang-tidy's own configuration selects checks.
const Session &session() {
  static const Session session = [] {
    SessionOptions opts;
    opts.builtinCatalog = embeddedTexts(embedded_catalog::files);
    Session s(opts);
    std::string error;
    if (!s.setup(checks::all(), {}, error)) llvm::report_fatal_error(llvm::Twine("coldstart: ") + error);
    return s;
  }();
  return session;
}

/// Findings of every coldstart check for the TU of `ctx`, computed once per TU.
/// NOLINT is clang-tidy's.
const std::vector<Finding> &findingsFor(clang::ASTContext &ctx) {
  static const clang::ASTContext *analysed = nullptr;
  static std::vector<Finding> findings;
  if (analysed == &ctx) return findings;
  analysed = &ctx;
  TUFacts tu;
  ExtractOptions opts;
  opts.catalog = &session().catalog();
  Extractor x(ctx, opts, tu);
  x.run();
  std::vector<TUFacts> facts{tu};
  findings = runChecks(linkProgram(facts, session()), session(), [&](const std::string &f) {
               return f == tu.mainFile;
             }).findings;
  return findings;
}

clang::SourceLocation toSourceLocation(clang::SourceManager &sm, const Loc &l) {
  if (!l.valid()) return {};
  auto file = sm.getFileManager().getOptionalFileRef(l.file);
  if (!file) return {};
  clang::FileID fid = sm.translateFile(*file);
  if (fid.isInvalid()) return {};
  return sm.getComposedLoc(fid, l.offset);
}

class ColdstartCheck : public clang::tidy::ClangTidyCheck {
public:
  ColdstartCheck(llvm::StringRef name, clang::tidy::ClangTidyContext *context)
      : ClangTidyCheck(name, context), id_(name.str()) {}

  void registerMatchers(clang::ast_matchers::MatchFinder *finder) override {
    finder->addMatcher(clang::ast_matchers::translationUnitDecl().bind("tu"), this);
  }

  void check(const clang::ast_matchers::MatchFinder::MatchResult &result) override {
    clang::ASTContext &ctx = *result.Context;
    clang::SourceManager &sm = ctx.getSourceManager();
    for (const Finding &f : findingsFor(ctx)) {
      if (f.check != id_) continue;
      clang::SourceLocation loc = toSourceLocation(sm, f.loc);
      if (loc.isInvalid()) continue;
      {
        auto d = diag(loc, "%0", f.severity == "error" ? clang::DiagnosticIDs::Error : clang::DiagnosticIDs::Warning)
                 << f.message;
        for (const Fix &fix : f.fixes)
          for (const Replacement &r : fix.replacements) {
            clang::SourceLocation b = toSourceLocation(sm, Loc{r.file, r.line, r.col, r.offset});
            if (b.isInvalid()) continue;
            d << clang::FixItHint::CreateReplacement(
                clang::CharSourceRange::getCharRange(b, b.getLocWithOffset(static_cast<int>(r.length))), r.text);
          }
      }
      for (const Note &n : explanationNotes(f)) {
        clang::SourceLocation nl = toSourceLocation(sm, n.loc);
        if (nl.isValid()) diag(nl, "%0", clang::DiagnosticIDs::Note) << n.message;
      }
    }
  }

private:
  std::string id_;
};

class ColdstartModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &factories) override {
    for (const auto &check : checks::all())
      factories.registerCheckFactory(std::string(check->id()),
                                     [](llvm::StringRef name, clang::tidy::ClangTidyContext *context) {
                                       return std::make_unique<ColdstartCheck>(name, context);
                                     });
  }
};

} // namespace

static clang::tidy::ClangTidyModuleRegistry::Add<ColdstartModule>
    registration("coldstart-module", "coldstart-lint: Lambda cold-start checks");

} // namespace coldstart::tidy

// Lets a static link pull the module in (clang-tidy's convention).
volatile int ColdstartTidyModuleAnchorSource = 0;
