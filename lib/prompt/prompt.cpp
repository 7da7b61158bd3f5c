#include "prompt/prompt.hpp"

#include "core/line_index.hpp"
#include "core/scalar_position.hpp"
#include "core/sha256.hpp"
#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "core/yaml_reader.hpp"

#include <fmt/format.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>

namespace aiops::prompt {

namespace {

const std::vector<std::string> k_prompt_keys{
    "name", "description", "variables", "model", "messages", "metadata"};
const std::vector<std::string> k_variable_keys{
    "name", "description", "required", "default", "source"};
const std::vector<std::string> k_model_keys{"model", "temperature", "max_tokens"};
const std::vector<std::string> k_message_keys{"role", "template"};
const std::vector<std::string> k_sources{"user", "trusted"};

/// A YAML scalar the way JSON would hold it: plain true/false/null and numbers keep
/// their type, quoted scalars stay strings.
nlohmann::json scalar_to_json(const YAML::Node& node)
{
    const std::string text = node.Scalar();
    if (node.Tag() == "!") {
        return text;
    }
    if (text == "true" || text == "True" || text == "TRUE") {
        return true;
    }
    if (text == "false" || text == "False" || text == "FALSE") {
        return false;
    }
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
        return nullptr;
    }
    std::int64_t integer = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), integer);
    if (error == std::errc() && end == text.data() + text.size()) {
        return integer;
    }
    double real = 0;
    if (YAML::convert<double>::decode(node, real) && std::isfinite(real)) {
        return real;
    }
    return text;
}

nlohmann::json yaml_to_json(const YAML::Node& node)
{
    if (node.IsMap()) {
        nlohmann::json object = nlohmann::json::object();
        for (const auto& entry : node) {
            object[entry.first.Scalar()] = yaml_to_json(entry.second);
        }
        return object;
    }
    if (node.IsSequence()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& item : node) {
            list.push_back(yaml_to_json(item));
        }
        return list;
    }
    if (node.IsScalar()) {
        return scalar_to_json(node);
    }
    return nullptr;
}

/// A value of render's --vars the way it is written: strings, and numbers as their text,
/// so that 3.10 stays 3.10 and 1e3 stays 1e3; plain true, false and null keep their
/// meaning, which sections test.
nlohmann::json value_to_json(const YAML::Node& node)
{
    if (node.IsMap()) {
        nlohmann::json object = nlohmann::json::object();
        for (const auto& entry : node) {
            object[entry.first.Scalar()] = value_to_json(entry.second);
        }
        return object;
    }
    if (node.IsSequence()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& item : node) {
            list.push_back(value_to_json(item));
        }
        return list;
    }
    if (!node.IsScalar()) {
        return nullptr;
    }
    const nlohmann::json typed = scalar_to_json(node);
    return typed.is_boolean() || typed.is_null() ? typed : nlohmann::json(node.Scalar());
}

/// Whether a plain scalar is a decimal number too large for a double (1e400), which
/// JSON readers refuse and YAML would turn into infinity.
bool is_out_of_range_number(const YAML::Node& node)
{
    static const RE2 decimal(R"([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)");
    if (!node.IsScalar() || node.Tag() != "?" || !RE2::FullMatch(node.Scalar(), decimal)) {
        return false;
    }
    errno = 0;
    const double value = std::strtod(node.Scalar().c_str(), nullptr);
    return errno == ERANGE && std::isinf(value);
}

/// The first number out of range in a document, or an empty node.
YAML::Node find_out_of_range_number(const YAML::Node& node)
{
    if (node.IsMap() || node.IsSequence()) {
        for (const auto& entry : node) {
            const YAML::Node child = node.IsMap() ? entry.second : entry;
            if (YAML::Node found = find_out_of_range_number(child); found) {
                return found;
            }
        }
        return YAML::Node(YAML::NodeType::Undefined);
    }
    return is_out_of_range_number(node) ? node : YAML::Node(YAML::NodeType::Undefined);
}

