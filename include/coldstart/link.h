// Link: union the facts of all analysed TUs and compute the per-invocation region.
//
// Handler entries come from the TUs (run_handler arguments, handler signatures), from
// the config (handler names) and from custom runtime loops (outermost loops that reach
// a request for the next event). The per-invocation region is everything reachable
// from an entry through edges that are not once-only; virtual calls also reach the
// overriders seen in any TU. Each reached node remembers how it was first reached,
// breadth first, so that every finding can show the shortest call path.
#pragma once

#include "coldstart/facts.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace coldstart {

/// One step of a call path: `function` calls (constructs, creates...) the next node at `loc`.
struct PathStep {
  std::string function;
  std::string callee;
  EdgeKind kind = EdgeKind::Call;
  Loc loc;
  bool dispatch = false; ///< the callee is an override reached through a virtual call
};

/// A handler entry with its node resolved.
struct Handler {
  std::string id;
  std::string name; ///< "handler", "lambda in main", "runtime loop in main"
  Loc definition;   ///< where the handler's body starts
  std::string how;  ///< "run_handler", "handler-signature", "runtime-loop", "config"
  Loc registration; ///< the run_handler call; the definition otherwise
  std::string detail;
};

class Program {
public:
  /// Adds one TU's facts. Nodes seen in several TUs (inline functions, templates)
  /// are merged.
  void add(const TUFacts &tu) {
    for (const FunctionFacts &f : tu.functions) {
      auto it = nodes_.find(f.id);
      if (it == nodes_.end()) {
        nodes_.emplace(f.id, f);
        continue;
      }
      FunctionFacts &into = it->second;
      if (into.handlerSignature.empty()) into.handlerSignature = f.handlerSignature;
      into.mentionsNextUrl = into.mentionsNextUrl || f.mentionsNextUrl;
      for (const Edge &e : f.edges)
        if (std::none_of(into.edges.begin(), into.edges.end(), [&](const Edge &o) {
              return o.callee == e.callee && o.loc == e.loc && o.once == e.once && o.caller == e.caller;
            }))
          into.edges.push_back(e);
      for (const Site &s : f.sites)
        if (std::none_of(into.sites.begin(), into.sites.end(), [&](const Site &o) {
              return o.loc == s.loc && o.kind == s.kind && o.subject == s.subject && o.once == s.once;
            }))
          into.sites.push_back(s);
      for (const std::string &o : f.overrides)
        if (std::find(into.overrides.begin(), into.overrides.end(), o) == into.overrides.end())
          into.overrides.push_back(o);
    }
    for (const HandlerEntry &e : tu.entries) rawEntries_.push_back(e);
    for (const FactsError &e : tu.errors) errors_.push_back(e);
  }

