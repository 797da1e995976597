// coldstart-blocking-call: sleeps, sleep-based polling loops, synchronous Lambda and
// Step Functions calls, and process spawns on the per-invocation path. Which functions
// sleep, wait or spawn is catalog data (kinds "sleep", "wait", "spawn").
#include "registry.h"

#include <set>

namespace coldstart::checks {
namespace {

class BlockingCall : public Check {
public:
  std::string_view id() const override { return "coldstart-blocking-call"; }
  std::string_view summary() const override {
    return "sleeps, polling loops, synchronous Lambda-to-Lambda calls and process spawns inside the handler";
  }
  std::string_view doc() const override { return page(id()); }

  void run(CheckContext &ctx) const override {
    std::set<std::pair<std::string, unsigned>> pollingLoops; // one finding per polling loop (file, offset)
    ctx.forEachPerInvocationSite([&](const FunctionFacts &node, const Site &site) {
      if (site.kind == "sleep") {
        auto loop = site.locs.find("loop");
        bool polling = loop != site.locs.end() && !isEventLoopItself(ctx, node, site);
        // sleep(0) / usleep(0) only yields the CPU; in a loop it still spins while it waits.
        if (!polling && site.data.count("ms") && site.data.at("ms") == "0") return;
        if (polling && !pollingLoops.insert({loop->second.file, loop->second.offset}).second) return;
        Finding f = ctx.perInvocationFinding(id(), node, site, sleepMessage(site, polling));
        if (polling) f.notes.push_back({loop->second, "the polling loop starts here"});
        ctx.report(std::move(f));
      } else if (site.kind == "wait") {
        ctx.report(ctx.perInvocationFinding(id(), node, site, waitMessage(ctx.catalog(), site)));
      } else if (site.kind == "spawn") {
        const CatalogFunction *entry = ctx.catalog().functionEntry(site.entry);
        if (!entry || hasTag(*entry, "exec")) return; // exec is reported through its fork
        if (hasTag(*entry, "fork") && !execsAfterFork(ctx.catalog(), node)) return;
        ctx.report(ctx.perInvocationFinding(id(), node, site, spawnMessage(*entry, site)));
      }
    });
  }

private:
  static bool hasTag(const CatalogFunction &f, const char *tag) {
    return std::find(f.tags.begin(), f.tags.end(), tag) != f.tags.end();
  }

  /// A sleep directly in the body of a custom runtime's event loop is not polling:
  /// that loop is the invocation itself.
  static bool isEventLoopItself(const CheckContext &ctx, const FunctionFacts &node, const Site &site) {
    if (node.nodeKind != "loop" || site.data.count("loop-depth") == 0 || site.data.at("loop-depth") != "1")
      return false;
    for (const Handler &h : ctx.program().handlers())
      if (h.id == node.id && h.how == "runtime-loop") return true;
    return false;
  }

  static bool execsAfterFork(const Catalog &catalog, const FunctionFacts &node) {
    for (const Site &s : node.sites)
      if (s.kind == "spawn")
        if (const CatalogFunction *e = catalog.functionEntry(s.entry); e && hasTag(*e, "exec")) return true;
    return false;
  }

  static std::string sleepMessage(const Site &site, bool polling) {
    std::string what = "'" + site.subject + "'";
    auto ms = site.data.find("ms");
    std::string duration = ms != site.data.end() ? "sleeps " + ms->second + " ms" : "sleeps";
    if (polling)
      return what + " " + duration +
             " in a polling loop on every invocation: the invocation is billed while it waits "
             "and holds one of the account's concurrent executions (1,000 by default); let the SDK's retry strategy "
             "handle retries, use a Step Functions Wait state for delays, or have an event (SQS, EventBridge) invoke "
             "the function when the work is done";
    return what + " " + duration +
           " on every invocation: the invocation is billed while it waits and holds one "
           "of the account's concurrent executions (1,000 by default); remove the wait, or leave back-off to the "
           "SDK's retry strategy";
  }

  static std::string waitMessage(const Catalog &catalog, const Site &site) {
    const CatalogFunction *e = catalog.functionEntry(site.entry);
    std::string msg = "'" + site.subject + "' waits on every invocation";
    if (e && hasTag(*e, "lambda-invoke")) {
      msg = "'" + site.subject + "' invokes another Lambda function synchronously on every invocation";
      auto arg = site.data.find("arg");
      if (arg != site.data.end()) msg += " (the request '" + arg->second + "' never sets InvocationType::Event)";
    }
    if (e && !e->cost.empty()) msg += ": " + e->cost;
    if (e && !e->instead.empty()) msg += "; " + e->instead;
    return msg;
  }

  static std::string spawnMessage(const CatalogFunction &e, const Site &site) {
    std::string msg = "'" + site.subject + "' starts a process on every invocation";
    if (!e.cost.empty()) msg += ": " + e.cost;
    if (!e.instead.empty()) msg += "; " + e.instead;
    return msg;
  }
};

} // namespace

std::unique_ptr<Check> make_coldstart_blocking_call() { return std::make_unique<BlockingCall>(); }

} // namespace coldstart::checks
