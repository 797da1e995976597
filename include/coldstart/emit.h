// What every emitter shares: the tool's name, how paths are shown, the run's errors,
// and the notes that explain a finding (its handler and call path). The emitters are
// under emit/: text.h (compiler-style), json.h, init_report.h, sarif.h, github.h;
// contracts in design.md.
#pragma once

#include "coldstart/check.h"
#include "coldstart/source.h"

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

/// The git work tree around the working directory (the nearest directory upward with a
/// .git), else the working directory: what SARIF and GitHub paths are relative to.
inline std::string repositoryRoot() {
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  for (std::filesystem::path p = cwd; !p.empty(); p = p.parent_path()) {
    if (std::filesystem::exists(p / ".git", ec)) return p.string();
    if (p == p.root_path()) break;
  }
  return cwd.string();
}

struct RunErrors {
  struct Error {
    std::string file;
    std::string message; ///< one line: "<file>: <what>[: <where>: <detail>]"
    /// Where the compiler put the error, with what it said, when there is such a place
    /// (a file that does not compile): printed compiler-style, `file:line:col: error: ...`.
    Loc where = {};
    std::string what = {}, detail = {};
  };
  std::vector<Error> list;
  void add(std::string file, std::string message) { add(Error{std::move(file), std::move(message)}); }
  void add(Error error) {
    for (const Error &e : list)
      if (e.file == error.file && e.message == error.message) return;
    list.push_back(std::move(error));
  }
  bool empty() const { return list.empty(); }
};

/// A message as one line of compiler-style output: a raw newline (a multi-line string
/// literal quoted from the source) would split one diagnostic over several lines.
inline std::string oneLine(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (char c : message) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out;
}

/// An error as a line on stderr: compiler-style where it has a place (so that vim's
/// errorformat and VS Code's $gcc matcher pick it up), else "coldstart-lint: error: ...".
inline std::string errorLine(const RunErrors::Error &e) {
  if (e.where.valid() && !e.detail.empty())
    return displayPath(e.where.file) + ":" + std::to_string(e.where.line) + ":" + std::to_string(e.where.col) +
           ": error: " + oneLine(e.detail) + "; " + displayPath(e.file) + " " + e.what +
           ", so coldstart-lint did not analyse it";
  return "coldstart-lint: error: " + oneLine(e.message);
}

inline std::string edgeVerb(EdgeKind k) {
  switch (k) {
  case EdgeKind::Call:
    return "calls";
  case EdgeKind::Construct:
    return "constructs";
  case EdgeKind::Destruct:
    return "destroys";
  case EdgeKind::Lambda:
    return "creates";
  case EdgeKind::Reference:
    return "passes";
  case EdgeKind::Loop:
    return "loops into";
  }
  return "calls";
}

/// The notes that explain why a finding runs per invocation.
inline std::vector<Note> explanationNotes(const Finding &f) {
  std::vector<Note> notes;
  if (f.hasHandler) {
    const Handler &h = f.handler;
    std::string msg;
    if (h.how == "runtime-loop") msg = "this loop runs once per invocation: it " + h.detail;
    else if (h.how == "handler-signature") msg = quotedName(h.name) + " runs on every invocation: it " + h.detail;
    else if (h.how == "config") msg = quotedName(h.name) + " runs on every invocation: it is " + h.detail;
    else msg = quotedName(h.name) + " runs on every invocation: it is the handler " + h.detail + " here";
    notes.push_back({h.registration, msg});
    for (const PathStep &s : f.path) {
      std::string callee = s.callee;
      if (s.kind == EdgeKind::Construct) {
        auto pos = callee.rfind("::");
        if (pos != std::string::npos) callee = callee.substr(0, pos); // "Svc::Svc" -> "Svc"
      }
      if (s.dispatch) // an override: which one runs depends on the object's dynamic type
        notes.push_back(
            {s.loc, quotedName(s.function) + " may call " + quotedName(callee) + " here, through a virtual call"});
      else
        notes.push_back({s.loc, quotedName(s.function) + " " + edgeVerb(s.kind) + " " + quotedName(callee) + " here"});
    }
  }
  for (const Note &n : f.notes) notes.push_back(n);
  return notes;
}

} // namespace coldstart
