#pragma once

#include "core/yaml_reader.hpp"
#include "spec/spec.hpp"

namespace aiops::spec {

/// Reads the keys the own format and OpenAPI's `x-aiops` object share (name,
/// description, language, framework, outputs, requirements, dependencies, prompt, model,
/// metadata) into the spec. Throws core::Error as YamlReader does.
void load_common(const core::YamlReader& reader, const YAML::Node& map, Spec& spec);

/// Reads an OpenAPI 3.0 or 3.1 document: each operation becomes an endpoint, with
/// local references resolved. Throws core::Error as YamlReader does.
Spec load_openapi(const core::YamlReader& reader,
                  const YAML::Node& document,
                  const LoadOptions& options);

} // namespace aiops::spec
