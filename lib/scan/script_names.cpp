#include "scan/script_names.hpp"

#include <algorithm>
#include <cstring>

namespace aiops::scan {

namespace {

bool is(TSNode node, const char* type)
{
    return !ts_node_is_null(node) && std::strcmp(ts_node_type(node), type) == 0;
}

TSNode field(TSNode node, const char* name)
{
    return ts_node_child_by_field_name(node, name, static_cast<uint32_t>(std::strlen(name)));
}

template <typename Visit> void for_each_named_child(TSNode node, Visit&& visit)
{
    const uint32_t count = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < count; ++i) {
        visit(ts_node_named_child(node, i));
    }
}

// The module a string literal names: its text without the quotes, and without the
// "node:" scheme, which names the same built-in module.
std::string module_name(std::string_view literal)
{
    if (literal.size() >= 2) {
        literal = literal.substr(1, literal.size() - 2);
    }
    if (literal.starts_with("node:")) {
        literal.remove_prefix(5);
    }
    return std::string(literal);
}

// The identifiers a parameter list or destructuring pattern declares, not those of its
// default values or type annotations.
void pattern_names(TSNode pattern, std::vector<TSNode>& out)
{
    if (is(pattern, "identifier") || is(pattern, "shorthand_property_identifier_pattern")) {
        out.push_back(pattern);
    } else if (is(pattern, "required_parameter") || is(pattern, "optional_parameter")) {
        pattern_names(field(pattern, "pattern"), out);
    } else if (is(pattern, "assignment_pattern") || is(pattern, "object_assignment_pattern")) {
        pattern_names(field(pattern, "left"), out);
    } else if (is(pattern, "pair_pattern")) {
        pattern_names(field(pattern, "value"), out);
    } else if (is(pattern, "formal_parameters") || is(pattern, "object_pattern")
               || is(pattern, "array_pattern") || is(pattern, "rest_pattern")) {
        for_each_named_child(pattern, [&](TSNode part) { pattern_names(part, out); });
    }
}

/// What the walk for local declarations does at a node of a kind.
enum Role : uint8_t
{
    k_none = 0,
    k_function = 1, ///< a scope of its own, for `var` too; declares its parameters
    k_block = 2,    ///< a scope for `let`, `const` and classes
    k_catch = 4,    ///< a block that declares its parameter
    k_declarator = 8,
    k_declaration = 16, ///< a function or class declaration, named in the scope around it
};

/// The role of each grammar symbol, found by name once per file: the walk then tests
/// every node by its symbol alone.
std::vector<uint8_t> roles_of(const TSLanguage* grammar)
{
    std::vector<uint8_t> roles(ts_language_symbol_count(grammar), k_none);
    const auto set = [&](const char* type, uint8_t role) {
        const TSSymbol symbol = ts_language_symbol_for_name(
            grammar, type, static_cast<uint32_t>(std::strlen(type)), /*is_named=*/true);
        if (symbol != 0 && symbol < roles.size()) {
            roles[symbol] |= role;
        }
    };
    for (const char* type :
         {"function_expression", "generator_function", "arrow_function", "method_definition"}) {
        set(type, k_function);
    }
    for (const char* type : {"function_declaration", "generator_function_declaration"}) {
        set(type, k_function | k_declaration);
    }
    for (const char* type : {"statement_block", "for_statement", "for_in_statement"}) {
        set(type, k_block);
    }
    set("catch_clause", k_block | k_catch);
    set("class_declaration", k_declaration);
    set("variable_declarator", k_declarator);
    return roles;
}

/// A scope the walk is under.
struct Scope
{
    TSNode node;
    bool function;
    uint32_t depth;
};

} // namespace

ScriptNames::ScriptNames(const source::SyntaxTree& tree) : m_tree(tree)
{
    for_each_named_child(tree.root(), [&](TSNode statement) { read_statement(statement); });
    const std::string_view all = tree.text();
    m_has_local_imports = all.find("require(") != std::string_view::npos
                          || all.find("import(") != std::string_view::npos;
}

void ScriptNames::bind(TSNode name, std::optional<std::string> target)
{
    if (!is(name, "identifier") && !is(name, "type_identifier")
        && !is(name, "shorthand_property_identifier_pattern")) {
        return;
    }
    if (target) {
        m_bound[std::string(text(name))] = std::move(*target);
    } else {
        // A definition in the file undoes an import of the same name.
        m_bound.erase(std::string(text(name)));
    }
}

