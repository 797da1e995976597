// `coldstart-lint lsp`: a Language Server over stdio.
//
// initialize, textDocument/didOpen|didChange|didSave|didClose (unsaved buffers are
// analysed as they are: the driver serves them over the file system), publish
// diagnostics with code (the check id) and source, codeAction quick fixes from the
// fix-its, shutdown and exit. Positions are UTF-16 code units, as LSP wants; the
// analysis counts bytes, so every position is converted through the line's text.
//
// Two threads. The caller's thread reads messages and answers them at once: a change
// only records the document's text and version; codeAction is answered from the last
// results; shutdown is answered even while a parse runs. One worker thread owns the
// Driver (nothing else touches it) and analyses the newest version of a document once
// it has been left alone for the debounce delay, so a burst of changes is one
// analysis; results of a version that was changed while it was analysed are dropped,
// never published. Both threads share the documents under one mutex; every write to
// the output is serialised under another.
#pragma once

#include "coldstart/driver.h"
#include "coldstart/uri.h"
#include "coldstart/version.h"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <istream>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace coldstart {

class LspServer {
public:
  using Clock = std::chrono::steady_clock;

  /// `debounce`: how long a document must be left unchanged before it is analysed
  /// (clangd waits about as long).
  LspServer(Driver &driver, std::istream &in, std::ostream &out,
            std::chrono::milliseconds debounce = std::chrono::milliseconds(250))
      : driver_(driver), in_(in), out_(out), debounce_(debounce) {}

  /// Serves until `exit`. Returns the process exit code (0 after shutdown, else 1).
  /// An analysis still running at `exit` is abandoned: the process ends at once.
  int run() {
    // std::cin is tied to std::cout: every read would flush the output, from the
    // reader's thread, outside outMu_, racing the worker's messages.
    in_.tie(nullptr);
    std::thread worker([this] { work(); });
    int code = serve();
    bool busy;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      busy = analysing_;
    }
    cv_.notify_all();
    if (busy) {
      // The parse may take seconds more; the client asked us to go now. Its children
      // (isolated parses) die with the process (isolate.h sets their parent-death signal).
      std::lock_guard<std::mutex> lock(outMu_);
      out_.flush();
      std::_Exit(code);
    }
    worker.join();
    return code;
  }

