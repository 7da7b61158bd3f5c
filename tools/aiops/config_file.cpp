#include "config_file.hpp"

#include "core/error.hpp"
#include "core/strings.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <set>
#include <sstream>

namespace aiops::cli {

namespace {

constexpr const char* k_defaults = "defaults";

std::vector<std::string> keys_of(const CLI::App& command)
{
    std::vector<std::string> keys;
    for (const CLI::Option* option : command.get_options()) {
        if (!option->get_lnames().empty() && option->get_lnames().front() != "help"
            && option->get_lnames().front() != "config") {
            keys.push_back(option->get_lnames().front());
        }
    }
    return keys;
}

// Switches (flags without a value) read YAML booleans.
std::optional<bool> boolean(const std::string& text)
{
    if (text == "true" || text == "yes" || text == "on") {
        return true;
    }
    if (text == "false" || text == "no" || text == "off") {
        return false;
    }
    return std::nullopt;
}

bool set_by_environment(const CLI::Option& option)
{
    const std::string& name = option.get_envname();
    if (name.empty()) {
        return false;
    }
    const char* value = std::getenv(name.c_str());
    return value != nullptr && *value != '\0';
}

} // namespace

std::vector<const CLI::App*> configurable_commands(const CLI::App& app,
                                                   std::vector<std::string>& names)
{
    std::vector<const CLI::App*> commands;
    for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
        if (!keys_of(*command).empty()) {
            commands.push_back(command);
            names.push_back(command->get_name());
        }
    }
    return commands;
}

const CLI::Option* configurable_option(const CLI::App& command, const std::string& key)
{
    const auto keys = keys_of(command);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        return nullptr;
    }
    return command.get_option_no_throw("--" + key);
}

std::string ConfigFile::to_config(const CLI::App*, bool, bool, std::string) const
{
    return {};
}

