#include "generate/extract.hpp"

#include "core/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

namespace aiops::generate {

namespace {

constexpr std::size_t k_none = std::string_view::npos;

struct Fence
{
    char marker = '`';
    std::size_t length = 0;
    std::size_t indent = 0; ///< spaces before the marker
    std::string info;
};

/// The reply's lines without their line ends.
std::vector<std::string_view> split_lines(std::string_view text)
{
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(start, end - start);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

/// A fence line as CommonMark has it: spaces, then three or more backticks or tildes
/// and an info string (which, after backticks, holds no backtick). A fence inside a
/// block may be indented up to three spaces more than the block's own; one outside
/// any block may be indented further, as inside a list item.
std::optional<Fence> parse_fence(std::string_view line, std::size_t max_indent)
{
    std::size_t at = 0;
    while (at < line.size() && line[at] == ' ') {
        ++at;
    }
    if (at > max_indent || at >= line.size() || (line[at] != '`' && line[at] != '~')) {
        return std::nullopt;
    }
    Fence fence;
    fence.indent = at;
    fence.marker = line[at];
    while (at < line.size() && line[at] == fence.marker) {
        ++fence.length;
        ++at;
    }
    if (fence.length < 3) {
        return std::nullopt;
    }
    fence.info = std::string(core::trim(line.substr(at)));
    if (fence.marker == '`' && fence.info.find('`') != std::string::npos) {
        return std::nullopt;
    }
    return fence;
}

/// Whether a word reads as a file's path rather than a language or a sentence. A
/// quoted word may hold spaces.
bool looks_like_path(std::string_view word, bool quoted = false)
{
    const std::string_view refused = quoted ? "\t(){}<>\"'`*,;" : " \t(){}<>\"'`*,;";
    if (word.empty() || word.find_first_of(refused) != std::string_view::npos) {
        return false;
    }
    if (word == "Dockerfile" || word == "Makefile") {
        return true;
    }
    if (word.find('/') != std::string_view::npos) {
        return true;
    }
    const std::size_t dot = word.rfind('.');
    // A dot with something on both sides: "x.py", ".env" does not count.
    return dot != std::string_view::npos && dot > 0 && dot + 1 < word.size()
           && std::isalnum(static_cast<unsigned char>(word[dot + 1]));
}

/// One word of an info string: `key=value` or a bare word, either possibly quoted.
struct InfoWord
{
    std::string key; ///< lowercased; empty for a bare word
    std::string value;
    bool quoted = false;
};

/// Splits an info string into words; a quoted value ("my app/x.py") keeps its spaces.
/// nullopt when a quote is not closed.
std::optional<std::vector<InfoWord>> info_words(std::string_view info)
{
    std::vector<InfoWord> words;
    std::size_t at = 0;
    while (at < info.size()) {
        if (std::isspace(static_cast<unsigned char>(info[at]))) {
            ++at;
            continue;
        }
        InfoWord word;
        const std::size_t start = at;
        while (at < info.size() && !std::isspace(static_cast<unsigned char>(info[at]))
               && info[at] != '"' && info[at] != '\'') {
            ++at;
        }
        std::string_view head = info.substr(start, at - start);
        if (head.ends_with('=')) {
            word.key = core::to_lower(head.substr(0, head.size() - 1));
            head = {};
        }
        if (at < info.size() && (info[at] == '"' || info[at] == '\'') && head.empty()) {
            const std::size_t close = info.find(info[at], at + 1);
            if (close == k_none) {
                return std::nullopt;
            }
            word.value = std::string(info.substr(at + 1, close - at - 1));
            word.quoted = true;
            at = close + 1;
        } else {
            while (at < info.size() && !std::isspace(static_cast<unsigned char>(info[at]))) {
                ++at;
            }
            const std::string_view text = info.substr(start, at - start);
            const std::size_t equals = text.find('=');
            if (equals != k_none && word.key.empty()) {
                word.key = core::to_lower(text.substr(0, equals));
            }
            word.value = std::string(equals == k_none ? text : text.substr(equals + 1));
        }
        words.push_back(std::move(word));
    }
    return words;
}

/// The path an info string names, and a problem when it cannot be told for sure.
struct InfoPath
{
    std::string path;
    std::string problem;
};

constexpr std::string_view k_quote_advice =
    "quote a path that holds spaces, as in path=\"my app/x.py\"";

InfoPath path_from_info(std::string_view info)
{
    const auto words = info_words(info);
    if (!words) {
        return {{}, "its info string has a quote that is not closed"};
    }
    for (std::size_t i = 0; i < words->size(); ++i) {
        const InfoWord& word = (*words)[i];
        const bool names_path = word.key == "path" || word.key == "file" || word.key == "filename"
                                || (word.key == "title" && looks_like_path(word.value, true));
        if (!names_path) {
            continue;
        }
        // "path=my app/x.py": the words after the value may be the rest of the path.
        const bool more = std::any_of(words->begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                      words->end(),
                                      [](const InfoWord& next) { return next.key.empty(); });
        if (more && !word.quoted) {
            return {word.value,
                    fmt::format("its info string has words after '{}={}': {}",
                                word.key,
                                word.value,
                                k_quote_advice)};
        }
        return {word.value, {}};
    }
    std::vector<std::size_t> bare;
    for (std::size_t i = 0; i < words->size(); ++i) {
        if ((*words)[i].key.empty()) {
            bare.push_back(i);
        }
    }
    for (const std::size_t i : bare) {
        const InfoWord& word = (*words)[i];
        std::string path;
        // "python:app/x.py" names the language and the path.
        const std::size_t colon = word.quoted ? k_none : word.value.find(':');
        if (colon != k_none && looks_like_path(std::string_view(word.value).substr(colon + 1))) {
            path = word.value.substr(colon + 1);
        } else if (looks_like_path(word.value, word.quoted)) {
            path = word.value;
        } else {
            continue;
        }
        // Besides the language and the path, a word is part of a path with spaces.
        const bool more = std::any_of(
            bare.begin(), bare.end(), [&](std::size_t j) { return j != i && j != bare.front(); });
        if (more && !word.quoted) {
            return {path,
                    fmt::format("its info string '{}' has words besides the language and the "
                                "path '{}': {}",
                                info,
                                path,
                                k_quote_advice)};
        }
        return {path, {}};
    }
    return {};
}

bool strip_prefix_icase(std::string_view& text, std::string_view prefix)
{
    if (text.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) {
            return false;
        }
    }
    text.remove_prefix(prefix.size());
    return true;
}

/// The path a line of prose names when it is nothing but a label for the next block:
/// "### app/x.py", "File: app/x.py", "**app/x.py**", "`app/x.py`:", "1. app/x.py".
std::string path_from_label(std::string_view line)
{
    std::string kept;
    for (const char c : line) {
        if (c != '*' && c != '`') {
            kept += c;
        }
    }
    std::string_view text = core::trim(kept);
    while (!text.empty() && text.front() == '#') {
        text.remove_prefix(1);
    }
    text = core::trim(text);
    if (text.starts_with("- ") || text.starts_with("+ ")) {
        text = core::trim(text.substr(2));
    }
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
        ++digits;
    }
    if (digits > 0 && digits + 1 < text.size() && text[digits] == '.' && text[digits + 1] == ' ') {
        text = core::trim(text.substr(digits + 1));
    }
    for (const std::string_view prefix : {"filename:", "file name:", "file:", "path:"}) {
        if (strip_prefix_icase(text, prefix)) {
            text = core::trim(text);
            break;
        }
    }
    while (!text.empty() && text.back() == ':') {
        text.remove_suffix(1);
    }
    text = core::trim(text);
    return looks_like_path(text) ? std::string(text) : std::string();
}

/// "./app/x.py" is "app/x.py"; other odd paths stay as written, for the writer to refuse.
std::string without_dot_slash(std::string path)
{
    while (path.starts_with("./")) {
        path.erase(0, 2);
    }
    return path;
}

std::string first_word(std::string_view info)
{
    const std::string_view trimmed = core::trim(info);
    return core::to_lower(trimmed.substr(0, trimmed.find_first_of(" \t{")));
}

/// Whether a block holds Markdown, whose own code samples may open with a bare fence.
bool is_markdown(const Fence& fence, std::string_view path)
{
    const std::string language = first_word(fence.info);
    if (language == "markdown" || language == "md" || language == "mdx") {
        return true;
    }
    const std::string lower = core::to_lower(path);
    return lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdx");
}

/// A block as the parser found it: where it ends, and how it reads.
struct Span
{
    ReplyBlock block;
    std::size_t opener = 0;
    std::size_t close = k_none; ///< the closing fence's line index; k_none when unclosed
    std::size_t indent = 0;     ///< spaces stripped from each line of the content
    bool has_info = false;
};

/// What the rest of a reply from some line on holds, to judge where a Markdown block
/// that holds bare fences ends.
struct Tail
{
    bool clean = true;     ///< every block closed, clear, and opened with an info string or named
    int outputs_named = 0; ///< blocks that name a declared output
};

class ReplyParser
{
public:
    ReplyParser(std::string_view reply, const std::vector<std::string>& outputs)
        : m_lines(split_lines(reply)), m_outputs(outputs)
    {}

