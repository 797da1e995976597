// What a run is configured with, loaded and validated in one place: the checks, the
// catalog (built-in tables plus every config's Catalog), the configs found for the
// files (or --config), and the command line's --checks and --warnings-as-errors.
//
// The CLI, the LSP server, the clang-tidy module and the fuzzer all build a Session;
// pipeline.h runs the checks under it. A config is validated when it is added, so a
// config the LSP server finds for a newly opened file is held to the same rules as
// one the CLI loads up front.
#pragma once

#include "coldstart/catalog.h"
#include "coldstart/check.h"
#include "coldstart/config.h"
#include "coldstart/globs.h"
#include "coldstart/hash.h"

#include <llvm/Support/Regex.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace coldstart {

/// A file compiled into the binary (a catalog table, a fallback header).
struct EmbeddedText {
  std::string_view name;
  std::string_view data;
};

/// The built-in tables (catalog/*.yaml, embedded) as a catalog. `error` names the table
/// that does not parse.
inline bool loadBuiltinCatalog(const std::vector<EmbeddedText> &tables, Catalog &out, std::string &error) {
  for (const EmbeddedText &t : tables) {
    CatalogTable table;
    if (!parseYaml(llvm::StringRef(t.data.data(), t.data.size()), "catalog/" + std::string(t.name), table, error))
      return false;
    table.builtin = true;
    out.add(table);
  }
  return true;
}

/// `files` of a generated embedding header (coldstart_embedded_*.h) as EmbeddedTexts.
template <typename Files> std::vector<EmbeddedText> embeddedTexts(const Files &files) {
  std::vector<EmbeddedText> out;
  for (const auto &f : files) out.push_back({f.name, f.data});
  return out;
}

struct SessionOptions {
  std::optional<std::string> checks;              ///< --checks
  std::optional<std::string> warningsAsErrors;    ///< --warnings-as-errors
  std::optional<std::string> configPath;          ///< --config-file: one config for every file
  std::optional<std::string> configText;          ///< --config: the same, given inline
  std::optional<std::string> headerFilter;        ///< --header-filter: overrides HeaderFilterRegex
  std::optional<std::string> excludeHeaderFilter; ///< --exclude-header-filter
  bool allowNoChecks = false;                     ///< --allow-no-checks: no check enabled is not an error
  std::vector<EmbeddedText> builtinCatalog;
};

class Session {
public:
  explicit Session(SessionOptions opts = {}) : opts_(std::move(opts)) {}

  /// Loads the catalog and the configs of `files` and validates the check selection.
  /// On failure `error` is one line.
  bool setup(std::vector<std::unique_ptr<Check>> checks, const std::vector<std::string> &files, std::string &error) {
    checks_ = std::move(checks);
    if (!loadBuiltinCatalog(opts_.builtinCatalog, catalog_, error)) return false;
    updateDigest();
    if (opts_.configPath || opts_.configText) {
      Config c;
      bool loaded = opts_.configPath ? loadConfigFile(*opts_.configPath, c, error)
                                     : parseConfig(*opts_.configText, "--config", c, error);
      if (!loaded || !addConfig(std::move(c), error)) return false;
    } else {
      std::set<std::string> seen;
      for (const std::string &f : files)
        if (auto p = findConfigFor(f); p && seen.insert(*p).second) {
          Config c;
          if (!loadConfigFile(*p, c, error) || !addConfig(std::move(c), error)) return false;
        }
    }
    if (opts_.checks && !validateGlobs(*opts_.checks, "--checks", error)) return false;
    for (auto [text, option, re] : {std::tuple{&opts_.headerFilter, "--header-filter", &commandLineFilter_},
                                    std::tuple{&opts_.excludeHeaderFilter, "--exclude-header-filter", &excludeFilter_}})
      if (*text && !(*re = compileFilter(**text, option, error))) return false;
    if (!opts_.allowNoChecks && enabledChecks(files.empty() ? std::string() : files.front()).empty()) {
      error = "no checks enabled (check --checks and the Checks of .coldstart-lint.yaml; --allow-no-checks "
              "makes this exit 0)";
      return false;
    }
    return true;
  }

