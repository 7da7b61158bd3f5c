#include "report/writer_support.hpp"
#include "report/writers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace aiops::report {

namespace {

// Room kept for the closing line that counts the rows left out.
constexpr std::size_t k_footer_reserve = 128;

std::string_view plural(std::size_t count)
{
    return count == 1 ? "" : "s";
}

// A table cell shows text as it is: Markdown and HTML syntax is escaped, and a line
// break becomes <br>, since a cell cannot span lines.
std::string cell(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '\n':
            out += "<br>";
            break;
        case '\r':
            break;
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '~':
        case '|':
        case '<':
        case '>':
        case '&':
        case '#':
        case '!':
        case '$':
            out += '\\';
            out += c;
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string summary_line(const Report& report, const std::vector<const core::Finding*>& findings)
{
    std::map<core::Severity, std::size_t, std::greater<>> by_severity;
    for (const core::Finding* finding : findings) {
        ++by_severity[finding->severity];
    }
    const bool passed = gating_findings(report) == 0 && report.execution_successful;
    std::string line = fmt::format("**{}**: {} file{} checked",
                                   passed ? "Passed" : "Failed",
                                   report.files_checked,
                                   plural(report.files_checked));
    if (!report.skipped.empty()) {
        line += fmt::format(", {} skipped", report.skipped.size());
    }
    if (findings.empty()) {
        line += ", no findings";
    } else {
        line += fmt::format(", {} finding{} (", findings.size(), plural(findings.size()));
        const char* separator = "";
        for (const auto& [severity, count] : by_severity) {
            line += fmt::format("{}{} {}", separator, count, core::to_string(severity));
            separator = ", ";
        }
        line += ')';
    }
    const std::size_t suppressed = report.findings.size() - findings.size();
    if (suppressed > 0) {
        line += fmt::format(", {} suppressed", suppressed);
    }
    const auto errors =
        std::count_if(report.notices.begin(), report.notices.end(), [](const auto& n) {
            return n.level == Notice::Level::error;
        });
    if (errors > 0) {
        line += fmt::format(", {} error{}", errors, plural(static_cast<std::size_t>(errors)));
    }
    if (report.fail_on) {
        line += fmt::format("; the gate fails on {} and above.", core::to_string(*report.fail_on));
    } else {
        line += "; no gate.";
    }
    return line;
}

std::string row(const core::Finding& finding)
{
    return fmt::format("| {}:{} | {} | {} | {} |\n",
                       cell(finding.location.path),
                       finding.location.start_line,
                       core::to_string(finding.severity),
                       cell(finding.rule_id),
                       cell(shown_message(finding)));
}

} // namespace

std::string write_markdown(const Report& report, const MarkdownLimits& limits)
{
    std::vector<const core::Finding*> findings = unsuppressed_findings(report);
    std::stable_sort(findings.begin(), findings.end(), [](const auto* a, const auto* b) {
        return a->severity > b->severity;
    });

    std::string out = fmt::format("## {}\n\n{}\n",
                                  report.command.empty() ? "aiops" : "aiops " + report.command,
                                  summary_line(report, findings));
    if (findings.empty()) {
        return out;
    }
    const std::string table_head =
        "\n| Location | Severity | Rule | Message |\n| --- | --- | --- | --- |\n";
    std::string rows;
    std::size_t shown = 0;
    for (; shown < findings.size() && shown < limits.max_rows; ++shown) {
        std::string next = row(*findings[shown]);
        const std::size_t total =
            out.size() + table_head.size() + rows.size() + next.size() + k_footer_reserve;
        if (total > limits.max_bytes) {
            break;
        }
        rows += next;
    }
    if (shown > 0) {
        out += table_head;
        out += rows;
    }
    const std::size_t rest = findings.size() - shown;
    if (rest > 0) {
        out += fmt::format("\n{} more finding{} not shown.\n", rest, plural(rest));
    }
    return out;
}

} // namespace aiops::report
