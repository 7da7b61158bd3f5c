#include "core/line_index.hpp"

#include "core/utf8.hpp"

#include <algorithm>

namespace aiops::core {

namespace {

/// Bytes between the checkpoints of a long line; a shorter line has none.
constexpr std::size_t k_checkpoint_step = 256;

// The byte offset after `count` code points from `from`, counted as count_code_points
// counts them, or the end of the text.
std::size_t skip_code_points(std::string_view text, std::size_t from, std::size_t count)
{
    std::size_t offset = from;
    for (std::size_t done = 0; done < count && offset < text.size(); ++done) {
        offset +=
            static_cast<unsigned char>(text[offset]) < 0x80 ? 1 : decode_utf8(text, offset).length;
    }
    return offset;
}

} // namespace

LineIndex::LineIndex(std::string_view text) : m_text(text)
{
    m_starts.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            if (i - m_starts.back() > k_checkpoint_step) {
                add_checkpoints(m_starts.back(), i);
            }
            m_starts.push_back(i + 1);
        }
    }
    if (text.size() - m_starts.back() > k_checkpoint_step) {
        add_checkpoints(m_starts.back(), text.size());
    }
}

void LineIndex::add_checkpoints(std::size_t start, std::size_t end)
{
    std::size_t offset = start;
    std::size_t column = 0;
    std::size_t next = start + k_checkpoint_step;
    while (offset < end) {
        if (offset >= next) {
            m_checkpoints.push_back({offset, column});
            next = offset + k_checkpoint_step;
        }
        offset += static_cast<unsigned char>(m_text[offset]) < 0x80
                      ? 1
                      : decode_utf8(m_text, offset).length;
        ++column;
    }
    // The line's end too, so that its length costs one lookup.
    m_checkpoints.push_back({end, column});
}

std::size_t LineIndex::line_end(std::size_t row) const
{
    return row + 1 < m_starts.size() ? m_starts[row + 1] - 1 : m_text.size();
}

// The last checkpoint of the row at or before the offset, or null.
const LineIndex::Checkpoint* LineIndex::checkpoint_before(std::size_t row, std::size_t offset) const
{
    const auto after = std::upper_bound(
        m_checkpoints.begin(),
        m_checkpoints.end(),
        offset,
        [](std::size_t at, const Checkpoint& checkpoint) { return at < checkpoint.offset; });
    if (after == m_checkpoints.begin()) {
        return nullptr;
    }
    const Checkpoint& before = *(after - 1);
    return before.offset >= m_starts[row] ? &before : nullptr;
}

// The code points from the start of the row to the offset.
std::size_t LineIndex::columns_to(std::size_t row, std::size_t offset) const
{
    std::size_t from = m_starts[row];
    std::size_t columns = 0;
    if (const Checkpoint* checkpoint = checkpoint_before(row, offset)) {
        from = checkpoint->offset;
        columns = checkpoint->column;
    }
    return columns + count_code_points(m_text.substr(from, offset - from));
}

TextPosition LineIndex::position(std::size_t offset) const
{
    offset = std::min(offset, m_text.size());
    const auto next = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
    const auto row = static_cast<std::size_t>(next - m_starts.begin()) - 1;
    return position(row, offset - m_starts[row]);
}

TextPosition LineIndex::position(std::size_t row, std::size_t byte_column) const
{
    row = std::min(row, m_starts.size() - 1);
    const std::size_t start = m_starts[row];
    const std::size_t length = std::min(byte_column, m_text.size() - start);
    return {static_cast<int>(row) + 1, static_cast<int>(columns_to(row, start + length)) + 1};
}

std::size_t LineIndex::offset_of(int line, int column) const
{
    const auto row = static_cast<std::size_t>(std::clamp(line, 1, line_count()) - 1);
    const std::size_t wanted = column > 1 ? static_cast<std::size_t>(column - 1) : 0;
    const std::size_t end = line_end(row);
    const auto by_offset = [](const Checkpoint& checkpoint, std::size_t at) {
        return checkpoint.offset < at;
    };
    // The row's checkpoints, whose columns grow with their offsets: the last one at or
    // before the column is where counting starts.
    const auto first =
        std::lower_bound(m_checkpoints.begin(), m_checkpoints.end(), m_starts[row], by_offset);
    const auto last = std::lower_bound(first, m_checkpoints.end(), end, by_offset);
    const auto after =
        std::upper_bound(first, last, wanted, [](std::size_t c, const Checkpoint& checkpoint) {
            return c < checkpoint.column;
        });
    std::size_t from = m_starts[row];
    std::size_t columns = 0;
    if (after != first) {
        from = (after - 1)->offset;
        columns = (after - 1)->column;
    }
    return std::min(skip_code_points(m_text, from, wanted - columns), end);
}

std::string_view LineIndex::line_text(int line) const
{
    if (line < 1 || line > line_count()) {
        return {};
    }
    const std::size_t start = m_starts[static_cast<std::size_t>(line - 1)];
    std::size_t end = line_end(static_cast<std::size_t>(line - 1));
    if (end > start && m_text[end - 1] == '\r') {
        --end;
    }
    return m_text.substr(start, end - start);
}

std::string LineIndex::snippet(int first, int last, int max_lines) const
{
    last = std::min(last, first + max_lines - 1);
    std::string text;
    for (int line = first; line <= last; ++line) {
        if (line > first) {
            text += '\n';
        }
        text += line_text(line);
    }
    return to_valid_utf8(text);
}

Excerpt LineIndex::excerpt(int first, int last, int column, int width, int max_lines) const
{
    last = std::min(last, first + max_lines - 1);
    Excerpt out;
    std::string text;
    for (int line = first; line <= last; ++line) {
        if (line > first) {
            text += '\n';
        }
        const std::string_view whole = line_text(line);
        if (whole.size() <= static_cast<std::size_t>(width)) {
            text += whole; // a short line: at most width code points
            continue;
        }
        const auto row = static_cast<std::size_t>(line - 1);
        const auto length = static_cast<int>(columns_to(row, m_starts[row] + whole.size()));
        int skip = 0;
        if (line == first && length > width) {
            skip = std::clamp(column - 1 - width * 2 / 5, 0, length - width);
        }
        const std::size_t begin = offset_of(line, skip + 1);
        const std::size_t end =
            std::min(offset_of(line, skip + width + 1), m_starts[row] + whole.size());
        text += m_text.substr(begin, end - begin);
        if (line == first) {
            out.cut_before = skip;
        }
    }
    out.text = to_valid_utf8(text);
    return out;
}

} // namespace aiops::core
