// The list of checks, generated: a check is a folder checks/<check-id>/ whose check.cpp
// defines `std::unique_ptr<Check> make_<check_id>()` (the id with '-' turned into '_').
// CMake globs checks/*/check.cpp and writes coldstart_check_list.h, one
// COLDSTART_CHECK(<identifier>, "<check-id>") line per folder, so adding a folder adds
// the check. Only registry.cpp includes the list, so adding a check rebuilds no other
// file. See checks/README.md and checks/add_check.py.
#pragma once

#include "coldstart/check.h"

#include <memory>
#include <string_view>
#include <vector>

namespace coldstart::checks {

/// Every check, sorted by id.
std::vector<std::unique_ptr<Check>> all();

/// The check folders the registry was generated from (their names are the check ids), sorted.
std::vector<std::string_view> folders();

/// The documentation page of check `checkId` (checks/<check-id>/page.md, embedded), or empty.
std::string_view page(std::string_view checkId);

} // namespace coldstart::checks