  /// Loads the config that applies to `file` if it is not loaded yet (a server sees
  /// files one at a time).
  bool ensureConfigFor(const std::string &file, std::string &error) {
    if (opts_.configPath || opts_.configText) return true;
    auto p = findConfigFor(file);
    if (!p) return true;
    for (const Config &c : configs_)
      if (c.origin == *p) return true;
    Config c;
    return loadConfigFile(*p, c, error) && addConfig(std::move(c), error);
  }

  const Catalog &catalog() const { return catalog_; }
  const std::vector<std::unique_ptr<Check>> &checks() const { return checks_; }
  const std::vector<std::string> &handlerNames() const { return handlerNames_; }
  /// A hash of the catalog and every config: part of cache keys.
  const std::string &digest() const { return digest_; }

  const Check *findCheck(std::string_view id) const {
    for (const auto &c : checks_)
      if (c->id() == id) return c.get();
    return nullptr;
  }

  /// Checks enabled for findings in `file`: default all, then the file's config, then --checks.
  std::vector<const Check *> enabledChecks(const std::string &file) const {
    GlobList list(checksFor(file));
    std::vector<const Check *> out;
    for (const auto &c : checks_)
      if (list.contains(c->id())) out.push_back(c.get());
    return out;
  }

  /// The check globs that apply to `file`, as one list (later globs win).
  std::string checksFor(const std::string &file) const {
    std::string globs = "coldstart-*";
    if (const Config *c = configFor(file); c && c->checks) globs += "," + *c->checks;
    if (opts_.checks) globs += "," + *opts_.checks;
    return globs;
  }

  /// The options of the run as given (for --dump-config).
  const SessionOptions &options() const { return opts_; }

  bool enabled(const std::string &check, const std::string &file) const {
    for (const Check *c : enabledChecks(file))
      if (c->id() == check) return true;
    return false;
  }

  /// The config that applies to `file`, or null.
  const Config *configFor(const std::string &file) const {
    if (opts_.configPath || opts_.configText) return configs_.empty() ? nullptr : &configs_.front();
    auto p = findConfigFor(file);
    if (!p) return nullptr;
    for (const Config &c : configs_)
      if (c.origin == *p) return &c;
    return nullptr;
  }

  /// CheckOptions of every config (the nearest config's value wins for a file, but
  /// options are per run: later configs do not override earlier ones).
  std::map<std::string, std::string> checkOptions() const {
    std::map<std::string, std::string> out;
    for (const Config &c : configs_)
      for (const auto &[k, v] : c.checkOptions) out.emplace(k, v);
    return out;
  }

  /// The severity of a finding of `check` in `file`: warning, unless --warnings-as-errors,
  /// the file's Severity or its WarningsAsErrors says error.
  std::string severity(const std::string &check, const std::string &file, std::string current) const {
    if (opts_.warningsAsErrors && GlobList(*opts_.warningsAsErrors).contains(check)) current = "error";
    if (const Config *c = configFor(file)) {
      if (auto it = c->severity.find(check); it != c->severity.end()) current = it->second;
      if (c->warningsAsErrors && GlobList(*c->warningsAsErrors).contains(check)) current = "error";
    }
    return current;
  }

  /// Whether the header filter hides findings in `file` (never in a main file): the
  /// file's path must match --header-filter, else its config's HeaderFilterRegex, and not
  /// match --exclude-header-filter, else its config's ExcludeHeaderFilterRegex.
  bool filteredOut(const std::string &file, bool isMainFile) const {
    if (isMainFile) return false;
    if (excludeFilter_ && excludeFilter_->match(file)) return true;
    const Config *c = configFor(file);
    if (auto it = c ? excludeFilters_.find(c->origin) : excludeFilters_.end();
        !excludeFilter_ && it != excludeFilters_.end() && it->second->match(file))
      return true;
    if (commandLineFilter_) return !commandLineFilter_->match(file);
    if (!c || !c->headerFilterRegex) return false;
    auto it = headerFilters_.find(c->origin);
    return it != headerFilters_.end() && !it->second->match(file);
  }

