// coldstart-heavy-static-init: dynamic initialisers of namespace-scope and static
// data member variables that do I/O, network, client construction, regex
// compilation, sleeps or spawns, or build large containers — and AWS SDK objects with
// static storage, which outlive Aws::ShutdownAPI. The cost analysis is shared with
// --init-report (include/coldstart/static_init.h).
#include "registry.h"

#include "coldstart/static_init.h"

namespace coldstart::checks {
namespace {

class HeavyStaticInit : public Check {
public:
  std::string_view id() const override { return "coldstart-heavy-static-init"; }
  std::string_view summary() const override {
    return "expensive dynamic initialisation of namespace-scope and static objects (I/O, network, regex, clients, "
           "large containers), and AWS SDK objects with static storage";
  }
  std::string_view doc() const override { return page(id()); }
  std::vector<CheckOption> options() const override {
    // 1000: measured in page.md ("Large containers: the default threshold"); --init-report reads it from here.
    return {{"LargeContainerThreshold", "1000",
             "a container built from at least this many initialiser elements is a large container"}};
  }

  void run(CheckContext &ctx) const override {
    unsigned threshold = 0;
    for (const std::string &value : {ctx.option(*this, "LargeContainerThreshold"), options().front().defaultValue})
      try {
        threshold = unsigned(std::stoul(value));
        break;
      } catch (...) { // not a number: the default
      }
    for (const StaticInit &si : analyseStaticInits(ctx.program(), ctx.catalog(), threshold)) {
      Site at;
      at.loc = si.node->loc;
      if (!si.sdkObject.empty()) {
        bool tls = si.node->attrs.count("thread_local") != 0;
        bool leaked = si.node->attrs.count("never-destroyed") != 0; // `static T* g = new T;`
        std::string lifetime =
            tls      ? "thread storage: it is built when a thread first uses it, possibly before main calls "
                       "Aws::InitAPI, and destroyed at thread exit, possibly after Aws::ShutdownAPI"
            : leaked ? "static storage: it is built before main calls Aws::InitAPI (and never destroyed)"
                     : "static storage: it is built before main calls Aws::InitAPI and destroyed after "
                       "Aws::ShutdownAPI";
        Finding f = ctx.plainFinding(
            id(), at,
            "'" + si.variable + "' holds an AWS SDK object ('" + si.sdkObject + "') with " + lifetime +
                ", which is undefined behaviour (" + (leaked ? "a crash at start" : "a crash at start or at exit") +
                "); build it in main after "
                "Aws::InitAPI, inside a scope that ends before Aws::ShutdownAPI, and pass it to the handler");
        f.severity = "error";
        ctx.report(std::move(f));
        continue;
      }
      if (si.cost == InitCost::Dynamic) continue;
      std::string scope = si.node->attrs.count("thread_local") ? "in every thread before it first uses it"
                                                               : "before main in every new execution environment";
      Finding f = ctx.plainFinding(id(), at,
                                   "dynamic initialisation of '" + si.variable + "' runs " + scope +
                                       " (cold start): " + si.reason + "; " + advice(si));
      f.path = si.path;
      for (const PathStep &s : si.path)
        f.notes.push_back({s.loc, quotedName(s.function) +
                                      (s.kind == EdgeKind::Construct ? " constructs " : " calls ") +
                                      quotedName(s.callee) + " here"});
      if (si.site && !si.path.empty()) f.notes.push_back({si.site->loc, "the cost is here"});
      ctx.report(std::move(f));
    }
  }

private:
  static std::string advice(const StaticInit &si) {
    if (si.site && si.site->kind == "sdk-init") return "call it in main, before the handler runs";
    switch (si.cost) {
    case InitCost::Network:
    case InitCost::Client:
      return "build it in main after initialisation (Aws::InitAPI, curl_global_init) or lazily on first use, so "
             "that the cost is visible and failures can be handled";
    case InitCost::Blocking:
      return "do not wait at start-up: move the work out of the initialiser";
    case InitCost::Io:
      return "read the file in main (or lazily, in a function-local static) where a failure can be reported, or "
             "embed the data at build time";
    case InitCost::Regex:
      return "compile it lazily in a function-local static, or match without a regex";
    case InitCost::LargeContainer:
      return "use a constexpr array (sorted, with binary search) or a function-local static built on first use";
    case InitCost::Dynamic:
      break;
    }
    return "";
  }
};

} // namespace

std::unique_ptr<Check> make_coldstart_heavy_static_init() { return std::make_unique<HeavyStaticInit>(); }

} // namespace coldstart::checks
