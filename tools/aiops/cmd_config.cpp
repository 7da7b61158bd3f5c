#include "commands.hpp"
#include "config_file.hpp"
#include "core/error.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

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
    std::string kind; ///< "switch", "value" or "values"
    std::string key;
    std::string value;
    std::string source; ///< "default", "environment AIOPS_JOBS", ".aiops.yaml:3:5"
};

std::string joined(const std::vector<std::string>& values)
{
    return fmt::format("{}", fmt::join(values, " "));
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
        for (const CLI::Option* option : commands[i]->get_options()) {
            if (option->get_lnames().empty()) {
                continue;
            }
            const std::string key = option->get_lnames().front();
            if (configurable_option(*commands[i], key) == nullptr) {
                continue;
            }
            const bool is_switch = option->get_expected_min() == 0;
            Effective row{is_switch                         ? "switch"
                          : option->get_expected_max() == 1 ? "value"
                                                            : "values",
                          key,
                          option->get_default_str(),
                          "default"};
            if (is_switch && row.value.empty()) {
                row.value = "false";
            }
            const std::string& env = option->get_envname();
            const char* env_value = env.empty() ? nullptr : std::getenv(env.c_str());
            const auto configured = config.values().find(names[i] + "." + key);
            if (env_value != nullptr && *env_value != '\0') {
                row.value = env_value;
                row.source = "environment " + env;
            } else if (configured != config.values().end()) {
                const ConfigPosition& at = configured->second.position;
                row.value = joined(configured->second.values);
                row.source = fmt::format("{}:{}:{}", at.file, at.line, at.column);
            }
            rows.push_back(std::move(row));
        }
        text += fmt::format("\n{}:\n", names[i]);
        nlohmann::ordered_json entries = nlohmann::ordered_json::object();
        for (const auto& row : rows) {
            text += fmt::format("  {:<22} {:<24} ({})\n",
                                row.key + ":",
                                row.value.empty() ? "\"\"" : row.value,
                                row.source);
            entries[row.key] = {{"value", row.value}, {"source", row.source}, {"kind", row.kind}};
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
    auto flags = std::make_shared<ShowFlags>();
    CLI::App* show = command->add_subcommand(
        "show", "Print every flag's value for each command, and where it came from");
    show->footer("Values come from the command line, then AIOPS_* environment variables, then\n"
                 "the configuration file (--config, else .aiops.yaml from here up to the\n"
                 "repository root), then the built-in defaults.\n"
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
