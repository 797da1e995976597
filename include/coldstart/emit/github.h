// GitHub Actions workflow commands (--format=github): one annotation per finding.
#pragma once

#include "coldstart/check.h"
#include "coldstart/emit.h"

#include <ostream>
#include <string>
#include <vector>

namespace coldstart {

/// GitHub Actions workflow commands: one `::warning` / `::error` line per finding,
/// shown as annotations on the pull request.
inline void emitGithub(std::ostream &out, const std::vector<Finding> &findings) {
  auto escapeData = [](const std::string &s) {
    std::string o;
    for (char c : s) {
      if (c == '%') o += "%25";
      else if (c == '\r') o += "%0D";
      else if (c == '\n') o += "%0A";
      else o += c;
    }
    return o;
  };
  auto escapeProperty = [&](const std::string &s) {
    std::string o;
    for (char c : escapeData(s)) {
      if (c == ':') o += "%3A";
      else if (c == ',') o += "%2C";
      else o += c;
    }
    return o;
  };
  for (const Finding &f : findings) {
    out << "::" << (f.severity == "error" ? "error" : "warning") << " file=" << escapeProperty(displayPath(f.loc.file))
        << ",line=" << f.loc.line << ",col=" << f.loc.col << ",title=" << escapeProperty(f.check)
        << "::" << escapeData(f.message) << "\n";
  }
}

} // namespace coldstart
