// Static initialisers: what each dynamic initialiser of a namespace-scope or static
// data member variable costs, found by following its calls (all of them: a
// once-only region inside an initialiser still runs at start-up) to the costliest
// site. Used by coldstart-heavy-static-init and by --init-report.
#pragma once

#include "coldstart/catalog.h"
#include "coldstart/link.h"

#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace coldstart {

/// Cost classes, costliest first.
enum class InitCost { Network, Client, Blocking, Io, Regex, LargeContainer, Dynamic };

inline const char *initCostName(InitCost c) {
  switch (c) {
  case InitCost::Network:
    return "network";
  case InitCost::Client:
    return "client";
  case InitCost::Blocking:
    return "blocking";
  case InitCost::Io:
    return "io";
  case InitCost::Regex:
    return "regex";
  case InitCost::LargeContainer:
    return "large-container";
  case InitCost::Dynamic:
    return "dynamic";
  }
  return "dynamic";
}

struct StaticInit {
  const FunctionFacts *node = nullptr; ///< the static-init node
  std::string variable;                ///< qualified name
  std::string type;
  InitCost cost = InitCost::Dynamic;
  std::string reason;            ///< "initialiser calls load(), which opens ..."
  std::vector<PathStep> path;    ///< from the initialiser to the costly site
  const Site *site = nullptr;    ///< the costly site, if any
  std::string sdkObject;         ///< AWS SDK class held with static storage, if any
  std::set<std::string> reached; ///< every node the initialiser runs (its own included)
};

inline bool hasCatalogTag(const Catalog &catalog, const Site &s, const char *tag) {
  if (const CatalogClass *c = catalog.classEntry(s.entry); c && s.form != "call")
    return std::find(c->tags.begin(), c->tags.end(), tag) != c->tags.end();
  if (const CatalogFunction *f = catalog.functionEntry(s.entry))
    return std::find(f->tags.begin(), f->tags.end(), tag) != f->tags.end();
  return false;
}

/// The cost class of one site, if it is a cost at start-up.
inline std::optional<InitCost> siteCost(const Site &s, unsigned largeThreshold) {
  if (s.kind == "network") return InitCost::Network;
  if (s.kind == "client" || s.kind == "sdk-init") return InitCost::Client;
  if (s.kind == "sleep" || s.kind == "spawn" || s.kind == "wait") return InitCost::Blocking;
  if (s.kind == "io") return InitCost::Io;
  if (s.kind == "regex") return InitCost::Regex;
  if (s.kind == "large-container") {
    auto it = s.data.find("elements");
    if (it != s.data.end() && std::stoul(it->second) >= largeThreshold) return InitCost::LargeContainer;
  }
  return std::nullopt;
}

/// What a site does, as a clause: "opens a file with std::ifstream ("rules.json")".
inline std::string describeSite(const Catalog &catalog, const Site &s) {
  auto arg = s.data.find("arg");
  std::string argText = arg != s.data.end() && !arg->second.empty() ? " (" + arg->second + ")" : "";
  if (s.kind == "large-container") return "builds a container from " + s.data.at("elements") + " initialiser elements";
  if (s.kind == "sleep") {
    auto ms = s.data.find("ms");
    return "sleeps" + (ms != s.data.end() ? " " + ms->second + " ms" : std::string()) + " in " + s.subject;
  }
  if (s.kind == "client" || s.kind == "sdk-init") {
    if (s.form == "call") return "calls " + s.subject + "()" + argText;
    std::string what;
    if (const CatalogClass *c = catalog.classEntry(s.entry)) what = c->what;
    return "constructs '" + s.subject + "'" + (what.empty() ? "" : " (" + what + ")");
  }
  std::string what;
  if (s.form == "call") {
    if (const CatalogFunction *f = catalog.functionEntry(s.entry)) what = f->what;
  } else if (const CatalogClass *c = catalog.classEntry(s.entry)) {
    what = c->what;
  }
  if (what.empty()) what = (s.form == "call" ? "calls " : "constructs ") + s.subject;
  return what + argText;
}

