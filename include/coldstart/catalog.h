// The catalog: what coldstart-lint knows about libraries, as data.
//
// Every API the checks recognise (SDK client classes, factory functions, sleeps,
// handler registration, once-only wrappers...) is an entry in a YAML table, one
// table per ecosystem under catalog/, embedded into the binary at build time.
// Users add entries with the same schema under `Catalog:` in .coldstart-lint.yaml.
// Extraction matches entries against the AST; checks read the texts for messages.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/YAMLTraits.h>

namespace coldstart {

/// What an entry means to the analysis. Checks select sites by kind.
enum class Kind {
  Client,          ///< builds a client, connection, channel, configuration or context
  SdkInit,         ///< initialises an SDK's global state (Aws::InitAPI)
  Construct,       ///< a wrapper that constructs its template argument (std::make_unique)
  RegisterHandler, ///< registers a per-invocation callable (aws::lambda_runtime::run_handler)
  Once,            ///< runs a callable at most once (std::call_once)
  Release,         ///< releases a client or connection (curl_easy_cleanup)
  Sleep,           ///< sleeps for a duration
  Spawn,           ///< starts a process
  Wait,            ///< blocks until something happens elsewhere
  Io,              ///< file or stream I/O
  Network,         ///< network I/O
  Regex,           ///< compiles a regular expression
  NextEvent,       ///< fetches the next event from the Lambda Runtime API (a runtime loop marker)
  Pool,            ///< attaches the client in `Arg` to a longer-lived connection cache (curl_multi_add_handle)
};

inline const std::vector<std::pair<Kind, const char *>> &kindNames() {
  static const std::vector<std::pair<Kind, const char *>> names = {
      {Kind::Client, "client"},
      {Kind::SdkInit, "sdk-init"},
      {Kind::Construct, "construct"},
      {Kind::RegisterHandler, "register-handler"},
      {Kind::Once, "once"},
      {Kind::Release, "release"},
      {Kind::Sleep, "sleep"},
      {Kind::Spawn, "spawn"},
      {Kind::Wait, "wait"},
      {Kind::Io, "io"},
      {Kind::Network, "network"},
      {Kind::Regex, "regex"},
      {Kind::NextEvent, "next-event"},
      {Kind::Pool, "pool"},
  };
  return names;
}

inline const char *kindName(Kind k) {
  for (auto &[kind, name] : kindNames())
    if (kind == k) return name;
  return "client";
}

/// A class: constructing it (or, with `derived`, any class derived from it) is a site.
struct CatalogClass {
  std::string name;     ///< fully qualified, without inline namespaces: "Aws::S3::S3Client"
  bool derived = false; ///< also match classes derived from `name`
  Kind kind = Kind::Client;
  std::string what;              ///< noun phrase: "an AWS SDK client"
  std::string cost;              ///< why it costs, as a clause: "it resolves credentials ..."
  std::string instead;           ///< what to do instead: "build it once in main ..."
  std::vector<std::string> tags; ///< e.g. "aws-sdk" (must not outlive Aws::ShutdownAPI)
  std::string ecosystem;         ///< filled from the table's Ecosystem
};

/// A function or method (qualified name): calling it is a site.
struct CatalogFunction {
  std::string name; ///< "curl_easy_init", "Aws::InitAPI", "std::make_unique"
  Kind kind = Kind::Client;
  std::string what;
  std::string cost;
  std::string instead;
  int arg = -1;     ///< the argument that matters (callable, duration, template argument)
  std::string unit; ///< for sleeps: unit of `arg` ("s", "ms", "us", "ns", "timespec", "chrono")
  std::vector<std::string> tags;
  std::string option; ///< the call counts only when the argument at `optionArg` names this constant
  int optionArg = -1;
  int poolArg = -1; ///< kind pool: the cache the client joins, if it has one only when set up so
  /// kind client returning a handle: the function that clears the handle's per-request
  /// state and keeps its connections (curl_easy_reset); the fix reuses the handle with it
  std::string reset;
  std::string ecosystem;
  bool builtin = false; ///< from catalog/ (not a user's config)
};

/// A setting whose value can defeat connection reuse: an option passed to a function
/// (`curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L)`, `cli.set_keep_alive(false)`) or
/// a data member assigned (`cfg.maxConnections = 0`).
struct CatalogSetting {
  std::string name;   ///< function, method or data member (qualified)
  std::string option; ///< the enum constant at `optionArg`, if the function takes several options
  int optionArg = -1;
  int valueArg = 0;
  std::string bad; ///< which values are bad: "nonzero", "zero", "true", "false"
  std::string fix; ///< replacement text for the value, if the fix is mechanical
  std::string what;
  std::string cost;
  std::string instead;
  std::string ecosystem;
};

/// A handler signature: functions of this shape are per-invocation entries, even when
/// they are registered in another translation unit.
struct HandlerSignature {
  std::string returns;   ///< qualified class name of the return type, or "void"
  std::string parameter; ///< qualified class name of the single parameter
  /// How the parameter is passed: "const-ref" (default: `T const&`), "value" (`T`), or
  /// "any" (`T`, `T const&`, `T&&`).
  std::string passing = "const-ref";
  /// How a message names the signature ("invocation_response(invocation_request const&)");
  /// made from the names when empty.
  std::string text;
};

/// A request made in two calls on a handle, whose first argument it is in both: one sets
/// the URL, one sends the request (`curl_easy_setopt(h, CURLOPT_URL, url)`, then
/// `curl_easy_perform(h)`). A send on a handle whose URL names a runtime-loop marker
/// fetches the next event, so the loop around it is a custom runtime loop.
struct UrlRequest {
  std::string setUrl; ///< function (unqualified) that sets the URL, which is its last argument
  std::string option; ///< the constant at `optionArg` that selects the URL, if it takes several options
  int optionArg = -1;
  int urlArg = 1;      ///< the URL (the call has `urlArg + 1` arguments)
  std::string perform; ///< function (unqualified) that sends the request; the handle is its only argument
};

/// One YAML table (a file under catalog/, or the Catalog: key of a config).
struct CatalogTable {
  std::string ecosystem;
  std::string description;
  std::vector<CatalogClass> classes;
  std::vector<CatalogFunction> functions;
  std::vector<HandlerSignature> handlerSignatures;
  std::vector<CatalogSetting> settings;
  bool builtin = false; ///< a table of catalog/, embedded in the binary
  /// String fragments that mark a request for the next event in a custom runtime
  /// loop ("/runtime/invocation/next"): the loop around such a request is a handler.
  std::vector<std::string> runtimeLoopMarkers;
  /// How a library sets a request's URL and sends it (see UrlRequest).
  std::vector<UrlRequest> urlRequests;
  /// Named lists of library names that extraction consults (kNameLists says which
  /// lists exist and what each means): `Names: { owning-pointers: [std::unique_ptr] }`.
  std::map<std::string, std::vector<std::string>> names;
};

/// The lists a table's `Names:` may extend, and what an entry of each means. A list
/// the analysis does not read is a typo: the table is rejected.
inline const std::vector<std::pair<const char *, const char *>> &kNameLists() {
  static const std::vector<std::pair<const char *, const char *>> lists = {
      {"owning-pointers", "smart pointer class templates whose first template argument is the object they own and "
                          "destroy (a static one destroys it after main)"},
      {"value-holders", "class templates that hold their template arguments by value (std::optional, std::tuple)"},
      {"fallible-results", "class templates that hold a value or an error (StatusOr, std::expected): a client "
                           "factory's result of one is not made static, which would keep a failure for good"},
      {"moves-from-argument", "functions that move from, or swap, an object passed to them: a client handed to one "
                              "is not left as it was built"},
      {"header-list-builders", "functions that build a request's header list (curl_slist_append): a "
                               "'Connection: close' passed to one is sent"},
      {"request-setter-prefixes", "prefixes of the methods that set a field of a request object (SetKey, "
                                  "WithFunctionName): calling one does no work of its own"},
      {"container-insert-methods",
       "methods (any class) that put their arguments into the object they are called "
       "on (push_back, emplace, insert): a callable passed to one flows into the container"},
      {"thread-classes", "class names (any namespace) whose constructor runs the callable it is given on a new "
                         "thread (std::thread, std::jthread)"},
      {"callable-running-methods", "methods (any class) that run the callable they are given (an optional's "
                                   "transform, and_then)"},
      {"callable-storing-functions", "function names (any namespace) that store or forward a callable instead of "
                                     "running it (std::move, std::bind, atexit); every other library function given "
                                     "a callable is taken to run it"},
      {"invocation-type-setters", "request methods that set a Lambda invocation type (SetInvocationType)"},
      {"asynchronous-invocation-types", "enumerators of those invocation types that do not wait for the invoked "
                                        "function (Event, DryRun)"},
      {"emptiness-tests", "methods (any class) that say the object holds nothing (empty): `if (cache.empty())` "
                          "guards a lazy initialisation"},
      {"presence-tests", "methods (any class) that say the object holds something (has_value, get, contains, "
                         "count, load)"},
      {"filling-methods", "methods (any class) that put a value into the object whatever their arguments "
                          "(emplace, insert, push_back, assign, swap)"},
      {"emptying-methods", "methods (any class) that empty the object (clear)"},
      {"connection-owning-handles", "functions (catalog clients) that create a handle owning its own connection "
                                    "cache (curl_easy_init): created and released in one invocation, the cache goes "
                                    "with it"},
      {"connection-owning-releases", "functions (catalog releases) that release such a handle (curl_easy_cleanup)"},
      {"keep-alive-off-clients", "client classes (catalog entries) that close the connection after every request "
                                 "unless keep-alive is turned on (httplib::Client)"},
      {"keep-alive-setters", "methods of those clients that turn keep-alive on when given true (set_keep_alive)"},
      {"configuring-method-prefixes", "prefixes of client methods that configure the client rather than send a "
                                      "request (set_): calling one from a handler is not a use"},
      {"future-classes", "class names (any namespace) of futures (std::future, std::shared_future): a call "
                         "returning one started asynchronous work"},
      {"future-waits", "methods (any class) that wait for a future (get, wait)"},
      {"no-work-namespaces", "top-level namespaces whose functions do no work of their own while a future is in "
                             "flight (std: std::move, std::string)"},
      {"argument-forwarding-functions", "functions (in system headers, unqualified) that return their only "
                                        "argument (std::move, std::forward): a request passed through one is that "
                                        "request"},
      {"timespec-second-fields", "fields of a `timespec` sleep argument (Unit: timespec) that count seconds "
                                 "(tv_sec)"},
      {"timespec-nanosecond-fields", "fields of such an argument that count nanoseconds (tv_nsec)"},
      {"header-adding-methods", "methods (any class, compared lower-case) that add an entry to the object they are "
                                "called on: called on a header container or an HTTP message, they set a request "
                                "header (set, insert, push_back)"},
      {"string-contents-methods", "methods (any class) that return a string's characters (c_str, data): a site's "
                                  "argument `path.c_str()` is `path`"},
      {"allocation-tag-prefixes", "qualified-name prefixes of construct wrappers whose first argument is an "
                                  "allocation tag, not a constructor argument (Aws::: Aws::MakeShared<T>(tag, ...))"},
      {"value-setters", "methods (any class) that set the object to their argument, and empty it when given none "
                        "or an empty value (reset, store)"},
      {"exchanging-methods", "methods (any class) that set the object to their argument and return what it held "
                             "(exchange): `!g.exchange(true)` lets one caller through; exchanging in an empty value "
                             "empties it"},
      {"counter-increments", "methods (any class) that add their argument to a counter and return what it held "
                             "(fetch_add): `g.fetch_add(1) == 0` holds once"},
      {"flag-setting-tests", "methods (any class) that set a flag and return whether it was set (test_and_set): "
                             "`!f.test_and_set()` holds once"},
      {"compare-exchanges", "methods (any class) that set the object to their second argument only while it holds "
                            "their first (compare_exchange_strong): succeeding from a constant holds once"},
      {"store-functions", "functions (in system headers) that store their second argument into the object their "
                          "first points to (std::atomic_store)"},
      {"load-functions", "functions (in system headers) that read the object their first argument points to "
                         "(std::atomic_load): what they read is that object"},
      {"empty-values", "constants (unqualified) that stand for no value (std::nullopt): comparing with one tests "
                       "presence, storing one empties the object"},
      {"key-lookups", "methods (any class) that look a key up (find): `cache.find(k) == cache.end()` tests the "
                      "entry for k"},
      {"lookup-ends", "methods (any class) that return the position a failed lookup returns (end)"},
      {"key-inserting-methods", "methods (any class) that insert a key if it is new and return (position, "
                                "inserted) (try_emplace, emplace, insert): a branch on `inserted` runs once per key"},
      {"inserted-flags", "the member of such a result that says the key was new (second)"},
      {"pointer-getters", "methods (any class) that return the pointer a smart pointer holds (get): `p.get()` is "
                          "the object p owns"},
      {"element-accessors", "methods (any class) that return an element of the object (at): an element of a "
                            "long-lived container is long-lived"},
      {"store-target-methods", "methods (any class) whose first argument becomes what the object holds (reset, "
                               "emplace): a client built in that argument is stored in the object"},
      {"ownership-changing-methods", "methods (any class) that change what the object owns (reset, release, swap): "
                                     "a local made static would carry the change to the next invocation"},
      {"construction-machinery-headers", "header path suffixes of the standard library's allocation machinery, whose "
                                         "function bodies are parsed even when bodies are skipped (make_shared "
                                         "instantiates the constructor it calls through them)"},
  };
  return lists;
}

class Catalog {
public:
  /// Adds a table; later entries with the same name replace earlier ones, so a
  /// user's config can override a built-in entry.
  void add(const CatalogTable &table) {
    for (CatalogClass c : table.classes) {
      if (c.ecosystem.empty()) c.ecosystem = table.ecosystem;
      auto it = classIndex_.find(c.name);
      if (it != classIndex_.end()) classes_[it->second] = c;
      else {
        classIndex_[c.name] = classes_.size();
        classes_.push_back(c);
      }
    }
    for (CatalogFunction f : table.functions) {
      if (f.ecosystem.empty()) f.ecosystem = table.ecosystem;
      f.builtin = table.builtin;
      auto it = functionIndex_.find(f.name);
      if (it != functionIndex_.end()) functions_[it->second] = f;
      else {
        functionIndex_[f.name] = functions_.size();
        functions_.push_back(f);
      }
    }
    for (const auto &h : table.handlerSignatures) handlerSignatures_.push_back(h);
    for (CatalogSetting st : table.settings) {
      if (st.ecosystem.empty()) st.ecosystem = table.ecosystem;
      settings_.push_back(st);
    }
    for (const auto &m : table.runtimeLoopMarkers) runtimeLoopMarkers_.push_back(m);
    for (const auto &r : table.urlRequests) urlRequests_.push_back(r);
    for (const auto &[list, entries] : table.names)
      for (const std::string &e : entries) {
        std::vector<std::string> &to = names_[list];
        if (std::find(to.begin(), to.end(), e) == to.end()) to.push_back(e);
      }
  }

