#include "behave/json_path.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace aiops::behave {

namespace {

core::Error path_error(std::string_view text, std::size_t at, std::string_view what)
{
    return core::Error(core::ErrorCode::input,
                       fmt::format("JSONPath '{}', column {}: {}", text, at + 1, what));
}

bool is_name_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'
           || static_cast<unsigned char>(c) >= 0x80;
}

void collect_descendants(const nlohmann::json& value, std::vector<const nlohmann::json*>& out)
{
    out.push_back(&value);
    if (value.is_object() || value.is_array()) {
        for (const auto& child : value) {
            collect_descendants(child, out);
        }
    }
}

} // namespace

core::Result<JsonPath> JsonPath::compile(std::string_view text)
{
    JsonPath path;
    path.m_text = std::string(text);
    if (text.empty() || text[0] != '$') {
        return path_error(text, 0, "a path starts with '$'");
    }
    std::size_t at = 1;
    while (at < text.size()) {
        Step step;
        if (text[at] == '.') {
            ++at;
            if (at < text.size() && text[at] == '.') {
                step.descendant = true;
                ++at;
            }
            if (at < text.size() && text[at] == '*') {
                step.kind = Step::Kind::wildcard;
                ++at;
            } else if (at < text.size() && text[at] == '[' && step.descendant) {
                // "..[0]" and "..['k']": the bracket below reads the selector.
            } else {
                const std::size_t start = at;
                while (at < text.size() && is_name_char(text[at])) {
                    ++at;
                }
                if (at == start) {
                    return path_error(text, at, "expected a member name after '.'");
                }
                step.name = std::string(text.substr(start, at - start));
                path.m_steps.push_back(step);
                continue;
            }
            if (step.kind == Step::Kind::wildcard) {
                path.m_steps.push_back(step);
                continue;
            }
        }
        if (at >= text.size() || text[at] != '[') {
            return path_error(text, at, "expected '.' or '['");
        }
        ++at;
        if (at < text.size() && (text[at] == '\'' || text[at] == '"')) {
            const char quote = text[at++];
            std::string name;
            while (at < text.size() && text[at] != quote) {
                if (text[at] == '\\' && at + 1 < text.size()) {
                    ++at;
                }
                name += text[at++];
            }
            if (at >= text.size()) {
                return path_error(text, at, "unterminated quoted name");
            }
            ++at;
            step.kind = Step::Kind::member;
            step.name = std::move(name);
        } else if (at < text.size() && text[at] == '*') {
            ++at;
            step.kind = Step::Kind::wildcard;
        } else {
            const std::size_t start = at;
            if (at < text.size() && text[at] == '-') {
                ++at;
            }
            while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) != 0) {
                ++at;
            }
            long long index = 0;
            const auto [end, error] = std::from_chars(text.data() + start, text.data() + at, index);
            if (error != std::errc() || end != text.data() + at) {
                return path_error(text, start, "expected an index, '*' or a quoted name in '[]'");
            }
            step.kind = Step::Kind::index;
            step.index = index;
        }
        if (at >= text.size() || text[at] != ']') {
            return path_error(text, at, "expected ']'");
        }
        ++at;
        path.m_steps.push_back(step);
    }
    return path;
}

std::vector<const nlohmann::json*> JsonPath::select(const nlohmann::json& document) const
{
    std::vector<const nlohmann::json*> current{&document};
    for (const Step& step : m_steps) {
        std::vector<const nlohmann::json*> scope;
        if (step.descendant) {
            for (const auto* value : current) {
                collect_descendants(*value, scope);
            }
        } else {
            scope = current;
        }
        std::vector<const nlohmann::json*> next;
        for (const auto* value : scope) {
            switch (step.kind) {
            case Step::Kind::member:
                if (value->is_object()) {
                    if (auto found = value->find(step.name); found != value->end()) {
                        next.push_back(&*found);
                    }
                }
                break;
            case Step::Kind::index:
                if (value->is_array()) {
                    const auto size = static_cast<long long>(value->size());
                    const long long index = step.index < 0 ? size + step.index : step.index;
                    if (index >= 0 && index < size) {
                        next.push_back(&(*value)[static_cast<std::size_t>(index)]);
                    }
                }
                break;
            case Step::Kind::wildcard:
                if (value->is_object() || value->is_array()) {
                    for (const auto& child : *value) {
                        next.push_back(&child);
                    }
                }
                break;
            }
        }
        current = std::move(next);
    }
    return current;
}

} // namespace aiops::behave
