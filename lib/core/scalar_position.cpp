#include "core/scalar_position.hpp"

#include "core/utf8.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace aiops::core {

namespace {

/// A byte of a file: 0-based line and byte column.
struct Origin
{
    int line = 0;
    int byte = 0;
};

/// A scalar's text as the parser reads it, each byte with the place it comes from.
struct ScannedScalar
{
    std::string text;
    std::vector<Origin> origins;

    void put(char c, Origin at)
    {
        text.push_back(c);
        origins.push_back(at);
    }

    void put(std::string_view bytes, Origin at)
    {
        for (const char c : bytes) {
            put(c, at);
        }
    }
};

bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

std::string_view line_at(const std::vector<std::string>& lines, int index)
{
    if (index < 0 || static_cast<std::size_t>(index) >= lines.size()) {
        return {};
    }
    std::string_view line = lines[static_cast<std::size_t>(index)];
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

bool is_empty_line(std::string_view line)
{
    return std::all_of(line.begin(), line.end(), is_blank);
}

/// What a double-quoted escape (the letter after the backslash) stands for; the hex
/// forms are handled by the caller.
std::string_view simple_escape(char letter)
{
    switch (letter) {
    case '0':
        return std::string_view("\0", 1);
    case 'a':
        return "\a";
    case 'b':
        return "\b";
    case 't':
    case '\t':
        return "\t";
    case 'n':
        return "\n";
    case 'v':
        return "\v";
    case 'f':
        return "\f";
    case 'r':
        return "\r";
    case 'e':
        return "\x1b";
    case ' ':
        return " ";
    case '"':
        return "\"";
    case '/':
        return "/";
    case '\\':
        return "\\";
    case 'N':
        return "\xC2\x85";
    case '_':
        return "\xC2\xA0";
    case 'L':
        return "\xE2\x80\xA8";
    case 'P':
        return "\xE2\x80\xA9";
    default:
        return {};
    }
}

/// Reads a flow scalar (plain, single- or double-quoted) from its first character on.
/// Line breaks fold as YAML folds them: trailing and leading blanks go, one break
/// becomes a space, each further empty line a '\n'.
class FlowScanner
{
public:
    FlowScanner(const std::vector<std::string>& lines, int line, int byte, char quote)
        : m_lines(lines), m_line(line), m_byte(byte), m_quote(quote)
    {
        const std::string_view text = line_at(lines, line);
        m_indent = leading_blanks(text);
        m_in_flow = opens_flow(text.substr(0, static_cast<std::size_t>(byte)));
        // A plain scalar on a line of its own, below its key, goes on over the lines
        // deeper than that key, which may be no deeper than its own first line.
        if (quote == 0 && is_empty_line(text.substr(0, static_cast<std::size_t>(byte)))) {
            m_indent = key_indent_above(lines, line);
        }
    }

    ScannedScalar run()
    {
        if (m_quote != 0) {
            ++m_byte;
        }
        while (true) {
            const std::string_view line = line_at(m_lines, m_line);
            if (static_cast<std::size_t>(m_byte) >= line.size()) {
                if (!fold_line_break()) {
                    break;
                }
                continue;
            }
            const char c = line[static_cast<std::size_t>(m_byte)];
            if (ends_scalar(line, c)) {
                break;
            }
            if (m_quote == '\'' && c == '\'') {
                flush_blanks();
                m_out.put('\'', here());
                m_byte += 2;
            } else if (m_quote == '"' && c == '\\') {
                read_escape(line);
            } else if (is_blank(c)) {
                m_blanks.push_back(here());
                ++m_byte;
            } else {
                flush_blanks();
                m_out.put(c, here());
                ++m_byte;
            }
        }
        return std::move(m_out);
    }

private:
    // Whether the text before the scalar leaves a '{' or '[' open, outside quotes: then
    // ',', ']' and '}' end a plain scalar, which in block context they do not.
    static bool opens_flow(std::string_view before)
    {
        int depth = 0;
        char quote = 0;
        for (const char c : before) {
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && depth > 0) {
                --depth;
            }
        }
        return depth > 0;
    }

    static int leading_blanks(std::string_view line)
    {
        const auto first = line.find_first_not_of(" \t");
        return static_cast<int>(first == std::string_view::npos ? line.size() : first);
    }

    /// The column of the key on the nearest line above `line` that holds one (past any
    /// '- ' list markers); -1 when there is none.
    static int key_indent_above(const std::vector<std::string>& lines, int line)
    {
        for (int above = line - 1; above >= 0; --above) {
            const std::string_view text = line_at(lines, above);
            std::size_t at = text.find_first_not_of(" \t");
            if (at == std::string_view::npos || text[at] == '#') {
                continue;
            }
            while (text.compare(at, 2, "- ") == 0) {
                at = text.find_first_not_of(' ', at + 1);
            }
            return static_cast<int>(at);
        }
        return -1;
    }

    Origin here() const { return {m_line, m_byte}; }

    bool ends_scalar(std::string_view line, char c) const
    {
        const auto at = static_cast<std::size_t>(m_byte);
        if (m_quote == '"') {
            return c == '"';
        }
        if (m_quote == '\'') {
            return c == '\'' && (at + 1 >= line.size() || line[at + 1] != '\'');
        }
        const bool before_blank = at + 1 >= line.size() || is_blank(line[at + 1]);
        const bool after_blank = at == 0 || is_blank(line[at - 1]);
        return (c == ':' && before_blank) || (c == '#' && after_blank)
               || (m_in_flow && (c == ',' || c == ']' || c == '}'));
    }

    void flush_blanks()
    {
        for (const Origin at : m_blanks) {
            const std::string_view line = line_at(m_lines, at.line);
            m_out.put(line[static_cast<std::size_t>(at.byte)], at);
        }
        m_blanks.clear();
    }

    void read_escape(std::string_view line)
    {
        flush_blanks();
        const Origin at = here();
        const auto next = static_cast<std::size_t>(m_byte) + 1;
        if (next >= line.size()) {
            // An escaped line break joins the lines without a space.
            ++m_line;
            m_byte = leading_blanks(line_at(m_lines, m_line));
            return;
        }
        const char letter = line[next];
        const int digits = letter == 'x' ? 2 : letter == 'u' ? 4 : letter == 'U' ? 8 : 0;
        if (digits > 0) {
            const std::string hex(line.substr(next + 1, static_cast<std::size_t>(digits)));
            std::string bytes;
            append_utf8(bytes, static_cast<char32_t>(std::strtoul(hex.c_str(), nullptr, 16)));
            m_out.put(bytes, at);
            m_byte += 2 + digits;
            return;
        }
        m_out.put(simple_escape(letter), at);
        m_byte += 2;
    }

    /// Moves past a line break; false when the scalar ends with the line.
    bool fold_line_break()
    {
        const Origin end_of_line = here();
        m_blanks.clear();
        int empty_lines = 0;
        for (++m_line; static_cast<std::size_t>(m_line) < m_lines.size(); ++m_line) {
            const std::string_view line = line_at(m_lines, m_line);
            if (!is_empty_line(line)) {
                break;
            }
            ++empty_lines;
        }
        const std::string_view line = line_at(m_lines, m_line);
        if (line.empty() || (m_quote == 0 && !continues_plain(line))) {
            return false;
        }
        if (empty_lines == 0) {
            m_out.put(' ', end_of_line);
        }
        for (int i = 0; i < empty_lines; ++i) {
            m_out.put('\n', end_of_line);
        }
        m_byte = leading_blanks(line);
        return true;
    }

    // A plain scalar goes on over lines indented deeper than its key that hold no
    // key, comment or list item of their own.
    bool continues_plain(std::string_view line) const
    {
        const int indent = leading_blanks(line);
        const std::string_view rest = line.substr(static_cast<std::size_t>(indent));
        return indent > m_indent && rest.find(": ") == std::string_view::npos && rest.front() != '#'
               && rest.rfind("- ", 0) != 0;
    }

    const std::vector<std::string>& m_lines;
    int m_line;
    int m_byte;
    char m_quote;
    int m_indent = 0;
    bool m_in_flow = false;
    std::vector<Origin> m_blanks;
    ScannedScalar m_out;
};

/// The indentation of the node that holds a block scalar whose indicator sits at
/// `indicator` on `line`: the column of its key, past any '- ' list markers, or the
/// column of the list marker for a scalar that is a list item itself.
int parent_indent(std::string_view line, std::size_t indicator)
{
    std::size_t at = line.find_first_not_of(' ');
    std::size_t dash = std::string_view::npos;
    while (at < indicator && line.compare(at, 2, "- ") == 0) {
        dash = at;
        at = line.find_first_not_of(' ', at + 1);
    }
    if (at >= indicator) {
        return dash == std::string_view::npos ? 0 : static_cast<int>(dash);
    }
    return static_cast<int>(at);
}

/// Reads a literal ('|') or folded ('>') block scalar from its indicator on; the text
/// ends with a single '\n', as clip chomping keeps, which the positions do not need
/// beyond.
ScannedScalar scan_block(const std::vector<std::string>& lines, int line, int byte)
{
    const std::string_view header = line_at(lines, line);
    const bool folded = header[static_cast<std::size_t>(byte)] == '>';
    int indent = -1;
    for (auto at = static_cast<std::size_t>(byte) + 1; at < header.size() && !is_blank(header[at]);
         ++at) {
        if (header[at] >= '1' && header[at] <= '9') {
            indent = parent_indent(header, static_cast<std::size_t>(byte)) + (header[at] - '0');
        }
    }
    if (indent < 0) {
        for (auto i = static_cast<std::size_t>(line) + 1; i < lines.size(); ++i) {
            const std::string_view next = line_at(lines, static_cast<int>(i));
            if (!is_empty_line(next)) {
                indent = static_cast<int>(next.find_first_not_of(' '));
                break;
            }
        }
    }

    ScannedScalar out;
    bool previous_folds = false; // the last content line was neither empty nor more indented
    int pending_breaks = 0;
    Origin last_break{line, static_cast<int>(header.size())};
    for (int i = line + 1; static_cast<std::size_t>(i) < lines.size(); ++i) {
        const std::string_view text = line_at(lines, i);
        const Origin end_of_line{i, static_cast<int>(text.size())};
        if (is_empty_line(text) && static_cast<int>(text.size()) <= std::max(indent, 0)) {
            ++pending_breaks;
            last_break = end_of_line;
            continue;
        }
        const auto first = text.find_first_not_of(' ');
        if (indent < 0 || (first != std::string_view::npos && static_cast<int>(first) < indent)) {
            break;
        }
        const std::string_view content = text.substr(static_cast<std::size_t>(indent));
        const bool folds = folded && !content.empty() && !is_blank(content.front());
        if (!out.text.empty()) {
            if (previous_folds && folds) {
                // One break folds to a space; with empty lines after it, it goes.
                if (pending_breaks == 0) {
                    out.put(' ', last_break);
                }
            } else {
                out.put('\n', last_break);
            }
        }
        for (int b = 0; b < pending_breaks; ++b) {
            out.put('\n', last_break);
        }
        pending_breaks = 0;
        for (std::size_t c = 0; c < content.size(); ++c) {
            out.put(content[c], {i, indent + static_cast<int>(c)});
        }
        previous_folds = folds;
        last_break = end_of_line;
    }
    out.put('\n', last_break);
    return out;
}

ScannedScalar scan_scalar(const std::vector<std::string>& lines, int line, int byte)
{
    const std::string_view text = line_at(lines, line);
    const char first =
        static_cast<std::size_t>(byte) < text.size() ? text[static_cast<std::size_t>(byte)] : ' ';
    if (first == '|' || first == '>') {
        return scan_block(lines, line, byte);
    }
    const char quote = first == '"' || first == '\'' ? first : 0;
    return FlowScanner(lines, line, byte, quote).run();
}

/// The byte offset in `text` of a 1-based line and code-point column, or npos past
/// its end.
std::size_t offset_of(std::string_view text, int line, int column)
{
    std::size_t offset = 0;
    for (int l = 1; l < line; ++l) {
        offset = text.find('\n', offset);
        if (offset == std::string_view::npos) {
            return offset;
        }
        ++offset;
    }
    for (int c = 1; c < column && offset < text.size() && text[offset] != '\n'; ++c) {
        offset += decode_utf8(text, offset).length;
    }
    return offset < text.size() ? offset : std::string_view::npos;
}

} // namespace

std::pair<int, int> scalar_text_position(
    const std::vector<std::string>& lines, int mark_line, int mark_column, int line, int column)
{
    const ScannedScalar scanned = scan_scalar(lines, mark_line, mark_column);
    const std::size_t offset = offset_of(scanned.text, line, column);
    if (offset == std::string_view::npos || scanned.origins.empty()) {
        return {mark_line + 1, mark_column + 1};
    }
    const Origin at = scanned.origins[offset];
    const std::string_view file_line = line_at(lines, at.line);
    const auto before = file_line.substr(0, static_cast<std::size_t>(at.byte));
    return {at.line + 1, static_cast<int>(count_code_points(before)) + 1};
}

} // namespace aiops::core
