#pragma once

#include "core/error.hpp"
#include "core/finding.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace aiops::report {

/// What a rule checks, as reports describe it.
struct RuleInfo
{
    std::string id;                ///< "syntax.error"
    std::string name;              ///< "SyntaxError"
    std::string short_description; ///< one sentence
    std::string full_description;
    std::string help_markdown;
    core::Severity default_severity = core::Severity::medium;
    std::vector<std::string> tags;
    /// How sure a match is to be a real problem: "high", "medium" or "low".
    std::string confidence = "high";
    std::vector<std::string> cwe;     ///< "CWE-78"
    std::vector<std::string> owasp;   ///< "A03:2021"
    std::vector<std::string> aliases; ///< other tools' ids for the same check, "B602"
};

/// A file that was found but not checked.
struct SkippedFile
{
    std::string path;
    std::string reason;
};

/// Something about the run itself rather than the code: a file that could not be
/// read, a cap that cut a file's findings short.
struct Notice
{
    enum class Level
    {
        error,
        warning,
        note,
    };

    Level level = Level::note;
    std::string path; ///< may be empty
    std::string message;
};

/// Everything one run of a command produced; every writer reads only this.
struct Report
{
    std::string command; ///< "validate", "scan", ...
    std::filesystem::path root;
    std::vector<std::string> command_line;
    std::vector<RuleInfo> rules;
    std::vector<core::Finding> findings; ///< sorted with core::finding_order
    std::vector<SkippedFile> skipped;
    std::vector<Notice> notices;
    std::size_t files_checked = 0;
    std::size_t unsupported_files = 0;
    bool execution_successful = true;
    std::string category;
    /// "I/N" when the run checked shard I of N (--shard), so that merging the shards'
    /// reports can tell a missing or repeated one.
    std::string shard;
    std::string start_time_utc; ///< ISO 8601, e.g. 2026-01-31T12:00:00.000Z
    std::string end_time_utc;
    std::optional<core::Severity> fail_on; ///< nullopt: findings never fail the gate
};

/// What checking one file produced; filled by one worker, merged once all finish.
struct FileOutcome
{
    bool checked = false;
    bool unsupported = false; ///< of no language the command checks
    std::vector<core::Finding> findings;
    std::optional<SkippedFile> skipped;
    std::optional<Notice> notice;
};

/// Adds what the file walk found but could not check: skipped files, and folders that
/// could not be read (error notices, which mark the run unsuccessful unless
/// keep_going).
void add_walk_results(Report& report,
                      const std::vector<SkippedFile>& skipped,
                      const std::vector<SkippedFile>& unreadable,
                      bool keep_going);

/// Adds the outcomes of the files, in the order given, and sorts the skipped files.
/// An error notice marks the run unsuccessful unless keep_going.
void add_file_outcomes(Report& report, std::vector<FileOutcome>& outcomes, bool keep_going);

/// The number of findings at or above the gate's threshold.
std::size_t gating_findings(const Report& report);

/// The exit code a finished run ends with: 3 when it could not check everything, 1
/// when findings reach the threshold, else 0.
core::ExitCode gate_exit_code(const Report& report);

/// The current time as SARIF writes it (UTC, milliseconds, 'Z').
std::string utc_now();

} // namespace aiops::report
