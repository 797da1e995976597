// Positions and paths as editors and SARIF want them: UTF-16 columns counted through
// the line's text (the analysis counts bytes), and file URIs with percent-encoding.
// Shared by the LSP server and the SARIF emitter, below both.
#pragma once

#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>

namespace coldstart {

/// Byte column (1-based) to UTF-16 code units before it (0-based), on `line`.
inline unsigned utf16Column(std::string_view line, unsigned byteCol) {
  unsigned units = 0;
  size_t limit = byteCol > 0 ? byteCol - 1 : 0;
  for (size_t i = 0; i < line.size() && i < limit;) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > line.size()) len = 1; // truncated sequence: one unit per byte
    units += len == 4 ? 2 : 1;
    i += len;
  }
  return units;
}

/// UTF-16 character offset (0-based) to a byte offset in `line`.
inline size_t byteOffsetOfUtf16(std::string_view line, unsigned character) {
  unsigned units = 0;
  size_t i = 0;
  while (i < line.size() && units < character) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > line.size()) len = 1;
    units += len == 4 ? 2 : 1;
    i += len;
  }
  return i;
}

inline std::string uriToPath(const std::string &uri) {
  std::string p = uri.rfind("file://", 0) == 0 ? uri.substr(7) : uri;
  std::string out;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '%' && i + 2 < p.size() && std::isxdigit(static_cast<unsigned char>(p[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(p[i + 2]))) {
      out += static_cast<char>(std::stoi(p.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += p[i];
    }
  }
  return out;
}

/// Percent-encodes a path for a URI (RFC 3986 unreserved characters and '/' kept).
inline std::string uriPath(const std::string &path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

inline std::string pathToUri(const std::string &path) { return "file://" + uriPath(path); }

} // namespace coldstart
