// Facts: what one parse of one translation unit tells the linker.
//
// Extraction (extract.h) turns a clang AST into TUFacts; link.h unions the facts of
// many TUs and decides what runs per invocation. Facts are plain data so that they
// can be cached, sharded across CI machines and merged: nothing here refers to clang.
#pragma once

#include <cstdint>
#include <map>
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

namespace coldstart {

/// A position in a source file. `file` is an absolute, normalised path; `line` and
/// `col` are 1-based, `col` counts bytes (as clang does); `offset` is the 0-based
/// byte offset of the position in the file.
struct Loc {
  std::string file;
  unsigned line = 0;
  unsigned col = 0;
  unsigned offset = 0;

  bool valid() const { return line != 0; }
  friend bool operator<(const Loc &a, const Loc &b) {
    return std::tie(a.file, a.line, a.col) < std::tie(b.file, b.line, b.col);
  }
  friend bool operator==(const Loc &a, const Loc &b) { return a.file == b.file && a.line == b.line && a.col == b.col; }
};

/// A textual edit, in the shape clang-apply-replacements understands.
struct Replacement {
  std::string file;
  unsigned offset = 0;
  unsigned length = 0;
  std::string text;
  unsigned line = 0; ///< 1-based line of `offset`, for display
  unsigned col = 0;  ///< 1-based byte column of `offset`, for display
};

/// A mechanical fix: a description and the edits that implement it.
struct Fix {
  std::string description;
  std::vector<Replacement> replacements;
  /// The function whose statements the fix rests on (it moved or kept them as it saw
  /// them). When an error inside it was set aside, a statement was hidden from the
  /// analysis, and the fix is withdrawn (driver: reportParse).
  Loc scopeBegin, scopeEnd;
};

/// Why control passes from one function-like node to another.
enum class EdgeKind {
  Call,      ///< a direct or resolved indirect call
  Construct, ///< a constructor runs
  Destruct,  ///< a destructor runs (end of scope, temporary, delete)
  Lambda,    ///< a lambda is created here (and assumed to be invoked)
  Reference, ///< a function's address is taken here (and assumed to be invoked)
  Loop,      ///< the body of an outermost loop, or an instantiation of a generic lambda
             ///< (a node of its own for the same code; folded out of call paths)
};

struct Edge {
  std::string callee; ///< id of the callee node
  Loc loc;            ///< where the call happens
  EdgeKind kind = EdgeKind::Call;
  bool once = false; ///< inside a once-only region: does not run per invocation
  /// A call through a parameter: the function whose call passed the callable. The edge
  /// runs only in contexts where that function runs (`timed("init", build)` in main
  /// does not make `timed`'s call of its parameter build a client per invocation).
  std::string caller;
  /// A function passed as an argument (`run_handler(&my_handler)`): "<callee id>#<i>", the
  /// parameter it binds to. A call through that parameter in another TU (an edge to
  /// kParameterCallee + "<callee id>#<i>") reaches it, when this edge's function runs.
  std::string argOf;
};

/// A place where something with a cost happens: a client is built, a sleep is
/// called, an option is set. `kind` is the catalog kind of the matched entry.
struct Site {
  std::string kind;    ///< catalog kind: "client", "sdk-init", "sleep", ...
  std::string entry;   ///< the catalog entry's name (pattern), e.g. "Aws::Client::AWSClient"
  std::string subject; ///< what the code names, e.g. "Aws::S3::S3Client" or "curl_easy_init"
  std::string form;    ///< how: "declaration", "temporary", "new", "call", "Aws::MakeShared", ...
  Loc loc;
  bool once = false;
  std::vector<Fix> fixes;
  std::map<std::string, std::string> data; ///< extra facts for messages (variable name, ...)
  /// Named source positions, kept structured from extraction to emitters: "loop" (the
  /// innermost loop around the site), "stmt-end" (the end of its declaration statement).
  std::map<std::string, Loc> locs;
};

/// A function-like node of the call graph: a function, a lambda body, the body of
/// an outermost loop, or a static initialiser.
struct FunctionFacts {
  std::string id;                    ///< USR for functions, synthesised for lambdas, loops and initialisers
  std::string name;                  ///< printable, e.g. "handler", "Service::handle", "lambda in main"
  std::string qualifiedName;         ///< for config matching; empty for synthetic nodes
  std::string nodeKind = "function"; ///< "function", "lambda", "loop", "static-init"
  Loc loc;
  std::string
      handlerSignature; ///< the handler signature it has ("invocation_response(invocation_request const&)"), or empty
  bool mentionsNextUrl = false;             ///< names the Runtime API's /runtime/invocation/next
  bool unboundedLoop = false;               ///< for loops: no condition, or a constant-true one
  std::vector<std::string> overrides;       ///< ids of the virtual methods this one overrides
  std::map<std::string, std::string> attrs; ///< node facts for checks (e.g. "dynamic-init")
  std::vector<Edge> edges;
  std::vector<Site> sites;
  /// Fixes of the node itself: for a static-init node, the accessor that builds the
  /// variable on first use (extract/accessor_fix.h); attrs["nofix"] says why there is none.
  std::vector<Fix> fixes;
};

/// A callable that the Lambda runtime calls once per invocation.
struct HandlerEntry {
  std::string id;     ///< node id of the handler
  std::string how;    ///< "run_handler", "handler-signature", "runtime-loop", "config"
  Loc loc;            ///< where it is registered (the run_handler call), or defined
  std::string detail; ///< e.g. "passed to run_handler", "selected from 'handlers'"
};

/// An error met while producing facts (the TU did not parse, a header is missing).
/// Paths are absolute: the front end shows them relative to its working directory.
struct FactsError {
  std::string file;    ///< the input it is about
  std::string message; ///< "does not compile", "no such file", ...
  Loc where;           ///< the first compiler error, if any
  std::string detail;  ///< its text, and how many more there were
};

/// A file the TU read, with the hash of its content (for the facts cache). An empty
/// hash records a path that must not exist (where a missing header would be found).
struct Dependency {
  std::string path;
  std::string hash;
};

/// An #include that could not be found: the parse skipped it and went on.
struct MissingHeader {
  std::string name;                    ///< as written ("aws/s3/S3Client.h", "project.h")
  bool angled = false;                 ///< <...> rather than "..."
  Loc from;                            ///< the #include line
  std::vector<std::string> candidates; ///< where it would have been found
};

struct TUFacts {
  std::string mainFile;
  std::vector<FunctionFacts> functions;
  std::vector<HandlerEntry> entries;
  std::vector<FactsError> errors;
  std::vector<Dependency> deps;       ///< every file the parse read, main file first
  std::vector<std::string> fallback;  ///< built-in headers that stood in for missing ones
  std::vector<FactsError> notes;      ///< things to tell the user that are not errors
  std::vector<MissingHeader> missing; ///< includes that were not found (skipped)
  size_t errorsSetAside = 0;          ///< compiler errors that follow from missing headers or stand-ins
};

/// Edge callees that name a function by what the source wrote ("unresolved:ns::helper"),
/// for calls whose declaration was in a header the parse did not see.
inline constexpr const char *kUnresolvedCallee = "unresolved:";
/// Callee prefix of a call through a parameter of an externally visible function
/// (`handler(req, &res)` in a C runtime's `run_handler(handler_fn handler)`): the link
/// binds it to the functions passed to that parameter in every TU (Edge::argOf).
inline constexpr const char *kParameterCallee = "param:";

/// Where built-in fallback headers are served from (a virtual directory).
inline constexpr const char *kFallbackRoot = "/coldstart-lint-fallback";

/// The headers a TU's own files include that were not found (not those a built-in
/// stand-in includes), each named once.
inline std::vector<std::string> missingHeaderNames(const TUFacts &tu) {
  std::vector<std::string> names;
  for (const MissingHeader &m : tu.missing)
    if (m.from.file.rfind(kFallbackRoot, 0) != 0 && std::find(names.begin(), names.end(), m.name) == names.end())
      names.push_back(m.name);
  return names;
}

inline std::string listNames(const std::vector<std::string> &names, size_t shown = 3) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < shown; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
  return out;
}

