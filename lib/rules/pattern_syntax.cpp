#include "rules/pattern_syntax.hpp"

#include <algorithm>
#include <iterator>

namespace aiops::rules {

namespace {

constexpr const char* k_name_kinds[] = {"identifier",
                                        "attribute",
                                        "member_expression",
                                        "selector_expression",
                                        "field_access",
                                        "scoped_identifier"};

// A keyword token: unnamed, and spelt as a word (`async`, `def`), not punctuation.
bool is_keyword(TSNode node, std::string_view type)
{
    return !ts_node_is_named(node) && !type.empty()
           && std::all_of(type.begin(), type.end(), [](char c) { return is_name_char(c); });
}

} // namespace

std::span<const char* const> name_kinds()
{
    return k_name_kinds;
}

bool is_name_kind(std::string_view type)
{
    return std::any_of(std::begin(k_name_kinds), std::end(k_name_kinds), [&](const char* kind) {
        return type == kind;
    });
}

std::vector<TSSymbol> keywords_of(TSNode node)
{
    std::vector<TSSymbol> keywords;
    if (ts_node_child_count(node) == 0) {
        return keywords;
    }
    TSTreeCursor cursor = ts_tree_cursor_new(node);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
        do {
            const TSNode child = ts_tree_cursor_current_node(&cursor);
            if (ts_tree_cursor_current_field_id(&cursor) == 0
                && is_keyword(child, ts_node_type(child))) {
                keywords.push_back(ts_node_symbol(child));
            }
        } while (ts_tree_cursor_goto_next_sibling(&cursor));
    }
    ts_tree_cursor_delete(&cursor);
    return keywords;
}

std::vector<Compared> compared_children(TSNode node)
{
    std::vector<Compared> children;
    for_each_compared_child(node, [&](TSNode child, TSFieldId field) {
        children.push_back({child, field});
    });
    return children;
}

} // namespace aiops::rules
