#include "scan/script_names.hpp"

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

} // namespace

ScriptNames::ScriptNames(const source::SyntaxTree& tree) : m_tree(tree)
{
    for_each_named_child(tree.root(), [&](TSNode statement) { read_statement(statement); });
}

void ScriptNames::bind(TSNode name, std::string target)
{
    m_bound[std::string(text(name))] = std::move(target);
}

void ScriptNames::define(TSNode name)
{
    if (is(name, "identifier") || is(name, "type_identifier")) {
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
    } else if (is(statement, "lexical_declaration") || is(statement, "variable_declaration")) {
        for_each_named_child(statement, [&](TSNode declarator) {
            if (is(declarator, "variable_declarator")) {
                read_declarator(declarator);
            }
        });
    } else if (is(statement, "function_declaration")
               || is(statement, "generator_function_declaration")
               || is(statement, "class_declaration")) {
        define(field(statement, "name"));
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

void ScriptNames::read_declarator(TSNode declarator)
{
    const TSNode name = field(declarator, "name");
    const TSNode value = field(declarator, "value");
    const auto module = ts_node_is_null(value) ? std::nullopt : required_module(value);
    if (is(name, "identifier")) {
        if (module) {
            bind(name, *module);
        } else {
            define(name);
        }
        return;
    }
    if (!is(name, "object_pattern")) {
        return;
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
        if (module) {
            bind(local, *module + "." + std::string(text(key)));
        } else {
            m_bound.erase(std::string(text(local)));
        }
    });
}

std::optional<std::string> ScriptNames::required_module(TSNode value) const
{
    if (is(value, "member_expression")) {
        const auto base = required_module(field(value, "object"));
        const TSNode property = field(value, "property");
        if (!base || ts_node_is_null(property)) {
            return std::nullopt;
        }
        return *base + "." + std::string(text(property));
    }
    if (is(value, "await_expression")) {
        return required_module(ts_node_named_child(value, 0));
    }
    if (!is(value, "call_expression") || text(field(value, "function")) != "require") {
        return std::nullopt;
    }
    const TSNode arguments = field(value, "arguments");
    const TSNode first = ts_node_named_child(arguments, 0);
    if (ts_node_named_child_count(arguments) != 1 || !is(first, "string")) {
        return std::nullopt;
    }
    return module_name(text(first));
}

std::optional<std::string> ScriptNames::qualified_name(TSNode node) const
{
    auto [entry, inserted] = m_resolved.try_emplace(node.id);
    if (inserted) {
        entry->second = resolve(node);
    }
    return entry->second;
}

std::optional<std::string> ScriptNames::resolve(TSNode node) const
{
    if (is(node, "identifier")) {
        const std::string name(text(node));
        const auto found = m_bound.find(name);
        return found != m_bound.end() ? found->second : name;
    }
    if (is(node, "member_expression")) {
        const TSNode object = field(node, "object");
        const TSNode property = field(node, "property");
        if (ts_node_is_null(object) || ts_node_is_null(property)) {
            return std::nullopt;
        }
        // `this.x` and `a.b().c` keep their text, as names without imports always did.
        auto base = is(object, "identifier") || is(object, "member_expression")
                        ? qualified_name(object)
                        : std::optional<std::string>(text(object));
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
