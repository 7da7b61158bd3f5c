#include "core/strings.hpp"
#include "core/yaml_reader.hpp"
#include "source/language.hpp"
#include "source/source_file.hpp"
#include "spec/openapi.hpp"
#include "spec/spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace aiops::spec {

namespace {

const std::vector<std::string> k_spec_keys{
    "version",
    "name",
    "description",
    "language",
    "framework",
    "outputs",
    "functions",
    "classes",
    "endpoints",
    "requirements",
    "dependencies",
    "prompt",
    "model",
    "metadata",
};

const std::vector<std::string> k_output_keys{"path", "description"};
const std::vector<std::string> k_function_keys{
    "name", "file", "parameters", "returns", "description"};
const std::vector<std::string> k_method_keys{"name", "parameters", "returns", "description"};
const std::vector<std::string> k_parameter_keys{"name", "type", "default", "description"};
const std::vector<std::string> k_class_keys{
    "name", "file", "bases", "methods", "fields", "description"};
const std::vector<std::string> k_field_keys{"name", "type", "description"};
const std::vector<std::string> k_endpoint_keys{
    "method", "path", "operationId", "summary", "file", "parameters"};
const std::vector<std::string> k_endpoint_parameter_keys{"name", "in", "required", "type"};
const std::vector<std::string> k_http_methods{
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"};

class SpecLoader
{
public:
    SpecLoader(const core::YamlReader& reader, const YAML::Node& document)
        : m_reader(reader), m_document(document)
    {}

    Spec run()
    {
        m_reader.check_mapping(m_document, k_spec_keys, "the spec");
        m_reader.require(m_document, {"language", "outputs"}, "the spec");
        Spec spec;
        spec.format = Spec::Format::aiops;
        if (const auto& version = m_document["version"]) {
            if (m_reader.string(version, "version") != "1") {
                m_reader.raise(version, "'version' must be 1, the only version of this format");
            }
        }
        load_common(m_reader, m_document, spec);
        if (const auto& list = m_document["functions"]) {
            m_reader.sequence(list, "functions");
            for (const auto& item : list) {
                spec.functions.push_back(function(item, /*method=*/false, ""));
            }
        }
        if (const auto& list = m_document["classes"]) {
            m_reader.sequence(list, "classes");
            for (const auto& item : list) {
                spec.classes.push_back(class_of(item));
            }
        }
        if (const auto& list = m_document["endpoints"]) {
            m_reader.sequence(list, "endpoints");
            for (const auto& item : list) {
                spec.endpoints.push_back(endpoint(item));
            }
        }
        check_names(spec);
        return spec;
    }

private:
    std::string name_of(const YAML::Node& node, std::string_view key) const
    {
        return name_string(m_reader, node, key);
    }

    std::string default_file(const YAML::Node& item) const
    {
        const auto& outputs = m_document["outputs"];
        if (outputs.IsSequence() && outputs.size() == 1) {
            const auto& only = outputs[0];
            return only.IsMap() ? m_reader.strict_string(only["path"], "path")
                                : m_reader.strict_string(only, "path");
        }
        if (!outputs.IsSequence() || outputs.size() == 0) {
            m_reader.raise(item,
                           "the spec lists no outputs, so this declaration names no file: list "
                           "the files to write under 'outputs', or give it a 'file'");
        }
        m_reader.raise(item, "with several outputs, each declaration names its 'file'");
    }

    // A default as the schema allows it: source text, a number, a boolean or null.
    void read_default(const YAML::Node& value, Parameter& parameter) const
    {
        if (value.IsNull()) {
            parameter.default_value = "null";
            parameter.default_kind = DefaultKind::null;
            return;
        }
        if (!value.IsScalar()) {
            m_reader.raise(value, "'default' must be a string, a number, a boolean or null");
        }
        std::string text = value.Scalar();
        if (value.Tag() == "?") { // written without quotes
            const std::string lower = core::to_lower(text);
            double number = 0;
            if (lower == "true" || lower == "false") {
                text = lower;
                parameter.default_kind = DefaultKind::boolean;
            } else if (YAML::convert<double>::decode(value, number)) {
                parameter.default_kind = DefaultKind::number;
            }
        }
        parameter.default_value = std::move(text);
    }

    std::vector<Parameter> parameters(const YAML::Node& list) const
    {
        m_reader.sequence(list, "parameters");
        std::vector<Parameter> out;
        std::set<std::string> names;
        for (const auto& item : list) {
            Parameter parameter;
            if (item.IsScalar()) {
                parameter.name = item.Scalar();
            } else {
                m_reader.check_mapping(item, k_parameter_keys, "a parameter");
                m_reader.require(item, {"name"}, "a parameter");
                parameter.name = name_of(item["name"], "name");
                if (const auto& type = item["type"]) {
                    parameter.type = m_reader.strict_string(type, "type");
                }
                if (const auto& value = item["default"]) {
                    read_default(value, parameter);
                }
                if (const auto& text = item["description"]) {
                    parameter.description = m_reader.strict_string(text, "description");
                }
            }
            if (parameter.name.empty()) {
                m_reader.raise(item, "a parameter needs a name");
            }
            if (!names.insert(parameter.name).second) {
                m_reader.raise(item, fmt::format("duplicate parameter '{}'", parameter.name));
            }
            out.push_back(std::move(parameter));
        }
        return out;
    }

    Function function(const YAML::Node& item, bool method, const std::string& file) const
    {
        const char* what = method ? "a method" : "a function";
        m_reader.check_mapping(item, method ? k_method_keys : k_function_keys, what);
        m_reader.require(item, {"name"}, what);
        Function out;
        out.origin = m_reader.position(item);
        out.name = name_of(item["name"], "name");
        out.file = method ? file
                          : (item["file"] ? m_reader.strict_string(item["file"], "file")
                                          : default_file(item));
        if (!method) {
            check_output(item["file"] ? item["file"] : item, out.file);
        }
        if (const auto& list = item["parameters"]) {
            out.parameters = parameters(list);
        }
        if (const auto& returns = item["returns"]) {
            out.returns = m_reader.strict_string(returns, "returns");
        }
        if (const auto& text = item["description"]) {
            out.description = m_reader.strict_string(text, "description");
        }
        return out;
    }

    Class class_of(const YAML::Node& item) const
    {
        m_reader.check_mapping(item, k_class_keys, "a class");
        m_reader.require(item, {"name"}, "a class");
        Class out;
        out.origin = m_reader.position(item);
        out.name = name_of(item["name"], "name");
        out.file = item["file"] ? m_reader.strict_string(item["file"], "file") : default_file(item);
        check_output(item["file"] ? item["file"] : item, out.file);
        if (const auto& bases = item["bases"]) {
            out.bases = m_reader.strict_strings(bases, "bases");
        }
        if (const auto& text = item["description"]) {
            out.description = m_reader.strict_string(text, "description");
        }
        if (const auto& list = item["fields"]) {
            m_reader.sequence(list, "fields");
            for (const auto& entry : list) {
                m_reader.check_mapping(entry, k_field_keys, "a field");
                m_reader.require(entry, {"name"}, "a field");
                Field field{name_of(entry["name"], "name"), "", ""};
                if (const auto& type = entry["type"]) {
                    field.type = m_reader.strict_string(type, "type");
                }
                if (const auto& text = entry["description"]) {
                    field.description = m_reader.strict_string(text, "description");
                }
                out.fields.push_back(std::move(field));
            }
        }
        if (const auto& list = item["methods"]) {
            m_reader.sequence(list, "methods");
            std::set<std::string> names;
            for (const auto& entry : list) {
                Function method = function(entry, /*method=*/true, out.file);
                if (!names.insert(method.name).second) {
                    m_reader.raise(
                        entry,
                        fmt::format("duplicate method '{}' in class '{}'", method.name, out.name));
                }
                out.methods.push_back(std::move(method));
            }
        }
        return out;
    }

    Endpoint endpoint(const YAML::Node& item) const
    {
        m_reader.check_mapping(item, k_endpoint_keys, "an endpoint");
        m_reader.require(item, {"method", "path"}, "an endpoint");
        Endpoint out;
        out.origin = m_reader.position(item);
        out.method = m_reader.strict_string(item["method"], "method");
        std::transform(out.method.begin(), out.method.end(), out.method.begin(), [](char c) {
            return static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
        });
        if (std::find(k_http_methods.begin(), k_http_methods.end(), out.method)
            == k_http_methods.end()) {
            m_reader.raise(item["method"],
                           fmt::format("'{}' is not an HTTP method ({})",
                                       item["method"].Scalar(),
                                       fmt::join(k_http_methods, ", ")));
        }
        out.path = m_reader.strict_string(item["path"], "path");
        if (out.path.empty() || out.path.front() != '/') {
            m_reader.raise(item["path"], "an endpoint's 'path' starts with '/'");
        }
        if (const auto& id = item["operationId"]) {
            out.operation_id = name_of(id, "operationId");
        }
        if (const auto& text = item["summary"]) {
            out.summary = m_reader.strict_string(text, "summary");
        }
        if (const auto& file = item["file"]) {
            out.file = m_reader.strict_string(file, "file");
            check_output(file, out.file);
        }
        if (const auto& list = item["parameters"]) {
            m_reader.sequence(list, "parameters");
            for (const auto& entry : list) {
                m_reader.check_mapping(entry, k_endpoint_parameter_keys, "an endpoint parameter");
                m_reader.require(entry, {"name", "in"}, "an endpoint parameter");
                EndpointParameter parameter;
                parameter.name = name_of(entry["name"], "name");
                parameter.in = parameter_place(m_reader, entry["in"]);
                if (const auto& required = entry["required"]) {
                    parameter.required = m_reader.boolean(required, "required");
                }
                if (const auto& type = entry["type"]) {
                    parameter.type = m_reader.strict_string(type, "type");
                }
                out.parameters.push_back(std::move(parameter));
            }
        }
        return out;
    }

    void check_output(const YAML::Node& node, const std::string& file) const
    {
        const auto& outputs = m_document["outputs"];
        for (const auto& output : outputs) {
            const std::string path =
                output.IsMap() ? output["path"].as<std::string>() : output.as<std::string>();
            if (path == file) {
                return;
            }
        }
        m_reader.raise(node, fmt::format("'{}' is not one of the spec's outputs", file));
    }

    void check_names(const Spec& spec) const
    {
        std::map<std::pair<std::string, std::string>, Origin> seen;
        const auto check = [&](const std::string& kind,
                               const std::string& name,
                               const std::string& file,
                               Origin at) {
            const auto [it, inserted] = seen.emplace(std::pair{kind + ":" + file, name}, at);
            if (!inserted) {
                // Endpoints and operationIds are the whole spec's, not a file's.
                const std::string where = file.empty() ? "" : fmt::format(" in '{}'", file);
                throw core::Error(core::ErrorCode::input,
                                  fmt::format("{}:{}:{}: duplicate {} '{}'{} (first "
                                              "declared at line {})",
                                              m_reader.name(),
                                              at.line,
                                              at.column,
                                              kind,
                                              name,
                                              where,
                                              it->second.line));
            }
        };
        for (const auto& function : spec.functions) {
            check("function", function.name, function.file, function.origin);
        }
        for (const auto& type : spec.classes) {
            check("class", type.name, type.file, type.origin);
        }
        for (const auto& endpoint : spec.endpoints) {
            check("endpoint", endpoint.method + " " + endpoint.path, "", endpoint.origin);
            if (!endpoint.operation_id.empty()) {
                check("operationId", endpoint.operation_id, "", endpoint.origin);
            }
        }
    }

    const core::YamlReader& m_reader;
    const YAML::Node& m_document;
};

} // namespace

std::string
name_string(const core::YamlReader& reader, const YAML::Node& node, std::string_view key)
{
    if (node.IsScalar() && node.Tag() == "?") {
        const std::string lower = core::to_lower(node.Scalar());
        double number = 0;
        if (lower == "true" || lower == "false" || lower == "null" || lower == "~"
            || YAML::convert<double>::decode(node, number)) {
            reader.raise(node,
                         fmt::format("'{}' must be a string, not {} (quote it: \"{}\")",
                                     key,
                                     lower == "true" || lower == "false" ? "a boolean"
                                     : lower == "null" || lower == "~"   ? "null"
                                                                         : "a number",
                                     node.Scalar()));
        }
    }
    return reader.string(node, key);
}

std::string parameter_place(const core::YamlReader& reader, const YAML::Node& node)
{
    static const std::vector<std::string> k_places{"path", "query", "header", "cookie"};
    const std::string place = reader.string(node, "in");
    if (std::find(k_places.begin(), k_places.end(), place) == k_places.end()) {
        reader.raise(
            node,
            fmt::format("'in' must be path, query, header or cookie, not '{}'{}",
                        place,
                        place == "body" ? " (a body is a request body, not a parameter)" : ""));
    }
    return place;
}

bool safe_output_path(const std::string& path)
{
    if (path.empty() || path.front() == '/' || path.find('\\') != std::string::npos) {
        return false;
    }
    for (const auto& part : std::filesystem::path(path)) {
        if (part == "..") {
            return false;
        }
    }
    return true;
}

void load_common(const core::YamlReader& reader, const YAML::Node& map, Spec& spec)
{
    if (const auto& name = map["name"]) {
        spec.name = name_string(reader, name, "name");
    }
    if (const auto& text = map["description"]) {
        spec.description = reader.strict_string(text, "description");
    }
    if (const auto& language = map["language"]) {
        spec.language = reader.strict_string(language, "language");
        const auto known = source::language_from_name(spec.language);
        if (!known) {
            reader.raise(language, fmt::format("unknown language '{}'", spec.language));
        }
        spec.language = std::string(source::language_name(*known));
    }
    if (const auto& framework = map["framework"]) {
        spec.framework = reader.strict_string(framework, "framework");
    }
    if (const auto& list = map["outputs"]) {
        reader.sequence(list, "outputs");
        std::set<std::string> paths;
        for (const auto& item : list) {
            OutputFile output;
            output.origin = reader.position(item);
            if (item.IsScalar()) {
                output.path = item.Scalar();
            } else {
                reader.check_mapping(item, k_output_keys, "an output");
                reader.require(item, {"path"}, "an output");
                output.path = reader.strict_string(item["path"], "path");
                if (const auto& text = item["description"]) {
                    output.description = reader.strict_string(text, "description");
                }
            }
            if (!safe_output_path(output.path)) {
                reader.raise(item,
                             fmt::format("output '{}' must be a relative path that stays inside "
                                         "the output folder",
                                         output.path));
            }
            if (!paths.insert(output.path).second) {
                reader.raise(item, fmt::format("duplicate output '{}'", output.path));
            }
            spec.outputs.push_back(std::move(output));
        }
    }
    if (const auto& list = map["requirements"]) {
        spec.requirements = reader.strict_strings(list, "requirements");
    }
    if (const auto& list = map["dependencies"]) {
        spec.dependencies = reader.strict_strings(list, "dependencies");
    }
    if (const auto& prompt = map["prompt"]) {
        spec.prompt = parse_prompt_reference(reader.strict_string(prompt, "prompt"));
        if (!spec.prompt) {
            reader.raise(prompt, "'prompt' must be 'name@version'");
        }
        spec.prompt->origin = reader.position(prompt);
    }
    if (const auto& model = map["model"]) {
        reader.check_mapping(model, {"provider", "model", "temperature", "max_tokens"}, "'model'");
        ModelSettings settings;
        settings.origin = reader.position(model["provider"] ? model["provider"] : model);
        if (const auto& provider = model["provider"]) {
            settings.provider = reader.strict_string(provider, "provider");
        }
        if (const auto& name = model["model"]) {
            settings.model = reader.strict_string(name, "model");
        }
        if (const auto& temperature = model["temperature"]) {
            settings.temperature = reader.number(temperature, "temperature");
            if (*settings.temperature < 0 || *settings.temperature > 2) {
                reader.raise(temperature, "'temperature' must be between 0 and 2");
            }
        }
        if (const auto& tokens = model["max_tokens"]) {
            settings.max_tokens = reader.integer(tokens, "max_tokens");
            if (*settings.max_tokens < 1) {
                reader.raise(tokens, "'max_tokens' must be at least 1");
            }
        }
        spec.model = std::move(settings);
    }
    if (const auto& metadata = map["metadata"]) {
        if (!metadata.IsMap()) {
            reader.raise(metadata, "'metadata' must be a mapping");
        }
        spec.metadata = reader.to_json(metadata);
    }
}

core::Result<Spec>
load_spec(const std::string& name, std::string_view text, const LoadOptions& options)
{
    const core::YamlReader reader(name);
    auto document = reader.read_document(text);
    if (!document) {
        return document.error();
    }
    try {
        if (!document->IsMap()) {
            reader.raise(*document, "a spec is a mapping: the own format, or an OpenAPI document");
        }
        reader.check_unique_keys(*document);
        for (const auto& entry : *document) {
            if (entry.first.IsScalar() && entry.first.Scalar() == "swagger") {
                reader.raise(entry.first,
                             "Swagger 2.0 is not supported; convert the document to OpenAPI 3 "
                             "(3.0 and 3.1 are read)");
            }
        }
        Spec spec = (*document)["openapi"] ? load_openapi(reader, *document, options)
                                           : SpecLoader(reader, *document).run();
        spec.path = name;
        spec.hash = spec_hash(spec);
        return spec;
    } catch (const core::Error& error) {
        return error;
    } catch (const YAML::Exception& error) {
        return reader.error_at(error.mark, error.msg);
    }
}

core::Result<Spec> load_spec_file(const std::filesystem::path& path, const LoadOptions& options)
{
    auto text = source::read_file(path);
    if (!text) {
        return core::Error(core::ErrorCode::usage, "--spec: " + text.error().message());
    }
    return load_spec(path.string(), *text, options);
}

} // namespace aiops::spec
