#include "scan/python_names.hpp"

#include "source/grammar.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace aiops::scan {

namespace {

bool is(TSNode node, const char* type)
{
    return std::strcmp(ts_node_type(node), type) == 0;
}

TSNode field(TSNode node, const char* name)
{
    return ts_node_child_by_field_name(node, name, static_cast<uint32_t>(std::strlen(name)));
}

template <typename Visit> void for_each_named_child(TSNode node, Visit&& visit)
{
    TSTreeCursor cursor = ts_tree_cursor_new(node);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
        do {
            const TSNode child = ts_tree_cursor_current_node(&cursor);
            if (ts_node_is_named(child)) {
                visit(child, ts_tree_cursor_current_field_name(&cursor));
            }
        } while (ts_tree_cursor_goto_next_sibling(&cursor));
    }
    ts_tree_cursor_delete(&cursor);
}

} // namespace

PythonNames::PythonNames(const source::SyntaxTree& tree) : m_tree(tree)
{
    // Looked up once: a lookup by name runs through the grammar's whole table.
    struct Ids
    {
        TSSymbol identifier;
        TSSymbol attribute;
        TSFieldId object;
        TSFieldId attribute_field;
    };

    static const Ids ids = [] {
        const TSLanguage* language = source::grammar(source::Language::python);
        const auto symbol = [&](std::string_view name) {
            return ts_language_symbol_for_name(
                language, name.data(), static_cast<uint32_t>(name.size()), /*is_named=*/true);
        };
        const auto field_id = [&](std::string_view name) {
            return ts_language_field_id_for_name(
                language, name.data(), static_cast<uint32_t>(name.size()));
        };
        return Ids{
            symbol("identifier"), symbol("attribute"), field_id("object"), field_id("attribute")};
    }();
    m_identifier = ids.identifier;
    m_attribute = ids.attribute;
    m_object_field = ids.object;
    m_attribute_field = ids.attribute_field;
    scan_block(tree.root(), 0);
    collect_scopes(tree.root(), -1);
}

bool PythonNames::is_import(TSNode node)
{
    return is(node, "import_statement") || is(node, "import_from_statement")
           || is(node, "future_import_statement");
}

void PythonNames::bind(const std::string& name, std::string target)
{
    m_resolved.clear();
    m_bound[name] = std::move(target);
    m_local.erase(name);
}

void PythonNames::add_import(TSNode statement)
{
    if (is(statement, "import_statement")) {
        for_each_named_child(statement, [&](TSNode name, const char*) {
            if (is(name, "dotted_name")) {
                // "import a.b" binds "a"; "a.b.c" then resolves attribute by attribute.
                const std::string dotted(text(name));
                const std::string head = dotted.substr(0, dotted.find('.'));
                bind(head, head);
            } else if (is(name, "aliased_import")) {
                const TSNode module = field(name, "name");
                const TSNode alias = field(name, "alias");
                if (!ts_node_is_null(module) && !ts_node_is_null(alias)) {
                    bind(std::string(text(alias)), std::string(text(module)));
                }
            }
        });
        return;
    }
    if (!is(statement, "import_from_statement")) {
        return;
    }
    const TSNode module_node = field(statement, "module_name");
    if (ts_node_is_null(module_node)) {
        return;
    }
    const std::string module(text(module_node));
    for_each_named_child(statement, [&](TSNode name, const char* field_name) {
        if (field_name == nullptr || std::strcmp(field_name, "name") != 0) {
            return;
        }
        if (is(name, "dotted_name")) {
            const std::string imported(text(name));
            bind(imported, module + "." + imported);
        } else if (is(name, "aliased_import")) {
            const TSNode original = field(name, "name");
            const TSNode alias = field(name, "alias");
            if (!ts_node_is_null(original) && !ts_node_is_null(alias)) {
                bind(std::string(text(alias)), module + "." + std::string(text(original)));
            }
        }
    });
}

void PythonNames::scan_block(TSNode block, int depth)
{
    for_each_named_child(block, [&](TSNode statement, const char*) {
        if (is_import(statement)) {
            add_import(statement);
        } else if (is(statement, "function_definition") || is(statement, "class_definition")) {
            const TSNode name = field(statement, "name");
            if (!ts_node_is_null(name)) {
                const std::string defined(text(name));
                m_bound.erase(defined);
                m_local.insert(defined);
            }
        } else if (is(statement, "decorated_definition")) {
            const TSNode definition = field(statement, "definition");
            if (!ts_node_is_null(definition)) {
                const TSNode name = field(definition, "name");
                if (!ts_node_is_null(name)) {
                    m_local.insert(std::string(text(name)));
                    m_bound.erase(std::string(text(name)));
                }
            }
        } else if (is(statement, "expression_statement")) {
            const TSNode assignment = ts_node_named_child(statement, 0);
            if (!ts_node_is_null(assignment) && is(assignment, "assignment")) {
                const TSNode left = field(assignment, "left");
                if (!ts_node_is_null(left) && is(left, "identifier")) {
                    const std::string defined(text(left));
                    m_bound.erase(defined);
                    m_local.insert(defined);
                }
            }
        } else if (depth < 3
                   && (is(statement, "if_statement") || is(statement, "try_statement")
                       || is(statement, "with_statement") || is(statement, "block")
                       || is(statement, "else_clause") || is(statement, "elif_clause")
                       || is(statement, "except_clause") || is(statement, "finally_clause"))) {
            scan_block(statement, depth + 1);
        }
    });
}

