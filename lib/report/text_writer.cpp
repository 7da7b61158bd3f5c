#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "report/writers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

namespace aiops::report {

namespace {

struct Palette
{
    std::string_view bold, red, yellow, cyan, green, reset;
};

constexpr Palette k_plain{"", "", "", "", "", ""};
constexpr Palette k_ansi{"\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[32m", "\x1b[0m"};

std::string_view severity_colour(const Palette& palette, core::Severity severity)
{
    if (severity >= core::Severity::high) {
        return palette.red;
    }
    return severity == core::Severity::medium ? palette.yellow : palette.cyan;
}

// The columns a code point takes once shown: a hidden one is written out as
// `<U+202E>` (a terminal would act on it: the Trojan Source trick), others take one.
int shown_width(std::string_view code_point)
{
    const core::DecodedCodePoint decoded = core::decode_utf8(code_point, 0);
    if (decoded.valid && !core::is_hidden_code_point(decoded.code_point)) {
        return 1;
    }
    return static_cast<int>(core::show_hidden_code_points(code_point).size());
}

// The line again, then a caret under the start column and tildes to the end of the
// range on that line; tabs are kept so the caret lines up however tabs are shown.
void append_excerpt(std::string& out, const core::Finding& finding, const Palette& palette)
{
    constexpr int k_before = 60; // code points shown before the column on a long line
    constexpr int k_width = 160; // code points shown in all
    const std::string_view snippet = finding.snippet;
    std::string_view line = snippet.substr(0, snippet.find('\n'));
    // Columns within the snippet, which shows earlier secrets on the line redacted.
    int start_column = finding.location.start_column - finding.snippet_shift;
    int end_column = finding.location.end_line == finding.location.start_line
                         ? finding.location.end_column - finding.snippet_shift
                         : static_cast<int>(core::count_code_points(line)) + 1;
    // A long line (minified code, data) is cut to a window around the column.
    std::string prefix = "    ";
    if (start_column > k_before + 10) {
        std::size_t offset = 0;
        for (int skipped = 0; skipped < start_column - 1 - k_before && offset < line.size();
             ++skipped) {
            offset += core::decode_utf8(line, offset).length;
        }
        line.remove_prefix(offset);
        const int removed = start_column - 1 - k_before;
        start_column -= removed;
        end_column -= removed;
        prefix += "...";
    }
    std::string shown;
    std::size_t offset = 0;
    for (int count = 0; count < k_width && offset < line.size(); ++count) {
        offset += core::decode_utf8(line, offset).length;
    }
    const bool cut = offset < line.size();
    line = line.substr(0, offset);
    out += prefix;
    out += core::show_hidden_code_points(line);
    out += cut ? "...\n" : "\n";
    std::string marker(prefix.size(), ' ');
    offset = 0;
    int column = 1;
    int width = 0;
    while (offset < line.size() && column < std::max(end_column, start_column)) {
        const std::size_t length = core::decode_utf8(line, offset).length;
        const int columns = shown_width(line.substr(offset, length));
        if (column >= start_column) {
            width += columns;
        } else if (line[offset] == '\t') {
            marker.push_back('\t');
        } else {
            marker.append(static_cast<std::size_t>(columns), ' ');
        }
        offset += length;
        ++column;
    }
    width = std::clamp(width, 1, k_width);
    out += marker;
    out += palette.green;
    out += '^';
    out.append(static_cast<std::size_t>(width - 1), '~');
    out += palette.reset;
    out += '\n';
}

std::string summary(const Report& report)
{
    std::map<core::Severity, std::size_t, std::greater<>> counts;
    std::size_t suppressed = 0;
    for (const auto& finding : report.findings) {
        ++counts[finding.severity];
        suppressed += finding.suppression ? 1 : 0;
    }
    std::string text;
    if (report.findings.empty()) {
        text = "no findings";
    } else {
        text = fmt::format(
            "{} finding{} (", report.findings.size(), report.findings.size() == 1 ? "" : "s");
        bool first = true;
        for (const auto& [severity, count] : counts) {
            text += fmt::format("{}{} {}", first ? "" : ", ", count, core::to_string(severity));
            first = false;
        }
        text += ")";
        if (suppressed > 0) {
            text += fmt::format(", {} suppressed", suppressed);
        }
    }
    text += fmt::format(
        " in {} file{} checked", report.files_checked, report.files_checked == 1 ? "" : "s");
    if (!report.skipped.empty()) {
        text += fmt::format(", {} skipped", report.skipped.size());
    }
    return text;
}

std::string_view notice_label(Notice::Level level)
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

} // namespace

std::string write_text(const Report& report, const TextStyle& style)
{
    const Palette& palette = style.color ? k_ansi : k_plain;
    std::string out;
    for (const auto& finding : report.findings) {
        const auto& at = finding.location;
        const std::string suppressed =
            finding.suppression
                ? fmt::format(" (suppressed: {})",
                              finding.suppression->justification.empty()
                                  ? std::string("no reason given")
                                  : core::show_hidden_in_line(finding.suppression->justification))
                : std::string();
        out += fmt::format("{}{}:{}:{}:{} {}{}{}: {} [{}]{}\n",
                           palette.bold,
                           core::show_hidden_in_line(at.path),
                           at.start_line,
                           at.start_column,
                           palette.reset,
                           severity_colour(palette, finding.severity),
                           core::to_string(finding.severity),
                           palette.reset,
                           core::show_hidden_in_line(finding.message),
                           finding.rule_id,
                           suppressed);
        if (!finding.snippet.empty()) {
            append_excerpt(out, finding, palette);
        }
    }
    for (const auto& skipped : report.skipped) {
        out += fmt::format(
            "{}: note: skipped: {}\n", core::show_hidden_in_line(skipped.path), skipped.reason);
    }
    for (const auto& notice : report.notices) {
        out += fmt::format("{}{}{}: {}\n",
                           core::show_hidden_in_line(notice.path),
                           notice.path.empty() ? "" : ": ",
                           notice_label(notice.level),
                           core::show_hidden_code_points(notice.message));
    }
    out += summary(report);
    out += '\n';
    return out;
}

} // namespace aiops::report