/// The one line that says a TU was analysed without some of its headers, or "".
inline std::string describeIncomplete(const TUFacts &tu) {
  std::vector<std::string> missing = missingHeaderNames(tu);
  if (missing.empty()) return {};
  std::string text = "headers not found: " + listNames(missing) + " (the parse skipped them";
  if (!tu.fallback.empty()) text += "; built-in declarations stood in for " + listNames(tu.fallback);
  text += "); findings may be incomplete";
  if (tu.errorsSetAside)
    text += "; " + std::to_string(tu.errorsSetAside) +
            (tu.errorsSetAside == 1 ? " error that follows" : " errors that follow") +
            (tu.errorsSetAside == 1 ? " from them was set aside" : " from them were set aside");
  return text;
}

/// A file analysed without some of its headers (JSON "notes", SARIF notifications).
struct IncompleteAnalysis {
  std::string file;
  std::string message;
  std::vector<std::string> missing;
  size_t errorsSetAside = 0;
};

inline IncompleteAnalysis incompleteAnalysis(const TUFacts &tu) {
  IncompleteAnalysis ia;
  ia.missing = missingHeaderNames(tu);
  if (ia.missing.empty()) return ia;
  ia.file = tu.mainFile;
  ia.message = describeIncomplete(tu);
  ia.errorsSetAside = tu.errorsSetAside;
  return ia;
}

