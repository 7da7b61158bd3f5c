#include "validate/declaration_reader.hpp"

namespace aiops::validate::reading {

namespace {

class PythonReader final : public ReaderBase
{
public:
    using ReaderBase::ReaderBase;

    void run()
    {
        python_block(m_tree.root());
        python_nested(m_tree.root());
        python_routing(m_tree.root());
    }

private:
    DeclaredFunction python_function(TSNode definition, TSNode outer) const
    {
        DeclaredFunction function =
            function_at(outer, field(definition, "name"), field(definition, "parameters"));
        set_returns(function, field(definition, "return_type"));
        for_each_named_child(field(definition, "parameters"), [&](TSNode parameter) {
            DeclaredParameter out = parameter_at(parameter);
            if (is(parameter, "identifier") || is(parameter, "list_splat_pattern")
                || is(parameter, "dictionary_splat_pattern")) {
                out.name = text(parameter);
            } else if (is(parameter, "typed_parameter")) {
                out.name = ts_node_named_child_count(parameter) > 0
                               ? text(ts_node_named_child(parameter, 0))
                               : std::string();
                out.type = text(field(parameter, "type"));
            } else if (is(parameter, "default_parameter")
                       || is(parameter, "typed_default_parameter")) {
                out.name = text(field(parameter, "name"));
                out.type = text(field(parameter, "type"));
                out.default_value = text(field(parameter, "value"));
            } else {
                return; // the "*" and "/" markers
            }
            function.parameters.push_back(std::move(out));
        });
        return function;
    }

    void python_route(TSNode decorator)
    {
        const TSNode call =
            ts_node_named_child_count(decorator) > 0 ? ts_node_named_child(decorator, 0) : TSNode{};
        if (!is(call, "call")) {
            return;
        }
        const TSNode callee = field(call, "function");
        if (!is(callee, "attribute")) {
            return;
        }
        const std::string verb = text(field(callee, "attribute"));
        const bool generic = verb == "route" || verb == "api_route";
        if (!generic
            && std::find(k_route_verbs.begin(), k_route_verbs.end(), verb) == k_route_verbs.end()) {
            return;
        }
        std::optional<std::string> path;
        std::vector<std::string> methods;
        for_each_named_child(field(call, "arguments"), [&](TSNode argument) {
            if (is(argument, "string") && !path) {
                path = literal_text(text(argument));
            } else if (is(argument, "keyword_argument")
                       && text(field(argument, "name")) == "methods") {
                for_each_named_child(field(argument, "value"), [&](TSNode item) {
                    if (auto method = literal_text(text(item))) {
                        methods.push_back(upper(*method));
                    }
                });
            }
        });
        // "" is the blueprint's or router's own path, under its prefix.
        if (!path || (!path->empty() && !path->starts_with('/'))) {
            return;
        }
        if (!generic) {
            methods = {upper(verb)};
        } else if (methods.empty()) {
            methods = {"GET"};
        }
        for (auto& method : methods) {
            add_route(std::move(method), *path, decorator, text(field(callee, "object")));
        }
    }

    // The string value of a keyword argument of a call: url_prefix="/api".
    std::optional<std::string> keyword_string(TSNode call, std::string_view keyword) const
    {
        std::optional<std::string> value;
        for_each_named_child(field(call, "arguments"), [&](TSNode argument) {
            if (is(argument, "keyword_argument") && text(field(argument, "name")) == keyword
                && is(field(argument, "value"), "string")) {
                value = literal_text(text(field(argument, "value")));
            }
        });
        return value;
    }

    // users = Blueprint("users", __name__, url_prefix="/api/users"),
    // router = APIRouter(prefix="/v2")
    void python_router(TSNode assignment)
    {
        const TSNode name = field(assignment, "left");
        const TSNode call = field(assignment, "right");
        if (!is(name, "identifier") || !is(call, "call")) {
            return;
        }
        const std::string function = text(field(call, "function"));
        std::optional<std::string> prefix;
        if (function == "Blueprint" || function.ends_with(".Blueprint")) {
            prefix = keyword_string(call, "url_prefix");
        } else if (function == "APIRouter" || function.ends_with(".APIRouter")) {
            prefix = keyword_string(call, "prefix");
        }
        if (prefix) {
            m_out.routers.push_back({text(name), *prefix, ""});
        }
    }

