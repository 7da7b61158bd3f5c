#include "core/sha256.hpp"
#include "report/writer_support.hpp"
#include "report/writers.hpp"

#include <set>

namespace aiops::report {

namespace {

std::string_view codequality_severity(core::Severity severity)
{
    switch (severity) {
    case core::Severity::critical:
        return "blocker";
    case core::Severity::high:
        return "critical";
    case core::Severity::medium:
        return "major";
    case core::Severity::low:
        return "minor";
    case core::Severity::info:
        return "info";
    }
    return "info";
}

} // namespace

nlohmann::ordered_json to_gitlab_codequality(const Report& report)
{
    nlohmann::ordered_json issues = nlohmann::ordered_json::array();
    std::set<std::string> fingerprints;
    for (const core::Finding* finding : unsuppressed_findings(report)) {
        // GitLab folds entries with one fingerprint into one; a repeat (which only
        // findings without a computed fingerprint can produce) gets a derived one.
        std::string fingerprint = finding_identity(*finding);
        for (int repeat = 2; !fingerprints.insert(fingerprint).second; ++repeat) {
            fingerprint =
                core::sha256_hex(finding_identity(*finding) + ':' + std::to_string(repeat));
        }
        const auto& at = finding->location;
        issues.push_back({
            {"description", shown_message(*finding)},
            {"check_name", finding->rule_id},
            {"fingerprint", fingerprint},
            {"severity", codequality_severity(finding->severity)},
            {"location",
             {{"path", at.path}, {"lines", {{"begin", at.start_line}, {"end", at.end_line}}}}},
        });
    }
    return issues;
}

} // namespace aiops::report
