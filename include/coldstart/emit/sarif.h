// SARIF 2.1.0 (--format=sarif): rules with descriptions and help (the check's page), results with
// repo-relative URIs (uriBaseId SRCROOT, the enclosing git work tree or the working
// directory), related locations for the handler and each step of the call path,
// partial fingerprints that survive unrelated edits (no line numbers in them), and
// fixes as byte-offset replacements. Columns are UTF-16 code units, SARIF's default.
#pragma once

#include "coldstart/check.h"
#include "coldstart/emit.h"
#include "coldstart/hash.h"
#include "coldstart/source.h"
#include "coldstart/uri.h"
#include "coldstart/version.h"

#include <filesystem>
#include <map>
#include <ostream>
#include <string>

namespace coldstart {

class SarifEmitter {
public:
  /// `home`: the project's home URL (the build's, by default); none: no URLs at all.
  SarifEmitter(SourceCache &sources, std::string version, std::string home = std::string(kHomeUrl))
      : src_(sources), version_(std::move(version)), home_(std::move(home)) {
    root_ = repositoryRoot(); // SARIF URIs are relative to it (SRCROOT)
  }

  nlohmann::ordered_json document(const std::vector<Finding> &findings, const RunErrors &errors,
                                  const std::vector<const Check *> &checks,
                                  const std::vector<std::string> &notes = {}) {
    using nlohmann::ordered_json;
    ordered_json rules = ordered_json::array();
    std::map<std::string, size_t> ruleIndex;
    for (const Check *c : checks) {
      ruleIndex[std::string(c->id())] = rules.size();
      std::string doc(c->doc());
      ordered_json rule{{"id", c->id()},
                        {"name", ruleName(c->id())},
                        {"shortDescription", {{"text", c->summary()}}},
                        {"fullDescription", {{"text", firstParagraph(doc)}}},
                        {"help", {{"text", doc}, {"markdown", doc}}}};
      if (std::string page = checkPageUrl(c->id(), home_); !page.empty()) rule["helpUri"] = page; // none without a home
      rule["defaultConfiguration"] = {{"level", "warning"}};
      rule["properties"] = {{"tags", {"performance", "aws-lambda"}}};
      rules.push_back(rule);
    }
    ordered_json results = ordered_json::array();
    std::map<std::string, unsigned> occurrences; // identical fingerprints in one file are numbered
    for (const Finding &f : findings) {
      ordered_json r;
      r["ruleId"] = f.check;
      if (auto it = ruleIndex.find(f.check); it != ruleIndex.end()) r["ruleIndex"] = it->second;
      r["level"] = f.severity == "error" ? "error" : "warning";
      r["locations"] = ordered_json::array({location(f.loc)});
      std::vector<Note> notes = explanationNotes(f);
      r["message"] = {{"text", notes.empty() ? f.message : linkedMessage(f, notes)}};
      ordered_json related = ordered_json::array();
      int id = 1;
      for (const Note &n : notes) {
        ordered_json l = location(n.loc);
        l["id"] = id++;
        l["message"] = {{"text", n.message}};
        related.push_back(l);
      }
      if (!related.empty()) r["relatedLocations"] = related;
      if (f.hasHandler) r["codeFlows"] = codeFlow(f, notes);
      std::string base = fingerprintBase(f);
      unsigned n = ++occurrences[base];
      r["partialFingerprints"] = {{"coldstartFindingHash/v1", hashText(base + "#" + std::to_string(n))}};
      ordered_json fixes = ordered_json::array();
      for (const Fix &fix : f.fixes) {
        std::map<std::string, ordered_json> byFile;
        for (const Replacement &rep : fix.replacements) {
          ordered_json &change = byFile[rep.file];
          if (change.is_null())
            change = {{"artifactLocation", artifact(rep.file)}, {"replacements", ordered_json::array()}};
          change["replacements"].push_back({{"deletedRegion", {{"byteOffset", rep.offset}, {"byteLength", rep.length}}},
                                            {"insertedContent", {{"text", rep.text}}}});
        }
        ordered_json changes = ordered_json::array();
        for (auto &[file, c] : byFile) changes.push_back(c);
        fixes.push_back({{"description", {{"text", fix.description}}}, {"artifactChanges", changes}});
      }
      if (!fixes.empty()) r["fixes"] = fixes;
      results.push_back(r);
    }
    ordered_json notifications = ordered_json::array();
    for (const auto &e : errors.list) notifications.push_back({{"level", "error"}, {"message", {{"text", e.message}}}});
    for (const std::string &n : notes) // e.g. a file analysed with built-in fallback headers
      notifications.push_back({{"level", "note"}, {"message", {{"text", n}}}});
    ordered_json run;
    ordered_json driver{{"name", kToolName}, {"version", version_}, {"semanticVersion", version_}};
    if (!home_.empty()) driver["informationUri"] = home_; // none rather than a dead link
    driver["rules"] = rules;
    run["tool"] = {{"driver", driver}};
    run["originalUriBaseIds"] = {{"SRCROOT", {{"uri", "file://" + uriPath(root_ + "/")}}}};
    run["invocations"] =
        ordered_json::array({{{"executionSuccessful", errors.empty()}, {"toolExecutionNotifications", notifications}}});
    run["columnKind"] = "utf16CodeUnits";
    run["results"] = results;
    ordered_json doc;
    doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    doc["version"] = "2.1.0";
    doc["runs"] = ordered_json::array({run});
    return doc;
  }

private:
  /// SARIF message text is plain text with embedded links: literal brackets and
  /// backslashes are escaped.
  static std::string escapeText(const std::string &text) {
    std::string out;
    for (char c : text) {
      if (c == '[' || c == ']' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  }

  /// The message with the handler and each step of the call path as links to the
  /// related locations (GitHub shows only the related locations a message links to).
  static std::string linkedMessage(const Finding &f, const std::vector<Note> &notes) {
    std::string text = escapeText(f.message);
    size_t id = 1;
    if (f.hasHandler) {
      text += "; reached from the handler [" + escapeText(f.handler.name) + "](" + std::to_string(id++) + ")";
      for (size_t i = 0; i < f.path.size() && id <= notes.size(); ++i)
        text += std::string(i == 0 ? " through " : ", ") + "[" +
                escapeText(f.path[i].function + " -> " + f.path[i].callee) + "](" + std::to_string(id++) + ")";
    }
    for (; id <= notes.size(); ++id)
      text += "; see [" + escapeText(notes[id - 1].message) + "](" + std::to_string(id) + ")";
    return text;
  }

  /// The call path as a code flow: the handler's registration, each call, the finding.
  nlohmann::ordered_json codeFlow(const Finding &f, const std::vector<Note> &notes) {
    using nlohmann::ordered_json;
    ordered_json steps = ordered_json::array();
    size_t pathNotes = std::min(notes.size(), f.path.size() + 1);
    for (size_t i = 0; i < pathNotes; ++i) {
      ordered_json l = location(notes[i].loc);
      l["message"] = {{"text", notes[i].message}};
      steps.push_back({{"location", l}});
    }
    ordered_json last = location(f.loc);
    last["message"] = {{"text", f.message}};
    steps.push_back({{"location", last}});
    return ordered_json::array({{{"message", {{"text", "how " + quotedName(f.handler.name) + " reaches this"}}},
                                 {"threadFlows", ordered_json::array({{{"locations", steps}}})}}});
  }

  nlohmann::ordered_json artifact(const std::string &file) const {
    std::string rel = relative(file);
    if (rel.empty()) return {{"uri", "file://" + uriPath(file)}};
    return {{"uri", uriPath(rel)}, {"uriBaseId", "SRCROOT"}};
  }

  std::string relative(const std::string &file) const {
    std::string prefix = root_ + "/";
    return file.rfind(prefix, 0) == 0 ? file.substr(prefix.size()) : std::string();
  }

  nlohmann::ordered_json location(const Loc &l) {
    std::string_view line = src_.line(l.file, l.line);
    nlohmann::ordered_json region = {{"startLine", l.line}, {"startColumn", utf16Column(line, l.col) + 1}};
    if (!line.empty()) region["snippet"] = {{"text", std::string(line)}};
    return {{"physicalLocation", {{"artifactLocation", artifact(l.file)}, {"region", region}}}};
  }

  /// What identifies a finding across unrelated edits: the check, the file, what is
  /// flagged and the text of its line (not its number).
  std::string fingerprintBase(const Finding &f) {
    std::string line(src_.line(f.loc.file, f.loc.line));
    std::string squeezed;
    for (char c : line)
      if (!std::isspace(static_cast<unsigned char>(c))) squeezed += c;
    return f.check + "|" + relative(f.loc.file) + "|" + f.message + "|" + squeezed;
  }

  static std::string ruleName(std::string_view id) { // coldstart-client-per-invocation -> ClientPerInvocation
    std::string out;
    bool up = true;
    for (char c : id.substr(id.find('-') + 1)) {
      if (c == '-') up = true;
      else {
        out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        up = false;
      }
    }
    return out;
  }

  static std::string firstParagraph(const std::string &doc) {
    size_t start = doc.find("\n\n");
    if (start == std::string::npos) return doc;
    start += 2;
    size_t end = doc.find("\n\n", start);
    std::string p = doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
    for (char &c : p)
      if (c == '\n') c = ' ';
    return p;
  }

  SourceCache &src_;
  std::string version_;
  std::string home_; ///< the project's home URL; empty: no URLs
  std::string root_;
};

} // namespace coldstart
