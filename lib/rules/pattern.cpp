#include "rules/pattern.hpp"

#include "core/interrupt.hpp"
#include "rules/constant_value.hpp"
#include "source/grammar.hpp"
#include "source/syntax_tree.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <iterator>
#include <optional>
#include <unordered_map>

namespace aiops::rules {

namespace {

/// A metavariable of the snippet, written as an identifier the grammar accepts.
struct Placeholder
{
    std::string identifier; ///< what the snippet holds instead of the metavariable
    std::string written;    ///< the metavariable as the snippet wrote it ("$...ARGS")
    CodeNode::Kind kind;
    int capture; ///< -1 for $_
};

/// The snippet with every metavariable replaced by a placeholder identifier, and for
/// each byte of the new text the byte of the snippet it came from.
struct Substituted
{
    std::string text;
    std::vector<std::size_t> origin;
    std::vector<Placeholder> placeholders;
    /// The snippet was put in parentheses to be read as an expression, which the
    /// pattern leaves out again.
    bool parenthesised = false;
};

bool is_name_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

int capture_of(const std::string& name, std::vector<std::string>& names)
{
    const auto found = std::find(names.begin(), names.end(), name);
    if (found != names.end()) {
        return static_cast<int>(found - names.begin());
    }
    names.push_back(name);
    return static_cast<int>(names.size()) - 1;
}

// Metavariables are `$` then a capital letter or `_` and more of those and digits;
// `$...` before the name makes it a sequence. Anything else is left as written.
Substituted substitute(std::string_view snippet, std::vector<std::string>& names)
{
    Substituted out;
    for (std::size_t i = 0; i < snippet.size();) {
        const bool dots = snippet.substr(i).starts_with("$...");
        const std::size_t start = dots ? i + 4 : i + 1;
        std::size_t end = start;
        if (snippet[i] == '$' && end < snippet.size()
            && (std::isupper(static_cast<unsigned char>(snippet[end])) != 0
                || snippet[end] == '_')) {
            while (end < snippet.size() && is_name_char(snippet[end])) {
                ++end;
            }
        }
        if (snippet[i] != '$' || end == start) {
            out.text += snippet[i];
            out.origin.push_back(i);
            ++i;
            continue;
        }
        const std::string name(snippet.substr(start, end - start));
        Placeholder placeholder;
        placeholder.identifier = fmt::format("aiopsmv{}x", out.placeholders.size());
        placeholder.written = std::string(snippet.substr(i, end - i));
        if (name == "_") {
            placeholder.kind = dots ? CodeNode::Kind::sequence : CodeNode::Kind::wildcard;
            placeholder.capture = -1;
        } else {
            placeholder.kind = dots ? CodeNode::Kind::sequence : CodeNode::Kind::metavariable;
            placeholder.capture = capture_of(name, names);
        }
        out.text += placeholder.identifier;
        out.origin.insert(out.origin.end(), placeholder.identifier.size(), i);
        out.placeholders.push_back(std::move(placeholder));
        i = end;
    }
    out.origin.push_back(snippet.size());
    return out;
}

bool is_ignored_child(TSNode child, const char* type)
{
    if (ts_node_is_extra(child)) {
        return true; // comments
    }
    // The quotes of a Python string, which may be written either way.
    const std::string_view kind = type;
    return kind == "string_start" || kind == "string_end";
}

/// The children a pattern compares: named ones, and anonymous ones in a field.
template <typename Visit> void for_each_compared_child(TSNode node, const Visit& visit)
{
    if (ts_node_child_count(node) == 0) {
        return;
    }
    TSTreeCursor cursor = ts_tree_cursor_new(node);
    if (ts_tree_cursor_goto_first_child(&cursor)) {
        do {
            const TSNode child = ts_tree_cursor_current_node(&cursor);
            const TSFieldId field = ts_tree_cursor_current_field_id(&cursor);
            const bool named = ts_node_is_named(child);
            if ((named || field != 0) && !is_ignored_child(child, ts_node_type(child))) {
                visit(child, field);
            }
        } while (ts_tree_cursor_goto_next_sibling(&cursor));
    }
    ts_tree_cursor_delete(&cursor);
}

/// The node kinds, across grammars, that a dotted name is written as.
constexpr const char* k_name_kinds[] = {"identifier",
                                        "attribute",
                                        "member_expression",
                                        "selector_expression",
                                        "field_access",
                                        "scoped_identifier"};

bool is_name_kind(std::string_view type)
{
    return std::any_of(std::begin(k_name_kinds), std::end(k_name_kinds), [&](const char* kind) {
        return type == kind;
    });
}

// A keyword token: unnamed, and spelt as a word (`async`, `def`), not punctuation.
bool is_keyword(TSNode node, std::string_view type)
{
    return !ts_node_is_named(node) && !type.empty()
           && std::all_of(type.begin(), type.end(), [](char c) { return is_name_char(c); });
}

/// The keywords of a node that stand outside a field, in order.
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

// Whether `wanted` is a subsequence of the target's keywords: a pattern that says
// `async` matches only async code, and one that does not say it matches both.
bool has_keywords(const std::vector<TSSymbol>& wanted, TSNode target)
{
    if (wanted.empty()) {
        return true;
    }
    const std::vector<TSSymbol> present = keywords_of(target);
    auto at = present.begin();
    for (const TSSymbol symbol : wanted) {
        at = std::find(at, present.end(), symbol);
        if (at == present.end()) {
            return false;
        }
        ++at;
    }
    return true;
}

std::string without_space(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) == 0) {
            out += c;
        }
    }
    return out;
}