  /// The entries of the named list `list` (see kNameLists), from every table.
  const std::vector<std::string> &names(std::string_view list) const {
    static const std::vector<std::string> none;
    auto it = names_.find(list);
    return it == names_.end() ? none : it->second;
  }
  /// Whether `name` is an entry of the named list `list`.
  bool listed(std::string_view list, llvm::StringRef name) const {
    for (const std::string &e : names(list))
      if (name == e) return true;
    return false;
  }

  const std::vector<HandlerSignature> &handlerSignatures() const { return handlerSignatures_; }
  const std::vector<std::string> &runtimeLoopMarkers() const { return runtimeLoopMarkers_; }
  const std::vector<UrlRequest> &urlRequests() const { return urlRequests_; }
  const std::vector<CatalogSetting> &settings() const { return settings_; }
  /// Settings that apply to function (or member) `name`.
  std::vector<const CatalogSetting *> settingsFor(const std::string &name) const {
    std::vector<const CatalogSetting *> out;
    for (const CatalogSetting &s : settings_)
      if (s.name == name) out.push_back(&s);
    return out;
  }

  const CatalogClass *findClass(const std::string &qualifiedName) const {
    auto it = classIndex_.find(qualifiedName);
    return it == classIndex_.end() ? nullptr : &classes_[it->second];
  }
  const CatalogFunction *findFunction(const std::string &qualifiedName) const {
    auto it = functionIndex_.find(qualifiedName);
    return it == functionIndex_.end() ? nullptr : &functions_[it->second];
  }
  /// An entry by the name a Site records in `entry`.
  const CatalogClass *classEntry(const std::string &name) const { return findClass(name); }
  const CatalogFunction *functionEntry(const std::string &name) const { return findFunction(name); }

