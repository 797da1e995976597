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
    std::vector<StaticInit> inits = analyseStaticInits(ctx.program(), ctx.catalog(), threshold);
    for (const StaticInit &si : inits) {
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
      std::string noFix;
      std::vector<Fix> fixes = accessorFix(ctx.program(), si, inits, noFix);
      Finding f = ctx.plainFinding(id(), at,
                                   "dynamic initialisation of '" + si.variable + "' runs " + scope +
                                       " (cold start): " + si.reason + "; " + advice(si) +
                                       (noFix.empty() ? "" : " (no fix: " + noFix + ")"));
      f.fixes = std::move(fixes);
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
  /// The accessor fix extraction offered (extract/accessor_fix.h), unless the initialiser
  /// is there for what it does rather than for its value: a wait, a spawn or a global
  /// initialisation that the program may need before the variable's first use.
  /// It is not offered either when another static initialiser would still build the
  /// variable before main, by using it or by calling code that does.
  static std::vector<Fix> accessorFix(const Program &program, const StaticInit &si,
                                      const std::vector<StaticInit> &inits, std::string &noFix) {
    std::string name = "'" + si.node->name + "'";
    if (auto it = si.node->attrs.find("nofix"); it != si.node->attrs.end()) noFix = it->second;
    if (si.node->fixes.empty()) return {};
    if (const StaticInit *other = initialiserUsing(program, si, inits))
      noFix = other != &si ? "the initialiser of '" + other->variable + "' would still build " + name + " before main"
                           : "the analysis cannot tell when some use of " + name + " runs";
    else if (si.cost == InitCost::Blocking)
      noFix = "the initialiser of " + name + " waits or spawns, which the program may need before its first use";
    else if (si.site && si.site->kind == "sdk-init")
      noFix = "the initialiser of " + name + " initialises a library, which the program may need before its first use";
    return noFix.empty() ? si.node->fixes : std::vector<Fix>{};
  }

  /// Another dynamic initialiser that runs a use of `si`'s variable, or null. `unknown`
  /// (returned as itself) when a use is where the analysis cannot tell.
  static const StaticInit *initialiserUsing(const Program &program, const StaticInit &si,
                                            const std::vector<StaticInit> &inits) {
    auto users = si.node->attrs.find("accessor-users");
    if (users == si.node->attrs.end()) return nullptr;
    std::vector<std::string> ids;
    for (size_t at = 0, nl; (nl = users->second.find('\n', at)) != std::string::npos; at = nl + 1)
      ids.push_back(users->second.substr(at, nl - at));
    if (std::find(ids.begin(), ids.end(), "?") != ids.end()) return &si;
    for (const StaticInit &other : inits) {
      if (&other == &si) continue;
      for (const std::string &reached : other.reached) {
        const FunctionFacts *node = program.node(reached);
        for (const std::string &id : ids)
          if (id == reached || (node && id.rfind("qname:", 0) == 0 && id.substr(6) == node->qualifiedName))
            return &other;
      }
    }
    return nullptr;
  }

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
