#include "spec/openapi.hpp"

#include "core/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace aiops::spec {

namespace {

const std::vector<std::string> k_extension_keys{
    "name",
    "description",
    "language",
    "framework",
    "outputs",
    "file",
    "requirements",
    "dependencies",
    "prompt",
    "model",
    "metadata",
};

constexpr const char* k_operation_methods[] = {
    "get", "put", "post", "delete", "options", "head", "patch", "trace"};

class OpenApiLoader
{
public:
    OpenApiLoader(const core::YamlReader& reader, const YAML::Node& document)
        : m_reader(reader), m_document(document)
    {}

    Spec run(const LoadOptions& options)
    {
        const std::string version = m_reader.string(m_document["openapi"], "openapi");
        if (version.rfind("3.0", 0) != 0 && version.rfind("3.1", 0) != 0) {
            m_reader.raise(m_document["openapi"],
                           fmt::format("OpenAPI '{}' is not supported (3.0 and 3.1 are)", version));
        }
        check_references(m_document);
        Spec spec;
        spec.format = Spec::Format::openapi;
        if (const auto& info = m_document["info"]; info && info.IsMap()) {
            if (const auto& title = info["title"]) {
                spec.name = m_reader.string(title, "info.title");
            }
            if (const auto& text = info["description"]) {
                spec.description = m_reader.string(text, "info.description");
            }
        }
        std::string default_file;
        if (const auto& extension = m_document["x-aiops"]) {
            m_reader.check_mapping(extension, k_extension_keys, "'x-aiops'");
            load_common(m_reader, extension, spec);
            if (const auto& file = extension["file"]) {
                default_file = m_reader.string(file, "file");
            }
        }
        if (spec.language.empty()) {
            spec.language = options.default_language;
        }
        if (spec.outputs.empty()) {
            for (const auto& path : options.default_outputs) {
                spec.outputs.push_back({path, "", {}});
            }
        }
        if (default_file.empty() && spec.outputs.size() == 1) {
            default_file = spec.outputs.front().path;
        }
        if (const auto& paths = m_document["paths"]) {
            if (!paths.IsMap()) {
                m_reader.raise(paths, "'paths' must be a mapping");
            }
            for (const auto& entry : paths) {
                add_path(entry.first, entry.second, default_file, spec);
            }
        }
        return spec;
    }

private:
    // The node a JSON pointer ("#/components/schemas/User") names; a null node when
    // nothing is there.
    YAML::Node pointer(const std::string& reference) const
    {
        YAML::Node current;
        current.reset(m_document);
        if (reference == "#") {
            return current;
        }
        for (std::string part : core::split(reference.substr(2), '/')) {
            for (std::size_t at = 0; (at = part.find('~', at)) != std::string::npos; ++at) {
                if (at + 1 < part.size() && (part[at + 1] == '0' || part[at + 1] == '1')) {
                    part.replace(at, 2, part[at + 1] == '0' ? "~" : "/");
                }
            }
            YAML::Node next;
            if (current.IsMap()) {
                const YAML::Node& map = current;
                const YAML::Node found = map[part];
                if (!found) {
                    return YAML::Node(YAML::NodeType::Undefined);
                }
                next.reset(found);
            } else if (current.IsSequence()) {
                std::size_t index = 0;
                try {
                    index = std::stoul(part);
                } catch (const std::exception&) {
                    return YAML::Node(YAML::NodeType::Undefined);
                }
                if (index >= current.size()) {
                    return YAML::Node(YAML::NodeType::Undefined);
                }
                const YAML::Node& list = current;
                next.reset(list[index]);
            } else {
                return YAML::Node(YAML::NodeType::Undefined);
            }
            current.reset(next);
        }
        return current;
    }

    // Follows a chain of references to the node it ends at.
    YAML::Node resolve(const YAML::Node& start) const
    {
        YAML::Node current;
        current.reset(start);
        std::vector<std::string> chain;
        while (current.IsMap() && current["$ref"]) {
            const YAML::Node reference = current["$ref"];
            const std::string target = m_reader.string(reference, "$ref");
            if (target != "#" && target.rfind("#/", 0) != 0) {
                m_reader.raise(reference,
                               fmt::format("reference '{}' is outside the document; only local "
                                           "references ('#/...') are followed",
                                           target));
            }
            if (std::find(chain.begin(), chain.end(), target) != chain.end()) {
                chain.push_back(target);
                m_reader.raise(reference,
                               fmt::format("circular reference: {}", fmt::join(chain, " -> ")));
            }
            chain.push_back(target);
            const YAML::Node found = pointer(target);
            if (!found.IsDefined()) {
                m_reader.raise(
                    reference,
                    fmt::format("reference '{}' points to nothing in the document", target));
            }
            current.reset(found);
        }
        return current;
    }

