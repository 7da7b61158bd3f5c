#include "validate/declarations.hpp"

#include "core/strings.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace aiops::validate {

namespace {

using source::Language;

bool is(TSNode node, const char* type)
{
    return !ts_node_is_null(node) && std::strcmp(ts_node_type(node), type) == 0;
}

// A missing part of a broken tree is a null node; asking it for a field gives another.
TSNode field(TSNode node, const char* name)
{
    if (ts_node_is_null(node)) {
        return node;
    }
    return ts_node_child_by_field_name(node, name, static_cast<uint32_t>(std::strlen(name)));
}

template <typename Visit> void for_each_named_child(TSNode node, Visit&& visit)
{
    if (ts_node_is_null(node)) {
        return;
    }
    const uint32_t count = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < count; ++i) {
        visit(ts_node_named_child(node, i));
    }
}

// Visits every node below `node`, depth first, in source order.
template <typename Visit> void for_each_descendant(TSNode node, Visit&& visit)
{
    TSTreeCursor cursor = ts_tree_cursor_new(node);
    bool more = ts_tree_cursor_goto_first_child(&cursor);
    while (more) {
        const TSNode current = ts_tree_cursor_current_node(&cursor);
        if (ts_node_is_named(current)) {
            visit(current);
        }
        if (ts_tree_cursor_goto_first_child(&cursor)) {
            continue;
        }
        while (!(more = ts_tree_cursor_goto_next_sibling(&cursor))) {
            if (!ts_tree_cursor_goto_parent(&cursor)
                || ts_node_eq(ts_tree_cursor_current_node(&cursor), node)) {
                more = false;
                break;
            }
        }
    }
    ts_tree_cursor_delete(&cursor);
}

bool is_word(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

std::string upper(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    return out;
}

// The value of a string literal of any of the languages: prefixes and quotes removed.
std::optional<std::string> literal_text(std::string_view text)
{
    std::size_t start = 0;
    while (start < text.size() && std::isalpha(static_cast<unsigned char>(text[start])) != 0) {
        ++start;
    }
    text.remove_prefix(start);
    for (const std::string_view quote : {"\"\"\"", "'''", "\"", "'", "`"}) {
        if (text.size() >= 2 * quote.size() && text.starts_with(quote) && text.ends_with(quote)) {
            return std::string(text.substr(quote.size(), text.size() - 2 * quote.size()));
        }
    }
    return std::nullopt;
}

const std::vector<std::string> k_route_verbs{
    "get", "post", "put", "delete", "patch", "head", "options"};

class Reader
{
public:
    explicit Reader(const source::SyntaxTree& tree) : m_tree(tree) {}

    Declarations run()
    {
        const TSNode root = m_tree.root();
        read(root);
        if (m_tree.language() != Language::python) {
            collect_handler_names(root);
        }
        return std::move(m_out);
    }

private:
    void collect_handler_names(TSNode root)
    {
        for_each_descendant(root, [&](TSNode node) {
            if (is(node, "function_declaration") || is(node, "method_declaration")
                || is(node, "generator_function_declaration") || is(node, "method_definition")) {
                m_out.handler_names.push_back(text(field(node, "name")));
            } else if (is(node, "variable_declarator")) {
                const TSNode value = field(node, "value");
                if (is(value, "arrow_function") || is(value, "function_expression")
                    || is(value, "function")) {
                    m_out.handler_names.push_back(text(field(node, "name")));
                }
            }
        });
    }

    void read(TSNode root)
    {
        switch (m_tree.language()) {
        case Language::python:
            python_block(root);
            python_nested(root);
            break;
        case Language::javascript:
        case Language::typescript:
        case Language::tsx:
            script_block(root);
            script_routes(root);
            break;
        case Language::go:
            go_file(root);
            go_routes(root);
            break;
        case Language::java:
            java_block(root);
            break;
        default:
            break;
        }
    }

    std::string text(TSNode node) const
    {
        return ts_node_is_null(node) ? std::string() : std::string(m_tree.node_text(node));
    }

    DeclaredFunction function_at(TSNode definition, TSNode name, TSNode parameters) const
    {
        DeclaredFunction function;
        function.name = text(name);
        function.start_byte = ts_node_start_byte(definition);
        function.end_byte = ts_node_end_byte(definition);
        const TSNode anchor = !ts_node_is_null(parameters) ? parameters
                              : !ts_node_is_null(name)     ? name
                                                           : definition;
        function.parameters_start = ts_node_start_byte(anchor);
        function.parameters_end = ts_node_end_byte(anchor);
        return function;
    }

    static DeclaredParameter parameter_at(TSNode node)
    {
        DeclaredParameter parameter;
        parameter.start_byte = ts_node_start_byte(node);
        parameter.end_byte = ts_node_end_byte(node);
        return parameter;
    }

    void set_returns(DeclaredFunction& function, TSNode type) const
    {
        if (ts_node_is_null(type)) {
            return;
        }
        function.returns = text(type);
        function.returns_start = ts_node_start_byte(type);
        function.returns_end = ts_node_end_byte(type);
    }

    void add_route(std::string method, std::string path, TSNode at)
    {
        m_out.routes.push_back(
            {std::move(method), std::move(path), ts_node_start_byte(at), ts_node_end_byte(at)});
    }

    // Python ---------------------------------------------------------------------------

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
        if (!path || !path->starts_with('/')) {
            return;
        }
        if (!generic) {
            methods = {upper(verb)};
        } else if (methods.empty()) {
            methods = {"GET"};
        }
        for (auto& method : methods) {
            add_route(std::move(method), *path, decorator);
        }
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

    // JavaScript and TypeScript --------------------------------------------------------

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

    std::optional<std::string> first_string(TSNode arguments) const
    {
        if (ts_node_is_null(arguments)) {
            return std::nullopt;
        }
        const TSNode first = ts_node_named_child(arguments, 0);
        if (ts_node_is_null(first)
            || !(is(first, "string") || is(first, "template_string")
                 || is(first, "interpreted_string_literal") || is(first, "raw_string_literal"))) {
            return std::nullopt;
        }
        return literal_text(text(first));
    }

    // Go -------------------------------------------------------------------------------

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
                add_route(std::move(method), *path, call);
            }
        });
    }

    // Java -----------------------------------------------------------------------------

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

    const source::SyntaxTree& m_tree;
    Declarations m_out;
};

} // namespace

