#include "prompt/template.hpp"

#include "core/strings.hpp"
#include "core/utf8.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

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

/// One tag of a template that names a value.
struct Tag
{
    enum class Kind
    {
        variable,  ///< {{x}}, {{{x}}} or {{&x}}: inserts text
        section,   ///< {{#x}}
        inverted,  ///< {{^x}}
        close,     ///< {{/x}}
        partial,   ///< {{> x}}
        comment,   ///< {{! x}}
        delimiter, ///< {{=<% %>=}}
    };
    Kind kind = Kind::variable;
    std::string name; ///< as written, dotted names whole; "." for the current item
    int line = 1;     ///< 1-based, inside the template's text
    int column = 1;
    std::size_t begin = 0; ///< the byte offset of the opening delimiter
    std::size_t end = 0;   ///< the byte offset just after the closing delimiter
};

/// Walks a template's tags, tracking line and column and delimiter changes.
class TagScanner
{
public:
    explicit TagScanner(const std::string& text) : m_text(text) {}

    std::vector<Tag> run()
    {
        std::size_t offset = 0;
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
            if (!tag.empty()) {
                add(tag, open, offset);
            }
        }
        return std::move(m_tags);
    }

private:
    void add(const std::string& tag, std::size_t open, std::size_t end)
    {
        const char sigil = tag.front();
        const auto [line, column] = position_of(open);
        if (sigil == '!') {
            m_tags.push_back({Tag::Kind::comment, "", line, column, open, end});
            return;
        }
        if (sigil == '>') {
            m_tags.push_back({Tag::Kind::partial,
                              std::string(core::trim(tag.substr(1))),
                              line,
                              column,
                              open,
                              end});
            return;
        }
        if (sigil == '=' && tag.back() == '=') {
            const auto parts =
                core::split(core::normalise_whitespace(tag.substr(1, tag.size() - 2)), ' ');
            if (parts.size() == 2) {
                m_open = parts[0];
                m_close = parts[1];
            }
            m_tags.push_back({Tag::Kind::delimiter, "", line, column, open, end});
            return;
        }
        Tag::Kind kind = Tag::Kind::variable;
        std::string name = tag;
        if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '&') {
            kind = sigil == '#'   ? Tag::Kind::section
                   : sigil == '^' ? Tag::Kind::inverted
                   : sigil == '/' ? Tag::Kind::close
                                  : Tag::Kind::variable;
            name = std::string(core::trim(std::string_view(tag).substr(1)));
        }
        if (name.empty()) {
            return;
        }
        m_tags.push_back({kind, name, line, column, open, end});
    }

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
    std::vector<Tag> m_tags;
};

/// Whether mustache skips a section over the value (and renders an inverted one).
bool is_falsy(const nlohmann::json* value)
{
    return value == nullptr || value->is_null() || (value->is_boolean() && !value->get<bool>())
           || (value->is_array() && value->empty());
}

/// Follows a template's sections through the values the way mustache renders them, and
/// finds what mustache would render silently wrong: a variable tag that names a list, an
/// object or a boolean (mustache inserts nothing for them) is an error; one that names
/// null renders empty and is a warning.
class ValueChecker
{
public:
    ValueChecker(const Prompt& prompt,
                 std::size_t message,
                 const std::vector<Tag>& tags,
                 std::vector<std::string>& warnings)
        : m_prompt(prompt), m_message(message), m_tags(tags), m_warnings(warnings)
    {}

    void run(const nlohmann::json& values)
    {
        std::vector<const nlohmann::json*> stack{&values};
        walk(0, m_tags.size(), stack);
    }

private:
    /// The value a name stands for in the context stack, innermost first, or nullptr.
    static const nlohmann::json* lookup(const std::string& name,
                                        const std::vector<const nlohmann::json*>& stack)
    {
        if (name == ".") {
            return stack.back();
        }
        const auto parts = core::split(name, '.');
        const nlohmann::json* found = nullptr;
        for (auto it = stack.rbegin(); it != stack.rend() && found == nullptr; ++it) {
            if ((*it)->is_object() && (*it)->contains(parts.front())) {
                found = &(**it)[parts.front()];
            }
        }
        for (std::size_t i = 1; i < parts.size() && found != nullptr; ++i) {
            found = found->is_object() && found->contains(parts[i]) ? &(*found)[parts[i]] : nullptr;
        }
        return found;
    }

