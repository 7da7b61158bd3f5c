#pragma once

#include "core/error.hpp"
#include "core/line_index.hpp"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::core {

/// What a scalar written without quotes reads as when it is not a string: "a number",
/// "a boolean" or "null"; nullopt for a string.
std::optional<std::string> non_string_type(const YAML::Node& node);

/// Strict reading of YAML (and JSON, which yaml-cpp reads as YAML) with errors that
/// name the file, line and column: "name:line:column: what is wrong". The accessors
/// throw Error with ErrorCode::input; read_document returns the same for a document
/// that does not parse, holds invalid UTF-8, leaves a quoted string open at its end,
/// or is followed by a second document.
class YamlReader
{
public:
    explicit YamlReader(std::string name) : m_name(std::move(name)) {}

    const std::string& name() const { return m_name; }

    /// Parses the text; fails with "name:line:column: invalid YAML: ..." (or "invalid
    /// JSON" for a name ending in .json, which must also be strict JSON: no trailing
    /// commas, comments or unquoted keys). An empty text is a null node.
    Result<YAML::Node> read_document(std::string_view text) const;

    /// Fails with "name:line:column: invalid UTF-8 (byte 0x..)" at the first byte that is
    /// not UTF-8: yaml-cpp would read it without a word and pass U+FFFD on. read_document
    /// checks this first; a caller that reads the text before it can check it earlier.
    Result<bool> check_utf8(std::string_view text) const;

    /// An input error at a position of the document.
    Error error_at(const YAML::Mark& mark, const std::string& message) const;

    Error error_at(const YAML::Node& node, const std::string& message) const
    {
        return error_at(node.Mark(), message);
    }

    /// Throws error_at(node, message).
    [[noreturn]] void raise(const YAML::Node& node, const std::string& message) const;

    /// The 1-based line and column of a node (the start of the document for a node
    /// the loader made up, such as a missing key's).
    TextPosition position(const YAML::Node& node) const;

    /// Requires a mapping whose keys are all known and none repeated; an unknown key
    /// gets a "did you mean" hint. `what` names the mapping in messages ("unknown key
    /// 'x' in a rule"); empty, messages name no mapping.
    void check_mapping(const YAML::Node& node,
                       const std::vector<std::string>& known,
                       std::string_view what) const;

    /// Requires every mapping in the tree under node, node included, to name each key
    /// once, and every key to be a scalar; the error sits at the second key and says
    /// where the first is: "duplicate key 'x' (first at line N, column M)".
    void check_unique_keys(const YAML::Node& node) const;

    /// Requires the keys to be present in the mapping.
    void require(const YAML::Node& map,
                 const std::vector<std::string>& keys,
                 std::string_view what) const;

    /// The value of a scalar, a list of scalars, a number, a whole number or a boolean
    /// (the last three written without quotes), or requires a list; `key` names the
    /// value in messages ("'name' must be a string"). string and strings take any
    /// scalar's text as written, numbers and booleans too.
    std::string string(const YAML::Node& node, std::string_view key) const;
    std::vector<std::string> strings(const YAML::Node& node, std::string_view key) const;

    /// A value the format declares a string: a quoted scalar, or plain text that YAML
    /// does not read as a number, a boolean or null. `name: 42` is an error that says to
    /// write `name: "42"` for the text.
    std::string strict_string(const YAML::Node& node, std::string_view key) const;
    std::vector<std::string> strict_strings(const YAML::Node& node, std::string_view key) const;

    double number(const YAML::Node& node, std::string_view key) const;
    long long integer(const YAML::Node& node, std::string_view key) const;
    bool boolean(const YAML::Node& node, std::string_view key) const;
    void sequence(const YAML::Node& node, std::string_view key) const;

    /// Any YAML value as JSON: mappings, lists, and scalars (plain ones that read as
    /// numbers, booleans or null become those). A key given twice is an error, as in
    /// check_unique_keys.
    nlohmann::json to_json(const YAML::Node& node) const;

private:
    /// Why the text is not strict JSON, if it is not.
    std::optional<Error> json_error(std::string_view text) const;

    std::string m_name;
};

} // namespace aiops::core
