#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::core {

/// A line (1-based) and a column (1-based, in code points).
struct TextPosition
{
    int line = 1;
    int column = 1;
};

/// Maps byte offsets of a text to lines and code-point columns. Lines end at LF; a CR
/// before the LF belongs to the line's end, not its content.
class LineIndex
{
public:
    explicit LineIndex(std::string_view text);

    /// The position of a byte offset (clamped to the end of the text).
    TextPosition position(std::size_t offset) const;

    /// The position for a tree-sitter style point: a 0-based row and a byte column.
    TextPosition position(std::size_t row, std::size_t byte_column) const;

    /// The text of a 1-based line, without its line ending.
    std::string_view line_text(int line) const;

    /// The text of lines first..last (1-based), at most max_lines of them, joined by
    /// '\n', with invalid UTF-8 replaced: what a finding shows of its source.
    std::string snippet(int first, int last, int max_lines = 5) const;

    int line_count() const { return static_cast<int>(m_starts.size()); }

private:
    std::string_view m_text;
    std::vector<std::size_t> m_starts;
};

} // namespace aiops::core
