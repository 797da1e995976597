// Unit tests of the library pieces that do not need a parse: globs, NOLINT, config
// and catalog parsing, the linker (on hand-built facts), the JSON emitter.
#include <catch2/catch.hpp>

#include "coldstart/catalog.h"
#include "coldstart/config.h"
#include "coldstart/driver/facts_cache.h"
#include "coldstart/emit.h"
#include "coldstart/emit/json.h"
#include "coldstart/emit/sarif.h"
#include "coldstart/emit/text.h"
#include "coldstart/globs.h"
#include "coldstart/link.h"
#include "coldstart/nolint.h"
#include "coldstart/session.h"

#include "coldstart_embedded_catalog.h"
#include "registry.h"

using namespace coldstart;

TEST_CASE("globs follow clang-tidy: last match wins, '-' removes") {
  GlobList g("coldstart-*,-coldstart-blocking-call");
  CHECK(g.contains("coldstart-client-per-invocation"));
  CHECK_FALSE(g.contains("coldstart-blocking-call"));
  CHECK_FALSE(g.contains("bugprone-foo"));
  GlobList h("-*, coldstart-blocking-call ");
  CHECK(h.contains("coldstart-blocking-call"));
  CHECK_FALSE(h.contains("coldstart-client-per-invocation"));
  CHECK(globMatch("a*c", "abbbc"));
  CHECK_FALSE(globMatch("a*c", "abbbd"));
  CHECK(globMatch("*", ""));
}

TEST_CASE("NOLINT comments suppress like clang-tidy's") {
  std::string src = "a; // NOLINT\n"
                    "b; // NOLINT(coldstart-client-per-invocation)\n"
                    "c; // NOLINT(other-check)\n"
                    "// NOLINTNEXTLINE(coldstart-*)\n"
                    "d;\n"
                    "e; // NOLINT()\n"
                    "f; // NOLINT(unclosed\n"
                    "// NOLINTBEGIN(coldstart-client-per-invocation)\n"
                    "g;\n"
                    "// NOLINTEND(coldstart-client-per-invocation)\n"
                    "h;\n"
                    "i; // NOLINTNEXTLINE\n";
  NoLintIndex idx(src);
  auto at = [&](char c) { return src.find(std::string(1, c) + ";"); };
  const std::string check = "coldstart-client-per-invocation";
  CHECK(idx.suppressed(at('a'), check));
  CHECK(idx.suppressed(at('b'), check));
  CHECK_FALSE(idx.suppressed(at('c'), check));
  CHECK(idx.suppressed(at('d'), check));
  CHECK_FALSE(idx.suppressed(at('e'), check));
  CHECK(idx.suppressed(at('f'), check));
  CHECK(idx.suppressed(at('g'), check));
  CHECK_FALSE(idx.suppressed(at('g'), "coldstart-blocking-call"));
  CHECK_FALSE(idx.suppressed(at('h'), check));
  CHECK_FALSE(idx.suppressed(at('i'), check)); // NOLINTNEXTLINE only covers the next line
  CHECK(idx.problems().empty());
}

TEST_CASE("unmatched NOLINTBEGIN/END are problems and suppress nothing") {
  std::string src = "// NOLINTBEGIN\nx;\n// NOLINTEND(other)\n";
  NoLintIndex idx(src);
  CHECK(idx.problems().size() == 2);
  CHECK_FALSE(idx.suppressed(src.find("x;"), "coldstart-client-per-invocation"));
}

TEST_CASE("config parses known keys and names the line of a bad one") {
  Config c;
  std::string err;
  REQUIRE(parseConfig(
      "Checks: 'coldstart-*'\nHandlerNames: [a, 'ns::b']\nSeverity:\n  coldstart-client-per-invocation: error\n",
      "cfg.yaml", c, err));
  CHECK(c.checks == std::optional<std::string>("coldstart-*"));
  CHECK(c.handlerNames == std::vector<std::string>{"a", "ns::b"});
  CHECK(c.severity.at("coldstart-client-per-invocation") == "error");

  CHECK_FALSE(parseConfig("Checks: x\nHandlerName: [a]\n", "cfg.yaml", c, err));
  CHECK(err.rfind("cfg.yaml:2:", 0) == 0);
  CHECK(err.find("unknown key 'HandlerName'") != std::string::npos);

  CHECK_FALSE(parseConfig("Severity: { coldstart-client-per-invocation: loud }\n", "cfg.yaml", c, err));
  CHECK(err.find("must be 'warning' or 'error'") != std::string::npos);

  CHECK_FALSE(parseConfig(std::string("\x7f"
                                      "ELF\0\0",
                                      6),
                          "junk.yaml", c, err));
  CHECK(err.find("junk.yaml") == 0);

  CHECK(parseConfig("", "empty.yaml", c, err));
  CHECK_FALSE(c.checks);
}

