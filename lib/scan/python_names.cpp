#include "scan/python_names.hpp"

#include "source/grammar.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

namespace aiops::scan {

namespace {

// The grammar's ids of the node kinds and fields read here, looked up once: a lookup
// by name runs through the grammar's whole table, and comparing names costs more than
// comparing ids.
struct Grammar
{
    const TSLanguage* language = source::grammar(source::Language::python);

    TSSymbol symbol(std::string_view name) const
    {
        return ts_language_symbol_for_name(
            language, name.data(), static_cast<uint32_t>(name.size()), /*is_named=*/true);
    }

    TSFieldId field(std::string_view name) const
    {
        return ts_language_field_id_for_name(
            language, name.data(), static_cast<uint32_t>(name.size()));
    }

    // Kinds.
    TSSymbol import_statement = symbol("import_statement");
    TSSymbol import_from_statement = symbol("import_from_statement");
    TSSymbol future_import_statement = symbol("future_import_statement");
    TSSymbol dotted_name = symbol("dotted_name");
    TSSymbol aliased_import = symbol("aliased_import");
    TSSymbol function_definition = symbol("function_definition");
    TSSymbol class_definition = symbol("class_definition");
    TSSymbol decorated_definition = symbol("decorated_definition");
    TSSymbol expression_statement = symbol("expression_statement");
    TSSymbol assignment = symbol("assignment");
    TSSymbol augmented_assignment = symbol("augmented_assignment");
    TSSymbol identifier = symbol("identifier");
    TSSymbol attribute = symbol("attribute");
    TSSymbol for_statement = symbol("for_statement");
    TSSymbol global_statement = symbol("global_statement");
    TSSymbol nonlocal_statement = symbol("nonlocal_statement");
    TSSymbol as_pattern = symbol("as_pattern");
    TSSymbol default_parameter = symbol("default_parameter");
    TSSymbol typed_default_parameter = symbol("typed_default_parameter");
    TSSymbol parenthesized_expression = symbol("parenthesized_expression");
    TSSymbol true_value = symbol("true");
    TSSymbol false_value = symbol("false");
    TSSymbol none = symbol("none");
    TSSymbol integer = symbol("integer");
    TSSymbol float_value = symbol("float");
    TSSymbol string = symbol("string");
    TSSymbol string_content = symbol("string_content");
    TSSymbol escape_sequence = symbol("escape_sequence");
    TSSymbol interpolation = symbol("interpolation");
    TSSymbol concatenated_string = symbol("concatenated_string");
    TSSymbol not_operator = symbol("not_operator");
    TSSymbol unary_operator = symbol("unary_operator");
    /// Blocks scan_block reads the module-level statements of.
    std::vector<TSSymbol> module_blocks{symbol("if_statement"),
                                        symbol("try_statement"),
                                        symbol("with_statement"),
                                        symbol("block"),
                                        symbol("else_clause"),
                                        symbol("elif_clause"),
                                        symbol("except_clause"),
                                        symbol("finally_clause")};
    /// Targets whose parts an assignment or a parameter binds.
    std::vector<TSSymbol> target_lists{symbol("pattern_list"),
                                       symbol("tuple_pattern"),
                                       symbol("list_pattern"),
                                       symbol("tuple"),
                                       symbol("list"),
                                       symbol("typed_parameter"),
                                       symbol("list_splat_pattern"),
                                       symbol("dictionary_splat_pattern"),
                                       symbol("list_splat"),
                                       symbol("parenthesized_expression"),
                                       symbol("as_pattern_target")};
    /// Literals whose truth is whether they hold something.
    std::vector<TSSymbol> collections{
        symbol("list"), symbol("tuple"), symbol("dictionary"), symbol("set")};
    /// By symbol: compound statements, their clauses and blocks, whose children
    /// collect_scopes reads. A simple statement (return, raise, assert, del, import, ...)
    /// holds expressions only, which bind no name collect_scopes reads.
    std::vector<bool> holds_statements = [this] {
        static const std::set<std::string_view> simple{"future_import_statement",
                                                       "import_statement",
                                                       "import_from_statement",
                                                       "print_statement",
                                                       "assert_statement",
                                                       "return_statement",
                                                       "delete_statement",
                                                       "raise_statement",
                                                       "pass_statement",
                                                       "break_statement",
                                                       "continue_statement",
                                                       "exec_statement",
                                                       "type_alias_statement"};
        std::vector<bool> out(ts_language_symbol_count(language));
        for (TSSymbol s = 0; s < out.size(); ++s) {
            const char* raw = ts_language_symbol_name(language, s);
            const std::string_view name = raw == nullptr ? std::string_view() : raw;
            out[s] = name == "block" || name == "with_clause" || name == "with_item"
                     || ((name.ends_with("_statement") || name.ends_with("_clause"))
                         && simple.count(name) == 0);
        }
        return out;
    }();