class Converter
{
public:
    Converter(const Substituted& substituted, source::Language language)
        : m_substituted(substituted), m_grammar(source::grammar(language))
    {}

    CodeNode convert(TSNode node, TSFieldId field)
    {
        const std::string_view text = text_of(node);
        CodeNode out;
        out.field = field;
        out.symbol = ts_node_symbol(node);
        out.named = ts_node_is_named(node);
        if (const Placeholder* placeholder = placeholder_of(text)) {
            out.kind = placeholder->kind;
            out.capture = placeholder->capture;
            return out;
        }
        const char* field_name =
            field == 0 ? nullptr : ts_language_field_name_for_id(m_grammar, field);
        const bool callee = field_name != nullptr && std::string_view(field_name) == "function";
        const std::string_view type = ts_node_type(node);
        if (out.named && is_name_kind(type) && (type != "identifier" || callee)
            && text.find("aiopsmv") == std::string_view::npos) {
            out.kind = CodeNode::Kind::name;
            out.text = without_space(text);
            return out;
        }
        for_each_compared_child(node, [&](TSNode child, TSFieldId child_field) {
            out.children.push_back(convert(child, child_field));
        });
        out.keywords = keywords_of(node);
        if (out.children.empty()) {
            out.text = std::string(text);
        }
        return out;
    }

private:
    std::string_view text_of(TSNode node) const
    {
        const std::string_view all = m_substituted.text;
        const uint32_t start = ts_node_start_byte(node);
        return all.substr(start, ts_node_end_byte(node) - start);
    }

    // The placeholder a node is, alone or as a statement of its own (`$X;`).
    const Placeholder* placeholder_of(std::string_view text) const
    {
        while (!text.empty()
               && (text.back() == ';' || std::isspace(static_cast<unsigned char>(text.back())))) {
            text.remove_suffix(1);
        }
        for (const auto& placeholder : m_substituted.placeholders) {
            if (text == placeholder.identifier) {
                return &placeholder;
            }
        }
        return nullptr;
    }

    const Substituted& m_substituted;
    const TSLanguage* m_grammar;
};

// The snippet's wrappers (the module, a lone expression's statement) are left out, so
// an expression matches wherever it stands.
bool is_wrapper(std::string_view type)
{
    return type == "module" || type == "program" || type == "source_file"
           || type == "translation_unit" || type == "expression_statement";
}

/// A child a pattern compares, and the field it stands in.
struct Compared
{
    TSNode node;
    TSFieldId field;
};

