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
        script_routes(m_tree.root());
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

    // app.get('/users/:id', handler), router.route('/users').post(handler)
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
            const bool any = verb == "all";
            if (!any
                && std::find(k_route_verbs.begin(), k_route_verbs.end(), verb)
                       == k_route_verbs.end()) {
                return;
            }
            std::optional<std::string> path = first_string(field(call, "arguments"));
            // router.route('/path').get(a).post(b): the path is at the head of the chain.
            for (TSNode object = field(callee, "object"); !path && is(object, "call_expression");
                 object = field(field(object, "function"), "object")) {
                const TSNode inner = field(object, "function");
                if (!is(inner, "member_expression")) {
                    break;
                }
                if (text(field(inner, "property")) == "route") {
                    path = first_string(field(object, "arguments"));
                }
            }
            if (path && path->starts_with('/')) {
                add_route(any ? "" : upper(verb), *path, call);
            }
        });
    }
};

} // namespace

void read_script(const source::SyntaxTree& tree, Declarations& out)
{
    ScriptReader(tree, out).run();
}

} // namespace aiops::validate::reading
