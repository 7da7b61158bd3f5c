#include "core/utf8.hpp"
#include "report/writer_support.hpp"
#include "report/writers.hpp"

#include <fmt/format.h>

#include <map>
#include <utility>

namespace aiops::report {

namespace {

// XML 1.0 allows tab, LF, CR and everything from U+0020 but the surrogates, U+FFFE
// and U+FFFF; other characters cannot even be written as references.
bool allowed_in_xml(char32_t cp)
{
    if (cp < 0x20) {
        return cp == '\t' || cp == '\n' || cp == '\r';
    }
    return cp < 0xD800 || (cp > 0xDFFF && cp != 0xFFFE && cp != 0xFFFF);
}

// Attribute values keep their tabs and line breaks as references, since a parser
// turns literal ones into spaces; a CR is a reference everywhere, since a parser
// folds CR LF into LF.
void append_xml(std::string& out, std::string_view text, bool attribute)
{
    std::size_t offset = 0;
    while (offset < text.size()) {
        const auto decoded = core::decode_utf8(text, offset);
        const std::string_view bytes = text.substr(offset, decoded.length);
        offset += decoded.length;
        const char32_t cp = decoded.code_point;
        if (!allowed_in_xml(cp)) {
            continue;
        }
        switch (cp) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += attribute ? "&quot;" : "\"";
            break;
        case '\r':
            out += "&#13;";
            break;
        case '\n':
            out += attribute ? "&#10;" : "\n";
            break;
        case '\t':
            out += attribute ? "&#9;" : "\t";
            break;
        default:
            if (decoded.valid) {
                out += bytes;
            } else {
                core::append_utf8(out, cp);
            }
        }
    }
}

std::string xml(std::string_view text, bool attribute = true)
{
    return xml_text(text, attribute);
}

// The findings of one rule in one file.
struct RuleInFile
{
    std::string path;
    std::string rule_id;
    std::vector<const core::Finding*> findings;
};

std::vector<RuleInFile> group_findings(const Report& report)
{
    std::vector<RuleInFile> groups;
    std::map<std::pair<std::string, std::string>, std::size_t> index_of;
    for (const core::Finding* finding : unsuppressed_findings(report)) {
        const auto key = std::make_pair(finding->location.path, finding->rule_id);
        const auto [it, added] = index_of.emplace(key, groups.size());
        if (added) {
            groups.push_back({key.first, key.second, {}});
        }
        groups[it->second].findings.push_back(finding);
    }
    return groups;
}

// Error notices by path: each is a file the run could not check.
std::vector<std::pair<std::string, std::vector<const Notice*>>> group_errors(const Report& report)
{
    std::vector<std::pair<std::string, std::vector<const Notice*>>> groups;
    std::map<std::string, std::size_t> index_of;
    for (const auto& notice : report.notices) {
        if (notice.level != Notice::Level::error) {
            continue;
        }
        const auto [it, added] = index_of.emplace(notice.path, groups.size());
        if (added) {
            groups.push_back({notice.path, {}});
        }
        groups[it->second].second.push_back(&notice);
    }
    return groups;
}

std::string failure_xml(const core::Finding& finding)
{
    const auto& at = finding.location;
    std::string text = fmt::format("{}:{}:{}", at.path, at.start_line, at.start_column);
    if (!finding.snippet.empty()) {
        text += '\n';
        text += shown_snippet(finding);
    }
    return fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                       xml(shown_message(finding)),
                       xml(finding.rule_id),
                       xml(text, /*attribute=*/false));
}

// GitLab keys test cases on their name and class name and keeps one of each; the
// name alone is made unique too, for viewers that key on it.
std::string rule_case_xml(const RuleInFile& group)
{
    std::string out =
        fmt::format("    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">\n",
                    xml(group.path + ": " + group.rule_id),
                    xml(group.rule_id),
                    xml(group.path),
                    group.findings.front()->location.start_line);
    for (const core::Finding* finding : group.findings) {
        out += failure_xml(*finding);
    }
    out += "    </testcase>\n";
    return out;
}

