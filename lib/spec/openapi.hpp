#pragma once

#include "core/yaml_reader.hpp"
#include "spec/spec.hpp"

namespace aiops::spec {

/// Reads the keys the own format and OpenAPI's `x-aiops` object share (name,
/// description, language, framework, outputs, requirements, dependencies, prompt, model,
/// metadata) into the spec. Throws core::Error as YamlReader does.
void load_common(const core::YamlReader& reader, const YAML::Node& map, Spec& spec);

/// A name, an id or a path: a string, never a YAML number, boolean or null written
/// without quotes (`name: 5`). Throws core::Error as YamlReader does.
std::string
name_string(const core::YamlReader& reader, const YAML::Node& node, std::string_view key);

/// Whether a path is relative and stays inside the folder it is relative to: not
/// absolute, no "..", no backslash.
bool safe_output_path(const std::string& path);

/// Where a parameter of an HTTP operation goes: path, query, header or cookie.
std::string parameter_place(const core::YamlReader& reader, const YAML::Node& node);

/// Reads an OpenAPI 3.0 or 3.1 document: each operation becomes an endpoint, with
/// local references resolved. Throws core::Error as YamlReader does.
Spec load_openapi(const core::YamlReader& reader,
                  const YAML::Node& document,
                  const LoadOptions& options);

} // namespace aiops::spec
