// The version and the project's public home, the one place the code reads them from.
// The home URL is a build setting (CMake cache variable COLDSTART_HOME_URL, default
// empty): with none, the tool emits no URL at all (no SARIF informationUri or helpUri)
// rather than a link that leads nowhere.
#pragma once

#include <string>
#include <string_view>

#ifndef COLDSTART_HOME_URL
#define COLDSTART_HOME_URL ""
#endif

namespace coldstart {
inline constexpr const char *kVersion = "0.1.0"; // CMakeLists.txt checks it against project()

/// The project's home (a repository URL, e.g. https://github.com/<owner>/coldstart-lint),
/// or empty when the build has none.
inline constexpr std::string_view kHomeUrl = COLDSTART_HOME_URL;

/// A check's page under the home URL (the repository's checks/<check-id>/page.md on its
/// main branch, GitHub's layout), or empty when the build has no home URL.
inline std::string checkPageUrl(std::string_view checkId, std::string_view homeUrl = kHomeUrl) {
  if (homeUrl.empty()) return {};
  std::string home(homeUrl);
  while (!home.empty() && home.back() == '/') home.pop_back();
  return home + "/blob/main/checks/" + std::string(checkId) + "/page.md";
}
} // namespace coldstart