std::vector<Compared> compared_children(TSNode node)
{
    std::vector<Compared> children;
    for_each_compared_child(node, [&](TSNode child, TSFieldId field) {
        children.push_back({child, field});
    });
    return children;
}

/// A metavariable's value in a match under way.
struct Binding
{
    int capture;
    TSNode first; ///< null for an empty sequence
    TSNode last;  ///< the run's last node; `first` for one node
    std::string_view text;
};

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

/// The nodes that enclose the nodes matches are tried at, in one tree. Matches are
/// tried in document order, so a tree cursor that moves on from the last node asked
/// about reaches the next one in as many steps as there are nodes between them, where
/// ts_node_parent walks down from the root at every call.
class Ancestry
{
public:
    Ancestry() = default;
    Ancestry(const Ancestry&) = delete;
    Ancestry& operator=(const Ancestry&) = delete;

    ~Ancestry() { forget(); }

    /// The nodes from the root down to `target`, target last; empty when the cursor
    /// cannot reach it. The list stays valid until a call for another node.
    const std::vector<TSNode>& path_to(TSNode target)
    {
        if (!m_path.empty() && ts_node_eq(m_path.back(), target)) {
            return m_path;
        }
        if (m_path.empty() || m_path.front().tree != target.tree || !seek(target)) {
            restart(target);
            if (!seek(target)) {
                m_path.clear();
            }
        }
        return m_path;
    }

    void forget()
    {
        if (m_open) {
            ts_tree_cursor_delete(&m_cursor);
        }
        m_open = false;
        m_path.clear();
    }

private:
    void restart(TSNode target)
    {
        const TSNode root = ts_tree_root_node(target.tree);
        if (m_open) {
            ts_tree_cursor_reset(&m_cursor, root);
        } else {
            m_cursor = ts_tree_cursor_new(root);
            m_open = true;
        }
        m_path.assign(1, root);
    }

    static bool encloses(TSNode outer, TSNode inner)
    {
        return ts_node_start_byte(outer) <= ts_node_start_byte(inner)
               && ts_node_end_byte(inner) <= ts_node_end_byte(outer);
    }

    // Moves the cursor forward in document order until it stands on the target; false
    // when it passes the target or the end of the tree.
    bool seek(TSNode target)
    {
        bool left = false; // the cursor came up from the children of the path's last node
        while (true) {
            const TSNode at = m_path.back();
            if (!left) {
                if (ts_node_eq(at, target)) {
                    return true;
                }
                if (encloses(at, target) && ts_tree_cursor_goto_first_child(&m_cursor)) {
                    m_path.push_back(ts_tree_cursor_current_node(&m_cursor));
                    continue;
                }
                if (ts_node_start_byte(at) > ts_node_start_byte(target)) {
                    return false;
                }
            }
            if (ts_tree_cursor_goto_next_sibling(&m_cursor)) {
                m_path.back() = ts_tree_cursor_current_node(&m_cursor);
                left = false;
                continue;
            }
            if (!ts_tree_cursor_goto_parent(&m_cursor)) {
                return false;
            }
            m_path.pop_back();
            left = true;
        }
    }

    TSTreeCursor m_cursor{};
    bool m_open = false;
    std::vector<TSNode> m_path;
};

struct EnclosingKey
{
    const CodeNode* pattern;
    const void* node;

    bool operator==(const EnclosingKey&) const = default;
};

struct EnclosingKeyHash
{
    std::size_t operator()(const EnclosingKey& key) const
    {
        const std::hash<const void*> hash;
        return hash(key.pattern) * 31 + hash(key.node);
    }
};

/// What `inside` and `not-inside` learnt about the tree matched last on this thread.
struct EnclosingCache
{
    const TSTree* tree = nullptr;
    Ancestry ancestry;
    /// For a pattern and a node: the depth of the nearest node at or above it that the
    /// pattern matches on its own (no metavariable bound beforehand), or -1.
    std::unordered_map<EnclosingKey, int, EnclosingKeyHash> nearest;

    void forget()
    {
        tree = nullptr;
        ancestry.forget();
        nearest.clear();
    }
};

thread_local EnclosingCache t_enclosing;