  /// Resolves entries (including config handler names and runtime loops) and computes
  /// the per-invocation region. Call once, after every add().
  void link(const std::vector<std::string> &handlerNames) {
    bindParameterCalls();
    for (auto &[id, f] : nodes_) {
      std::sort(f.edges.begin(), f.edges.end(), [](const Edge &a, const Edge &b) {
        return std::tie(a.loc, a.callee, a.caller, a.once) < std::tie(b.loc, b.callee, b.caller, b.once);
      });
      for (const std::string &base : f.overrides) overriders_[base].push_back(id);
    }
    for (auto &[base, list] : overriders_) std::sort(list.begin(), list.end());
    // Names a call can be written with: "ns::Repo::save", "Repo::save", "save".
    for (const auto &[id, f] : nodes_) {
      if (f.nodeKind != "function" || f.qualifiedName.empty()) continue;
      for (size_t at = 0;;) {
        byName_[f.qualifiedName.substr(at)].insert(id);
        size_t next = f.qualifiedName.find("::", at);
        if (next == std::string::npos) break;
        at = next + 2;
      }
    }

    std::vector<HandlerEntry> entries = rawEntries_;
    for (const auto &[id, f] : nodes_) {
      if (f.nodeKind != "function") continue;
      for (const std::string &name : handlerNames)
        if (matchesName(f, name)) entries.push_back({id, "config", f.loc, "named in HandlerNames"});
    }
    for (const std::string &loop : runtimeLoops()) {
      const FunctionFacts &f = nodes_.at(loop);
      entries.push_back({loop, "runtime-loop", f.loc, "requests the next event from the Lambda Runtime API"});
    }
    // When one node is an entry for several reasons, keep the most telling one: its
    // registration with the runtime beats a matching signature.
    auto rank = [](const std::string &how) {
      return how == "run_handler" ? 0 : how == "runtime-loop" ? 1 : how == "config" ? 2 : 3;
    };
    std::stable_sort(entries.begin(), entries.end(), [&](const HandlerEntry &a, const HandlerEntry &b) {
      return std::make_tuple(rank(a.how), a.loc, a.id) < std::make_tuple(rank(b.how), b.loc, b.id);
    });
    // A function with the handler signature is taken for a handler registered elsewhere
    // only when nothing analysed calls or references it: one that main calls (a local
    // test harness) or a router dispatches to is whatever its callers make it.
    std::set<std::string> referenced;
    for (const auto &[id, f] : nodes_)
      for (const Edge &edge : f.edges)
        if (edge.callee != id) referenced.insert(edge.callee);
    std::set<std::string> seen;
    for (const HandlerEntry &e : entries) {
      if (e.how == "handler-signature" && referenced.count(e.id)) continue;
      auto it = nodes_.find(e.id);
      if (it == nodes_.end() || !seen.insert(e.id).second) continue; // defined in no analysed TU
      Handler h;
      h.id = e.id;
      h.name = e.how == "runtime-loop" ? "runtime loop in " + it->second.name : it->second.name;
      h.definition = it->second.loc;
      h.how = e.how;
      h.registration = e.loc;
      h.detail = e.detail;
      handlers_.push_back(h);
    }
    std::sort(handlers_.begin(), handlers_.end(), [](const Handler &a, const Handler &b) {
      return std::tie(a.registration, a.id) < std::tie(b.registration, b.id);
    });
    computeReach();
  }

  const std::map<std::string, FunctionFacts> &nodes() const { return nodes_; }
  const FunctionFacts *node(const std::string &id) const {
    auto it = nodes_.find(id);
    return it == nodes_.end() ? nullptr : &it->second;
  }
  const std::vector<Handler> &handlers() const { return handlers_; }
  const std::vector<FactsError> &errors() const { return errors_; }

  /// Nodes of the per-invocation region, in the order they were reached.
  const std::vector<std::string> &perInvocation() const { return order_; }
  bool isPerInvocation(const std::string &id) const { return pred_.count(id) != 0; }

  /// The handler a per-invocation node is (first) reached from.
  const Handler &handlerOf(const std::string &id) const { return handlers_[pred_.at(id).handler]; }

  /// The call path from the handler to `id`: one step per edge, loop nodes folded
  /// into the function that contains them.
  std::vector<PathStep> pathTo(const std::string &id) const {
    std::vector<PathStep> steps;
    std::string cur = id;
    while (true) {
      const Pred &p = pred_.at(cur);
      if (p.from.empty()) break;
      const FunctionFacts &from = nodes_.at(p.from);
      if (p.kind != EdgeKind::Loop) {
        const FunctionFacts *to = node(cur);
        steps.push_back({displayName(from), to ? displayName(*to) : cur, p.kind, p.loc, p.dispatch});
      }
      cur = p.from;
    }
    std::reverse(steps.begin(), steps.end());
    return steps;
  }

  /// A node's name in paths: a runtime loop that is a handler goes by its handler name.
  std::string displayName(const FunctionFacts &f) const {
    if (f.nodeKind == "loop")
      for (const Handler &h : handlers_)
        if (h.id == f.id && h.how == "runtime-loop") return h.name;
    return f.name;
  }

private:
  struct Pred {
    std::string from; ///< empty for an entry
    EdgeKind kind = EdgeKind::Call;
    Loc loc;
    size_t handler = 0;
    bool dispatch = false;
  };

