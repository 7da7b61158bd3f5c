#pragma once

// JSON as the files validate reads write it: JSON with comments and trailing commas
// (JSONC) where the tools that own a file accept them, parse errors at a byte offset,
// and where each member of a document is written, for messages about its value.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace aiops::validate {

/// Whether a file is read as JSONC by the tool that owns it: TypeScript's
/// tsconfig*.json and jsconfig*.json, the files of a .vscode or .devcontainer folder,
/// and *.jsonc. Comments and trailing commas are valid there.
bool is_jsonc_file(std::string_view path);

/// The text with every trailing comma (one that only white space and comments keep from
/// a closing bracket) replaced by a space: a strict parser that skips comments then
/// reads JSONC, and byte offsets stay as they were.
std::string blank_trailing_commas(std::string_view text);

/// Why a JSON text does not parse: the byte offset of the failure and the parser's
/// reason without its prefix ("syntax error while parsing value - invalid literal").
struct JsonError
{
    std::size_t offset = 0;
    std::string reason;
};

JsonError describe_json_error(const nlohmann::json::parse_error& error, std::string_view text);

/// Parses JSON (with comments allowed); for JSONC, trailing commas too.
nlohmann::json parse_json_text(std::string_view text, bool jsonc);

/// Where the members of a JSON document are written. The text must be JSON that
/// parse_json_text accepts. Members are named by JSON pointer ("/dependencies/express",
/// "" for the whole document).
class JsonPlaces
{
public:
    explicit JsonPlaces(std::string_view text);

    /// The byte offset of a member's value; of its parent's when it is not there.
    std::size_t value(const std::string& pointer) const;

    /// The byte offset of a member's key (its value's for an array item or the
    /// document); of its parent's when it is not there.
    std::size_t key(const std::string& pointer) const;

    /// A key given twice in one object, the first such in the text.
    struct Duplicate
    {
        std::string pointer; ///< the member both keys name
        std::size_t first = 0;
        std::size_t second = 0;
    };

    const std::optional<Duplicate>& duplicate() const { return m_duplicate; }

    /// The pointer of a member: the parent's pointer, '/', and the key with '~' and '/'
    /// escaped.
    static std::string child(const std::string& parent, std::string_view key);

private:
    std::map<std::string, std::size_t, std::less<>> m_values;
    std::map<std::string, std::size_t, std::less<>> m_keys;
    std::optional<Duplicate> m_duplicate;

    std::size_t find(const std::map<std::string, std::size_t, std::less<>>& places,
                     std::string pointer) const;
    void scan(std::string_view text);
};

} // namespace aiops::validate
