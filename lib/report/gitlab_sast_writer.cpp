#include "core/sha256.hpp"
#include "core/version.hpp"
#include "report/writer_support.hpp"
#include "report/writers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace aiops::report {

namespace {

// The schema version this writer follows: tests/data/schemas/sast-report-format.json.
constexpr const char* k_schema_version = "15.2.1";
constexpr const char* k_rule_identifier = "aiops_rule_id";
constexpr std::size_t k_max_name = 255;
constexpr std::size_t k_max_description = 1048576;
constexpr std::size_t k_max_solution = 7000;

std::string_view gitlab_severity(core::Severity severity)
{
    switch (severity) {
    case core::Severity::critical:
        return "Critical";
    case core::Severity::high:
        return "High";
    case core::Severity::medium:
        return "Medium";
    case core::Severity::low:
        return "Low";
    case core::Severity::info:
        return "Info";
    }
    return "Unknown";
}

// GitLab wants seconds and no zone ("2026-01-31T12:00:00"); the report keeps
// milliseconds and a 'Z'.
std::string gitlab_time(const std::string& utc)
{
    const std::string& time = parse_utc_millis(utc) ? utc : utc_now();
    return time.substr(0, 19);
}

// A UUID-shaped id (RFC 9562 version 8, whose bits are the user's to choose) drawn
// from the finding's identity, so the same finding keeps its id from run to run.
std::string vulnerability_id(const core::Finding& finding)
{
    std::string hex = core::sha256_hex("gitlab-sast\n" + finding_identity(finding)).substr(0, 32);
    const char variant = hex[16];
    const int low_bits = (variant <= '9' ? variant - '0' : variant - 'a' + 10) & 0x3;
    hex[12] = '8';
    hex[16] = "89ab"[low_bits];
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-'
           + hex.substr(16, 4) + '-' + hex.substr(20);
}

nlohmann::ordered_json
identifier(std::string_view type, std::string_view name, std::string_view value)
{
    return {{"type", type}, {"name", name}, {"value", value}};
}

// Whether an alias is one of Bandit's test ids ("B602").
bool is_bandit_id(const std::string& alias)
{
    return alias.size() >= 2 && alias[0] == 'B'
           && std::all_of(
               alias.begin() + 1, alias.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The rule id first: GitLab matches vulnerabilities across runs on the first one.
nlohmann::ordered_json identifiers(const core::Finding& finding, const RuleInfo* rule)
{
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    list.push_back(identifier(k_rule_identifier, finding.rule_id, finding.rule_id));
    if (rule == nullptr) {
        return list;
    }
    // As GitLab's own Bandit analyzer names them, so both tools' findings line up.
    for (const auto& alias : rule->aliases) {
        if (is_bandit_id(alias)) {
            list.push_back(identifier("bandit_test_id", "Bandit Test ID " + alias, alias));
        }
    }
    std::set<std::string> seen;
    for (const auto& cwe : rule->cwe) {
        const auto number = cwe_number(cwe);
        if (number && seen.insert(*number).second) {
            list.push_back(identifier("cwe", "CWE-" + *number, *number));
        }
    }
    for (const auto& owasp : rule->owasp) {
        if (!owasp.empty()) {
            list.push_back(identifier("owasp", owasp, owasp));
        }
    }
    return list;
}

nlohmann::ordered_json vulnerability(const core::Finding& finding, const RuleInfo* rule)
{
    // A title: the rule id and its aliases. The description says the rest; the first
    // sentence of a rule's help can run to several lines.
    std::string name = finding.rule_id;
    std::string description = shown_message(finding);
    if (rule != nullptr) {
        if (!rule->aliases.empty()) {
            name += fmt::format(" ({})", fmt::join(rule->aliases, ", "));
        }
        if (!rule->full_description.empty()) {
            description += "\n\n" + rule->full_description;
        }
    }
    const auto& at = finding.location;
    nlohmann::ordered_json entry = {
        {"id", vulnerability_id(finding)},
        {"name", cut_code_points(name, k_max_name)},
        {"description", cut_code_points(description, k_max_description)},
        {"severity", gitlab_severity(finding.severity)},
    };
    if (rule != nullptr && !rule->help_markdown.empty()) {
        entry["solution"] = cut_code_points(rule->help_markdown, k_max_solution);
    }
    entry["identifiers"] = identifiers(finding, rule);
    entry["location"] = {
        {"file", at.path}, {"start_line", at.start_line}, {"end_line", at.end_line}};
    if (!finding.snippet.empty()) {
        entry["raw_source_code_extract"] = shown_snippet(finding);
    }
    return entry;
}

std::string_view message_level(Notice::Level level)
{
    // An unreadable file is a partial error; the scan itself goes on ("fatal" would
    // say it stopped).
    return level == Notice::Level::note ? "info" : "warn";
}

nlohmann::ordered_json scan_messages(const Report& report)
{
    nlohmann::ordered_json messages = nlohmann::ordered_json::array();
    for (const auto& skipped : report.skipped) {
        messages.push_back(
            {{"level", "info"}, {"value", skipped.path + ": skipped: " + skipped.reason}});
    }
    for (const auto& notice : report.notices) {
        const std::string value =
            notice.path.empty() ? notice.message : notice.path + ": " + notice.message;
        if (!value.empty()) {
            messages.push_back({{"level", message_level(notice.level)}, {"value", value}});
        }
    }
    return messages;
}

// Every rule the run could report, described or not.
nlohmann::ordered_json primary_identifiers(const Report& report)
{
    std::vector<std::string> rule_ids;
    for (const auto& rule : report.rules) {
        rule_ids.push_back(rule.id);
    }
    for (const auto& finding : report.findings) {
        rule_ids.push_back(finding.rule_id);
    }
    nlohmann::ordered_json primary = nlohmann::ordered_json::array();
    std::set<std::string> seen;
    for (const auto& id : rule_ids) {
        if (seen.insert(id).second) {
            primary.push_back(identifier(k_rule_identifier, id, id));
        }
    }
    return primary;
}

nlohmann::ordered_json scan_json(const Report& report)
{
    const nlohmann::ordered_json vendor = {{"name", "aiops"}};
    const std::string scanner_id = report.command.empty() ? "aiops" : "aiops-" + report.command;
    const std::string scanner_name = report.command.empty() ? "aiops" : "aiops " + report.command;
    nlohmann::ordered_json scan = {
        {"analyzer",
         {{"id", "aiops"}, {"name", "aiops"}, {"version", core::k_version}, {"vendor", vendor}}},
        {"scanner",
         {{"id", scanner_id},
          {"name", scanner_name},
          {"version", core::k_version},
          {"vendor", vendor}}},
        {"type", "sast"},
        {"start_time", gitlab_time(report.start_time_utc)},
        {"end_time", gitlab_time(report.end_time_utc)},
        {"status", report.execution_successful ? "success" : "failure"},
        {"primary_identifiers", primary_identifiers(report)},
    };
    if (auto messages = scan_messages(report); !messages.empty()) {
        scan["messages"] = std::move(messages);
    }
    return scan;
}

} // namespace

nlohmann::ordered_json to_gitlab_sast(const Report& report)
{
    nlohmann::ordered_json vulnerabilities = nlohmann::ordered_json::array();
    for (const core::Finding* finding : unsuppressed_findings(report)) {
        // A finding about the code's upkeep (a suppression that hides nothing) is not a
        // vulnerability.
        const auto& tags = finding->tags;
        if (std::find(tags.begin(), tags.end(), "maintainability") != tags.end()) {
            continue;
        }
        vulnerabilities.push_back(vulnerability(*finding, find_rule(report, finding->rule_id)));
    }
    return {
        {"version", k_schema_version},
        {"scan", scan_json(report)},
        {"vulnerabilities", vulnerabilities},
    };
}

} // namespace aiops::report
