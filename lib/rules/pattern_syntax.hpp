#pragma once

#include "source/syntax_tree.hpp"

#include <tree_sitter/api.h>

#include <cctype>
#include <span>
#include <string_view>
#include <vector>

/// What code patterns read of a syntax tree, both when a snippet becomes a pattern and
/// when a pattern is matched, so the two see the same children.
namespace aiops::rules {

/// A character of a name: a letter, a digit or '_'.
inline bool is_name_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

/// Children a pattern never compares: comments, and the quotes of a Python string,
/// which may be written either way.
inline bool is_ignored_child(TSNode child, const char* type)
{
    if (ts_node_is_extra(child)) {
        return true;
    }
    const std::string_view kind = type;
    return kind == "string_start" || kind == "string_end";
}

/// The children a pattern compares: named ones, and anonymous ones in a field.
template <typename Visit> void for_each_compared_child(TSNode node, const Visit& visit)
{
    source::for_each_child(node, [&](TSNode child, TSFieldId field) {
        if ((field != 0 || ts_node_is_named(child))
            && !is_ignored_child(child, ts_node_type(child))) {
            visit(child, field);
        }
    });
}

/// A child a pattern compares, and the field it stands in.
struct Compared
{
    TSNode node;
    TSFieldId field;
};

/// The children a pattern compares, in order.
std::vector<Compared> compared_children(TSNode node);

/// The node kinds, across grammars, that a dotted name is written as.
std::span<const char* const> name_kinds();

bool is_name_kind(std::string_view type);

/// The keywords of a node that stand outside a field, in order.
std::vector<TSSymbol> keywords_of(TSNode node);

} // namespace aiops::rules
