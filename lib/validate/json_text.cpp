#include "validate/json_text.hpp"

#include <algorithm>
#include <set>
#include <vector>

namespace aiops::validate {

namespace {

bool is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The offset after white space and comments from `at` on.
std::size_t skip_space(std::string_view text, std::size_t at)
{
    while (at < text.size()) {
        if (is_json_space(text[at])) {
            ++at;
        } else if (text.substr(at).starts_with("//")) {
            at = std::min(text.find('\n', at), text.size());
        } else if (text.substr(at).starts_with("/*")) {
            const std::size_t close = text.find("*/", at + 2);
            at = close == std::string_view::npos ? text.size() : close + 2;
        } else {
            break;
        }
    }
    return at;
}

// The offset just after the string that starts at `at` (a '"'), and its value with
// the simple escapes decoded (\uXXXX is kept as written: keys are compared, not shown).
std::size_t read_string(std::string_view text, std::size_t at, std::string& value)
{
    value.clear();
    std::size_t i = at + 1;
    while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < text.size()) {
            const char escaped = text[i + 1];
            const std::string_view plain = "\"\\/bfnrt";
            const std::string_view meant = "\"\\/\b\f\n\r\t";
            const std::size_t k = plain.find(escaped);
            if (k != std::string_view::npos) {
                value += meant[k];
            } else {
                value += text.substr(i, 2);
            }
            i += 2;
            continue;
        }
        value += text[i++];
    }
    return std::min(i + 1, text.size());
}

std::string_view file_name(std::string_view path)
{
    const std::size_t slash = path.find_last_of("/\\");
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool has_folder(std::string_view path, std::string_view folder)
{
    const std::size_t slash = path.find_last_of("/\\");
    if (slash == std::string_view::npos) {
        return false;
    }
    const std::string_view parent = path.substr(0, slash);
    return parent == folder || parent.ends_with("/" + std::string(folder))
           || parent.ends_with("\\" + std::string(folder));
}

} // namespace

bool is_jsonc_file(std::string_view path)
{
    const std::string_view name = file_name(path);
    if (name.ends_with(".jsonc")) {
        return true;
    }
    if (!name.ends_with(".json")) {
        return false;
    }
    return name.starts_with("tsconfig") || name.starts_with("jsconfig")
           || has_folder(path, ".vscode") || has_folder(path, ".devcontainer");
}

std::string blank_trailing_commas(std::string_view text)
{
    std::string out(text);
    std::string ignored;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t next = skip_space(text, i);
        if (next != i) {
            i = next;
            continue;
        }
        if (text[i] == '"') {
            i = read_string(text, i, ignored);
            continue;
        }
        if (text[i] == ',') {
            const std::size_t after = skip_space(text, i + 1);
            if (after < text.size() && (text[after] == '}' || text[after] == ']')) {
                out[i] = ' ';
            }
        }
        ++i;
    }
    return out;
}

JsonError describe_json_error(const nlohmann::json::parse_error& error, std::string_view text)
{
    // "[json.exception.parse_error.101] parse error at line 1, column 4: syntax error
    // while parsing value - invalid literal; last read: '1e'"
    std::string reason = error.what();
    if (const std::size_t colon = reason.find(": ", reason.find("column"));
        colon != std::string::npos) {
        reason = reason.substr(colon + 2);
    }
    const std::size_t at = error.byte == 0 ? 0 : std::min<std::size_t>(error.byte - 1, text.size());
    return {at, reason};
}

nlohmann::json parse_json_text(std::string_view text, bool jsonc)
{
    if (jsonc) {
        const std::string strict = blank_trailing_commas(text);
        return nlohmann::json::parse(strict.begin(),
                                     strict.end(),
                                     nullptr,
                                     /*allow_exceptions=*/true,
                                     /*ignore_comments=*/true);
    }
    return nlohmann::json::parse(text.begin(),
                                 text.end(),
                                 nullptr,
                                 /*allow_exceptions=*/true,
                                 /*ignore_comments=*/true);
}

JsonPlaces::JsonPlaces(std::string_view text)
{
    scan(blank_trailing_commas(text));
}

std::string JsonPlaces::child(const std::string& parent, std::string_view key)
{
    std::string pointer = parent + "/";
    for (const char c : key) {
        if (c == '~') {
            pointer += "~0";
        } else if (c == '/') {
            pointer += "~1";
        } else {
            pointer += c;
        }
    }
    return pointer;
}

std::size_t JsonPlaces::find(const std::map<std::string, std::size_t, std::less<>>& places,
                             std::string pointer) const
{
    while (true) {
        if (const auto found = places.find(pointer); found != places.end()) {
            return found->second;
        }
        if (const auto value = m_values.find(pointer); value != m_values.end()) {
            return value->second;
        }
        const std::size_t slash = pointer.rfind('/');
        if (slash == std::string::npos) {
            return 0;
        }
        pointer.resize(slash);
    }
}

std::size_t JsonPlaces::value(const std::string& pointer) const
{
    return find(m_values, pointer);
}

std::size_t JsonPlaces::key(const std::string& pointer) const
{
    return find(m_keys, pointer);
}

// One pass over the text with a stack of the open objects and arrays (no recursion, so
// deep documents cannot exhaust the stack).
void JsonPlaces::scan(std::string_view text)
{
    struct Open
    {
        bool object = false;
        std::string pointer;
        std::size_t items = 0;
        std::set<std::string, std::less<>> keys;
    };

    std::vector<Open> open;
    std::string pointer; ///< the member whose value comes next
    std::string key;
    std::size_t i = skip_space(text, 0);
    bool want_value = true;
    while (i < text.size()) {
        if (want_value) {
            m_values.emplace(pointer, i);
            const char c = text[i];
            if (c == '{' || c == '[') {
                open.push_back({c == '{', pointer, 0, {}});
                i = skip_space(text, i + 1);
                if (i < text.size() && (text[i] == '}' || text[i] == ']')) {
                    open.pop_back();
                    i = skip_space(text, i + 1);
                    want_value = false;
                    continue;
                }
            } else if (c == '"') {
                i = skip_space(text, read_string(text, i, key));
                want_value = false;
                continue;
            } else {
                while (i < text.size()
                       && std::string_view(",]} \t\r\n/").find(text[i]) == std::string_view::npos) {
                    ++i;
                }
                i = skip_space(text, i);
                want_value = false;
                continue;
            }
        } else if (open.empty()) {
            return;
        } else if (text[i] == ',') {
            ++open.back().items;
            i = skip_space(text, i + 1);
        } else if (text[i] == '}' || text[i] == ']') {
            open.pop_back();
            i = skip_space(text, i + 1);
            continue;
        } else {
            return; // not JSON: the caller parsed it first, so this does not happen
        }
        // The next member of the innermost open object or array.
        Open& parent = open.back();
        if (!parent.object) {
            pointer = parent.pointer + "/" + std::to_string(parent.items);
            want_value = true;
            continue;
        }
        if (i >= text.size() || text[i] != '"') {
            return;
        }
        const std::size_t key_at = i;
        i = skip_space(text, read_string(text, i, key));
        pointer = child(parent.pointer, key);
        if (!parent.keys.insert(key).second) {
            if (!m_duplicate) {
                m_duplicate = Duplicate{pointer, m_keys[pointer], key_at};
            }
        } else {
            m_keys.emplace(pointer, key_at);
        }
        if (i < text.size() && text[i] == ':') {
            i = skip_space(text, i + 1);
        }
        want_value = true;
    }
}

} // namespace aiops::validate