TEST_CASE("config catalog entries use the catalog schema") {
  Config c;
  std::string err;
  REQUIRE(parseConfig("Catalog:\n  Classes:\n    - Name: acme::Http\n      Kind: client\n      Cost: costs\n", "c.yaml",
                      c, err));
  REQUIRE(c.catalog.classes.size() == 1);
  CHECK(c.catalog.classes[0].name == "acme::Http");
  CHECK_FALSE(parseConfig("Catalog:\n  Classes:\n    - Name: acme::Http\n      Kind: expensive\n", "c.yaml", c, err));
  CHECK(err.find("c.yaml:4:") == 0);
}

TEST_CASE("every named list the analysis reads has built-in entries; an unknown list is rejected") {
  Catalog cat;
  std::string err;
  REQUIRE(loadBuiltinCatalog(embeddedTexts(embedded_catalog::files), cat, err));
  for (const auto &[list, meaning] : kNameLists()) {
    INFO(list);
    CHECK_FALSE(cat.names(list).empty());
  }
  CHECK(cat.listed("owning-pointers", "std::unique_ptr"));
  CHECK_FALSE(cat.listed("owning-pointers", "std::optional"));
  // A config extends a list; entries add up and are not repeated.
  CatalogTable user;
  REQUIRE(parseYaml("Names:\n  owning-pointers: [boost::shared_ptr, std::unique_ptr]\n", "c.yaml", user, err));
  size_t before = cat.names("owning-pointers").size();
  cat.add(user);
  CHECK(cat.listed("owning-pointers", "boost::shared_ptr"));
  CHECK(cat.names("owning-pointers").size() == before + 1);
  CatalogTable typo;
  CHECK_FALSE(parseYaml("Names:\n  owning-pointer: [boost::shared_ptr]\n", "c.yaml", typo, err));
  CHECK(err.find("Names has no list 'owning-pointer'") != std::string::npos);
}

TEST_CASE("the embedded catalog loads and covers every ecosystem of the design") {
  Catalog cat;
  std::string err;
  REQUIRE(loadBuiltinCatalog(embeddedTexts(embedded_catalog::files), cat, err));
  INFO(err);
  for (const char *cls :
       {"Aws::Client::AWSClient", "Aws::Client::ClientConfiguration", "Aws::Auth::AWSCredentialsProvider",
        "httplib::Client", "httplib::SSLClient", "pqxx::connection", "mongocxx::client",
        "google::cloud::storage::Client", "Azure::Storage::Blobs::BlobServiceClient"})
    CHECK(cat.findClass(cls));
  for (const char *fn : {"Aws::InitAPI", "curl_easy_init", "curl_multi_init", "curl_global_init", "grpc::CreateChannel",
                         "PQconnectdb", "mysql_real_connect", "redisConnect", "SSL_CTX_new", "std::make_unique",
                         "Aws::MakeShared", "std::call_once", "aws::lambda_runtime::run_handler"})
    CHECK(cat.findFunction(fn));
  CHECK(cat.findClass("Aws::Client::AWSClient")->derived);
  // Every client entry explains its cost and the alternative.
  for (const CatalogClass &c : cat.classes())
    if (c.kind == Kind::Client) {
      INFO(c.name);
      CHECK_FALSE(c.cost.empty());
      CHECK_FALSE(c.instead.empty());
    }
  for (const CatalogFunction &f : cat.functions())
    if (f.kind == Kind::Client || f.kind == Kind::SdkInit) {
      INFO(f.name);
      CHECK_FALSE(f.cost.empty());
      CHECK_FALSE(f.instead.empty());
    }
  REQUIRE_FALSE(cat.handlerSignatures().empty());
  REQUIRE_FALSE(cat.runtimeLoopMarkers().empty());
}