/// Refuses a number out of range before the reader sees the text, which for a .json
/// file also parses it as JSON and would fail on one without saying where.
core::Result<bool> check_number_ranges(const core::YamlReader& reader, const std::string& text)
{
    YAML::Node document;
    try {
        document = YAML::Load(text);
    } catch (const YAML::Exception&) {
        return true; // the reader reports what is wrong
    }
    if (const YAML::Node found = find_out_of_range_number(document); found) {
        return reader.error_at(found,
                               fmt::format("number out of range: '{}' is beyond what a "
                                           "number can hold; quote it to pass it as text",
                                           found.Scalar()));
    }
    return true;
}

class PromptFileLoader
{
public:
    PromptFileLoader(const std::string& file, const std::string& text, std::string_view expected)
        : m_file(file), m_text(text), m_expected_name(expected), m_reader(file)
    {}

    core::Result<Prompt> run()
    {
        auto document = m_reader.read_document(m_text);
        if (!document) {
            return document.error();
        }
        try {
            return load(*document);
        } catch (const core::Error& error) {
            return error;
        } catch (const YAML::Exception& error) {
            return m_reader.error_at(error.mark, error.msg);
        }
    }

private:
    [[noreturn]] void raise(const YAML::Node& node, const std::string& message) const
    {
        m_reader.raise(node, message);
    }

    FilePosition position_of(const YAML::Node& node) const
    {
        const core::TextPosition at = m_reader.position(node);
        return {at.line, at.column};
    }

    /// Refuses unknown and repeated keys, and a missing required one.
    void check_keys(const YAML::Node& map,
                    const std::string& where,
                    const std::vector<std::string>& known,
                    const std::vector<std::string>& required) const
    {
        if (!map.IsMap()) {
            raise(map, fmt::format("{} must be a mapping", where));
        }
        std::map<std::string, FilePosition> seen;
        for (const auto& entry : map) {
            if (!entry.first.IsScalar()) {
                raise(entry.first, fmt::format("{} has a key that is not a string", where));
            }
            const std::string key = entry.first.Scalar();
            if (std::find(known.begin(), known.end(), key) == known.end()) {
                std::string message = fmt::format("unknown key '{}' in {}", key, where);
                if (auto close = core::closest_match(key, known)) {
                    message += fmt::format("; did you mean '{}'?", *close);
                }
                raise(entry.first, message);
            }
            const auto [earlier, fresh] = seen.emplace(key, position_of(entry.first));
            if (!fresh) {
                raise(entry.first,
                      fmt::format("duplicate key '{}' in {} (first at line {})",
                                  key,
                                  where,
                                  earlier->second.line));
            }
        }
        for (const auto& key : required) {
            if (!map[key]) {
                raise(map, fmt::format("{} has no '{}'", where, key));
            }
        }
    }

    // The schema says string: `template: 42` is a mistake, `template: "42"` the text.
    std::string string_value(const YAML::Node& node, const std::string& key) const
    {
        return m_reader.strict_string(node, key);
    }

    bool bool_value(const YAML::Node& node, const std::string& key) const
    {
        const nlohmann::json value = node.IsScalar() ? scalar_to_json(node) : nlohmann::json();
        if (!value.is_boolean()) {
            raise(node, fmt::format("'{}' must be true or false", key));
        }
        return value.get<bool>();
    }

    Variable load_variable(const YAML::Node& node, std::size_t index) const
    {
        const std::string where = fmt::format("variables[{}]", index);
        check_keys(node, where, k_variable_keys, {"name"});
        Variable variable;
        variable.position = position_of(node);
        variable.name = string_value(node["name"], "name");
        static const std::string word_chars =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
        if (variable.name.empty()
            || variable.name.find_first_not_of(word_chars) != std::string::npos) {
            raise(node["name"],
                  fmt::format("variable name '{}' must be letters, digits, '_' or '-'",
                              core::quote_for_message(variable.name)));
        }
        if (node["description"]) {
            variable.description = string_value(node["description"], "description");
        }
        if (node["required"]) {
            variable.required = bool_value(node["required"], "required");
        }
        if (node["default"]) {
            variable.default_value = string_value(node["default"], "default");
            if (variable.required) {
                raise(node["default"],
                      fmt::format("variable '{}' is required, so a default is never used",
                                  variable.name));
            }
        }
        if (node["source"]) {
            variable.source = string_value(node["source"], "source");
            if (std::find(k_sources.begin(), k_sources.end(), variable.source) == k_sources.end()) {
                raise(node["source"], "'source' must be 'user' or 'trusted'");
            }
        }
        return variable;
    }

