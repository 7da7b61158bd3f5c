#include "validate/declaration_reader.hpp"

namespace aiops::validate::reading {

namespace {

class ScriptReader final : public ReaderBase
{
public:
    using ReaderBase::ReaderBase;

    void run()
    {
        script_block(m_tree.root());
        script_constants(m_tree.root());
        script_routes(m_tree.root());
        script_imports(m_tree.root());
        script_exports(m_tree.root());
    }

private:
    static std::string annotation(std::string type)
    {
        const std::string_view trimmed = core::trim(type);
        if (trimmed.starts_with(':')) {
            return std::string(core::trim(trimmed.substr(1)));
        }
        return std::string(trimmed);
    }

    void script_parameters(TSNode list, DeclaredFunction& function) const
    {
        for_each_named_child(list, [&](TSNode parameter) {
            DeclaredParameter out = parameter_at(parameter);
            if (is(parameter, "required_parameter") || is(parameter, "optional_parameter")) {
                TSNode pattern = field(parameter, "pattern");
                if (ts_node_is_null(pattern)) {
                    pattern = field(parameter, "name");
                }
                out.name = text(pattern);
                out.type = annotation(text(field(parameter, "type")));
                if (const TSNode value = field(parameter, "value"); !ts_node_is_null(value)) {
                    out.default_value = text(value);
                }
            } else if (is(parameter, "assignment_pattern")) {
                out.name = text(field(parameter, "left"));
                out.default_value = text(field(parameter, "right"));
            } else if (is(parameter, "comment")) {
                return;
            } else {
                out.name = text(parameter);
            }
            function.parameters.push_back(std::move(out));
        });
    }

    std::optional<DeclaredFunction> script_function(TSNode outer, TSNode name, TSNode value) const
    {
        static const char* const kinds[] = {"function_declaration",
                                            "generator_function_declaration",
                                            "function_expression",
                                            "function",
                                            "arrow_function",
                                            "method_definition",
                                            "generator_function"};
        if (std::none_of(std::begin(kinds), std::end(kinds), [&](const char* kind) {
                return is(value, kind);
            })) {
            return std::nullopt;
        }
        TSNode parameters = field(value, "parameters");
        if (ts_node_is_null(parameters)) {
            parameters = field(value, "parameter"); // x => ...
        }
        DeclaredFunction function = function_at(outer, name, parameters);
        if (is(parameters, "identifier")) {
            DeclaredParameter only = parameter_at(parameters);
            only.name = text(parameters);
            function.parameters.push_back(std::move(only));
        } else {
            script_parameters(parameters, function);
        }
        set_returns(function, field(value, "return_type"));
        function.returns = annotation(function.returns);
        return function;
    }

    DeclaredClass script_class(TSNode definition, TSNode outer) const
    {
        DeclaredClass type;
        type.name = text(field(definition, "name"));
        type.start_byte = ts_node_start_byte(outer);
        type.end_byte = ts_node_end_byte(outer);
        for_each_named_child(field(definition, "body"), [&](TSNode member) {
            if (is(member, "method_definition")) {
                if (auto method = script_function(member, field(member, "name"), member)) {
                    type.methods.push_back(std::move(*method));
                }
            } else if (is(member, "public_field_definition") || is(member, "field_definition")) {
                TSNode name = field(member, "name");
                if (ts_node_is_null(name)) {
                    name = field(member, "property");
                }
                if (auto method = script_function(member, name, field(member, "value"))) {
                    type.methods.push_back(std::move(*method));
                }
            }
        });
        return type;
    }

