#pragma once

// The configuration file, .aiops.yaml: one section per command whose keys are the
// command's long flags, and a `defaults` section for flags that several commands
// share (jobs, exclude, ...). Flags given on the command line win, then the AIOPS_*
// environment variables, then the file, then the built-in defaults. A relative path
// in the file is relative to the file's folder, wherever aiops runs from.
//
//   defaults:
//     exclude: [third_party/]
//   scan:
//     fail-on: medium
//     rules: [security/rules]
//   validate:
//     checks: syntax

#include <CLI/CLI.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aiops::cli {

/// Where a configured value was written.
struct ConfigPosition
{
    std::string file;
    int line = 1;
    int column = 1;
};

/// One configured flag of one command.
struct ConfigValue
{
    std::string command;             ///< "scan"
    std::string key;                 ///< "fail-on"
    std::vector<std::string> values; ///< paths already made relative to the working folder
    ConfigPosition position;         ///< of the key: where the setting is written
    std::vector<ConfigPosition> at;  ///< of each value: where a bad one is shown
};

/// What a configurable flag takes, as the file and `config show` write it.
enum class ConfigKind
{
    switch_flag, ///< true or false
    whole,       ///< a whole number
    number,      ///< a number
    text,        ///< one string
    texts,       ///< a list of strings (one string is a list of one)
};

/// The kind of value an option takes.
ConfigKind config_kind(const CLI::Option& option);

/// Reads .aiops.yaml strictly against the commands of an application: an unknown
/// section or key ("did you mean"), a list for a flag that takes one value, a value of
/// the wrong type or one the flag refuses is `file:line:column: what is wrong` at the
/// value (core::Error with ErrorCode::input). A value under `defaults` applies to each
/// command that accepts it, and is an error only when none does. Hands CLI11 only the
/// values that neither the command line nor the environment sets, nor overrides with a
/// flag that makes the same choice (--staged or --no-diff for the file's diff).
class ConfigFile : public CLI::Config
{
public:
    explicit ConfigFile(const CLI::App& app) : m_app(app) {}

    /// The file CLI11 is about to read (it does not pass the name on).
    void set_file(std::string file) { m_file = std::move(file); }

    std::string to_config(const CLI::App*, bool, bool, std::string) const override;
    std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;

    /// Every value of the file, whether or not something overrides it; fills
    /// `values()` too. Throws core::Error as from_config does.
    std::vector<ConfigValue> read(std::istream& input) const;

    /// The values the last read found, by "command.key".
    const std::map<std::string, ConfigValue>& values() const { return m_values; }

private:
    const CLI::App& m_app;
    std::string m_file;
    mutable std::map<std::string, ConfigValue> m_values;
};

/// The configuration file to use: `--config FILE` from the arguments, else the first
/// .aiops.yaml from the working folder up to the root of its git work tree (or of the
/// file system, outside git); nullopt when there is none. A .aiops.yaml that is there
/// but is no readable file (a dangling link, a folder) is returned, for
/// check_config_file to refuse.
std::optional<std::string> find_config_file(int argc, char** argv);

/// Throws core::Error (usage) when the file cannot be read as a configuration file:
/// missing, a symbolic link to nothing, or not a regular file.
void check_config_file(const std::string& file);

/// The option of a command that a configuration key names, or null.
const CLI::Option* configurable_option(const CLI::App& command, const std::string& key);

/// The commands whose flags the file may set, by section name ("report.merge").
std::vector<const CLI::App*> configurable_commands(const CLI::App& app,
                                                   std::vector<std::string>& names);

} // namespace aiops::cli