    // Every local reference of the document must point somewhere, and no chain of
    // references may loop. A schema that contains itself through a property is fine.
    void check_references(const YAML::Node& node) const
    {
        if (node.IsMap()) {
            if (const auto& reference = node["$ref"];
                reference && reference.IsScalar() && reference.Scalar().rfind('#', 0) == 0) {
                resolve(node);
            }
            for (const auto& entry : node) {
                check_references(entry.second);
            }
        } else if (node.IsSequence()) {
            for (const auto& item : node) {
                check_references(item);
            }
        }
    }

    std::string schema_type(const YAML::Node& schema_node) const
    {
        if (!schema_node) {
            return "";
        }
        const YAML::Node schema = resolve(schema_node);
        if (!schema.IsMap() || !schema["type"]) {
            return "";
        }
        const YAML::Node type = schema["type"];
        if (type.IsSequence()) {
            std::vector<std::string> names;
            for (const auto& name : type) {
                names.push_back(m_reader.string(name, "type"));
            }
            return fmt::format("{}", fmt::join(names, "|"));
        }
        return m_reader.string(type, "type");
    }

    void add_parameters(const YAML::Node& list, std::vector<EndpointParameter>& out) const
    {
        if (!list) {
            return;
        }
        m_reader.sequence(list, "parameters");
        for (const auto& item : list) {
            const YAML::Node parameter = resolve(item);
            if (!parameter.IsMap()) {
                m_reader.raise(item, "a parameter must be a mapping");
            }
            m_reader.require(parameter, {"name", "in"}, "a parameter");
            EndpointParameter read;
            read.name = m_reader.string(parameter["name"], "name");
            read.in = m_reader.string(parameter["in"], "in");
            if (const auto& required = parameter["required"]) {
                read.required = m_reader.boolean(required, "required");
            }
            read.type = schema_type(parameter["schema"]);
            // An operation's parameter replaces the path item's of the same name and place.
            const auto same = std::find_if(out.begin(), out.end(), [&](const auto& known) {
                return known.name == read.name && known.in == read.in;
            });
            if (same != out.end()) {
                *same = std::move(read);
            } else {
                out.push_back(std::move(read));
            }
        }
    }

    void add_path(const YAML::Node& key,
                  const YAML::Node& item_node,
                  const std::string& default_file,
                  Spec& spec) const
    {
        const std::string path = m_reader.string(key, "paths");
        if (path.empty() || path.front() != '/') {
            m_reader.raise(key, fmt::format("path '{}' must start with '/'", path));
        }
        const YAML::Node item = resolve(item_node);
        if (!item.IsMap()) {
            m_reader.raise(item_node, fmt::format("path '{}' must be a mapping", path));
        }
        std::vector<EndpointParameter> shared;
        add_parameters(item["parameters"], shared);
        for (const char* method : k_operation_methods) {
            const YAML::Node operation = item[method];
            if (!operation) {
                continue;
            }
            // Findings about the endpoint point at its method key.
            YAML::Node key_node;
            for (const auto& entry : item) {
                if (entry.first.Scalar() == method) {
                    key_node.reset(entry.first);
                }
            }
            if (!operation.IsMap()) {
                m_reader.raise(operation,
                               fmt::format("operation '{} {}' must be a mapping", method, path));
            }
            Endpoint endpoint;
            endpoint.origin = m_reader.position(key_node);
            for (const char* c = method; *c != '\0'; ++c) {
                endpoint.method += static_cast<char>(*c - 'a' + 'A');
            }
            endpoint.path = path;
            if (const auto& id = operation["operationId"]) {
                endpoint.operation_id = m_reader.string(id, "operationId");
            }
            if (const auto& summary = operation["summary"]) {
                endpoint.summary = m_reader.string(summary, "summary");
            }
            endpoint.file = default_file;
            if (const auto& file = operation["x-aiops-file"]) {
                endpoint.file = m_reader.string(file, "x-aiops-file");
            }
            endpoint.parameters = shared;
            add_parameters(operation["parameters"], endpoint.parameters);
            if (!endpoint.operation_id.empty()) {
                for (const auto& earlier : spec.endpoints) {
                    if (earlier.operation_id == endpoint.operation_id) {
                        m_reader.raise(operation["operationId"],
                                       fmt::format("duplicate operationId '{}' (first at line {})",
                                                   endpoint.operation_id,
                                                   earlier.origin.line));
                    }
                }
            }
            spec.endpoints.push_back(std::move(endpoint));
        }
    }

    const core::YamlReader& m_reader;
    const YAML::Node& m_document;
};

} // namespace

Spec load_openapi(const core::YamlReader& reader,
                  const YAML::Node& document,
                  const LoadOptions& options)
{
    return OpenApiLoader(reader, document).run(options);
}

} // namespace aiops::spec
