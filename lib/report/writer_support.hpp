#pragma once

// Helpers the report writers share; not part of the library's interface.

#include "core/finding.hpp"
#include "report/report.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::report {

/// The report's description of a rule, or nullptr when it has none.
const RuleInfo* find_rule(const Report& report, std::string_view rule_id);

/// The number of a CWE id written "CWE-78", "cwe-78" or "78"; nullopt for anything else.
std::optional<std::string> cwe_number(std::string_view id);

/// The findings that count: those without a suppression, in the report's order.
std::vector<const core::Finding*> unsuppressed_findings(const Report& report);

/// A finding's identity for reports that need one: its fingerprint, or, when it has
/// none, a SHA-256 of its rule id and location.
std::string finding_identity(const core::Finding& finding);

/// text cut to at most max_code_points code points, never inside a UTF-8 sequence.
std::string_view cut_code_points(std::string_view text, std::size_t max_code_points);

/// A finding's message as reports show it: hidden code points (bidirectional controls,
/// zero-width and tag characters, control bytes) written as `<U+202E>`, so that a report
/// cannot hide or reorder text itself.
std::string shown_message(const core::Finding& finding);

/// A finding's snippet as reports show it: a line longer than k_snippet_width code
/// points is cut to a window of that width (on the first line, around the start column)
/// with "..." where text was cut, and hidden code points are written as in shown_message.
std::string shown_snippet(const core::Finding& finding);

/// The code points of a snippet line that reports show at most.
inline constexpr std::size_t k_snippet_width = 240;

/// Milliseconds since the epoch of a UTC time written "YYYY-MM-DDTHH:MM:SS[.mmm][Z]";
/// nullopt when the text has another shape.
std::optional<std::int64_t> parse_utc_millis(std::string_view text);

} // namespace aiops::report