// ---- JSON (facts files, caches, shards) -----------------------------------------

inline const char *edgeKindName(EdgeKind k) {
  switch (k) {
  case EdgeKind::Call:
    return "call";
  case EdgeKind::Construct:
    return "construct";
  case EdgeKind::Destruct:
    return "destruct";
  case EdgeKind::Lambda:
    return "lambda";
  case EdgeKind::Reference:
    return "reference";
  case EdgeKind::Loop:
    return "loop";
  }
  return "call";
}

inline EdgeKind edgeKindFromName(const std::string &s) {
  for (EdgeKind k :
       {EdgeKind::Call, EdgeKind::Construct, EdgeKind::Destruct, EdgeKind::Lambda, EdgeKind::Reference, EdgeKind::Loop})
    if (s == edgeKindName(k)) return k;
  return EdgeKind::Call;
}

inline void to_json(nlohmann::json &j, const Loc &l) {
  j = nlohmann::json{{"file", l.file}, {"line", l.line}, {"col", l.col}, {"offset", l.offset}};
}
inline void from_json(const nlohmann::json &j, Loc &l) {
  l.file = j.at("file").get<std::string>();
  l.line = j.at("line").get<unsigned>();
  l.col = j.at("col").get<unsigned>();
  l.offset = j.value("offset", 0u);
}
inline void to_json(nlohmann::json &j, const Replacement &r) {
  j = nlohmann::json{{"file", r.file}, {"offset", r.offset}, {"length", r.length},
                     {"text", r.text}, {"line", r.line},     {"col", r.col}};
}
inline void from_json(const nlohmann::json &j, Replacement &r) {
  r.file = j.at("file").get<std::string>();
  r.offset = j.at("offset").get<unsigned>();
  r.length = j.at("length").get<unsigned>();
  r.text = j.at("text").get<std::string>();
  r.line = j.value("line", 0u);
  r.col = j.value("col", 0u);
}
inline void to_json(nlohmann::json &j, const Fix &f) {
  j = nlohmann::json{{"description", f.description}, {"replacements", f.replacements}};
  if (!f.scopeBegin.file.empty()) j["scope"] = {f.scopeBegin, f.scopeEnd};
}
inline void from_json(const nlohmann::json &j, Fix &f) {
  f.description = j.at("description").get<std::string>();
  f.replacements = j.at("replacements").get<std::vector<Replacement>>();
  if (j.contains("scope")) {
    f.scopeBegin = j.at("scope").at(0).get<Loc>();
    f.scopeEnd = j.at("scope").at(1).get<Loc>();
  }
}
inline void to_json(nlohmann::json &j, const Edge &e) {
  j = nlohmann::json{{"callee", e.callee}, {"loc", e.loc}, {"kind", edgeKindName(e.kind)}, {"once", e.once}};
  if (!e.caller.empty()) j["caller"] = e.caller;
  if (!e.argOf.empty()) j["argOf"] = e.argOf;
}
inline void from_json(const nlohmann::json &j, Edge &e) {
  e.callee = j.at("callee").get<std::string>();
  e.loc = j.at("loc").get<Loc>();
  e.kind = edgeKindFromName(j.at("kind").get<std::string>());
  e.once = j.value("once", false);
  e.caller = j.value("caller", std::string());
  e.argOf = j.value("argOf", std::string());
}
inline void to_json(nlohmann::json &j, const Site &s) {
  j = nlohmann::json{{"kind", s.kind}, {"entry", s.entry}, {"subject", s.subject}, {"form", s.form},
                     {"loc", s.loc},   {"once", s.once},   {"fixes", s.fixes},     {"data", s.data}};
  if (!s.locs.empty()) j["locs"] = s.locs;
}
inline void from_json(const nlohmann::json &j, Site &s) {
  s.kind = j.at("kind").get<std::string>();
  s.entry = j.at("entry").get<std::string>();
  s.subject = j.at("subject").get<std::string>();
  s.form = j.value("form", "");
  s.loc = j.at("loc").get<Loc>();
  s.once = j.value("once", false);
  s.fixes = j.value("fixes", std::vector<Fix>{});
  s.data = j.value("data", std::map<std::string, std::string>{});
  s.locs = j.value("locs", std::map<std::string, Loc>{});
}
inline void to_json(nlohmann::json &j, const FunctionFacts &f) {
  j = nlohmann::json{{"id", f.id},
                     {"name", f.name},
                     {"qualifiedName", f.qualifiedName},
                     {"nodeKind", f.nodeKind},
                     {"loc", f.loc},
                     {"handlerSignature", f.handlerSignature},
                     {"mentionsNextUrl", f.mentionsNextUrl},
                     {"unboundedLoop", f.unboundedLoop},
                     {"overrides", f.overrides},
                     {"attrs", f.attrs},
                     {"edges", f.edges},
                     {"sites", f.sites}};
  if (!f.fixes.empty()) j["fixes"] = f.fixes;
}
inline void from_json(const nlohmann::json &j, FunctionFacts &f) {
  f.id = j.at("id").get<std::string>();
  f.name = j.at("name").get<std::string>();
  f.qualifiedName = j.value("qualifiedName", "");
  f.nodeKind = j.value("nodeKind", "function");
  f.loc = j.at("loc").get<Loc>();
  f.handlerSignature = j.value("handlerSignature", std::string());
  f.mentionsNextUrl = j.value("mentionsNextUrl", false);
  f.unboundedLoop = j.value("unboundedLoop", false);
  f.overrides = j.value("overrides", std::vector<std::string>{});
  f.attrs = j.value("attrs", std::map<std::string, std::string>{});
  f.edges = j.value("edges", std::vector<Edge>{});
  f.sites = j.value("sites", std::vector<Site>{});
  f.fixes = j.value("fixes", std::vector<Fix>{});
}
inline void to_json(nlohmann::json &j, const HandlerEntry &e) {
  j = nlohmann::json{{"id", e.id}, {"how", e.how}, {"loc", e.loc}, {"detail", e.detail}};
}
inline void from_json(const nlohmann::json &j, HandlerEntry &e) {
  e.id = j.at("id").get<std::string>();
  e.how = j.at("how").get<std::string>();
  e.loc = j.at("loc").get<Loc>();
  e.detail = j.value("detail", "");
}
inline void to_json(nlohmann::json &j, const FactsError &e) {
  j = nlohmann::json{{"file", e.file}, {"message", e.message}, {"where", e.where}, {"detail", e.detail}};
}
inline void from_json(const nlohmann::json &j, FactsError &e) {
  e.file = j.at("file").get<std::string>();
  e.message = j.at("message").get<std::string>();
  if (j.contains("where")) e.where = j.at("where").get<Loc>();
  e.detail = j.value("detail", "");
}
inline void to_json(nlohmann::json &j, const Dependency &d) { j = nlohmann::json::array({d.path, d.hash}); }
inline void from_json(const nlohmann::json &j, Dependency &d) {
  d.path = j.at(0).get<std::string>();
  d.hash = j.at(1).get<std::string>();
}
inline void to_json(nlohmann::json &j, const MissingHeader &m) {
  j = nlohmann::json{{"name", m.name}, {"angled", m.angled}, {"from", m.from}, {"candidates", m.candidates}};
}
inline void from_json(const nlohmann::json &j, MissingHeader &m) {
  m.name = j.at("name").get<std::string>();
  m.angled = j.value("angled", false);
  if (j.contains("from")) m.from = j.at("from").get<Loc>();
  m.candidates = j.value("candidates", std::vector<std::string>{});
}
inline void to_json(nlohmann::json &j, const TUFacts &t) {
  j = nlohmann::json{{"mainFile", t.mainFile}, {"functions", t.functions}, {"entries", t.entries},
                     {"errors", t.errors},     {"deps", t.deps},           {"fallback", t.fallback},
                     {"notes", t.notes},       {"missing", t.missing},     {"errorsSetAside", t.errorsSetAside}};
}
inline void from_json(const nlohmann::json &j, TUFacts &t) {
  t.mainFile = j.at("mainFile").get<std::string>();
  t.functions = j.value("functions", std::vector<FunctionFacts>{});
  t.entries = j.value("entries", std::vector<HandlerEntry>{});
  t.errors = j.value("errors", std::vector<FactsError>{});
  t.deps = j.value("deps", std::vector<Dependency>{});
  t.fallback = j.value("fallback", std::vector<std::string>{});
  t.notes = j.value("notes", std::vector<FactsError>{});
  t.missing = j.value("missing", std::vector<MissingHeader>{});
  t.errorsSetAside = j.value("errorsSetAside", size_t(0));
}

} // namespace coldstart
