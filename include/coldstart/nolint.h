// NOLINT, NOLINTNEXTLINE and NOLINTBEGIN/NOLINTEND, with clang-tidy's semantics:
// - no parentheses (or an unclosed one) suppresses every check; `NOLINT()` none;
// - the list is comma-separated globs, whitespace ignored, negative globs ignored;
// - a BEGIN is closed by the next END with the same check list; unmatched BEGIN or
//   END comments are errors and suppress nothing.
#pragma once

#include "coldstart/globs.h"

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coldstart {

class NoLintIndex {
public:
  enum class Type { NoLint, NextLine, Begin, End };

  struct Token {
    Type type;
    size_t pos;
    std::optional<std::string> checks; ///< nullopt: all checks
    bool suppresses(std::string_view check) const {
      if (!checks) return true;
      return GlobList(*checks, /*keepNegative=*/false).contains(check);
    }
  };

  struct Problem {
    size_t pos;
    std::string message;
  };

  explicit NoLintIndex(std::string_view text) : text_(text) {
    std::vector<Token> all = tokens(text);
    std::vector<Token> stack;
    for (Token &t : all) {
      if (t.type == Type::Begin) stack.push_back(t);
      else if (t.type == Type::End) {
        if (!stack.empty() && stack.back().checks == t.checks) {
          blocks_.push_back({stack.back(), t.pos});
          stack.pop_back();
        } else {
          problems_.push_back({t.pos, "unmatched 'NOLINTEND' comment without a previous 'NOLINTBEGIN' comment"});
        }
      }
    }
    for (const Token &t : stack)
      problems_.push_back({t.pos, "unmatched 'NOLINTBEGIN' comment without a subsequent 'NOLINTEND' comment"});
  }

  /// Whether a finding of `check` at byte `offset` is suppressed.
  bool suppressed(size_t offset, std::string_view check) const {
    if (offset > text_.size()) return false;
    auto [start, end] = lineAround(offset);
    for (const Token &t : tokens(text_.substr(start, end - start)))
      if (t.type == Type::NoLint && t.suppresses(check)) return true;
    if (start > 0) {
      auto [ps, pe] = lineAround(start - 1);
      for (const Token &t : tokens(text_.substr(ps, pe - ps)))
        if (t.type == Type::NextLine && t.suppresses(check)) return true;
    }
    for (const Block &b : blocks_)
      if (b.begin.pos < offset && offset < b.end && b.begin.suppresses(check)) return true;
    return false;
  }

  const std::vector<Problem> &problems() const { return problems_; }

  static std::vector<Token> tokens(std::string_view buf) {
    static constexpr std::string_view kNoLint = "NOLINT";
    std::vector<Token> out;
    size_t pos = 0;
    while (pos < buf.size()) {
      size_t at = buf.find(kNoLint, pos);
      if (at == std::string_view::npos) break;
      pos = at + kNoLint.size();
      while (pos < buf.size() && std::isalpha(static_cast<unsigned char>(buf[pos]))) ++pos;
      std::string_view word = buf.substr(at, pos - at);
      Type type;
      if (word == "NOLINT") type = Type::NoLint;
      else if (word == "NOLINTNEXTLINE") type = Type::NextLine;
      else if (word == "NOLINTBEGIN") type = Type::Begin;
      else if (word == "NOLINTEND") type = Type::End;
      else continue;
      std::optional<std::string> checks;
      if (pos < buf.size() && buf[pos] == '(') {
        size_t close = buf.find_first_of("\n)", pos + 1);
        if (close != std::string_view::npos && buf[close] == ')') {
          std::string list;
          for (std::string_view item : split(buf.substr(pos + 1, close - pos - 1))) {
            if (!list.empty()) list += ",";
            list += trim(item);
          }
          checks = list;
          pos = close + 1;
        }
      }
      out.push_back({type, at, checks});
    }
    return out;
  }

private:
  struct Block {
    Token begin;
    size_t end;
  };

  static std::vector<std::string_view> split(std::string_view s) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
      size_t comma = s.find(',', start);
      parts.push_back(s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    return parts;
  }

  /// [start, end) of the line containing byte `offset` (end excludes the newline).
  std::pair<size_t, size_t> lineAround(size_t offset) const {
    size_t start = 0;
    if (offset > 0) {
      size_t nl = text_.rfind('\n', offset - 1);
      if (nl != std::string_view::npos) start = nl + 1;
    }
    size_t end = text_.find('\n', offset);
    if (end == std::string_view::npos) end = text_.size();
    return {start, end};
  }

  std::string_view text_;
  std::vector<Block> blocks_;
  std::vector<Problem> problems_;
};

} // namespace coldstart