    /// The index of the tag that closes the section opened at `open`.
    std::size_t close_of(std::size_t open, std::size_t end) const
    {
        int depth = 0;
        for (std::size_t i = open + 1; i < end; ++i) {
            if (m_tags[i].kind == Tag::Kind::section || m_tags[i].kind == Tag::Kind::inverted) {
                ++depth;
            } else if (m_tags[i].kind == Tag::Kind::close && depth-- == 0) {
                return i;
            }
        }
        return end;
    }

    void walk(std::size_t begin, std::size_t end, std::vector<const nlohmann::json*>& stack)
    {
        for (std::size_t i = begin; i < end; ++i) {
            const Tag& tag = m_tags[i];
            const nlohmann::json* value = lookup(tag.name, stack);
            if (tag.kind == Tag::Kind::variable) {
                check_variable(tag, value);
                continue;
            }
            if (tag.kind == Tag::Kind::close || tag.kind == Tag::Kind::comment
                || tag.kind == Tag::Kind::delimiter) {
                continue;
            }
            if (tag.kind == Tag::Kind::partial) {
                const FilePosition at = m_prompt.template_position(m_message, tag.line, tag.column);
                throw core::Error(core::ErrorCode::input,
                                  fmt::format("{}:{}:{}: {}",
                                              m_prompt.file,
                                              at.line,
                                              at.column,
                                              partial_problem(tag.name)));
            }
            const std::size_t close = close_of(i, end);
            if (tag.kind == Tag::Kind::inverted) {
                if (is_falsy(value)) {
                    walk(i + 1, close, stack);
                }
            } else if (!is_falsy(value)) {
                enter(i + 1, close, *value, stack);
            }
            i = close;
        }
    }

    void enter(std::size_t begin,
               std::size_t end,
               const nlohmann::json& value,
               std::vector<const nlohmann::json*>& stack)
    {
        if (!value.is_array()) {
            stack.push_back(&value);
            walk(begin, end, stack);
            stack.pop_back();
            return;
        }
        for (const auto& item : value) {
            stack.push_back(&item);
            walk(begin, end, stack);
            stack.pop_back();
        }
    }

    void check_variable(const Tag& tag, const nlohmann::json* value)
    {
        if (value == nullptr) {
            return;
        }
        const FilePosition at = m_prompt.template_position(m_message, tag.line, tag.column);
        if (value->is_array() || value->is_object()) {
            const char* what = value->is_array() ? "a list" : "an object";
            throw core::Error(
                core::ErrorCode::input,
                fmt::format("{}:{}:{}: '{}' is {}, which a variable tag cannot "
                            "insert as text; iterate it with {{{{#{}}}}}...{{{{/{}}}}}"
                            ", name a field such as {{{{{}.FIELD}}}}, or pass "
                            "the text you want as a string",
                            m_prompt.file,
                            at.line,
                            at.column,
                            tag.name,
                            what,
                            tag.name,
                            tag.name,
                            tag.name));
        }
        if (value->is_boolean()) {
            throw core::Error(core::ErrorCode::input,
                              fmt::format("{}:{}:{}: '{}' is {}, which mustache inserts as "
                                          "nothing; test it with {{{{#{}}}}}...{{{{/{}}}}}, or "
                                          "pass the text as a string (quoted in YAML)",
                                          m_prompt.file,
                                          at.line,
                                          at.column,
                                          tag.name,
                                          value->dump(),
                                          tag.name,
                                          tag.name));
        }
        if (value->is_null()) {
            const std::string warning =
                fmt::format("{}:{}:{}: '{}' is null, so it renders as empty text",
                            m_prompt.file,
                            at.line,
                            at.column,
                            tag.name);
            if (std::find(m_warnings.begin(), m_warnings.end(), warning) == m_warnings.end()) {
                m_warnings.push_back(warning);
            }
        }
    }

    const Prompt& m_prompt;
    std::size_t m_message;
    const std::vector<Tag>& m_tags;
    std::vector<std::string>& m_warnings;
};

/// Whether a tag alone on its line takes the line with it when rendered (the mustache
/// spec's standalone tags): all but variables.
bool may_stand_alone(Tag::Kind kind)
{
    return kind != Tag::Kind::variable;
}

bool is_blank(std::string_view text)
{
    return text.find_first_not_of(" \t\r") == std::string_view::npos;
}