    void script_statement(TSNode statement, TSNode outer)
    {
        if (is(statement, "function_declaration")
            || is(statement, "generator_function_declaration")) {
            if (auto function = script_function(outer, field(statement, "name"), statement)) {
                m_out.functions.push_back(std::move(*function));
            }
        } else if (is(statement, "class_declaration") || is(statement, "abstract_class_declaration")
                   || is(statement, "class")) {
            m_out.classes.push_back(script_class(statement, outer));
        } else if (is(statement, "lexical_declaration") || is(statement, "variable_declaration")) {
            for_each_named_child(statement, [&](TSNode declarator) {
                if (!is(declarator, "variable_declarator")) {
                    return;
                }
                const TSNode value = field(declarator, "value");
                if (is(value, "class")) {
                    DeclaredClass type = script_class(value, outer);
                    type.name = text(field(declarator, "name"));
                    m_out.classes.push_back(std::move(type));
                } else if (auto function =
                               script_function(outer, field(declarator, "name"), value)) {
                    m_out.functions.push_back(std::move(*function));
                }
            });
        } else if (is(statement, "expression_statement")) {
            // CommonJS: exports.name = function (...) {}, module.exports.name = (...) => {}
            const TSNode assignment = ts_node_named_child_count(statement) > 0
                                          ? ts_node_named_child(statement, 0)
                                          : TSNode{};
            const TSNode target = field(assignment, "left");
            if (!is(assignment, "assignment_expression") || !is(target, "member_expression")) {
                return;
            }
            const std::string object = text(field(target, "object"));
            if (object != "exports" && object != "module.exports") {
                return;
            }
            if (auto function =
                    script_function(outer, field(target, "property"), field(assignment, "right"))) {
                m_out.functions.push_back(std::move(*function));
            }
        } else if (is(statement, "export_statement")) {
            for (const char* part : {"declaration", "value"}) {
                if (const TSNode inner = field(statement, part); !ts_node_is_null(inner)) {
                    script_statement(inner, statement);
                }
            }
        }
    }

    void script_block(TSNode program)
    {
        for_each_named_child(program,
                             [&](TSNode statement) { script_statement(statement, statement); });
    }

    // The string value of each top-level `const NAME = "/path"`: a route's path may be
    // held in one.
    void script_constants(TSNode program)
    {
        for_each_named_child(program, [&](TSNode statement) {
            if (is(statement, "export_statement")) {
                statement = field(statement, "declaration");
            }
            if (!is(statement, "lexical_declaration") && !is(statement, "variable_declaration")) {
                return;
            }
            for_each_named_child(statement, [&](TSNode declarator) {
                const TSNode value = field(declarator, "value");
                if (is(declarator, "variable_declarator")
                    && is(field(declarator, "name"), "identifier")
                    && (is(value, "string") || is(value, "template_string"))) {
                    if (auto path = literal_text(text(value))) {
                        m_constants.emplace_back(text(field(declarator, "name")), *path);
                    }
                }
            });
        });
    }

    // The paths an argument names: a string, a constant that holds one, or an array of
    // those (app.get(["/authors", "/writers"], h)).
    std::vector<std::string> paths_of(TSNode argument) const
    {
        std::vector<std::string> paths;
        if (is(argument, "string") || is(argument, "template_string")) {
            if (auto path = literal_text(text(argument))) {
                paths.push_back(std::move(*path));
            }
        } else if (is(argument, "identifier")) {
            const std::string name = text(argument);
            for (const auto& [constant, value] : m_constants) {
                if (constant == name) {
                    paths.push_back(value);
                }
            }
        } else if (is(argument, "array")) {
            for_each_named_child(argument, [&](TSNode item) {
                for (auto& path : paths_of(item)) {
                    paths.push_back(std::move(path));
                }
            });
        }
        return paths;
    }

    // A module a call loads: require("./routes/users").
    std::optional<std::string> required_module(TSNode call) const
    {
        if (!is(call, "call_expression") || text(field(call, "function")) != "require") {
            return std::nullopt;
        }
        return first_string(field(call, "arguments"));
    }

