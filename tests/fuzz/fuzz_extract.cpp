// libFuzzer target: arbitrary source text through extraction (the clang AST walk), the
// facts' JSON round trip, linking, and every check. Built by tests/fuzz/run.sh with
// clang++-19 -fsanitize=fuzzer,address,undefined.
#include "coldstart/check.h"
#include "coldstart/extract.h"
#include "coldstart/link.h"
#include "coldstart/pipeline.h"
#include "coldstart/session.h"

#include "coldstart_embedded_catalog.h"
#include "registry.h"

#include <clang/Tooling/Tooling.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

const coldstart::Session &session() {
  static const coldstart::Session s = [] {
    coldstart::SessionOptions opts;
    opts.builtinCatalog = coldstart::embeddedTexts(coldstart::embedded_catalog::files);
    coldstart::Session session(opts);
    std::string error;
    if (!session.setup(coldstart::checks::all(), {}, error)) std::abort();
    return session;
  }();
  return s;
}

class Silent : public clang::DiagnosticConsumer {};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string code(reinterpret_cast<const char *>(data), size);
  coldstart::TUFacts tu;
  coldstart::ExtractOptions opts;
  opts.catalog = &session().catalog();
  std::vector<std::string> args = {"-std=c++20",
                                   "-w",
                                   "-ferror-limit=20",
                                   "-fsyntax-only",
                                   "-fno-caret-diagnostics",
                                   "-resource-dir=" COLDSTART_CLANG_RESOURCE_DIR,
                                   "-I" COLDSTART_FIXTURES "/include"};
  // The input is a virtual file; diagnostics go nowhere (errors are expected).
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> fs(
      new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem()));
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> mem(new llvm::vfs::InMemoryFileSystem);
  mem->addFile("/fuzz/fuzz.cpp", 0, llvm::MemoryBuffer::getMemBufferCopy(code, "/fuzz/fuzz.cpp"));
  fs->pushOverlay(mem);
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(new clang::FileManager(clang::FileSystemOptions(), fs));
  std::vector<std::string> command = {"clang++"};
  command.insert(command.end(), args.begin(), args.end());
  command.push_back("/fuzz/fuzz.cpp");
  Silent silent;
  clang::tooling::ToolInvocation invocation(command, std::make_unique<coldstart::ExtractAction>(opts, tu), files.get(),
                                            std::make_shared<clang::PCHContainerOperations>());
  invocation.setDiagnosticConsumer(&silent);
  invocation.run();
  // Facts must survive serialisation (caches and shards depend on it).
  nlohmann::json j = tu;
  coldstart::TUFacts back =
      nlohmann::json::parse(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)).get<coldstart::TUFacts>();
  if (back.functions.size() != tu.functions.size() || back.entries.size() != tu.entries.size()) std::abort();
  coldstart::Program program;
  program.add(back);
  program.link({"handler"}); // a handler by name too: the fuzzer reaches more code
  std::vector<coldstart::Finding> findings =
      coldstart::runChecks(program, session(), [](const std::string &) { return true; }).findings;
  for (const auto &f : findings)
    if (f.loc.line == 0 || f.message.empty()) std::abort(); // every finding is somewhere and says something
  return 0;
}
