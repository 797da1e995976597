// GitHub Actions workflow commands (--format=github): one annotation per finding, one
// per file that could not be analysed, paths relative to the workspace.
#pragma once

#include "coldstart/check.h"
#include "coldstart/emit.h"

#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace coldstart {

/// GitHub shows at most this many annotations of each severity per step; the rest are
/// only in the log.
inline constexpr size_t kGithubAnnotationsPerStep = 10;

/// The root annotation paths are relative to: $GITHUB_WORKSPACE, else the repository
/// (the nearest directory upward from the working directory with a .git), else the
/// working directory.
inline std::string githubWorkspace() {
  std::error_code ec;
  if (const char *w = std::getenv("GITHUB_WORKSPACE"); w && *w) return std::filesystem::absolute(w, ec).string();
  return repositoryRoot();
}

class GithubEmitter {
public:
  GithubEmitter(std::ostream &out, std::string root) : out_(out), root_(std::move(root)) {
    while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  }

  /// Findings, then errors, then (when GitHub will not show them all) a summary notice.
  void emit(const std::vector<Finding> &findings, const RunErrors &errors) {
    size_t warnings = 0, errorCount = 0;
    for (const Finding &f : findings) {
      bool isError = f.severity == "error";
      ++(isError ? errorCount : warnings);
      annotation(isError ? "error" : "warning", f.loc, f.check, f.message + explanation(f));
    }
    for (const RunErrors::Error &e : errors.list) {
      ++errorCount;
      Loc where = e.where.valid() ? e.where : Loc{e.file, 0, 0, 0};
      std::string message = e.where.valid() && !e.detail.empty()
                                ? e.detail + "; " + relative(e.file) + " " + e.what + ", so it was not analysed"
                                : e.message;
      annotation("error", where, "coldstart-lint", message);
    }
    if (warnings > kGithubAnnotationsPerStep || errorCount > kGithubAnnotationsPerStep)
      out_ << "::notice title=coldstart-lint::" << warnings << (warnings == 1 ? " warning" : " warnings") << " and "
           << errorCount << (errorCount == 1 ? " error" : " errors") << "; GitHub shows at most "
           << kGithubAnnotationsPerStep
           << " of each per step as annotations: all are in this step's log (upload --format=sarif to code "
              "scanning to see them on the pull request)\n";
  }

  /// A path as GitHub wants it: relative to the workspace when inside it.
  std::string relative(const std::string &file) const {
    if (!root_.empty() && file.size() > root_.size() && file.compare(0, root_.size(), root_) == 0 &&
        file[root_.size()] == '/')
      return file.substr(root_.size() + 1);
    return displayPath(file);
  }

private:
  /// The handler and the call path, as lines after the message.
  std::string explanation(const Finding &f) const {
    std::string out;
    for (const Note &n : explanationNotes(f)) {
      out += "\n" + n.message;
      if (n.loc.valid()) out += " (" + relative(n.loc.file) + ":" + std::to_string(n.loc.line) + ")";
    }
    return out;
  }

  void annotation(const char *kind, const Loc &loc, const std::string &title, const std::string &message) {
    out_ << "::" << kind << " file=" << escapeProperty(relative(loc.file));
    if (loc.valid()) out_ << ",line=" << loc.line << ",col=" << loc.col;
    out_ << ",title=" << escapeProperty(title) << "::" << escapeData(message) << "\n";
  }

  static std::string escapeData(const std::string &s) {
    std::string o;
    for (char c : s) {
      if (c == '%') o += "%25";
      else if (c == '\r') o += "%0D";
      else if (c == '\n') o += "%0A";
      else o += c;
    }
    return o;
  }

  static std::string escapeProperty(const std::string &s) {
    std::string o;
    for (char c : escapeData(s)) {
      if (c == ':') o += "%3A";
      else if (c == ',') o += "%2C";
      else o += c;
    }
    return o;
  }

  std::ostream &out_;
  std::string root_;
};

} // namespace coldstart
