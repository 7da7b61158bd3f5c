#include "report/merge.hpp"

#include "core/line_index.hpp"
#include "core/severity.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <tuple>

namespace aiops::report {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t k_max_sarif_results = 25000;

core::Error input_error(const ReportInput& input, std::string_view message)
{
    return core::Error(core::ErrorCode::input, fmt::format("{}: {}", input.name, message));
}

core::Result<Json> parse_json(const ReportInput& input)
{
    try {
        return Json::parse(input.text);
    } catch (const Json::parse_error& error) {
        const core::LineIndex lines(input.text);
        const std::size_t at = error.byte == 0 ? 0 : error.byte - 1;
        const core::TextPosition position = lines.position(at);
        std::string reason = error.what();
        if (const std::size_t colon = reason.find(": ", reason.find("column"));
            colon != std::string::npos) {
            reason = reason.substr(colon + 2);
        }
        return core::Error(
            core::ErrorCode::input,
            fmt::format(
                "{}:{}:{}: invalid JSON: {}", input.name, position.line, position.column, reason));
    }
}

std::optional<ReportKind> kind_of_json(const Json& document)
{
    if (document.is_array()) {
        return ReportKind::gitlab_codequality;
    }
    if (!document.is_object()) {
        return std::nullopt;
    }
    if (document.contains("runs") && document.value("version", "") == "2.1.0") {
        return ReportKind::sarif;
    }
    if (document.contains("vulnerabilities") && document.contains("scan")) {
        return ReportKind::gitlab_sast;
    }
    return std::nullopt;
}

bool looks_like_xml(std::string_view text)
{
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && text[first] == '<';
}

// ---- SARIF ----------------------------------------------------------------------

std::string run_key(const Json& run)
{
    std::string tool = run.contains("tool") ? run["tool"]["driver"].value("name", "") : "";
    std::string category;
    if (run.contains("automationDetails")) {
        category = run["automationDetails"].value("id", "");
    }
    // aiops names the command of a run in its properties: the logs of validate and scan
    // stay separate runs even without categories.
    std::string command;
    if (run.contains("properties")) {
        command = run["properties"].value("command", "");
    }
    return tool + '\n' + category + '\n' + command;
}

// The severity a result was reported with, for the cap: aiops's own property first,
// else the SARIF level.
int result_rank(const Json& result)
{
    if (result.contains("properties") && result["properties"].contains("severity")) {
        if (const auto severity =
                core::parse_severity(result["properties"]["severity"].get<std::string>())) {
            return static_cast<int>(*severity);
        }
    }
    const std::string level = result.value("level", "warning");
    return level == "error" ? 3 : level == "warning" ? 2 : level == "note" ? 1 : 0;
}

// Where a result is, for ordering and for telling two copies of one result apart.
std::tuple<std::string, int, int, int, int> result_place(const Json& result)
{
    if (!result.contains("locations") || result["locations"].empty()) {
        return {"", 0, 0, 0, 0};
    }
    const Json& physical = result["locations"][0].value("physicalLocation", Json::object());
    const std::string uri = physical.value("artifactLocation", Json::object()).value("uri", "");
    const Json region = physical.value("region", Json::object());
    return {uri,
            region.value("startLine", 0),
            region.value("startColumn", 0),
            region.value("endLine", 0),
            region.value("endColumn", 0)};
}

bool result_order(const Json& a, const Json& b)
{
    return std::make_tuple(result_place(a), a.value("ruleId", ""))
           < std::make_tuple(result_place(b), b.value("ruleId", ""));
}

std::string result_identity(const Json& result)
{
    const auto [uri, line, column, end_line, end_column] = result_place(result);
    return fmt::format("{}\n{}\n{}:{}:{}:{}\n{}\n{}",
                       result.value("ruleId", ""),
                       uri,
                       line,
                       column,
                       end_line,
                       end_column,
                       result.value("partialFingerprints", Json::object()).dump(),
                       result.value("message", Json::object()).dump());
}

// Adds the counts a run's properties hold (files checked, skipped, ...) to another's.
void add_counts(Json& into, const Json& from)
{
    for (const auto& [key, value] : from.items()) {
        if (value.is_number_integer() && into.contains(key) && into[key].is_number_integer()) {
            into[key] = into[key].get<long long>() + value.get<long long>();
        } else if (!into.contains(key)) {
            into[key] = value;
        }
    }
}

struct SarifRun
{
    Json run;                ///< the first input's run, without its results
    std::vector<Json> rules; ///< in order of first appearance
    std::map<std::string, int> rule_index;
    std::vector<Json> results;
    std::set<std::string> seen;
    std::vector<Json> invocations;
    std::size_t inputs = 0; ///< runs added
};

core::Result<bool> add_sarif_run(SarifRun& merged, const Json& run, const ReportInput& input)
{
    if (run.contains("artifacts")) {
        return input_error(input,
                           "a run with an 'artifacts' table cannot be merged; "
                           "merge the reports of 'aiops' runs");
    }
    std::vector<std::string> names;
    if (run.contains("tool") && run["tool"]["driver"].contains("rules")) {
        for (const Json& rule : run["tool"]["driver"]["rules"]) {
            const std::string id = rule.value("id", "");
            names.push_back(id);
            if (merged.rule_index.emplace(id, static_cast<int>(merged.rules.size())).second) {
                merged.rules.push_back(rule);
            }
        }
    }
    for (Json result : run.value("results", Json::array())) {
        std::string id = result.value("ruleId", "");
        if (id.empty() && result.contains("ruleIndex")) {
            const int index = result["ruleIndex"].get<int>();
            if (index >= 0 && static_cast<std::size_t>(index) < names.size()) {
                id = names[static_cast<std::size_t>(index)];
            }
        }
        if (const auto found = merged.rule_index.find(id); found != merged.rule_index.end()) {
            result["ruleIndex"] = found->second;
        } else {
            result.erase("ruleIndex");
        }
        if (merged.seen.insert(result_identity(result)).second) {
            merged.results.push_back(std::move(result));
        }
    }
    for (const Json& invocation : run.value("invocations", Json::array())) {
        merged.invocations.push_back(invocation);
    }
    if (run.contains("properties")) {
        if (!merged.run.contains("properties")) {
            merged.run["properties"] = Json::object();
        }
        // The first run's counts are there already.
        if (merged.inputs > 0) {
            add_counts(merged.run["properties"], run["properties"]);
        }
    }
    ++merged.inputs;
    return true;
}

Json finish_sarif_run(SarifRun merged)
{
    std::stable_sort(merged.results.begin(), merged.results.end(), result_order);
    if (merged.results.size() > k_max_sarif_results) {
        std::stable_sort(
            merged.results.begin(), merged.results.end(), [](const Json& a, const Json& b) {
                return result_rank(a) > result_rank(b);
            });
        const std::size_t omitted = merged.results.size() - k_max_sarif_results;
        merged.results.resize(k_max_sarif_results);
        std::stable_sort(merged.results.begin(), merged.results.end(), result_order);
        if (merged.invocations.empty()) {
            merged.invocations.push_back({{"executionSuccessful", true}});
        }
        Json& notifications = merged.invocations.front()["toolExecutionNotifications"];
        if (!notifications.is_array()) {
            notifications = Json::array();
        }
        notifications.push_back(
            {{"descriptor", {{"id", "aiops.results-omitted"}}},
             {"level", "warning"},
             {"message",
              {{"text",
                fmt::format("{} less severe results are left out: a SARIF run may hold at most "
                            "{} for GitHub code scanning",
                            omitted,
                            k_max_sarif_results)}}}});
    }
    Json run = std::move(merged.run);
    if (run.contains("tool")) {
        run["tool"]["driver"]["rules"] = merged.rules;
    }
    run["invocations"] = merged.invocations;
    run["results"] = merged.results;
    return run;
}

core::Result<std::string> merge_sarif(const std::vector<Json>& documents,
                                      const std::vector<ReportInput>& inputs)
{
    std::vector<std::string> order;
    std::map<std::string, SarifRun> runs;
    for (std::size_t i = 0; i < documents.size(); ++i) {
        for (const Json& run : documents[i]["runs"]) {
            const std::string key = run_key(run);
            auto [slot, added] = runs.try_emplace(key);
            if (added) {
                order.push_back(key);
                slot->second.run = run;
                slot->second.run.erase("results");
            }
            if (auto merged = add_sarif_run(slot->second, run, inputs[i]); !merged) {
                return merged.error();
            }
        }
    }
    Json out = documents.front();
    out["runs"] = Json::array();
    for (const auto& key : order) {
        out["runs"].push_back(finish_sarif_run(std::move(runs[key])));
    }
    return out.dump(2) + "\n";
}

// ---- GitLab ---------------------------------------------------------------------

core::Result<std::string> merge_gitlab_sast(const std::vector<Json>& documents,
                                            const std::vector<ReportInput>& inputs)
{
    Json out = documents.front();
    Json& scan = out["scan"];
    const std::string scanner = scan.value("scanner", Json::object()).value("id", "");
    std::set<std::string> ids;
    Json vulnerabilities = Json::array();
    std::set<std::string> primary;
    Json primary_identifiers = Json::array();
    Json messages = Json::array();
    for (std::size_t i = 0; i < documents.size(); ++i) {
        const Json& document = documents[i];
        const Json& other = document["scan"];
        if (other.value("scanner", Json::object()).value("id", "") != scanner) {
            return input_error(inputs[i],
                               "its scanner differs from the first report's: merge the reports "
                               "of one command");
        }
        for (const Json& vulnerability : document["vulnerabilities"]) {
            if (ids.insert(vulnerability.value("id", vulnerability.dump())).second) {
                vulnerabilities.push_back(vulnerability);
            }
        }
        for (const Json& identifier : other.value("primary_identifiers", Json::array())) {
            if (primary.insert(identifier.dump()).second) {
                primary_identifiers.push_back(identifier);
            }
        }
        for (const Json& message : other.value("messages", Json::array())) {
            messages.push_back(message);
        }
        // The times are ISO 8601 in one format, so they order as text.
        if (other.value("start_time", "") < scan.value("start_time", "")) {
            scan["start_time"] = other["start_time"];
        }
        if (other.value("end_time", "") > scan.value("end_time", "")) {
            scan["end_time"] = other["end_time"];
        }
        if (other.value("status", "success") != "success") {
            scan["status"] = other["status"];
        }
    }
    scan["primary_identifiers"] = primary_identifiers;
    if (!messages.empty()) {
        scan["messages"] = messages;
    }
    out["vulnerabilities"] = vulnerabilities;
    return out.dump(2) + "\n";
}

std::string merge_codequality(const std::vector<Json>& documents)
{
    std::set<std::string> seen;
    std::vector<Json> issues;
    for (const Json& document : documents) {
        for (const Json& issue : document) {
            if (seen.insert(issue.value("fingerprint", issue.dump())).second) {
                issues.push_back(issue);
            }
        }
    }
    const auto place = [](const Json& issue) {
        const Json location = issue.value("location", Json::object());
        return std::make_tuple(location.value("path", ""),
                               location.value("lines", Json::object()).value("begin", 0));
    };
    std::stable_sort(issues.begin(), issues.end(), [&](const Json& a, const Json& b) {
        return place(a) < place(b);
    });
    return Json(issues).dump(2) + "\n";
}

// ---- JUnit ----------------------------------------------------------------------

// A case that only says a clean run passed: "12 files checked: no findings".
bool is_passing_summary(const pugi::xml_node& testcase)
{
    const std::string_view name = testcase.attribute("name").value();
    return testcase.first_child().empty()
           && name.find(" checked: no findings") != std::string::npos;
}

core::Result<std::string> merge_junit(const std::vector<ReportInput>& inputs)
{
    pugi::xml_document out;
    pugi::xml_node root = out.append_child("testsuites");
    std::map<std::string, pugi::xml_node> suites;
    std::map<std::string, long long> files_checked;
    std::map<std::string, std::string> passing_classname;
    for (const auto& input : inputs) {
        pugi::xml_document document;
        const pugi::xml_parse_result parsed =
            document.load_buffer(input.text.data(), input.text.size());
        if (!parsed) {
            const core::LineIndex lines(input.text);
            const core::TextPosition at = lines.position(static_cast<std::size_t>(parsed.offset));
            return core::Error(core::ErrorCode::input,
                               fmt::format("{}:{}:{}: invalid XML: {}",
                                           input.name,
                                           at.line,
                                           at.column,
                                           parsed.description()));
        }
        const pugi::xml_node testsuites = document.child("testsuites");
        if (!testsuites) {
            return input_error(input, "not a JUnit report: no <testsuites> element");
        }
        if (!root.attribute("name")) {
            root.append_attribute("name") = testsuites.attribute("name").value();
        }
        for (const pugi::xml_node suite : testsuites.children("testsuite")) {
            const std::string name = suite.attribute("name").value();
            auto [slot, added] = suites.try_emplace(name);
            if (added) {
                slot->second = root.append_child("testsuite");
                slot->second.append_attribute("name") = name.c_str();
                if (const auto timestamp = suite.attribute("timestamp")) {
                    slot->second.append_attribute("timestamp") = timestamp.value();
                }
                slot->second.append_attribute("time") = suite.attribute("time").value();
                slot->second.append_copy(suite.child("properties"));
            } else {
                // Shards run side by side: the merged suite takes as long as the longest.
                auto time = slot->second.attribute("time");
                if (suite.attribute("time").as_double() > time.as_double()) {
                    time = suite.attribute("time").value();
                }
                const std::string_view stamp = suite.attribute("timestamp").value();
                auto merged_stamp = slot->second.attribute("timestamp");
                if (merged_stamp && !stamp.empty()
                    && stamp < std::string_view(merged_stamp.value())) {
                    merged_stamp = std::string(stamp).c_str();
                }
            }
            for (const pugi::xml_node property : suite.child("properties").children("property")) {
                const std::string property_name = property.attribute("name").value();
                if (property_name == "files_checked") {
                    files_checked[name] += property.attribute("value").as_llong();
                }
            }
            for (const pugi::xml_node testcase : suite.children("testcase")) {
                if (is_passing_summary(testcase)) {
                    passing_classname[name] = testcase.attribute("classname").value();
                    continue;
                }
                slot->second.append_copy(testcase);
            }
        }
    }
    long long total_tests = 0;
    long long total_failures = 0;
    long long total_errors = 0;
    double total_time = 0;
    for (auto& [name, suite] : suites) {
        for (pugi::xml_node property : suite.child("properties").children("property")) {
            if (std::string_view(property.attribute("name").value()) == "files_checked") {
                property.attribute("value") = files_checked[name];
            }
        }
        long long tests = 0;
        long long failures = 0;
        long long errors = 0;
        for (const pugi::xml_node testcase : suite.children("testcase")) {
            ++tests;
            failures += testcase.child("failure") ? 1 : 0;
            errors += testcase.child("error") ? 1 : 0;
        }
        if (tests == 0) {
            pugi::xml_node passing = suite.append_child("testcase");
            const long long files = files_checked[name];
            passing.append_attribute("name") =
                fmt::format("{} file{} checked: no findings", files, files == 1 ? "" : "s").c_str();
            passing.append_attribute("classname") = passing_classname[name].c_str();
            tests = 1;
        }
        suite.prepend_attribute("skipped") = 0;
        suite.prepend_attribute("errors") = errors;
        suite.prepend_attribute("failures") = failures;
        suite.prepend_attribute("tests") = tests;
        suite.remove_attribute("name");
        suite.prepend_attribute("name") = name.c_str();
        total_tests += tests;
        total_failures += failures;
        total_errors += errors;
        total_time = std::max(total_time, suite.attribute("time").as_double());
    }
    root.append_attribute("tests") = total_tests;
    root.append_attribute("failures") = total_failures;
    root.append_attribute("errors") = total_errors;
    root.append_attribute("skipped") = 0;
    root.append_attribute("time") = fmt::format("{:.3f}", total_time).c_str();
    std::ostringstream text;
    out.save(text, "  ", pugi::format_default | pugi::format_no_declaration);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + text.str();
}

} // namespace

