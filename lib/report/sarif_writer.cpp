#include "core/strings.hpp"
#include "core/version.hpp"
#include "report/writer_support.hpp"
#include "report/writers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

namespace aiops::report {

namespace {

constexpr const char* k_schema_uri = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* k_root_base = "%SRCROOT%";
constexpr std::size_t k_max_results = 25000;
constexpr const char* k_fingerprint_key = "aiops/v1";

bool is_absolute(const std::string& path)
{
    return !path.empty() && path.front() == '/';
}

nlohmann::ordered_json artifact_location(const std::string& path)
{
    if (is_absolute(path)) {
        return {{"uri", "file://" + percent_encode_path(path)}};
    }
    return {{"uri", percent_encode_path(path)}, {"uriBaseId", k_root_base}};
}

// GitHub's precision: a rule's confidence, or "very-high" when it states none.
std::optional<std::string> precision(const RuleInfo& rule)
{
    const std::string confidence = core::to_lower(rule.confidence);
    if (confidence.empty()) {
        return "very-high";
    }
    if (confidence == "very-high" || confidence == "high" || confidence == "medium"
        || confidence == "low") {
        return confidence;
    }
    return std::nullopt;
}

// The rule's own tags, then "security" and CodeQL-style CWE tags when it names a CWE,
// which is what GitHub's code scanning filters on.
std::vector<std::string> rule_tags(const RuleInfo& rule)
{
    std::vector<std::string> tags;
    const auto add = [&tags](const std::string& tag) {
        if (std::find(tags.begin(), tags.end(), tag) == tags.end()) {
            tags.push_back(tag);
        }
    };
    for (const auto& tag : rule.tags) {
        add(tag);
    }
    std::vector<std::string> cwe_tags;
    for (const auto& cwe : rule.cwe) {
        if (const auto number = cwe_number(cwe)) {
            cwe_tags.push_back("external/cwe/cwe-" + *number);
        }
    }
    if (!cwe_tags.empty()) {
        add("security");
    }
    for (const auto& tag : cwe_tags) {
        add(tag);
    }
    return tags;
}

nlohmann::ordered_json rule_json(const RuleInfo& rule)
{
    const std::vector<std::string> tags = rule_tags(rule);
    nlohmann::ordered_json properties = {{"tags", tags}};
    if (const auto value = precision(rule)) {
        properties["precision"] = *value;
    }
    const bool security = std::find(tags.begin(), tags.end(), "security") != tags.end();
    if (security) {
        properties["security-severity"] = core::security_severity(rule.default_severity);
    } else {
        properties["problem.severity"] = rule.default_severity >= core::Severity::high ? "error"
                                         : rule.default_severity == core::Severity::medium
                                             ? "warning"
                                             : "recommendation";
    }
    return {
        {"id", rule.id},
        {"name", rule.name},
        {"shortDescription", {{"text", rule.short_description}}},
        {"fullDescription", {{"text", rule.full_description}}},
        {"help", {{"text", rule.full_description}, {"markdown", rule.help_markdown}}},
        {"defaultConfiguration", {{"level", core::sarif_level(rule.default_severity)}}},
        {"properties", properties},
    };
}

nlohmann::ordered_json suppressions_json(const core::Suppression& suppression)
{
    nlohmann::ordered_json entry = {
        {"kind", suppression.kind == core::Suppression::Kind::in_source ? "inSource" : "external"},
    };
    if (!suppression.justification.empty()) {
        entry["justification"] = core::show_hidden_code_points(suppression.justification);
    }
    return nlohmann::ordered_json::array({entry});
}

nlohmann::ordered_json result_json(const core::Finding& finding, int rule_index)
{
    const auto& at = finding.location;
    nlohmann::ordered_json region = {
        {"startLine", at.start_line},
        {"startColumn", at.start_column},
        {"endLine", at.end_line},
        {"endColumn", at.end_column},
    };
    if (!finding.snippet.empty()) {
        region["snippet"] = {{"text", shown_snippet(finding)}};
    }
    nlohmann::ordered_json fingerprints = {{k_fingerprint_key, finding.fingerprint}};
    if (!finding.line_hash.empty()) {
        fingerprints["primaryLocationLineHash"] = finding.line_hash;
    }
    nlohmann::ordered_json result = {
        {"ruleId", finding.rule_id},
        {"level", core::sarif_level(finding.severity)},
        {"message", {{"text", shown_message(finding)}}},
        {"locations",
         nlohmann::ordered_json::array(
             {{{"physicalLocation",
                {{"artifactLocation", artifact_location(at.path)}, {"region", region}}}}})},
        {"partialFingerprints", fingerprints},
        {"properties", {{"severity", core::to_string(finding.severity)}, {"tags", finding.tags}}},
    };
    if (!finding.commit.empty()) {
        // SARIF has no place of its own for the commit of a result.
        result["properties"]["commit"] = finding.commit;
    }
    if (rule_index >= 0) {
        result["ruleIndex"] = rule_index;
    }
    if (finding.suppression) {
        result["suppressions"] = suppressions_json(*finding.suppression);
    }
    return result;
}

std::string_view notice_level(Notice::Level level)
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

nlohmann::ordered_json notification(std::string_view id,
                                    std::string_view level,
                                    const std::string& path,
                                    const std::string& message)
{
    nlohmann::ordered_json entry = {
        {"descriptor", {{"id", id}}},
        {"level", level},
        {"message", {{"text", path.empty() ? message : path + ": " + message}}},
    };
    if (!path.empty()) {
        entry["locations"] = nlohmann::ordered_json::array(
            {{{"physicalLocation", {{"artifactLocation", artifact_location(path)}}}}});
    }
    return entry;
}

std::string command_line_text(const std::vector<std::string>& arguments)
{
    std::string text;
    for (const auto& argument : arguments) {
        if (!text.empty()) {
            text += ' ';
        }
        const bool plain =
            !argument.empty() && argument.find_first_of(" \t\n'\"\\$`") == std::string::npos;
        if (plain) {
            text += argument;
            continue;
        }
        // POSIX shell quoting: a quote inside becomes '\''.
        std::string quoted = "'";
        for (const char c : argument) {
            quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        }
        text += quoted + "'";
    }
    return text;
}

} // namespace

nlohmann::ordered_json to_sarif(const Report& report)
{
    std::map<std::string, int> rule_indexes;
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const auto& rule : report.rules) {
        if (rule_indexes.emplace(rule.id, static_cast<int>(rules.size())).second) {
            rules.push_back(rule_json(rule));
        }
    }
    // GitHub rejects a run of more than 25,000 results: keep the most severe (in their
    // order) and say how many were left out.
    std::vector<const core::Finding*> kept;
    kept.reserve(report.findings.size());
    for (const auto& finding : report.findings) {
        kept.push_back(&finding);
    }
    std::size_t omitted = 0;
    if (kept.size() > k_max_results) {
        std::stable_sort(
            kept.begin(), kept.end(), [](const core::Finding* a, const core::Finding* b) {
                return a->severity > b->severity;
            });
        omitted = kept.size() - k_max_results;
        kept.resize(k_max_results);
        std::sort(kept.begin(), kept.end(), [](const core::Finding* a, const core::Finding* b) {
            return core::finding_order(*a, *b);
        });
    }
    nlohmann::ordered_json results = nlohmann::ordered_json::array();
    for (const core::Finding* finding : kept) {
        const auto index = rule_indexes.find(finding->rule_id);
        results.push_back(result_json(*finding, index == rule_indexes.end() ? -1 : index->second));
    }
    nlohmann::ordered_json notifications = nlohmann::ordered_json::array();
    if (omitted > 0) {
        notifications.push_back(notification(
            "aiops.results-omitted",
            "warning",
            "",
            fmt::format("{} less severe results are left out: a SARIF run may hold at most {} for "
                        "GitHub code scanning; the JSON report has them all",
                        omitted,
                        k_max_results)));
    }
    for (const auto& skipped : report.skipped) {
        notifications.push_back(
            notification("aiops.skipped", "note", skipped.path, "skipped: " + skipped.reason));
    }
    for (const auto& notice : report.notices) {
        notifications.push_back(
            notification("aiops.notice", notice_level(notice.level), notice.path, notice.message));
    }
    nlohmann::ordered_json invocation = {
        {"executionSuccessful", report.execution_successful},
        {"workingDirectory",
         {{"uri", "file://" + percent_encode_path(report.root.string() + "/")}}},
        {"toolExecutionNotifications", notifications},
    };
    if (!report.command_line.empty()) {
        invocation["commandLine"] = command_line_text(report.command_line);
    }
    if (!report.start_time_utc.empty()) {
        invocation["startTimeUtc"] = report.start_time_utc;
        invocation["endTimeUtc"] = report.end_time_utc;
    }
    nlohmann::ordered_json run = {
        {"tool",
         {{"driver",
           {{"name", "aiops"},
            {"version", core::k_version},
            {"semanticVersion", core::k_version},
            {"rules", rules}}}}},
        {"originalUriBaseIds",
         {{k_root_base, {{"uri", "file://" + percent_encode_path(report.root.string() + "/")}}}}},
        {"invocations", nlohmann::ordered_json::array({invocation})},
        {"columnKind", "unicodeCodePoints"},
        {"results", results},
        {"properties",
         {{"command", report.command},
          {"filesChecked", report.files_checked},
          {"filesSkipped", report.skipped.size()},
          {"otherFiles", report.unsupported_files}}},
    };
    if (!report.shard.empty()) {
        run["properties"]["shard"] = report.shard;
    }
    if (!report.category.empty()) {
        std::string id = report.category;
        if (id.back() != '/') {
            id += '/';
        }
        run["automationDetails"] = {{"id", id}};
    }
    return {{"$schema", k_schema_uri},
            {"version", "2.1.0"},
            {"runs", nlohmann::ordered_json::array({run})}};
}

} // namespace aiops::report
