#pragma once

#include "core/error.hpp"
#include "core/line_index.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::spec {

/// Where a declaration sits in the spec file (1-based line and column).
using Origin = core::TextPosition;

/// A file the generated code consists of, relative to the output folder.
struct OutputFile
{
    std::string path;
    std::string description;
    Origin origin;
};

/// What a parameter's default is in the spec file.
enum class DefaultKind
{
    text,    ///< source text of the target language: "'user'", "None", "[]"
    number,  ///< a YAML number: 0, 1.5
    boolean, ///< a YAML boolean: default_value is "true" or "false"
    null,    ///< YAML null (~, null): default_value is "null"
};

/// One parameter of a function or method.
struct Parameter
{
    std::string name;
    std::string type; ///< as the target language spells it; empty: not declared
    /// The default as source text of the target language ("'user'", "0", "None").
    std::optional<std::string> default_value;
    std::string description;
    /// How the spec wrote the default: a boolean or null is compared by its value in
    /// each language (Python's False is false), text as text.
    DefaultKind default_kind = DefaultKind::text;
};

/// A function, or a method of a class.
struct Function
{
    std::string name;
    std::string file; ///< relative to the output folder; a method's is its class's
    std::vector<Parameter> parameters;
    std::string returns; ///< empty: not declared
    std::string description;
    Origin origin;
};

/// A field of a class.
struct Field
{
    std::string name;
    std::string type;
    std::string description;
};

struct Class
{
    std::string name;
    std::string file;
    std::vector<std::string> bases;
    std::vector<Function> methods;
    std::vector<Field> fields;
    std::string description;
    Origin origin;
};

/// A parameter of an HTTP operation (OpenAPI's "in": path, query, header or cookie).
struct EndpointParameter
{
    std::string name;
    std::string in;
    bool required = false;
    std::string type; ///< the schema's type, when it names one
};

/// One HTTP operation.
struct Endpoint
{
    std::string method; ///< upper case: GET, POST, ...
    std::string path;   ///< as the spec writes it: /users/{id}
    std::string operation_id;
    std::string summary;
    std::string file; ///< empty: any file may hold the handler
    std::vector<EndpointParameter> parameters;
    Origin origin;
};

/// A prompt of the registry, `name@version`.
struct PromptReference
{
    std::string name;
    std::string version;
    Origin origin; ///< where the spec names it
};

struct ModelSettings
{
    Origin origin; ///< where the spec names the provider, else where `model` starts
    std::string provider;
    std::string model;
    std::optional<double> temperature;
    std::optional<long long> max_tokens;
};

/// What a spec file declares, in the own format or read from an OpenAPI document.
struct Spec
{
    enum class Format
    {
        aiops,
        openapi,
    };

    std::string path; ///< the name it was loaded under, as errors show it
    Format format = Format::aiops;
    std::string name;
    std::string description;
    std::string language; ///< a language name as `--lang` takes it; may be empty
    std::string framework;
    std::vector<OutputFile> outputs;
    std::vector<Function> functions;
    std::vector<Class> classes;
    std::vector<Endpoint> endpoints;
    std::vector<std::string> requirements;
    std::vector<std::string> dependencies;
    std::optional<PromptReference> prompt;
    std::optional<ModelSettings> model;
    nlohmann::json metadata = nlohmann::json::object();
    /// The SHA-256 of the spec's normalised form: see spec_hash.
    std::string hash;
};

/// What an OpenAPI document without an `x-aiops` object (or with a partial one) takes
/// from the command line.
struct LoadOptions
{
    std::string default_language;
    std::vector<std::string> default_outputs;
};

/// Reads a spec from its text: the own format, or an OpenAPI 3.0 or 3.1 document (YAML
/// or JSON) when it has an `openapi` key. `name` is how errors name the file. Fails with
/// ErrorCode::input and a "name:line:column: what is wrong" message for invalid YAML, an
/// unknown key, a value of the wrong type, a missing field, a duplicate name or an
/// OpenAPI reference that is dangling or circular.
core::Result<Spec>
load_spec(const std::string& name, std::string_view text, const LoadOptions& options = {});

/// Reads a spec file; fails as load_spec does, or with ErrorCode::usage when the file
/// cannot be read.
core::Result<Spec> load_spec_file(const std::filesystem::path& path,
                                  const LoadOptions& options = {});

/// The SHA-256 of a spec's normalised form: its declarations as canonical JSON, so
/// comments, key order, quoting and layout of the file do not change it.
std::string spec_hash(const Spec& spec);

/// The spec as canonical JSON (sorted keys, no origins): what spec_hash hashes.
nlohmann::json to_json(const Spec& spec);

/// Parses "name@version"; nullopt unless both parts are non-empty.
std::optional<PromptReference> parse_prompt_reference(std::string_view text);

} // namespace aiops::spec
