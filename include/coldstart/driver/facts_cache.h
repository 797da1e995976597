// The facts cache (ccache's direct mode).
//
// Key: what built the facts (the binary), the catalog and configs, the compile
// command and the main file's content. The entry lists every file the parse read
// with its content hash; it is a hit only if they all still hash the same. Writes are
// atomic; a corrupt entry is a miss.
//
// The directory says what it is to other tools (a .gitignore of `*`, as pytest's cache
// has, and a CACHEDIR.TAG for backup tools), and is pruned after a run that wrote to it:
// entries unused for kMaxAgeDays go, then the least recently used until it is under
// kMaxBytes. A hit marks its entry used.
#pragma once

#include "coldstart/driver/options.h"
#include "coldstart/facts.h"
#include "coldstart/hash.h"
#include "coldstart/source.h"

#include <clang/Tooling/CompilationDatabase.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace coldstart {

class FactsCache {
public:
  static constexpr unsigned kMaxAgeDays = 30;
  static constexpr std::uintmax_t kMaxBytes = 1024ull * 1024 * 1024;

  explicit FactsCache(std::string dir) : dir_(std::move(dir)) {}
  bool enabled() const { return !dir_.empty(); }

  static std::string dirFor(const DriverOptions &opts_) {
    if (!opts_.cacheDir.empty()) return opts_.cacheDir;
    if (opts_.buildPath) {
      std::string b = *opts_.buildPath;
      if (llvm::StringRef(b).ends_with(".json")) b = llvm::sys::path::parent_path(b).str();
      if (!b.empty()) return (std::filesystem::path(b) / ".coldstart-lint-cache").string();
    }
    if (const char *x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/coldstart-lint";
    if (const char *h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/coldstart-lint";
    return {};
  }

  static std::string key(const DriverOptions &opts_, const std::string &digest,
                         const clang::tooling::CompileCommand &cmd, const std::string &mainHash) {
    KeyBuilder k;
    k.add("coldstart-facts-v1").add(opts_.identity).add(digest).add(cmd.Directory).add(cmd.Filename);
    for (const std::string &a : cmd.CommandLine) k.add(a);
    k.add(mainHash).add(opts_.skipSystemBodies ? "skip" : "full").add(opts_.resourceDir);
    return k.hex();
  }

  std::string path(const std::string &key) const {
    return (std::filesystem::path(dir_) / key.substr(0, 2) / (key + ".json")).string();
  }

  std::optional<TUFacts> load(const std::string &key, FileHashes &hashes) const {
    auto buf = llvm::MemoryBuffer::getFile(path(key), /*IsText=*/false, /*RequiresNullTerminator=*/false);
    if (!buf) return std::nullopt;
    TUFacts tu;
    try {
      tu = nlohmann::json::parse((*buf)->getBuffer().begin(), (*buf)->getBuffer().end()).get<TUFacts>();
    } catch (const std::exception &) {
      return std::nullopt; // corrupt: a miss, overwritten below
    }
    if (tu.deps.empty()) return std::nullopt;
    for (const Dependency &d : tu.deps) {
      if (d.hash.empty()) { // where a missing header would be found: stale once it is there
        std::error_code ec;
        if (std::filesystem::exists(d.path, ec)) return std::nullopt;
        continue;
      }
      auto h = hashes.of(d.path);
      if (!h || *h != d.hash) return std::nullopt;
    }
    std::error_code ec;
    std::filesystem::last_write_time(path(key), std::filesystem::file_time_type::clock::now(), ec); // used
    return tu;
  }

  void store(const std::string &key, const TUFacts &tu) const {
    if (tu.deps.empty()) return;
    std::error_code ec;
    std::filesystem::path file = path(key);
    if (!stored_ && !std::filesystem::exists(dir_ + "/.gitignore", ec)) markDirectory();
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) return; // no cache rather than no result
    stored_ = true;
    std::string why;
    writeFileAtomically(file.string(),
                        nlohmann::json(tu).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        why); // a cache that cannot be written is no cache, not an error
  }

  /// After a run that wrote entries: drops those unused for kMaxAgeDays, then the least
  /// recently used until the entries take at most `maxBytes`. Files that are not
  /// entries are left alone; one another run removes first is skipped.
  void prune(std::uintmax_t maxBytes = kMaxBytes) const {
    if (!stored_) return;
    namespace fs = std::filesystem;
    struct Entry {
      fs::path path;
      fs::file_time_type used;
      std::uintmax_t size;
    };
    std::vector<Entry> entries;
    std::uintmax_t total = 0;
    std::error_code ec;
    auto oldest = fs::file_time_type::clock::now() - std::chrono::hours(24 * kMaxAgeDays);
    for (fs::recursive_directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
      if (it.depth() != 1 || !it->is_regular_file(ec) || it->path().extension() != ".json") continue;
      Entry e{it->path(), it->last_write_time(ec), it->file_size(ec)};
      if (ec) continue;
      if (e.used < oldest) fs::remove(e.path, ec);
      else {
        total += e.size;
        entries.push_back(std::move(e));
      }
    }
    if (total <= maxBytes) return;
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) { return a.used < b.used; });
    for (const Entry &e : entries) {
      if (total <= maxBytes) break;
      fs::remove(e.path, ec);
      total -= e.size;
    }
  }

private:
  /// A cache directory (new, or made by a version that did not mark it): ignored by git, and tagged as a cache for backup tools.
  void markDirectory() const {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) return;
    std::string why;
    writeFileAtomically(dir_ + "/.gitignore", "# Created by coldstart-lint automatically.\n*\n", why);
    writeFileAtomically(dir_ + "/CACHEDIR.TAG",
                        "Signature: 8a477f597d28d172789f06886806bc55\n"
                        "# This file is a cache directory tag created by coldstart-lint.\n"
                        "# For information about cache directory tags, see https://bford.info/cachedir/\n",
                        why);
  }

  std::string dir_;
  mutable bool stored_ = false;
};

} // namespace coldstart
