#include "report/writers.hpp"

#include <fmt/format.h>

namespace aiops::report {

namespace {

std::string_view command_for(core::Severity severity)
{
    if (severity >= core::Severity::high) {
        return "error";
    }
    return severity == core::Severity::medium ? "warning" : "notice";
}

} // namespace

std::string write_github(const Report& report)
{
    std::string out;
    for (const auto& finding : report.findings) {
        const auto& at = finding.location;
        out += fmt::format("::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                           command_for(finding.severity),
                           escape_workflow_command(at.path, /*property=*/true),
                           at.start_line,
                           at.start_column,
                           at.end_line,
                           at.end_column,
                           escape_workflow_command(finding.rule_id, /*property=*/true),
                           escape_workflow_command(finding.message, /*property=*/false));
    }
    for (const auto& notice : report.notices) {
        if (notice.level == Notice::Level::error) {
            out += fmt::format("::error title=aiops::{}\n",
                               escape_workflow_command(notice.path.empty()
                                                           ? notice.message
                                                           : notice.path + ": " + notice.message,
                                                       /*property=*/false));
        }
    }
    return out;
}

} // namespace aiops::report
