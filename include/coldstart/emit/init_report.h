// The init report (--init-report): every dynamic initialiser that runs at cold start, as
// text or JSON.
#pragma once

#include "coldstart/emit.h"
#include "coldstart/emit/json.h"
#include "coldstart/static_init.h"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace coldstart {

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
    std::string lifetime = si.node->attrs.count("thread_local") ? "thread storage (may be built before Aws::InitAPI)"
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
    list.push_back(
        ordered_json{{"variable", si.variable},
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
