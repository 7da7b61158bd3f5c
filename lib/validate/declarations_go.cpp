#include "validate/declaration_reader.hpp"

namespace aiops::validate::reading {

namespace {

class GoReader final : public ReaderBase
{
public:
    using ReaderBase::ReaderBase;

    void run()
    {
        go_file(m_tree.root());
        go_routes(m_tree.root());
    }

private:
    void go_parameters(TSNode list, DeclaredFunction& function) const
    {
        for_each_named_child(list, [&](TSNode parameter) {
            const bool variadic = is(parameter, "variadic_parameter_declaration");
            if (!variadic && !is(parameter, "parameter_declaration")) {
                return;
            }
            std::string type = text(field(parameter, "type"));
            if (variadic) {
                type = "..." + type;
            }
            bool named = false;
            TSTreeCursor cursor = ts_tree_cursor_new(parameter);
            if (ts_tree_cursor_goto_first_child(&cursor)) {
                do {
                    const char* name = ts_tree_cursor_current_field_name(&cursor);
                    if (name != nullptr && std::strcmp(name, "name") == 0) {
                        named = true;
                        DeclaredParameter out = parameter_at(parameter);
                        out.name = text(ts_tree_cursor_current_node(&cursor));
                        out.type = type;
                        function.parameters.push_back(std::move(out));
                    }
                } while (ts_tree_cursor_goto_next_sibling(&cursor));
            }
            ts_tree_cursor_delete(&cursor);
            if (!named) {
                DeclaredParameter out = parameter_at(parameter);
                out.type = type;
                function.parameters.push_back(std::move(out));
            }
        });
    }

    DeclaredFunction go_function(TSNode definition) const
    {
        DeclaredFunction function =
            function_at(definition, field(definition, "name"), field(definition, "parameters"));
        go_parameters(field(definition, "parameters"), function);
        set_returns(function, field(definition, "result"));
        return function;
    }

    DeclaredClass& go_type(const std::string& name)
    {
        for (auto& type : m_out.classes) {
            if (type.name == name) {
                return type;
            }
        }
        m_out.classes.push_back({name, {}, 0, 0});
        return m_out.classes.back();
    }

    void go_file(TSNode root)
    {
        for_each_named_child(root, [&](TSNode declaration) {
            if (is(declaration, "function_declaration")) {
                m_out.functions.push_back(go_function(declaration));
            } else if (is(declaration, "method_declaration")) {
                const TSNode receivers = field(declaration, "receiver");
                if (ts_node_is_null(receivers) || ts_node_named_child_count(receivers) == 0) {
                    return;
                }
                const TSNode receiver = ts_node_named_child(receivers, 0);
                std::string type = text(field(receiver, "type"));
                type.erase(0, type.find_first_not_of("* \t"));
                type = type.substr(0, type.find('['));
                go_type(type).methods.push_back(go_function(declaration));
            } else if (is(declaration, "type_declaration")) {
                for_each_named_child(declaration, [&](TSNode spec) {
                    if (is(spec, "type_spec")) {
                        DeclaredClass& type = go_type(text(field(spec, "name")));
                        type.start_byte = ts_node_start_byte(spec);
                        type.end_byte = ts_node_end_byte(spec);
                    }
                });
            }
        });
    }

    // http.HandleFunc("GET /users/{id}", h), r.Get("/users/{id}", h), r.GET(...)
    void go_routes(TSNode root)
    {
        for_each_descendant(root, [&](TSNode call) {
            if (!is(call, "call_expression")) {
                return;
            }
            const TSNode callee = field(call, "function");
            if (!is(callee, "selector_expression")) {
                return;
            }
            const std::string name = text(field(callee, "field"));
            const bool pattern = name == "HandleFunc" || name == "Handle";
            const std::string verb = core::to_lower(name);
            if (!pattern
                && std::find(k_route_verbs.begin(), k_route_verbs.end(), verb)
                       == k_route_verbs.end()) {
                return;
            }
            auto path = first_string(field(call, "arguments"));
            if (!path) {
                return;
            }
            std::string method = pattern ? "" : upper(verb);
            if (pattern) {
                // Go 1.22 patterns: "[METHOD ][HOST]/PATH".
                if (const std::size_t space = path->find(' '); space != std::string::npos) {
                    method = upper(core::trim(path->substr(0, space)));
                    *path = std::string(core::trim(path->substr(space + 1)));
                }
                if (const std::size_t slash = path->find('/'); slash != std::string::npos) {
                    *path = path->substr(slash);
                }
            }
            if (path->starts_with('/')) {
                add_route(std::move(method),
                          *path,
                          call,
                          router_at(call, text(field(callee, "operand"))));
            }
        });
        go_routers(root);
    }

