// Compiler-style text (file:line:col: warning: ... [check]) with the source line, a caret
// and the notes of the handler and call path.
#pragma once

#include "coldstart/check.h"
#include "coldstart/emit.h"
#include "coldstart/source.h"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace coldstart {

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
         << severity << ": " << c("\033[0m") << c("\033[1m") << oneLine(message) << c("\033[0m") << "\n";
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

} // namespace coldstart
