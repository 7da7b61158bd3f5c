#include "report/merge.hpp"

#include "core/line_index.hpp"
#include "core/severity.hpp"
#include "report/json_places.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
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

core::Error error_at(const ReportInput& input, std::size_t offset, std::string_view message)
{
    const core::TextPosition at = core::LineIndex(input.text).position(offset);
    return core::Error(core::ErrorCode::input,
                       fmt::format("{}:{}:{}: {}", input.name, at.line, at.column, message));
}

core::Result<Json> parse_json(const ReportInput& input)
{
    try {
        Json document = Json::parse(input.text);
        // The parser keeps the last of two equal keys: the first would be lost unseen.
        if (const auto repeated = JsonPlaces(input.text).repeated_key()) {
            return error_at(input,
                            repeated->offset,
                            fmt::format("the key '{}' is repeated in its object", repeated->key));
        }
        return document;
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

// ---- The shape of a document -------------------------------------------------

enum class JsonType
{
    object,
    array,
    string,
    integer,
};

bool has_type(const Json& value, JsonType type)
{
    switch (type) {
    case JsonType::object:
        return value.is_object();
    case JsonType::array:
        return value.is_array();
    case JsonType::string:
        return value.is_string();
    case JsonType::integer:
        return value.is_number_integer();
    }
    return false;
}

std::string_view type_name(JsonType type)
{
    switch (type) {
    case JsonType::object:
        return "an object";
    case JsonType::array:
        return "an array";
    case JsonType::string:
        return "a string";
    case JsonType::integer:
        return "an integer";
    }
    return "a value";
}

/// Checks the types of the values a merge reads, so that a document of the right
/// format with a value of the wrong type is an error at that value, not a crash.
class ShapeCheck
{
public:
    explicit ShapeCheck(const ReportInput& input) : m_input(input) {}

    /// The member `key` of the object at `at`, when it is there, must have the type.
    /// Returns whether it is there (and right).
    bool member(const Json& object, const Json::json_pointer& at, const char* key, JsonType type)
    {
        if (m_error || !object.is_object() || !object.contains(key)) {
            return false;
        }
        return value(object[key], at / key, type);
    }

    /// The value at `at` must have the type.
    bool value(const Json& value, const Json::json_pointer& at, JsonType type)
    {
        if (m_error) {
            return false;
        }
        if (!has_type(value, type)) {
            const std::size_t offset = JsonPlaces(m_input.text).offset_of(at).value_or(0);
            m_error = error_at(
                m_input,
                offset,
                fmt::format(
                    "'{}' must be {}, not {}", at.to_string(), type_name(type), value.type_name()));
            return false;
        }
        return true;
    }

    /// Each element of the array at `at` must have the type.
    void elements(const Json& array, const Json::json_pointer& at, JsonType type)
    {
        for (std::size_t i = 0; array.is_array() && i < array.size(); ++i) {
            value(array[i], at / i, type);
        }
    }

    /// The first error, or true.
    core::Result<bool> result() const
    {
        if (m_error) {
            return *m_error;
        }
        return true;
    }

private:
    const ReportInput& m_input;
    std::optional<core::Error> m_error;
};

void check_sarif_result(ShapeCheck& check, const Json& result, const Json::json_pointer& at)
{
    check.member(result, at, "ruleId", JsonType::string);
    check.member(result, at, "ruleIndex", JsonType::integer);
    check.member(result, at, "level", JsonType::string);
    check.member(result, at, "partialFingerprints", JsonType::object);
    if (check.member(result, at, "properties", JsonType::object)) {
        check.member(result["properties"], at / "properties", "severity", JsonType::string);
    }
    if (!check.member(result, at, "locations", JsonType::array) || result["locations"].empty()) {
        return;
    }
    Json::json_pointer place = at / "locations" / 0;
    if (!check.value(result["locations"][0], place, JsonType::object)
        || !check.member(result["locations"][0], place, "physicalLocation", JsonType::object)) {
        return;
    }
    const Json& physical = result["locations"][0]["physicalLocation"];
    place /= "physicalLocation";
    if (check.member(physical, place, "artifactLocation", JsonType::object)) {
        check.member(
            physical["artifactLocation"], place / "artifactLocation", "uri", JsonType::string);
    }
    if (check.member(physical, place, "region", JsonType::object)) {
        for (const char* key : {"startLine", "startColumn", "endLine", "endColumn"}) {
            check.member(physical["region"], place / "region", key, JsonType::integer);
        }
    }
}

core::Result<bool> check_sarif(const Json& document, const ReportInput& input)
{
    ShapeCheck check(input);
    const Json::json_pointer root;
    if (!check.member(document, root, "runs", JsonType::array)) {
        return check.result();
    }
    for (std::size_t i = 0; i < document["runs"].size(); ++i) {
        const Json& run = document["runs"][i];
        const Json::json_pointer at = root / "runs" / i;
        if (!check.value(run, at, JsonType::object)) {
            break;
        }
        if (check.member(run, at, "tool", JsonType::object)
            && check.member(run["tool"], at / "tool", "driver", JsonType::object)) {
            const Json& driver = run["tool"]["driver"];
            const Json::json_pointer driver_at = at / "tool" / "driver";
            check.member(driver, driver_at, "name", JsonType::string);
            if (check.member(driver, driver_at, "rules", JsonType::array)) {
                check.elements(driver["rules"], driver_at / "rules", JsonType::object);
                for (std::size_t r = 0; r < driver["rules"].size(); ++r) {
                    check.member(
                        driver["rules"][r], driver_at / "rules" / r, "id", JsonType::string);
                }
            }
        }
        if (check.member(run, at, "automationDetails", JsonType::object)) {
            check.member(
                run["automationDetails"], at / "automationDetails", "id", JsonType::string);
        }
        if (check.member(run, at, "properties", JsonType::object)) {
            check.member(run["properties"], at / "properties", "command", JsonType::string);
            check.member(run["properties"], at / "properties", "shard", JsonType::string);
        }
        if (check.member(run, at, "invocations", JsonType::array)) {
            check.elements(run["invocations"], at / "invocations", JsonType::object);
        }
        if (check.member(run, at, "results", JsonType::array)) {
            for (std::size_t r = 0; r < run["results"].size(); ++r) {
                if (check.value(run["results"][r], at / "results" / r, JsonType::object)) {
                    check_sarif_result(check, run["results"][r], at / "results" / r);
                }
            }
        }
    }
    return check.result();
}

core::Result<bool> check_gitlab_sast(const Json& document, const ReportInput& input)
{
    ShapeCheck check(input);
    const Json::json_pointer root;
    if (check.member(document, root, "vulnerabilities", JsonType::array)) {
        const Json& vulnerabilities = document["vulnerabilities"];
        check.elements(vulnerabilities, root / "vulnerabilities", JsonType::object);
        for (std::size_t i = 0; i < vulnerabilities.size(); ++i) {
            check.member(vulnerabilities[i], root / "vulnerabilities" / i, "id", JsonType::string);
        }
    }
    if (check.member(document, root, "scan", JsonType::object)) {
        const Json& scan = document["scan"];
        const Json::json_pointer at = root / "scan";
        if (check.member(scan, at, "scanner", JsonType::object)) {
            check.member(scan["scanner"], at / "scanner", "id", JsonType::string);
        }
        check.member(scan, at, "primary_identifiers", JsonType::array);
        check.member(scan, at, "messages", JsonType::array);
        for (const char* key : {"start_time", "end_time", "status"}) {
            check.member(scan, at, key, JsonType::string);
        }
    }
    return check.result();
}

core::Result<bool> check_codequality(const Json& document, const ReportInput& input)
{
    ShapeCheck check(input);
    const Json::json_pointer root;
    check.elements(document, root, JsonType::object);
    for (std::size_t i = 0; i < document.size(); ++i) {
        const Json& issue = document[i];
        check.member(issue, root / i, "fingerprint", JsonType::string);
        if (check.member(issue, root / i, "location", JsonType::object)) {
            check.member(issue["location"], root / i / "location", "path", JsonType::string);
            if (check.member(issue["location"], root / i / "location", "lines", JsonType::object)) {
                check.member(issue["location"]["lines"],
                             root / i / "location" / "lines",
                             "begin",
                             JsonType::integer);
            }
        }
    }
    return check.result();
}

// ---- SARIF ----------------------------------------------------------------------

std::string tool_name(const Json& run)
{
    return run.value("tool", Json::object()).value("driver", Json::object()).value("name", "");
}

std::string category_of(const Json& run)
{
    return run.value("automationDetails", Json::object()).value("id", "");
}

// aiops names the command of a run, and the shard it checked, in its properties.
std::string run_property(const Json& run, const char* key)
{
    return run.value("properties", Json::object()).value(key, "");
}

// GitHub code scanning takes one run per tool and category in a log.
std::string run_key(const Json& run)
{
    return tool_name(run) + '\n' + category_of(run);
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

// Whether every shard of a command counts the whole of something rather than its own
// part: each shard of behave reads every suite file and runs only its cases.
bool counted_whole_by_each_shard(const std::string& command, const std::string& key)
{
    return command == "behave" && key == "filesChecked";
}

// Adds the counts a run's properties hold (files checked, skipped, ...) to another's.
void add_counts(Json& into, const Json& from)
{
    const std::string command = into.value("command", "");
    for (const auto& [key, value] : from.items()) {
        if (value.is_number_integer() && into.contains(key) && into[key].is_number_integer()) {
            const long long have = into[key].get<long long>();
            const long long more = value.get<long long>();
            into[key] =
                counted_whole_by_each_shard(command, key) ? std::max(have, more) : have + more;
        } else if (!into.contains(key)) {
            into[key] = value;
        }
    }
}

/// A shard a run says it checked, and the input that holds it.
struct ShardSeen
{
    std::string shard; ///< "I/N", or "" for a whole run
    std::string input;
};

struct SarifRun
{
    Json run;                ///< the first input's run, without its results
    std::string first_input; ///< the input that holds it
    std::vector<ShardSeen> shards;
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
    const Json driver = run.value("tool", Json::object()).value("driver", Json::object());
    if (driver.contains("rules")) {
        for (const Json& rule : driver["rules"]) {
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
    merged.shards.push_back({run_property(run, "shard"), input.name});
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

/// How a run is named in errors: "the 'scan' run (tool 'aiops', category 'ci/')".
std::string run_name(const Json& run)
{
    const std::string command = run_property(run, "command");
    const std::string category = category_of(run);
    return fmt::format("the {}run (tool '{}', {})",
                       command.empty() ? std::string() : "'" + command + "' ",
                       tool_name(run),
                       category.empty() ? std::string("no category")
                                        : "category '" + category + "'");
}

/// "I/N" as two numbers; nullopt unless 1 <= I <= N.
std::optional<std::pair<unsigned, unsigned>> shard_numbers(std::string_view text)
{
    const std::size_t slash = text.find('/');
    unsigned index = 0;
    unsigned count = 0;
    if (slash == std::string_view::npos
        || std::from_chars(text.data(), text.data() + slash, index).ptr != text.data() + slash
        || std::from_chars(text.data() + slash + 1, text.data() + text.size(), count).ptr
               != text.data() + text.size()
        || index == 0 || index > count) {
        return std::nullopt;
    }
    return std::pair{index, count};
}

/// "shard 4/4", "shards 2/5, 4/5": the first few of the indexes not seen; "" when
/// none is missing.
std::string missing_shards(const std::set<unsigned>& seen, unsigned count)
{
    constexpr std::size_t k_named = 10;
    std::vector<std::string> missing;
    std::size_t more = 0;
    for (unsigned index = 1; index <= count; ++index) {
        if (seen.count(index) != 0) {
            continue;
        }
        if (missing.size() < k_named) {
            missing.push_back(fmt::format("{}/{}", index, count));
        } else {
            ++more;
        }
    }
    if (missing.empty()) {
        return {};
    }
    const std::string tail = more == 0 ? std::string() : fmt::format(" and {} more", more);
    return fmt::format(
        "{} {}{}", missing.size() == 1 ? "shard" : "shards", fmt::join(missing, ", "), tail);
}

/// The shards of one run must all be there, once each: a matrix job that died before
/// writing its report would otherwise lose its findings without a word.
core::Result<bool> check_shards(const std::vector<ShardSeen>& shards, const std::string& what)
{
    const auto sharded = std::find_if(
        shards.begin(), shards.end(), [](const ShardSeen& seen) { return !seen.shard.empty(); });
    if (sharded == shards.end()) {
        return true; // whole runs: the same input twice is kept once
    }
    std::map<unsigned, std::string> inputs; // by shard index
    unsigned count = 0;
    for (const auto& seen : shards) {
        const auto numbers = shard_numbers(seen.shard);
        if (!numbers) {
            return core::Error(
                core::ErrorCode::input,
                fmt::format("{}: {} there is {}, while '{}' holds shard {} of it: merge the "
                            "reports of one matrix",
                            seen.input,
                            what,
                            seen.shard.empty() ? std::string("a whole run")
                                               : "shard '" + seen.shard + "'",
                            sharded->input,
                            sharded->shard));
        }
        const auto [index, of] = *numbers;
        if (count != 0 && of != count) {
            return core::Error(core::ErrorCode::input,
                               fmt::format("{}: shard {} of {} among shards of {} ('{}')",
                                           seen.input,
                                           seen.shard,
                                           what,
                                           count,
                                           sharded->input));
        }
        count = of;
        const auto [slot, added] = inputs.emplace(index, seen.input);
        if (!added) {
            return core::Error(core::ErrorCode::input,
                               fmt::format("shard {}/{} of {} is given twice: '{}' and '{}'",
                                           index,
                                           count,
                                           what,
                                           slot->second,
                                           seen.input));
        }
    }
    std::set<unsigned> seen;
    for (const auto& [index, input] : inputs) {
        seen.insert(index);
    }
    if (const std::string missing = missing_shards(seen, count); !missing.empty()) {
        return core::Error(core::ErrorCode::input,
                           fmt::format("{} of {} {} missing: merge the report of every shard (did "
                                       "a job of the matrix fail before writing it?)",
                                       missing,
                                       what,
                                       missing.starts_with("shards") ? "are" : "is"));
    }
    return true;
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
                slot->second.first_input = inputs[i].name;
            }
            // Two commands' runs cannot become one run, and GitHub refuses a log with
            // two runs of one tool and category.
            if (run_property(run, "command") != run_property(slot->second.run, "command")) {
                return input_error(
                    inputs[i],
                    fmt::format("{} has the tool and category of {} in '{}': GitHub code "
                                "scanning takes one run per tool and category; give each "
                                "command its own --category",
                                run_name(run),
                                run_name(slot->second.run),
                                slot->second.first_input));
            }
            if (auto merged = add_sarif_run(slot->second, run, inputs[i]); !merged) {
                return merged.error();
            }
        }
    }
    for (const auto& key : order) {
        const SarifRun& run = runs[key];
        if (auto complete = check_shards(run.shards, run_name(run.run)); !complete) {
            return complete.error();
        }
    }
    Json out = documents.front();
    out["runs"] = Json::array();
    for (const auto& key : order) {
        Json merged = finish_sarif_run(std::move(runs[key]));
        if (merged.contains("properties") && merged["properties"].is_object()) {
            merged["properties"].erase("shard"); // the merged run is whole
        }
        out["runs"].push_back(std::move(merged));
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
    std::map<std::string, std::vector<ShardSeen>> shards; // by suite
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
            ShardSeen shard{"", input.name};
            for (const pugi::xml_node property : suite.child("properties").children("property")) {
                const std::string property_name = property.attribute("name").value();
                if (property_name == "files_checked") {
                    files_checked[name] += property.attribute("value").as_llong();
                } else if (property_name == "shard") {
                    shard.shard = property.attribute("value").value();
                }
            }
            shards[name].push_back(std::move(shard));
            for (const pugi::xml_node testcase : suite.children("testcase")) {
                if (is_passing_summary(testcase)) {
                    passing_classname[name] = testcase.attribute("classname").value();
                    continue;
                }
                slot->second.append_copy(testcase);
            }
        }
    }
    for (const auto& [name, seen] : shards) {
        if (auto complete = check_shards(seen, fmt::format("the suite '{}'", name)); !complete) {
            return complete.error();
        }
    }
    long long total_tests = 0;
    long long total_failures = 0;
    long long total_errors = 0;
    double total_time = 0;
    for (auto& [name, suite] : suites) {
        pugi::xml_node properties = suite.child("properties");
        for (pugi::xml_node property : properties.children("property")) {
            if (std::string_view(property.attribute("name").value()) == "files_checked") {
                property.attribute("value") = files_checked[name];
            }
        }
        // The merged suite is whole.
        while (pugi::xml_node shard =
                   properties.find_child_by_attribute("property", "name", "shard")) {
            properties.remove_child(shard);
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

core::Result<bool> check_shape(const Json& document, ReportKind kind, const ReportInput& input)
{
    switch (kind) {
    case ReportKind::sarif:
        return check_sarif(document, input);
    case ReportKind::gitlab_sast:
        return check_gitlab_sast(document, input);
    case ReportKind::gitlab_codequality:
        return check_codequality(document, input);
    case ReportKind::junit:
        break;
    }
    return true;
}

core::Result<std::string> merge_documents(ReportKind kind,
                                          const std::vector<Json>& documents,
                                          const std::vector<ReportInput>& inputs)
{
    switch (kind) {
    case ReportKind::sarif:
        return merge_sarif(documents, inputs);
    case ReportKind::gitlab_sast:
        return merge_gitlab_sast(documents, inputs);
    case ReportKind::gitlab_codequality:
        return merge_codequality(documents);
    case ReportKind::junit:
        break;
    }
    return merge_junit(inputs);
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
                                   "not a SARIF 2.1.0 log, a GitLab SAST report, a GitLab Code "
                                   "Quality report or a JUnit report");
            }
            this_kind = *detected;
            if (auto shaped = check_shape(*document, this_kind, input); !shaped) {
                return shaped.error();
            }
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
    try {
        text = merge_documents(*kind, documents, inputs);
    } catch (const nlohmann::json::exception& error) {
        // The shape checks cover what the merge reads; this is the net under them.
        return core::Error(
            core::ErrorCode::input,
            fmt::format("a report holds a value the merge cannot use: {}", error.what()));
    }
    if (!text) {
        return text.error();
    }
    return MergedReport{*kind, std::move(*text)};
}

} // namespace aiops::report
