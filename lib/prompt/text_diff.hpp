#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aiops::prompt {

/// One line of an edit script.
struct DiffLine
{
    enum class Kind
    {
        same,
        removed,
        added,
    };
    Kind kind = Kind::same;
    std::string text;
    std::size_t old_line = 0; ///< 1-based in the old text; 0 for added
    std::size_t new_line = 0; ///< 1-based in the new text; 0 for removed
};

/// A shortest edit script from `before` to `after`, line by line (Myers' O(ND)
/// algorithm): every line of both, in order, marked same, removed or added.
std::vector<DiffLine> diff_lines(const std::vector<std::string>& before,
                                 const std::vector<std::string>& after);

/// The lines of a text; a final newline does not make an empty last line.
std::vector<std::string> text_lines(std::string_view text);

/// A unified diff ('---'/'+++' headers and '@@ -a,b +c,d @@' hunks with `context`
/// lines around each change); empty when the texts are equal. When one text ends with
/// a newline and the other does not, the other's last line differs from the same line
/// with one and is followed by '\ No newline at end of WHAT', as diff(1) writes it.
std::string unified_diff(std::string_view before,
                         std::string_view after,
                         std::string_view before_label,
                         std::string_view after_label,
                         std::size_t context = 3,
                         std::string_view what = "file");

} // namespace aiops::prompt
