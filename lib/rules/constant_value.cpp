#include "rules/constant_value.hpp"

#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aiops::rules {

namespace {

bool is_one_of(std::string_view type, std::initializer_list<std::string_view> types)
{
    for (const std::string_view each : types) {
        if (type == each) {
            return true;
        }
    }
    return false;
}

// A literal with no parts, across the grammars.
bool is_plain_literal(std::string_view type)
{
    return is_one_of(type,
                     {"number",
                      "integer",
                      "float",
                      "true",
                      "false",
                      "null",
                      "none",
                      "nil",
                      "undefined",
                      "iota",
                      "int_literal",
                      "float_literal",
                      "imaginary_literal",
                      "rune_literal",
                      "character_literal",
                      "null_literal",
                      "decimal_integer_literal",
                      "hex_integer_literal",
                      "octal_integer_literal",
                      "binary_integer_literal",
                      "decimal_floating_point_literal",
                      "hex_floating_point_literal"});
}

// A string, whose parts decide: text and escapes are constant, interpolations not.
bool is_string(std::string_view type)
{
    return is_one_of(type,
                     {"string",
                      "template_string",
                      "interpreted_string_literal",
                      "raw_string_literal",
                      "string_literal",
                      "concatenated_string"});
}

bool is_string_part(std::string_view type)
{
    return is_one_of(type,
                     {"string_fragment",
                      "string_content",
                      "escape_sequence",
                      "string_start",
                      "string_end",
                      "interpreted_string_literal_content",
                      "raw_string_literal_content",
                      "multiline_string_fragment"});
}

// A node whose value is constant when every named child's is.
bool is_group(std::string_view type)
{
    return is_one_of(type,
                     {"parenthesized_expression",
                      "array",
                      "list",
                      "tuple",
                      "array_initializer",
                      "literal_value",
                      "literal_element",
                      "expression_list",
                      "binary_expression",
                      "binary_operator"});
}

TSNode field(TSNode node, const char* name)
{
    return ts_node_child_by_field_name(node, name, static_cast<uint32_t>(std::strlen(name)));
}

bool is(TSNode node, const char* type)
{
    return !ts_node_is_null(node) && std::strcmp(ts_node_type(node), type) == 0;
}

// Whether a node has an anonymous child that is the keyword (`const`, `final`).
bool has_keyword(TSNode node, const char* keyword)
{
    const uint32_t count = ts_node_child_count(node);
    for (uint32_t i = 0; i < count; ++i) {
        const TSNode child = ts_node_child(node, i);
        if (!ts_node_is_named(child) && is(child, keyword)) {
            return true;
        }
    }
    return false;
}

/// How a name is defined in the file: how many times, and whether each gave a constant.
struct Definition
{
    int count = 0;
    bool constant = true;
};

/// The names the tree read last defines in the forms that can be constants.
struct Definitions
{
    const TSTree* tree = nullptr;
    std::unordered_map<std::string, Definition> names;
};

thread_local Definitions t_definitions;

class ConstantReader
{
public:
    explicit ConstantReader(const MatchContext& context) : m_context(context) {}

    bool constant(TSNode node) const
    {
        const std::string_view type = ts_node_type(node);
        if (is_plain_literal(type)) {
            return true;
        }
        if (is_string(type)) {
            return all_children(node, [&](TSNode child) {
                const std::string_view part = ts_node_type(child);
                return is_string_part(part) || (is_string(part) && constant(child));
            });
        }
        if (is_group(type)) {
            return all_children(node, [&](TSNode child) { return constant(child); });
        }
        if (type == "array_creation_expression") {
            const TSNode value = field(node, "value");
            return !ts_node_is_null(value) && constant(value);
        }
        if (type == "composite_literal") {
            const TSNode body = field(node, "body");
            return !ts_node_is_null(body) && constant(body);
        }
        if (type == "identifier") {
            return defined_constant(node);
        }
        return false;
    }

private:
    template <typename Test> static bool all_children(TSNode node, const Test& test)
    {
        const uint32_t count = ts_node_named_child_count(node);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_named_child(node, i);
            if (!ts_node_is_extra(child) && !test(child)) {
                return false;
            }
        }
        return true;
    }

    bool defined_constant(TSNode identifier) const
    {
        if (t_definitions.tree != identifier.tree) {
            t_definitions.tree = identifier.tree;
            t_definitions.names.clear();
            read_definitions(ts_tree_root_node(identifier.tree));
        }
        const auto found = t_definitions.names.find(std::string(m_context.text(identifier)));
        return found != t_definitions.names.end() && found->second.count > 0
               && found->second.constant;
    }

    void define(TSNode name, TSNode value) const
    {
        if (!is(name, "identifier")) {
            return;
        }
        Definition& definition = t_definitions.names[std::string(m_context.text(name))];
        ++definition.count;
        // A Go constant without a value repeats the one before it (iota).
        definition.constant = definition.constant && (ts_node_is_null(value) || constant(value));
    }

    // One definition, if the node is one of the forms that can give a constant.
    void read_definition(TSNode node, TSNode parent, TSNode grandparent) const
    {
        const std::string_view type = ts_node_type(node);
        if (type == "variable_declarator") {
            // JavaScript: a top-level `const`; Java: a `final` field or variable.
            const bool script_const =
                is(parent, "lexical_declaration") && has_keyword(parent, "const")
                && (is(grandparent, "program") || is(grandparent, "export_statement"));
            const bool java_final =
                (is(parent, "field_declaration") || is(parent, "local_variable_declaration"))
                && has_final(parent);
            if (script_const || java_final) {
                define(field(node, "name"), field(node, "value"));
            }
        } else if (type == "const_spec") {
            const TSNode value = field(node, "value");
            if (ts_node_named_child_count(node) >= 1) {
                define(field(node, "name"), value);
            }
        } else if (type == "assignment" && is(parent, "expression_statement")
                   && is(grandparent, "module")) {
            // Python: a module-level name, constant when assigned once.
            define(field(node, "left"), field(node, "right"));
        }
    }

    static bool has_final(TSNode declaration)
    {
        const uint32_t count = ts_node_named_child_count(declaration);
        for (uint32_t i = 0; i < count; ++i) {
            const TSNode child = ts_node_named_child(declaration, i);
            if (is(child, "modifiers") && has_keyword(child, "final")) {
                return true;
            }
        }
        return false;
    }

    // Every definition in the tree, in one walk with the path to each node kept.
    void read_definitions(TSNode root) const
    {
        std::vector<TSNode> path;
        TSTreeCursor cursor = ts_tree_cursor_new(root);
        std::size_t depth = 0;
        while (true) {
            const TSNode node = ts_tree_cursor_current_node(&cursor);
            path.resize(depth);
            path.push_back(node);
            read_definition(node,
                            depth >= 1 ? path[depth - 1] : TSNode{},
                            depth >= 2 ? path[depth - 2] : TSNode{});
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

    const MatchContext& m_context;
};

} // namespace

bool is_constant(TSNode node, const MatchContext& context)
{
    return !ts_node_is_null(node) && ConstantReader(context).constant(node);
}

void forget_constants()
{
    t_definitions.tree = nullptr;
    t_definitions.names.clear();
}

} // namespace aiops::rules