/// How many steps of matching pass between two looks at the interrupt flag.
constexpr unsigned k_steps_between_interrupt_checks = 4096;

/// By field id, the fields of a grammar that hold type annotations.
const std::vector<bool>& annotation_fields(const TSLanguage* grammar)
{
    thread_local std::vector<std::pair<const TSLanguage*, std::vector<bool>>> known;
    for (const auto& [language, fields] : known) {
        if (language == grammar) {
            return fields;
        }
    }
    std::vector<bool> fields;
    if (grammar != nullptr) {
        const uint32_t count = ts_language_field_count(grammar);
        fields.assign(count + 1, false);
        for (TSFieldId id = 1; id <= count; ++id) {
            const char* name = ts_language_field_name_for_id(grammar, id);
            const std::string_view field = name == nullptr ? std::string_view() : name;
            fields[id] = field == "return_type" || field == "type";
        }
    }
    known.emplace_back(grammar, std::move(fields));
    return known.back().second;
}

using Next = FunctionRef<bool()>;

/// Backtracking matcher of code patterns: each function tries every way to match and
/// calls the continuation for each; a continuation returning true ends the search.
class CodeMatcher
{
public:
    CodeMatcher(const CodePattern& pattern,
                const MatchContext& context,
                FunctionRef<bool(const Captures&)> on_match)
        : m_pattern(pattern), m_context(context), m_on_match(on_match)
    {}

    bool node(const CodeNode& pattern, TSNode target, const Next& next)
    {
        if (stopped()) {
            return true;
        }
        switch (pattern.kind) {
        case CodeNode::Kind::wildcard:
            return next();
        case CodeNode::Kind::metavariable:
            return bind(pattern.capture, target, target, m_context.text(target), next);
        case CodeNode::Kind::sequence:
            return false; // only stands among siblings
        case CodeNode::Kind::name: {
            const auto name = m_context.qualified_name(target);
            return name && *name == pattern.text && next();
        }
        case CodeNode::Kind::node:
            break;
        }
        if (ts_node_symbol(target) != pattern.symbol || !has_keywords(pattern.keywords, target)) {
            return false;
        }
        std::vector<Compared> children = compared_children(target);
        if (pattern.children.empty()) {
            return children.empty() && m_context.text(target) == pattern.text && next();
        }
        drop_unwritten_annotations(pattern, children);
        return siblings(pattern.children, 0, children, 0, next);
    }

    // A type annotation the pattern does not write (a return type, a parameter's or a
    // variable's type) is not compared: `def $F($...P):` matches `def f(x) -> int:`.
    static void drop_unwritten_annotations(const CodeNode& pattern, std::vector<Compared>& children)
    {
        const std::vector<bool>& annotation = annotation_fields(ts_node_language_of(children));
        const auto unwritten = [&](const Compared& child) {
            return child.field < annotation.size() && annotation[child.field]
                   && std::none_of(pattern.children.begin(),
                                   pattern.children.end(),
                                   [&](const CodeNode& p) { return p.field == child.field; });
        };
        children.erase(std::remove_if(children.begin(), children.end(), unwritten), children.end());
    }

    static const TSLanguage* ts_node_language_of(const std::vector<Compared>& children)
    {
        return children.empty() ? nullptr : ts_tree_language(children.front().node.tree);
    }

    /// Matches a clause: its pattern, then the operators that narrow it.
    bool clause(const CodeClause& clause, TSNode target, const Next& next)
    {
        // The conditions on what the pattern bound rule most matches out before any
        // ancestor is read.
        return node(clause.pattern, target, [&] {
            return conditions_hold()
                   && narrowed(clause.not_patterns, clause.inside, clause.not_inside, target, next);
        });
    }

    /// After an alternative matched `target`: the remaining operators, then on_match.
    bool finish(TSNode target, std::size_t all_index = 0)
    {
        if (all_index < m_pattern.all.size()) {
            return clause(
                m_pattern.all[all_index], target, [&] { return finish(target, all_index + 1); });
        }
        // The conditions on what is bound so far rule most matches out before any
        // ancestor is read; those on what `inside` binds are checked once it has.
        if (!conditions_hold()) {
            return false;
        }
        return narrowed(
            m_pattern.not_patterns, m_pattern.inside, m_pattern.not_inside, target, [&] {
                return conditions_hold() && report();
            });
    }

