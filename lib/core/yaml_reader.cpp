#include "core/yaml_reader.hpp"

#include "core/strings.hpp"
#include "core/utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>

namespace aiops::core {

namespace {

// A scalar written without quotes, whose text YAML reads as a number, boolean or null.
bool is_plain(const YAML::Node& node)
{
    return node.Tag() == "?";
}

/// How many nodes check_unique_keys visits at most: aliases may repeat a subtree many
/// times over, and a walk through all of them would not end in useful time.
constexpr std::size_t k_max_checked_nodes = 1'000'000;

// What a plain scalar reads as when it is not a string: null, a boolean or a number;
// nullopt for a string (any quoted scalar, and plain text such as "hello").
std::optional<nlohmann::json> plain_value(const YAML::Node& node)
{
    if (!node.IsScalar() || !is_plain(node)) {
        return std::nullopt;
    }
    const std::string& text = node.Scalar();
    if (text == "~" || text == "null" || text == "Null" || text == "NULL") {
        return nlohmann::json(nullptr);
    }
    bool flag = false;
    if (text != "y" && text != "n" && YAML::convert<bool>::decode(node, flag)) {
        return nlohmann::json(flag);
    }
    long long whole = 0;
    const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), whole);
    if (!text.empty() && failure == std::errc() && end == text.data() + text.size()) {
        return nlohmann::json(whole);
    }
    double real = 0;
    if (YAML::convert<double>::decode(node, real)) {
        return nlohmann::json(real);
    }
    return std::nullopt;
}

nlohmann::json json_of(const YAML::Node& node)
{
    if (node.IsMap()) {
        nlohmann::json object = nlohmann::json::object();
        for (const auto& entry : node) {
            object[entry.first.Scalar()] = json_of(entry.second);
        }
        return object;
    }
    if (node.IsSequence()) {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& item : node) {
            array.push_back(json_of(item));
        }
        return array;
    }
    if (!node.IsScalar()) {
        return nullptr;
    }
    if (auto value = plain_value(node)) {
        return *value;
    }
    return node.Scalar();
}

// The byte offset just past the closing quote of the quoted scalar that opens at
// `open`, or nullopt when the text ends first. yaml-cpp takes the end of the input as
// the end of an open quoted scalar, which YAML does not allow.
std::optional<std::size_t> quoted_scalar_end(std::string_view text, std::size_t open)
{
    const char quote = text[open];
    for (std::size_t at = open + 1; at < text.size(); ++at) {
        if (quote == '"' && text[at] == '\\') {
            ++at; // the escaped character, a quote among them
        } else if (text[at] == quote) {
            if (quote == '\'' && at + 1 < text.size() && text[at + 1] == '\'') {
                ++at; // '' is a quote inside a single-quoted scalar
                continue;
            }
            return at + 1;
        }
    }
    return std::nullopt;
}

// The start of the last quoted scalar (keys included) of the tree: a quoted scalar left
// open runs to the end of the input, so it can only be the last one.
std::optional<std::size_t> last_quoted_scalar(const YAML::Node& root, std::string_view text)
{
    std::optional<std::size_t> last;
    std::vector<YAML::Node> pending{root};
    std::size_t visited = 0;
    while (!pending.empty() && ++visited <= k_max_checked_nodes) {
        const YAML::Node node = pending.back();
        pending.pop_back();
        if (node.IsMap()) {
            for (const auto& entry : node) {
                pending.push_back(entry.first);
                pending.push_back(entry.second);
            }
        } else if (node.IsSequence()) {
            for (const auto& item : node) {
                pending.push_back(item);
            }
        } else if (node.IsScalar() && !is_plain(node)) {
            const int pos = node.Mark().pos;
            const auto at = static_cast<std::size_t>(pos);
            if (pos >= 0 && at < text.size() && (text[at] == '"' || text[at] == '\'')
                && (!last || at > *last)) {
                last = at;
            }
        }
    }
    return last;
}

// Where the document whose first node is at `offset` opens: its "---" marker, the last
// one at or before offset and after the line of `from` (the previous document's start).
std::size_t document_marker(std::string_view text, std::size_t from, std::size_t offset)
{
    std::size_t marker = offset;
    std::size_t line = text.find('\n', from);
    line = line == std::string_view::npos ? text.size() : line + 1;
    while (line < text.size() && line <= offset) {
        const std::string_view rest = text.substr(line);
        if (rest.starts_with("---")
            && (rest.size() == 3 || rest[3] == ' ' || rest[3] == '\t' || rest[3] == '\n'
                || rest[3] == '\r')) {
            marker = line;
        }
        const std::size_t end = text.find('\n', line);
        if (end == std::string_view::npos) {
            break;
        }
        line = end + 1;
    }
    return marker;
}

} // namespace