std::string_view to_string(ReportKind kind)
{
    switch (kind) {
    case ReportKind::sarif:
        return "SARIF";
    case ReportKind::gitlab_sast:
        return "GitLab SAST";
    case ReportKind::gitlab_codequality:
        return "GitLab Code Quality";
    case ReportKind::junit:
        return "JUnit";
    }
    return "report";
}

core::Result<MergedReport> merge_reports(const std::vector<ReportInput>& inputs)
{
    if (inputs.empty()) {
        return core::Error(core::ErrorCode::usage, "no reports to merge");
    }
    std::optional<ReportKind> kind;
    std::vector<Json> documents;
    for (const auto& input : inputs) {
        ReportKind this_kind = ReportKind::junit;
        if (!looks_like_xml(input.text)) {
            auto document = parse_json(input);
            if (!document) {
                return document.error();
            }
            const auto detected = kind_of_json(*document);
            if (!detected) {
                return input_error(input,
                                   "not a SARIF 2.1.0 log, a GitLab SAST report or a GitLab Code "
                                   "Quality report");
            }
            this_kind = *detected;
            documents.push_back(std::move(*document));
        }
        if (kind && *kind != this_kind) {
            return input_error(input,
                               fmt::format("a {} report among {} reports: merge one format at a "
                                           "time",
                                           to_string(this_kind),
                                           to_string(*kind)));
        }
        kind = this_kind;
    }
    core::Result<std::string> text = std::string();
    switch (*kind) {
    case ReportKind::sarif:
        text = merge_sarif(documents, inputs);
        break;
    case ReportKind::gitlab_sast:
        text = merge_gitlab_sast(documents, inputs);
        break;
    case ReportKind::gitlab_codequality:
        text = merge_codequality(documents);
        break;
    case ReportKind::junit:
        text = merge_junit(inputs);
        break;
    }
    if (!text) {
        return text.error();
    }
    return MergedReport{*kind, std::move(*text)};
}

} // namespace aiops::report
