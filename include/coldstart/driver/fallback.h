// Fallback headers: declaration-only stand-ins for the AWS SDK, aws-lambda-cpp, libcurl
// and cpp-httplib, served at the lowest include priority (-idirafter) when a machine
// lacks the real ones, and client headers made up by name for SDK services without one.
#pragma once

#include "coldstart/recovery.h"
#include "coldstart/session.h"

#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

namespace coldstart {

inline std::string madeUpSdkHeader(const std::string &header, const std::string &source) {
  std::smatch m;
  std::string out = "// Made up by coldstart-lint from the name of a missing header.\n#pragma once\n"
                    "#include <aws/core/client/AWSClient.h>\n#include <aws/core/client/ClientConfiguration.h>\n";
  static const std::regex client(R"re(aws/[A-Za-z0-9_\-]+/([A-Za-z0-9_]+Client)\.h)re");
  if (std::regex_match(header, m, client)) {
    std::string name = m[1];
    std::smatch ns;
    std::regex use("Aws::([A-Za-z0-9_]+)::" + name + "\\b");
    if (!std::regex_search(source, ns, use)) return out;
    out += "namespace Aws {\nnamespace " + ns[1].str() + " {\nclass " + name +
           " : public Aws::Client::AWSJsonClient {\npublic:\n  " + name +
           "();\n  template <typename... Args> explicit " + name + "(Args &&...args);\n};\n} // namespace " +
           ns[1].str() + "\n} // namespace Aws\n";
  }
  return out;
}

/// The built-in headers, plus headers made up by name for AWS SDK services we have no
/// declarations for: `#include <aws/rds/RDSClient.h>` in the main file, with
/// `Aws::RDS::RDSClient` used in it, gets a client class of that name, so that its
/// construction is still recognised (findings made this way are marked by a note).
inline llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem>
fallbackFileSystem(const std::vector<EmbeddedText> &fallbackHeaders, const std::string &mainFile) {
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> mem(new llvm::vfs::InMemoryFileSystem);
  std::set<std::string> known;
  for (const EmbeddedText &h : fallbackHeaders) {
    std::string path = std::string(kFallbackRoot) + "/" + std::string(h.name);
    mem->addFile(path, 0, llvm::MemoryBuffer::getMemBuffer(llvm::StringRef(h.data.data(), h.data.size()), path, false));
    known.insert(std::string(h.name));
  }
  auto buf = llvm::MemoryBuffer::getFile(mainFile, false, false);
  if (!buf) return mem;
  std::string text = (*buf)->getBuffer().str();
  static const std::regex include(R"re(#\s*include\s*[<"](aws/[A-Za-z0-9_\-]+/[A-Za-z0-9_/\-]+\.h)[>"])re");
  for (std::sregex_iterator it(text.begin(), text.end(), include), end; it != end; ++it) {
    std::string header = (*it)[1];
    if (known.count(header)) continue;
    std::string path = std::string(kFallbackRoot) + "/" + header;
    mem->addFile(path, 0, llvm::MemoryBuffer::getMemBufferCopy(madeUpSdkHeader(header, text), path));
    known.insert(header);
  }
  return mem;
}

} // namespace coldstart
