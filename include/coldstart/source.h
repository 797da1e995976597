// Source text for findings: snippets, NOLINT comments, fixes. Files are read once;
// an editor front end can supply unsaved buffers as overlays.
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace coldstart {

/// Writes `content` to `path` all at once: a temporary file next to it, then a rename,
/// so that readers never see a half-written file. The temporary is removed on failure.
inline bool writeFileAtomically(const std::string &path, const std::string &content, std::string &error) {
  std::string tmp = path + ".tmp-coldstart-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      error = std::strerror(errno);
      return false;
    }
    out << content;
    out.close();
    if (!out) {
      error = "write failed";
      std::remove(tmp.c_str());
      return false;
    }
  }
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) // keep the permissions of a file being replaced
    std::filesystem::permissions(tmp, std::filesystem::status(path, ec).permissions(), ec);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = std::strerror(errno);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

class SourceCache {
public:
  /// Content of `path` (an overlay if one is set), or nullopt when unreadable.
  const std::string *get(const std::string &path) {
    auto it = files_.find(path);
    if (it != files_.end()) return it->second ? &*it->second : nullptr;
    std::optional<std::string> content;
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream ss;
      ss << in.rdbuf();
      content = ss.str();
    }
    auto &slot = files_[path] = std::move(content);
    return slot ? &*slot : nullptr;
  }

  void overlay(const std::string &path, std::string content) { files_[path] = std::move(content); }
  void forget(const std::string &path) { files_.erase(path); }

  /// The text of 1-based line `line`, without its newline.
  std::string_view line(const std::string &path, unsigned line) {
    const std::string *text = get(path);
    if (!text || line == 0) return {};
    size_t pos = 0;
    for (unsigned l = 1; l < line; ++l) {
      pos = text->find('\n', pos);
      if (pos == std::string::npos) return {};
      ++pos;
    }
    size_t end = text->find('\n', pos);
    std::string_view v(*text);
    v = v.substr(pos, end == std::string::npos ? std::string_view::npos : end - pos);
    if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
    return v;
  }

private:
  std::map<std::string, std::optional<std::string>> files_;
};

} // namespace coldstart
