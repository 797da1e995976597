// Findings and the interface every check implements.
//
// A check is a small class in checks/ that reads the linked program (link.h) and the
// catalog, and reports findings. Checks never touch clang: extraction has already
// turned the AST into facts, so a check is a few dozen lines over plain data.
#pragma once

#include "coldstart/catalog.h"
#include "coldstart/facts.h"
#include "coldstart/link.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace coldstart {

/// A function's printable name in quotes, unless it quotes a part itself
/// (`lambda 'make_handler'`, not `'lambda 'make_handler''`).
inline std::string quotedName(const std::string &name) {
  return name.find('\'') == std::string::npos ? "'" + name + "'" : name;
}

/// " (no fix: why)" for a finding on `site` when extraction considered a fix and said
/// in one clause why it offers none; empty otherwise.
inline std::string noFixClause(const Site &site) {
  auto why = site.data.find("nofix");
  return why != site.data.end() && site.fixes.empty() ? " (no fix: " + why->second + ")" : "";
}

struct Note {
  Loc loc;
  std::string message;
};

struct Finding {
  std::string check;
  std::string severity = "warning"; ///< "warning" or "error"
  Loc loc;
  std::string message;
  bool hasHandler = false;
  Handler handler;
  std::vector<PathStep> path;
  std::vector<Note> notes; ///< notes of the check's own (e.g. the loop around a sleep)
  std::vector<Fix> fixes;
  /// Checks whose finding at the same location this one replaces (one root cause is
  /// reported once, by the check that explains it best).
  std::vector<std::string> supersedes;
};

/// Drops findings that another finding at the same location supersedes.
inline void mergeSuperseded(std::vector<Finding> &findings) {
  std::vector<Finding> kept;
  for (const Finding &f : findings) {
    bool superseded = false;
    for (const Finding &o : findings)
      if (&o != &f && o.loc == f.loc &&
          std::find(o.supersedes.begin(), o.supersedes.end(), f.check) != o.supersedes.end())
        superseded = true;
    if (!superseded) kept.push_back(f);
  }
  findings.swap(kept);
}

inline bool findingLess(const Finding &a, const Finding &b) {
  return std::tie(a.loc.file, a.loc.line, a.loc.col, a.check, a.message) <
         std::tie(b.loc.file, b.loc.line, b.loc.col, b.check, b.message);
}

/// An option a check declares (Check::options), set in a config as
/// `CheckOptions: { <check-id>.<name>: <value> }`. The default lives only here.
struct CheckOption {
  std::string name;         ///< e.g. "LargeContainerThreshold"
  std::string defaultValue; ///< the value when no config sets it
  std::string description;  ///< one line
};

class Check;

/// The value of `check`'s option `name`: the configured "<check-id>.<name>" in
/// `configured`, else the default the check declares (empty if it declares none).
inline std::string checkOption(const Check &check, std::string_view name,
                               const std::map<std::string, std::string> &configured);

/// What a check sees.
class CheckContext {
public:
  CheckContext(const Program &program, const Catalog &catalog, std::vector<Finding> &out,
               std::map<std::string, std::string> options = {})
      : program_(program), catalog_(catalog), out_(out), options_(std::move(options)) {}

  /// `check`'s option `name`: the CheckOptions value ("<check-id>.<name>"), else its declared default.
  std::string option(const Check &check, std::string_view name) const { return checkOption(check, name, options_); }

  const Program &program() const { return program_; }
  const Catalog &catalog() const { return catalog_; }

  /// Calls `fn(node, site)` for every site that runs per invocation (in a node reached
  /// from a handler and not in a once-only region), in a deterministic order.
  /// Calls `fn(node, site)` for every site of every node, reachable or not.
  template <typename Fn> void forEachSite(Fn &&fn) const {
    for (const auto &[id, f] : program_.nodes())
      for (const Site &s : f.sites) fn(f, s);
  }

  /// Whether `site` in `node` runs per invocation.
  bool runsPerInvocation(const FunctionFacts &node, const Site &site) const {
    return !site.once && program_.isPerInvocation(node.id);
  }

  /// A finding that does not depend on a handler (settings, static initialisers). The
  /// site's fixes are not copied: they belong to whichever check the site was made for.
  Finding plainFinding(std::string_view check, const Site &site, std::string message) const {
    Finding f;
    f.check = std::string(check);
    f.loc = site.loc;
    f.message = std::move(message);
    return f;
  }

  template <typename Fn> void forEachPerInvocationSite(Fn &&fn) const {
    for (const std::string &id : program_.perInvocation()) {
      const FunctionFacts *f = program_.node(id);
      if (!f) continue;
      for (const Site &s : f->sites)
        if (!s.once) fn(*f, s);
    }
  }

  /// A finding at `site`, reached per invocation through `node`: handler and path filled in.
  Finding perInvocationFinding(std::string_view check, const FunctionFacts &node, const Site &site,
                               std::string message) const {
    Finding f;
    f.check = std::string(check);
    f.loc = site.loc;
    f.message = std::move(message);
    f.hasHandler = true;
    f.handler = program_.handlerOf(node.id);
    f.path = program_.pathTo(node.id);
    f.fixes = site.fixes;
    return f;
  }

  void report(Finding f) {
    for (const Finding &o : out_)
      if (o.check == f.check && o.loc == f.loc && o.message == f.message) return;
    out_.push_back(std::move(f));
  }

private:
  const Program &program_;
  const Catalog &catalog_;
  std::vector<Finding> &out_;
  std::map<std::string, std::string> options_;
};

class Check {
public:
  virtual ~Check() = default;
  /// The contract id, e.g. "coldstart-client-per-invocation".
  virtual std::string_view id() const = 0;
  /// One line for --list-checks.
  virtual std::string_view summary() const = 0;
  /// The check's documentation page (markdown), printed by --explain.
  virtual std::string_view doc() const = 0;
  /// The options the check reads (CheckContext::option), with their defaults.
  virtual std::vector<CheckOption> options() const { return {}; }
  virtual void run(CheckContext &ctx) const = 0;
};

inline std::string checkOption(const Check &check, std::string_view name,
                               const std::map<std::string, std::string> &configured) {
  if (auto it = configured.find(std::string(check.id()) + "." + std::string(name)); it != configured.end())
    return it->second;
  for (const CheckOption &o : check.options())
    if (o.name == name) return o.defaultValue;
  return {};
}

} // namespace coldstart
