#include "rules/pattern.hpp"

#include "core/interrupt.hpp"
#include "rules/ancestry.hpp"
#include "rules/code_tokens.hpp"
#include "rules/constant_value.hpp"
#include "rules/pattern_syntax.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aiops::rules {

namespace {

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

/// A metavariable's value in a match under way.
struct Binding
{
    int capture;
    TSNode first; ///< null for an empty sequence
    TSNode last;  ///< the run's last node; `first` for one node
    std::string_view text;
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

} // namespace

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
