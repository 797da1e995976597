// coldstart-connection-reuse: connections that cannot survive to the next invocation.
//  - a curl easy handle created and cleaned up within one invocation (one finding,
//    which supersedes coldstart-client-per-invocation's at the same place);
//  - settings that close or bypass cached connections (catalog "Settings":
//    CURLOPT_FORBID_REUSE, CURLOPT_FRESH_CONNECT, set_keep_alive(false), ...);
//  - "Connection: close" request headers;
//  - cpp-httplib clients used from a handler without set_keep_alive(true).
#include "registry.h"

#include <set>

namespace coldstart::checks {
namespace {

constexpr const char *kClientCheck = "coldstart-client-per-invocation";

class ConnectionReuse : public Check {
public:
  std::string_view id() const override { return "coldstart-connection-reuse"; }
  std::string_view summary() const override {
    return "connections that cannot be reused by the next invocation (fresh curl handles, FORBID_REUSE, "
           "Connection: close, keep-alive off)";
  }
  std::string_view doc() const override { return page(id()); }

  void run(CheckContext &ctx) const override {
    curlHandlesPerInvocation(ctx);
    ctx.forEachSite([&](const FunctionFacts &, const Site &site) {
      if (site.kind == "setting") {
        Finding f = ctx.plainFinding(id(), site, settingMessage(ctx.catalog(), site));
        f.fixes = site.fixes;
        ctx.report(std::move(f));
      }
      if (site.kind == "connection-close")
        ctx.report(ctx.plainFinding(id(), site,
                                    "'Connection: close' makes the server close the connection after the response, so "
                                    "the next request to that server pays a new "
                                    "TCP and TLS handshake; drop the header and keep the connection alive"));
    });
    httplibWithoutKeepAlive(ctx);
  }

private:
  /// curl_easy_init (or curl_easy_duphandle) ... curl_easy_cleanup, both on the per-invocation path
  /// (the catalog's connection-owning-handles and connection-owning-releases).
  void curlHandlesPerInvocation(CheckContext &ctx) const {
    const Catalog &cat = ctx.catalog();
    std::set<std::string> released;
    ctx.forEachPerInvocationSite([&](const FunctionFacts &, const Site &s) {
      if (s.kind == "release" && cat.listed("connection-owning-releases", s.entry) && s.data.count("object") &&
          !s.data.at("object").empty())
        released.insert(s.data.at("object"));
    });
    ctx.forEachPerInvocationSite([&](const FunctionFacts &node, const Site &s) {
      if (s.kind != "client" || !cat.listed("connection-owning-handles", s.entry) || s.data.count("pooled")) return;
      auto obj = s.data.find("object");
      if (obj == s.data.end() || !released.count(obj->second)) return;
      Finding f = ctx.perInvocationFinding(
          id(), node, s,
          "'" + s.entry +
              "' creates a handle that is cleaned up in the same invocation: its connection cache "
              "goes with it, so every invocation opens a new TCP connection and TLS session; create the handle once at "
              "init and reuse it (curl_easy_reset between requests keeps the connection cache)" +
              noFixClause(s));
      f.supersedes.push_back(kClientCheck);
      ctx.report(std::move(f));
    });
  }

  /// A cpp-httplib client (keep-alive-off-clients) built once (not per invocation), used from a
  /// handler, and never given set_keep_alive(true): cpp-httplib closes the socket after every request.
  void httplibWithoutKeepAlive(CheckContext &ctx) const {
    const Catalog &cat = ctx.catalog();
    std::set<std::string> keptAlive; // given set_keep_alive(true), or talking to the local Runtime API
    ctx.forEachSite([&](const FunctionFacts &, const Site &s) {
      if (s.kind != "use" || !s.data.count("object")) return;
      if (s.data.count("method") && cat.listed("keep-alive-setters", s.data.at("method")) && s.data.count("bool") &&
          s.data.at("bool") == "true")
        keptAlive.insert(s.data.at("object"));
      if (s.data.count("runtime-api")) keptAlive.insert(s.data.at("object"));
    });
    ctx.forEachSite([&](const FunctionFacts &node, const Site &s) {
      if (s.kind != "client" || !cat.listed("keep-alive-off-clients", s.entry) || s.form == "call") return;
      if (ctx.runsPerInvocation(node, s)) return; // built per invocation: client-per-invocation reports it
      auto obj = s.data.find("object");
      if (obj == s.data.end() || obj->second.empty() || keptAlive.count(obj->second)) return;
      // Is it used from a handler?
      const FunctionFacts *useNode = nullptr;
      const Site *use = nullptr;
      ctx.forEachPerInvocationSite([&](const FunctionFacts &n, const Site &u) {
        if (use || u.kind != "use" || !u.data.count("object") || u.data.at("object") != obj->second) return;
        if (u.data.count("method") && configures(cat, u.data.at("method"))) return;
        use = &u;
        useNode = &n;
      });
      if (!use) return;
      Finding f =
          ctx.plainFinding(id(), s,
                           "'" + s.subject +
                               "' is used by the handler without set_keep_alive(true): "
                               "cpp-httplib sends 'Connection: close' and closes the socket after every request "
                               "by default, so each invocation pays a new TCP (and TLS) handshake; call "
                               "set_keep_alive(true) once after building the client");
      f.notes.push_back(
          {use->loc, "used on every invocation here (handler '" + ctx.program().handlerOf(useNode->id).name + "')"});
      if (s.locs.count("stmt-end") && s.data.count("variable")) {
        Fix fix;
        fix.description = "call " + s.data.at("variable") + ".set_keep_alive(true) after building it";
        Replacement r;
        r.file = s.loc.file;
        const Loc &end = s.locs.at("stmt-end");
        r.offset = end.offset;
        r.length = 0;
        r.text = "\n" + s.data.at("indent") + s.data.at("variable") + ".set_keep_alive(true);";
        r.line = end.line;
        r.col = end.col;
        fix.replacements.push_back(r);
        f.fixes.push_back(fix);
      }
      ctx.report(std::move(f));
    });
  }

  static bool configures(const Catalog &cat, const std::string &method) {
    for (const std::string &prefix : cat.names("configuring-method-prefixes"))
      if (method.rfind(prefix, 0) == 0) return true;
    return false;
  }

  static std::string settingMessage(const Catalog &catalog, const Site &site) {
    const CatalogSetting *st = nullptr;
    for (const CatalogSetting &c : catalog.settings())
      if (c.name == site.entry && (c.option.empty() || c.option == site.subject)) st = &c;
    std::string what = st && !st->what.empty() ? st->what : site.subject;
    std::string msg = "'" + what + "' defeats connection reuse";
    if (st && !st->cost.empty()) msg += ": " + st->cost;
    if (st && !st->instead.empty()) msg += "; " + st->instead;
    return msg;
  }
};

} // namespace

std::unique_ptr<Check> make_coldstart_connection_reuse() { return std::make_unique<ConnectionReuse>(); }

} // namespace coldstart::checks
