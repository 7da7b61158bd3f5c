#include "scan/baseline.hpp"

#include "core/atomic_file.hpp"
#include "core/version.hpp"
#include "report/output.hpp"
#include "source/source_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace aiops::scan {

core::Result<Baseline> read_baseline(const std::string& path)
{
    auto text = source::read_file(path);
    if (!text) {
        return core::Error(core::ErrorCode::io, "--baseline " + text.error().message());
    }
    const auto malformed = [&](const std::string& what) {
        return core::Error(core::ErrorCode::input,
                           fmt::format("{}: not an aiops baseline: {}", path, what));
    };
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(*text);
    } catch (const nlohmann::json::parse_error& error) {
        return malformed(error.what());
    }
    if (!document.is_object() || document.value("version", "") != "1"
        || !document.contains("findings") || !document["findings"].is_array()) {
        return malformed("expected an object with \"version\": \"1\" and a \"findings\" list");
    }
    Baseline baseline;
    for (const auto& entry : document["findings"]) {
        if (!entry.is_object() || !entry.contains("fingerprint")
            || !entry["fingerprint"].is_string()) {
            return malformed("every finding needs a \"fingerprint\" string");
        }
        baseline.fingerprints.insert(entry["fingerprint"].get<std::string>());
    }
    return baseline;
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
