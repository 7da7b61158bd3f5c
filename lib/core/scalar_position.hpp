#pragma once

#include <string>
#include <utility>
#include <vector>

namespace aiops::core {

/// Where a place inside a YAML scalar's text is in the file. `lines` are the file's
/// lines; `mark_line` and `mark_column` are the parser's 0-based mark of the scalar;
/// `line` and `column` (1-based) are counted inside the scalar's text. A block scalar
/// ('|' or '>') starts on the line after its indicator, indented; a plain or quoted
/// one on the key's line. Returns the 1-based line and column in the file.
std::pair<int, int> scalar_text_position(
    const std::vector<std::string>& lines, int mark_line, int mark_column, int line, int column);

} // namespace aiops::core
