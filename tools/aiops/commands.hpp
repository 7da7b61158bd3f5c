#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aiops::cli {

/// The global flags every command sees.
struct GlobalOptions
{
    int verbosity = 0;
    bool quiet = false;
    std::string color = "auto";
    std::vector<std::string> command_line; ///< argv as given, for reports
};

/// What a registered command runs once the command line is parsed; returns the exit code.
using CommandAction = std::function<int(const GlobalOptions&)>;

/// Adds `aiops validate` to the application; `action` is set when it is chosen.
void register_validate(CLI::App& app, CommandAction& action);

/// Adds `aiops scan` to the application; `action` is set when it is chosen.
void register_scan(CLI::App& app, CommandAction& action);

/// Adds `aiops prompt` and its subcommands; `action` is set when one is chosen.
void register_prompt(CLI::App& app, CommandAction& action);

/// Adds `aiops report` (merge) to the application; `action` is set when it is chosen.
void register_report(CLI::App& app, CommandAction& action);

/// Adds `aiops behave` to the application; `action` is set when it is chosen.
void register_behave(CLI::App& app, CommandAction& action);

/// Adds `aiops init` (a starter project) to the application; `action` is set when it is
/// chosen.
void register_init(CLI::App& app, CommandAction& action);

/// Adds `aiops generate` to the application; `action` is set when it is chosen.
void register_generate(CLI::App& app, CommandAction& action);

class ConfigFile;

/// Adds `aiops config` (show) to the application; `action` is set when it is chosen.
/// `file` is the configuration file in use, if any.
void register_config(CLI::App& app,
                     CommandAction& action,
                     std::shared_ptr<ConfigFile> config,
                     std::optional<std::string> file);

} // namespace aiops::cli