std::optional<std::string> non_string_type(const YAML::Node& node)
{
    const auto value = plain_value(node);
    if (!value) {
        return std::nullopt;
    }
    return value->is_boolean() ? "a boolean" : value->is_null() ? "null" : "a number";
}

Result<YAML::Node> YamlReader::read_document(std::string_view text) const
{
    const bool json = m_name.size() >= 5 && m_name.compare(m_name.size() - 5, 5, ".json") == 0;
    if (auto valid = check_utf8(text); !valid) {
        return valid.error();
    }
    // A .json file is held to JSON, and told what is wrong in JSON's terms: its parser
    // goes first.
    if (json) {
        if (auto error = json_error(text)) {
            return *error;
        }
    }
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(std::string(text));
    } catch (const YAML::Exception& error) {
        std::string message = (json ? "invalid JSON: " : "invalid YAML: ") + error.msg;
        if (error.mark.line >= 0) {
            const std::string_view line = LineIndex(text).line_text(error.mark.line + 1);
            const std::string_view indent = line.substr(0, line.find_first_not_of(" \t"));
            if (indent.find('\t') != std::string_view::npos) {
                message += " (the line is indented with a tab; YAML indents with spaces only)";
            }
        }
        return error_at(error.mark, message);
    }
    if (documents.empty()) {
        return YAML::Node(); // empty, or only comments
    }
    YAML::Node document = documents.front();
    if (documents.size() > 1) {
        // A second document would be dropped without a word: its settings lost.
        const YAML::Mark second = documents[1].Mark();
        const std::size_t at =
            document_marker(text,
                            static_cast<std::size_t>(std::max(document.Mark().pos, 0)),
                            static_cast<std::size_t>(std::max(second.pos, 0)));
        const TextPosition where = LineIndex(text).position(at);
        return Error(ErrorCode::input,
                     fmt::format("{}:{}:{}: a second YAML document starts here; the file must "
                                 "hold one document",
                                 m_name,
                                 where.line,
                                 where.column));
    }
    if (const auto open = last_quoted_scalar(document, text);
        open && !quoted_scalar_end(text, *open)) {
        const TextPosition where = LineIndex(text).position(*open);
        return Error(ErrorCode::input,
                     fmt::format("{}:{}:{}: invalid YAML: the quoted string is not closed",
                                 m_name,
                                 where.line,
                                 where.column));
    }
    return document;
}

Result<bool> YamlReader::check_utf8(std::string_view text) const
{
    if (const auto invalid = find_invalid_utf8(text)) {
        const TextPosition where = LineIndex(text).position(*invalid);
        return Error(ErrorCode::input,
                     fmt::format("{}:{}:{}: invalid UTF-8 (byte 0x{:02X}); the file must be UTF-8",
                                 m_name,
                                 where.line,
                                 where.column,
                                 static_cast<unsigned char>(text[*invalid])));
    }
    return true;
}

std::optional<Error> YamlReader::json_error(std::string_view text) const
{
    try {
        [[maybe_unused]] const auto as_json = nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& error) {
        std::string reason = error.what();
        if (const std::size_t colon = reason.find(": ", reason.find("column"));
            colon != std::string::npos) {
            reason = reason.substr(colon + 2);
        }
        const std::size_t at = error.byte == 0 ? 0 : std::min(error.byte - 1, text.size());
        const TextPosition where = LineIndex(text).position(at);
        return Error(
            ErrorCode::input,
            fmt::format("{}:{}:{}: invalid JSON: {}", m_name, where.line, where.column, reason));
    }
    return std::nullopt;
}

Error YamlReader::error_at(const YAML::Mark& mark, const std::string& message) const
{
    // A node made by the loader (a missing key) has no position: the start stands in.
    const int line = mark.line < 0 ? 1 : mark.line + 1;
    const int column = mark.column < 0 ? 1 : mark.column + 1;
    return Error(ErrorCode::input, fmt::format("{}:{}:{}: {}", m_name, line, column, message));
}

void YamlReader::raise(const YAML::Node& node, const std::string& message) const
{
    throw error_at(node.Mark(), message);
}

TextPosition YamlReader::position(const YAML::Node& node) const
{
    const YAML::Mark mark = node.Mark();
    return {mark.line < 0 ? 1 : mark.line + 1, mark.column < 0 ? 1 : mark.column + 1};
}

void YamlReader::check_mapping(const YAML::Node& node,
                               const std::vector<std::string>& known,
                               std::string_view what) const
{
    if (!node.IsMap()) {
        raise(node,
              what.empty() ? std::string("a mapping is expected here")
                           : fmt::format("{} must be a mapping", what));
    }
    std::set<std::string> seen;
    for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
            raise(entry.first, "a key must be a string");
        }
        const std::string key = entry.first.Scalar();
        const std::string in = what.empty() ? std::string() : fmt::format(" in {}", what);
        if (!seen.insert(key).second) {
            raise(entry.first, fmt::format("duplicate key '{}'{}", key, in));
        }
        if (std::find(known.begin(), known.end(), key) != known.end()) {
            continue;
        }
        std::string message = fmt::format("unknown key '{}'{}", key, in);
        if (auto close = closest_match(key, known)) {
            message += fmt::format("; did you mean '{}'?", *close);
        }
        raise(entry.first, message);
    }
}