    void load_variables(const YAML::Node& node, Prompt& prompt) const
    {
        if (!node.IsSequence()) {
            raise(node, "'variables' must be a list of variables");
        }
        std::size_t index = 0;
        for (const auto& item : node) {
            Variable variable = load_variable(item, index++);
            if (const Variable* earlier = prompt.find_variable(variable.name)) {
                raise(item["name"],
                      fmt::format("duplicate variable '{}' (first declared at line {})",
                                  variable.name,
                                  earlier->position.line));
            }
            prompt.variables.push_back(std::move(variable));
        }
    }

    void load_model(const YAML::Node& node, Prompt& prompt) const
    {
        check_keys(node, "'model'", k_model_keys, {});
        if (node["model"]) {
            prompt.model.model = string_value(node["model"], "model.model");
        }
        if (const YAML::Node temperature = node["temperature"]) {
            const nlohmann::json value = temperature.IsScalar() && temperature.Tag() != "!"
                                             ? scalar_to_json(temperature)
                                             : nlohmann::json();
            if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 2) {
                raise(temperature, "'model.temperature' must be a number from 0 to 2");
            }
            prompt.model.temperature = value.get<double>();
        }
        if (const YAML::Node max_tokens = node["max_tokens"]) {
            const nlohmann::json value = max_tokens.IsScalar() && max_tokens.Tag() != "!"
                                             ? scalar_to_json(max_tokens)
                                             : nlohmann::json();
            if (!value.is_number_integer() || value.get<std::int64_t>() < 1) {
                raise(max_tokens, "'model.max_tokens' must be a whole number above 0");
            }
            prompt.model.max_tokens = value.get<std::int64_t>();
        }
    }

    void load_messages(const YAML::Node& node, Prompt& prompt) const
    {
        if (!node.IsSequence() || node.size() == 0) {
            raise(node, "'messages' must be a list of at least one message");
        }
        std::size_t index = 0;
        for (const auto& item : node) {
            check_keys(
                item, fmt::format("messages[{}]", index++), k_message_keys, {"role", "template"});
            Message message;
            message.position = position_of(item);
            message.role = string_value(item["role"], "role");
            const auto& roles = message_roles();
            if (std::find(roles.begin(), roles.end(), message.role) == roles.end()) {
                std::string text =
                    fmt::format("unknown role '{}' (system, developer, user, assistant)",
                                core::quote_for_message(message.role));
                if (auto close = core::closest_match(message.role, roles)) {
                    text += fmt::format("; did you mean '{}'?", *close);
                }
                raise(item["role"], text);
            }
            const YAML::Node text_node = item["template"];
            message.text = string_value(text_node, "template");
            message.template_mark_line = text_node.Mark().line;
            message.template_mark_column = text_node.Mark().column;
            prompt.messages.push_back(std::move(message));
        }
    }

    core::Result<Prompt> load(const YAML::Node& document) const
    {
        if (!document.IsMap()) {
            return m_reader.error_at(YAML::Mark::null_mark(),
                                     "a prompt file holds a mapping with name, messages and more");
        }
        check_keys(document, "the prompt", k_prompt_keys, {"name", "messages"});
        Prompt prompt;
        prompt.file = m_file;
        prompt.lines = core::split(m_text, '\n');
        prompt.name = string_value(document["name"], "name");
        if (!is_valid_prompt_name(prompt.name)) {
            raise(document["name"],
                  fmt::format("'{}' is not a prompt name: '/'-separated words of letters, "
                              "digits, '.', '_' and '-'",
                              core::quote_for_message(prompt.name)));
        }
        if (!m_expected_name.empty() && prompt.name != m_expected_name) {
            raise(document["name"],
                  fmt::format("the file is prompt '{}' by its path but says name '{}'",
                              m_expected_name,
                              prompt.name));
        }
        if (document["description"]) {
            prompt.description = string_value(document["description"], "description");
        }
        if (document["variables"]) {
            load_variables(document["variables"], prompt);
        }
        if (document["model"]) {
            load_model(document["model"], prompt);
        }
        load_messages(document["messages"], prompt);
        if (const YAML::Node metadata = document["metadata"]) {
            if (!metadata.IsMap()) {
                raise(metadata, "'metadata' must be a mapping");
            }
            m_reader.check_unique_keys(metadata);
            prompt.metadata = yaml_to_json(metadata);
        }
        return prompt;
    }

    const std::string& m_file;
    const std::string& m_text;
    std::string_view m_expected_name;
    core::YamlReader m_reader; ///< names m_file in its errors
};

} // namespace