  /// The configs loaded, in the order they were found.
  const std::vector<Config> &configs() const { return configs_; }

private:
  /// A header filter: llvm::Regex (POSIX extended, searched anywhere in the path), as
  /// clang-tidy's, so a pattern copied from .clang-tidy means the same here. Null, with
  /// `error`, when it does not parse.
  static std::shared_ptr<llvm::Regex> compileFilter(const std::string &pattern, const std::string &origin,
                                                    std::string &error) {
    auto re = std::make_shared<llvm::Regex>(pattern);
    std::string why;
    if (re->isValid(why)) return re;
    error = origin + " is not a valid regular expression: '" + pattern + "' (" + why + ")";
    return nullptr;
  }

  /// The one validation of a config: every name it uses must exist, every pattern parse.
  bool addConfig(Config c, std::string &error) {
    if (c.headerFilterRegex) {
      auto re = compileFilter(*c.headerFilterRegex, c.origin + ": HeaderFilterRegex", error);
      if (!re) return false;
      headerFilters_[c.origin] = re;
    }
    if (c.excludeHeaderFilterRegex) {
      auto re = compileFilter(*c.excludeHeaderFilterRegex, c.origin + ": ExcludeHeaderFilterRegex", error);
      if (!re) return false;
      excludeFilters_[c.origin] = re;
    }
    if (c.checks && !validateGlobs(*c.checks, c.origin + ": Checks", error)) return false;
    for (const auto &[key, value] : c.checkOptions) {
      auto dot = key.rfind('.');
      if (dot == std::string::npos || !findCheck(key.substr(0, dot))) {
        error = c.origin + ": CheckOptions key '" + key + "' must be '<check>.<Option>' with a known check";
        return false;
      }
      const Check *check = findCheck(key.substr(0, dot));
      std::string option = key.substr(dot + 1), known;
      bool declared = false;
      for (const CheckOption &o : check->options()) {
        declared = declared || o.name == option;
        known += (known.empty() ? "" : ", ") + o.name;
      }
      if (!declared) {
        error = c.origin + ": CheckOptions key '" + key + "': " + std::string(check->id()) + " has no option '" +
                option + "' (" + (known.empty() ? std::string("it has none") : "its options: " + known) + ")";
        return false;
      }
    }
    for (const auto &[check, sev] : c.severity)
      if (!findCheck(check)) {
        error = c.origin + ": Severity names unknown check '" + check + "'";
        return false;
      }
    catalog_.add(c.catalog);
    handlerNames_.insert(handlerNames_.end(), c.handlerNames.begin(), c.handlerNames.end());
    configs_.push_back(std::move(c));
    updateDigest();
    return true;
  }

  void updateDigest() {
    KeyBuilder k;
    for (const EmbeddedText &t : opts_.builtinCatalog) k.add(t.name).add(llvm::StringRef(t.data.data(), t.data.size()));
    for (const Config &c : configs_) k.add(c.origin).add(c.text);
    digest_ = k.hex();
  }

  bool validateGlobs(const std::string &text, const std::string &origin, std::string &error) const {
    GlobList list(text);
    for (const GlobList::Glob &g : list.globs()) {
      bool matches = false;
      for (const auto &c : checks_) matches = matches || globMatch(g.pattern, c->id());
      // Wildcards may legitimately match nothing of ours (shared clang-tidy lists);
      // a plain name that is not a check is a typo.
      if (!matches && g.pattern.find('*') == std::string::npos) {
        error = origin + ": unknown check '" + g.pattern + "' (see --list-checks)";
        return false;
      }
    }
    return true;
  }

  SessionOptions opts_;
  Catalog catalog_;
  std::vector<Config> configs_;
  std::vector<std::string> handlerNames_;
  std::vector<std::unique_ptr<Check>> checks_;
  std::map<std::string, std::shared_ptr<llvm::Regex>> headerFilters_, excludeFilters_; ///< by config origin
  std::shared_ptr<llvm::Regex> commandLineFilter_, excludeFilter_; ///< --header-filter, --exclude-header-filter
  std::string digest_;
};

} // namespace coldstart
