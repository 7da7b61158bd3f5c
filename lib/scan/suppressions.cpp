#include "scan/suppressions.hpp"

#include "core/strings.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>

namespace aiops::scan {

namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_word_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

std::vector<std::string> split_ids(std::string_view list)
{
    std::vector<std::string> ids;
    for (auto piece : core::split(list, ',')) {
        for (auto word : core::split(core::trim(piece), ' ')) {
            const std::string_view id = core::trim(word);
            if (!id.empty()) {
                ids.emplace_back(id);
            }
        }
    }
    return ids;
}

// A reason without the comment's closing token.
std::string justification_of(std::string_view rest)
{
    std::string_view text = core::trim(rest);
    for (const std::string_view closer : {"*/", "-->"}) {
        if (text.ends_with(closer)) {
            text = core::trim(text.substr(0, text.size() - closer.size()));
        }
    }
    return std::string(text);
}

// Where in a comment's text a marker may start: after the opening token and white
// space, and after each later '#' or '//' that starts another note.
std::vector<std::size_t> marker_starts(std::string_view text)
{
    std::vector<std::size_t> starts;
    const std::size_t first = text.find_first_not_of(" \t#/*!<-;");
    if (first == std::string_view::npos) {
        return starts;
    }
    starts.push_back(first);
    for (std::size_t i = first; i < text.size(); ++i) {
        const bool hash = text[i] == '#';
        if (!hash && text.compare(i, 2, "//") != 0) {
            continue;
        }
        const std::size_t next = text.find_first_not_of(" \t", i + (hash ? 1 : 2));
        if (next == std::string_view::npos) {
            break;
        }
        starts.push_back(next);
        i = next - 1;
    }
    return starts;
}

// The words Bandit reads after nosec as test ids (B602) or rule ids
// (python.subprocess-shell-true); the first other word starts the reason.
bool looks_like_rule_id(std::string_view word)
{
    static const RE2 shape(R"([Bb][0-9]+|[a-z0-9_-]+(\.[a-z0-9_-]+)+)");
    return RE2::FullMatch(re2::StringPiece(word.data(), word.size()), shape);
}

// "nosec", "nosec B602, B607 reason", "nosec: B602"; text starts after "nosec".
std::optional<SuppressionComment> read_nosec(std::string_view text)
{
    if (!text.empty() && !is_space(text[0]) && text[0] != ':') {
        return std::nullopt; // "nosecurity" is another word
    }
    if (!text.empty() && text[0] == ':') {
        text.remove_prefix(1);
    }
    SuppressionComment suppression;
    std::size_t at = 0;
    while (true) {
        while (at < text.size() && (is_space(text[at]) || text[at] == ',')) {
            ++at;
        }
        std::size_t end = at;
        while (end < text.size() && !is_space(text[end]) && text[end] != ',') {
            ++end;
        }
        if (at == end || !looks_like_rule_id(text.substr(at, end - at))) {
            break;
        }
        suppression.ids.emplace_back(text.substr(at, end - at));
        at = end;
    }
    suppression.justification = justification_of(text.substr(at));
    return suppression;
}

// "aiops: ignore[ids] reason" or "aiops: ignore reason"; text starts after "aiops:".
// Sets problem for a marker written wrong; returns nothing for other words.
std::optional<SuppressionComment> read_aiops(std::string_view text, std::string& problem)
{
    std::size_t at = 0;
    while (at < text.size() && is_space(text[at])) {
        ++at;
    }
    std::size_t end = at;
    while (end < text.size() && is_word_char(text[end])) {
        ++end;
    }
    const std::string_view word = text.substr(at, end - at);
    if (word != "ignore") {
        if (word.starts_with("ignore")) {
            problem = fmt::format("'aiops: {}' is not a suppression, so it suppresses nothing: "
                                  "write 'aiops: ignore[rule-id] reason', or 'aiops: ignore "
                                  "reason' for every rule",
                                  core::quote_for_message(word, 30));
        }
        return std::nullopt;
    }
    SuppressionComment suppression;
    std::string_view rest = text.substr(end);
    if (rest.starts_with('[')) {
        const std::size_t close = rest.find(']');
        if (close == std::string_view::npos) {
            problem = "the '[' after 'aiops: ignore' is never closed with ']', so this "
                      "suppresses nothing";
            return std::nullopt;
        }
        suppression.ids = split_ids(rest.substr(1, close - 1));
        if (suppression.ids.empty()) {
            problem = "'aiops: ignore[]' names no rule, so it suppresses nothing: name rule ids "
                      "or aliases, or leave out the brackets to ignore every rule";
            return std::nullopt;
        }
        rest.remove_prefix(close + 1);
    }
    suppression.justification = justification_of(rest);
    return suppression;
}

} // namespace

CommentMarker read_marker(const Comment& comment)
{
    CommentMarker marker;
    const std::string_view text = comment.text;
    for (const std::size_t start : marker_starts(text)) {
        const std::string_view rest = text.substr(start);
        std::optional<SuppressionComment> found;
        std::string problem;
        if (rest.starts_with("nosec")) {
            found = read_nosec(rest.substr(5));
        } else if (rest.starts_with("aiops:")) {
            found = read_aiops(rest.substr(6), problem);
        }
        if (marker.problem.empty()) {
            marker.problem = problem;
        }
        if (found) {
            found->row = comment.end_row;
            found->alone = comment.alone;
            found->id_used.assign(found->ids.size(), false);
            found->start_byte = comment.start_byte;
            found->end_byte = comment.start_byte + comment.text.size();
            marker.suppression = std::move(found);
            break;
        }
    }
    return marker;
}

