#pragma once
namespace coldstart {
inline constexpr const char *kVersion = "0.1.0";
} // namespace coldstart