TEST_CASE("every check has an id, a summary and a documentation page") {
  for (const auto &c : checks::all()) {
    INFO(c->id());
    CHECK(std::string(c->id()).rfind("coldstart-", 0) == 0);
    CHECK_FALSE(c->summary().empty());
    CHECK(c->doc().find("# " + std::string(c->id())) == 0);
  }
}

TEST_CASE("the registry has one check per folder, named by its id, in sorted order") {
  std::vector<std::string_view> ids;
  for (const auto &c : checks::all()) ids.push_back(c->id());
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(ids == checks::folders()); // checks/<check-id>/check.cpp defines the check <check-id>
  for (std::string_view id : ids) CHECK(checks::page(id).find("# " + std::string(id)) == 0);
  CHECK(checks::page("coldstart-no-such-check").empty());
}

TEST_CASE("a check's options have their defaults in one place, shown on its page") {
  for (const auto &c : checks::all()) {
    std::string id(c->id());
    for (const CheckOption &o : c->options()) {
      INFO(id + "." + o.name);
      CHECK_FALSE(o.description.empty());
      CHECK(c->doc().find(id + "." + o.name + ": " + o.defaultValue) != std::string_view::npos);
      CHECK(checkOption(*c, o.name, {}) == o.defaultValue);
      CHECK(checkOption(*c, o.name, {{id + "." + o.name, "7"}}) == "7");
    }
    if (c->options().empty()) CHECK(c->doc().find("declares no `CheckOptions`") != std::string_view::npos);
  }
  const auto all = checks::all();
  auto heavy =
      std::find_if(all.begin(), all.end(), [](const auto &c) { return c->id() == "coldstart-heavy-static-init"; });
  REQUIRE(heavy != all.end());
  CHECK(checkOption(**heavy, "LargeContainerThreshold", {}) == "1000");
  CHECK(checkOption(**heavy, "NoSuchOption", {}).empty());
}

// ---- the linker on hand-built facts ------------------------------------------------

namespace {
Loc at(unsigned line, const std::string &file = "/src/main.cpp") { return Loc{file, line, 1, line * 10}; }

FunctionFacts fn(const std::string &id, unsigned line, const std::string &kind = "function") {
  FunctionFacts f;
  f.id = id;
  f.name = id;
  f.qualifiedName = id;
  f.nodeKind = kind;
  f.loc = at(line);
  return f;
}
Edge edge(const std::string &callee, unsigned line, bool once = false, EdgeKind k = EdgeKind::Call) {
  Edge e;
  e.callee = callee;
  e.loc = at(line);
  e.once = once;
  e.kind = k;
  return e;
}
Site site(unsigned line, bool once = false) {
  Site s;
  s.kind = "client";
  s.entry = s.subject = "Aws::S3::S3Client";
  s.loc = at(line);
  s.once = once;
  return s;
}
} // namespace

TEST_CASE("link: reach from run_handler entries, skip once-only edges, shortest path") {
  TUFacts tu;
  tu.mainFile = "/src/main.cpp";
  auto handler = fn("handler", 1);
  handler.edges = {edge("helper", 2), edge("init", 3, /*once=*/true), edge("deep", 4)};
  auto helper = fn("helper", 10);
  helper.edges = {edge("deep", 11)};
  helper.sites = {site(12), site(13, /*once=*/true)};
  auto init = fn("init", 20);
  init.sites = {site(21)};
  auto deep = fn("deep", 30);
  auto mainFn = fn("main", 40);
  mainFn.edges = {edge("init", 41)};
  tu.functions = {handler, helper, init, deep, mainFn};
  tu.entries = {{"handler", "run_handler", at(42), "passed to aws::lambda_runtime::run_handler"}};
  Program p;
  p.add(tu);
  p.link({});
  CHECK(p.isPerInvocation("handler"));
  CHECK(p.isPerInvocation("helper"));
  CHECK(p.isPerInvocation("deep"));
  CHECK_FALSE(p.isPerInvocation("init"));
  CHECK_FALSE(p.isPerInvocation("main"));
  auto path = p.pathTo("deep");
  REQUIRE(path.size() == 1); // handler -> deep directly, not through helper
  CHECK(path[0].function == "handler");
  CHECK(path[0].loc.line == 4);
  CHECK(p.handlerOf("deep").name == "handler");
}

