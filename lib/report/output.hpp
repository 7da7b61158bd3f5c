#pragma once

#include "core/error.hpp"
#include "report/report.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::report {

/// The format written to standard output.
enum class Format
{
    text,
    json,
    sarif,
    github,
};

/// Parses "text", "json", "sarif" or "github".
std::optional<Format> parse_format(std::string_view name);

/// When the text format uses colour.
enum class ColorMode
{
    automatic, ///< on a terminal, unless NO_COLOR is set
    always,
    never,
};

/// Every report one run writes.
struct OutputOptions
{
    Format format = Format::text;
    std::optional<std::filesystem::path> sarif_file;
    std::optional<std::filesystem::path> json_file;
    std::optional<std::filesystem::path> gitlab_sast_file;        ///< gl-sast-report.json
    std::optional<std::filesystem::path> gitlab_codequality_file; ///< gl-code-quality-report.json
    std::optional<std::filesystem::path> junit_file;
    /// The Markdown summary; the file is replaced, not appended to.
    std::optional<std::filesystem::path> markdown_file;
    bool github_annotations = false; ///< also print annotations to standard output
    ColorMode color = ColorMode::automatic;

    /// Whether a SARIF log is written, to standard output or to a file: the only report
    /// that carries the findings' line hashes.
    bool writes_sarif() const { return format == Format::sarif || sarif_file.has_value(); }
};

/// A file of the run that is not a report, such as a scan baseline, written together
/// with the reports.
struct OutputFile
{
    std::filesystem::path path;
    std::string text;
};

/// Whether the text written to standard output should be coloured.
bool use_color(ColorMode mode);

/// Writes the report files and `other_files` first, all or none (a core::FileBatch: parent folders
/// created, earlier versions untouched when one fails), then standard output. Fails with
/// ErrorCode::usage for a path that cannot name a file, else ErrorCode::io, leaving no
/// partial file behind.
core::Result<bool> write_outputs(const Report& report,
                                 const OutputOptions& options,
                                 const std::vector<OutputFile>& other_files = {});

} // namespace aiops::report