    // The router a call on `receiver` registers on. Inside chi's `r.Route("/v1",
    // func(r chi.Router) {...})` (or `r.Group(func(r chi.Router) {...})`), the function's
    // parameter is a router of its own, named after the function literal.
    std::string router_at(TSNode call, const std::string& receiver) const
    {
        for (TSNode up = ts_node_parent(call); !ts_node_is_null(up); up = ts_node_parent(up)) {
            if (!is(up, "func_literal")) {
                continue;
            }
            const TSNode parameters = field(up, "parameters");
            const TSNode first = ts_node_named_child_count(parameters) > 0
                                     ? ts_node_named_child(parameters, 0)
                                     : TSNode{};
            if (text(field(first, "name")) == receiver && !ts_node_is_null(router_call(up))) {
                return literal_router(up);
            }
        }
        return receiver;
    }

    // The chi call a function literal is handed to: X.Route(path, func) or X.Group(func).
    TSNode router_call(TSNode literal) const
    {
        const TSNode call = ts_node_parent(ts_node_parent(literal));
        const TSNode callee = field(call, "function");
        const std::string name = text(field(callee, "field"));
        return is(call, "call_expression") && (name == "Route" || name == "Group") ? call
                                                                                   : TSNode{};
    }

    static std::string literal_router(TSNode literal)
    {
        return "func@" + std::to_string(ts_node_start_byte(literal));
    }

    // v1 := r.Group("/v1") (gin, echo, fiber), r.Route("/v1", func(r chi.Router) {...}),
    // r.Mount("/admin", admin) (chi)
    void go_routers(TSNode root)
    {
        for_each_descendant(root, [&](TSNode call) {
            if (!is(call, "call_expression")) {
                return;
            }
            const TSNode callee = field(call, "function");
            const std::string name = text(field(callee, "field"));
            if (name != "Group" && name != "Route" && name != "Mount") {
                return;
            }
            const std::string parent = router_at(call, text(field(callee, "operand")));
            const TSNode arguments = field(call, "arguments");
            const auto prefix = first_string(arguments);
            const TSNode last =
                ts_node_named_child_count(arguments) > 0
                    ? ts_node_named_child(arguments, ts_node_named_child_count(arguments) - 1)
                    : TSNode{};
            if (is(last, "func_literal") && ts_node_eq(router_call(last), call)) {
                m_out.routers.push_back({literal_router(last), prefix.value_or(""), parent});
            } else if (name == "Mount" && prefix && is(last, "identifier")) {
                m_out.mounts.push_back({parent, *prefix, text(last), false});
            } else if (name == "Group" && prefix) {
                // The variable the group is assigned to: v1 := r.Group("/v1").
                const TSNode list = ts_node_parent(call);
                const TSNode statement = ts_node_parent(list);
                const TSNode left = field(statement, "left");
                const TSNode target = ts_node_is_null(left) ? field(statement, "name") : left;
                const TSNode variable =
                    is(target, "expression_list") ? ts_node_named_child(target, 0) : target;
                if (is(variable, "identifier")) {
                    m_out.routers.push_back({text(variable), *prefix, parent});
                }
            }
        });
    }
};

} // namespace

void read_go(const source::SyntaxTree& tree, Declarations& out)
{
    GoReader(tree, out).run();
}

} // namespace aiops::validate::reading