void ScriptNames::read_statement(TSNode statement)
{
    if (is(statement, "export_statement")) {
        const TSNode declaration = field(statement, "declaration");
        if (!ts_node_is_null(declaration)) {
            read_statement(declaration);
        }
    } else if (is(statement, "import_statement")) {
        read_import(statement);
    } else if (is(statement, "expression_statement")) {
        // `let cp; cp = require('child_process')`
        const TSNode expression = ts_node_named_child(statement, 0);
        if (is(expression, "assignment_expression")) {
            for (auto& [name, target] :
                 declared_by(field(expression, "left"), field(expression, "right"))) {
                bind(name, std::move(target));
            }
        }
    } else if (is(statement, "lexical_declaration") || is(statement, "variable_declaration")) {
        for_each_named_child(statement, [&](TSNode declarator) {
            if (!is(declarator, "variable_declarator")) {
                return;
            }
            for (auto& [name, target] :
                 declared_by(field(declarator, "name"), field(declarator, "value"))) {
                bind(name, std::move(target));
            }
        });
    } else if (is(statement, "function_declaration")
               || is(statement, "generator_function_declaration")
               || is(statement, "class_declaration")) {
        bind(field(statement, "name"), std::nullopt);
    }
}

void ScriptNames::read_import(TSNode statement)
{
    const TSNode source = field(statement, "source");
    for_each_named_child(statement, [&](TSNode part) {
        // TypeScript's `import cp = require('child_process')`.
        if (is(part, "import_require_clause")) {
            const TSNode module = field(part, "source");
            const TSNode name = ts_node_named_child(part, 0);
            if (!ts_node_is_null(module) && is(name, "identifier")) {
                bind(name, module_name(text(module)));
            }
        }
    });
    if (ts_node_is_null(source)) {
        return;
    }
    const std::string module = module_name(text(source));
    for_each_named_child(statement, [&](TSNode clause) {
        if (!is(clause, "import_clause")) {
            return;
        }
        for_each_named_child(clause, [&](TSNode part) {
            if (is(part, "identifier")) {
                // A default import of a CommonJS module is the module itself.
                bind(part, module);
            } else if (is(part, "namespace_import")) {
                const TSNode name = ts_node_named_child(part, 0);
                if (is(name, "identifier")) {
                    bind(name, module);
                }
            } else if (is(part, "named_imports")) {
                for_each_named_child(part, [&](TSNode specifier) {
                    const TSNode name = field(specifier, "name");
                    const TSNode alias = field(specifier, "alias");
                    if (ts_node_is_null(name)) {
                        return;
                    }
                    bind(ts_node_is_null(alias) ? name : alias,
                         module + "." + std::string(text(name)));
                });
            }
        });
    });
}

std::vector<ScriptNames::Declared> ScriptNames::declared_by(TSNode name, TSNode value) const
{
    const auto module = ts_node_is_null(value) ? std::nullopt : imported_value(value);
    std::vector<Declared> out;
    if (is(name, "identifier")) {
        out.emplace_back(name, module);
        return out;
    }
    if (!is(name, "object_pattern")) {
        std::vector<TSNode> names;
        pattern_names(name, names);
        for (const TSNode each : names) {
            out.emplace_back(each, std::nullopt);
        }
        return out;
    }
    // const { exec, spawn: run } = require('child_process')
    for_each_named_child(name, [&](TSNode property) {
        TSNode key = property;
        TSNode local = property;
        if (is(property, "pair_pattern")) {
            key = field(property, "key");
            local = field(property, "value");
        } else if (is(property, "object_assignment_pattern")) {
            key = local = field(property, "left");
        }
        if (ts_node_is_null(key) || ts_node_is_null(local)) {
            return;
        }
        out.emplace_back(
            local, module ? std::optional(*module + "." + std::string(text(key))) : std::nullopt);
    });
    return out;
}

std::optional<std::string> ScriptNames::imported_value(TSNode value) const
{
    if (is(value, "identifier")) {
        // `const { exec } = cp` after `import * as cp from 'child_process'`.
        return binding(value);
    }
    if (is(value, "parenthesized_expression")) {
        return imported_value(ts_node_named_child(value, 0));
    }
    if (is(value, "member_expression")) {
        const auto base = imported_value(field(value, "object"));
        const TSNode property = field(value, "property");
        if (!base || ts_node_is_null(property)) {
            return std::nullopt;
        }
        return *base + "." + std::string(text(property));
    }
    if (is(value, "await_expression")) {
        return imported_value(ts_node_named_child(value, 0));
    }
    // `require('m')`, and the dynamic `import('m')` (awaited above).
    const std::string_view callee =
        is(value, "call_expression") ? text(field(value, "function")) : std::string_view();
    if (callee != "require" && callee != "import") {
        return std::nullopt;
    }
    const TSNode arguments = field(value, "arguments");
    const TSNode first = ts_node_named_child(arguments, 0);
    if (ts_node_named_child_count(arguments) != 1 || !is(first, "string")) {
        return std::nullopt;
    }
    return module_name(text(first));
}

std::optional<std::string> ScriptNames::binding(TSNode identifier) const
{
    const std::string name(text(identifier));
    if (const auto locals = m_locals.find(name); locals != m_locals.end()) {
        const uint32_t start = ts_node_start_byte(identifier);
        const uint32_t end = ts_node_end_byte(identifier);
        const Local* innermost = nullptr;
        for (const Local& local : locals->second) {
            const bool encloses = local.start <= start && end <= local.end;
            if (encloses
                && (innermost == nullptr
                    || local.end - local.start <= innermost->end - innermost->start)) {
                innermost = &local;
            }
        }
        if (innermost != nullptr) {
            return innermost->target;
        }
    }
    const auto found = m_bound.find(name);
    return found == m_bound.end() ? std::nullopt : std::optional(found->second);
}

