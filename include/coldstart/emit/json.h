// The JSON document (--format=json): findings, errors and incomplete analyses.
#pragma once

#include "coldstart/check.h"
#include "coldstart/emit.h"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace coldstart {

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
    else j["handler"] = nullptr;
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

} // namespace coldstart
