#pragma once

#include "behave/json_path.hpp"
#include "behave/json_schema.hpp"
#include "core/error.hpp"
#include "source/language.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace re2 {
class RE2;
}

namespace aiops::behave {

/// A position in a suite file (1-based).
struct Position
{
    int line = 1;
    int column = 1;
};

/// Which text of a trial an assertion reads.
enum class Stream
{
    output, ///< the reply of a prompt case, the standard output of a command case
    stdout_stream,
    stderr_stream,
};

/// How trial outputs are normalised before they are compared for consistency.
enum class Normalisation
{
    exact,      ///< byte for byte
    whitespace, ///< runs of white space collapsed, ends trimmed
    case_fold,  ///< white space as above, and letters lowercased (see fold_case)
    json,       ///< parsed and written back with sorted keys; text that is not JSON stays as is
};

/// Parses "exact", "whitespace", "case" or "json".
std::optional<Normalisation> parse_normalisation(std::string_view name);

/// One check on a trial's result.
struct Assertion
{
    enum class Kind
    {
        equals,
        contains,
        icontains,
        not_contains,
        regex,
        starts_with,
        is_json,
        json_schema,
        json_path,
        max_length,
        min_length,
        valid_code,
        max_latency_ms,
        max_cost,
        exit_code,
    };

    Kind kind = Kind::equals;
    Stream stream = Stream::output;
    bool negated = false; ///< under `not:`
    std::string name;     ///< as written: "stdout-contains"
    std::string text;     ///< the string operand
    double number = 0.0;  ///< the numeric operand
    std::shared_ptr<const re2::RE2> regex;
    std::shared_ptr<const JsonSchema> schema;
    std::optional<JsonPath> path;
    std::optional<nlohmann::json> path_equals;
    std::optional<nlohmann::json> path_contains;
    source::Language language = source::Language::python;
    Position position;
};

/// One chat message of an inline prompt.
struct Message
{
    std::string role;
    std::string content;
};

/// A case sent to the model: a registry prompt or inline messages.
struct PromptCase
{
    std::string prompt_name;    ///< "summarise"; empty for inline messages
    std::string prompt_version; ///< "3" in "summarise@3"; empty: the working copy
    std::vector<Message> messages;
    std::map<std::string, std::string> variables;
    std::string provider;
    std::string model;
    std::optional<double> temperature;
    std::optional<int> max_tokens;
};

/// A case run as a child process, without a shell.
struct CommandCase
{
    std::vector<std::string> argv;
    std::optional<std::string> stdin_text;
    std::map<std::string, std::string> env;
    std::filesystem::path
        working_folder; ///< absolute: relative ones are taken from the suite's folder
};

/// One behaviour to test.
struct Case
{
    std::string id;
    std::string description;
    Position position;
    std::string source_line;          ///< the suite file's line the case starts on
    std::optional<PromptCase> prompt; ///< exactly one of prompt and command is set
    std::optional<CommandCase> command;
    std::optional<std::size_t> trials;
    std::optional<double> threshold;
    std::optional<double> consistency_min;
    std::optional<Normalisation> normalisation;
    std::optional<std::chrono::milliseconds> timeout;
    std::optional<std::size_t> max_output; ///< command cases: bytes of each output stream
    std::vector<Assertion> assertions;
};

/// The time a command case's trial may take when neither the case nor the suite says.
inline constexpr std::chrono::milliseconds k_default_command_timeout{60000};

/// The bytes of each output stream a command case's trial may write when neither the case
/// nor the suite says; past it the trial fails.
inline constexpr std::size_t k_default_max_output = 8 * 1024 * 1024;

/// What every case takes unless it says otherwise.
struct SuiteDefaults
{
    std::size_t trials = 10;
    double threshold = 1.0;
    std::string provider;
    std::string model;
    std::optional<double> temperature;
    /// Bounds a command case's trial (k_default_command_timeout when unset) and a prompt
    /// case's model call, retries included (the model layer's own timeouts when unset).
    std::optional<std::chrono::milliseconds> timeout;
    std::size_t max_output = k_default_max_output;
    Normalisation normalisation = Normalisation::whitespace;
};

/// A suite file.
struct Suite
{
    std::filesystem::path path; ///< as named on the command line
    std::string display_path;   ///< '/'-separated, for reports
    std::string name;
    SuiteDefaults defaults;
    std::vector<Case> cases;
};

/// Loads a suite strictly: unknown keys (with "did you mean"), wrong types, bad
/// assertions, JSON Schemas outside the supported subset, bad regular expressions and
/// duplicate case ids fail with ErrorCode::input as "file:line:column: what is wrong".
/// An unreadable file fails with ErrorCode::io.
core::Result<Suite> load_suite(const std::filesystem::path& path, const std::string& display_path);

/// Parses suite text (for tests and for load_suite); `base_folder` resolves relative
/// working folders and json-schema files.
core::Result<Suite> parse_suite(std::string_view text,
                                const std::string& display_path,
                                const std::filesystem::path& base_folder);

} // namespace aiops::behave
