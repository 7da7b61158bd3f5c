#pragma once

#include <string>
#include <utility>
#include <vector>

namespace aiops::core {

/// Where a place inside a YAML scalar's text is in the file. `lines` are the file's
/// lines; `mark_line` and `mark_column` are the parser's 0-based mark of the scalar;
/// `line` and `column` (1-based, in code points) are counted inside the scalar's text
/// as the parser reads it. The scalar is read again from the file, so escapes in
/// double-quoted scalars, '' in single-quoted ones, folded line breaks and block
/// scalars ('|' or '>', with indentation indicators and chomping) all map back to the
/// characters they come from; an escape maps to its backslash. Returns the 1-based
/// line and column (in code points) in the file, or the scalar's start for a place past
/// its text.
std::pair<int, int> scalar_text_position(
    const std::vector<std::string>& lines, int mark_line, int mark_column, int line, int column);

} // namespace aiops::core
