#include "rules/code_tokens.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <string_view>
#include <vector>

namespace aiops::rules {

namespace {

/// One token as a repeated metavariable compares it.
struct Token
{
    std::string_view text; ///< for a string's quote, what is left without the quotes
    bool quote = false;    ///< a string's opening or closing quote (`'`, `"""`, `f'`)

    bool operator==(const Token&) const = default;
};

bool is_quote_char(char c)
{
    return c == '\'' || c == '"';
}

/// The tokens of a run of sibling nodes, one at a time, as a repeated metavariable
/// compares them: comments left out, a string's quotes the same whichever are
/// written, and the parentheses around a parenthesised expression dropped. Reading
/// stops at the first token that differs, so unequal code costs little.
class TokenStream
{
public:
    TokenStream(TSNode first, TSNode last, const MatchContext& context) : m_context(context)
    {
        std::vector<TSNode> run;
        for (TSNode at = first; !ts_node_is_null(at); at = ts_node_next_sibling(at)) {
            run.push_back(at);
            if (ts_node_eq(at, last)) {
                break;
            }
        }
        m_pending.assign(run.rbegin(), run.rend());
    }

    /// The next token; nullopt at the end.
    std::optional<Token> next()
    {
        while (!m_pending.empty()) {
            const TSNode node = m_pending.back();
            m_pending.pop_back();
            if (ts_node_is_extra(node)) {
                continue;
            }
            if (ts_node_child_count(node) == 0) {
                return token(node);
            }
            push_children(node);
        }
        return std::nullopt;
    }

private:
    void push_children(TSNode node)
    {
        m_children.clear();
        TSTreeCursor cursor = ts_tree_cursor_new(node);
        if (ts_tree_cursor_goto_first_child(&cursor)) {
            do {
                m_children.push_back(ts_tree_cursor_current_node(&cursor));
            } while (ts_tree_cursor_goto_next_sibling(&cursor));
        }
        ts_tree_cursor_delete(&cursor);
        // `(a)` is `a`: the parentheses only group.
        auto begin = m_children.begin();
        auto end = m_children.end();
        if (std::string_view(ts_node_type(node)) == "parenthesized_expression"
            && m_children.size() >= 2 && !ts_node_is_named(m_children.front())
            && !ts_node_is_named(m_children.back())) {
            ++begin;
            --end;
        }
        m_pending.insert(
            m_pending.end(), std::make_reverse_iterator(end), std::make_reverse_iterator(begin));
    }

    Token token(TSNode node) const
    {
        std::string_view text = m_context.text(node);
        const std::string_view type = ts_node_type(node);
        const bool delimiter =
            !ts_node_is_named(node) || type == "string_start" || type == "string_end";
        const bool quoted = std::any_of(text.begin(), text.end(), is_quote_char);
        const bool only_prefix_and_quotes = std::all_of(text.begin(), text.end(), [](char c) {
            return is_quote_char(c) || std::isalpha(static_cast<unsigned char>(c)) != 0;
        });
        if (!delimiter || !quoted || !only_prefix_and_quotes) {
            return {text, false};
        }
        // A string prefix such as Python's f or b stays; the quotes do not count.
        while (!text.empty() && is_quote_char(text.back())) {
            text.remove_suffix(1);
        }
        while (!text.empty() && is_quote_char(text.front())) {
            text.remove_prefix(1);
        }
        return {text, true};
    }

    const MatchContext& m_context;
    std::vector<TSNode> m_pending; ///< nodes still to read, the next last
    std::vector<TSNode> m_children;
};

} // namespace

bool same_tokens(
    TSNode first_a, TSNode last_a, TSNode first_b, TSNode last_b, const MatchContext& context)
{
    TokenStream a(first_a, last_a, context);
    TokenStream b(first_b, last_b, context);
    while (true) {
        const std::optional<Token> left = a.next();
        const std::optional<Token> right = b.next();
        if (left != right) {
            return false;
        }
        if (!left) {
            return true;
        }
    }
}

} // namespace aiops::rules