    bool matched() const { return m_matched; }

private:
    // Hands the bindings to on_match; true ends the search.
    bool report()
    {
        if (m_interrupted) {
            return true;
        }
        Captures captures;
        for (const auto& binding : m_bindings) {
            if (!ts_node_is_null(binding.first)) {
                captures.bound.emplace_back(binding.capture, binding.first);
            }
        }
        m_matched = true;
        return !m_on_match(captures);
    }

    // Whether an interrupt ends the matching. Every step then claims the search done,
    // without calling on_match, so what is left of it unwinds at once.
    bool stopped()
    {
        if (++m_steps % k_steps_between_interrupt_checks == 0 && core::interrupted()) {
            m_interrupted = true;
        }
        return m_interrupted;
    }

    bool siblings(const std::vector<CodeNode>& patterns,
                  std::size_t p,
                  const std::vector<Compared>& children,
                  std::size_t c,
                  const Next& next)
    {
        if (p == patterns.size()) {
            return c == children.size() && next();
        }
        const CodeNode& pattern = patterns[p];
        if (pattern.kind == CodeNode::Kind::sequence) {
            for (std::size_t end = c; end <= children.size(); ++end) {
                const auto rest = [&] { return siblings(patterns, p + 1, children, end, next); };
                if (pattern.capture < 0) {
                    if (rest()) {
                        return true;
                    }
                    continue;
                }
                const TSNode first = end == c ? TSNode{} : children[c].node;
                std::string_view text;
                if (end > c) {
                    // The run's text, from the first node's start to the last one's end.
                    const std::string_view head = m_context.text(first);
                    text = std::string_view(head.data(),
                                            ts_node_end_byte(children[end - 1].node)
                                                - ts_node_start_byte(first));
                }
                const TSNode last = end == c ? TSNode{} : children[end - 1].node;
                if (bind(pattern.capture, first, last, text, rest)) {
                    return true;
                }
            }
            return false;
        }
        if (c == children.size() || (pattern.field != 0 && children[c].field != pattern.field)) {
            return false;
        }
        return node(pattern, children[c].node, [&] {
            return siblings(patterns, p + 1, children, c + 1, next);
        });
    }

    // Calls next once an enclosing node matches each pattern of `inside` (which binds
    // its metavariables for what follows), when the target matches none of `excluded`
    // and no enclosing node matches one of `not_inside`.
    bool narrowed(const std::vector<CodeNode>& excluded,
                  const std::vector<CodeNode>& inside,
                  const std::vector<CodeNode>& not_inside,
                  TSNode target,
                  const Next& next,
                  std::size_t inside_index = 0)
    {
        if (inside_index < inside.size()) {
            return enclosing(inside[inside_index], target, [&] {
                return narrowed(excluded, inside, not_inside, target, next, inside_index + 1);
            });
        }
        for (const auto& pattern : excluded) {
            if (matches(pattern, target)) {
                return false;
            }
        }
        for (const auto& context : not_inside) {
            if (enclosing(context, target, [] { return true; })) {
                return false;
            }
        }
        return next();
    }

    // Calls next for each way a node that encloses the target matches the pattern,
    // nearest first, until next returns true. What follows a match stays at the same
    // target, so the path to it is not moved while next runs.
    bool enclosing(const CodeNode& pattern, TSNode target, const Next& next)
    {
        if (t_enclosing.tree != target.tree) {
            t_enclosing.forget();
            t_enclosing.tree = target.tree;
        }
        const std::vector<TSNode>& path = t_enclosing.ancestry.path_to(target);
        if (path.empty()) {
            for (TSNode up = ts_node_parent(target); !ts_node_is_null(up);
                 up = ts_node_parent(up)) {
                if (node(pattern, up, next)) {
                    return true;
                }
            }
            return false;
        }
        for (int depth = static_cast<int>(path.size()) - 2; depth >= 0;) {
            const int at = nearest_match(pattern, path, depth);
            if (at < 0) {
                return false;
            }
            if (node(pattern, path[static_cast<std::size_t>(at)], next)) {
                return true;
            }
            depth = at - 1;
        }
        return false;
    }