std::string error_case_xml(const std::string& path,
                           const std::vector<const Notice*>& notices,
                           const std::string& classname)
{
    std::string out = fmt::format("    <testcase name=\"{}\" classname=\"{}\"",
                                  xml(path.empty() ? "run" : path),
                                  xml(classname));
    if (!path.empty()) {
        out += fmt::format(" file=\"{}\"", xml(path));
    }
    out += ">\n";
    for (const Notice* notice : notices) {
        out += fmt::format("      <error message=\"{}\" type=\"error\"/>\n", xml(notice->message));
    }
    out += "    </testcase>\n";
    return out;
}

std::string passing_case_xml(const Report& report, const std::string& classname)
{
    const std::size_t suppressed = report.findings.size() - unsuppressed_findings(report).size();
    std::string name = fmt::format("{} file{} checked: no findings",
                                   report.files_checked,
                                   report.files_checked == 1 ? "" : "s");
    if (suppressed > 0) {
        name += fmt::format(" ({} suppressed)", suppressed);
    }
    return fmt::format("    <testcase name=\"{}\" classname=\"{}\"/>\n", xml(name), xml(classname));
}

std::string property_xml(std::string_view name, std::string_view value)
{
    return fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", xml(name), xml(value));
}

// The run's duration and start, when the report has both times.
std::string timing_attributes(const Report& report)
{
    const auto start = parse_utc_millis(report.start_time_utc);
    const auto end = parse_utc_millis(report.end_time_utc);
    if (!start || !end || *end < *start) {
        return " time=\"0\"";
    }
    return fmt::format(" time=\"{:.3f}\" timestamp=\"{}\"",
                       static_cast<double>(*end - *start) / 1000.0,
                       report.start_time_utc.substr(0, 19));
}

} // namespace

std::string xml_text(std::string_view text, bool attribute)
{
    std::string out;
    append_xml(out, text, attribute);
    return out;
}

std::string write_junit(const Report& report)
{
    const std::string suite_name = report.command.empty() ? "aiops" : "aiops " + report.command;
    const std::string classname = report.command.empty() ? "aiops" : "aiops." + report.command;
    const auto rule_groups = group_findings(report);
    const auto error_groups = group_errors(report);

    std::string cases;
    for (const auto& group : rule_groups) {
        cases += rule_case_xml(group);
    }
    for (const auto& [path, notices] : error_groups) {
        cases += error_case_xml(path, notices, classname);
    }
    // A suite with no test case shows as empty, or not at all, in the viewers.
    const bool passed_case = rule_groups.empty();
    if (passed_case) {
        cases += passing_case_xml(report, classname);
    }

    const std::size_t tests = rule_groups.size() + error_groups.size() + (passed_case ? 1 : 0);
    const std::string counts =
        fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\"",
                    tests,
                    rule_groups.size(),
                    error_groups.size());
    const std::string timing = timing_attributes(report);
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format("<testsuites name=\"{}\" {}{}>\n",
                       xml(suite_name),
                       counts,
                       timing.substr(0, timing.find(" timestamp")));
    out += fmt::format("  <testsuite name=\"{}\" {}{}>\n", xml(suite_name), counts, timing);
    out += "    <properties>\n";
    out += property_xml("files_checked", std::to_string(report.files_checked));
    out += property_xml("files_skipped", std::to_string(report.skipped.size()));
    out += property_xml(
        "fail_on", report.fail_on ? core::to_string(*report.fail_on) : std::string_view("none"));
    if (!report.shard.empty()) {
        out += property_xml("shard", report.shard);
    }
    out += "    </properties>\n";
    out += cases;
    out += "  </testsuite>\n</testsuites>\n";
    return out;
}

} // namespace aiops::report
