// coldstart-client-per-invocation: SDK clients, configurations, credential providers,
// SDK initialisation, HTTP/gRPC/database clients and TLS contexts built on the
// per-invocation path. Which APIs count is catalog data (kind "client" and
// "sdk-init"); this file only turns such sites into findings.
#include "registry.h"

namespace coldstart::checks {
namespace {

class ClientPerInvocation : public Check {
public:
  std::string_view id() const override { return "coldstart-client-per-invocation"; }
  std::string_view summary() const override {
    return "SDK, HTTP, gRPC and database clients (and SDK initialisation) built on every invocation";
  }
  std::string_view doc() const override { return page(id()); }

  void run(CheckContext &ctx) const override {
    ctx.forEachPerInvocationSite([&](const FunctionFacts &node, const Site &site) {
      if (site.kind != "client" && site.kind != "sdk-init") return;
      if (site.data.count("pooled")) return; // its connections live in a longer-lived multi or share handle
      Finding f = ctx.perInvocationFinding(id(), node, site, message(ctx.catalog(), site));
      // Built only to build a client: that client's fix moves this construction too.
      if (auto at = site.locs.find("fix-in"); at != site.locs.end())
        f.notes.push_back({at->second, "the fix for '" + site.data.at("fix-in") +
                                           "' here also moves this into its once-only initialiser"});
      ctx.report(std::move(f));
    });
  }

private:
  static std::string message(const Catalog &catalog, const Site &site) {
    std::string cost, instead;
    bool isClass = site.form != "call";
    if (isClass) {
      if (const CatalogClass *c = catalog.classEntry(site.entry)) cost = c->cost, instead = c->instead;
    } else if (const CatalogFunction *f = catalog.functionEntry(site.entry)) {
      cost = f->cost, instead = f->instead;
    }
    std::string msg = "'" + site.subject + "' is " + (isClass ? "constructed" : "called") + " on every invocation";
    if (site.form == "member" && site.data.count("owner"))
      msg += " (it is a member of '" + site.data.at("owner") + "')";
    if (!cost.empty()) msg += ": " + cost;
    if (!instead.empty()) msg += "; " + instead;
    return msg + noFixClause(site);
  }
};

} // namespace

std::unique_ptr<Check> make_coldstart_client_per_invocation() { return std::make_unique<ClientPerInvocation>(); }

} // namespace coldstart::checks