  const std::vector<CatalogClass> &classes() const { return classes_; }
  const std::vector<CatalogFunction> &functions() const { return functions_; }

private:
  std::vector<CatalogClass> classes_;
  std::vector<CatalogFunction> functions_;
  std::map<std::string, size_t> classIndex_;
  std::map<std::string, size_t> functionIndex_;
  std::vector<HandlerSignature> handlerSignatures_;
  std::vector<std::string> runtimeLoopMarkers_;
  std::vector<UrlRequest> urlRequests_;
  std::vector<CatalogSetting> settings_;
  std::map<std::string, std::vector<std::string>, std::less<>>
      names_; ///< transparent: looked up by literal on hot paths
};

/// Parses YAML text with LLVM's YAML IO. On error returns false and sets `error` to
/// one line: "<origin>:<line>:<col>: <what is wrong>".
template <typename T> bool parseYaml(llvm::StringRef text, const std::string &origin, T &out, std::string &error) {
  struct Ctx {
    std::string origin;
    std::string first;
  } ctx{origin, {}};
  auto handler = [](const llvm::SMDiagnostic &d, void *p) {
    auto *c = static_cast<Ctx *>(p);
    if (!c->first.empty()) return;
    c->first = c->origin + ":" + std::to_string(d.getLineNo()) + ":" + std::to_string(d.getColumnNo() + 1) + ": " +
               d.getMessage().str();
  };
  llvm::yaml::Input in(text, nullptr, handler, &ctx);
  in >> out;
  if (in.error()) {
    error = ctx.first.empty() ? origin + ": malformed YAML" : ctx.first;
    return false;
  }
  return true;
}

} // namespace coldstart

