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

/// Source lines as a finding shows them: each cut to a window of code points, and how
/// many code points of the first line the window leaves out before it.
struct Excerpt
{
    std::string text;
    int cut_before = 0;
};

/// Maps byte offsets of a text to lines and code-point columns. Lines end at LF; a CR
/// before the LF belongs to the line's end, not its content. A long line (minified
/// code, data on one line) keeps the column of a byte every few KiB, so a position on
/// it costs as much as on a short one, however many findings it holds.
class LineIndex
{
public:
    explicit LineIndex(std::string_view text);

    /// The position of a byte offset (clamped to the end of the text).
    TextPosition position(std::size_t offset) const;

    /// The position for a tree-sitter style point: a 0-based row and a byte column.
    TextPosition position(std::size_t row, std::size_t byte_column) const;

    /// The byte offset of a 1-based line and column, clamped to the line's end.
    std::size_t offset_of(int line, int column) const;

    /// The text of a 1-based line, without its line ending.
    std::string_view line_text(int line) const;

    /// The text of lines first..last (1-based), at most max_lines of them, joined by
    /// '\n', with invalid UTF-8 replaced: what a finding shows of its source.
    std::string snippet(int first, int last, int max_lines = 5) const;

    /// The same lines with each cut to at most `width` code points: the first line's
    /// window holds `column` and starts up to two fifths of the width before it. The
    /// cost depends on the width, not on the length of the lines.
    Excerpt excerpt(int first, int last, int column, int width, int max_lines = 5) const;

    int line_count() const { return static_cast<int>(m_starts.size()); }

private:
    /// The column (0-based, in code points) of a byte on a long line.
    struct Checkpoint
    {
        std::size_t offset;
        std::size_t column;
    };

    void add_checkpoints(std::size_t start, std::size_t end);
    std::size_t line_end(std::size_t row) const;
    const Checkpoint* checkpoint_before(std::size_t row, std::size_t offset) const;
    std::size_t columns_to(std::size_t row, std::size_t offset) const;

    std::string_view m_text;
    std::vector<std::size_t> m_starts;
    std::vector<Checkpoint> m_checkpoints; ///< of all long lines, in text order
};

} // namespace aiops::core