    // app.register_blueprint(bp, url_prefix="/v2"), app.include_router(r, prefix="/v2")
    void python_mount(TSNode call)
    {
        const TSNode callee = field(call, "function");
        if (!is(callee, "attribute")) {
            return;
        }
        const std::string verb = text(field(callee, "attribute"));
        const bool blueprint = verb == "register_blueprint";
        if (!blueprint && verb != "include_router") {
            return;
        }
        const TSNode arguments = field(call, "arguments");
        const TSNode child =
            ts_node_named_child_count(arguments) > 0 ? ts_node_named_child(arguments, 0) : TSNode{};
        if (!is(child, "identifier") && !is(child, "attribute")) {
            return;
        }
        const auto prefix = keyword_string(call, blueprint ? "url_prefix" : "prefix");
        m_out.mounts.push_back(
            {text(field(callee, "object")), prefix.value_or(""), text(child), blueprint && prefix});
    }

    // from .users import bp as users_bp; import app.users as users; import app.orders
    void python_import(TSNode statement)
    {
        if (is(statement, "import_from_statement")) {
            const std::string module = text(field(statement, "module_name"));
            const TSNode module_name = field(statement, "module_name");
            for_each_named_child(statement, [&](TSNode name) {
                if (ts_node_eq(name, module_name)) {
                    return;
                }
                if (is(name, "aliased_import")) {
                    m_out.imports.push_back(
                        {text(field(name, "alias")), module, text(field(name, "name"))});
                } else if (is(name, "dotted_name")) {
                    m_out.imports.push_back({text(name), module, text(name)});
                }
            });
            return;
        }
        for_each_named_child(statement, [&](TSNode name) {
            if (is(name, "aliased_import")) {
                m_out.imports.push_back(
                    {text(field(name, "alias")), text(field(name, "name")), ""});
            } else if (is(name, "dotted_name")) {
                m_out.imports.push_back({text(name), text(name), ""});
            }
        });
    }

    // The statements that make routers, mount them and import them, wherever they are
    // (an application factory does it inside a function).
    void python_routing(TSNode root)
    {
        for_each_descendant(root, [&](TSNode node) {
            if (is(node, "assignment")) {
                python_router(node);
            } else if (is(node, "call")) {
                python_mount(node);
            } else if (is(node, "import_from_statement") || is(node, "import_statement")) {
                python_import(node);
            }
        });
    }

    // Handlers defined inside a function (an application factory) register their
    // routes there; top-level ones were read with the module.
    void python_nested(TSNode root)
    {
        for_each_descendant(root, [&](TSNode node) {
            if (is(node, "function_definition")) {
                m_out.handler_names.push_back(text(field(node, "name")));
            }
            if (!is(node, "decorated_definition") || ts_node_eq(ts_node_parent(node), root)) {
                return;
            }
            for_each_named_child(node, [&](TSNode decorator) {
                if (is(decorator, "decorator")) {
                    python_route(decorator);
                }
            });
        });
    }

    DeclaredClass python_class(TSNode definition, TSNode outer)
    {
        DeclaredClass type;
        type.name = text(field(definition, "name"));
        type.start_byte = ts_node_start_byte(outer);
        type.end_byte = ts_node_end_byte(outer);
        for_each_named_child(field(definition, "body"), [&](TSNode member) {
            TSNode inner = member;
            if (is(member, "decorated_definition")) {
                inner = field(member, "definition");
            }
            if (is(inner, "function_definition")) {
                type.methods.push_back(python_function(inner, member));
            }
        });
        return type;
    }

    void python_block(TSNode block)
    {
        for_each_named_child(block, [&](TSNode statement) {
            TSNode definition = statement;
            if (is(statement, "decorated_definition")) {
                definition = field(statement, "definition");
                for_each_named_child(statement, [&](TSNode decorator) {
                    if (is(decorator, "decorator")) {
                        python_route(decorator);
                    }
                });
            }
            if (is(definition, "function_definition")) {
                m_out.functions.push_back(python_function(definition, statement));
            } else if (is(definition, "class_definition")) {
                m_out.classes.push_back(python_class(definition, statement));
            } else if (is(statement, "if_statement") || is(statement, "try_statement")) {
                // Definitions under "if TYPE_CHECKING:" or a guarded import stay top level.
                for_each_named_child(statement, [&](TSNode part) {
                    if (is(part, "block")) {
                        python_block(part);
                    }
                });
            }
        });
    }
};

} // namespace

void read_python(const source::SyntaxTree& tree, Declarations& out)
{
    PythonReader(tree, out).run();
}

} // namespace aiops::validate::reading
