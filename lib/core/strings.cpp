#include "core/strings.hpp"

#include "core/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>

namespace aiops::core {

std::string to_lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return out;
}

std::vector<std::string> split(std::string_view text, char separator)
{
    std::vector<std::string> pieces;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        if (end == std::string_view::npos) {
            pieces.emplace_back(text.substr(start));
            return pieces;
        }
        pieces.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
}

std::string_view trim(std::string_view text)
{
    const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

std::string normalise_whitespace(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (const char c : trim(text)) {
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            pending_space = true;
            continue;
        }
        if (pending_space) {
            out.push_back(' ');
            pending_space = false;
        }
        out.push_back(c);
    }
    return out;
}

namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
// two neighbouring letters each cost one, so "scna" is one step from "scan".
std::size_t edit_distance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> before(b.size() + 1); // row i - 2
    std::vector<std::size_t> above(b.size() + 1);  // row i - 1
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        before.swap(above);
        above.swap(row);
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[j] = std::min({above[j] + 1, row[j - 1] + 1, above[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                row[j] = std::min(row[j], before[j - 2] + 1);
            }
        }
    }
    return row[b.size()];
}

} // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates)
{
    // A suggestion further than a third of the word away is more noise than help.
    const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
    std::optional<std::string> best;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    for (const auto& candidate : candidates) {
        const std::size_t distance = edit_distance(word, candidate);
        if (distance <= limit && distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

std::string redact_userinfo(std::string_view text)
{
    std::string out;
    std::size_t done = 0;
    for (std::size_t scheme = text.find("://"); scheme != std::string_view::npos;
         scheme = text.find("://", scheme + 3)) {
        // The authority ends at the first '/', '?', '#' or white space; its userinfo
        // at its last '@'.
        const std::size_t start = scheme + 3;
        const std::size_t end =
            std::min(text.find_first_of("/?#", start), text.find_first_of(" \t\r\n'\"", start));
        const std::size_t at = text.substr(0, end).rfind('@');
        if (at == std::string_view::npos || at < start) {
            continue;
        }
        out.append(text.substr(done, start - done));
        out.append("***");
        done = at;
    }
    out.append(text.substr(done));
    return out;
}

std::optional<std::uint64_t> parse_byte_size(std::string_view text)
{
    text = trim(text);
    if (text.empty()) {
        return std::nullopt;
    }
    std::uint64_t multiplier = 1;
    const char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(text.back())));
    if (unit == 'K' || unit == 'M' || unit == 'G') {
        multiplier = unit == 'K' ? 1024ULL : unit == 'M' ? 1024ULL * 1024 : 1024ULL * 1024 * 1024;
        text.remove_suffix(1);
    }
    if (text.empty() || text.size() > 12) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (value > std::numeric_limits<std::uint64_t>::max() / multiplier) {
        return std::nullopt;
    }
    return value * multiplier;
}

std::string quote_for_message(std::string_view text, std::size_t max_chars)
{
    std::string out;
    std::size_t offset = 0;
    std::size_t shown = 0;
    while (offset < text.size()) {
        if (shown == max_chars) {
            out += "...";
            break;
        }
        const DecodedCodePoint decoded = decode_utf8(text, offset);
        const char32_t cp = decoded.code_point;
        if (!decoded.valid) {
            out += fmt::format("<0x{:02X}>", static_cast<unsigned char>(text[offset]));
        } else if (cp == '\n') {
            out += "\\n";
        } else if (cp == '\r') {
            out += "\\r";
        } else if (cp == '\t') {
            out += "\\t";
        } else if (is_hidden_code_point(cp)) {
            // Control, invisible and bidirectional characters are shown by number, never
            // rendered, as reports show them (show_hidden_code_points).
            out += fmt::format("<U+{:04X}>", static_cast<unsigned>(cp));
        } else {
            out.append(text.substr(offset, decoded.length));
        }
        offset += decoded.length;
        ++shown;
    }
    return out;
}

bool is_hidden_code_point(char32_t cp)
{
    if (cp < 0x20) {
        return cp != '\t' && cp != '\n';
    }
    return (cp >= 0x7F && cp < 0xA0) || cp == 0x061C || (cp >= 0x200B && cp <= 0x200F)
           || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064)
           || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB)
           || (cp >= 0xE0000 && cp <= 0xE007F);
}

std::string show_hidden_code_points(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t offset = 0;
    // Printable ASCII, tabs and newlines, most of any text, are copied a run at a time.
    const auto shown_as_is = [](char c) {
        return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n';
    };
    while (offset < text.size()) {
        std::size_t plain = offset;
        while (plain < text.size() && shown_as_is(text[plain])) {
            ++plain;
        }
        if (plain > offset) {
            out.append(text.substr(offset, plain - offset));
            offset = plain;
            continue;
        }
        const DecodedCodePoint decoded = decode_utf8(text, offset);
        if (!decoded.valid) {
            out += fmt::format("<0x{:02X}>", static_cast<unsigned char>(text[offset]));
        } else if (decoded.code_point == '\r' && text.substr(offset + 1, 1) == "\n") {
            out += '\r'; // a line ending, not a hidden character
        } else if (is_hidden_code_point(decoded.code_point)) {
            out += fmt::format("<U+{:04X}>", static_cast<unsigned>(decoded.code_point));
        } else {
            out.append(text.substr(offset, decoded.length));
        }
        offset += decoded.length;
    }
    return out;
}

std::string show_hidden_in_line(std::string_view text)
{
    std::string out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '\n' || text[i] == '\r' || text[i] == '\t') {
            out += show_hidden_code_points(text.substr(start, i - start));
            if (i < text.size()) {
                out += fmt::format("<U+{:04X}>", static_cast<unsigned char>(text[i]));
            }
            start = i + 1;
        }
    }
    return out;
}

} // namespace aiops::core
