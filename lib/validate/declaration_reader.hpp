#pragma once

// What the per-language readers of declarations share: tree helpers and a base that
// records what it finds. Only the declaration readers include this.

#include "core/strings.hpp"
#include "source/syntax_tree.hpp"
#include "validate/declarations.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::validate::reading {

using source::Language;

/// Whether the node is there and of this type.
inline bool is(TSNode node, const char* type)
{
    return !ts_node_is_null(node) && std::strcmp(ts_node_type(node), type) == 0;
}

// A missing part of a broken tree is a null node; asking it for a field gives another.
inline TSNode field(TSNode node, const char* name)
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

inline bool is_word(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

inline std::string upper(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    return out;
}

// The value of a string literal of any of the languages: prefixes and quotes removed.
inline std::optional<std::string> literal_text(std::string_view text)
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

inline const std::vector<std::string> k_route_verbs{
    "get", "post", "put", "delete", "patch", "head", "options"};

/// Records the declarations of one tree; a reader of each language derives from it.
class ReaderBase
{
public:
    ReaderBase(const source::SyntaxTree& tree, Declarations& out) : m_tree(tree), m_out(out) {}

protected:
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

    void add_route(std::string method, std::string path, TSNode at, std::string router = {})
    {
        m_out.routes.push_back({std::move(method),
                                std::move(path),
                                ts_node_start_byte(at),
                                ts_node_end_byte(at),
                                std::move(router)});
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

    const source::SyntaxTree& m_tree;
    Declarations& m_out;
};

/// The readers of each language: top-level functions, classes and their methods, and
/// the routes of HTTP handlers.
void read_python(const source::SyntaxTree& tree, Declarations& out);
void read_script(const source::SyntaxTree& tree, Declarations& out);
void read_go(const source::SyntaxTree& tree, Declarations& out);
void read_java(const source::SyntaxTree& tree, Declarations& out);

} // namespace aiops::validate::reading