bool declarations_supported(source::Language language)
{
    switch (language) {
    case Language::python:
    case Language::javascript:
    case Language::typescript:
    case Language::tsx:
    case Language::go:
    case Language::java:
        return true;
    default:
        return false;
    }
}

Declarations read_declarations(const source::SyntaxTree& tree)
{
    return Reader(tree).run();
}

std::string normalise_type(std::string_view type)
{
    std::string_view trimmed = core::trim(type);
    if (trimmed.size() >= 2 && (trimmed.front() == '\'' || trimmed.front() == '"')
        && trimmed.back() == trimmed.front()) {
        trimmed = trimmed.substr(1, trimmed.size() - 2);
    }
    std::string out;
    bool pending_space = false;
    for (const char c : trimmed) {
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            pending_space = true;
            continue;
        }
        if (pending_space && !out.empty() && is_word(out.back()) && is_word(c)) {
            out += ' ';
        }
        pending_space = false;
        out += c;
    }
    return out;
}

std::string normalise_route(std::string_view path)
{
    std::string out;
    std::size_t i = 0;
    while (i < path.size()) {
        const char c = path[i];
        if (c == '{' || c == '<') {
            const char close = c == '{' ? '}' : '>';
            const std::size_t end = path.find(close, i);
            if (end == std::string_view::npos) {
                out += path.substr(i);
                break;
            }
            out += "{}";
            i = end + 1;
        } else if (c == ':' && (i == 0 || path[i - 1] == '/')) {
            // Express: ":id", ":id?", ":id(\\d+)".
            ++i;
            while (i < path.size() && (is_word(path[i]) || path[i] == '?')) {
                ++i;
            }
            if (i < path.size() && path[i] == '(') {
                const std::size_t end = path.find(')', i);
                i = end == std::string_view::npos ? path.size() : end + 1;
                if (i < path.size() && path[i] == '?') {
                    ++i;
                }
            }
            out += "{}";
        } else {
            out += c;
            ++i;
        }
    }
    while (out.size() > 1 && out.back() == '/') {
        out.pop_back();
    }
    return out;
}

} // namespace aiops::validate