void YamlReader::check_unique_keys(const YAML::Node& node) const
{
    // Depth first, children pushed last to first, so the duplicate reported is the
    // first one in the document's order.
    std::vector<YAML::Node> pending{node};
    std::vector<YAML::Node> children;
    std::size_t visited = 0;
    while (!pending.empty()) {
        const YAML::Node current = pending.back();
        pending.pop_back();
        if (++visited > k_max_checked_nodes) {
            raise(node, "the document has too many nodes to check (aliases repeated too often?)");
        }
        children.clear();
        if (current.IsSequence()) {
            for (const auto& item : current) {
                children.push_back(item);
            }
            pending.insert(pending.end(), children.rbegin(), children.rend());
            continue;
        }
        if (!current.IsMap()) {
            continue;
        }
        std::map<std::string, YAML::Mark> first;
        for (const auto& entry : current) {
            if (!entry.first.IsScalar()) {
                raise(entry.first, "a key must be a string");
            }
            const auto [seen, inserted] = first.emplace(entry.first.Scalar(), entry.first.Mark());
            if (!inserted) {
                raise(entry.first,
                      fmt::format("duplicate key '{}' (first at line {}, column {})",
                                  entry.first.Scalar(),
                                  seen->second.line + 1,
                                  seen->second.column + 1));
            }
            children.push_back(entry.second);
        }
        pending.insert(pending.end(), children.rbegin(), children.rend());
    }
}

void YamlReader::require(const YAML::Node& map,
                         const std::vector<std::string>& keys,
                         std::string_view what) const
{
    for (const auto& key : keys) {
        if (!map[key]) {
            raise(map, fmt::format("{} has no '{}'", what, key));
        }
    }
}

std::string YamlReader::string(const YAML::Node& node, std::string_view key) const
{
    if (!node.IsScalar()) {
        raise(node, fmt::format("'{}' must be a string", key));
    }
    return node.Scalar();
}

std::vector<std::string> YamlReader::strings(const YAML::Node& node, std::string_view key) const
{
    if (!node.IsSequence()) {
        raise(node, fmt::format("'{}' must be a list of strings", key));
    }
    std::vector<std::string> out;
    for (const auto& item : node) {
        if (!item.IsScalar()) {
            raise(item, fmt::format("'{}' must be a list of strings", key));
        }
        out.push_back(item.Scalar());
    }
    return out;
}

std::string YamlReader::strict_string(const YAML::Node& node, std::string_view key) const
{
    if (!node.IsScalar()) {
        raise(node, fmt::format("'{}' must be a string", key));
    }
    if (const auto type = non_string_type(node)) {
        raise(node,
              fmt::format("'{}' must be a string, and {} reads as {}: put it in quotes for the "
                          "text",
                          key,
                          node.Scalar(),
                          *type));
    }
    return node.Scalar();
}

std::vector<std::string> YamlReader::strict_strings(const YAML::Node& node,
                                                    std::string_view key) const
{
    std::vector<std::string> out;
    strings(node, key);
    for (const auto& item : node) {
        out.push_back(strict_string(item, key));
    }
    return out;
}

double YamlReader::number(const YAML::Node& node, std::string_view key) const
{
    double value = 0;
    if (!node.IsScalar() || !is_plain(node) || !YAML::convert<double>::decode(node, value)) {
        raise(node, fmt::format("'{}' must be a number", key));
    }
    return value;
}

long long YamlReader::integer(const YAML::Node& node, std::string_view key) const
{
    long long value = 0;
    const std::string& text = node.IsScalar() ? node.Scalar() : std::string();
    const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!node.IsScalar() || !is_plain(node) || failure != std::errc()
        || end != text.data() + text.size()) {
        raise(node, fmt::format("'{}' must be a whole number", key));
    }
    return value;
}

bool YamlReader::boolean(const YAML::Node& node, std::string_view key) const
{
    bool value = false;
    if (!node.IsScalar() || !is_plain(node) || !YAML::convert<bool>::decode(node, value)) {
        raise(node, fmt::format("'{}' must be true or false", key));
    }
    return value;
}

void YamlReader::sequence(const YAML::Node& node, std::string_view key) const
{
    if (!node.IsSequence()) {
        raise(node, fmt::format("'{}' must be a list", key));
    }
}

nlohmann::json YamlReader::to_json(const YAML::Node& node) const
{
    check_unique_keys(node);
    return json_of(node);
}

} // namespace aiops::core
