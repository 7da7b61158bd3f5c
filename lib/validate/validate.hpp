#pragma once

#include "core/error.hpp"
#include "core/severity.hpp"
#include "report/report.hpp"
#include "source/workspace.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace aiops::validate {

/// The names of the checks `--checks` accepts.
std::vector<std::string> known_checks();

/// Everything `aiops validate` takes.
struct ValidateOptions
{
    source::WalkOptions walk;
    std::vector<std::string> checks{"syntax"};
    unsigned jobs = 0; ///< 0: all cores
    std::size_t max_problems_per_file = 50;
    std::optional<core::Severity> fail_on = core::Severity::low;
    std::string category;
    std::vector<std::string> command_line;
};

/// Checks the files the options name and returns the report. Fails with
/// ErrorCode::usage for an unknown check or a missing path, and ErrorCode::interrupted
/// when an interrupt arrives; a file that cannot be read is a notice in the report
/// and marks the run as unsuccessful.
core::Result<report::Report> run_validate(const ValidateOptions& options);

} // namespace aiops::validate