std::vector<ConfigValue> ConfigFile::read(std::istream& input) const
{
    std::stringstream buffer;
    buffer << input.rdbuf();
    const std::string text = buffer.str();
    const auto fail = [&](const YAML::Mark& mark, const std::string& message) {
        return core::Error(
            core::ErrorCode::input,
            fmt::format("{}:{}:{}: {}", m_file, mark.line + 1, mark.column + 1, message));
    };
    YAML::Node document;
    try {
        document = YAML::Load(text);
    } catch (const YAML::ParserException& error) {
        throw fail(error.mark, "invalid YAML: " + error.msg);
    }
    std::vector<ConfigValue> values;
    m_values.clear();
    if (document.IsNull()) {
        return values;
    }
    if (!document.IsMap()) {
        throw fail(document.Mark(), "the configuration is a mapping of command names to flags");
    }
    std::vector<std::string> names;
    const auto commands = configurable_commands(m_app, names);
    std::vector<std::string> sections = names;
    sections.emplace_back(k_defaults);
    std::set<std::string> seen_sections;
    for (const auto& section : document) {
        const std::string name = section.first.as<std::string>();
        // YAML forbids a repeated key, but the parser keeps the last one silently: a
        // second 'fail-on' would switch the gate off without a word.
        if (!seen_sections.insert(name).second) {
            throw fail(section.first.Mark(), fmt::format("'{}' is given twice", name));
        }
        if (std::find(sections.begin(), sections.end(), name) == sections.end()) {
            std::string message = fmt::format("unknown section '{}'", name);
            if (auto suggestion = core::closest_match(name, sections)) {
                message += fmt::format("; did you mean '{}'?", *suggestion);
            } else {
                message += fmt::format(" (sections: {})", fmt::join(sections, ", "));
            }
            throw fail(section.first.Mark(), message);
        }
        if (!section.second.IsMap()) {
            throw fail(section.second.Mark(),
                       fmt::format("'{}' holds a mapping of flag names to values", name));
        }
        // The commands this section speaks to: one, or for defaults every command that
        // has the flag.
        std::vector<const CLI::App*> targets;
        std::vector<std::string> known;
        for (std::size_t i = 0; i < commands.size(); ++i) {
            if (name == k_defaults || names[i] == name) {
                targets.push_back(commands[i]);
                for (auto& key : keys_of(*commands[i])) {
                    known.push_back(std::move(key));
                }
            }
        }
        std::set<std::string> seen_keys;
        for (const auto& entry : section.second) {
            const std::string key = entry.first.as<std::string>();
            if (!seen_keys.insert(key).second) {
                throw fail(entry.first.Mark(),
                           fmt::format("'{}' is given twice in '{}'", key, name));
            }
            std::vector<const CLI::Option*> options;
            std::vector<std::string> owners;
            for (const CLI::App* command : targets) {
                if (const CLI::Option* option = configurable_option(*command, key)) {
                    options.push_back(option);
                    owners.push_back(command->get_name());
                }
            }
            if (options.empty()) {
                std::string message = fmt::format("unknown key '{}' in '{}'", key, name);
                if (auto suggestion = core::closest_match(key, known)) {
                    message += fmt::format("; did you mean '{}'?", *suggestion);
                }
                throw fail(entry.first.Mark(), message);
            }
            const YAML::Node& value = entry.second;
            std::vector<std::string> words;
            if (value.IsScalar()) {
                words.push_back(value.as<std::string>());
            } else if (value.IsSequence()) {
                for (const auto& item : value) {
                    if (!item.IsScalar()) {
                        throw fail(item.Mark(), fmt::format("'{}' is a list of plain values", key));
                    }
                    words.push_back(item.as<std::string>());
                }
            } else {
                throw fail(value.Mark(),
                           fmt::format("'{}' takes a value or a list of values", key));
            }
            const CLI::Option& option = *options.front();
            if (option.get_expected_min() == 0) {
                const auto truth = words.size() == 1 ? boolean(words.front()) : std::nullopt;
                if (!truth) {
                    throw fail(value.Mark(), fmt::format("'{}' is a switch: true or false", key));
                }
                words = {*truth ? "true" : "false"};
            } else if (value.IsSequence() && option.get_expected_max() == 1) {
                throw fail(value.Mark(), fmt::format("'{}' takes one value, not a list", key));
            }
            for (const auto& owner : owners) {
                ConfigValue configured{
                    owner,
                    key,
                    words,
                    {m_file, entry.first.Mark().line + 1, entry.first.Mark().column + 1}};
                // A command's own section wins over defaults, wherever it stands.
                const std::string id = owner + "." + key;
                const auto existing = m_values.find(id);
                if (existing == m_values.end() || name != k_defaults) {
                    m_values[id] = configured;
                }
            }
        }
    }
    for (const auto& [id, value] : m_values) {
        values.push_back(value);
    }
    return values;
}

std::vector<CLI::ConfigItem> ConfigFile::from_config(std::istream& input) const
{
    std::vector<CLI::ConfigItem> given;
    std::vector<std::string> names;
    const auto commands = configurable_commands(m_app, names);
    for (const ConfigValue& value : read(input)) {
        const auto at = std::find(names.begin(), names.end(), value.command);
        const CLI::Option* option =
            at == names.end()
                ? nullptr
                : configurable_option(*commands[static_cast<std::size_t>(at - names.begin())],
                                      value.key);
        if (option == nullptr || set_by_environment(*option)) {
            continue;
        }
        given.push_back({{value.command}, value.key, value.values});
    }
    return given;
}

std::optional<std::string> find_config_file(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view word = argv[i];
        if (word == "--config" && i + 1 < argc) {
            return std::string(argv[i + 1]);
        }
        if (word.starts_with("--config=")) {
            return std::string(word.substr(9));
        }
    }
    std::error_code ec;
    std::filesystem::path folder = std::filesystem::current_path(ec);
    while (!ec && !folder.empty()) {
        const auto candidate = folder / ".aiops.yaml";
        if (std::filesystem::is_regular_file(candidate, ec)) {
            // Named as the user would: ".aiops.yaml", "../.aiops.yaml".
            const auto shown = std::filesystem::relative(candidate, ec);
            return ec || shown.empty() ? candidate.string() : shown.string();
        }
        if (std::filesystem::exists(folder / ".git", ec) || folder == folder.parent_path()) {
            break;
        }
        folder = folder.parent_path();
    }
    return std::nullopt;
}

} // namespace aiops::cli
