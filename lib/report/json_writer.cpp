#include "core/strings.hpp"
#include "core/version.hpp"
#include "report/writer_support.hpp"
#include "report/writers.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// The JSON text of a string, as nlohmann's dump writes it (bytes that are not UTF-8
// replaced by U+FFFD). Most strings of a report are plain ASCII, which need no escape.
void append_string(std::string& out, std::string_view text)
{
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
        return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
    });
    if (plain) {
        out += '"';
        out.append(text);
        out += '"';
        return;
    }
    out += nlohmann::ordered_json(std::string(text))
               .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

/// Writes a report's JSON as nlohmann's dump(2) lays it out, without building the
/// document first: a scan's report holds thousands of findings.
class JsonText
{
public:
    explicit JsonText(std::string& out) : m_out(out) {}

    /// Opens an object or array: as a member's value when `key` is given.
    void open(std::optional<std::string_view> key, char bracket)
    {
        start(key);
        m_out += bracket;
        m_empty.push_back(true);
    }

    void close(char bracket)
    {
        const bool empty = m_empty.back();
        m_empty.pop_back();
        if (!empty) {
            newline();
        }
        m_out += bracket;
    }

    void string(std::optional<std::string_view> key, std::string_view value)
    {
        start(key);
        append_string(m_out, value);
    }

    void number(std::optional<std::string_view> key, long long value)
    {
        start(key);
        m_out += fmt::format_int(value).str();
    }

    void boolean(std::optional<std::string_view> key, bool value)
    {
        start(key);
        m_out += value ? "true" : "false";
    }

    void null(std::optional<std::string_view> key)
    {
        start(key);
        m_out += "null";
    }

private:
    // A new line at the depth of the open brackets.
    void newline()
    {
        m_out += '\n';
        m_out.append(2 * m_empty.size(), ' ');
    }

    // The separator, line and key that come before a value.
    void start(std::optional<std::string_view> key)
    {
        if (!m_empty.empty()) {
            if (!m_empty.back()) {
                m_out += ',';
            }
            m_empty.back() = false;
            newline();
        }
        if (key) {
            append_string(m_out, *key);
            m_out += ": ";
        }
    }

    std::string& m_out;
    std::vector<bool> m_empty; ///< by open bracket: nothing written in it yet
};

void write_finding(JsonText& json, const core::Finding& finding)
{
    const auto& at = finding.location;
    json.open(std::nullopt, '{');
    json.string("rule", finding.rule_id);
    json.string("severity", core::to_string(finding.severity));
    json.string("message", shown_message(finding));
    json.string("path", at.path);
    json.number("start_line", at.start_line);
    json.number("start_column", at.start_column);
    json.number("end_line", at.end_line);
    json.number("end_column", at.end_column);
    json.string("snippet", shown_snippet(finding));
    json.open("tags", '[');
    for (const auto& tag : finding.tags) {
        json.string(std::nullopt, tag);
    }
    json.close(']');
    json.string("fingerprint", finding.fingerprint);
    if (finding.suppression) {
        const bool in_source = finding.suppression->kind == core::Suppression::Kind::in_source;
        json.open("suppressed", '{');
        json.string("kind", in_source ? "in_source" : "baseline");
        json.string("justification",
                    core::show_hidden_code_points(finding.suppression->justification));
        json.close('}');
    } else {
        json.null("suppressed");
    }
    if (!finding.commit.empty()) {
        json.string("commit", finding.commit);
    }
    json.close('}');
}

} // namespace

std::string write_json(const Report& report)
{
    std::map<std::string_view, long long> by_severity;
    for (const auto& finding : report.findings) {
        ++by_severity[core::to_string(finding.severity)];
    }
    const std::size_t gating = gating_findings(report);
    std::string out;
    out.reserve(1024 + 640 * report.findings.size());
    JsonText json(out);
    json.open(std::nullopt, '{');
    json.string("version", "1");
    json.open("tool", '{');
    json.string("name", "aiops");
    json.string("version", core::k_version);
    json.close('}');
    json.string("command", report.command);
    json.string("root", report.root.string());
    json.open("summary", '{');
    json.number("files_checked", static_cast<long long>(report.files_checked));
    json.number("files_skipped", static_cast<long long>(report.skipped.size()));
    json.number("other_files", static_cast<long long>(report.unsupported_files));
    json.number("findings", static_cast<long long>(report.findings.size()));
    json.open("by_severity", '{');
    for (const auto& [severity, count] : by_severity) {
        json.number(severity, count);
    }
    json.close('}');
    json.string("fail_on", report.fail_on ? core::to_string(*report.fail_on) : "none");
    json.number("gating_findings", static_cast<long long>(gating));
    json.boolean("execution_successful", report.execution_successful);
    json.boolean("passed", gating == 0 && report.execution_successful);
    json.close('}');
    json.open("findings", '[');
    for (const auto& finding : report.findings) {
        write_finding(json, finding);
    }
    json.close(']');
    json.open("skipped", '[');
    for (const auto& file : report.skipped) {
        json.open(std::nullopt, '{');
        json.string("path", file.path);
        json.string("reason", file.reason);
        json.close('}');
    }
    json.close(']');
    json.open("notices", '[');
    for (const auto& notice : report.notices) {
        json.open(std::nullopt, '{');
        json.string("level", level_name(notice.level));
        json.string("path", notice.path);
        json.string("message", notice.message);
        json.close('}');
    }
    json.close(']');
    json.close('}');
    out += '\n';
    return out;
}

} // namespace aiops::report
