#include "commands.hpp"
#include "config_file.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <memory>

namespace aiops::cli {

namespace {

struct ShowFlags
{
    std::string command;
    bool json = false;
};

struct Effective
{
    std::string key;
    ConfigKind kind = ConfigKind::text;
    nlohmann::ordered_json value;
    std::string source; ///< "default", "environment AIOPS_JOBS", ".aiops.yaml:3:5"
};

const char* kind_name(ConfigKind kind)
{
    switch (kind) {
    case ConfigKind::switch_flag:
        return "switch";
    case ConfigKind::whole:
        return "integer";
    case ConfigKind::number:
        return "number";
    case ConfigKind::text:
        return "value";
    case ConfigKind::texts:
        return "values";
    }
    return "value";
}

bool is_variable_name(const std::string& text)
{
    return !text.empty() && std::isdigit(static_cast<unsigned char>(text.front())) == 0
           && std::all_of(text.begin(), text.end(), [](char c) {
                  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
              });
}

// A value as it may be shown: a password in an address is hidden, and so is a key
// given where the name of its variable belongs.
std::string shown(const std::string& key, const std::string& text)
{
    if (key == "api-key-env" && !text.empty() && !is_variable_name(text)) {
        return "(hidden: not a variable name; is it the key itself?)";
    }
    return core::redact_userinfo(text);
}

// The words of a value, typed as the flag takes them: a switch is a boolean, a number
// a number, a list a list; an unset optional number is null.
nlohmann::ordered_json
typed(ConfigKind kind, const std::string& key, const std::vector<std::string>& words)
{
    if (kind == ConfigKind::texts) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& word : words) {
            list.push_back(shown(key, word));
        }
        return list;
    }
    const std::string word = words.empty() ? std::string() : words.front();
    if (kind == ConfigKind::switch_flag) {
        return word == "true";
    }
    if (kind == ConfigKind::whole || kind == ConfigKind::number) {
        if (word.empty()) {
            return nullptr;
        }
        const auto number = nlohmann::ordered_json::parse(word, nullptr, false);
        return number.is_number() ? number : nlohmann::ordered_json(word);
    }
    return shown(key, word);
}

// The built-in default's words: CLI11 writes a list as "[a,b]".
std::vector<std::string> default_words(const CLI::Option& option, ConfigKind kind)
{
    std::string text = option.get_default_str();
    if (kind != ConfigKind::texts) {
        return {text};
    }
    if (text.starts_with('[') && text.ends_with(']')) {
        text = text.substr(1, text.size() - 2);
    }
    return text.empty() ? std::vector<std::string>{} : core::split(text, ',');
}

Effective effective_value(const CLI::Option& option,
                          const std::string& key,
                          const std::string& command,
                          const ConfigFile& config)
{
    const ConfigKind kind = config_kind(option);
    Effective row{key, kind, typed(kind, key, default_words(option, kind)), "default"};
    const std::string& env = option.get_envname();
    const char* env_value = env.empty() ? nullptr : std::getenv(env.c_str());
    const auto configured = config.values().find(command + "." + key);
    if (env_value != nullptr && *env_value != '\0') {
        row.value = typed(kind, key, {env_value});
        row.source = "environment " + env;
    } else if (configured != config.values().end()) {
        const ConfigPosition& at = configured->second.position;
        row.value = typed(kind, key, configured->second.values);
        row.source = fmt::format("{}:{}:{}", at.file, at.line, at.column);
    }
    return row;
}

std::string as_text(const nlohmann::ordered_json& value)
{
    if (value.is_string()) {
        return value.get<std::string>().empty() ? "\"\"" : value.get<std::string>();
    }
    return value.is_null() ? "\"\"" : value.dump();
}

int run_show(const ShowFlags& flags,
             const CLI::App& app,
             ConfigFile& config,
             const std::optional<std::string>& file)
{
    if (file) {
        std::ifstream input(*file);
        if (!input) {
            throw core::Error(core::ErrorCode::io, fmt::format("{}: cannot read", *file));
        }
        config.set_file(*file);
        config.read(input);
    }
    std::vector<std::string> names;
    const auto commands = configurable_commands(app, names);
    if (!flags.command.empty()
        && std::find(names.begin(), names.end(), flags.command) == names.end()) {
        throw core::Error(core::ErrorCode::usage,
                          fmt::format("no command '{}' takes configuration (commands: {})",
                                      flags.command,
                                      fmt::join(names, ", ")));
    }
    nlohmann::ordered_json document = {{"file", file ? nlohmann::json(*file) : nlohmann::json()},
                                       {"commands", nlohmann::ordered_json::object()}};
    std::string text = fmt::format("configuration file: {}\n", file.value_or("none"));
    for (std::size_t i = 0; i < commands.size(); ++i) {
        if (!flags.command.empty() && names[i] != flags.command) {
            continue;
        }
        std::vector<Effective> rows;
        std::size_t width = 0;
        for (const CLI::Option* option : commands[i]->get_options()) {
            if (option->get_lnames().empty()) {
                continue;
            }
            const std::string key = option->get_lnames().front();
            if (configurable_option(*commands[i], key) != nullptr) {
                rows.push_back(effective_value(*option, key, names[i], config));
                width = std::max(width, key.size() + 1);
            }
        }
        text += fmt::format("\n{}:\n", names[i]);
        nlohmann::ordered_json entries = nlohmann::ordered_json::object();
        for (const auto& row : rows) {
            text += fmt::format(
                "  {:<{}} {:<24} ({})\n", row.key + ":", width, as_text(row.value), row.source);
            entries[row.key] = {
                {"value", row.value}, {"source", row.source}, {"kind", kind_name(row.kind)}};
        }
        document["commands"][names[i]] = entries;
    }
    std::fputs(flags.json ? (document.dump(2) + "\n").c_str() : text.c_str(), stdout);
    return static_cast<int>(core::ExitCode::success);
}

} // namespace

void register_config(CLI::App& app,
                     CommandAction& action,
                     std::shared_ptr<ConfigFile> config,
                     std::optional<std::string> file)
{
    CLI::App* command = app.add_subcommand("config", "Show the configuration aiops runs with");
    command->require_subcommand(1);
    command->footer("Examples:\n"
                    "  aiops config show                           every command's flags, values "
                    "and sources\n"
                    "  aiops config show scan --json               one command, as JSON\n"
                    "  aiops --config ci/aiops.yaml config show    the values another file gives\n"
                    "Exit codes: 0 shown, 2 a bad configuration file or an unknown command.");
    auto flags = std::make_shared<ShowFlags>();
    CLI::App* show = command->add_subcommand(
        "show", "Print every flag's value for each command, and where it came from");
    show->footer("Values come from the command line, then AIOPS_* environment variables, then\n"
                 "the configuration file (--config, else .aiops.yaml from here up to the\n"
                 "repository root), then the built-in defaults.\n"
                 "A relative path in the file is relative to the file's folder; it is shown as\n"
                 "the path from here. A password in an address is shown as ***.\n"
                 "Examples:\n"
                 "  aiops config show\n"
                 "  aiops config show scan --json");
    show->add_option("command", flags->command, "Only this command");
    show->add_flag("--json", flags->json, "Print JSON");
    show->callback([&action, &app, flags, config, file] {
        action = [flags, &app, config, file](const GlobalOptions&) {
            return run_show(*flags, app, *config, file);
        };
    });
}

} // namespace aiops::cli