void ScriptNames::add_local(TSNode name, TSNode scope, std::optional<std::string> target) const
{
    if (ts_node_is_null(name)) {
        return;
    }
    std::string key(text(name));
    // A local name matters when it hides a binding or is one.
    if (!target && m_bound.count(key) == 0 && m_locals.count(key) == 0) {
        return;
    }
    m_locals[std::move(key)].push_back(
        {ts_node_start_byte(scope), ts_node_end_byte(scope), std::move(target)});
}

// One walk of the tree, with the scopes it is under on a stack: every function, block,
// loop and catch clause that declares a name again, or requires a module, is recorded
// with the bytes it covers. The file's top level was read before.
void ScriptNames::read_local_declarations() const
{
    m_locals_read = true;
    if (m_bound.empty() && !m_has_local_imports) {
        return;
    }
    const std::vector<uint8_t> roles = roles_of(ts_tree_language(m_tree.root().tree));
    std::vector<Scope> scopes;
    std::vector<TSNode> path; // the nodes from the root to the cursor's
    std::vector<TSNode> names;
    TSTreeCursor cursor = ts_tree_cursor_new(m_tree.root());
    uint32_t depth = 0;
    while (true) {
        const TSNode node = ts_tree_cursor_current_node(&cursor);
        const TSSymbol symbol = ts_node_symbol(node);
        const uint8_t role = symbol < roles.size() ? roles[symbol] : static_cast<uint8_t>(k_none);
        path.resize(depth);
        path.push_back(node);
        while (!scopes.empty() && scopes.back().depth >= depth) {
            scopes.pop_back();
        }
        if (role != k_none) {
            if ((role & k_declaration) != 0 && !scopes.empty()) {
                add_local(field(node, "name"), scopes.back().node, std::nullopt);
            }
            names.clear();
            if ((role & k_function) != 0) {
                pattern_names(field(node, "parameters"), names);
                pattern_names(field(node, "parameter"), names); // `x => ...`
            }
            if ((role & k_catch) != 0) {
                pattern_names(field(node, "parameter"), names);
            }
            for (const TSNode name : names) {
                add_local(name, node, std::nullopt);
            }
            if ((role & k_declarator) != 0 && !scopes.empty()) {
                // `var` belongs to the function; `let` and `const` to the block.
                const bool var = depth > 0 && is(path[depth - 1], "variable_declaration");
                auto scope = scopes.rbegin();
                while (var && scope != scopes.rend() && !scope->function) {
                    ++scope;
                }
                if (scope != scopes.rend()) {
                    for (auto& [name, target] :
                         declared_by(field(node, "name"), field(node, "value"))) {
                        add_local(name, scope->node, std::move(target));
                    }
                }
            }
            if ((role & (k_function | k_block)) != 0) {
                scopes.push_back({node, (role & k_function) != 0, depth});
            }
        }
        if (ts_tree_cursor_goto_first_child(&cursor)) {
            ++depth;
            continue;
        }
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
            if (!ts_tree_cursor_goto_parent(&cursor)) {
                ts_tree_cursor_delete(&cursor);
                return;
            }
            --depth;
        }
    }
}

std::optional<std::string> ScriptNames::qualified_name(TSNode node) const
{
    if (!m_locals_read) {
        read_local_declarations();
    }
    auto [entry, inserted] = m_resolved.try_emplace(node.id);
    if (inserted) {
        entry->second = resolve(node);
    }
    return entry->second;
}

std::optional<std::string> ScriptNames::resolve(TSNode node) const
{
    if (is(node, "identifier")) {
        auto bound = binding(node);
        return bound ? std::move(bound) : std::optional(std::string(text(node)));
    }
    if (is(node, "member_expression")) {
        const TSNode object = field(node, "object");
        const TSNode property = field(node, "property");
        if (ts_node_is_null(object) || ts_node_is_null(property)) {
            return std::nullopt;
        }
        // `require('m').f` names a member of the module; `this.x` and `a.b().c` keep
        // their text, as names without imports always did.
        std::optional<std::string> base;
        if (is(object, "identifier") || is(object, "member_expression")) {
            base = qualified_name(object);
        } else {
            base = imported_value(object);
            if (!base) {
                base = std::string(text(object));
            }
        }
        if (!base) {
            return std::nullopt;
        }
        return *base + "." + std::string(text(property));
    }
    return std::string(text(node));
}

std::optional<bool> ScriptNames::literal_truth(TSNode node) const
{
    const std::string_view value = text(node);
    if (value == "true") {
        return true;
    }
    if (value == "false" || value == "null" || value == "undefined" || value == "0" || value == "''"
        || value == "\"\"") {
        return false;
    }
    return std::nullopt;
}

} // namespace aiops::scan
