// Check-name globs with clang-tidy's syntax: "coldstart-*,-coldstart-blocking-call".
// Comma-separated, `*` matches any run of characters, a leading `-` removes, and the
// last glob that matches a name decides.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace coldstart {

inline bool globMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, starP = std::string_view::npos, starT = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      starP = p++;
      starT = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (starP != std::string_view::npos) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

inline std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

class GlobList {
public:
  struct Glob {
    bool positive = true;
    std::string pattern;
  };

  GlobList() = default;
  explicit GlobList(std::string_view text, bool keepNegative = true) {
    size_t start = 0;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      std::string item =
          trim(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (!item.empty()) {
        Glob g;
        if (item[0] == '-') {
          g.positive = false;
          item = trim(std::string_view(item).substr(1));
        }
        g.pattern = item;
        if (!g.pattern.empty() && (g.positive || keepNegative)) globs_.push_back(g);
      }
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }

  /// Whether `name` is selected: the last matching glob decides; none matching means no.
  bool contains(std::string_view name) const {
    bool result = false;
    for (const Glob &g : globs_)
      if (globMatch(g.pattern, name)) result = g.positive;
    return result;
  }

  const std::vector<Glob> &globs() const { return globs_; }
  bool empty() const { return globs_.empty(); }

private:
  std::vector<Glob> globs_;
};

} // namespace coldstart
