// Part of the Extractor (extract.h). Frames: the function-like node (function, lambda, loop) the walk is in.
#pragma once

#include "coldstart/extract.h"

namespace coldstart {

/// The node with this id, created on first use. Nodes seen again (a template's
/// instantiations, an inline function's several definitions) are merged.
inline size_t Extractor::node(const std::string &id, const std::string &name, const std::string &qname,
                              const std::string &kind, clang::SourceLocation loc) {
  auto it = index_.find(id);
  if (it != index_.end()) return it->second;
  FunctionFacts f;
  f.id = id;
  f.name = name;
  f.qualifiedName = qname;
  f.nodeKind = kind;
  f.loc = toLoc(loc);
  index_[id] = out_.functions.size();
  out_.functions.push_back(std::move(f));
  return out_.functions.size() - 1;
}

inline bool Extractor::traverseFunction(clang::FunctionDecl *FD) {
  using namespace clang;
  if (auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda())
    return true; // lambda bodies are traversed from their LambdaExpr
  if (!FD->doesThisDeclarationHaveABody()) return Base::TraverseDecl(FD);
  // A template's pattern: its instantiations are traversed instead (a dependent body
  // cannot tell what it constructs or calls).
  if (FD->isDependentContext()) return true;
  const FunctionDecl *canon = patternOf(FD);
  size_t idx = node(idOf(canon), displayFunctionName(canon), qualifiedName(canon), "function", canon->getLocation());
  FunctionFacts &fn = out_.functions[idx];
  if (const HandlerSignature *h = handlerSignatureOf(FD)) fn.handlerSignature = signatureText(*h);
  if (auto *MD = dyn_cast<CXXMethodDecl>(FD))
    for (const CXXMethodDecl *o : MD->overridden_methods()) {
      std::string oid = idOf(patternOf(o));
      if (std::find(fn.overrides.begin(), fn.overrides.end(), oid) == fn.overrides.end()) fn.overrides.push_back(oid);
    }
  std::vector<Frame> saved;
  saved.swap(frames_); // a function body is never inside another node's region
  const FunctionDecl *savedFn = currentFunction_;
  currentFunction_ = FD;
  pushFrame(idx);
  if (auto *DD = dyn_cast<CXXDestructorDecl>(FD)) addMemberDestructorEdges(DD);
  bool r = Base::TraverseDecl(FD);
  frames_.swap(saved);
  currentFunction_ = savedFn;
  return r;
}

template <typename F> inline bool Extractor::traverseLoop(clang::Stmt *S, clang::Expr *cond, F &&base, bool rangeLoop) {
  using namespace clang;
  Frame *f = frame();
  if (!f) return base();
  // `while (curl_easy_perform(next) != CURLE_OK) usleep(...)`: retrying the request
  // for the next event, before any invocation starts.
  if (cond && !rangeLoop && nextEventFailure(cond) > 0) {
    ++f->once;
    bool r = traverseLoopIn(S, cond, base, rangeLoop);
    --frame()->once;
    return r;
  }
  return traverseLoopIn(S, cond, base, rangeLoop);
}

template <typename F>
inline bool Extractor::traverseLoopIn(clang::Stmt *S, clang::Expr *cond, F &&base, bool rangeLoop) {
  using namespace clang;
  Frame *f = frame();
  if (f->loopDepth > 0 || f->fn().nodeKind == "static-init") {
    ++f->loopDepth;
    f->loops.push_back(S->getBeginLoc());
    bool r = base();
    f = frame();
    --f->loopDepth;
    f->loops.pop_back();
    return r;
  }
  FunctionFacts &parent = f->fn();
  Loc l = toLoc(S->getBeginLoc());
  std::string id = parent.id + "#loop@" + std::to_string(l.offset);
  std::string name = parent.name; // a loop speaks for the function that contains it
  size_t idx = node(id, name, "", "loop", S->getBeginLoc());
  bool unbounded = false;
  if (!rangeLoop) {
    bool value = false;
    unbounded = !cond || (!cond->isValueDependent() && cond->EvaluateAsBooleanCondition(value, ctx_) && value);
  }
  out_.functions[idx].unboundedLoop = unbounded;
  addEdge(id, S->getBeginLoc(), EdgeKind::Loop);
  pushFrame(idx);
  frame()->loopDepth = 1;
  frame()->loops.push_back(S->getBeginLoc());
  bool r = base();
  popFrame();
  return r;
}

} // namespace coldstart