/// Every dynamic initialiser in the program, with its cost, costliest first.
inline std::vector<StaticInit> analyseStaticInits(const Program &program, const Catalog &catalog,
                                                  unsigned largeThreshold) {
  std::vector<StaticInit> out;
  for (const auto &[id, node] : program.nodes()) {
    if (node.nodeKind != "static-init") continue;
    bool dynamic = node.attrs.count("dynamic-init") != 0;
    StaticInit si;
    si.node = &node;
    si.variable = node.name;
    si.type = node.attrs.count("type") ? node.attrs.at("type") : "";
    if (node.attrs.count("sdk-object")) si.sdkObject = node.attrs.at("sdk-object");
    // Breadth first over every edge, so that the path to the first costliest site is short.
    struct Pred {
      std::string from;
      PathStep step;
    };
    std::map<std::string, Pred> pred{{id, Pred{}}};
    std::deque<std::string> work{id};
    std::optional<InitCost> best;
    std::string bestNode;
    bool sdkFromSite = false;
    while (!work.empty()) {
      std::string cur = work.front();
      work.pop_front();
      const FunctionFacts *f = program.node(cur);
      if (!f) continue;
      for (const Site &s : f->sites) {
        auto c = siteCost(s, largeThreshold);
        if (!c) continue;
        if (cur == id && hasCatalogTag(catalog, s, "aws-sdk") && (s.kind == "client" || s.kind == "sdk-init") &&
            s.form != "call" && (si.sdkObject.empty() || node.attrs.count("sdk-pointer")) && !sdkFromSite)
          si.sdkObject = s.subject, sdkFromSite = true; // what a smart pointer is initialised with
        // A client that connects lazily (tag "lazy") costs nothing to construct.
        if (s.kind == "client" && hasCatalogTag(catalog, s, "lazy")) continue;
        if (!best || *c < *best) {
          best = c;
          bestNode = cur;
          si.site = &s;
        }
      }
      for (const Edge &e : f->edges) {
        // What runs during initialisation: calls, constructions, destructions, loops.
        // A lambda created or a function whose address is taken there does not run.
        if (e.kind == EdgeKind::Lambda || e.kind == EdgeKind::Reference) continue;
        if (!e.caller.empty() && !pred.count(e.caller)) continue; // passed by a call that does not run here
        if (pred.count(e.callee) || !program.node(e.callee)) continue;
        pred[e.callee] = Pred{cur, PathStep{f->name, program.node(e.callee)->name, e.kind, e.loc}};
        work.push_back(e.callee);
      }
    }
    if (!dynamic) continue; // constant initialisation: nothing runs at start-up
    for (const auto &[reachedId, p] : pred) si.reached.insert(reachedId);
    si.cost = best ? *best : InitCost::Dynamic;
    if (best) {
      for (std::string cur = bestNode; cur != id; cur = pred.at(cur).from)
        if (pred.at(cur).step.kind != EdgeKind::Loop) si.path.push_back(pred.at(cur).step);
      std::reverse(si.path.begin(), si.path.end());
      std::string reason = "initialiser ";
      for (size_t i = 0; i < si.path.size(); ++i) {
        const PathStep &p = si.path[i];
        std::string callee = p.callee;
        bool lambda = callee.rfind("lambda", 0) == 0;
        reason += (i == 0 ? "" : ", which ") + std::string(p.kind == EdgeKind::Construct ? "constructs " : "calls ") +
                  (lambda ? "a " + callee : callee + (p.kind == EdgeKind::Construct ? "" : "()"));
      }
      reason += (si.path.empty() ? "" : ", which ") + describeSite(catalog, *si.site);
      si.reason = reason;
    } else {
      si.reason = "dynamic initialisation with no known cost";
    }
    out.push_back(si);
  }
  std::stable_sort(out.begin(), out.end(), [](const StaticInit &a, const StaticInit &b) {
    return std::make_tuple(int(a.cost), a.node->loc) < std::make_tuple(int(b.cost), b.node->loc);
  });
  return out;
}

} // namespace coldstart