bool covers(SuppressionComment& suppression, const rules::Rule& rule)
{
    if (suppression.ids.empty()) {
        suppression.used = true;
        return true;
    }
    for (std::size_t i = 0; i < suppression.ids.size(); ++i) {
        const std::string& id = suppression.ids[i];
        const bool named =
            id == rule.id
            || std::any_of(rule.aliases.begin(), rule.aliases.end(), [&](const std::string& alias) {
                   return core::to_lower(alias) == core::to_lower(id);
               });
        if (named) {
            suppression.id_used[i] = true;
            suppression.used = true;
            return true;
        }
    }
    return false;
}

namespace {

// Where the comment token before a marker at a byte starts, if one ends right before
// it (white space between them aside): '#', '//', ';', '--', '/*' or '<!--', at the
// start of the line or after white space ('a#b' is a value). In prose ('#' starts a
// heading in Markdown) only '<!--' counts.
std::optional<std::size_t> comment_token_before(std::string_view line, std::size_t at, bool prose)
{
    std::size_t end = at;
    while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
        --end;
    }
    const std::string_view before = line.substr(0, end);
    if (before.ends_with("<!--")) {
        return end - 4;
    }
    if (prose) {
        return std::nullopt;
    }
    for (const std::string_view token : {"#", "//", ";", "--", "/*"}) {
        if (!before.ends_with(token)) {
            continue;
        }
        const std::size_t start = before.size() - token.size();
        if (start == 0 || line[start - 1] == ' ' || line[start - 1] == '\t') {
            return start;
        }
        return std::nullopt;
    }
    return std::nullopt;
}

bool is_prose(std::string_view path)
{
    const std::string lower = core::to_lower(path);
    return lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".txt")
           || lower.ends_with(".rst");
}

// The first marker of a line that a comment token leads, as a comment to the line's end.
std::optional<Comment> marker_comment(std::string_view line, std::size_t begin, bool prose)
{
    std::size_t at = 0;
    while (true) {
        const std::size_t aiops = line.find("aiops:", at);
        const std::size_t nosec = line.find("nosec", at);
        const std::size_t marker = std::min(aiops, nosec);
        if (marker == std::string_view::npos) {
            return std::nullopt;
        }
        if (const auto token = comment_token_before(line, marker, prose)) {
            const std::string_view before = line.substr(0, *token);
            const bool alone = before.find_first_not_of(" \t") == std::string_view::npos;
            std::string_view text = line.substr(*token);
            if (text.ends_with('\r')) {
                text.remove_suffix(1);
            }
            return Comment{0, 0, begin + *token, std::string(text), alone};
        }
        at = marker + 1;
    }
}

// Whether only white space follows a comment on its last line.
bool nothing_after(std::string_view text, std::size_t end)
{
    for (std::size_t at = end; at < text.size() && text[at] != '\n'; ++at) {
        if (!is_space(text[at])) {
            return false;
        }
    }
    return true;
}

} // namespace

std::vector<Comment> marker_comments(std::string_view text, std::string_view path)
{
    const bool prose = is_prose(path);
    std::vector<Comment> out;
    std::size_t row = 0;
    for (std::size_t begin = 0; begin <= text.size(); ++row) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        if (auto comment = marker_comment(text.substr(begin, end - begin), begin, prose)) {
            comment->start_row = row;
            comment->end_row = row;
            out.push_back(std::move(*comment));
        }
        begin = end + 1;
    }
    return out;
}

FileSuppressions::FileSuppressions(const std::vector<Comment>& comments, std::string_view text)
{
    for (const Comment& comment : comments) {
        if (comment.text.find("aiops:") == std::string::npos
            && comment.text.find("nosec") == std::string::npos) {
            continue;
        }
        CommentMarker marker = read_marker(comment);
        const std::size_t end = comment.start_byte + comment.text.size();
        if (!marker.problem.empty()) {
            m_malformed.push_back({comment.start_byte, end, std::move(marker.problem)});
        }
        if (marker.suppression) {
            // Code after a comment on its line ('/* nosec */ f();') keeps it to that line.
            marker.suppression->alone = comment.alone && nothing_after(text, end);
            m_suppressions.push_back(std::move(*marker.suppression));
        }
    }
}

const SuppressionComment* FileSuppressions::find(std::size_t row,
                                                 std::size_t last_row,
                                                 std::size_t statement_row,
                                                 const rules::Rule& rule)
{
    // Only rows that hold a marker are looked at, however many rows the finding spans.
    for (auto at = std::lower_bound(m_suppressions.begin(),
                                    m_suppressions.end(),
                                    row,
                                    [](const SuppressionComment&suppression, std::size_t r) {
                                        return suppression.row < r;
                                    });
         at != m_suppressions.end() && at->row <= last_row;
         ++at) {
        if (covers(*at, rule)) {
            return &*at;
        }
    }
    if (SuppressionComment* found = on_row(statement_row, /*alone_only=*/false, rule)) {
        return found;
    }
    for (const std::size_t below : {row, statement_row}) {
        if (below == 0) {
            continue;
        }
        if (SuppressionComment* found = on_row(below - 1, /*alone_only=*/true, rule)) {
            return found;
        }
    }
    return nullptr;
}

SuppressionComment*
FileSuppressions::on_row(std::size_t row, bool alone_only, const rules::Rule& rule)
{
    const auto first = std::lower_bound(
        m_suppressions.begin(),
        m_suppressions.end(),
        row,
        [](const SuppressionComment& suppression, std::size_t r) { return suppression.row < r; });
    for (auto at = first; at != m_suppressions.end() && at->row == row; ++at) {
        if ((!alone_only || at->alone) && covers(*at, rule)) {
            return &*at;
        }
    }
    return nullptr;
}

} // namespace aiops::scan