// Walks the statements of a block (never into expressions, which bind no names but
// with a walrus or a comprehension) and records the names each function and class
// binds. Imports are left to add_import; module-level names to scan_block.
void PythonNames::collect_scopes(TSNode block, int scope)
{
    for_each_named_child(block, [&](TSNode statement, const char*) {
        if (is(statement, "function_definition") || is(statement, "class_definition")) {
            enter_definition(statement, scope);
        } else if (is(statement, "decorated_definition")) {
            const TSNode definition = field(statement, "definition");
            if (!ts_node_is_null(definition)) {
                enter_definition(definition, scope);
            }
        } else if (is(statement, "expression_statement")) {
            // a = b = c nests assignments through their right side.
            for (TSNode assignment = ts_node_named_child(statement, 0);
                 !ts_node_is_null(assignment)
                 && (is(assignment, "assignment") || is(assignment, "augmented_assignment"));
                 assignment = field(assignment, "right")) {
                bind_targets(field(assignment, "left"), scope);
            }
        } else if (is(statement, "for_statement")) {
            bind_targets(field(statement, "left"), scope);
            collect_scopes(statement, scope);
        } else if (is(statement, "global_statement") || is(statement, "nonlocal_statement")) {
            // Not local: the name is the module's (or the enclosing function's).
            if (scope >= 0) {
                for_each_named_child(statement, [&](TSNode name, const char*) {
                    m_scopes[static_cast<std::size_t>(scope)].declared_elsewhere.insert(
                        std::string(text(name)));
                });
            }
        } else if (is(statement, "as_pattern")) {
            // `with open(p) as f:`, `except E as e:`
            bind_targets(field(statement, "alias"), scope);
        } else if (is(statement, "block") || is(statement, "with_clause")
                   || is(statement, "with_item")
                   || std::string_view(ts_node_type(statement)).ends_with("_statement")
                   || std::string_view(ts_node_type(statement)).ends_with("_clause")) {
            collect_scopes(statement, scope);
        }
    });
}

// A def or class: its name is bound where it stands; its parameters and body are a
// scope of their own.
void PythonNames::enter_definition(TSNode definition, int scope)
{
    bind_in_scope(field(definition, "name"), scope);
    const bool is_class = is(definition, "class_definition");
    const TSNode body = field(definition, "body");
    const TSNode parameters = field(definition, "parameters");
    const TSNode start = is_class || ts_node_is_null(parameters) ? body : parameters;
    if (ts_node_is_null(start)) {
        return;
    }
    const auto index = static_cast<int>(m_scopes.size());
    m_scopes.push_back(
        {ts_node_start_byte(start), ts_node_end_byte(definition), scope, is_class, {}, {}});
    if (!is_class && !ts_node_is_null(parameters)) {
        for_each_named_child(
            parameters, [&](TSNode parameter, const char*) { bind_targets(parameter, index); });
    }
    if (!ts_node_is_null(body)) {
        collect_scopes(body, index);
    }
    Scope& own = m_scopes[static_cast<std::size_t>(index)];
    for (const auto& name : own.declared_elsewhere) {
        own.names.erase(name);
    }
}

// The names an assignment target or a parameter binds: `a`, `a, (b, *c)`, `x: int = 1`.
void PythonNames::bind_targets(TSNode target, int scope)
{
    if (ts_node_is_null(target) || scope < 0) {
        return;
    }
    if (is(target, "identifier")) {
        bind_in_scope(target, scope);
    } else if (is(target, "default_parameter") || is(target, "typed_default_parameter")) {
        bind_targets(field(target, "name"), scope);
    } else if (is(target, "pattern_list") || is(target, "tuple_pattern")
               || is(target, "list_pattern") || is(target, "tuple") || is(target, "list")
               || is(target, "typed_parameter") || is(target, "list_splat_pattern")
               || is(target, "dictionary_splat_pattern") || is(target, "list_splat")
               || is(target, "parenthesized_expression") || is(target, "as_pattern_target")) {
        for_each_named_child(target, [&](TSNode part, const char* field_name) {
            // A typed parameter's type is not a name it binds.
            if (field_name == nullptr || std::strcmp(field_name, "type") != 0) {
                bind_targets(part, scope);
            }
        });
    }
}

void PythonNames::bind_in_scope(TSNode name, int scope)
{
    if (ts_node_is_null(name) || scope < 0) {
        return;
    }
    std::string bound(text(name));
    m_scopes[static_cast<std::size_t>(scope)].names.insert(bound);
    m_scoped_names.insert(std::move(bound));
}

