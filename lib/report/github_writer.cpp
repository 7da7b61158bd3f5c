#include "core/strings.hpp"
#include "report/writer_support.hpp"
#include "report/writers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

namespace aiops::report {

namespace {

std::string_view command_for(core::Severity severity)
{
    if (severity >= core::Severity::high) {
        return "error";
    }
    return severity == core::Severity::medium ? "warning" : "notice";
}

// GitHub shows at most this many annotations of each kind (error, warning, notice) for
// a step; more are dropped without a word.
constexpr std::size_t k_annotations_per_kind = 10;

} // namespace

std::string write_github(const Report& report)
{
    // The most severe first, so that what GitHub shows is what matters; suppressed
    // findings do not fail the gate and get no annotation.
    std::vector<const core::Finding*> shown;
    for (const auto& finding : report.findings) {
        if (!finding.suppression) {
            shown.push_back(&finding);
        }
    }
    std::stable_sort(
        shown.begin(), shown.end(), [](const core::Finding* a, const core::Finding* b) {
            return a->severity > b->severity;
        });
    std::map<std::string_view, std::size_t> per_kind;
    std::size_t left_out = 0;
    std::string out;
    for (const core::Finding* shown_finding : shown) {
        const core::Finding& finding = *shown_finding;
        if (++per_kind[command_for(finding.severity)] > k_annotations_per_kind) {
            ++left_out;
            continue;
        }
        const auto& at = finding.location;
        // A path that holds a bidirectional or invisible character is shown escaped, as
        // in the text output: the annotation then names the file without reordering it.
        out += fmt::format("::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                           command_for(finding.severity),
                           escape_workflow_command(core::show_hidden_code_points(at.path),
                                                   /*property=*/true),
                           at.start_line,
                           at.start_column,
                           at.end_line,
                           at.end_column,
                           escape_workflow_command(finding.rule_id, /*property=*/true),
                           escape_workflow_command(shown_message(finding), /*property=*/false));
    }
    if (left_out > 0) {
        out +=
            fmt::format("::notice title=aiops::{} more finding{} not shown as annotations (GitHub "
                        "shows {} of each kind a step): see the report or the job log\n",
                        left_out,
                        left_out == 1 ? " is" : "s are",
                        k_annotations_per_kind);
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
