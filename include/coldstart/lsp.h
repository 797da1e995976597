// `coldstart-lint lsp`: a Language Server over stdio.
//
// initialize, textDocument/didOpen|didChange|didSave|didClose (unsaved buffers are
// analysed as they are: the driver serves them over the file system), publish
// diagnostics with code (the check id) and source, codeAction quick fixes from the
// fix-its, shutdown and exit. Positions are UTF-16 code units, as LSP wants; the
// analysis counts bytes, so every position is converted through the line's text.
#pragma once

#include "coldstart/driver.h"
#include "coldstart/uri.h"
#include "coldstart/version.h"

#include <iostream>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <string>

namespace coldstart {

class LspServer {
public:
  LspServer(Driver &driver, std::istream &in, std::ostream &out) : driver_(driver), in_(in), out_(out) {}

  /// Serves until `exit`. Returns the process exit code (0 after shutdown, else 1).
  int run() {
    while (auto msg = read()) {
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(*msg);
      } catch (const std::exception &) {
        send({{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", -32700}, {"message", "parse error"}}}});
        continue;
      }
      if (!j.is_object()) continue;
      std::string method = j.value("method", "");
      bool isRequest = j.contains("id") && !j["id"].is_null();
      if (method == "exit") return shutdown_ ? 0 : 1;
      try {
        handle(method, j, isRequest);
      } catch (const std::exception &e) {
        if (isRequest) reply(j["id"], nullptr, std::string("internal error: ") + e.what());
      }
    }
    return shutdown_ ? 0 : 1; // stdin closed without exit
  }

private:
  struct Document {
    std::string path;
    std::string text;
    std::vector<Finding> findings;
  };

  void handle(const std::string &method, const nlohmann::json &j, bool isRequest) {
    const nlohmann::json params = j.value("params", nlohmann::json::object());
    if (method == "initialize") {
      reply(j["id"], {{"capabilities",
                       {{"textDocumentSync", {{"openClose", true}, {"change", 1}, {"save", {{"includeText", false}}}}},
                        {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
                        {"positionEncoding", "utf-16"}}},
                      {"serverInfo", {{"name", kToolName}, {"version", kVersion}}}});
    } else if (method == "shutdown") {
      shutdown_ = true;
      reply(j["id"], nullptr);
    } else if (method == "textDocument/didOpen" || method == "textDocument/didChange") {
      std::string uri = params["textDocument"]["uri"];
      Document &d = docs_[uri];
      d.path = uriToPath(uri);
      if (method == "textDocument/didOpen") d.text = params["textDocument"].value("text", "");
      else if (!params["contentChanges"].empty()) d.text = params["contentChanges"].back().value("text", d.text);
      analyse(uri);
    } else if (method == "textDocument/didSave") {
      std::string uri = params["textDocument"]["uri"];
      if (docs_.count(uri)) analyse(uri);
    } else if (method == "textDocument/didClose") {
      std::string uri = params["textDocument"]["uri"];
      if (docs_.count(uri)) driver_.forgetBuffer(docs_[uri].path);
      docs_.erase(uri);
      publish(uri, nlohmann::json::array());
    } else if (method == "textDocument/codeAction") {
      reply(j["id"], codeActions(params));
    } else if (isRequest) {
      send({{"jsonrpc", "2.0"},
            {"id", j["id"]},
            {"error", {{"code", -32601}, {"message", "method not found: " + method}}}});
    }
  }

  void analyse(const std::string &uri) {
    Document &d = docs_[uri];
    RunResult r = driver_.analyseBuffer(d.path, d.text);
    d.findings.clear();
    nlohmann::json diags = nlohmann::json::array();
    for (const Finding &f : r.findings) {
      if (f.loc.file != d.path) continue; // findings in other files belong to their own documents
      d.findings.push_back(f);
      nlohmann::json diag = {{"range", range(f.loc)},
                             {"severity", f.severity == "error" ? 1 : 2},
                             {"code", f.check},
                             {"source", kToolName},
                             {"message", f.message}};
      nlohmann::json related = nlohmann::json::array();
      for (const Note &n : explanationNotes(f))
        related.push_back(
            {{"location", {{"uri", pathToUri(n.loc.file)}, {"range", range(n.loc)}}}, {"message", n.message}});
      if (!related.empty()) diag["relatedInformation"] = related;
      diags.push_back(diag);
    }
    for (const auto &e : r.errors.list) log(e.message);
    for (const std::string &n : r.notes) log(n);
    publish(uri, diags);
  }

  nlohmann::json codeActions(const nlohmann::json &params) {
    nlohmann::json actions = nlohmann::json::array();
    std::string uri = params["textDocument"]["uri"];
    auto it = docs_.find(uri);
    if (it == docs_.end()) return actions;
    unsigned from = params["range"]["start"]["line"].get<unsigned>() + 1;
    unsigned to = params["range"]["end"]["line"].get<unsigned>() + 1;
    for (const Finding &f : it->second.findings) {
      if (f.loc.line < from || f.loc.line > to) continue;
      for (const Fix &fix : f.fixes) {
        nlohmann::json edits = nlohmann::json::object();
        for (const Replacement &r : fix.replacements) {
          Loc start{r.file, r.line, r.col, r.offset};
          Loc end = locAtOffset(r.file, r.offset + r.length);
          edits[pathToUri(r.file)].push_back(
              {{"range", {{"start", position(start)}, {"end", position(end)}}}, {"newText", r.text}});
        }
        actions.push_back(
            {{"title", "coldstart-lint: " + fix.description},
             {"kind", "quickfix"},
             {"isPreferred", true},
             {"diagnostics",
              nlohmann::json::array(
                  {{{"range", range(f.loc)}, {"code", f.check}, {"source", kToolName}, {"message", f.message}}})},
             {"edit", {{"changes", edits}}}});
      }
    }
    return actions;
  }

  /// The position of a byte offset in a file (or open buffer).
  Loc locAtOffset(const std::string &file, unsigned offset) {
    Loc l{file, 1, 1, offset};
    const std::string *text = driver_.sources().get(file);
    if (!text) return l;
    for (unsigned i = 0; i < offset && i < text->size(); ++i) {
      if ((*text)[i] == '\n') {
        ++l.line;
        l.col = 1;
      } else {
        ++l.col;
      }
    }
    return l;
  }

  nlohmann::json position(const Loc &l) {
    std::string_view line = driver_.sources().line(l.file, l.line);
    return {{"line", l.line > 0 ? l.line - 1 : 0}, {"character", utf16Column(line, l.col)}};
  }

  /// A range from the finding's position to the end of the word there.
  nlohmann::json range(const Loc &l) {
    std::string_view line = driver_.sources().line(l.file, l.line);
    unsigned end = l.col;
    while (end - 1 < line.size() && (std::isalnum(static_cast<unsigned char>(line[end - 1])) || line[end - 1] == '_' ||
                                     line[end - 1] == ':' || static_cast<unsigned char>(line[end - 1]) >= 0x80))
      ++end;
    if (end == l.col) ++end;
    Loc e = l;
    e.col = end;
    return {{"start", position(l)}, {"end", position(e)}};
  }

  void publish(const std::string &uri, const nlohmann::json &diags) {
    send({{"jsonrpc", "2.0"},
          {"method", "textDocument/publishDiagnostics"},
          {"params", {{"uri", uri}, {"diagnostics", diags}}}});
  }

  void log(const std::string &message) {
    send({{"jsonrpc", "2.0"}, {"method", "window/logMessage"}, {"params", {{"type", 2}, {"message", message}}}});
  }

  void reply(const nlohmann::json &id, const nlohmann::json &result, const std::string &error = {}) {
    if (!error.empty()) send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", -32603}, {"message", error}}}});
    else send({{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
  }

  void send(const nlohmann::json &j) {
    std::string body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out_ << "Content-Length: " << body.size() << "\r\n\r\n" << body;
    out_.flush();
  }

  std::optional<std::string> read() {
    size_t length = 0;
    bool sawLength = false;
    std::string line;
    while (std::getline(in_, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) {
        if (sawLength) break;
        continue;
      }
      auto colon = line.find(':');
      if (colon != std::string::npos && llvm::StringRef(line.substr(0, colon)).equals_insensitive("content-length")) {
        length = std::strtoul(line.c_str() + colon + 1, nullptr, 10);
        sawLength = true;
      }
    }
    if (!sawLength || !in_) return std::nullopt;
    std::string body(length, '\0');
    in_.read(body.data(), static_cast<std::streamsize>(length));
    if (static_cast<size_t>(in_.gcount()) != length) return std::nullopt;
    return body;
  }

  Driver &driver_;
  std::istream &in_;
  std::ostream &out_;
  std::map<std::string, Document> docs_;
  bool shutdown_ = false;
};

} // namespace coldstart
