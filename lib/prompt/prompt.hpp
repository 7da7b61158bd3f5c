#pragma once

#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::prompt {

/// A 1-based place in a prompt file.
struct FilePosition
{
    int line = 0;
    int column = 0;
};

/// A variable a prompt's templates may use.
struct Variable
{
    std::string name;
    std::string description;
    bool required = false;
    std::optional<std::string> default_value;
    /// "user" when the value carries user input, "trusted" when it never does; empty
    /// when the file does not say (lint then guesses from the name).
    std::string source;
    FilePosition position;
};

/// The model settings a prompt suggests; callers may override them.
struct ModelDefaults
{
    std::optional<std::string> model;
    std::optional<double> temperature;
    std::optional<std::int64_t> max_tokens;
};

/// One message: a role and a mustache template.
struct Message
{
    std::string role;
    std::string text;
    FilePosition position;      ///< of the message
    int template_mark_line = 0; ///< the template scalar's 0-based parser mark
    int template_mark_column = 0;
};

/// A prompt file (prompts/NAME.prompt.yaml), loaded.
struct Prompt
{
    std::string name;
    std::string description;
    std::vector<Variable> variables;
    ModelDefaults model;
    std::vector<Message> messages;
    nlohmann::json metadata = nlohmann::json::object();
    std::string file;               ///< the name errors and findings use
    std::vector<std::string> lines; ///< the file's lines, for positions inside templates

    const Variable* find_variable(std::string_view name) const;

    /// Where a place inside message `index`'s template (1-based line and column of the
    /// template's text) is in the file.
    FilePosition template_position(std::size_t index, int line, int column) const;
};

/// The roles a message may have.
const std::vector<std::string>& message_roles();

/// Loads a prompt file strictly: bytes that are not UTF-8, YAML errors, unknown keys
/// (with "did you mean"),
/// wrong types, missing fields and duplicate variables fail as an input error
/// 'file:line:column: what is wrong'. When `expected_name` is not empty the file's
/// name field must equal it. Templates are not compiled here (lint and render do).
core::Result<Prompt>
parse_prompt(const std::string& file, const std::string& text, std::string_view expected_name = {});

/// The prompt as canonical JSON: independent of YAML layout, quoting and key order.
nlohmann::json to_canonical_json(const Prompt& prompt);

/// The prompt's identity: "sha256:" and the SHA-256 of its canonical JSON text.
std::string prompt_hash(const Prompt& prompt);

/// Reads a mapping of values from YAML or JSON text (for render's --vars FILE): strings,
/// lists and nested mappings, true, false and null; a number is kept as the text it is
/// written as (3.10 stays 3.10), since it is inserted as text. Fails as an input error
/// 'file:line:column: what is wrong', also for bytes that are not UTF-8 and for a number
/// too large for a double (1e400), which JSON cannot hold.
core::Result<nlohmann::json> parse_values(const std::string& file, const std::string& text);

/// Whether a name is a prompt name: '/'-separated words of letters, digits, '.', '_'
/// and '-', none empty, '.' or '..'.
bool is_valid_prompt_name(std::string_view name);

} // namespace aiops::prompt