// Whether a function or class around the byte binds the name. A class body's names
// count only for code directly in it, not in the methods it holds, as in Python.
bool PythonNames::is_local_in_scope(const std::string& name, std::size_t byte) const
{
    if (m_scoped_names.count(name) == 0) {
        return false;
    }
    const auto after = std::upper_bound(
        m_scopes.begin(), m_scopes.end(), byte, [](std::size_t at, const Scope& scope) {
            return at < scope.begin;
        });
    // The last scope to start before the byte, or one around it, is the innermost that
    // holds it: scopes nest.
    int index = static_cast<int>(after - m_scopes.begin()) - 1;
    while (index >= 0 && m_scopes[static_cast<std::size_t>(index)].end <= byte) {
        index = m_scopes[static_cast<std::size_t>(index)].parent;
    }
    for (bool innermost = true; index >= 0; innermost = false) {
        const Scope& scope = m_scopes[static_cast<std::size_t>(index)];
        if ((innermost || !scope.is_class) && scope.names.count(name) != 0) {
            return true;
        }
        index = scope.parent;
    }
    return false;
}

std::optional<std::string> PythonNames::qualified_name(TSNode node) const
{
    auto [entry, inserted] = m_resolved.try_emplace(node.id);
    if (inserted) {
        entry->second = resolve(node);
    }
    return entry->second;
}

std::optional<std::string> PythonNames::resolve(TSNode node) const
{
    // Down the chain of attributes and parentheses to the name it starts from, without
    // recursion: generated code may nest them thousands deep. No module path is longer
    // than k_max_attribute_depth parts, so a deeper chain names nothing.
    constexpr std::size_t k_max_attribute_depth = 256;
    std::vector<std::string_view> attributes;
    TSNode at = node;
    while (ts_node_symbol(at) != m_identifier) {
        if (ts_node_symbol(at) == m_attribute) {
            const TSNode object = ts_node_child_by_field_id(at, m_object_field);
            const TSNode attribute = ts_node_child_by_field_id(at, m_attribute_field);
            if (ts_node_is_null(object) || ts_node_is_null(attribute)
                || attributes.size() == k_max_attribute_depth) {
                return std::nullopt;
            }
            attributes.push_back(text(attribute));
            at = object;
        } else if (is(at, "parenthesized_expression") && ts_node_named_child_count(at) == 1) {
            // (sp.run)(c) calls what sp.run names.
            at = ts_node_named_child(at, 0);
        } else {
            return std::nullopt;
        }
    }
    auto base = resolve_name(at);
    if (!base) {
        return std::nullopt;
    }
    for (auto attribute = attributes.rbegin(); attribute != attributes.rend(); ++attribute) {
        *base += '.';
        base->append(*attribute);
    }
    return base;
}

std::optional<std::string> PythonNames::resolve_name(TSNode identifier) const
{
    const std::string name(text(identifier));
    if (is_local_in_scope(name, ts_node_start_byte(identifier))) {
        return std::nullopt;
    }
    if (const auto found = m_bound.find(name); found != m_bound.end()) {
        return found->second;
    }
    if (m_local.count(name) != 0) {
        return std::nullopt;
    }
    // Neither imported nor defined here: a builtin such as eval, exec or open.
    return name;
}

std::optional<bool> PythonNames::literal_truth(TSNode node) const
{
    if (is(node, "true")) {
        return true;
    }
    if (is(node, "false") || is(node, "none")) {
        return false;
    }
    if (is(node, "integer") || is(node, "float")) {
        const std::string_view digits = text(node);
        const bool zero = digits.find_first_not_of("0._xXoObBjJ") == std::string_view::npos;
        return !zero;
    }
    if (is(node, "string")) {
        // A string is false only when empty; an f-string's value is unknown.
        bool has_content = false;
        bool interpolated = false;
        for_each_named_child(node, [&](TSNode part, const char*) {
            has_content |= is(part, "string_content") || is(part, "escape_sequence");
            interpolated |= is(part, "interpolation");
        });
        if (interpolated) {
            return std::nullopt;
        }
        return has_content;
    }
    if (is(node, "concatenated_string")) {
        // "" "" is empty, and so false; a part with text makes it true.
        std::optional<bool> truth = false;
        for_each_named_child(node, [&](TSNode part, const char*) {
            const auto part_truth = literal_truth(part);
            if (!part_truth || !truth) {
                truth = std::nullopt;
            } else {
                truth = *truth || *part_truth;
            }
        });
        return truth;
    }
    if (is(node, "list") || is(node, "tuple") || is(node, "dictionary") || is(node, "set")) {
        return ts_node_named_child_count(node) > 0;
    }
    if (is(node, "not_operator")) {
        const TSNode operand = field(node, "argument");
        const auto inner = ts_node_is_null(operand) ? std::nullopt : literal_truth(operand);
        return inner ? std::optional<bool>(!*inner) : std::nullopt;
    }
    if (is(node, "unary_operator") && !text(node).starts_with("~")) {
        const TSNode operand = field(node, "argument");
        return ts_node_is_null(operand) ? std::nullopt : literal_truth(operand);
    }
    if (is(node, "parenthesized_expression") && ts_node_named_child_count(node) == 1) {
        return literal_truth(ts_node_named_child(node, 0));
    }
    return std::nullopt;
}

} // namespace aiops::scan