private:
  /// A quick fix, with the line (1-based) of the finding it fixes.
  struct Action {
    unsigned line;
    nlohmann::json action;
  };

  struct Document {
    std::string path;
    std::string text;
    long long version = 0;
    bool dirty = false;          ///< changed since the worker last took its text
    Clock::time_point due{};     ///< when a dirty document is analysed (debounce)
    std::vector<Action> actions; ///< of the version last published
  };

  /// What one analysis gives, built on the worker (positions need the driver's sources).
  struct Analysis {
    nlohmann::json diagnostics = nlohmann::json::array();
    std::vector<Action> actions;
    std::vector<std::string> logs;
  };

  // ---- the reader (the caller's thread) --------------------------------------------

  int serve() {
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
      const nlohmann::json &td = params.at("textDocument");
      std::string uri = td.at("uri");
      std::lock_guard<std::mutex> lock(mu_);
      Document &d = docs_[uri];
      d.path = uriToPath(uri);
      if (method == "textDocument/didOpen") d.text = td.value("text", "");
      else if (params.contains("contentChanges") && !params["contentChanges"].empty())
        d.text = params["contentChanges"].back().value("text", d.text);
      if (td.contains("version") && td["version"].is_number_integer()) d.version = td["version"].get<long long>();
      schedule(d, debounce_);
    } else if (method == "textDocument/didSave") {
      std::string uri = params.at("textDocument").at("uri");
      std::lock_guard<std::mutex> lock(mu_);
      auto it = docs_.find(uri);
      if (it != docs_.end()) schedule(it->second, std::chrono::milliseconds(0));
    } else if (method == "textDocument/didClose") {
      std::string uri = params.at("textDocument").at("uri");
      std::lock_guard<std::mutex> lock(mu_);
      auto it = docs_.find(uri);
      if (it != docs_.end()) {
        forget_.push_back(it->second.path); // the driver is the worker's: it forgets the buffer
        docs_.erase(it);
        cv_.notify_all();
      }
      // Under mu_: an analysis that finishes now finds the document gone and drops its results.
      publish(uri, std::nullopt, nlohmann::json::array());
    } else if (method == "textDocument/codeAction") {
      reply(j["id"], codeActions(params));
    } else if (isRequest) {
      send({{"jsonrpc", "2.0"},
            {"id", j["id"]},
            {"error", {{"code", -32601}, {"message", "method not found: " + method}}}});
    }
  }

  /// Marks a document for analysis after `delay` (from now: its last change). mu_ held.
  void schedule(Document &d, std::chrono::milliseconds delay) {
    d.dirty = true;
    d.due = Clock::now() + delay;
    cv_.notify_all();
  }

  /// The quick fixes of the last published results on the requested lines.
  nlohmann::json codeActions(const nlohmann::json &params) {
    nlohmann::json actions = nlohmann::json::array();
    std::string uri = params.at("textDocument").at("uri");
    unsigned from = params["range"]["start"]["line"].get<unsigned>() + 1;
    unsigned to = params["range"]["end"]["line"].get<unsigned>() + 1;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = docs_.find(uri);
    if (it == docs_.end()) return actions;
    for (const Action &a : it->second.actions)
      if (a.line >= from && a.line <= to) actions.push_back(a.action);
    return actions;
  }

  // ---- the worker: the only user of the driver -------------------------------------

  void work() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      if (!forget_.empty()) {
        std::string path = std::move(forget_.front());
        forget_.pop_front();
        lock.unlock();
        driver_.forgetBuffer(path);
        lock.lock();
        continue;
      }
      // The dirty document due first.
      auto next = docs_.end();
      for (auto it = docs_.begin(); it != docs_.end(); ++it)
        if (it->second.dirty && (next == docs_.end() || it->second.due < next->second.due)) next = it;
      if (next == docs_.end()) {
        cv_.wait(lock);
        continue;
      }
      if (Clock::now() < next->second.due) {
        cv_.wait_until(lock, next->second.due);
        continue;
      }
      std::string uri = next->first;
      Document &d = next->second;
      d.dirty = false;
      std::string path = d.path, text = d.text;
      long long version = d.version;
      analysing_ = true;
      lock.unlock();
      Analysis a;
      try {
        a = analyse(path, text);
      } catch (const std::exception &e) {
        a.logs.push_back(std::string("internal error: ") + e.what());
      }
      lock.lock();
      analysing_ = false;
      for (const std::string &m : a.logs) log(m);
      auto it = docs_.find(uri);
      // Changed (or closed) while it was analysed: these results are stale, the newer
      // text is analysed next.
      if (it == docs_.end() || it->second.dirty || it->second.version != version) continue;
      it->second.actions = std::move(a.actions);
      publish(uri, version, a.diagnostics);
    }
  }

  Analysis analyse(const std::string &path, const std::string &text) {
    RunResult r = driver_.analyseBuffer(path, text);
    Analysis a;
    std::string abs = cleanAbsolute(path);
    for (const Finding &f : r.findings) {
      if (f.loc.file != abs) continue; // findings in other files belong to their own documents
      nlohmann::json diag = {{"range", range(f.loc)},
                             {"severity", f.severity == "error" ? 1 : 2},
                             {"code", f.check},
                             {"source", kToolName},
                             {"message", f.message}};
      if (std::string page = checkPageUrl(f.check, home_); !page.empty())
        diag["codeDescription"] = {{"href", page}}; // editors link the check's id to its page
      nlohmann::json related = nlohmann::json::array();
      for (const Note &n : explanationNotes(f))
        related.push_back(
            {{"location", {{"uri", pathToUri(n.loc.file)}, {"range", range(n.loc)}}}, {"message", n.message}});
      if (!related.empty()) diag["relatedInformation"] = related;
      a.diagnostics.push_back(diag);
      for (const Fix &fix : f.fixes) a.actions.push_back({f.loc.line, codeAction(f, fix)});
    }
    // What could not be analysed is shown too: otherwise a file that does not compile
    // would look clean.
    for (const RunErrors::Error &e : r.errors.list) {
      a.logs.push_back(e.message);
      a.diagnostics.push_back(errorDiagnostic(e, abs));
    }
    for (const IncompleteAnalysis &ia : r.incomplete)
      if (ia.file == abs)
        a.diagnostics.push_back({{"range", firstLine(abs)},
                                 {"severity", 3},
                                 {"source", kToolName},
                                 {"message", "coldstart-lint: " + ia.message}});
    for (const std::string &n : r.notes) a.logs.push_back(n);
    return a;
  }

  /// An error of the run as a diagnostic: at the compiler's error when it is in this
  /// file, else on line 1 with the one-line message (which names its file).
  nlohmann::json errorDiagnostic(const RunErrors::Error &e, const std::string &abs) {
    nlohmann::json diag = {{"severity", 1}, {"source", kToolName}};
    if (e.where.valid() && e.where.file == abs && !e.detail.empty()) {
      diag["range"] = range(e.where);
      diag["message"] = oneLine(e.detail) + " (this file " + e.what + ", so coldstart-lint did not analyse it)";
    } else if (e.where.valid() && !e.detail.empty()) {
      diag["range"] = firstLine(abs);
      diag["message"] = displayPath(e.where.file) + ":" + std::to_string(e.where.line) + ":" +
                        std::to_string(e.where.col) + ": " + oneLine(e.detail) + " (this file " + e.what +
                        ", so coldstart-lint did not analyse it)";
    } else {
      diag["range"] = firstLine(abs);
      diag["message"] = "coldstart-lint: " + oneLine(e.message);
    }
    return diag;
  }

  nlohmann::json codeAction(const Finding &f, const Fix &fix) {
    nlohmann::json edits = nlohmann::json::object();
    for (const Replacement &r : fix.replacements) {
      Loc start{r.file, r.line, r.col, r.offset};
      Loc end = locAtOffset(r.file, r.offset + r.length);
      edits[pathToUri(r.file)].push_back(
          {{"range", {{"start", position(start)}, {"end", position(end)}}}, {"newText", r.text}});
    }
    return {{"title", "coldstart-lint: " + fix.description},
            {"kind", "quickfix"},
            {"isPreferred", true},
            {"diagnostics",
             nlohmann::json::array(
                 {{{"range", range(f.loc)}, {"code", f.check}, {"source", kToolName}, {"message", f.message}}})},
            {"edit", {{"changes", edits}}}};
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

  /// The whole first line of a file: where a message about the file as a whole goes.
  nlohmann::json firstLine(const std::string &file) {
    std::string_view line = driver_.sources().line(file, 1);
    return {{"start", {{"line", 0}, {"character", 0}}},
            {"end", {{"line", 0}, {"character", utf16Column(line, unsigned(line.size()) + 1)}}}};
  }

  // ---- output (either thread) ------------------------------------------------------

  void publish(const std::string &uri, std::optional<long long> version, const nlohmann::json &diags) {
    nlohmann::json params = {{"uri", uri}, {"diagnostics", diags}};
    if (version) params["version"] = *version;
    send({{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", params}});
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
    std::lock_guard<std::mutex> lock(outMu_);
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

  Driver &driver_;                           ///< the worker's only
  std::string home_ = std::string(kHomeUrl); ///< check pages link from here (none without a home URL)
  std::istream &in_;
  std::ostream &out_;
  const std::chrono::milliseconds debounce_;
  bool shutdown_ = false; ///< the reader's

  std::mutex mu_; ///< guards what follows
  std::condition_variable cv_;
  std::map<std::string, Document> docs_;
  std::deque<std::string> forget_; ///< closed documents' paths, for the worker to forget
  bool stopping_ = false;
  bool analysing_ = false;

  std::mutex outMu_; ///< one message at a time on out_
};

} // namespace coldstart