TEST_CASE("link: an entry defined in another TU, and config handler names") {
  TUFacts a, b;
  a.mainFile = "/src/a.cpp";
  a.entries = {{"h", "run_handler", at(5, "/src/a.cpp"), "passed to run_handler"}};
  b.mainFile = "/src/b.cpp";
  auto h = fn("h", 1);
  h.edges = {edge("x", 2)};
  b.functions = {h, fn("x", 3), fn("ns::named", 4)};
  Program p;
  p.add(b);
  p.add(a);
  p.link({"named"});
  CHECK(p.isPerInvocation("x"));
  CHECK(p.isPerInvocation("ns::named"));
  Program q;
  q.add(b); // alone: no entry, nothing per invocation
  q.link({});
  CHECK(q.perInvocation().empty());
}

TEST_CASE("link: a loop reaching /runtime/invocation/next is an entry; a supervisor around it is not") {
  TUFacts tu;
  tu.mainFile = "/src/main.c";
  auto mainFn = fn("main", 1);
  mainFn.edges = {edge("main#loop", 2, false, EdgeKind::Loop)};
  auto outer = fn("main#loop", 2, "loop");
  outer.unboundedLoop = true;
  outer.edges = {edge("run", 3)};
  auto run = fn("run", 10);
  run.edges = {edge("run#loop", 12, false, EdgeKind::Loop)};
  run.sites = {site(11)}; // before the event loop: once per restart
  auto inner = fn("run#loop", 12, "loop");
  inner.unboundedLoop = true;
  inner.edges = {edge("next_event", 13)};
  inner.sites = {site(14)};
  auto next = fn("next_event", 20);
  next.mentionsNextUrl = true;
  tu.functions = {mainFn, outer, run, inner, next};
  Program p;
  p.add(tu);
  p.link({});
  REQUIRE(p.handlers().size() == 1);
  CHECK(p.handlers()[0].id == "run#loop");
  CHECK(p.handlers()[0].name == "runtime loop in run#loop");
  CHECK_FALSE(p.isPerInvocation("run"));
  CHECK(p.isPerInvocation("next_event"));
}

TEST_CASE("link: virtual calls reach overriders") {
  TUFacts tu;
  tu.mainFile = "/src/main.cpp";
  auto h = fn("h", 1);
  h.edges = {edge("Base::run", 2)};
  auto d = fn("Derived::run", 10);
  d.overrides = {"Base::run"};
  d.sites = {site(11)};
  tu.functions = {h, d};
  tu.entries = {{"h", "handler-signature", at(1), "has the handler signature"}};
  Program p;
  p.add(tu);
  p.link({});
  CHECK(p.isPerInvocation("Derived::run"));
}

TEST_CASE("JSON output follows the contract") {
  Finding f;
  f.check = "coldstart-client-per-invocation";
  f.loc = Loc{"/elsewhere/a.cpp", 3, 5, 40};
  f.message = "m";
  f.hasHandler = true;
  f.handler.name = "h";
  f.handler.definition = Loc{"/elsewhere/a.cpp", 1, 1, 0};
  f.path = {PathStep{"h", "g", EdgeKind::Call, Loc{"/elsewhere/a.cpp", 2, 3, 20}}};
  f.fixes = {Fix{"d", {Replacement{"/elsewhere/a.cpp", 40, 2, "xy", 3, 5}}}};
  RunErrors errors;
  errors.add("/elsewhere/b.cpp", "b.cpp: no such file");
  auto doc = findingsToJson({f}, errors, "1.2.3");
  CHECK(doc["version"] == 1);
  CHECK(doc["tool"]["name"] == "coldstart-lint");
  auto &j = doc["findings"][0];
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  CHECK(keys ==
        std::vector<std::string>{"check", "severity", "file", "line", "column", "message", "handler", "path", "fixes"});
  CHECK(j["file"] == "/elsewhere/a.cpp");
  CHECK(j["handler"]["line"] == 1);
  CHECK(j["path"][0]["function"] == "h");
  CHECK(j["path"][0]["column"] == 3);
  CHECK(j["fixes"][0]["replacement"] == "xy");
  CHECK(doc["errors"][0]["message"] == "b.cpp: no such file");
}

