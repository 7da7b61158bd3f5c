#include "report/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <iterator>

namespace aiops::report {

std::size_t gating_findings(const Report& report)
{
    if (!report.fail_on) {
        return 0;
    }
    std::size_t count = 0;
    for (const auto& finding : report.findings) {
        if (!finding.suppression && finding.severity >= *report.fail_on) {
            ++count;
        }
    }
    return count;
}

void add_walk_results(Report& report,
                      const std::vector<SkippedFile>& skipped,
                      const std::vector<SkippedFile>& unreadable,
                      bool keep_going)
{
    report.skipped.insert(report.skipped.end(), skipped.begin(), skipped.end());
    for (const auto& folder : unreadable) {
        report.notices.push_back({Notice::Level::error, folder.path, folder.reason});
        report.execution_successful &= keep_going;
    }
}

void add_file_outcomes(Report& report, std::vector<FileOutcome>& outcomes, bool keep_going)
{
    std::size_t findings = report.findings.size();
    for (const auto& outcome : outcomes) {
        findings += outcome.findings.size();
    }
    report.findings.reserve(findings);
    for (auto& outcome : outcomes) {
        report.files_checked += outcome.checked ? 1 : 0;
        report.unsupported_files += outcome.unsupported ? 1 : 0;
        std::move(
            outcome.findings.begin(), outcome.findings.end(), std::back_inserter(report.findings));
        // Freed as they move, so a run never holds two copies of its findings.
        std::vector<core::Finding>().swap(outcome.findings);
        if (outcome.skipped) {
            report.skipped.push_back(std::move(*outcome.skipped));
        }
        if (outcome.notice) {
            const bool failure = outcome.notice->level == Notice::Level::error;
            report.execution_successful &= !failure || keep_going;
            report.notices.push_back(std::move(*outcome.notice));
        }
    }
    std::sort(report.skipped.begin(), report.skipped.end(), [](const auto& a, const auto& b) {
        return a.path < b.path;
    });
}

core::ExitCode gate_exit_code(const Report& report)
{
    if (!report.execution_successful) {
        return core::ExitCode::failure;
    }
    return gating_findings(report) > 0 ? core::ExitCode::gate_failed : core::ExitCode::success;
}

std::string utc_now()
{
    const auto now = std::chrono::system_clock::now();
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count()
        % 1000;
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                       parts.tm_year + 1900,
                       parts.tm_mon + 1,
                       parts.tm_mday,
                       parts.tm_hour,
                       parts.tm_min,
                       parts.tm_sec,
                       millis);
}

} // namespace aiops::report
