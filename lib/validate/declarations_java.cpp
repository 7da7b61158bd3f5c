#include "validate/declaration_reader.hpp"

namespace aiops::validate::reading {

namespace {

class JavaReader final : public ReaderBase
{
public:
    using ReaderBase::ReaderBase;

    void run() { java_block(m_tree.root()); }

private:
    /// A Spring mapping annotation's method and paths: @GetMapping("/a"),
    /// @RequestMapping(value = {"/a", "/b"}, method = RequestMethod.POST).
    struct JavaMapping
    {
        std::string method; ///< empty: any
        std::vector<std::string> paths;
    };

    std::optional<JavaMapping> java_mapping(TSNode modifiers) const
    {
        std::optional<JavaMapping> found;
        for_each_named_child(modifiers, [&](TSNode annotation) {
            if (!is(annotation, "annotation") && !is(annotation, "marker_annotation")) {
                return;
            }
            std::string name = text(field(annotation, "name"));
            name = name.substr(name.rfind('.') + 1);
            if (!name.ends_with("Mapping")) {
                return;
            }
            const std::string verb = core::to_lower(name.substr(0, name.size() - 7));
            const bool request = verb == "request";
            if (!request
                && std::find(k_route_verbs.begin(), k_route_verbs.end(), verb)
                       == k_route_verbs.end()) {
                return;
            }
            JavaMapping mapping{request ? "" : upper(verb), {}};
            const auto add_paths = [&](TSNode value) {
                if (is(value, "element_value_array_initializer")) {
                    for_each_named_child(value, [&](TSNode item) {
                        if (auto path = literal_text(text(item))) {
                            mapping.paths.push_back(*path);
                        }
                    });
                } else if (auto path = literal_text(text(value))) {
                    mapping.paths.push_back(*path);
                }
            };
            for_each_named_child(field(annotation, "arguments"), [&](TSNode argument) {
                if (!is(argument, "element_value_pair")) {
                    add_paths(argument);
                    return;
                }
                const std::string key = text(field(argument, "key"));
                if (key == "value" || key == "path") {
                    add_paths(field(argument, "value"));
                } else if (key == "method" && request) {
                    const std::string method = text(field(argument, "value"));
                    mapping.method = upper(method.substr(method.rfind('.') + 1));
                }
            });
            if (mapping.paths.empty()) {
                mapping.paths.emplace_back();
            }
            found = std::move(mapping);
        });
        return found;
    }

    TSNode java_modifiers(TSNode declaration) const
    {
        TSNode modifiers{};
        for_each_named_child(declaration, [&](TSNode child) {
            if (is(child, "modifiers")) {
                modifiers = child;
            }
        });
        return modifiers;
    }

    void java_routes(TSNode method, const std::optional<JavaMapping>& prefix)
    {
        const TSNode modifiers = java_modifiers(method);
        if (ts_node_is_null(modifiers)) {
            return;
        }
        const auto mapping = java_mapping(modifiers);
        if (!mapping) {
            return;
        }
        const std::vector<std::string> bases =
            prefix ? prefix->paths : std::vector<std::string>{""};
        for (const auto& base : bases) {
            for (const auto& path : mapping->paths) {
                std::string full = base + (path.empty() || path.starts_with('/') ? "" : "/") + path;
                if (full.empty()) {
                    full = "/";
                }
                add_route(mapping->method, full, method);
            }
        }
    }

    DeclaredFunction java_method(TSNode definition) const
    {
        DeclaredFunction function =
            function_at(definition, field(definition, "name"), field(definition, "parameters"));
        set_returns(function, field(definition, "type"));
        for_each_named_child(field(definition, "parameters"), [&](TSNode parameter) {
            if (is(parameter, "formal_parameter")) {
                DeclaredParameter out = parameter_at(parameter);
                out.name = text(field(parameter, "name"));
                out.type = text(field(parameter, "type"));
                function.parameters.push_back(std::move(out));
            } else if (is(parameter, "spread_parameter")) {
                DeclaredParameter out = parameter_at(parameter);
                for_each_named_child(parameter, [&](TSNode part) {
                    if (is(part, "variable_declarator")) {
                        out.name = text(field(part, "name"));
                    } else if (!is(part, "modifiers")) {
                        out.type = text(part) + "...";
                    }
                });
                function.parameters.push_back(std::move(out));
            }
        });
        return function;
    }

    void java_declaration(TSNode declaration)
    {
        if (!is(declaration, "class_declaration") && !is(declaration, "interface_declaration")
            && !is(declaration, "enum_declaration") && !is(declaration, "record_declaration")) {
            return;
        }
        DeclaredClass type;
        type.name = text(field(declaration, "name"));
        type.start_byte = ts_node_start_byte(declaration);
        type.end_byte = ts_node_end_byte(declaration);
        std::vector<TSNode> nested;
        const TSNode class_modifiers = java_modifiers(declaration);
        const std::optional<JavaMapping> prefix =
            ts_node_is_null(class_modifiers) ? std::nullopt : java_mapping(class_modifiers);
        const auto add_members = [&](TSNode members) {
            for_each_named_child(members, [&](TSNode member) {
                if (is(member, "method_declaration")) {
                    type.methods.push_back(java_method(member));
                    m_out.functions.push_back(type.methods.back());
                    java_routes(member, prefix);
                } else if (is(member, "enum_body_declarations")) {
                    for_each_named_child(member, [&](TSNode inner) {
                        if (is(inner, "method_declaration")) {
                            type.methods.push_back(java_method(inner));
                            m_out.functions.push_back(type.methods.back());
                        }
                    });
                } else {
                    nested.push_back(member);
                }
            });
        };
        add_members(field(declaration, "body"));
        m_out.classes.push_back(std::move(type));
        for (const TSNode member : nested) {
            java_declaration(member);
        }
    }

    void java_block(TSNode block)
    {
        for_each_named_child(block, [&](TSNode declaration) { java_declaration(declaration); });
    }
};

} // namespace

void read_java(const source::SyntaxTree& tree, Declarations& out)
{
    JavaReader(tree, out).run();
}

} // namespace aiops::validate::reading
