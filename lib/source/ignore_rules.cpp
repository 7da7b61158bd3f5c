#include "source/ignore_rules.hpp"

#include "core/strings.hpp"

namespace aiops::source {

namespace {

// Matches a bracket expression at glob[g] against c; advances g past it. Returns
// false on no match; sets `malformed` when there is no closing ']'.
bool match_class(std::string_view glob, std::size_t& g, char c, bool& malformed)
{
    std::size_t i = g + 1;
    bool negate = false;
    if (i < glob.size() && (glob[i] == '!' || glob[i] == '^')) {
        negate = true;
        ++i;
    }
    bool matched = false;
    bool first = true;
    while (i < glob.size() && (glob[i] != ']' || first)) {
        first = false;
        char low = glob[i];
        if (low == '\\' && i + 1 < glob.size()) {
            low = glob[++i];
        }
        char high = low;
        if (i + 2 < glob.size() && glob[i + 1] == '-' && glob[i + 2] != ']') {
            high = glob[i + 2];
            if (high == '\\' && i + 3 < glob.size()) {
                high = glob[i + 3];
                ++i;
            }
            i += 2;
        }
        if (c >= low && c <= high) {
            matched = true;
        }
        ++i;
    }
    if (i >= glob.size()) {
        malformed = true;
        return false;
    }
    g = i + 1;
    return matched != negate;
}

bool match_from(std::string_view glob, std::size_t g, std::string_view path, std::size_t p)
{
    while (g < glob.size()) {
        const char gc = glob[g];
        if (gc == '*') {
            const bool double_star = g + 1 < glob.size() && glob[g + 1] == '*';
            if (double_star) {
                const bool segment_start = g == 0 || glob[g - 1] == '/';
                std::size_t after = g + 2;
                const bool segment_end = after == glob.size() || glob[after] == '/';
                if (segment_start && segment_end) {
                    if (after == glob.size()) {
                        return true; // "**" at the end: everything below
                    }
                    // "**/": zero or more whole folders.
                    ++after;
                    for (std::size_t q = p; q <= path.size(); ++q) {
                        if ((q == p || path[q - 1] == '/') && match_from(glob, after, path, q)) {
                            return true;
                        }
                    }
                    return false;
                }
            }
            // A plain '*' (or a '**' inside a segment) stays within one segment.
            std::size_t next = g + 1;
            while (next < glob.size() && glob[next] == '*') {
                ++next;
            }
            for (std::size_t q = p; q <= path.size(); ++q) {
                if (match_from(glob, next, path, q)) {
                    return true;
                }
                if (q < path.size() && path[q] == '/') {
                    return false;
                }
            }
            return false;
        }
        if (p >= path.size()) {
            return false;
        }
        if (gc == '?') {
            if (path[p] == '/') {
                return false;
            }
            ++g;
            ++p;
            continue;
        }
        if (gc == '[') {
            bool malformed = false;
            std::size_t next = g;
            if (path[p] != '/' && match_class(glob, next, path[p], malformed)) {
                g = next;
                ++p;
                continue;
            }
            if (!malformed) {
                return false;
            }
            // An unclosed '[' is a literal character.
        }
        char literal = gc;
        if (gc == '\\' && g + 1 < glob.size()) {
            literal = glob[++g];
        }
        if (path[p] != literal) {
            return false;
        }
        ++g;
        ++p;
    }
    return p == path.size();
}

} // namespace

bool glob_match(std::string_view glob, std::string_view path)
{
    return match_from(glob, 0, path, 0);
}

void IgnoreRules::add_file(std::string_view base, std::string_view content)
{
    for (const auto& line : core::split(content, '\n')) {
        add_line(base, line);
    }
}

void IgnoreRules::add_pattern(std::string_view pattern)
{
    add_line("", pattern);
}

void IgnoreRules::add_line(std::string_view base, std::string_view line)
{
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    // Trailing spaces are dropped unless the last one is escaped.
    while (!line.empty() && line.back() == ' '
           && !(line.size() >= 2 && line[line.size() - 2] == '\\')) {
        line.remove_suffix(1);
    }
    if (line.empty() || line.front() == '#') {
        return;
    }
    Pattern pattern;
    if (line.front() == '!') {
        pattern.negated = true;
        line.remove_prefix(1);
    } else if (line.starts_with("\\!") || line.starts_with("\\#")) {
        line.remove_prefix(1);
    }
    if (!line.empty() && line.back() == '/') {
        pattern.folder_only = true;
        line.remove_suffix(1);
    }
    if (line.empty()) {
        return;
    }
    pattern.anchored = line.find('/') != std::string_view::npos;
    if (line.front() == '/') {
        line.remove_prefix(1);
    }
    pattern.glob = line;
    if (!base.empty()) {
        pattern.base = std::string(base) + "/";
    }
    m_patterns.push_back(std::move(pattern));
}

int IgnoreRules::match(std::string_view path, bool is_folder) const
{
    for (auto it = m_patterns.rbegin(); it != m_patterns.rend(); ++it) {
        const Pattern& pattern = *it;
        if (pattern.folder_only && !is_folder) {
            continue;
        }
        if (!path.starts_with(pattern.base)) {
            continue;
        }
        std::string_view relative = path.substr(pattern.base.size());
        if (!pattern.anchored) {
            const std::size_t slash = relative.rfind('/');
            if (slash != std::string_view::npos) {
                relative.remove_prefix(slash + 1);
            }
        }
        if (glob_match(pattern.glob, relative)) {
            return pattern.negated ? -1 : 1;
        }
    }
    return 0;
}

bool IgnoreRules::is_ignored(std::string_view path, bool is_folder) const
{
    if (m_patterns.empty()) {
        return false;
    }
    for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
         slash = path.find('/', slash + 1)) {
        if (match(path.substr(0, slash), /*is_folder=*/true) > 0) {
            return true;
        }
    }
    return match(path, is_folder) > 0;
}

} // namespace aiops::source
