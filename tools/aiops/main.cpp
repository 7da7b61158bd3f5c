#include "commands.hpp"
#include "config_file.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/version.hpp"
#include "scan/redaction.hpp"
#include "value_checks.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using aiops::core::ExitCode;

int to_int(ExitCode code)
{
    return static_cast<int>(code);
}

void configure_logging(const aiops::cli::GlobalOptions& globals)
{
    using aiops::core::log::Level;
    Level level = Level::warn;
    if (globals.quiet) {
        level = Level::error;
    } else if (globals.verbosity == 1) {
        level = Level::info;
    } else if (globals.verbosity == 2) {
        level = Level::debug;
    } else if (globals.verbosity >= 3) {
        level = Level::trace;
    }
    aiops::core::log::set_level(level);
}

// CLI11 would say "the following argument was not expected"; a misspelt command
// deserves a suggestion instead.
bool reject_unknown_command(const CLI::App& app, int argc, char** argv)
{
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        names.push_back(sub->get_name());
    }
    const std::vector<std::string> global_flags{
        "-v", "-vv", "-vvv", "--verbose", "-q", "--quiet", "-h", "--help", "--version"};
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word == "--color" || word == "--config") {
            ++i;
            continue;
        }
        if (word.starts_with("--color=") || word.starts_with("--config=")
            || std::find(global_flags.begin(), global_flags.end(), word) != global_flags.end()) {
            continue;
        }
        // Another flag before any command: CLI11 reports it.
        if (word.empty() || word.front() == '-') {
            return false;
        }
        if (std::find(names.begin(), names.end(), word) != names.end()) {
            return false;
        }
        std::string message = "unknown command '" + word + "'";
        if (auto suggestion = aiops::core::closest_match(word, names)) {
            message += "; did you mean '" + *suggestion + "'?";
        }
        aiops::core::log::error("{}", message);
        std::fputs("Run 'aiops --help' for the commands.\n", stderr);
        return true;
    }
    return false;
}

// A command may refuse a flag's value that came from the configuration file: then the
// message says where it was written, at the value it quotes. A message that quotes a
// value the file does not hold is about the command line's value.
std::optional<std::string> config_context(const aiops::cli::ConfigFile& config,
                                          const std::string& message)
{
    for (const auto& [id, value] : config.values()) {
        const std::string flag = "--" + value.key;
        if (message.find(flag + ":") == std::string::npos
            && message.find(flag + " ") == std::string::npos) {
            continue;
        }
        std::optional<aiops::cli::ConfigPosition> at;
        for (std::size_t i = 0; i < value.values.size() && i < value.at.size(); ++i) {
            // Messages show an address's user and password as ***.
            if (message.find("'" + value.values[i] + "'") != std::string::npos
                || message.find("'" + aiops::core::redact_userinfo(value.values[i]) + "'")
                       != std::string::npos) {
                at = value.at[i];
                break;
            }
        }
        const bool quotes_a_value = message.find(flag + " '") != std::string::npos;
        if (!at && quotes_a_value) {
            continue;
        }
        if (!at) {
            at = value.at.empty() ? value.position : value.at.front();
        }
        return fmt::format(
            "{}:{}:{}: {} (from the configuration file)", at->file, at->line, at->column, message);
    }
    return std::nullopt;
}

// CLI11 lets a list flag such as --exclude take every word that follows it, so
// "scan --exclude 'tests/**' src" would read src as a second pattern. Each occurrence
// of a list flag takes one value instead; the flag repeats for more. Positional
// lists keep taking every word.
void take_one_value_per_occurrence(CLI::App& command)
{
    for (CLI::Option* option : command.get_options()) {
        if (option->nonpositional() && option->get_expected_max() > 1) {
            option->allow_extra_args(false);
        }
    }
    for (CLI::App* sub : command.get_subcommands([](const CLI::App*) { return true; })) {
        take_one_value_per_occurrence(*sub);
    }
}

bool asks_for_help(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view word = argv[i];
        if (word == "--") {
            return false;
        }
        if (word == "-h" || word == "--help" || word == "--version") {
            return true;
        }
    }
    return false;
}

} // namespace

