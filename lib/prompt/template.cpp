#include "prompt/template.hpp"

#include "core/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <kainjow/mustache.hpp>

namespace aiops::prompt {

namespace {

using MustacheData = kainjow::mustache::data;

MustacheData to_mustache(const nlohmann::json& value)
{
    if (value.is_object()) {
        MustacheData object{MustacheData::type::object};
        for (const auto& [key, item] : value.items()) {
            object.set(key, to_mustache(item));
        }
        return object;
    }
    if (value.is_array()) {
        MustacheData list{MustacheData::type::list};
        for (const auto& item : value) {
            list.push_back(to_mustache(item));
        }
        return list;
    }
    if (value.is_boolean()) {
        return MustacheData(value.get<bool>());
    }
    if (value.is_string()) {
        return MustacheData(value.get<std::string>());
    }
    if (value.is_null()) {
        return MustacheData(false);
    }
    return MustacheData(value.dump());
}

/// Walks a template's tags, tracking line and column and delimiter changes.
class TagScanner
{
public:
    explicit TagScanner(const std::string& text) : m_text(text) {}

    std::vector<TemplateReference> run()
    {
        std::size_t offset = 0;
        int depth = 0;
        while (true) {
            const std::size_t open = m_text.find(m_open, offset);
            if (open == std::string::npos) {
                break;
            }
            const bool triple = m_open == "{{" && m_text.compare(open, 3, "{{{") == 0;
            const std::string close = triple ? "}}}" : m_close;
            const std::size_t start = open + (triple ? 3 : m_open.size());
            const std::size_t end = m_text.find(close, start);
            if (end == std::string::npos) {
                break;
            }
            std::string tag(core::trim(std::string_view(m_text).substr(start, end - start)));
            offset = end + close.size();
            if (tag.empty()) {
                continue;
            }
            const char sigil = tag.front();
            if (sigil == '!' || sigil == '>') {
                continue;
            }
            if (sigil == '=' && tag.back() == '=') {
                const auto parts =
                    core::split(core::normalise_whitespace(tag.substr(1, tag.size() - 2)), ' ');
                if (parts.size() == 2) {
                    m_open = parts[0];
                    m_close = parts[1];
                }
                continue;
            }
            if (sigil == '/') {
                depth = std::max(0, depth - 1);
                continue;
            }
            const bool opens_section = sigil == '#' || sigil == '^';
            if (opens_section || sigil == '&') {
                tag = std::string(core::trim(std::string_view(tag).substr(1)));
            }
            if (!tag.empty() && tag != ".") {
                const auto [line, column] = position_of(open);
                m_references.push_back({tag.substr(0, tag.find('.')), depth > 0, line, column});
            }
            if (opens_section) {
                ++depth;
            }
        }
        return std::move(m_references);
    }

private:
    std::pair<int, int> position_of(std::size_t offset)
    {
        for (; m_counted < offset; ++m_counted) {
            if (m_text[m_counted] == '\n') {
                ++m_line;
                m_column = 1;
            } else if ((static_cast<unsigned char>(m_text[m_counted]) & 0xC0) != 0x80) {
                ++m_column;
            }
        }
        return {m_line, m_column};
    }

    const std::string& m_text;
    std::string m_open = "{{";
    std::string m_close = "}}";
    std::size_t m_counted = 0;
    int m_line = 1;
    int m_column = 1;
    std::vector<TemplateReference> m_references;
};

} // namespace

std::vector<TemplateReference> template_references(const std::string& text)
{
    return TagScanner(text).run();
}

std::optional<std::string> template_problem(const std::string& text)
{
    kainjow::mustache::mustache compiled(text);
    if (compiled.is_valid()) {
        return std::nullopt;
    }
    return compiled.error_message();
}

core::Result<RenderOutcome> render_prompt(const Prompt& prompt, const RenderValues& values)
{
    RenderOutcome outcome;
    MustacheData data{MustacheData::type::object};
    std::vector<std::string> missing;
    for (const auto& variable : prompt.variables) {
        const auto given = values.find(variable.name);
        if (given != values.end()) {
            data.set(variable.name, to_mustache(given->second));
        } else if (variable.default_value) {
            data.set(variable.name, MustacheData(*variable.default_value));
        } else if (variable.required) {
            missing.push_back(variable.name);
        } else {
            data.set(variable.name, MustacheData(std::string()));
        }
    }
    if (!missing.empty()) {
        std::string names;
        for (const auto& name : missing) {
            names += (names.empty() ? "'" : ", '") + name + "'";
        }
        return core::Error(core::ErrorCode::input,
                           fmt::format("prompt '{}': required variable{} {} ha{} no value (--var "
                                       "NAME=VALUE or --vars FILE)",
                                       prompt.name,
                                       missing.size() == 1 ? "" : "s",
                                       names,
                                       missing.size() == 1 ? "s" : "ve"));
    }
    for (const auto& [name, value] : values) {
        if (prompt.find_variable(name) == nullptr) {
            outcome.warnings.push_back(fmt::format(
                "prompt '{}' declares no variable '{}'; its value is not used", prompt.name, name));
        }
    }
    for (std::size_t i = 0; i < prompt.messages.size(); ++i) {
        const Message& message = prompt.messages[i];
        kainjow::mustache::mustache compiled(message.text);
        if (!compiled.is_valid()) {
            const FilePosition at = prompt.template_position(i, 1, 1);
            return core::Error(core::ErrorCode::input,
                               fmt::format("{}:{}:{}: the {} message's template cannot be "
                                           "compiled: {}",
                                           prompt.file,
                                           at.line,
                                           at.column,
                                           message.role,
                                           compiled.error_message()));
        }
        for (const auto& reference : template_references(message.text)) {
            if (!reference.in_section && prompt.find_variable(reference.name) == nullptr) {
                outcome.warnings.push_back(fmt::format(
                    "the {} message uses '{}', which is not declared, so it renders empty",
                    message.role,
                    reference.name));
            }
        }
        compiled.set_custom_escape([](const std::string& text) { return text; });
        outcome.messages.push_back({message.role, compiled.render(data)});
    }
    return outcome;
}

} // namespace aiops::prompt