/// The template with each standalone tag's line reduced to the tag: a section, inverted
/// section, closing, comment, partial or delimiter tag with only spaces and tabs around
/// it on its line loses them and the line's end, as the mustache spec renders it, so that
/// '{{#x}}' on a line of its own adds no blank line whether x is shown or not.
std::string strip_standalone_lines(const std::string& text)
{
    std::string out;
    std::size_t copied = 0;
    for (const Tag& tag : TagScanner(text).run()) {
        if (!may_stand_alone(tag.kind)) {
            continue;
        }
        const std::size_t newline_before = text.rfind('\n', tag.begin == 0 ? 0 : tag.begin - 1);
        const std::size_t line_start =
            tag.begin == 0 || newline_before == std::string::npos ? 0 : newline_before + 1;
        const std::size_t newline_after = text.find('\n', tag.end);
        const std::size_t line_end =
            newline_after == std::string::npos ? text.size() : newline_after;
        const std::string_view view(text);
        if (line_start < copied || !is_blank(view.substr(line_start, tag.begin - line_start))
            || !is_blank(view.substr(tag.end, line_end - tag.end))) {
            continue;
        }
        out.append(text, copied, line_start - copied);
        out.append(text, tag.begin, tag.end - tag.begin);
        copied = newline_after == std::string::npos ? text.size() : newline_after + 1;
    }
    out.append(text, copied);
    return out;
}

/// A byte that UTF-8 never holds, so that it cannot come from a template or a value.
constexpr char k_line_mark = '\xFF';

/// The template with a mark before each line end outside tags and at its end.
/// kainjow-mustache drops any rendered line that holds only spaces after a section tag
/// rendered in it, standalone or not, where the spec keeps it; a marked line is never
/// empty, so nothing is dropped, and the marks are taken out after rendering.
std::string mark_line_ends(const std::string& text)
{
    const std::vector<Tag> tags = TagScanner(text).run();
    std::string out;
    out.reserve(text.size() + text.size() / 16 + 1);
    auto tag = tags.begin();
    for (std::size_t i = 0; i < text.size(); ++i) {
        while (tag != tags.end() && tag->end <= i) {
            ++tag;
        }
        const bool in_tag = tag != tags.end() && tag->begin <= i;
        const bool line_end = text[i] == '\n' ? i == 0 || text[i - 1] != '\r' : text[i] == '\r';
        if (line_end && !in_tag) {
            out += k_line_mark;
        }
        out += text[i];
    }
    out += k_line_mark;
    return out;
}

/// Renders a template that compiles, following the spec's rules for standalone lines.
std::string render_text(const std::string& text, const MustacheData& data)
{
    kainjow::mustache::mustache compiled(mark_line_ends(strip_standalone_lines(text)));
    compiled.set_custom_escape([](const std::string& value) { return value; });
    std::string rendered = compiled.render(data);
    std::erase(rendered, k_line_mark);
    return rendered;
}

/// Whether a value holds a string that is not UTF-8, anywhere inside it.
bool holds_invalid_utf8(const nlohmann::json& value)
{
    if (value.is_string()) {
        return core::find_invalid_utf8(value.get_ref<const std::string&>()).has_value();
    }
    if (value.is_structured()) {
        return std::any_of(value.begin(), value.end(), holds_invalid_utf8);
    }
    return false;
}

} // namespace

std::vector<TemplateReference> template_references(const std::string& text)
{
    std::vector<TemplateReference> references;
    int depth = 0;
    for (const Tag& tag : TagScanner(text).run()) {
        if (tag.kind == Tag::Kind::partial || tag.kind == Tag::Kind::comment
            || tag.kind == Tag::Kind::delimiter) {
            continue;
        }
        if (tag.kind == Tag::Kind::close) {
            depth = std::max(0, depth - 1);
            continue;
        }
        if (tag.name != ".") {
            references.push_back(
                {tag.name.substr(0, tag.name.find('.')), depth > 0, tag.line, tag.column});
        }
        if (tag.kind != Tag::Kind::variable) {
            ++depth;
        }
    }
    return references;
}

std::string partial_problem(const std::string& name)
{
    return fmt::format("the partial '{}' cannot be included: prompts have no partials, so it "
                       "would render as nothing; put its text in the template",
                       name);
}

