#include "report/writer_support.hpp"

#include "core/sha256.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>

namespace aiops::report {

namespace {

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

std::optional<int> number_at(std::string_view text, std::size_t offset, std::size_t width)
{
    int value = 0;
    for (std::size_t i = offset; i < offset + width; ++i) {
        if (!is_digit(text[i])) {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

} // namespace

const RuleInfo* find_rule(const Report& report, std::string_view rule_id)
{
    for (const auto& rule : report.rules) {
        if (rule.id == rule_id) {
            return &rule;
        }
    }
    return nullptr;
}

std::optional<std::string> cwe_number(std::string_view id)
{
    if (id.size() > 4 && (id.substr(0, 4) == "CWE-" || id.substr(0, 4) == "cwe-")) {
        id.remove_prefix(4);
    }
    if (id.empty() || id.size() > 9) {
        return std::nullopt;
    }
    for (const char c : id) {
        if (!is_digit(c)) {
            return std::nullopt;
        }
    }
    // "CWE-078" and "CWE-78" name the same weakness.
    int value = 0;
    std::from_chars(id.data(), id.data() + id.size(), value);
    return std::to_string(value);
}

std::vector<const core::Finding*> unsuppressed_findings(const Report& report)
{
    std::vector<const core::Finding*> kept;
    for (const auto& finding : report.findings) {
        if (!finding.suppression) {
            kept.push_back(&finding);
        }
    }
    return kept;
}

std::string finding_identity(const core::Finding& finding)
{
    if (!finding.fingerprint.empty()) {
        return finding.fingerprint;
    }
    const auto& at = finding.location;
    return core::sha256_hex(fmt::format("{}\n{}\n{}:{}:{}:{}",
                                        finding.rule_id,
                                        at.path,
                                        at.start_line,
                                        at.start_column,
                                        at.end_line,
                                        at.end_column));
}

std::string_view cut_code_points(std::string_view text, std::size_t max_code_points)
{
    std::size_t offset = 0;
    for (std::size_t count = 0; offset < text.size() && count < max_code_points; ++count) {
        offset += core::decode_utf8(text, offset).length;
    }
    return text.substr(0, offset);
}

std::string shown_message(const core::Finding& finding)
{
    return core::show_hidden_code_points(finding.message);
}

namespace {

// One line of a snippet cut to k_snippet_width code points, starting up to a third of
// that width before the column so that the region stays in view.
std::string snippet_window(std::string_view line, int column)
{
    const std::size_t length = core::count_code_points(line);
    if (length <= k_snippet_width) {
        return core::show_hidden_code_points(line);
    }
    constexpr std::size_t k_before = k_snippet_width / 3;
    const auto before_column = static_cast<std::size_t>(std::max(column, 1) - 1);
    const std::size_t skip =
        std::min(before_column > k_before ? before_column - k_before : 0, length - k_snippet_width);
    std::string_view kept = line;
    kept.remove_prefix(cut_code_points(kept, skip).size());
    kept = cut_code_points(kept, k_snippet_width);
    std::string out = skip > 0 ? "..." : "";
    out += core::show_hidden_code_points(kept);
    if (skip + k_snippet_width < length) {
        out += "...";
    }
    return out;
}

} // namespace

std::string shown_snippet(const core::Finding& finding)
{
    std::string out;
    std::string_view rest = finding.snippet;
    int column = finding.location.start_column - finding.snippet_shift;
    while (true) {
        const std::size_t newline = rest.find('\n');
        std::string_view line = rest.substr(0, newline);
        const bool crlf = newline != std::string_view::npos && line.ends_with('\r');
        out += snippet_window(crlf ? line.substr(0, line.size() - 1) : line, column);
        if (newline == std::string_view::npos) {
            return out;
        }
        out += crlf ? "\r\n" : "\n";
        rest.remove_prefix(newline + 1);
        column = 1;
    }
}

std::optional<std::int64_t> parse_utc_millis(std::string_view text)
{
    if (text.ends_with('Z')) {
        text.remove_suffix(1);
    }
    if (text.size() != 19 && text.size() != 23) {
        return std::nullopt;
    }
    if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
        return std::nullopt;
    }
    const auto year = number_at(text, 0, 4);
    const auto month = number_at(text, 5, 2);
    const auto day = number_at(text, 8, 2);
    const auto hours = number_at(text, 11, 2);
    const auto minutes = number_at(text, 14, 2);
    const auto seconds = number_at(text, 17, 2);
    std::optional<int> millis = 0;
    if (text.size() == 23) {
        millis = text[19] == '.' ? number_at(text, 20, 3) : std::nullopt;
    }
    if (!year || !month || !day || !hours || !minutes || !seconds || !millis) {
        return std::nullopt;
    }
    using namespace std::chrono;
    const year_month_day date{std::chrono::year{*year},
                              std::chrono::month{static_cast<unsigned>(*month)},
                              std::chrono::day{static_cast<unsigned>(*day)}};
    if (!date.ok() || *hours > 23 || *minutes > 59 || *seconds > 60) {
        return std::nullopt;
    }
    const auto since_epoch = sys_days{date}.time_since_epoch() + std::chrono::hours{*hours}
                             + std::chrono::minutes{*minutes} + std::chrono::seconds{*seconds}
                             + milliseconds{*millis};
    return duration_cast<milliseconds>(since_epoch).count();
}

} // namespace aiops::report
