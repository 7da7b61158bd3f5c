#pragma once

#include "core/finding.hpp"
#include "report/report.hpp"
#include "source/language.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::validate {

/// The rules the syntax check reports under.
std::vector<report::RuleInfo> syntax_rules();

/// What the syntax check found in one file.
struct SyntaxOutcome
{
    std::vector<core::Finding> findings;
    std::size_t not_shown = 0; ///< problems past the per-file cap
    source::Language parsed_as = source::Language::python;
};

/// Parses the text and reports every syntax problem (up to max_problems), plus an
/// encoding finding when the text is not valid in its encoding.
core::Result<SyntaxOutcome> check_syntax(const std::string& path,
                                         source::Language language,
                                         std::string_view text,
                                         std::optional<std::size_t> invalid_offset,
                                         const std::string& invalid_reason,
                                         std::size_t max_problems);

} // namespace aiops::validate
