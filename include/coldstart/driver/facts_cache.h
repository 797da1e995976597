// The facts cache (ccache's direct mode).
//
// Key: what built the facts (the binary), the catalog and configs, the compile
// command and the main file's content. The entry lists every file the parse read
// with its content hash; it is a hit only if they all still hash the same. Writes are
// atomic; a corrupt entry is a miss.
#pragma once

#include "coldstart/driver/options.h"
#include "coldstart/facts.h"
#include "coldstart/hash.h"
#include "coldstart/source.h"

#include <clang/Tooling/CompilationDatabase.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace coldstart {

class FactsCache {
public:
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
    return tu;
  }

  void store(const std::string &key, const TUFacts &tu) const {
    if (tu.deps.empty()) return;
    std::error_code ec;
    std::filesystem::path file = path(key);
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) return; // no cache rather than no result
    std::string why;
    writeFileAtomically(file.string(),
                        nlohmann::json(tu).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        why); // a cache that cannot be written is no cache, not an error
  }

private:
  std::string dir_;
};

} // namespace coldstart