  static bool matchesName(const FunctionFacts &f, const std::string &name) {
    if (name.empty()) return false;
    if (f.qualifiedName == name || f.name == name) return true;
    if (name.find("::") == std::string::npos) {
      auto pos = f.qualifiedName.rfind("::");
      return pos != std::string::npos && f.qualifiedName.substr(pos + 2) == name;
    }
    return false;
  }

  /// Targets of an edge: the callee and, for virtual methods, their overriders.
  void targets(const std::string &callee, std::vector<std::string> &out) const {
    // A call to a name that was declared in a header the parse did not see: the one
    // function of the project with that name, and nothing if several have it.
    if (callee.rfind(kUnresolvedCallee, 0) == 0) {
      auto it = byName_.find(callee.substr(std::strlen(kUnresolvedCallee)));
      if (it != byName_.end() && it->second.size() == 1) targets(*it->second.begin(), out);
      return;
    }
    std::deque<std::string> work{callee};
    std::set<std::string> seen;
    while (!work.empty()) {
      std::string c = work.front();
      work.pop_front();
      if (!seen.insert(c).second) continue;
      out.push_back(c);
      if (auto it = overriders_.find(c); it != overriders_.end())
        for (const std::string &o : it->second) work.push_back(o);
    }
  }

  /// Calls through a parameter of a function defined in one TU (kParameterCallee) reach
  /// the functions passed to that parameter in any TU, each only where its passing
  /// function runs (Edge::caller), as a call through a parameter within one TU does.
  void bindParameterCalls() {
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> passed; // slot -> (caller, callee)
    for (const auto &[id, f] : nodes_)
      for (const Edge &e : f.edges)
        if (!e.argOf.empty()) passed[e.argOf].push_back({id, e.callee});
    const std::string prefix = kParameterCallee;
    for (auto &[id, f] : nodes_) {
      std::vector<Edge> bound;
      for (const Edge &e : f.edges) {
        if (e.callee.rfind(prefix, 0) != 0) continue;
        auto it = passed.find(e.callee.substr(prefix.size()));
        if (it == passed.end()) continue;
        for (const auto &[caller, callee] : it->second) {
          Edge b = e;
          b.callee = callee;
          b.caller = caller;
          bound.push_back(b);
        }
      }
      std::erase_if(f.edges, [&](const Edge &e) { return e.callee.rfind(prefix, 0) == 0; });
      f.edges.insert(f.edges.end(), bound.begin(), bound.end());
    }
  }

  /// Outermost loops that request the next event, directly or through the functions
  /// they call. A loop that merely restarts an unbounded runtime loop found deeper
  /// (a supervisor around `run()`) is not itself the event loop.
  std::vector<std::string> runtimeLoops() const {
    std::map<std::string, int> memo; // 0 unknown / in progress, 1 no, 2 yes
    std::function<bool(const std::string &)> reachesMarker = [&](const std::string &id) -> bool {
      auto it = memo.find(id);
      if (it != memo.end()) return it->second == 2;
      memo[id] = 1; // provisional: cycles do not reach through themselves
      const FunctionFacts *f = node(id);
      bool yes = false;
      if (f) {
        yes = f->mentionsNextUrl;
        for (const Edge &e : f->edges) {
          if (yes) break;
          if (!e.once) {
            std::vector<std::string> ts;
            targets(e.callee, ts);
            for (const std::string &t : ts) yes = yes || reachesMarker(t);
          }
        }
      }
      memo[id] = yes ? 2 : 1;
      return yes;
    };
    std::vector<std::string> candidates;
    for (const auto &[id, f] : nodes_)
      if (f.nodeKind == "loop" && reachesMarker(id)) candidates.push_back(id);
    std::set<std::string> candidateSet(candidates.begin(), candidates.end());
    std::vector<std::string> loops;
    for (const std::string &id : candidates) {
      // Does this loop reach another candidate loop that never ends?
      std::set<std::string> seen{id};
      std::deque<std::string> work{id};
      bool wrapsAnother = false;
      while (!work.empty() && !wrapsAnother) {
        const FunctionFacts *f = node(work.front());
        work.pop_front();
        if (!f) continue;
        for (const Edge &e : f->edges) {
          if (e.once) continue;
          std::vector<std::string> ts;
          targets(e.callee, ts);
          for (const std::string &t : ts) {
            if (!seen.insert(t).second) continue;
            if (candidateSet.count(t) && nodes_.at(t).unboundedLoop) wrapsAnother = true;
            work.push_back(t);
          }
        }
      }
      if (!wrapsAnother) loops.push_back(id);
    }
    return loops;
  }