    const std::vector<std::string_view>& lines() const { return m_lines; }

    /// The index of the first opening fence at or after `from`, or k_none.
    std::size_t next_opener(std::size_t from) const
    {
        for (std::size_t index = from; index < m_lines.size(); ++index) {
            if (parse_fence(m_lines[index], k_none)) {
                return index;
            }
        }
        return k_none;
    }

    /// The block that opens at line `opener`; `floor` is the first line after the
    /// previous block, below which no label is looked for.
    Span span_at(std::size_t opener, std::size_t floor)
    {
        const Fence open = *parse_fence(m_lines[opener], k_none);
        Span span;
        span.opener = opener;
        span.indent = open.indent;
        span.has_info = !open.info.empty();
        span.block.first_line = static_cast<int>(opener) + 1;
        span.block.fence = std::string(core::trim(m_lines[opener]));
        InfoPath named = path_from_info(open.info);
        span.block.path = without_dot_slash(std::move(named.path));
        span.block.problem = std::move(named.problem);
        if (span.block.path.empty() && span.block.problem.empty()) {
            span.block.path = without_dot_slash(label_above(opener, floor));
        }
        if (is_markdown(open, span.block.path)) {
            close_markdown(open, span);
        } else {
            close_plain(open, span);
        }
        span.block.closed = span.close != k_none;
        const std::size_t last = span.block.closed ? span.close : m_lines.size() - 1;
        span.block.last_line = static_cast<int>(last) + 1;
        return span;
    }

