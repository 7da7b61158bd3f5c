#include "core/version.hpp"
#include "report/writer_support.hpp"
#include "report/writers.hpp"

namespace aiops::report {

namespace {

std::string_view level_name(Notice::Level level)
{
    switch (level) {
    case Notice::Level::error:
        return "error";
    case Notice::Level::warning:
        return "warning";
    case Notice::Level::note:
        return "note";
    }
    return "note";
}

nlohmann::ordered_json suppressed_json(const core::Finding& finding)
{
    if (!finding.suppression) {
        return nullptr;
    }
    const bool in_source = finding.suppression->kind == core::Suppression::Kind::in_source;
    return {
        {"kind", in_source ? "in_source" : "baseline"},
        {"justification", finding.suppression->justification},
    };
}

nlohmann::ordered_json finding_json(const core::Finding& finding)
{
    const auto& at = finding.location;
    nlohmann::ordered_json entry = {
        {"rule", finding.rule_id},
        {"severity", core::to_string(finding.severity)},
        {"message", shown_message(finding)},
        {"path", at.path},
        {"start_line", at.start_line},
        {"start_column", at.start_column},
        {"end_line", at.end_line},
        {"end_column", at.end_column},
        {"snippet", shown_snippet(finding)},
        {"tags", finding.tags},
        {"fingerprint", finding.fingerprint},
        {"suppressed", suppressed_json(finding)},
    };
    if (!finding.commit.empty()) {
        entry["commit"] = finding.commit;
    }
    return entry;
}

} // namespace

nlohmann::ordered_json to_json(const Report& report)
{
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    std::map<std::string, std::size_t> by_severity;
    for (const auto& finding : report.findings) {
        findings.push_back(finding_json(finding));
        ++by_severity[std::string(core::to_string(finding.severity))];
    }
    nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
    for (const auto& file : report.skipped) {
        skipped.push_back({{"path", file.path}, {"reason", file.reason}});
    }
    nlohmann::ordered_json notices = nlohmann::ordered_json::array();
    for (const auto& notice : report.notices) {
        notices.push_back({{"level", level_name(notice.level)},
                           {"path", notice.path},
                           {"message", notice.message}});
    }
    const std::size_t gating = gating_findings(report);
    return {
        {"version", "1"},
        {"tool", {{"name", "aiops"}, {"version", core::k_version}}},
        {"command", report.command},
        {"root", report.root.string()},
        {"summary",
         {{"files_checked", report.files_checked},
          {"files_skipped", report.skipped.size()},
          {"other_files", report.unsupported_files},
          {"findings", report.findings.size()},
          {"by_severity", by_severity},
          {"fail_on", report.fail_on ? std::string(core::to_string(*report.fail_on)) : "none"},
          {"gating_findings", gating},
          {"execution_successful", report.execution_successful},
          {"passed", gating == 0 && report.execution_successful}}},
        {"findings", std::move(findings)},
        {"skipped", std::move(skipped)},
        {"notices", std::move(notices)},
    };
}

} // namespace aiops::report
