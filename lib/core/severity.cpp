#include "core/severity.hpp"

#include "core/strings.hpp"

#include <array>

namespace aiops::core {

namespace {

struct SeverityInfo
{
    Severity severity;
    std::string_view name;
    std::string_view level;
    std::string_view score;
};

constexpr std::array<SeverityInfo, 5> k_severities{{
    {Severity::info, "info", "note", "0.0"},
    {Severity::low, "low", "note", "3.0"},
    {Severity::medium, "medium", "warning", "5.5"},
    {Severity::high, "high", "error", "8.0"},
    {Severity::critical, "critical", "error", "9.5"},
}};

const SeverityInfo& info_of(Severity severity)
{
    return k_severities[static_cast<std::size_t>(severity)];
}

} // namespace

std::string_view to_string(Severity severity)
{
    return info_of(severity).name;
}

std::optional<Severity> parse_severity(std::string_view text)
{
    const std::string lowered = to_lower(text);
    for (const auto& entry : k_severities) {
        if (entry.name == lowered) {
            return entry.severity;
        }
    }
    return std::nullopt;
}

std::string_view sarif_level(Severity severity)
{
    return info_of(severity).level;
}

std::string_view security_severity(Severity severity)
{
    return info_of(severity).score;
}

} // namespace aiops::core
