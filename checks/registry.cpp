#include "registry.h"

#include "coldstart_embedded_docs.h" // generated from checks/*.md

namespace coldstart::checks {

std::vector<std::unique_ptr<Check>> all() {
  std::vector<std::unique_ptr<Check>> list;
  list.push_back(makeBlockingCall());
  list.push_back(makeClientPerInvocation());
  list.push_back(makeConnectionReuse());
  list.push_back(makeHeavyStaticInit());
  return list;
}

std::string_view embeddedDoc(std::string_view name) {
  for (const auto &file : embedded_docs::files)
    if (file.name == name) return file.data;
  return {};
}

} // namespace coldstart::checks