int main(int argc, char** argv)
{
    aiops::core::install_interrupt_handlers();
    // An error may quote a value from the command line or a file, and that may be a key.
    aiops::core::log::set_redactor(aiops::scan::redact_builtin_secrets);

    CLI::App app{"aiops: CI gates for code and features made with large language models."};
    app.name("aiops");
    app.set_version_flag("--version",
                         fmt::format("aiops {}\ntree-sitter {}\ngrammars: {}",
                                     aiops::core::k_version,
                                     aiops::core::k_tree_sitter_version,
                                     aiops::core::k_grammar_versions));
    app.require_subcommand(0, 1);
    app.fallthrough();
    app.footer("Exit codes: 0 passed, 1 gate failed, 2 usage or input error, 3 could not "
               "finish, 130 interrupted.\nRun 'aiops COMMAND --help' for a command's flags "
               "and examples.");

    // Defaults are recorded, so that 'aiops config show' can print them.
    app.option_defaults()->always_capture_default();

    aiops::cli::GlobalOptions globals;
    app.add_flag(
        "-v,--verbose", globals.verbosity, "More detail on stderr: -v info, -vv debug, -vvv trace");
    app.add_flag("-q,--quiet", globals.quiet, "Only errors on stderr");
    app.add_option("--color", globals.color, "Colour in text output: auto, always or never")
        ->check(aiops::cli::one_of({"auto", "always", "never"}))
        ->envname("AIOPS_COLOR");

    aiops::cli::CommandAction action;
    aiops::cli::register_generate(app, action);
    aiops::cli::register_validate(app, action);
    aiops::cli::register_scan(app, action);
    aiops::cli::register_behave(app, action);
    aiops::cli::register_report(app, action);
    aiops::cli::register_prompt(app, action);
    aiops::cli::register_init(app, action);

    // Flags given on the command line win, then AIOPS_* variables, then the file.
    // Help and the version are shown whatever the configuration file holds.
    const std::optional<std::string> config_path =
        asks_for_help(argc, argv) ? std::nullopt : aiops::cli::find_config_file(argc, argv);
    if (config_path) {
        // CLI11 passes over a default file it cannot open; a broken link is still a
        // file the user meant to be read.
        try {
            aiops::cli::check_config_file(*config_path);
        } catch (const aiops::core::Error& error) {
            aiops::core::log::error("{}", error.message());
            return to_int(aiops::core::exit_code_for(error.code()));
        }
    }
    auto config = std::make_shared<aiops::cli::ConfigFile>(app);
    config->set_file(config_path.value_or(""));
    app.config_formatter(config);
    app.set_config("--config",
                   config_path.value_or(""),
                   "Configuration file (default: .aiops.yaml, looked for from here up to the "
                   "repository root)");
    aiops::cli::register_config(app, action, config, config_path);
    take_one_value_per_occurrence(app);

    if (reject_unknown_command(app, argc, argv)) {
        return to_int(ExitCode::usage);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForAllHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForVersion& version) {
        return app.exit(version);
    } catch (const CLI::ParseError& error) {
        // The file's values were checked as it was read: this is the command line's.
        aiops::core::log::error("{}", error.what());
        std::fputs("Run 'aiops --help' for usage.\n", stderr);
        return to_int(ExitCode::usage);
    } catch (const aiops::core::Error& error) {
        // The configuration file is read while the command line is parsed.
        aiops::core::log::error("{}", error.message());
        return to_int(aiops::core::exit_code_for(error.code()));
    }
    configure_logging(globals);
    globals.command_line.assign(argv, argv + argc);
    globals.command_line[0] = "aiops";
    if (!action) {
        std::fputs(app.help().c_str(), stderr);
        return to_int(ExitCode::usage);
    }
    try {
        return action(globals);
    } catch (const aiops::core::Error& error) {
        // A flag's value may have come from the configuration file: then say where.
        const auto in_file = error.code() == aiops::core::ErrorCode::usage
                                 ? config_context(*config, error.message())
                                 : std::nullopt;
        aiops::core::log::error("{}", in_file.value_or(error.message()));
        return to_int(aiops::core::exit_code_for(error.code()));
    } catch (const std::exception& error) {
        aiops::core::log::error("internal error: {}", error.what());
        return to_int(ExitCode::failure);
    }
}
