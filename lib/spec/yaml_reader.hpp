#pragma once

#include "core/error.hpp"
#include "spec/spec.hpp"

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

namespace aiops::spec {

/// Strict reading of YAML (and JSON, which yaml-cpp reads as YAML) with errors that
/// name the file, line and column. The accessors throw core::Error with
/// ErrorCode::input; read_document turns yaml-cpp's own exceptions into the same.
class YamlReader
{
public:
    explicit YamlReader(std::string name) : m_name(std::move(name)) {}

    const std::string& name() const { return m_name; }

    /// Parses the text; fails with "name:line:column: invalid YAML: ...".
    core::Result<YAML::Node> read_document(std::string_view text) const;

    core::Error error_at(const YAML::Mark& mark, const std::string& message) const;

    [[noreturn]] void raise(const YAML::Node& node, const std::string& message) const;

    Origin origin(const YAML::Node& node) const;

    /// Requires a mapping whose keys are all known and none repeated; an unknown key
    /// gets a "did you mean" hint. `what` names the mapping in messages.
    void check_mapping(const YAML::Node& node,
                       const std::vector<std::string>& known,
                       std::string_view what) const;

    /// Requires the keys to be present in the mapping.
    void require(const YAML::Node& map,
                 const std::vector<std::string>& keys,
                 std::string_view what) const;

    std::string string(const YAML::Node& node, std::string_view key) const;
    std::vector<std::string> strings(const YAML::Node& node, std::string_view key) const;
    double number(const YAML::Node& node, std::string_view key) const;
    long long integer(const YAML::Node& node, std::string_view key) const;
    bool boolean(const YAML::Node& node, std::string_view key) const;
    void sequence(const YAML::Node& node, std::string_view key) const;

    /// Any YAML value as JSON: mappings, lists, and scalars (plain ones that read as
    /// numbers, booleans or null become those).
    nlohmann::json to_json(const YAML::Node& node) const;

private:
    std::string m_name;
};

} // namespace aiops::spec