    /// The content of a closed or unclosed block: its lines, each without the
    /// opening fence's indentation (as CommonMark strips it), each ending in '\n'.
    std::string content(const Span& span) const
    {
        const std::size_t end = span.close == k_none ? m_lines.size() : span.close;
        std::string text;
        for (std::size_t index = span.opener + 1; index < end; ++index) {
            std::string_view line = m_lines[index];
            std::size_t strip = 0;
            while (strip < span.indent && strip < line.size() && line[strip] == ' ') {
                ++strip;
            }
            text.append(line.substr(strip));
            text += '\n';
        }
        return text;
    }

private:
    /// The label on the nearest non-blank line above, if that is prose after the
    /// previous block.
    std::string label_above(std::size_t opener, std::size_t floor) const
    {
        for (std::size_t above = opener; above > floor;) {
            --above;
            if (!core::trim(m_lines[above]).empty()) {
                return path_from_label(m_lines[above]);
            }
        }
        return {};
    }

    /// The fences inside a block that can close it: its own character, at least as
    /// long, indented at most three spaces more than the opening fence.
    std::optional<Fence> inner_fence(std::size_t index, const Fence& open) const
    {
        auto fence = parse_fence(m_lines[index], open.indent + 3);
        if (fence && fence->marker == open.marker && fence->length >= open.length) {
            return fence;
        }
        return std::nullopt;
    }

    /// Code: a fence with an info string opens a nested block (a docstring showing
    /// code), which the next bare fence closes; a bare fence outside those closes it.
    void close_plain(const Fence& open, Span& span) const
    {
        int nested = 0;
        for (std::size_t index = span.opener + 1; index < m_lines.size(); ++index) {
            const auto fence = inner_fence(index, open);
            if (!fence) {
                continue;
            }
            if (fence->info.empty() && nested == 0) {
                span.close = index;
                return;
            }
            nested += fence->info.empty() ? -1 : 1;
        }
    }