    // The depth of the nearest node of the path, at `depth` or above, that the pattern
    // matches on its own; -1 when none does. Each node's answer is remembered for the
    // tree and comes from its parent's, so a node is matched once per pattern however
    // many matches below it ask.
    int nearest_match(const CodeNode& pattern, const std::vector<TSNode>& path, int depth)
    {
        auto& memo = t_enclosing.nearest;
        int known_at = depth;
        int nearest = -1;
        for (; known_at >= 0; --known_at) {
            const auto known = memo.find({&pattern, path[static_cast<std::size_t>(known_at)].id});
            if (known != memo.end()) {
                nearest = known->second;
                break;
            }
        }
        for (int i = known_at + 1; i <= depth; ++i) {
            const TSNode at = path[static_cast<std::size_t>(i)];
            if (matches_alone(pattern, at)) {
                nearest = i;
            }
            memo[{&pattern, at.id}] = nearest;
        }
        return nearest;
    }

    // Whether the pattern matches with nothing bound beforehand: true wherever a match
    // with bindings is possible, and the same for every match that asks.
    bool matches_alone(const CodeNode& pattern, TSNode target)
    {
        std::vector<Binding> outer;
        outer.swap(m_bindings);
        const bool found = matches(pattern, target);
        m_bindings.swap(outer);
        return found;
    }

    // Binds a metavariable for the continuation; one already bound must be the same code.
    bool bind(int capture, TSNode first, TSNode last, std::string_view text, const Next& next)
    {
        for (const auto& binding : m_bindings) {
            if (binding.capture == capture) {
                return same_code(binding, first, last, text) && next();
            }
        }
        m_bindings.push_back({capture, first, last, text});
        // A condition on this metavariable alone is checked as soon as it is bound,
        // before the rest of the pattern is matched.
        const bool done = holds_for(m_bindings.back()) && next();
        m_bindings.pop_back();
        return done;
    }

    // Equal text, or the same tokens written another way: laid out differently
    // (`{f : 1}` and `{f: 1}`), with comments, in other quotes (`'x'` and `"x"`) or
    // in parentheses (`(a)` and `a`).
    bool same_code(const Binding& bound, TSNode first, TSNode last, std::string_view text) const
    {
        if (bound.text == text) {
            return true;
        }
        if (ts_node_is_null(bound.first) || ts_node_is_null(first)) {
            return false;
        }
        return same_tokens(bound.first, bound.last, first, last, m_context);
    }

    bool matches(const CodeNode& pattern, TSNode target)
    {
        return node(pattern, target, [] { return true; });
    }

    bool has_qualified_name(const MetavariableCondition& condition, const Binding& binding) const
    {
        if (ts_node_is_null(binding.first)) {
            return false;
        }
        const auto name = m_context.qualified_name(binding.first);
        return name
               && std::find(
                      condition.qualified_names.begin(), condition.qualified_names.end(), *name)
                      != condition.qualified_names.end();
    }

    // A condition on a metavariable the match left unbound holds.
    bool conditions_hold() const
    {
        return std::all_of(m_bindings.begin(), m_bindings.end(), [&](const Binding& binding) {
            return holds_for(binding);
        });
    }

    // Whether the conditions on one bound metavariable hold.
    bool holds_for(const Binding& binding) const
    {
        for (const auto& condition : m_pattern.conditions) {
            if (condition.capture == binding.capture && !holds(condition, binding)) {
                return false;
            }
        }
        return true;
    }

    bool holds(const MetavariableCondition& condition, const Binding& binding) const
    {
        const re2::StringPiece text(binding.text.data(), binding.text.size());
        if (condition.regex && !RE2::PartialMatch(text, *condition.regex)) {
            return false;
        }
        if (condition.not_regex && RE2::PartialMatch(text, *condition.not_regex)) {
            return false;
        }
        if (condition.constant && is_constant(binding.first, m_context) != *condition.constant) {
            return false;
        }
        if (!condition.qualified_names.empty() && !has_qualified_name(condition, binding)) {
            return false;
        }
        return !condition.checks_kind
               || (!ts_node_is_null(binding.first)
                   && std::find(condition.kinds.begin(),
                                condition.kinds.end(),
                                ts_node_symbol(binding.first))
                          != condition.kinds.end());
    }