const Variable* Prompt::find_variable(std::string_view wanted) const
{
    for (const auto& variable : variables) {
        if (variable.name == wanted) {
            return &variable;
        }
    }
    return nullptr;
}

FilePosition Prompt::template_position(std::size_t index, int line, int column) const
{
    const Message& message = messages.at(index);
    const auto [file_line, file_column] = core::scalar_text_position(
        lines, message.template_mark_line, message.template_mark_column, line, column);
    return {file_line, file_column};
}

const std::vector<std::string>& message_roles()
{
    static const std::vector<std::string> roles{"system", "developer", "user", "assistant"};
    return roles;
}

bool is_valid_prompt_name(std::string_view name)
{
    if (name.empty()) {
        return false;
    }
    for (const auto& part : core::split(name, '/')) {
        if (part.empty() || part == "." || part == "..") {
            return false;
        }
        for (const char c : part) {
            const bool word = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.'
                              || c == '_' || c == '-';
            if (!word) {
                return false;
            }
        }
    }
    return true;
}

core::Result<Prompt>
parse_prompt(const std::string& file, const std::string& text, std::string_view expected_name)
{
    return PromptFileLoader(file, text, expected_name).run();
}

core::Result<nlohmann::json> parse_values(const std::string& file, const std::string& text)
{
    const core::YamlReader reader(file);
    if (auto valid = reader.check_utf8(text); !valid) {
        return valid.error();
    }
    if (auto in_range = check_number_ranges(reader, text); !in_range) {
        return in_range.error();
    }
    auto document = reader.read_document(text);
    if (!document) {
        return document.error();
    }
    try {
        if (!document->IsMap()) {
            reader.raise(*document, "the values must be a mapping of variable names to values");
        }
        reader.check_unique_keys(*document);
        return value_to_json(*document);
    } catch (const core::Error& error) {
        return error;
    } catch (const YAML::Exception& error) {
        return reader.error_at(error.mark, error.msg);
    }
}

nlohmann::json to_canonical_json(const Prompt& prompt)
{
    nlohmann::json variables = nlohmann::json::array();
    for (const auto& variable : prompt.variables) {
        nlohmann::json entry{{"name", variable.name},
                             {"description", variable.description},
                             {"required", variable.required},
                             {"source", variable.source}};
        entry["default"] =
            variable.default_value ? nlohmann::json(*variable.default_value) : nlohmann::json();
        variables.push_back(std::move(entry));
    }
    nlohmann::json model = nlohmann::json::object();
    if (prompt.model.model) {
        model["model"] = *prompt.model.model;
    }
    if (prompt.model.temperature) {
        model["temperature"] = *prompt.model.temperature;
    }
    if (prompt.model.max_tokens) {
        model["max_tokens"] = *prompt.model.max_tokens;
    }
    nlohmann::json messages = nlohmann::json::array();
    for (const auto& message : prompt.messages) {
        messages.push_back({{"role", message.role}, {"template", message.text}});
    }
    return {{"name", prompt.name},
            {"description", prompt.description},
            {"variables", std::move(variables)},
            {"model", std::move(model)},
            {"messages", std::move(messages)},
            {"metadata", prompt.metadata}};
}

std::string prompt_hash(const Prompt& prompt)
{
    // A loaded file is UTF-8 throughout; a prompt built in code (generate's built-in one)
    // may hold other bytes, which are hashed as U+FFFD rather than fail.
    const std::string canonical =
        to_canonical_json(prompt).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return "sha256:" + core::sha256_hex(canonical);
}

} // namespace aiops::prompt