    /// Markdown: a bare fence where no sample is open may close the block or open a
    /// sample of its own. Each such fence is tried as the end: it is, when the rest of
    /// the reply then reads cleanly, best naming the most declared outputs. When no
    /// such fence or more than one fits, the block is ambiguous.
    void close_markdown(const Fence& open, Span& span)
    {
        std::vector<std::size_t> candidates;
        int depth = 0;
        for (std::size_t index = span.opener + 1; index < m_lines.size(); ++index) {
            const auto fence = inner_fence(index, open);
            if (!fence) {
                continue;
            }
            if (!fence->info.empty()) {
                ++depth;
            } else if (depth > 0) {
                --depth;
            } else {
                candidates.push_back(index);
                depth = 1; // as a sample's opening fence, if it is not the end
            }
        }
        if (candidates.size() == 1) {
            span.close = candidates.front();
            return;
        }
        std::vector<std::size_t> best;
        int best_named = -1;
        for (const std::size_t candidate : candidates) {
            const Tail& rest = tail_from(candidate + 1);
            if (!rest.clean || rest.outputs_named < best_named) {
                continue;
            }
            if (rest.outputs_named > best_named) {
                best.clear();
                best_named = rest.outputs_named;
            }
            best.push_back(candidate);
        }
        if (best.size() == 1) {
            span.close = best.front();
            return;
        }
        if (!candidates.empty()) {
            span.close = best.empty() ? candidates.front() : best.front();
            span.block.problem =
                fmt::format("its Markdown holds bare ``` fences, and which one ends it is unclear "
                            "(lines {}): give each code sample in it a language (```text), or "
                            "fence the whole file with four backticks",
                            fmt::join(line_numbers(candidates), ", "));
        }
    }

    static std::vector<int> line_numbers(const std::vector<std::size_t>& indexes)
    {
        std::vector<int> out;
        for (const std::size_t index : indexes) {
            out.push_back(static_cast<int>(index) + 1);
        }
        return out;
    }

    const Tail& tail_from(std::size_t start)
    {
        if (const auto found = m_tails.find(start); found != m_tails.end()) {
            return found->second;
        }
        Tail tail;
        const std::size_t opener = next_opener(start);
        if (opener != k_none) {
            const Span span = span_at(opener, start);
            const bool named = !span.block.path.empty();
            tail.clean =
                span.block.closed && span.block.problem.empty() && (span.has_info || named);
            if (tail.clean) {
                const Tail& rest = tail_from(span.close + 1);
                tail.clean = rest.clean;
                tail.outputs_named = rest.outputs_named;
            }
            if (named
                && std::find(m_outputs.begin(), m_outputs.end(), span.block.path)
                       != m_outputs.end()) {
                ++tail.outputs_named;
            }
        }
        return m_tails.emplace(start, tail).first->second;
    }

    std::vector<std::string_view> m_lines;
    const std::vector<std::string>& m_outputs;
    std::map<std::size_t, Tail> m_tails;
};

struct Parsed
{
    std::vector<std::string_view> lines;
    std::vector<ReplyBlock> blocks;
    std::vector<std::string> contents;
    std::vector<std::string> infos; ///< each block's info string
};

Parsed parse(std::string_view reply, const std::vector<std::string>& outputs)
{
    ReplyParser parser(reply, outputs);
    Parsed out;
    out.lines = parser.lines();
    std::size_t index = 0;
    while ((index = parser.next_opener(index)) != k_none) {
        const std::size_t floor =
            out.blocks.empty() ? 0 : static_cast<std::size_t>(out.blocks.back().last_line);
        Span span = parser.span_at(index, floor);
        out.contents.push_back(parser.content(span));
        out.infos.emplace_back(parse_fence(out.lines[index], k_none)->info);
        out.blocks.push_back(std::move(span.block));
        if (span.close == k_none) {
            break;
        }
        index = span.close + 1;
    }
    return out;
}

std::string outline(const Parsed& parsed)
{
    std::string out;
    const auto prose = [&](int from, int to) {
        for (int line = from; line <= to; ++line) {
            if (!core::trim(parsed.lines[static_cast<std::size_t>(line - 1)]).empty()) {
                out += fmt::format("  lines {}-{}: prose\n", from, to);
                return;
            }
        }
    };
    int next = 1;
    for (const auto& block : parsed.blocks) {
        prose(next, block.first_line - 1);
        out += fmt::format("  lines {}-{}: {} -> {}{}{}\n",
                           block.first_line,
                           block.last_line,
                           block.fence,
                           block.path.empty() ? "no path" : "'" + block.path + "'",
                           block.closed ? "" : " (not closed)",
                           block.problem.empty() ? "" : " (unclear)");
        next = block.last_line + 1;
    }
    prose(next, static_cast<int>(parsed.lines.size()));
    if (out.empty()) {
        out = "  (empty)\n";
    }
    out.pop_back();
    return out;
}

core::Error reply_error(const Parsed& parsed, const std::string& what)
{
    return core::Error(core::ErrorCode::input,
                       fmt::format("reply: {}; the reply's outline:\n{}", what, outline(parsed)));
}

std::string quoted_list(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "'" : ", '") + item + "'";
    }
    return out;
}