    // app.use("/v1", users, require("./orders")): each router argument is mounted at
    // each path; without a path, at the router's own root.
    void script_mount(TSNode call, const std::string& parent)
    {
        const TSNode arguments = field(call, "arguments");
        if (ts_node_named_child_count(arguments) == 0) {
            return;
        }
        std::vector<std::string> prefixes = paths_of(ts_node_named_child(arguments, 0));
        const bool has_path = !prefixes.empty();
        if (!has_path) {
            prefixes.emplace_back();
        }
        const uint32_t count = ts_node_named_child_count(arguments);
        for (uint32_t i = has_path ? 1 : 0; i < count; ++i) {
            const TSNode argument = ts_node_named_child(arguments, i);
            std::string child;
            if (auto module = required_module(argument)) {
                child = "require(" + *module + ")";
                m_out.imports.push_back({child, *module, "default"});
            } else if (is(argument, "identifier") || is(argument, "member_expression")) {
                child = text(argument);
            } else {
                continue;
            }
            for (const auto& prefix : prefixes) {
                m_out.mounts.push_back({parent, prefix, child, false});
            }
        }
    }

    // app.get('/users/:id', handler), router.route('/users').post(handler), and
    // app.use('/prefix', router)
    void script_routes(TSNode root)
    {
        for_each_descendant(root, [&](TSNode call) {
            if (!is(call, "call_expression")) {
                return;
            }
            const TSNode callee = field(call, "function");
            if (!is(callee, "member_expression")) {
                return;
            }
            const std::string verb = text(field(callee, "property"));
            TSNode receiver = field(callee, "object");
            if (verb == "use") {
                script_mount(call, text(receiver));
                return;
            }
            const bool any = verb == "all";
            if (!any
                && std::find(k_route_verbs.begin(), k_route_verbs.end(), verb)
                       == k_route_verbs.end()) {
                return;
            }
            const TSNode arguments = field(call, "arguments");
            std::vector<std::string> paths = ts_node_named_child_count(arguments) > 0
                                                 ? paths_of(ts_node_named_child(arguments, 0))
                                                 : std::vector<std::string>{};
            // router.route('/path').get(a).post(b): the path is at the head of the chain.
            for (TSNode object = receiver; paths.empty() && is(object, "call_expression");
                 object = field(field(object, "function"), "object")) {
                const TSNode inner = field(object, "function");
                if (!is(inner, "member_expression")) {
                    break;
                }
                if (text(field(inner, "property")) == "route") {
                    const TSNode route_arguments = field(object, "arguments");
                    if (ts_node_named_child_count(route_arguments) > 0) {
                        paths = paths_of(ts_node_named_child(route_arguments, 0));
                    }
                    receiver = field(inner, "object");
                }
            }
            for (const auto& path : paths) {
                if (path.empty() || path.starts_with('/')) {
                    add_route(any ? "" : upper(verb), path, call, text(receiver));
                }
            }
        });
    }

    // import x from "m", import { a as b } from "m", import * as m from "m",
    // const x = require("m"), const { a, b: c } = require("m")
    void script_imports(TSNode program)
    {
        for_each_named_child(program, [&](TSNode statement) {
            if (is(statement, "import_statement")) {
                const auto module = literal_text(text(field(statement, "source")));
                if (!module) {
                    return;
                }
                for_each_named_child(statement, [&](TSNode clause) {
                    if (is(clause, "import_clause")) {
                        import_clause(clause, *module);
                    }
                });
            } else if (is(statement, "lexical_declaration")
                       || is(statement, "variable_declaration")) {
                for_each_named_child(statement,
                                     [&](TSNode declarator) { required_binding(declarator); });
            }
        });
    }