  void computeReach() {
    std::deque<std::string> work;
    for (size_t i = 0; i < handlers_.size(); ++i) {
      if (pred_.count(handlers_[i].id)) continue;
      pred_[handlers_[i].id] = Pred{"", EdgeKind::Call, {}, i};
      work.push_back(handlers_[i].id);
      order_.push_back(handlers_[i].id);
    }
    // Edges conditional on a caller (calls through a parameter) wait until that caller
    // is reached too.
    std::map<std::string, std::vector<std::pair<std::string, const Edge *>>> waiting;
    auto follow = [&](const std::string &id, const Edge &e) {
      size_t handler = pred_.at(id).handler;
      std::vector<std::string> ts;
      targets(e.callee, ts);
      for (const std::string &t : ts) {
        if (pred_.count(t) || !nodes_.count(t)) continue;
        pred_[t] = Pred{id, e.kind, e.loc, handler, t != e.callee && e.callee.rfind(kUnresolvedCallee, 0) != 0};
        work.push_back(t);
        order_.push_back(t);
      }
    };
    // A node whose per-invocation run starts inside its own function (a custom
    // runtime's event loop, reached from the loop entry through loop nodes only) got
    // its parameters from whoever called that function before the loop: every caller's
    // callable runs per invocation, so edges waiting on those callers are released.
    auto startsInside = [&](std::string id) {
      for (;;) {
        const Pred &p = pred_.at(id);
        if (p.from.empty()) return handlers_[p.handler].how == "runtime-loop";
        if (p.kind != EdgeKind::Loop) return false;
        id = p.from;
      }
    };
    for (;;) {
      while (!work.empty()) {
        std::string id = work.front();
        work.pop_front();
        if (auto w = waiting.find(id); w != waiting.end()) {
          auto ready = std::move(w->second);
          waiting.erase(w);
          for (auto &[from, e] : ready) follow(from, *e);
        }
        const FunctionFacts *f = node(id);
        if (!f) continue;
        for (const Edge &e : f->edges) {
          if (e.once) continue;
          if (!e.caller.empty() && !pred_.count(e.caller)) {
            waiting[e.caller].push_back({id, &e});
            continue;
          }
          follow(id, e);
        }
      }
      bool released = false;
      for (auto w = waiting.begin(); w != waiting.end(); ++w)
        for (auto it = w->second.begin(); it != w->second.end();)
          if (startsInside(it->first)) {
            follow(it->first, *it->second);
            it = w->second.erase(it);
            released = true;
          } else {
            ++it;
          }
      if (!released) break;
    }
  }

  std::map<std::string, FunctionFacts> nodes_;
  std::vector<HandlerEntry> rawEntries_;
  std::vector<FactsError> errors_;
  std::vector<Handler> handlers_;
  std::map<std::string, std::vector<std::string>> overriders_;
  std::map<std::string, std::set<std::string>> byName_; ///< function ids by each name a call may use
  std::unordered_map<std::string, Pred> pred_;
  std::vector<std::string> order_;
};

} // namespace coldstart
