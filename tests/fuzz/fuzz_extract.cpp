// libFuzzer target: arbitrary source text through extraction (the clang AST walk), the
// facts' JSON round trip, linking, and every check. Built by tests/fuzz/run.sh with
// clang++-19 -fsanitize=fuzzer,address,undefined.
#include "coldstart/check.h"
#include "coldstart/extract.h"
#include "coldstart/link.h"

#include "coldstart_embedded_catalog.h"
#include "registry.h"

#include <clang/Tooling/Tooling.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

const coldstart::Catalog &catalog() {
  static const coldstart::Catalog c = [] {
    coldstart::Catalog cat;
    for (const auto &f : coldstart::embedded_catalog::files) {
      coldstart::CatalogTable t;
      std::string error;
      if (!coldstart::parseYaml(llvm::StringRef(f.data.data(), f.data.size()), std::string(f.name), t, error)) std::abort();
      t.builtin = true;
      cat.add(t);
    }
    return cat;
  }();
  return c;
}

class Silent : public clang::DiagnosticConsumer {};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string code(reinterpret_cast<const char *>(data), size);
  coldstart::TUFacts tu;
  coldstart::ExtractOptions opts;
  opts.catalog = &catalog();
  std::vector<std::string> args = {"-std=c++20", "-w", "-ferror-limit=20", "-fsyntax-only", "-fno-caret-diagnostics",
                                   "-resource-dir=" COLDSTART_CLANG_RESOURCE_DIR, "-I" COLDSTART_FIXTURES "/include"};
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
  coldstart::TUFacts back = nlohmann::json::parse(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
                                .get<coldstart::TUFacts>();
  if (back.functions.size() != tu.functions.size() || back.entries.size() != tu.entries.size()) std::abort();
  coldstart::Program program;
  program.add(back);
  program.link({"handler"});
  std::vector<coldstart::Finding> findings;
  coldstart::CheckContext ctx(program, catalog(), findings);
  for (const auto &check : coldstart::checks::all()) check->run(ctx);
  for (const auto &f : findings)
    if (f.loc.line == 0 || f.message.empty()) std::abort(); // every finding is somewhere and says something
  return 0;
}