    // Fields.
    TSFieldId name_field = field("name");
    TSFieldId alias_field = field("alias");
    TSFieldId module_name_field = field("module_name");
    TSFieldId definition_field = field("definition");
    TSFieldId left_field = field("left");
    TSFieldId right_field = field("right");
    TSFieldId body_field = field("body");
    TSFieldId parameters_field = field("parameters");
    TSFieldId type_field = field("type");
    TSFieldId argument_field = field("argument");
    TSFieldId object_field = field("object");
    TSFieldId attribute_field = field("attribute");

    static bool among(const std::vector<TSSymbol>& symbols, TSSymbol symbol)
    {
        return std::find(symbols.begin(), symbols.end(), symbol) != symbols.end();
    }

    bool holds_statement_children(TSSymbol symbol) const
    {
        return symbol < holds_statements.size() && holds_statements[symbol];
    }
};

const Grammar& python()
{
    static const Grammar grammar;
    return grammar;
}

TSNode field(TSNode node, TSFieldId id)
{
    return ts_node_child_by_field_id(node, id);
}

// The named children of a node; their fields are read only when asked for.
template <typename Visit>
void for_each_named_child(TSNode node,
                          Visit&& visit,
                          source::ChildFields fields = source::ChildFields::skipped)
{
    source::for_each_child(
        node,
        [&](TSNode child, TSFieldId field_id) {
            if (ts_node_is_named(child)) {
                visit(child, field_id);
            }
        },
        fields);
}

// The first child in each of the fields, in their order (null where there is none),
// read in one pass over the children rather than one search a field.
template <std::size_t N>
std::array<TSNode, N> children_in(TSNode node, const std::array<TSFieldId, N>& fields)
{
    std::array<TSNode, N> found{};
    source::for_each_child(node, [&](TSNode child, TSFieldId field_id) {
        for (std::size_t i = 0; i < N; ++i) {
            if (field_id == fields[i] && ts_node_is_null(found[i])) {
                found[i] = child;
                return;
            }
        }
    });
    return found;
}

} // namespace

PythonNames::PythonNames(const source::SyntaxTree& tree) : m_tree(tree)
{
    scan_block(tree.root(), 0);
}

std::optional<std::string> PythonNames::bare_name_target(std::string_view name) const
{
    const auto found = m_bound.find(std::string(name));
    return found != m_bound.end() ? found->second : std::string(name);
}

void PythonNames::collect_all_scopes() const
{
    m_scopes_collected = true;
    collect_scopes(m_tree.root(), -1);
    std::sort(m_bindings.begin(), m_bindings.end());
    m_bindings.erase(std::unique(m_bindings.begin(), m_bindings.end()), m_bindings.end());
    // A name declared global or nonlocal in a function is not that function's own.
    for (std::size_t index = 0; index < m_scopes.size(); ++index) {
        for (const std::string_view name : m_scopes[index].declared_elsewhere) {
            const Binding binding{name, static_cast<int>(index)};
            const auto found = std::lower_bound(m_bindings.begin(), m_bindings.end(), binding);
            if (found != m_bindings.end() && *found == binding) {
                m_bindings.erase(found);
            }
        }
    }
}

bool PythonNames::is_import(TSNode node)
{
    const Grammar& g = python();
    const TSSymbol symbol = ts_node_symbol(node);
    return symbol == g.import_statement || symbol == g.import_from_statement
           || symbol == g.future_import_statement;
}

void PythonNames::bind(const std::string& name, std::string target)
{
    m_resolved.clear();
    m_bound[name] = std::move(target);
    m_local.erase(name);
}

void PythonNames::add_import(TSNode statement)
{
    const Grammar& g = python();
    const TSSymbol kind = ts_node_symbol(statement);
    if (kind == g.import_statement) {
        for_each_named_child(statement, [&](TSNode name, TSFieldId) {
            const TSSymbol name_kind = ts_node_symbol(name);
            if (name_kind == g.dotted_name) {
                // "import a.b" binds "a"; "a.b.c" then resolves attribute by attribute.
                const std::string dotted(text(name));
                const std::string head = dotted.substr(0, dotted.find('.'));
                bind(head, head);
            } else if (name_kind == g.aliased_import) {
                const TSNode module = field(name, g.name_field);
                const TSNode alias = field(name, g.alias_field);
                if (!ts_node_is_null(module) && !ts_node_is_null(alias)) {
                    bind(std::string(text(alias)), std::string(text(module)));
                }
            }
        });
        return;
    }
    if (kind != g.import_from_statement) {
        return;
    }
    const TSNode module_node = field(statement, g.module_name_field);
    if (ts_node_is_null(module_node)) {
        return;
    }
    const std::string module(text(module_node));
    for_each_named_child(
        statement,
        [&](TSNode name, TSFieldId field_id) {
            if (field_id != g.name_field) {
                return;
            }
            const TSSymbol name_kind = ts_node_symbol(name);
            if (name_kind == g.dotted_name) {
                const std::string imported(text(name));
                bind(imported, module + "." + imported);
            } else if (name_kind == g.aliased_import) {
                const TSNode original = field(name, g.name_field);
                const TSNode alias = field(name, g.alias_field);
                if (!ts_node_is_null(original) && !ts_node_is_null(alias)) {
                    bind(std::string(text(alias)), module + "." + std::string(text(original)));
                }
            }
        },
        source::ChildFields::read);
}

void PythonNames::scan_block(TSNode block, int depth)
{
    const Grammar& g = python();
    const auto define = [&](TSNode name) {
        if (!ts_node_is_null(name)) {
            const std::string defined(text(name));
            m_bound.erase(defined);
            m_local.insert(defined);
        }
    };
    for_each_named_child(block, [&](TSNode statement, TSFieldId) {
        const TSSymbol kind = ts_node_symbol(statement);
        if (is_import(statement)) {
            add_import(statement);
        } else if (kind == g.function_definition || kind == g.class_definition) {
            define(field(statement, g.name_field));
        } else if (kind == g.decorated_definition) {
            const TSNode definition = field(statement, g.definition_field);
            if (!ts_node_is_null(definition)) {
                define(field(definition, g.name_field));
            }
        } else if (kind == g.expression_statement) {
            const TSNode assignment = ts_node_named_child(statement, 0);
            if (!ts_node_is_null(assignment) && ts_node_symbol(assignment) == g.assignment) {
                const TSNode left = field(assignment, g.left_field);
                if (!ts_node_is_null(left) && ts_node_symbol(left) == g.identifier) {
                    define(left);
                }
            }
        } else if (depth < 3 && Grammar::among(g.module_blocks, kind)) {
            scan_block(statement, depth + 1);
        }
    });
}

// Walks the statements of a block (never into expressions, which bind no names but
// with a walrus or a comprehension) and records the names each function and class
// binds. Imports are left to add_import; module-level names to scan_block.
void PythonNames::collect_scopes(TSNode block, int scope) const
{
    const Grammar& g = python();
    for_each_named_child(block, [&](TSNode statement, TSFieldId) {
        const TSSymbol kind = ts_node_symbol(statement);
        if (kind == g.function_definition || kind == g.class_definition) {
            enter_definition(statement, scope);
        } else if (kind == g.decorated_definition) {
            const TSNode definition = field(statement, g.definition_field);
            if (!ts_node_is_null(definition)) {
                enter_definition(definition, scope);
            }
        } else if (kind == g.expression_statement) {
            // a = b = c nests assignments through their right side.
            TSNode assignment = ts_node_named_child(statement, 0);
            while (!ts_node_is_null(assignment)
                   && (ts_node_symbol(assignment) == g.assignment
                       || ts_node_symbol(assignment) == g.augmented_assignment)) {
                const auto [left, right] =
                    children_in<2>(assignment, {g.left_field, g.right_field});
                bind_targets(left, scope);
                assignment = right;
            }
        } else if (kind == g.for_statement) {
            bind_targets(field(statement, g.left_field), scope);
            collect_scopes(statement, scope);
        } else if (kind == g.global_statement || kind == g.nonlocal_statement) {
            // Not local: the name is the module's (or the enclosing function's).
            if (scope >= 0) {
                for_each_named_child(statement, [&](TSNode name, TSFieldId) {
                    m_scopes[static_cast<std::size_t>(scope)].declared_elsewhere.push_back(
                        text(name));
                });
            }
        } else if (kind == g.as_pattern) {
            // `with open(p) as f:`, `except E as e:`
            bind_targets(field(statement, g.alias_field), scope);
        } else if (g.holds_statement_children(kind)) {
            collect_scopes(statement, scope);
        }
    });
}

// A def or class: its name is bound where it stands; its parameters and body are a
// scope of their own.
void PythonNames::enter_definition(TSNode definition, int scope) const
{
    const Grammar& g = python();
    const auto [name, body, parameters] =
        children_in<3>(definition, {g.name_field, g.body_field, g.parameters_field});
    bind_in_scope(name, scope);
    const bool is_class = ts_node_symbol(definition) == g.class_definition;
    const TSNode start = is_class || ts_node_is_null(parameters) ? body : parameters;
    if (ts_node_is_null(start)) {
        return;
    }
    const auto index = static_cast<int>(m_scopes.size());
    m_scopes.push_back(
        {ts_node_start_byte(start), ts_node_end_byte(definition), scope, is_class, {}});
    if (!is_class && !ts_node_is_null(parameters)) {
        for_each_named_child(parameters,
                             [&](TSNode parameter, TSFieldId) { bind_targets(parameter, index); });
    }
    if (!ts_node_is_null(body)) {
        collect_scopes(body, index);
    }
}

// The names an assignment target or a parameter binds: `a`, `a, (b, *c)`, `x: int = 1`.
void PythonNames::bind_targets(TSNode target, int scope) const
{
    if (ts_node_is_null(target) || scope < 0) {
        return;
    }
    const Grammar& g = python();
    const TSSymbol kind = ts_node_symbol(target);
    if (kind == g.identifier) {
        bind_in_scope(target, scope);
    } else if (kind == g.default_parameter || kind == g.typed_default_parameter) {
        bind_targets(field(target, g.name_field), scope);
    } else if (Grammar::among(g.target_lists, kind)) {
        for_each_named_child(
            target,
            [&](TSNode part, TSFieldId field_id) {
                // A typed parameter's type is not a name it binds.
                if (field_id != g.type_field) {
                    bind_targets(part, scope);
                }
            },
            source::ChildFields::read);
    }
}

void PythonNames::bind_in_scope(TSNode name, int scope) const
{
    if (ts_node_is_null(name) || scope < 0) {
        return;
    }
    m_bindings.push_back({text(name), scope});
}

// Whether a function or class around the byte binds the name. A class body's names
// count only for code directly in it, not in the methods it holds, as in Python.
bool PythonNames::is_local_in_scope(std::string_view name, std::size_t byte) const
{
    if (!m_scopes_collected) {
        collect_all_scopes();
    }
    const auto name_first = std::lower_bound(
        m_bindings.begin(), m_bindings.end(), name, [](const Binding& binding, std::string_view n) {
            return binding.name < n;
        });
    const auto name_last = std::upper_bound(
        name_first, m_bindings.end(), name, [](std::string_view n, const Binding& binding) {
            return n < binding.name;
        });
    if (name_first == name_last) {
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
        if ((innermost || !scope.is_class)
            && std::binary_search(name_first, name_last, Binding{name, index})) {
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
    const Grammar& g = python();
    std::vector<std::string_view> attributes;
    TSNode at = node;
    while (ts_node_symbol(at) != g.identifier) {
        if (ts_node_symbol(at) == g.attribute) {
            const auto [object, attribute] =
                children_in<2>(at, {g.object_field, g.attribute_field});
            if (ts_node_is_null(object) || ts_node_is_null(attribute)
                || attributes.size() == k_max_attribute_depth) {
                return std::nullopt;
            }
            attributes.push_back(text(attribute));
            at = object;
        } else if (ts_node_symbol(at) == g.parenthesized_expression
                   && ts_node_named_child_count(at) == 1) {
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
    const Grammar& g = python();
    const TSSymbol kind = ts_node_symbol(node);
    if (kind == g.true_value) {
        return true;
    }
    if (kind == g.false_value || kind == g.none) {
        return false;
    }
    if (kind == g.integer || kind == g.float_value) {
        const std::string_view digits = text(node);
        const bool zero = digits.find_first_not_of("0._xXoObBjJ") == std::string_view::npos;
        return !zero;
    }
    if (kind == g.string) {
        // A string is false only when empty; an f-string's value is unknown.
        bool has_content = false;
        bool interpolated = false;
        for_each_named_child(node, [&](TSNode part, TSFieldId) {
            const TSSymbol part_kind = ts_node_symbol(part);
            has_content |= part_kind == g.string_content || part_kind == g.escape_sequence;
            interpolated |= part_kind == g.interpolation;
        });
        if (interpolated) {
            return std::nullopt;
        }
        return has_content;
    }
    if (kind == g.concatenated_string) {
        // "" "" is empty, and so false; a part with text makes it true.
        std::optional<bool> truth = false;
        for_each_named_child(node, [&](TSNode part, TSFieldId) {
            const auto part_truth = literal_truth(part);
            if (!part_truth || !truth) {
                truth = std::nullopt;
            } else {
                truth = *truth || *part_truth;
            }
        });
        return truth;
    }
    if (Grammar::among(g.collections, kind)) {
        return ts_node_named_child_count(node) > 0;
    }
    if (kind == g.not_operator) {
        const TSNode operand = field(node, g.argument_field);
        const auto inner = ts_node_is_null(operand) ? std::nullopt : literal_truth(operand);
        return inner ? std::optional<bool>(!*inner) : std::nullopt;
    }
    if (kind == g.unary_operator && !text(node).starts_with("~")) {
        const TSNode operand = field(node, g.argument_field);
        return ts_node_is_null(operand) ? std::nullopt : literal_truth(operand);
    }
    if (kind == g.parenthesized_expression && ts_node_named_child_count(node) == 1) {
        return literal_truth(ts_node_named_child(node, 0));
    }
    return std::nullopt;
}

} // namespace aiops::scan
