// Emitters: compiler-style text and the JSON document (contracts in design.md).
#pragma once

#include "coldstart/check.h"
#include "coldstart/source.h"
#include "coldstart/static_init.h"

#include <array>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace coldstart {

inline constexpr const char *kToolName = "coldstart-lint";

/// How paths are shown: relative to the working directory when the file is inside
/// it, absolute otherwise.
inline std::string displayPath(const std::string &file) {
  std::error_code ec;
  static const std::string cwd = [] {
    std::error_code e;
    std::string c = std::filesystem::current_path(e).string();
    return c.empty() || c.back() == '/' ? c : c + "/";
  }();
  if (!cwd.empty() && file.rfind(cwd, 0) == 0) return file.substr(cwd.size());
  return file;
}

struct RunErrors {
  struct Error {
    std::string file;
    std::string message;
  };
  std::vector<Error> list;
  void add(std::string file, std::string message) {
    for (const Error &e : list)
      if (e.file == file && e.message == message) return;
    list.push_back({std::move(file), std::move(message)});
  }
  bool empty() const { return list.empty(); }
};

inline std::string edgeVerb(EdgeKind k) {
  switch (k) {
  case EdgeKind::Call: return "calls";
  case EdgeKind::Construct: return "constructs";
  case EdgeKind::Destruct: return "destroys";
  case EdgeKind::Lambda: return "creates";
  case EdgeKind::Reference: return "passes";
  case EdgeKind::Loop: return "loops into";
  }
  return "calls";
}

/// The notes that explain why a finding runs per invocation.
inline std::vector<Note> explanationNotes(const Finding &f) {
  std::vector<Note> notes;
  if (f.hasHandler) {
    const Handler &h = f.handler;
    std::string msg;
    if (h.how == "runtime-loop")
      msg = "this loop runs once per invocation: it " + h.detail;
    else if (h.how == "handler-signature")
      msg = quotedName(h.name) + " runs on every invocation: it " + h.detail;
    else if (h.how == "config")
      msg = quotedName(h.name) + " runs on every invocation: it is " + h.detail;
    else
      msg = quotedName(h.name) + " runs on every invocation: it is the handler " + h.detail + " here";
    notes.push_back({h.registration, msg});
    for (const PathStep &s : f.path) {
      std::string callee = s.callee;
      if (s.kind == EdgeKind::Construct) {
        auto pos = callee.rfind("::");
        if (pos != std::string::npos) callee = callee.substr(0, pos); // "Svc::Svc" -> "Svc"
      }
      if (s.dispatch) // an override: which one runs depends on the object's dynamic type
        notes.push_back({s.loc, quotedName(s.function) + " may call " + quotedName(callee) + " here, through a virtual call"});
      else
        notes.push_back({s.loc, quotedName(s.function) + " " + edgeVerb(s.kind) + " " + quotedName(callee) + " here"});
    }
  }
  for (const Note &n : f.notes) notes.push_back(n);
  return notes;
}

class TextEmitter {
public:
  TextEmitter(std::ostream &out, SourceCache &sources, bool color) : out_(out), src_(sources), color_(color) {}

  void emit(const std::vector<Finding> &findings) {
    for (const Finding &f : findings) {
      line(f.loc, f.severity, f.message + " [" + f.check + "]");
      snippet(f.loc);
      for (const Note &n : explanationNotes(f)) line(n.loc, "note", n.message);
      for (const Fix &fix : f.fixes)
        if (!fix.replacements.empty()) {
          const Replacement &r = fix.replacements.front();
          Loc l{r.file, r.line, r.col, r.offset};
          line(l, "note", "fix available: " + fix.description + " (apply with --fix)");
        }
    }
  }

private:
  const char *c(const char *code) const { return color_ ? code : ""; }

  void line(const Loc &l, const std::string &severity, const std::string &message) {
    const char *sevColor = severity == "error" ? "\033[1;31m" : severity == "warning" ? "\033[1;35m" : "\033[1;36m";
    out_ << c("\033[1m") << displayPath(l.file) << ":" << l.line << ":" << l.col << ": " << c("\033[0m") << c(sevColor)
         << severity << ": " << c("\033[0m") << c("\033[1m") << message << c("\033[0m") << "\n";
  }

  void snippet(const Loc &l) {
    std::string_view text = src_.line(l.file, l.line);
    if (text.empty() && l.line == 0) return;
    std::string num = std::to_string(l.line);
    std::string pad(std::max<size_t>(num.size(), 4), ' ');
    std::string gutter = std::string(pad.size() - num.size(), ' ') + num;
    out_ << " " << gutter << " | " << text << "\n";
    std::string caret;
    for (size_t i = 0; i + 1 < l.col && i < text.size(); ++i) caret += text[i] == '\t' ? '\t' : ' ';
    out_ << " " << pad << " | " << c("\033[1;32m") << caret << "^" << c("\033[0m") << "\n";
  }

  std::ostream &out_;
  SourceCache &src_;
  bool color_;
};

/// The start of every JSON document we print: {"version": 1, "tool": {...}}.
inline nlohmann::ordered_json jsonDocument(const std::string &version) {
  nlohmann::ordered_json doc;
  doc["version"] = 1;
  doc["tool"] = nlohmann::ordered_json{{"name", kToolName}, {"version", version}};
  return doc;
}

