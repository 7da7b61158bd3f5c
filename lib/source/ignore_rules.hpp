#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aiops::source {

/// Patterns in gitignore syntax (blank lines and '#' comments, '!' to re-include, a
/// trailing '/' for folders only, a '/' at the start or in the middle to anchor the
/// pattern to its base folder, '*', '?', '[...]' and '**'), the last match winning.
class IgnoreRules
{
public:
    /// Adds the lines of an ignore file that sits in `base` (relative to the root,
    /// "" for the root itself); its patterns apply only below `base`.
    void add_file(std::string_view base, std::string_view content);

    /// Adds one pattern relative to the root.
    void add_pattern(std::string_view pattern);

    /// Whether a path relative to the root ('/'-separated) is ignored, by a pattern on
    /// itself or on one of its parent folders (as in git, nothing below an ignored
    /// folder can be re-included).
    bool is_ignored(std::string_view path, bool is_folder) const;

    /// The verdict of the last pattern that matches the path itself (its folders are
    /// not looked at): +1 ignored, -1 re-included by a '!' pattern, 0 no pattern matched.
    int match(std::string_view path, bool is_folder) const;

    bool empty() const { return m_patterns.empty(); }

private:
    struct Pattern
    {
        std::string base; ///< "" or "folder/" it applies below
        std::string glob;
        bool negated = false;
        bool folder_only = false;
        bool anchored = false; ///< matched against the whole relative path, not the name
    };

    void add_line(std::string_view base, std::string_view line);

    std::vector<Pattern> m_patterns;
};

/// Matches a gitignore-style glob against a '/'-separated path: '*' and '?' do not
/// cross '/', '**' as a whole segment matches any number of folders.
bool glob_match(std::string_view glob, std::string_view path);

} // namespace aiops::source
