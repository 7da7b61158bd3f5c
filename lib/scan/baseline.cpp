#include "scan/baseline.hpp"

#include "core/atomic_file.hpp"
#include "core/line_index.hpp"
#include "core/strings.hpp"
#include "core/version.hpp"
#include "core/yaml_reader.hpp"
#include "report/output.hpp"
#include "source/source_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace aiops::scan {

namespace {

// The place and the cause of a JSON syntax error, in our words rather than the parser's.
core::Error syntax_error(const std::string& path,
                         std::string_view text,
                         const nlohmann::json::parse_error& error)
{
    const std::size_t at = error.byte == 0 ? 0 : std::min(error.byte - 1, text.size());
    const core::TextPosition position = core::LineIndex(text).position(at);
    const std::string what =
        at >= text.size() || text.find_first_not_of(" \t\r\n", at) == std::string_view::npos
            ? "the JSON ends before the document is complete"
            : fmt::format("invalid JSON: '{}' is not expected here",
                          core::quote_for_message(text.substr(at, 1), 1));
    return core::Error(core::ErrorCode::input,
                       fmt::format("{}:{}:{}: {}", path, position.line, position.column, what));
}

// A key the format does not have is an error, with the nearest known one as a hint.
void check_keys(const core::YamlReader& reader,
                const YAML::Node& map,
                const std::vector<std::string>& known,
                std::string_view where)
{
    for (const auto& entry : map) {
        const std::string key = entry.first.as<std::string>();
        if (std::find(known.begin(), known.end(), key) != known.end()) {
            continue;
        }
        const auto close = core::closest_match(key, known);
        reader.raise(entry.first,
                     fmt::format("unknown key '{}' in {}{}",
                                 core::quote_for_message(key),
                                 where,
                                 close ? fmt::format("; did you mean '{}'?", *close) : ""));
    }
}

Baseline read_findings(const core::YamlReader& reader, const YAML::Node& document)
{
    const std::string expected = "a baseline is an object with \"version\": \"1\" and a "
                                 "\"findings\" list";
    if (!document.IsMap()) {
        reader.raise(document, expected);
    }
    if (!document["version"] || reader.string(document["version"], "version") != "1") {
        reader.raise(document["version"] ? document["version"] : document, expected);
    }
    if (!document["findings"] || !document["findings"].IsSequence()) {
        reader.raise(document["findings"] ? document["findings"] : document, expected);
    }
    check_keys(reader, document, {"version", "tool", "findings"}, "a baseline");
    Baseline baseline;
    for (const auto& entry : document["findings"]) {
        if (!entry.IsMap() || !entry["fingerprint"] || !entry["fingerprint"].IsScalar()) {
            reader.raise(entry, "every finding of a baseline needs a \"fingerprint\" string");
        }
        check_keys(reader, entry, {"rule", "path", "line", "fingerprint"}, "a baseline finding");
        baseline.fingerprints.insert(reader.string(entry["fingerprint"], "fingerprint"));
    }
    return baseline;
}

} // namespace

core::Result<Baseline> read_baseline(const std::string& path)
{
    if (std::error_code error; !std::filesystem::exists(path, error)) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("--baseline: '{}' does not exist", path));
    }
    if (std::error_code error; std::filesystem::is_directory(path, error)) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("--baseline: '{}' is a folder, not a file", path));
    }
    auto text = source::read_file(path);
    if (!text) {
        return core::Error(text.error().code(), "--baseline " + text.error().message());
    }
    // nlohmann_json is strict about JSON syntax; yaml-cpp gives the positions of the
    // values whose shape is wrong.
    try {
        const auto checked = nlohmann::json::parse(*text);
        static_cast<void>(checked);
    } catch (const nlohmann::json::parse_error& error) {
        return syntax_error(path, *text, error);
    }
    const core::YamlReader reader(path);
    auto document = reader.read_document(*text);
    if (!document) {
        return document.error();
    }
    try {
        return read_findings(reader, *document);
    } catch (const core::Error& error) {
        return error;
    }
}

std::string baseline_text(const std::vector<core::Finding>& findings)
{
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& finding : findings) {
        if (finding.suppression
            && finding.suppression->kind == core::Suppression::Kind::in_source) {
            continue;
        }
        list.push_back({{"rule", finding.rule_id},
                        {"path", finding.location.path},
                        {"line", finding.location.start_line},
                        {"fingerprint", finding.fingerprint}});
    }
    const nlohmann::ordered_json document = {
        {"version", "1"},
        {"tool", {{"name", "aiops"}, {"version", core::k_version}}},
        {"findings", list}};
    return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

core::Result<bool> write_baseline(const std::string& path,
                                  const std::vector<core::Finding>& findings)
{
    return core::write_file_atomically(path, baseline_text(findings));
}

void apply_baseline(const Baseline& baseline, std::vector<core::Finding>& findings)
{
    for (auto& finding : findings) {
        if (!finding.suppression && baseline.fingerprints.count(finding.fingerprint) != 0) {
            finding.suppression =
                core::Suppression{core::Suppression::Kind::baseline, "in the baseline"};
        }
    }
}

} // namespace aiops::scan
