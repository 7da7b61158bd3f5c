#include "report/json_places.hpp"

#include <set>
#include <vector>

namespace aiops::report {

std::size_t JsonPlaces::skip_space(std::size_t at) const
{
    while (
        at < m_text.size()
        && (m_text[at] == ' ' || m_text[at] == '\t' || m_text[at] == '\n' || m_text[at] == '\r')) {
        ++at;
    }
    return at;
}

// `at` is on the opening quote; returns the offset after the closing one.
std::size_t JsonPlaces::skip_string(std::size_t at) const
{
    for (++at; at < m_text.size(); ++at) {
        if (m_text[at] == '\\') {
            ++at;
        } else if (m_text[at] == '"') {
            return at + 1;
        }
    }
    return at;
}

// Skips one value without recursion, so a deeply nested document cannot exhaust the
// stack; returns the offset after it.
std::size_t JsonPlaces::skip_value(std::size_t at) const
{
    if (at < m_text.size() && m_text[at] == '"') {
        return skip_string(at);
    }
    if (at < m_text.size() && (m_text[at] == '{' || m_text[at] == '[')) {
        int depth = 0;
        while (at < m_text.size()) {
            const char c = m_text[at];
            if (c == '"') {
                at = skip_string(at);
                continue;
            }
            ++at;
            depth += c == '{' || c == '[' ? 1 : c == '}' || c == ']' ? -1 : 0;
            if (depth == 0) {
                return at;
            }
        }
        return at;
    }
    // A number, true, false or null.
    while (at < m_text.size()
           && std::string_view(",}] \t\r\n").find(m_text[at]) == std::string_view::npos) {
        ++at;
    }
    return at;
}

// The key of the string token [at, end), with its escapes decoded.
std::string JsonPlaces::key_at(std::size_t at, std::size_t end) const
{
    const std::string_view token = m_text.substr(at, end - at);
    if (token.find('\\') == std::string_view::npos) {
        return std::string(token.substr(1, token.size() - 2));
    }
    return nlohmann::json::parse(token).get<std::string>();
}

std::optional<std::size_t> JsonPlaces::offset_of(const nlohmann::json::json_pointer& pointer) const
{
    std::vector<std::string> steps;
    for (auto rest = pointer; !rest.empty(); rest = rest.parent_pointer()) {
        steps.insert(steps.begin(), rest.back());
    }
    std::size_t at = skip_space(0);
    for (const auto& step : steps) {
        if (at >= m_text.size() || (m_text[at] != '{' && m_text[at] != '[')) {
            return std::nullopt;
        }
        const bool object = m_text[at] == '{';
        std::size_t index = 0;
        at = skip_space(at + 1);
        bool found = false;
        while (at < m_text.size() && m_text[at] != '}' && m_text[at] != ']') {
            bool match = false;
            if (object) {
                const std::size_t key_end = skip_string(at);
                match = key_at(at, key_end) == step;
                at = skip_space(skip_space(key_end) + 1); // past the ':'
            } else {
                match = std::to_string(index++) == step;
            }
            if (match) {
                found = true;
                break;
            }
            at = skip_space(skip_value(at));
            if (at < m_text.size() && m_text[at] == ',') {
                at = skip_space(at + 1);
            }
        }
        if (!found) {
            return std::nullopt;
        }
    }
    return at;
}

std::optional<JsonPlaces::RepeatedKey> JsonPlaces::repeated_key() const
{
    // One set of keys for each object being read; arrays hold none.
    std::vector<std::optional<std::set<std::string>>> open;
    bool expect_key = false;
    for (std::size_t at = 0; at < m_text.size();) {
        const char c = m_text[at];
        if (c == '"') {
            const std::size_t end = skip_string(at);
            if (expect_key && !open.empty() && open.back()) {
                std::string key = key_at(at, end);
                if (!open.back()->insert(key).second) {
                    return RepeatedKey{at, std::move(key)};
                }
            }
            expect_key = false;
            at = end;
            continue;
        }
        if (c == '{' || c == '[') {
            open.emplace_back(c == '{'
                                  ? std::optional<std::set<std::string>>(std::set<std::string>())
                                  : std::nullopt);
            expect_key = c == '{';
        } else if (c == '}' || c == ']') {
            open.pop_back();
        } else if (c == ',') {
            expect_key = !open.empty() && open.back().has_value();
        }
        ++at;
    }
    return std::nullopt;
}

} // namespace aiops::report
