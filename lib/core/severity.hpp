#pragma once

#include <optional>
#include <string_view>

namespace aiops::core {

/// How serious a finding is, from least to most.
enum class Severity
{
    info,
    low,
    medium,
    high,
    critical,
};

/// The lowercase name: "info" ... "critical".
std::string_view to_string(Severity severity);

/// Parses a severity name (case-insensitive); nullopt for anything else.
std::optional<Severity> parse_severity(std::string_view text);

/// The SARIF result level: critical and high are "error", medium "warning", the rest "note".
std::string_view sarif_level(Severity severity);

/// GitHub's security-severity score as the string SARIF carries ("9.5" ... "0.0").
std::string_view security_severity(Severity severity);

} // namespace aiops::core
