#include "config_file.hpp"

#include "core/error.hpp"
#include "core/strings.hpp"
#include "core/yaml_reader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

namespace aiops::cli {

namespace {

constexpr const char* k_defaults = "defaults";

// Keys that take a file or folder. Patterns (exclude, secrets-allow-path) are matched
// against paths in the report root, and are not among them.
const std::set<std::string> k_path_keys{"baseline",
                                        "ca-bundle",
                                        "cache",
                                        "gitlab-codequality",
                                        "gitlab-sast",
                                        "json",
                                        "junit",
                                        "markdown",
                                        "metrics",
                                        "output",
                                        "registry",
                                        "root",
                                        "rules",
                                        "sarif",
                                        "spec",
                                        "write-baseline"};

// --cache takes dir:PATH, redis://... or off: only the first holds a path.
constexpr std::string_view k_cache_folder = "dir:";

// Flags that make one choice between them: the file's value gives way when the command
// line or the environment sets a rival, so that a file with `diff: origin/main` does
// not break `--staged` in a pre-commit hook or `scan --history`, and `--no-diff` turns
// the file's diff off.
const std::map<std::string, std::vector<std::string>> k_rivals{
    {"diff", {"staged", "no-diff", "history"}}, {"staged", {"diff", "history"}}};

// Flags that only override: --no-diff undoes a diff from the file or the environment,
// and means nothing in the file itself.
const std::set<std::string> k_command_line_only{"help", "config", "no-diff"};

std::vector<std::string> keys_of(const CLI::App& command)
{
    std::vector<std::string> keys;
    for (const CLI::Option* option : command.get_options()) {
        if (!option->get_lnames().empty()
            && !k_command_line_only.contains(option->get_lnames().front())) {
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

// A relative path of the file, made relative to the working folder (or left as it is
// when the file is in the working folder).
std::string
resolve_path(const std::string& key, const std::string& value, const std::filesystem::path& folder)
{
    if (key == "cache") {
        return value.starts_with(k_cache_folder)
                   ? std::string(k_cache_folder)
                         + resolve_path("", value.substr(k_cache_folder.size()), folder)
                   : value;
    }
    const std::filesystem::path path(value);
    if (folder.empty() || value.empty() || path.is_absolute()) {
        return value;
    }
    // lexically_normal keeps a final slash: "security/rules/" stays a folder's name.
    return (folder / path).lexically_normal().generic_string();
}

// Whether a configured value of this key names a file or folder, which the file gives
// relative to its own folder.
bool is_path_key(const std::string& key)
{
    return k_path_keys.contains(key);
}

// Why a value does not suit an option (its checks, such as one_of or number_range), as
// "must be ..."; empty when it does.
std::string value_problem(const CLI::Option& option, const std::string& value)
{
    // CLI11 2.1 gives an option's checks only through a non-const accessor; calling
    // one changes nothing in the option.
    auto& checked = const_cast<CLI::Option&>(option);
    for (int index = 0;; ++index) {
        CLI::Validator* validator = nullptr;
        try {
            validator = checked.get_validator(index);
        } catch (const CLI::OptionNotFound&) {
            break;
        }
        std::string copy = value;
        if (std::string problem = (*validator)(copy); !problem.empty()) {
            return problem;
        }
    }
    return {};
}

// The words a YAML value holds, with the position of each: a scalar is one word, a list
// one per item.
struct Words
{
    std::vector<std::string> texts;
    std::vector<YAML::Node> nodes;
};

// The commands and keys a section speaks to.
struct SectionTargets
{
    std::vector<const CLI::App*> commands;
    std::vector<std::string> keys;
};

} // namespace

ConfigKind config_kind(const CLI::Option& option)
{
    if (option.get_expected_min() == 0) {
        return ConfigKind::switch_flag;
    }
    if (option.get_expected_max() > 1) {
        return ConfigKind::texts;
    }
    const std::string type = option.get_type_name();
    if (type.starts_with("INT") || type.starts_with("UINT")) {
        return ConfigKind::whole;
    }
    if (type.starts_with("FLOAT")) {
        return ConfigKind::number;
    }
    return ConfigKind::text;
}

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

namespace {

// Reads one section of the file against the commands it speaks to.
class SectionReader
{
public:
    SectionReader(const core::YamlReader& reader,
                  const std::string& file,
                  const std::string& name,
                  SectionTargets targets,
                  std::map<std::string, ConfigValue>& values)
        : m_reader(reader), m_file(file), m_name(name), m_targets(std::move(targets)),
          m_values(values)
    {}

    void read(const YAML::Node& section, const std::vector<const CLI::App*>& every_command)
    {
        std::set<std::string> seen;
        for (const auto& entry : section) {
            const std::string key = m_reader.string(entry.first, "a key");
            if (!seen.insert(key).second) {
                m_reader.raise(entry.first,
                               fmt::format("'{}' is given twice in '{}'", key, m_name));
            }
            read_entry(key, entry.first, entry.second, every_command);
        }
    }

private:
    void read_entry(const std::string& key,
                    const YAML::Node& key_node,
                    const YAML::Node& value,
                    const std::vector<const CLI::App*>& every_command)
    {
        std::vector<const CLI::Option*> options;
        std::vector<std::string> owners;
        for (const CLI::App* command : m_targets.commands) {
            if (const CLI::Option* option = configurable_option(*command, key)) {
                options.push_back(option);
                owners.push_back(command->get_name());
            }
        }
        if (options.empty()) {
            m_reader.raise(key_node, unknown_key_message(key, every_command));
        }
        Words words = words_of(key, value, *options.front());
        if (is_path_key(key)) {
            const std::filesystem::path folder = std::filesystem::path(m_file).parent_path();
            for (auto& text : words.texts) {
                text = resolve_path(key, text, folder);
            }
        }
        // A value under defaults goes to the commands that accept it: `format: sarif`
        // suits scan and validate, and leaves behave's format alone.
        std::optional<std::pair<std::string, YAML::Node>> refused; // the first refusal
        std::string refused_by;
        bool applied = false;
        for (std::size_t i = 0; i < options.size(); ++i) {
            if (auto problem = problem_with(*options[i], words)) {
                if (!refused) {
                    refused = std::move(problem);
                    refused_by = owners[i];
                }
                continue;
            }
            store(owners[i], key, key_node, words);
            applied = true;
        }
        if (!applied) {
            // Our checks say "must be ..."; CLI11's own (ExistingFile) say what is wrong.
            const auto& [problem, bad] = *refused;
            const bool must = problem.starts_with("must ");
            m_reader.raise(bad,
                           options.size() == 1
                               ? fmt::format("'{}'{} {}", key, must ? "" : ":", problem)
                               : fmt::format("'{}' in '{}' suits no command: for {}{} {}",
                                             key,
                                             m_name,
                                             refused_by,
                                             must ? " it" : ":",
                                             problem));
        }
    }

    std::string unknown_key_message(const std::string& key,
                                    const std::vector<const CLI::App*>& every_command) const
    {
        std::string message = fmt::format("unknown key '{}' in '{}'", key, m_name);
        if (auto suggestion = core::closest_match(key, m_targets.keys)) {
            return message + fmt::format("; did you mean '{}'?", *suggestion);
        }
        // A flag of another command, put in the wrong section.
        std::vector<std::string> elsewhere;
        for (const CLI::App* command : every_command) {
            if (configurable_option(*command, key) != nullptr) {
                elsewhere.push_back(command->get_name());
            }
        }
        if (!elsewhere.empty()) {
            message += fmt::format(
                "; it is a flag of {}, not of {}", fmt::join(elsewhere, " and "), m_name);
        }
        return message;
    }

    // The words of a value, checked against the YAML type the flag takes.
    Words words_of(const std::string& key, const YAML::Node& value, const CLI::Option& option)
    {
        const ConfigKind kind = config_kind(option);
        Words words;
        if (value.IsScalar()) {
            words.nodes.push_back(value);
        } else if (value.IsSequence() && kind != ConfigKind::switch_flag) {
            if (kind != ConfigKind::texts) {
                m_reader.raise(value, fmt::format("'{}' takes one value, not a list", key));
            }
            for (const auto& item : value) {
                if (!item.IsScalar()) {
                    m_reader.raise(item, fmt::format("'{}' is a list of plain values", key));
                }
                words.nodes.push_back(item);
            }
        } else if (kind == ConfigKind::switch_flag) {
            m_reader.raise(value, fmt::format("'{}' is a switch: true or false", key));
        } else {
            m_reader.raise(value, fmt::format("'{}' takes a value or a list of values", key));
        }
        for (const auto& node : words.nodes) {
            words.texts.push_back(word_of(key, node, kind));
        }
        return words;
    }

    std::string word_of(const std::string& key, const YAML::Node& node, ConfigKind kind) const
    {
        const std::string text = node.Scalar();
        if (kind == ConfigKind::switch_flag) {
            const auto truth = boolean(text);
            if (!truth) {
                m_reader.raise(node, fmt::format("'{}' is a switch: true or false", key));
            }
            return *truth ? "true" : "false";
        }
        // A string may be written as a number (`python-version: 3.12`), as it would be on
        // the command line; `category: true` or `diff: no` is a mistake.
        const auto type = core::non_string_type(node);
        if ((kind == ConfigKind::text || kind == ConfigKind::texts) && type
            && *type != "a number") {
            return m_reader.strict_string(node, key);
        }
        return text;
    }

    // The first word the option refuses, and why it does.
    std::optional<std::pair<std::string, YAML::Node>> problem_with(const CLI::Option& option,
                                                                   const Words& words) const
    {
        if (config_kind(option) == ConfigKind::switch_flag) {
            return std::nullopt;
        }
        for (std::size_t i = 0; i < words.texts.size(); ++i) {
            if (std::string problem = value_problem(option, words.texts[i]); !problem.empty()) {
                return std::pair{problem, words.nodes[i]};
            }
        }
        return std::nullopt;
    }

    void store(const std::string& command,
               const std::string& key,
               const YAML::Node& key_node,
               const Words& words)
    {
        const core::TextPosition written = m_reader.position(key_node);
        ConfigValue configured{
            command, key, words.texts, {m_file, written.line, written.column}, {}};
        for (const auto& node : words.nodes) {
            const core::TextPosition at = m_reader.position(node);
            configured.at.push_back({m_file, at.line, at.column});
        }
        // A command's own section wins over defaults, wherever it stands.
        const std::string id = command + "." + key;
        const auto existing = m_values.find(id);
        if (existing == m_values.end() || m_name != k_defaults) {
            m_values[id] = std::move(configured);
        }
    }

    const core::YamlReader& m_reader;
    const std::string& m_file;
    std::string m_name;
    SectionTargets m_targets;
    std::map<std::string, ConfigValue>& m_values;
};

} // namespace

std::vector<ConfigValue> ConfigFile::read(std::istream& input) const
{
    std::stringstream buffer;
    buffer << input.rdbuf();
    const core::YamlReader reader(m_file);
    const YAML::Node document = reader.read_document(buffer.str()).take();
    m_values.clear();
    if (document.IsNull()) {
        return {};
    }
    if (!document.IsMap()) {
        reader.raise(document, "the configuration is a mapping of command names to flags");
    }
    std::vector<std::string> names;
    const auto commands = configurable_commands(m_app, names);
    std::vector<std::string> sections = names;
    sections.emplace_back(k_defaults);
    std::set<std::string> seen_sections;
    for (const auto& section : document) {
        const std::string name = reader.string(section.first, "a section");
        // YAML forbids a repeated key, but the parser keeps the last one silently: a
        // second 'fail-on' would switch the gate off without a word.
        if (!seen_sections.insert(name).second) {
            reader.raise(section.first, fmt::format("'{}' is given twice", name));
        }
        if (std::find(sections.begin(), sections.end(), name) == sections.end()) {
            std::string message = fmt::format("unknown section '{}'", name);
            if (auto suggestion = core::closest_match(name, sections)) {
                message += fmt::format("; did you mean '{}'?", *suggestion);
            } else {
                message += fmt::format(" (sections: {})", fmt::join(sections, ", "));
            }
            reader.raise(section.first, message);
        }
        if (!section.second.IsMap()) {
            reader.raise(section.second,
                         fmt::format("'{}' holds a mapping of flag names to values", name));
        }
        // The commands this section speaks to: one, or for defaults every command that
        // has the flag.
        SectionTargets targets;
        for (std::size_t i = 0; i < commands.size(); ++i) {
            if (name == k_defaults || names[i] == name) {
                targets.commands.push_back(commands[i]);
                for (auto& key : keys_of(*commands[i])) {
                    targets.keys.push_back(std::move(key));
                }
            }
        }
        SectionReader(reader, m_file, name, std::move(targets), m_values)
            .read(section.second, commands);
    }
    std::vector<ConfigValue> values;
    for (const auto& [id, value] : m_values) {
        values.push_back(value);
    }
    return values;
}

namespace {

// Whether the command line or the environment makes the choice the file's key makes.
bool overridden_by_rival(const CLI::App& command, const std::string& key)
{
    const auto rivals = k_rivals.find(key);
    if (rivals == k_rivals.end()) {
        return false;
    }
    for (const auto& rival : rivals->second) {
        const CLI::Option* option = command.get_option_no_throw("--" + rival);
        // CLI11 reads the file before the environment: count() is the command line's.
        if (option != nullptr && (option->count() > 0 || set_by_environment(*option))) {
            return true;
        }
    }
    return false;
}

} // namespace

std::vector<CLI::ConfigItem> ConfigFile::from_config(std::istream& input) const
{
    std::vector<CLI::ConfigItem> given;
    std::vector<std::string> names;
    const auto commands = configurable_commands(m_app, names);
    for (const ConfigValue& value : read(input)) {
        const auto at = std::find(names.begin(), names.end(), value.command);
        if (at == names.end()) {
            continue;
        }
        const CLI::App& command = *commands[static_cast<std::size_t>(at - names.begin())];
        const CLI::Option* option = configurable_option(command, value.key);
        if (option == nullptr || set_by_environment(*option)
            || overridden_by_rival(command, value.key)) {
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
        // A link to nothing is still a file the user meant: it is refused, not passed by.
        if (std::filesystem::exists(std::filesystem::symlink_status(candidate, ec))) {
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

void check_config_file(const std::string& file)
{
    std::error_code ec;
    const auto link = std::filesystem::symlink_status(file, ec);
    if (!std::filesystem::exists(link)) {
        throw core::Error(core::ErrorCode::usage, fmt::format("{}: no such file", file));
    }
    const auto target = std::filesystem::status(file, ec);
    if (std::filesystem::is_symlink(link) && !std::filesystem::exists(target)) {
        const auto points_at = std::filesystem::read_symlink(file, ec);
        throw core::Error(core::ErrorCode::usage,
                          fmt::format("{}: a symbolic link to '{}', which does not exist",
                                      file,
                                      points_at.string()));
    }
    if (!std::filesystem::is_regular_file(target)) {
        throw core::Error(core::ErrorCode::usage,
                          fmt::format("{}: not a file (the configuration is a YAML file)", file));
    }
}

} // namespace aiops::cli
