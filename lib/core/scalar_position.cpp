#include "core/scalar_position.hpp"

#include "core/strings.hpp"

namespace aiops::core {

std::pair<int, int> scalar_text_position(
    const std::vector<std::string>& lines, int mark_line, int mark_column, int line, int column)
{
    const auto line_index = static_cast<std::size_t>(mark_line);
    const std::string& text = line_index < lines.size() ? lines[line_index] : std::string();
    const auto mark = static_cast<std::size_t>(mark_column);
    const char indicator = mark < text.size() ? text[mark] : ' ';
    if (indicator == '|' || indicator == '>') {
        int indent = 0;
        for (std::size_t i = line_index + 1; i < lines.size(); ++i) {
            const std::string& next = lines[i];
            if (trim(next).empty()) {
                continue;
            }
            indent = static_cast<int>(next.find_first_not_of(' '));
            break;
        }
        return {mark_line + 1 + line, indent + column};
    }
    const int quote = indicator == '"' || indicator == '\'' ? 1 : 0;
    return {mark_line + line, line == 1 ? mark_column + quote + column : column};
}

} // namespace aiops::core