// ---- YAML mapping ------------------------------------------------------------------

LLVM_YAML_IS_SEQUENCE_VECTOR(coldstart::CatalogClass)
LLVM_YAML_IS_SEQUENCE_VECTOR(coldstart::CatalogFunction)
LLVM_YAML_IS_SEQUENCE_VECTOR(coldstart::HandlerSignature)
LLVM_YAML_IS_SEQUENCE_VECTOR(coldstart::CatalogSetting)
LLVM_YAML_IS_SEQUENCE_VECTOR(coldstart::UrlRequest)
LLVM_YAML_IS_STRING_MAP(std::vector<std::string>)

namespace llvm::yaml {

template <> struct ScalarEnumerationTraits<coldstart::Kind> {
  static void enumeration(IO &io, coldstart::Kind &k) {
    for (auto &[kind, name] : coldstart::kindNames()) io.enumCase(k, name, kind);
  }
};

struct CatalogMatch {
  bool derived = false;
  bool operator==(const CatalogMatch &o) const { return derived == o.derived; }
};
template <> struct ScalarEnumerationTraits<CatalogMatch> {
  static void enumeration(IO &io, CatalogMatch &m) {
    io.enumCase(m, "exact", CatalogMatch{false});
    io.enumCase(m, "derived", CatalogMatch{true});
  }
};

template <> struct MappingTraits<coldstart::CatalogClass> {
  static void mapping(IO &io, coldstart::CatalogClass &c) {
    io.mapRequired("Name", c.name);
    CatalogMatch m{c.derived};
    io.mapOptional("Match", m, CatalogMatch{false});
    c.derived = m.derived;
    io.mapRequired("Kind", c.kind);
    io.mapOptional("What", c.what);
    io.mapOptional("Cost", c.cost);
    io.mapOptional("Instead", c.instead);
    io.mapOptional("Tags", c.tags);
  }
  static std::string validate(IO &, coldstart::CatalogClass &c) {
    if (c.name.empty()) return "catalog class with an empty Name";
    return {};
  }
};

template <> struct MappingTraits<coldstart::CatalogFunction> {
  static void mapping(IO &io, coldstart::CatalogFunction &f) {
    io.mapRequired("Name", f.name);
    io.mapRequired("Kind", f.kind);
    io.mapOptional("What", f.what);
    io.mapOptional("Cost", f.cost);
    io.mapOptional("Instead", f.instead);
    io.mapOptional("Arg", f.arg, -1);
    io.mapOptional("Unit", f.unit);
    io.mapOptional("Tags", f.tags);
    io.mapOptional("Option", f.option);
    io.mapOptional("OptionArg", f.optionArg, -1);
    io.mapOptional("PoolArg", f.poolArg, -1);
    io.mapOptional("Reset", f.reset);
  }
  static std::string validate(IO &, coldstart::CatalogFunction &f) {
    if (f.name.empty()) return "catalog function with an empty Name";
    if (!f.option.empty() && f.optionArg < 0) return "catalog function '" + f.name + "': Option needs OptionArg";
    return {};
  }
};

template <> struct MappingTraits<coldstart::HandlerSignature> {
  static void mapping(IO &io, coldstart::HandlerSignature &h) {
    io.mapRequired("Returns", h.returns);
    io.mapRequired("Parameter", h.parameter);
    io.mapOptional("Passing", h.passing, std::string("const-ref"));
    io.mapOptional("Text", h.text);
  }
};

template <> struct MappingTraits<coldstart::CatalogSetting> {
  static void mapping(IO &io, coldstart::CatalogSetting &s) {
    io.mapRequired("Name", s.name);
    io.mapOptional("Option", s.option);
    io.mapOptional("OptionArg", s.optionArg, -1);
    io.mapOptional("ValueArg", s.valueArg, 0);
    io.mapRequired("Bad", s.bad);
    io.mapOptional("Fix", s.fix);
    io.mapOptional("What", s.what);
    io.mapOptional("Cost", s.cost);
    io.mapOptional("Instead", s.instead);
  }
  static std::string validate(IO &, coldstart::CatalogSetting &s) {
    if (s.bad != "nonzero" && s.bad != "zero" && s.bad != "true" && s.bad != "false")
      return "setting '" + s.name + "': Bad must be nonzero, zero, true or false";
    return {};
  }
};

template <> struct MappingTraits<coldstart::UrlRequest> {
  static void mapping(IO &io, coldstart::UrlRequest &r) {
    io.mapRequired("SetUrl", r.setUrl);
    io.mapOptional("Option", r.option);
    io.mapOptional("OptionArg", r.optionArg, -1);
    io.mapRequired("UrlArg", r.urlArg);
    io.mapRequired("Perform", r.perform);
  }
  static std::string validate(IO &, coldstart::UrlRequest &r) {
    if (r.setUrl.empty() || r.perform.empty()) return "UrlRequests entry needs SetUrl and Perform";
    if (r.urlArg < 1) return "UrlRequests entry '" + r.setUrl + "': UrlArg must follow the handle (1 or more)";
    if (!r.option.empty() && (r.optionArg < 1 || r.optionArg == r.urlArg))
      return "UrlRequests entry '" + r.setUrl + "': Option needs an OptionArg other than the handle and the URL";
    return {};
  }
};

template <> struct MappingTraits<coldstart::CatalogTable> {
  static void mapping(IO &io, coldstart::CatalogTable &t) {
    io.mapOptional("Ecosystem", t.ecosystem);
    io.mapOptional("Description", t.description);
    io.mapOptional("Classes", t.classes);
    io.mapOptional("Functions", t.functions);
    io.mapOptional("HandlerSignatures", t.handlerSignatures);
    io.mapOptional("Settings", t.settings);
    io.mapOptional("RuntimeLoopMarkers", t.runtimeLoopMarkers);
    io.mapOptional("UrlRequests", t.urlRequests);
    io.mapOptional("Names", t.names);
  }
  static std::string validate(IO &, coldstart::CatalogTable &t) {
    for (const auto &[list, entries] : t.names) {
      bool known = false;
      for (const auto &[name, meaning] : coldstart::kNameLists()) known = known || list == name;
      if (!known) {
        std::string all;
        for (const auto &[name, meaning] : coldstart::kNameLists())
          all += (all.empty() ? "" : ", ") + std::string(name);
        return "Names has no list '" + list + "' (the lists are: " + all + ")";
      }
    }
    return {};
  }
};

} // namespace llvm::yaml