/// "notes": files analysed without some of their headers, so findings may be missing.
inline nlohmann::ordered_json jsonIncomplete(const std::vector<IncompleteAnalysis> &incomplete) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const IncompleteAnalysis &ia : incomplete)
    list.push_back(nlohmann::ordered_json{{"file", displayPath(ia.file)},
                                          {"message", ia.message},
                                          {"missingHeaders", ia.missing},
                                          {"errorsSetAside", ia.errorsSetAside}});
  return list;
}

inline nlohmann::ordered_json jsonErrors(const RunErrors &errors) {
  nlohmann::ordered_json errs = nlohmann::ordered_json::array();
  for (const auto &e : errors.list)
    errs.push_back(nlohmann::ordered_json{{"file", displayPath(e.file)}, {"message", e.message}});
  return errs;
}

inline nlohmann::ordered_json jsonPath(const std::vector<PathStep> &steps) {
  nlohmann::ordered_json path = nlohmann::ordered_json::array();
  for (const PathStep &s : steps)
    path.push_back(nlohmann::ordered_json{
        {"function", s.function}, {"file", displayPath(s.loc.file)}, {"line", s.loc.line}, {"column", s.loc.col}});
  return path;
}

inline nlohmann::ordered_json findingsToJson(const std::vector<Finding> &findings, const RunErrors &errors,
                                             const std::string &version,
                                             const std::vector<IncompleteAnalysis> &incomplete = {}) {
  using nlohmann::ordered_json;
  ordered_json doc = jsonDocument(version);
  ordered_json list = ordered_json::array();
  for (const Finding &f : findings) {
    ordered_json j;
    j["check"] = f.check;
    j["severity"] = f.severity;
    j["file"] = displayPath(f.loc.file);
    j["line"] = f.loc.line;
    j["column"] = f.loc.col;
    j["message"] = f.message;
    if (f.hasHandler)
      j["handler"] = ordered_json{{"name", f.handler.name},
                                  {"file", displayPath(f.handler.definition.file)},
                                  {"line", f.handler.definition.line}};
    else
      j["handler"] = nullptr;
    j["path"] = jsonPath(f.path);
    ordered_json fixes = ordered_json::array();
    for (const Fix &fix : f.fixes)
      for (const Replacement &r : fix.replacements)
        fixes.push_back(ordered_json{{"file", displayPath(r.file)},
                                     {"offset", r.offset},
                                     {"length", r.length},
                                     {"replacement", r.text},
                                     {"line", r.line},
                                     {"column", r.col}});
    j["fixes"] = fixes;
    list.push_back(j);
  }
  doc["findings"] = list;
  doc["errors"] = jsonErrors(errors);
  doc["notes"] = jsonIncomplete(incomplete);
  return doc;
}

/// --init-report: every dynamic initialiser with its cost class, costliest first.
inline void printInitReportText(std::ostream &out, const std::vector<StaticInit> &inits) {
  if (inits.empty()) {
    out << "No dynamic initialisers: nothing runs before main.\n";
    return;
  }
  out << "Dynamic initialisers, costliest first (they run before main in every new execution environment):\n\n";
  std::vector<std::array<std::string, 4>> rows = {{"COST", "VARIABLE", "LOCATION", "REASON"}};
  for (const StaticInit &si : inits) {
    std::string cost = si.sdkObject.empty() ? initCostName(si.cost) : "sdk-lifetime";
    std::string lifetime = si.node->attrs.count("thread_local")      ? "thread storage (may be built before Aws::InitAPI)"
                           : si.node->attrs.count("never-destroyed") ? "static storage (built before Aws::InitAPI)"
                                                                     : "static storage (outlives Aws::ShutdownAPI)";
    std::string reason = si.sdkObject.empty() ? si.reason : "holds '" + si.sdkObject + "' with " + lifetime;
    rows.push_back({cost, si.variable,
                    displayPath(si.node->loc.file) + ":" + std::to_string(si.node->loc.line) + ":" +
                        std::to_string(si.node->loc.col),
                    reason});
  }
  std::array<size_t, 3> width{};
  for (const auto &r : rows)
    for (size_t i = 0; i < 3; ++i) width[i] = std::max(width[i], r[i].size());
  for (const auto &r : rows) {
    out << "  ";
    for (size_t i = 0; i < 3; ++i) out << r[i] << std::string(width[i] - r[i].size() + 2, ' ');
    out << r[3] << "\n";
  }
}

inline nlohmann::ordered_json initReportToJson(const std::vector<StaticInit> &inits, const RunErrors &errors,
                                               const std::string &version) {
  using nlohmann::ordered_json;
  ordered_json doc = jsonDocument(version);
  ordered_json list = ordered_json::array();
  for (const StaticInit &si : inits) {
    list.push_back(ordered_json{{"variable", si.variable},
                                {"type", si.type},
                                {"file", displayPath(si.node->loc.file)},
                                {"line", si.node->loc.line},
                                {"column", si.node->loc.col},
                                {"cost", si.sdkObject.empty() ? initCostName(si.cost) : "sdk-lifetime"},
                                {"reason", si.reason},
                                {"sdkObject", si.sdkObject.empty() ? ordered_json(nullptr) : ordered_json(si.sdkObject)},
                                {"path", jsonPath(si.path)}});
  }
  doc["initializers"] = list;
  doc["errors"] = jsonErrors(errors);
  return doc;
}

} // namespace coldstart
