// Content hashes (xxh3, 64 bits, hex) for the facts cache.
#pragma once

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/xxhash.h>

#include <cstdio>
#include <map>
#include <optional>
#include <string>

namespace coldstart {

inline std::string hashHex(uint64_t h) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

inline std::string hashText(llvm::StringRef text) { return hashHex(llvm::xxh3_64bits(text)); }

/// Hashes of files on disk, each read once per run.
class FileHashes {
public:
  std::optional<std::string> of(const std::string &path) {
    auto it = cache_.find(path);
    if (it != cache_.end()) return it->second;
    std::optional<std::string> h;
    if (auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false))
      h = hashText((*buf)->getBuffer());
    cache_[path] = h;
    return h;
  }

private:
  std::map<std::string, std::optional<std::string>> cache_;
};

/// Accumulates the parts of a cache key.
class KeyBuilder {
public:
  KeyBuilder &add(llvm::StringRef part) {
    text_ += std::to_string(part.size());
    text_ += ':';
    text_ += part;
    return *this;
  }
  std::string hex() const { return hashText(text_); }

private:
  std::string text_;
};

} // namespace coldstart
