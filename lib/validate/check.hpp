#pragma once

#include "core/error.hpp"
#include "core/finding.hpp"
#include "core/line_index.hpp"
#include "report/report.hpp"
#include "source/language.hpp"
#include "source/syntax_tree.hpp"
#include "source/workspace.hpp"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aiops::validate {

struct ValidateOptions;

/// One file as every check sees it. The tree and the text live until all checks of the
/// file have run.
struct CheckedFile
{
    const std::string& path;               ///< as reports name it
    const std::filesystem::path& location; ///< where it was read from
    source::Language language;             ///< the language it was parsed as
    std::string_view text;                 ///< decoded UTF-8
    const source::SyntaxTree& tree;
    const core::LineIndex& lines;
    /// Every syntax problem of the tree, in source order (for JSON: the strict
    /// parser's), whether or not the syntax check runs.
    std::span<const source::SyntaxProblem> syntax_problems;
    std::size_t total_syntax_problems = 0; ///< may exceed syntax_problems.size()
    /// Where the file stops being valid in its encoding, and why.
    std::optional<std::size_t> invalid_offset;
    std::string_view invalid_reason;
};

/// What the checks of one file report.
struct FileFindings
{
    std::vector<core::Finding> findings;
    /// Byte ranges [first, second) whose syntax problems a check explains otherwise (a
    /// markdown fence, a truncated end): syntax findings that start there are left out.
    std::vector<std::pair<std::size_t, std::size_t>> syntax_explained;
    /// A note on the file for the report ("12 more syntax problems are not shown").
    std::optional<std::string> note;
};

/// What a check may read when it is set up, once per run.
struct CheckSetup
{
    const ValidateOptions& options;
    const source::Workspace& workspace;
    /// The spec's text, read instead of the file the options name (the --diff base's
    /// version of it).
    std::optional<std::string> spec_text = std::nullopt;
};

/// One of the checks `--checks` names. check_file is called from several threads at
/// once, so it must not change the check; finish is called once, after every file.
class Check
{
public:
    virtual ~Check() = default;

    /// The rules its findings are reported under.
    virtual std::vector<report::RuleInfo> rules() const = 0;

    virtual void check_file(const CheckedFile& file, FileFindings& out) const = 0;

    /// Findings that belong to no file that was checked (a file a spec or manifest
    /// names that is not there). Default: none.
    virtual std::vector<core::Finding> finish() { return {}; }

    /// Whether finish judges only the files the check was given, so that --diff can
    /// tell its new findings by a run over the base versions of those files. A check
    /// whose finish reads the work tree itself says no, and its findings are all kept.
    virtual bool finish_judges_given_files() const { return false; }
};

/// A finding of a check at a byte range of a file, with its snippet.
core::Finding file_finding(const CheckedFile& file,
                           std::string rule_id,
                           core::Severity severity,
                           std::string message,
                           std::size_t start_byte,
                           std::size_t end_byte);

} // namespace aiops::validate