/// Whether a block shows commands to run rather than a file ("```bash", "```console").
bool is_shell_block(std::string_view info)
{
    static const std::set<std::string, std::less<>> k_shells{"bash",
                                                             "sh",
                                                             "shell",
                                                             "zsh",
                                                             "fish",
                                                             "console",
                                                             "terminal",
                                                             "shell-session",
                                                             "sh-session",
                                                             "powershell",
                                                             "pwsh",
                                                             "ps1",
                                                             "cmd",
                                                             "bat",
                                                             "batch"};
    return k_shells.contains(first_word(info));
}

/// Whether a file is itself a script of a shell, so a shell block may be it.
bool is_script_path(std::string_view path)
{
    const std::string lower = core::to_lower(path);
    for (const std::string_view extension :
         {".sh", ".bash", ".zsh", ".fish", ".ps1", ".psm1", ".bat", ".cmd"}) {
        if (lower.ends_with(extension)) {
            return true;
        }
    }
    return false;
}

} // namespace

std::vector<ReplyBlock> reply_blocks(std::string_view reply,
                                     const std::vector<std::string>& outputs)
{
    return parse(reply, outputs).blocks;
}

std::string reply_outline(std::string_view reply, const std::vector<std::string>& outputs)
{
    return outline(parse(reply, outputs));
}

core::Result<std::vector<ExtractedFile>> extract_files(std::string_view reply,
                                                       const std::vector<std::string>& outputs)
{
    const Parsed parsed = parse(reply, outputs);
    if (parsed.blocks.empty()) {
        return reply_error(parsed, "it holds no fenced code block");
    }
    std::vector<ExtractedFile> files;
    std::vector<std::size_t> unnamed;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < parsed.blocks.size(); ++i) {
        const ReplyBlock& block = parsed.blocks[i];
        if (!block.closed) {
            return reply_error(parsed,
                               fmt::format("the block at line {} is not closed", block.first_line));
        }
        if (!block.problem.empty()) {
            return reply_error(
                parsed, fmt::format("the block at line {}: {}", block.first_line, block.problem));
        }
        if (block.path.empty()) {
            unnamed.push_back(i);
            continue;
        }
        if (!seen.insert(block.path).second) {
            return reply_error(
                parsed,
                fmt::format("'{}' appears twice (again at line {})", block.path, block.first_line));
        }
        files.push_back({block.path, parsed.contents[i], block.first_line});
    }
    // One file declared and one block for it: the block is the file. Shell commands
    // shown beside it do not count, unless the file is a script itself.
    if (files.empty() && outputs.size() == 1) {
        std::vector<std::size_t> candidates;
        for (const std::size_t i : unnamed) {
            if (is_script_path(outputs.front()) || !is_shell_block(parsed.infos[i])) {
                candidates.push_back(i);
            }
        }
        if (candidates.size() == 1) {
            const std::size_t at = candidates.front();
            return std::vector<ExtractedFile>{
                {outputs.front(), parsed.contents[at], parsed.blocks[at].first_line}};
        }
    }
    std::vector<std::string> missing;
    for (const auto& output : outputs) {
        if (!seen.contains(output)) {
            missing.push_back(output);
        }
    }
    if (missing.empty()) {
        return files;
    }
    if (!unnamed.empty()) {
        std::string where;
        for (const std::size_t i : unnamed) {
            where += fmt::format("{}{}", where.empty() ? "" : ", ", parsed.blocks[i].first_line);
        }
        return reply_error(parsed,
                           fmt::format("{} {} missing, and the blocks at lines {} name no path: "
                                       "which block is which file is unclear",
                                       quoted_list(missing),
                                       missing.size() == 1 ? "is" : "are",
                                       where));
    }
    return reply_error(parsed,
                       fmt::format("{} {} missing from the reply",
                                   quoted_list(missing),
                                   missing.size() == 1 ? "is" : "are"));
}

} // namespace aiops::generate
