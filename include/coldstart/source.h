// Source text for findings: snippets, NOLINT comments, fixes. Files are read once;
// an editor front end can supply unsaved buffers as overlays.
#pragma once

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace coldstart {

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