std::vector<TemplateReference> template_partials(const std::string& text)
{
    std::vector<TemplateReference> partials;
    for (const Tag& tag : TagScanner(text).run()) {
        if (tag.kind == Tag::Kind::partial) {
            partials.push_back({tag.name, false, tag.line, tag.column});
        }
    }
    return partials;
}

std::optional<std::string> template_problem(const std::string& text)
{
    kainjow::mustache::mustache compiled(text);
    if (compiled.is_valid()) {
        return std::nullopt;
    }
    return compiled.error_message();
}

std::optional<TemplateProblem> template_problem_at(const std::string& text)
{
    auto message = template_problem(text);
    if (!message) {
        return std::nullopt;
    }
    // kainjow-mustache ends most messages with ' at OFFSET', the byte where the tag
    // that is wrong starts.
    TemplateProblem problem{*message, 1, 1};
    static const RE2 at_offset(R"((.*) at (\d+)$)");
    std::string before;
    std::size_t offset = 0;
    if (RE2::FullMatch(*message, at_offset, &before, &offset) && offset <= text.size()) {
        problem.message = before;
        for (std::size_t i = 0; i < offset; ++i) {
            if (text[i] == '\n') {
                ++problem.line;
                problem.column = 1;
            } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
                ++problem.column;
            }
        }
    }
    return problem;
}

core::Result<RenderOutcome>
render_prompt(const Prompt& prompt, const RenderValues& values, std::string_view missing_hint)
{
    RenderOutcome outcome;
    // Rendered messages go to a model as JSON, which holds only UTF-8.
    for (const auto& [name, value] : values) {
        if (holds_invalid_utf8(value)) {
            return core::Error(core::ErrorCode::input,
                               fmt::format("prompt '{}': the value of '{}' is not valid UTF-8",
                                           prompt.name,
                                           core::to_valid_utf8(name)));
        }
    }
    // The values as JSON too, which the checks before each render walk.
    nlohmann::json context = nlohmann::json::object();
    std::vector<std::string> missing;
    for (const auto& variable : prompt.variables) {
        // A null value is no value: the default applies, and a required variable fails.
        auto given = values.find(variable.name);
        if (given != values.end() && given->second.is_null()) {
            given = values.end();
        }
        if (given != values.end()) {
            context[variable.name] = given->second;
        } else if (variable.default_value) {
            context[variable.name] = *variable.default_value;
        } else if (variable.required) {
            missing.push_back(variable.name);
        }
        // An optional variable without a value stays out: {{x}} inserts nothing and a
        // section over it is skipped, where an empty string would count as a value.
    }
    const MustacheData data = to_mustache(context);
    if (!missing.empty()) {
        std::string names;
        for (const auto& name : missing) {
            names += (names.empty() ? "'" : ", '") + name + "'";
        }
        return core::Error(core::ErrorCode::input,
                           fmt::format("prompt '{}': required variable{} {} ha{} no value{}{}",
                                       prompt.name,
                                       missing.size() == 1 ? "" : "s",
                                       names,
                                       missing.size() == 1 ? "s" : "ve",
                                       missing_hint.empty() ? "" : " ",
                                       missing_hint));
    }
    for (const auto& [name, value] : values) {
        if (prompt.find_variable(name) == nullptr) {
            outcome.warnings.push_back(fmt::format(
                "prompt '{}' declares no variable '{}'; its value is not used", prompt.name, name));
        }
    }
    for (std::size_t i = 0; i < prompt.messages.size(); ++i) {
        const Message& message = prompt.messages[i];
        if (const auto problem = template_problem_at(message.text)) {
            const FilePosition at = prompt.template_position(i, problem->line, problem->column);
            return core::Error(core::ErrorCode::input,
                               fmt::format("{}:{}:{}: the {} message's template cannot be "
                                           "compiled: {}",
                                           prompt.file,
                                           at.line,
                                           at.column,
                                           message.role,
                                           problem->message));
        }
        for (const auto& reference : template_references(message.text)) {
            if (!reference.in_section && prompt.find_variable(reference.name) == nullptr) {
                outcome.warnings.push_back(fmt::format(
                    "the {} message uses '{}', which is not declared, so it renders empty",
                    message.role,
                    reference.name));
            }
        }
        try {
            ValueChecker(prompt, i, TagScanner(message.text).run(), outcome.warnings).run(context);
        } catch (const core::Error& error) {
            return error;
        }
        outcome.messages.push_back({message.role, render_text(message.text, data)});
    }
    return outcome;
}

} // namespace aiops::prompt
