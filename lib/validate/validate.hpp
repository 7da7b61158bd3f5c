#pragma once

#include "core/error.hpp"
#include "core/severity.hpp"
#include "report/report.hpp"
#include "source/workspace.hpp"
#include "validate/check.hpp"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aiops::validate {

/// The names of the checks `--checks` accepts.
std::vector<std::string> known_checks();

/// The dependencies a spec allows (its `dependencies`), which the imports check counts
/// as declared for the files of the spec's language, besides what the manifests on disk
/// declare. generate and `validate --spec` share this one rule.
struct SpecDependencies
{
    std::string spec_path;             ///< how messages name the spec
    std::string language;              ///< the spec's language, whose package names these are
    std::vector<std::string> packages; ///< as written: "requests>=2.31", "express"
};

/// Everything `aiops validate` takes.
struct ValidateOptions
{
    source::WalkOptions walk;
    std::vector<std::string> checks{"syntax", "artefacts", "imports", "manifest"};
    /// The spec the conformance check compares the code with; naming one turns the
    /// check on.
    std::optional<std::filesystem::path> spec;
    /// The spec's dependencies for the imports check; with `spec` named and this unset,
    /// they are read from that spec.
    std::optional<SpecDependencies> spec_dependencies;
    unsigned jobs = 0; ///< 0: all cores
    std::size_t max_problems_per_file = 50;
    std::optional<core::Severity> fail_on = core::Severity::low;
    std::string category;
    std::vector<std::string> command_line;
    /// The Python whose standard library the imports check uses ("3.12"); nullopt:
    /// each project's requires-python, else any version from 3.8 to 3.14.
    std::optional<std::string> python_version;
};

/// What the checks found in one text.
struct TextOutcome
{
    std::vector<core::Finding> findings; ///< sorted, with fingerprints and line hashes
    std::optional<std::string> note;
    source::Language parsed_as = source::Language::python;
};

/// Makes the checks the options name, in the order they run. Fails with
/// ErrorCode::usage for an unknown check, and with the check's own error when its
/// setup fails (a malformed spec).
core::Result<std::vector<std::unique_ptr<Check>>> make_checks(const CheckSetup& setup);

/// Runs the checks over one decoded text as validate does over a file.
core::Result<TextOutcome> check_text(const std::vector<std::unique_ptr<Check>>& checks,
                                     const std::string& path,
                                     const std::filesystem::path& location,
                                     source::Language language,
                                     std::string_view text,
                                     std::optional<std::size_t> invalid_offset = std::nullopt,
                                     std::string_view invalid_reason = {});

/// Checks the files the options name and returns the report. Fails with
/// ErrorCode::usage for an unknown check or a missing path, and ErrorCode::interrupted
/// when an interrupt arrives; a file that cannot be read is a notice in the report
/// and marks the run as unsuccessful.
core::Result<report::Report> run_validate(const ValidateOptions& options);

} // namespace aiops::validate