TEST_CASE("the facts cache keeps the most recently used entries under its size bound") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("coldstart-unit-cache-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  FactsCache cache(dir.string());
  TUFacts tu;
  tu.mainFile = "/x/h.cpp";
  tu.deps.push_back({"/x/h.cpp", "0123"});
  auto now = fs::file_time_type::clock::now();
  std::vector<std::string> keys = {"aa01", "aa02", "bb03", "cc04"};
  for (size_t i = 0; i < keys.size(); ++i) {
    cache.store(keys[i], tu);
    fs::last_write_time(cache.path(keys[i]), now - std::chrono::hours(24 * (keys.size() - i)));
  }
  std::uintmax_t entry = fs::file_size(cache.path(keys[0]));
  cache.prune(2 * entry); // room for two: the two least recently used go
  CHECK_FALSE(fs::exists(cache.path("aa01")));
  CHECK_FALSE(fs::exists(cache.path("aa02")));
  CHECK(fs::exists(cache.path("bb03")));
  CHECK(fs::exists(cache.path("cc04")));
  CHECK(fs::exists(dir / ".gitignore"));
  fs::remove_all(dir);
}

TEST_CASE("URLs name the project's home only when the build has one") {
  CHECK(checkPageUrl("coldstart-blocking-call", "") == "");
  CHECK(checkPageUrl("coldstart-blocking-call", "https://example.org/cl/") ==
        "https://example.org/cl/blob/main/checks/coldstart-blocking-call/page.md");
  auto all = checks::all();
  std::vector<const Check *> rules;
  for (const auto &c : all) rules.push_back(c.get());
  SourceCache sources;
  auto driverOf = [&](const std::string &home) {
    return SarifEmitter(sources, "1.0", home).document({}, {}, rules)["runs"][0]["tool"]["driver"];
  };
  auto without = driverOf("");
  CHECK_FALSE(without.contains("informationUri"));
  for (const auto &r : without["rules"]) CHECK_FALSE(r.contains("helpUri"));
  auto with = driverOf("https://example.org/cl");
  CHECK(with["informationUri"] == "https://example.org/cl");
  REQUIRE(with["rules"].size() == rules.size());
  for (const auto &r : with["rules"])
    CHECK(r["helpUri"] == "https://example.org/cl/blob/main/checks/" + r["id"].get<std::string>() + "/page.md");
}

TEST_CASE("facts: a node's own fixes (the accessor fix) survive the JSON of the cache and shards") {
  FunctionFacts f;
  f.id = "init:c:@kDate";
  f.name = "kDate";
  f.nodeKind = "static-init";
  f.attrs["accessor-users"] = "c:@F@valid#\n";
  Fix fix;
  fix.description = "build 'kDate' on first use";
  fix.replacements.push_back(Replacement{"/x/a.cpp", 10, 5, "kDate()", 2, 3});
  fix.scopeBegin = Loc{"/x/a.cpp", 1, 1, 0};
  fix.scopeEnd = Loc{"/x/a.cpp", 4000000000u, 1, 0};
  f.fixes.push_back(fix);
  FunctionFacts back = nlohmann::json(f).get<FunctionFacts>();
  REQUIRE(back.fixes.size() == 1);
  CHECK(back.fixes[0].replacements[0].text == "kDate()");
  CHECK(back.fixes[0].scopeEnd.line == 4000000000u);
  CHECK(back.attrs == f.attrs);
  FunctionFacts none = nlohmann::json(FunctionFacts{}).get<FunctionFacts>();
  CHECK(none.fixes.empty());
  CHECK_FALSE(nlohmann::json(FunctionFacts{}).contains("fixes"));
}
