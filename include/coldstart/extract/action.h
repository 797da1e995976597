// The front end around the Extractor: the AST consumer that skips bodies nobody
// extracts and recovers from missing headers, and the FrontendAction that runs it.
#pragma once

#include "coldstart/extract.h"

#include <llvm/ADT/StringSet.h>

namespace coldstart {

/// Runs the Extractor on the parsed TU.
class ExtractConsumer : public clang::SemaConsumer {
public:
  ExtractConsumer(const ExtractOptions &opts, TUFacts &out) : opts_(opts), out_(out) {
    // The unqualified names of the catalog's construct wrappers (make_unique, MakeShared):
    // a cheap first test of whether a body is kept.
    if (opts_.catalog)
      for (const CatalogFunction &f : opts_.catalog->functions())
        if (f.kind == Kind::Construct) {
          size_t scope = f.name.rfind("::");
          wrapperNames_.insert(scope == std::string::npos ? f.name : f.name.substr(scope + 2));
        }
  }
  void InitializeSema(clang::Sema &S) override {
    // Calls to names that no header declared (see recovery.h).
    S.addExternalSource(new UnresolvedCallRecorder(S, unresolved_));
    // Types that only a missing header declares (see recovery.h). Their members are
    // declared when looked up, so it is the AST's external source too.
    auto *placeholders = new PlaceholderTypes(S, out_.missing);
    S.addExternalSource(placeholders);
    if (!S.Context.getExternalSource())
      S.Context.setExternalSource(llvm::IntrusiveRefCntPtr<clang::ExternalASTSource>(placeholders));
  }
  void HandleTranslationUnit(clang::ASTContext &ctx) override {
    if (opts_.parseOnly) return;
    Extractor x(ctx, opts_, out_, unresolved_);
    x.run();
  }

  bool shouldSkipFunctionBody(clang::Decl *D) override {
    const clang::SourceManager &sm = D->getASTContext().getSourceManager();
    if (!sm.isInSystemHeader(sm.getExpansionLoc(D->getLocation()))) return false;
    // The smart-pointer and allocator machinery that std::make_shared reaches: with its
    // bodies, `make_shared<Deps>()` instantiates (and defines) the constructor of Deps
    // it calls, as it does without skipping.
    clang::FileID file = sm.getFileID(sm.getExpansionLoc(D->getLocation()));
    auto known = constructionMachinery_.find(file);
    if (known == constructionMachinery_.end()) {
      llvm::StringRef path = sm.getFilename(sm.getExpansionLoc(D->getLocation()));
      bool keep = false;
      for (const std::string &suffix : opts_.catalog->names("construction-machinery-headers"))
        keep = keep || path.ends_with(suffix);
      known = constructionMachinery_.try_emplace(file, keep).first;
    }
    if (known->second) return false;
    const clang::FunctionDecl *FD = D->getAsFunction();
    if (!FD || !FD->getIdentifier()) return true;
    // Cheap test first: only names that some construct wrapper has.
    if (!wrapperNames_.count(FD->getName())) return true;
    const CatalogFunction *f = opts_.catalog->findFunction(qualifiedName(FD));
    return !(f && f->kind == Kind::Construct);
  }

private:
  const ExtractOptions &opts_;
  TUFacts &out_;
  std::vector<UnresolvedCall> unresolved_;
  llvm::DenseMap<clang::FileID, bool> constructionMachinery_;
  llvm::StringSet<> wrapperNames_;
};

class ExtractAction : public clang::ASTFrontendAction {
public:
  ExtractAction(const ExtractOptions &opts, TUFacts &out) : opts_(opts), out_(out) {}
  bool BeginInvocation(clang::CompilerInstance &CI) override {
    CI.getFrontendOpts().SkipFunctionBodies = opts_.skipSystemBodies;
    CI.getFrontendOpts().DisableFree = opts_.disableFree;
    return true;
  }
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &CI, llvm::StringRef) override {
    // A missing include is skipped, not fatal (see recovery.h).
    CI.getPreprocessor().addPPCallbacks(std::make_unique<MissingHeaderRecorder>(CI.getPreprocessor(), out_.missing));
    return std::make_unique<ExtractConsumer>(opts_, out_);
  }

private:
  const ExtractOptions &opts_;
  TUFacts &out_;
};

} // namespace coldstart
