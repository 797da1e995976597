// .coldstart-lint.yaml: found upward from each analysed file (or given with --config).
//
//   Checks: 'coldstart-*,-coldstart-blocking-call'
//   HandlerNames: [handle_order, 'app::Router::dispatch']
//   Severity: { coldstart-client-per-invocation: error }
//   HeaderFilterRegex: '.*/src/.*'
//   WarningsAsErrors: 'coldstart-client-per-invocation'
//   CheckOptions: { coldstart-heavy-static-init.LargeContainerThreshold: 1000 }
//   Catalog:                  # same schema as the tables in catalog/
//     Classes:
//       - { Name: 'acme::HttpClient', Kind: client, Cost: '...', Instead: '...' }
//
// Parsed with LLVM's YAML IO: unknown keys and bad values are errors naming the
// file, line and column.
#pragma once

#include "coldstart/catalog.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace coldstart {

inline constexpr const char *kConfigFileName = ".coldstart-lint.yaml";

struct Config {
  std::string origin; ///< the file it came from; empty for built-in defaults
  std::string text;   ///< its content (for cache keys)
  std::optional<std::string> checks;
  std::vector<std::string> handlerNames;
  std::map<std::string, std::string> severity;
  std::optional<std::string> headerFilterRegex;
  std::optional<std::string> excludeHeaderFilterRegex;
  std::optional<std::string> warningsAsErrors;
  std::map<std::string, std::string> checkOptions; ///< "<check>.<Option>": value
  CatalogTable catalog;
};

} // namespace coldstart

LLVM_YAML_IS_STRING_MAP(std::string)

namespace llvm::yaml {
template <> struct MappingTraits<coldstart::Config> {
  static void mapping(IO &io, coldstart::Config &c) {
    io.mapOptional("Checks", c.checks);
    io.mapOptional("HandlerNames", c.handlerNames);
    io.mapOptional("Severity", c.severity);
    io.mapOptional("HeaderFilterRegex", c.headerFilterRegex);
    io.mapOptional("ExcludeHeaderFilterRegex", c.excludeHeaderFilterRegex);
    io.mapOptional("WarningsAsErrors", c.warningsAsErrors);
    io.mapOptional("CheckOptions", c.checkOptions);
    io.mapOptional("Catalog", c.catalog);
  }
  static std::string validate(IO &, coldstart::Config &c) {
    for (const auto &[check, sev] : c.severity)
      if (sev != "warning" && sev != "error")
        return "Severity of '" + check + "' must be 'warning' or 'error', not '" + sev + "'";
    return {};
  }
};
} // namespace llvm::yaml

namespace coldstart {

/// Parses config text. `origin` names it in errors.
inline bool parseConfig(const std::string &text, const std::string &origin, Config &out, std::string &error) {
  out = Config{};
  out.origin = origin;
  if (text.find('\0') != std::string::npos) {
    error = origin + ": not a YAML file (binary content)";
    return false;
  }
  if (llvm::StringRef(text).trim().empty()) return true;
  if (!parseYaml(text, origin, out, error)) return false;
  out.origin = origin;
  out.text = text;
  return true;
}

inline bool loadConfigFile(const std::string &path, Config &out, std::string &error) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    error = path +
            ": cannot read config file: " + (std::filesystem::exists(path, ec) ? "not a regular file" : "no such file");
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot read config file";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parseConfig(ss.str(), path, out, error);
}

/// The nearest .coldstart-lint.yaml in the directory of `file` or above it.
inline std::optional<std::string> findConfigFor(const std::string &file) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(file, ec);
  if (ec) return std::nullopt;
  for (std::filesystem::path dir = p.parent_path(); !dir.empty(); dir = dir.parent_path()) {
    std::filesystem::path candidate = dir / kConfigFileName;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    if (dir == dir.root_path()) break;
  }
  return std::nullopt;
}

} // namespace coldstart
