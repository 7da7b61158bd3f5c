#include "spec/openapi.hpp"

#include "core/interrupt.hpp"
#include "core/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

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

/// The keys of a Path Item Object besides the methods (and `x-` extensions).
const std::vector<std::string> k_path_item_keys{"$ref",
                                                "summary",
                                                "description",
                                                "servers",
                                                "parameters",
                                                "get",
                                                "put",
                                                "post",
                                                "delete",
                                                "options",
                                                "head",
                                                "patch",
                                                "trace"};

/// How often the walks over a document check for an interrupt.
constexpr std::size_t k_interrupt_interval = 1024;

void stop_if_interrupted(std::size_t& steps)
{
    if (++steps % k_interrupt_interval == 0 && core::interrupted()) {
        throw core::Error(core::ErrorCode::interrupted, "interrupted");
    }
}

// A path with its parameters' names taken out: /a/{id} and /a/{name} are one path.
std::string path_shape(const std::string& path)
{
    std::string shape;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '{') {
            const std::size_t close = path.find('}', i);
            if (close != std::string::npos) {
                shape += "{}";
                i = close;
                continue;
            }
        }
        shape += path[i];
    }
    return shape;
}

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
        // `openapi: 3.0` is a number to YAML; the version is a string such as "3.0.3".
        name_string(m_reader, m_document["openapi"], "openapi");
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
        YAML::Node default_file_node;
        bool file_named = false;
        if (const auto& extension = m_document["x-aiops"]) {
            m_reader.check_mapping(extension, k_extension_keys, "'x-aiops'");
            load_common(m_reader, extension, spec);
            if (const auto& file = extension["file"]) {
                default_file = m_reader.string(file, "file");
                default_file_node.reset(file);
                file_named = true;
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
        if (file_named) {
            check_file(default_file_node, "file", spec);
        }
        // 3.0 requires paths; 3.1 paths, webhooks or components.
        const bool described = m_document["paths"]
                               || (version.rfind("3.1", 0) == 0
                                   && (m_document["webhooks"] || m_document["components"]));
        if (!described) {
            m_reader.raise(m_document,
                           fmt::format("the OpenAPI {} document has no 'paths'", version));
        }
        if (default_file.empty() && spec.outputs.size() == 1) {
            default_file = spec.outputs.front().path;
        }
        if (const auto& paths = m_document["paths"]) {
            if (!paths.IsMap()) {
                m_reader.raise(paths, "'paths' must be a mapping");
            }
            std::map<std::string, std::pair<std::string, int>> shapes;
            for (const auto& entry : paths) {
                add_path(entry.first, entry.second, default_file, spec);
                // Paths that differ only in their parameters' names are one path.
                const std::string path = entry.first.Scalar();
                const auto [first, added] = shapes.emplace(
                    path_shape(path), std::pair{path, m_reader.position(entry.first).line});
                if (!added) {
                    m_reader.raise(entry.first,
                                   fmt::format("path '{}' is path '{}' (line {}) with other "
                                               "parameter names; OpenAPI allows one of them",
                                               path,
                                               first->second.first,
                                               first->second.second));
                }
            }
        }
        return spec;
    }

    // A file the handlers are in must be a relative path that stays inside the output
    // folder, and one of the outputs when the spec lists them, as in the own format.
    void check_file(const YAML::Node& node, std::string_view key, const Spec& spec) const
    {
        const std::string file = name_string(m_reader, node, key);
        if (!safe_output_path(file)) {
            m_reader.raise(node,
                           fmt::format("'{}' must be a relative path that stays inside the "
                                       "output folder, not '{}'",
                                       key,
                                       file));
        }
        if (!spec.outputs.empty()
            && std::none_of(spec.outputs.begin(), spec.outputs.end(), [&](const auto& output) {
                   return output.path == file;
               })) {
            m_reader.raise(node, fmt::format("'{}' is not one of the spec's outputs", file));
        }
    }

private:
    // The node a JSON pointer ("#/components/schemas/User") names; a null node when
    // nothing is there. The children of each mapping on the way are indexed once, so a
    // document with thousands of references costs time in proportion to its size.
    YAML::Node pointer(const std::string& reference) const
    {
        YAML::Node current;
        current.reset(m_document);
        if (reference == "#") {
            return current;
        }
        std::string walked = "#";
        for (std::string part : core::split(reference.substr(2), '/')) {
            for (std::size_t at = 0; (at = part.find('~', at)) != std::string::npos; ++at) {
                if (at + 1 < part.size() && (part[at + 1] == '0' || part[at + 1] == '1')) {
                    part.replace(at, 2, part[at + 1] == '0' ? "~" : "/");
                }
            }
            YAML::Node next;
            if (current.IsMap()) {
                const auto& children = children_of(walked, current);
                const auto found = children.find(part);
                if (found == children.end()) {
                    return YAML::Node(YAML::NodeType::Undefined);
                }
                next.reset(found->second);
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
            walked += "/" + part;
        }
        return current;
    }

    // The entries of the mapping at a pointer, by key: built on first use.
    const std::unordered_map<std::string, YAML::Node>& children_of(const std::string& where,
                                                                   const YAML::Node& map) const
    {
        auto [found, added] = m_children.try_emplace(where);
        if (added) {
            for (const auto& entry : map) {
                YAML::Node value;
                value.reset(entry.second);
                found->second.emplace(entry.first.Scalar(), value);
            }
        }
        return found->second;
    }

    // Follows a chain of references to the node it ends at. Where each reference ends is
    // kept, so a long chain is followed once, not once from each of its links.
    YAML::Node resolve(const YAML::Node& start) const
    {
        YAML::Node current;
        current.reset(start);
        std::vector<std::string> chain;
        while (current.IsMap() && current["$ref"]) {
            stop_if_interrupted(m_steps);
            const YAML::Node reference = current["$ref"];
            const std::string target = m_reader.string(reference, "$ref");
            if (target != "#" && target.rfind("#/", 0) != 0) {
                m_reader.raise(reference,
                               fmt::format("reference '{}' is outside the document; only local "
                                           "references ('#/...') are followed",
                                           target));
            }
            if (const auto known = m_resolved.find(target); known != m_resolved.end()) {
                current.reset(known->second);
                break;
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
        for (const auto& target : chain) {
            YAML::Node end;
            end.reset(current);
            m_resolved.emplace(target, end);
        }
        return current;
    }

    // Every local reference of the document must point somewhere, and no chain of
    // references may loop. A schema that contains itself through a property is fine.
    // A walk with a stack of its own: a deep document cannot exhaust the call stack.
    void check_references(const YAML::Node& root) const
    {
        std::vector<YAML::Node> pending{root};
        std::vector<YAML::Node> children;
        while (!pending.empty()) {
            stop_if_interrupted(m_steps);
            const YAML::Node node = pending.back();
            pending.pop_back();
            if (node.IsMap()) {
                if (const auto& reference = node["$ref"];
                    reference && reference.IsScalar() && reference.Scalar().rfind('#', 0) == 0) {
                    resolve(node);
                }
                // Children go on the stack last first: the walk keeps the document's
                // order, and so does the first error it meets. (Nodes are only ever
                // constructed here: assigning a YAML::Node would change the document.)
                children.clear();
                for (const auto& entry : node) {
                    children.push_back(entry.second);
                }
            } else if (node.IsSequence()) {
                children.clear();
                for (const auto& item : node) {
                    children.push_back(item);
                }
            } else {
                continue;
            }
            for (auto child = children.rbegin(); child != children.rend(); ++child) {
                pending.push_back(*child);
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
            read.in = parameter_place(m_reader, parameter["in"]);
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

    // A key a Path Item Object cannot hold is a mistake that would drop an operation
    // ("fetch:" for "patch:"); `x-` extensions are anyone's.
    void check_path_item_keys(const YAML::Node& item, const std::string& path) const
    {
        for (const auto& entry : item) {
            const std::string key = entry.first.Scalar();
            if (key.starts_with("x-")
                || std::find(k_path_item_keys.begin(), k_path_item_keys.end(), key)
                       != k_path_item_keys.end()) {
                continue;
            }
            std::string message = fmt::format("unknown key '{}' in path '{}'", key, path);
            if (const auto close = core::closest_match(key, k_path_item_keys)) {
                message += fmt::format("; did you mean '{}'?", *close);
            }
            m_reader.raise(entry.first, message);
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
        check_path_item_keys(item, path);
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
                check_file(file, "x-aiops-file", spec);
                endpoint.file = file.Scalar();
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
    mutable std::unordered_map<std::string, std::unordered_map<std::string, YAML::Node>>
        m_children;                                                 ///< by pointer
    mutable std::unordered_map<std::string, YAML::Node> m_resolved; ///< where a $ref ends
    mutable std::size_t m_steps = 0;
};

} // namespace

Spec load_openapi(const core::YamlReader& reader,
                  const YAML::Node& document,
                  const LoadOptions& options)
{
    return OpenApiLoader(reader, document).run(options);
}

} // namespace aiops::spec
