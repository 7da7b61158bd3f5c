#include "core/yaml_reader.hpp"

#include "core/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
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
    if (is_plain(node)) {
        const std::string& text = node.Scalar();
        if (text == "~" || text == "null" || text == "Null" || text == "NULL") {
            return nullptr;
        }
        bool flag = false;
        if (text != "y" && text != "n" && YAML::convert<bool>::decode(node, flag)) {
            return flag;
        }
        long long whole = 0;
        const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), whole);
        if (!text.empty() && failure == std::errc() && end == text.data() + text.size()) {
            return whole;
        }
        double real = 0;
        if (YAML::convert<double>::decode(node, real)) {
            return real;
        }
    }
    return node.Scalar();
}

} // namespace

Result<YAML::Node> YamlReader::read_document(std::string_view text) const
{
    const bool json = m_name.size() >= 5 && m_name.compare(m_name.size() - 5, 5, ".json") == 0;
    // A .json file is held to JSON, and told what is wrong in JSON's terms: its parser
    // goes first.
    if (json) {
        if (auto error = json_error(text)) {
            return *error;
        }
    }
    YAML::Node document;
    try {
        document = YAML::Load(std::string(text));
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
    return document;
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