    const CodePattern& m_pattern;
    const MatchContext& m_context;
    FunctionRef<bool(const Captures&)> m_on_match;
    std::vector<Binding> m_bindings;
    bool m_matched = false;
    unsigned m_steps = 0;
    bool m_interrupted = false;
};

// Inserts text at a byte of the substituted snippet; it stands for the snippet's byte
// that follows it.
void insert(Substituted& substituted, std::size_t at, std::string_view text)
{
    substituted.text.insert(at, text);
    substituted.origin.insert(substituted.origin.begin() + static_cast<std::ptrdiff_t>(at),
                              text.size(),
                              substituted.origin[at]);
}

bool is_space(char c)
{
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Whether the placeholder at [start, end) stands as a statement of its own: after the
// start of a block or a statement's end, and before the block's end or a line end.
bool stands_as_statement(std::string_view text, std::size_t start, std::size_t end)
{
    std::size_t before = start;
    while (before > 0 && is_space(text[before - 1])) {
        --before;
    }
    if (before > 0 && std::string_view("{;}").find(text[before - 1]) == std::string_view::npos) {
        return false;
    }
    for (std::size_t after = end; after < text.size(); ++after) {
        if (text[after] == '\n') {
            return true;
        }
        if (!is_space(text[after])) {
            return text[after] == '}';
        }
    }
    return true;
}

// The snippet with a ';' after each metavariable that stands as a statement, and one
// at its end unless it ends a statement or block already: Java and the C family end
// statements with ';', where a pattern's author leaves it out (`new Random()`,
// `try { $...B } catch (...) { }`).
Substituted with_semicolons(const Substituted& substituted)
{
    Substituted out = substituted;
    for (auto placeholder = out.placeholders.rbegin(); placeholder != out.placeholders.rend();
         ++placeholder) {
        const std::size_t start = out.text.find(placeholder->identifier);
        const std::size_t end = start + placeholder->identifier.size();
        if (start != std::string::npos && stands_as_statement(out.text, start, end)) {
            insert(out, end, ";");
        }
    }
    std::size_t last = out.text.size();
    while (last > 0 && is_space(out.text[last - 1])) {
        --last;
    }
    if (last > 0 && out.text[last - 1] != ';' && out.text[last - 1] != '}') {
        insert(out, last, ";");
    }
    return out;
}

// The ways a snippet is written out for the parser, tried in order until one parses:
// as it is, then as the language's statements want: a Go statement ends at a line
// end, and those of Java and the C family with ';'; a JavaScript object literal
// (`{role: 'system', content: $C}`) is read as a block unless it is in parentheses.
// The last way's error is reported.
std::vector<Substituted> ways_to_write(const Substituted& substituted, source::Language language)
{
    using source::Language;
    std::vector<Substituted> ways{substituted};
    switch (language) {
    case Language::go:
        ways.push_back(substituted);
        insert(ways.back(), substituted.text.size(), "\n");
        break;
    case Language::java:
    case Language::c:
    case Language::cpp:
    case Language::c_sharp:
    case Language::rust:
        ways.push_back(with_semicolons(substituted));
        break;
    case Language::javascript:
    case Language::typescript:
    case Language::tsx:
        if (substituted.text.find_first_not_of(" \t\r\n") != std::string::npos
            && substituted.text[substituted.text.find_first_not_of(" \t\r\n")] == '{') {
            ways.push_back(substituted);
            insert(ways.back(), 0, "(");
            insert(ways.back(), ways.back().text.size(), ")");
            ways.back().parenthesised = true;
        }
        break;
    default:
        break;
    }
    return ways;
}

// A message of the parser with the placeholders written back as the metavariables
// they stand for.
std::string as_written(std::string message, const Substituted& substituted)
{
    for (const auto& placeholder : substituted.placeholders) {
        for (std::size_t at = message.find(placeholder.identifier); at != std::string::npos;
             at = message.find(placeholder.identifier, at + placeholder.written.size())) {
            message.replace(at, placeholder.identifier.size(), placeholder.written);
        }
    }
    return message;
}

PatternError syntax_error(const source::SyntaxTree& tree,
                          const Substituted& substituted,
                          source::Language language)
{
    std::size_t total = 0;
    const auto problems = source::find_syntax_problems(tree, 1, total);
    const std::size_t at = problems.empty() ? 0 : problems[0].start_byte;
    const std::string what =
        problems.empty() ? "a syntax error" : as_written(problems[0].message, substituted);
    return PatternError{
        substituted.origin[std::min(at, substituted.text.size())],
        fmt::format("the pattern does not parse as {}: {}", source::language_name(language), what)};
}

// The pattern of a snippet that parsed: its tree without the wrappers around a lone
// statement or expression.
std::variant<CodeNode, PatternError> pattern_of(const source::SyntaxTree& tree,
                                                const Substituted& substituted,
                                                source::Language language)
{
    TSNode root = tree.root();
    while (is_wrapper(ts_node_type(root))) {
        const std::vector<Compared> children = compared_children(root);
        if (children.size() > 1) {
            return PatternError{substituted.origin[ts_node_start_byte(children[1].node)],
                                "a pattern is one statement or expression; this is a second"};
        }
        if (children.empty()) {
            return PatternError{0, "the pattern is empty"};
        }
        root = children[0].node;
    }
    if (substituted.parenthesised
        && std::string_view(ts_node_type(root)) == "parenthesized_expression"
        && ts_node_named_child_count(root) == 1) {
        root = ts_node_named_child(root, 0);
    }
    Converter converter(substituted, language);
    CodeNode pattern = converter.convert(root, 0);
    if (pattern.kind == CodeNode::Kind::sequence) {
        return PatternError{0, "a pattern cannot be a lone '$...' sequence"};
    }
    return pattern;
}

} // namespace

