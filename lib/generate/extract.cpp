#include "generate/extract.hpp"

#include "core/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

namespace aiops::generate {

namespace {

struct Fence
{
    char marker = '`';
    std::size_t length = 0;
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

std::string_view trim(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    return text;
}

/// A fence line as CommonMark has it: up to three spaces, then three or more backticks
/// or tildes and an info string (which, after backticks, holds no backtick).
std::optional<Fence> parse_fence(std::string_view line)
{
    std::size_t at = 0;
    while (at < line.size() && at < 3 && line[at] == ' ') {
        ++at;
    }
    if (at >= line.size() || (line[at] != '`' && line[at] != '~')) {
        return std::nullopt;
    }
    Fence fence;
    fence.marker = line[at];
    while (at < line.size() && line[at] == fence.marker) {
        ++fence.length;
        ++at;
    }
    if (fence.length < 3) {
        return std::nullopt;
    }
    fence.info = std::string(trim(line.substr(at)));
    if (fence.marker == '`' && fence.info.find('`') != std::string::npos) {
        return std::nullopt;
    }
    return fence;
}

std::string unquote(std::string_view text)
{
    if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'')
        && text.back() == text.front()) {
        text = text.substr(1, text.size() - 2);
    }
    return std::string(text);
}

/// Whether a word reads as a file's path rather than a language or a sentence.
bool looks_like_path(std::string_view word)
{
    if (word.empty() || word.find_first_of(" \t(){}<>\"'`*,;") != std::string_view::npos) {
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

std::string path_from_info(std::string_view info)
{
    for (const auto& part : core::split(std::string(info), ' ')) {
        const std::string_view word = trim(part);
        const std::size_t equals = word.find('=');
        if (equals != std::string_view::npos) {
            const std::string key = core::to_lower(std::string(word.substr(0, equals)));
            if (key == "path" || key == "file" || key == "filename" || key == "title") {
                return unquote(word.substr(equals + 1));
            }
            continue;
        }
        // "python:app/x.py" names the language and the path.
        const std::size_t colon = word.find(':');
        if (colon != std::string_view::npos && looks_like_path(word.substr(colon + 1))) {
            return std::string(word.substr(colon + 1));
        }
        if (looks_like_path(word)) {
            return std::string(word);
        }
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
    std::string_view text = trim(kept);
    while (!text.empty() && text.front() == '#') {
        text.remove_prefix(1);
    }
    text = trim(text);
    if (text.starts_with("- ") || text.starts_with("+ ")) {
        text = trim(text.substr(2));
    }
    std::size_t digits = 0;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
        ++digits;
    }
    if (digits > 0 && digits + 1 < text.size() && text[digits] == '.' && text[digits + 1] == ' ') {
        text = trim(text.substr(digits + 1));
    }
    for (const std::string_view prefix : {"filename:", "file name:", "file:", "path:"}) {
        if (strip_prefix_icase(text, prefix)) {
            text = trim(text);
            break;
        }
    }
    while (!text.empty() && text.back() == ':') {
        text.remove_suffix(1);
    }
    text = trim(text);
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

struct Parsed
{
    std::vector<ReplyBlock> blocks;
    std::vector<std::string> contents;
};

Parsed parse(std::string_view reply)
{
    const std::vector<std::string_view> lines = split_lines(reply);
    Parsed out;
    std::size_t index = 0;
    while (index < lines.size()) {
        const auto open = parse_fence(lines[index]);
        if (!open) {
            ++index;
            continue;
        }
        ReplyBlock block;
        block.first_line = static_cast<int>(index) + 1;
        block.fence = std::string(trim(lines[index]));
        block.path = without_dot_slash(path_from_info(open->info));
        if (block.path.empty()) {
            // The label sits on the nearest non-blank line above, if that is prose
            // after the previous block.
            const int floor = out.blocks.empty() ? 0 : out.blocks.back().last_line;
            for (int above = static_cast<int>(index) - 1; above >= floor; --above) {
                if (!trim(lines[static_cast<std::size_t>(above)]).empty()) {
                    block.path =
                        without_dot_slash(path_from_label(lines[static_cast<std::size_t>(above)]));
                    break;
                }
            }
        }
        std::string content;
        int nested = 0;
        block.closed = false;
        for (++index; index < lines.size(); ++index) {
            const auto fence = parse_fence(lines[index]);
            if (fence && fence->marker == open->marker && fence->length >= open->length) {
                if (fence->info.empty() && nested == 0) {
                    block.closed = true;
                    break;
                }
                nested += fence->info.empty() ? -1 : 1;
            }
            content.append(lines[index]);
            content += '\n';
        }
        block.last_line = static_cast<int>(std::min(index, lines.size() - 1)) + 1;
        out.blocks.push_back(std::move(block));
        out.contents.push_back(std::move(content));
        ++index;
    }
    return out;
}

core::Error reply_error(std::string_view reply, const std::string& what)
{
    return core::Error(
        core::ErrorCode::input,
        fmt::format("reply: {}; the reply's outline:\n{}", what, reply_outline(reply)));
}

std::string quoted_list(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "'" : ", '") + item + "'";
    }
    return out;
}

} // namespace

std::vector<ReplyBlock> reply_blocks(std::string_view reply)
{
    return parse(reply).blocks;
}

std::string reply_outline(std::string_view reply)
{
    const std::vector<std::string_view> lines = split_lines(reply);
    const std::vector<ReplyBlock> blocks = reply_blocks(reply);
    std::string out;
    const auto prose = [&](int from, int to) {
        for (int line = from; line <= to; ++line) {
            if (!trim(lines[static_cast<std::size_t>(line - 1)]).empty()) {
                out += fmt::format("  lines {}-{}: prose\n", from, to);
                return;
            }
        }
    };
    int next = 1;
    for (const auto& block : blocks) {
        prose(next, block.first_line - 1);
        out += fmt::format("  lines {}-{}: {} -> {}{}\n",
                           block.first_line,
                           block.last_line,
                           block.fence,
                           block.path.empty() ? "no path" : "'" + block.path + "'",
                           block.closed ? "" : " (not closed)");
        next = block.last_line + 1;
    }
    prose(next, static_cast<int>(lines.size()));
    if (out.empty()) {
        out = "  (empty)\n";
    }
    out.pop_back();
    return out;
}

core::Result<std::vector<ExtractedFile>> extract_files(std::string_view reply,
                                                       const std::vector<std::string>& outputs)
{
    const Parsed parsed = parse(reply);
    if (parsed.blocks.empty()) {
        return reply_error(reply, "it holds no fenced code block");
    }
    std::vector<ExtractedFile> files;
    std::vector<int> unnamed;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < parsed.blocks.size(); ++i) {
        const ReplyBlock& block = parsed.blocks[i];
        if (!block.closed) {
            return reply_error(reply,
                               fmt::format("the block at line {} is not closed", block.first_line));
        }
        if (block.path.empty()) {
            unnamed.push_back(static_cast<int>(i));
            continue;
        }
        if (!seen.insert(block.path).second) {
            return reply_error(
                reply,
                fmt::format("'{}' appears twice (again at line {})", block.path, block.first_line));
        }
        files.push_back({block.path, parsed.contents[i], block.first_line});
    }
    // One file declared and one block: the block is the file, named or not.
    if (files.empty() && outputs.size() == 1 && unnamed.size() == 1) {
        const auto at = static_cast<std::size_t>(unnamed.front());
        return std::vector<ExtractedFile>{
            {outputs.front(), parsed.contents[at], parsed.blocks[at].first_line}};
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
        for (const int i : unnamed) {
            where += fmt::format("{}{}", where.empty() ? "" : ", ", parsed.blocks[i].first_line);
        }
        return reply_error(reply,
                           fmt::format("{} {} missing, and the blocks at lines {} name no path: "
                                       "which block is which file is unclear",
                                       quoted_list(missing),
                                       missing.size() == 1 ? "is" : "are",
                                       where));
    }
    return reply_error(reply,
                       fmt::format("{} {} missing from the reply",
                                   quoted_list(missing),
                                   missing.size() == 1 ? "is" : "are"));
}

} // namespace aiops::generate
