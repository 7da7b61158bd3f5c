#include "core/line_index.hpp"

#include "core/utf8.hpp"

#include <algorithm>

namespace aiops::core {

LineIndex::LineIndex(std::string_view text) : m_text(text)
{
    m_starts.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            m_starts.push_back(i + 1);
        }
    }
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
    const std::size_t columns = count_code_points(m_text.substr(start, length));
    return {static_cast<int>(row) + 1, static_cast<int>(columns) + 1};
}

std::string_view LineIndex::line_text(int line) const
{
    if (line < 1 || line > line_count()) {
        return {};
    }
    const std::size_t start = m_starts[static_cast<std::size_t>(line - 1)];
    std::size_t end = static_cast<std::size_t>(line) < m_starts.size()
                          ? m_starts[static_cast<std::size_t>(line)] - 1
                          : m_text.size();
    if (end > start && m_text[end - 1] == '\r') {
        --end;
    }
    return m_text.substr(start, end - start);
}

} // namespace aiops::core

namespace aiops::core {

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

} // namespace aiops::core
