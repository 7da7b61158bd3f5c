#include "scan/python_names.hpp"

#include "source/grammar.hpp"

#include <cstring>

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
    const TSSymbol symbol = ts_node_symbol(node);
    if (symbol == m_identifier) {
        const std::string name(text(node));
        if (const auto found = m_bound.find(name); found != m_bound.end()) {
            return found->second;
        }
        if (m_local.count(name) != 0) {
            return std::nullopt;
        }
        // Neither imported nor defined here: a builtin such as eval, exec or open.
        return name;
    }
    if (symbol == m_attribute) {
        const TSNode object = ts_node_child_by_field_id(node, m_object_field);
        const TSNode attribute = ts_node_child_by_field_id(node, m_attribute_field);
        if (ts_node_is_null(object) || ts_node_is_null(attribute)) {
            return std::nullopt;
        }
        auto base = qualified_name(object);
        if (!base) {
            return std::nullopt;
        }
        return *base + "." + std::string(text(attribute));
    }
    return std::nullopt;
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
