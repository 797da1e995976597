#include "registry.h"

#include "coldstart_embedded_docs.h" // generated from checks/*/page.md

#include <algorithm>
#include <string>

namespace coldstart::checks {

#define COLDSTART_CHECK(identifier, checkId) std::unique_ptr<Check> make_##identifier();
#include "coldstart_check_list.h" // generated from checks/*/check.cpp
#undef COLDSTART_CHECK

std::vector<std::unique_ptr<Check>> all() {
  std::vector<std::unique_ptr<Check>> list;
#define COLDSTART_CHECK(identifier, checkId) list.push_back(make_##identifier());
#include "coldstart_check_list.h"
#undef COLDSTART_CHECK
  std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) { return a->id() < b->id(); });
  return list;
}

std::vector<std::string_view> folders() {
  std::vector<std::string_view> list;
#define COLDSTART_CHECK(identifier, checkId) list.push_back(checkId);
#include "coldstart_check_list.h"
#undef COLDSTART_CHECK
  std::sort(list.begin(), list.end());
  return list;
}

std::string_view page(std::string_view checkId) {
  std::string name = std::string(checkId) + "/page.md"; // embedded by its path under checks/
  for (const auto &file : embedded_docs::files)
    if (file.name == name) return file.data;
  return {};
}

} // namespace coldstart::checks