std::variant<CodeNode, PatternError> compile_code_pattern(std::string_view snippet,
                                                          source::Language language,
                                                          std::vector<std::string>& capture_names)
{
    const Substituted substituted = substitute(snippet, capture_names);
    PatternError error;
    for (const Substituted& attempt : ways_to_write(substituted, language)) {
        auto parsed = source::parse(language, attempt.text);
        if (!parsed) {
            return PatternError{0, parsed.error().message()};
        }
        if (!parsed->has_error()) {
            return pattern_of(*parsed, attempt, language);
        }
        error = syntax_error(*parsed, attempt, language);
    }
    return error;
}

std::vector<TSSymbol> code_root_symbols(const CodeNode& pattern, source::Language language)
{
    if (pattern.kind == CodeNode::Kind::node) {
        return {pattern.symbol};
    }
    if (pattern.kind != CodeNode::Kind::name) {
        return {};
    }
    const TSLanguage* grammar = source::grammar(language);
    std::vector<TSSymbol> symbols;
    for (const char* kind : k_name_kinds) {
        const TSSymbol symbol = ts_language_symbol_for_name(
            grammar, kind, static_cast<uint32_t>(std::strlen(kind)), /*is_named=*/true);
        if (symbol != 0) {
            symbols.push_back(symbol);
        }
    }
    return symbols;
}

void forget_enclosing()
{
    t_enclosing.forget();
}

bool match_code(const CodePattern& pattern,
                int alternative,
                TSNode node,
                const MatchContext& context,
                FunctionRef<bool(const Captures&)> on_match)
{
    CodeMatcher matcher(pattern, context, on_match);
    for (std::size_t i = 0; i < pattern.alternatives.size(); ++i) {
        if (alternative >= 0 && static_cast<std::size_t>(alternative) != i) {
            continue;
        }
        if (matcher.clause(pattern.alternatives[i], node, [&] { return matcher.finish(node); })) {
            break;
        }
    }
    return matcher.matched();
}

} // namespace aiops::rules
