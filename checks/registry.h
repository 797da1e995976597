// The list of checks. To add one: write checks/<name>.cpp (a class deriving from
// coldstart::Check) and checks/<name>.md (its documentation), add a make<Name>()
// line below and in registry.cpp, and fixtures under fixtures/<check-id>/.
#pragma once

#include "coldstart/check.h"

#include <memory>
#include <vector>

namespace coldstart::checks {

std::unique_ptr<Check> makeClientPerInvocation();
std::unique_ptr<Check> makeConnectionReuse();
std::unique_ptr<Check> makeBlockingCall();
std::unique_ptr<Check> makeHeavyStaticInit();

/// Every check, in a fixed order.
std::vector<std::unique_ptr<Check>> all();

/// The embedded documentation file `name` (e.g. "client_per_invocation.md").
std::string_view embeddedDoc(std::string_view name);

} // namespace coldstart::checks