    void import_clause(TSNode clause, const std::string& module)
    {
        for_each_named_child(clause, [&](TSNode part) {
            if (is(part, "identifier")) {
                m_out.imports.push_back({text(part), module, "default"});
            } else if (is(part, "namespace_import")) {
                for_each_named_child(part, [&](TSNode name) {
                    m_out.imports.push_back({text(name), module, ""});
                });
            } else if (is(part, "named_imports")) {
                for_each_named_child(part, [&](TSNode specifier) {
                    const std::string name = text(field(specifier, "name"));
                    const TSNode alias = field(specifier, "alias");
                    m_out.imports.push_back(
                        {ts_node_is_null(alias) ? name : text(alias), module, name});
                });
            }
        });
    }

    void required_binding(TSNode declarator)
    {
        if (!is(declarator, "variable_declarator")) {
            return;
        }
        const TSNode name = field(declarator, "name");
        TSNode value = field(declarator, "value");
        std::string member;
        if (is(value, "member_expression")) { // require("m").router
            member = text(field(value, "property"));
            value = field(value, "object");
        }
        const auto module = required_module(value);
        if (!module) {
            return;
        }
        if (is(name, "identifier")) {
            m_out.imports.push_back({text(name), *module, member.empty() ? "default" : member});
            return;
        }
        for_each_named_child(name, [&](TSNode part) {
            if (is(part, "shorthand_property_identifier_pattern")) {
                m_out.imports.push_back({text(part), *module, text(part)});
            } else if (is(part, "pair_pattern")) {
                m_out.imports.push_back(
                    {text(field(part, "value")), *module, text(field(part, "key"))});
            }
        });
    }

    // export default router, export const r = ..., export { r as users },
    // module.exports = router, module.exports = { users: router }, exports.users = router
    void script_exports(TSNode program)
    {
        for_each_named_child(program, [&](TSNode statement) {
            if (is(statement, "export_statement")) {
                es_export(statement);
            } else if (is(statement, "expression_statement")
                       && ts_node_named_child_count(statement) > 0) {
                commonjs_export(ts_node_named_child(statement, 0));
            }
        });
    }

    void es_export(TSNode statement)
    {
        if (const TSNode value = field(statement, "value"); is(value, "identifier")) {
            m_out.exports.push_back({"default", text(value)});
        }
        const TSNode declaration = field(statement, "declaration");
        for_each_named_child(declaration, [&](TSNode declarator) {
            if (is(declarator, "variable_declarator")) {
                const std::string name = text(field(declarator, "name"));
                m_out.exports.push_back({name, name});
            }
        });
        for_each_named_child(statement, [&](TSNode clause) {
            if (!is(clause, "export_clause")) {
                return;
            }
            for_each_named_child(clause, [&](TSNode specifier) {
                const std::string name = text(field(specifier, "name"));
                const TSNode alias = field(specifier, "alias");
                m_out.exports.push_back({ts_node_is_null(alias) ? name : text(alias), name});
            });
        });
    }

    void commonjs_export(TSNode assignment)
    {
        if (!is(assignment, "assignment_expression")) {
            return;
        }
        const std::string target = text(field(assignment, "left"));
        const TSNode value = field(assignment, "right");
        if (target == "module.exports" && is(value, "identifier")) {
            m_out.exports.push_back({"default", text(value)});
        } else if (target == "module.exports" && is(value, "object")) {
            for_each_named_child(value, [&](TSNode member) {
                if (is(member, "shorthand_property_identifier")) {
                    m_out.exports.push_back({text(member), text(member)});
                } else if (is(member, "pair") && is(field(member, "value"), "identifier")) {
                    m_out.exports.push_back(
                        {text(field(member, "key")), text(field(member, "value"))});
                }
            });
        } else if ((target.starts_with("exports.") || target.starts_with("module.exports."))
                   && is(value, "identifier")) {
            m_out.exports.push_back({target.substr(target.rfind('.') + 1), text(value)});
        }
    }

    std::vector<std::pair<std::string, std::string>> m_constants;
};

} // namespace

void read_script(const source::SyntaxTree& tree, Declarations& out)
{
    ScriptReader(tree, out).run();
}

} // namespace aiops::validate::reading
