#include "rules/matcher.hpp"

#include "core/interrupt.hpp"
#include "rules/constant_value.hpp"
#include "rules/pattern.hpp"
#include "source/syntax_tree.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_map>

namespace aiops::rules {

namespace {

/// A child of a node and the field it stands in.
using Child = AiopsChild;

// The children of the nodes matches looked at, kept while one tree is matched: many
// rules try the same nodes. Mapped values stay in place when the map grows, and the
// cache is only cleared between matches, when no reference into it is held. It is
// bounded by the children it holds, not the nodes: a few nodes with thousands of
// children each (the entries of a large dict literal, a module's statements) would
// otherwise keep megabytes per thread.
constexpr std::size_t k_children_cache_limit = 32768;
thread_local std::unordered_map<const void*, std::vector<Child>> t_children_cache;
thread_local std::size_t t_children_cached = 0;

const std::vector<Child>& cached_children(TSNode node)
{
    auto [entry, inserted] = t_children_cache.try_emplace(node.id);
    if (inserted) {
        source::read_children(node, entry->second);
        t_children_cached += entry->second.size() + 1;
    }
    return entry->second;
}

void clear_children_cache()
{
    t_children_cache.clear();
    t_children_cached = 0;
}

bool has_field(const std::vector<Child>& children, TSFieldId field)
{
    return std::any_of(
        children.begin(), children.end(), [&](const Child& c) { return c.field == field; });
}

using Continuation = FunctionRef<bool(Captures&)>;

bool holds(const Predicate& predicate, const Captures& captures, const MatchContext& context);

// Whether a predicate reads one capture and literal text only, so that it can be
// decided as soon as that capture is bound.
bool reads_one_capture(const Predicate& predicate)
{
    return !predicate.arguments.empty() && predicate.arguments[0].is_capture
           && std::none_of(predicate.arguments.begin() + 1,
                           predicate.arguments.end(),
                           [](const PredicateArgument& argument) { return argument.is_capture; });
}

/// Backtracking matcher: each function tries every way to match and calls the
/// continuation for each; a continuation returning true ends the search.
class Matcher
{
public:
    /// Matches the query's pattern `pattern`. Its predicates that read one capture are
    /// checked where that capture is first bound, so that a wrong child is dropped before
    /// its siblings are tried. Without it, a pattern of two children of a dictionary tries
    /// every pair of its entries: quadratic in the entries of a large literal.
    Matcher(const MatchContext& context, const Query& query, int pattern)
        : m_context(context), m_query(query), m_pattern(pattern)
    {}

    bool
    node(const PatternNode& pattern, TSNode candidate, Captures& captures, const Continuation& next)
    {
        switch (pattern.kind) {
        case PatternNode::Kind::alternation:
            for (const auto& option : pattern.children) {
                const std::size_t mark = captures.bound.size();
                const bool done = node(option, candidate, captures, [&](Captures& inner) {
                    const std::size_t before = inner.bound.size();
                    for (int capture : pattern.captures) {
                        inner.bound.emplace_back(capture, candidate);
                    }
                    const bool stop = next(inner);
                    inner.bound.resize(before);
                    return stop;
                });
                captures.bound.resize(mark);
                if (done) {
                    return true;
                }
            }
            return false;
        case PatternNode::Kind::any:
            break;
        case PatternNode::Kind::anonymous:
            if (ts_node_is_named(candidate) || ts_node_symbol(candidate) != pattern.symbol) {
                return false;
            }
            break;
        case PatternNode::Kind::named:
            if (!ts_node_is_named(candidate) || ts_node_is_missing(candidate)
                || (pattern.symbol != 0 && ts_node_symbol(candidate) != pattern.symbol)) {
                return false;
            }
            break;
        }
        const std::size_t mark = captures.bound.size();
        for (int capture : pattern.captures) {
            const bool first_binding = !captures.first(capture);
            captures.bound.emplace_back(capture, candidate);
            if (first_binding && rejected_early(capture, captures)) {
                captures.bound.resize(mark);
                return false;
            }
        }
        bool done = false;
        if (pattern.children.empty() && pattern.negated_fields.empty()) {
            done = next(captures);
        } else {
            const std::vector<Child>& children = cached_children(candidate);
            const bool negated_ok =
                std::none_of(pattern.negated_fields.begin(),
                             pattern.negated_fields.end(),
                             [&](TSFieldId f) { return has_field(children, f); });
            if (negated_ok) {
                m_anchor_last.push_back(pattern.anchored_last);
                done = sequence(pattern.children, 0, children, 0, captures, next);
                m_anchor_last.pop_back();
            }
        }
        captures.bound.resize(mark);
        return done;
    }

private:
    // Whether a predicate on a capture just bound for the first time already fails. Not
    // under a quantifier: there a child that is present but fails its predicate must
    // still count as present (quantifiers are greedy), which only the final check keeps.
    bool rejected_early(int capture, const Captures& captures) const
    {
        if (m_under_quantifier > 0) {
            return false;
        }
        const auto fails = [&](const Predicate& predicate) {
            return (predicate.pattern < 0 || predicate.pattern == m_pattern)
                   && predicate.arguments[0].capture == capture && reads_one_capture(predicate)
                   && !holds(predicate, captures, m_context);
        };
        return std::any_of(m_query.predicates.begin(), m_query.predicates.end(), fails)
               || std::any_of(
                   m_query.pattern_predicates.begin(), m_query.pattern_predicates.end(), fails);
    }

    static bool can_stand_for(const PatternNode& pattern, const Child& child)
    {
        if (pattern.field != 0 && child.field != pattern.field) {
            return false;
        }
        // Named patterns skip anonymous tokens, as tree-sitter's queries do.
        if (pattern.kind == PatternNode::Kind::named && !ts_node_is_named(child.node)) {
            return false;
        }
        return true;
    }

    // Whether a pattern names this node's type, itself or as one of its alternatives.
    static bool names_type(const PatternNode& pattern, TSSymbol symbol)
    {
        if (pattern.kind == PatternNode::Kind::alternation) {
            return std::any_of(
                pattern.children.begin(), pattern.children.end(), [&](const PatternNode& option) {
                    return names_type(option, symbol);
                });
        }
        return pattern.symbol == symbol;
    }

    // Whether an anchor looks past a child: an anonymous token before a named pattern, and
    // a comment or another extra node unless the pattern asks for one, so that a comment
    // between the arguments of a call does not move its first argument.
    static bool passed_over_by_anchor(const PatternNode& pattern, TSNode child)
    {
        if (ts_node_is_extra(child)) {
            return !names_type(pattern, ts_node_symbol(child));
        }
        return pattern.kind != PatternNode::Kind::anonymous && !ts_node_is_named(child);
    }

    // Matches child patterns [p..] against children [c..], in order; unmatched
    // children in between are skipped.
    bool sequence(const std::vector<PatternNode>& patterns,
                  std::size_t p,
                  const std::vector<Child>& children,
                  std::size_t c,
                  Captures& captures,
                  const Continuation& next,
                  bool repetition = false)
    {
        if (p == patterns.size()) {
            if (!m_anchor_last.empty() && m_anchor_last.back()) {
                for (std::size_t i = c; i < children.size(); ++i) {
                    if (ts_node_is_named(children[i].node) && !ts_node_is_extra(children[i].node)) {
                        return false;
                    }
                }
            }
            const bool anchor = m_anchor_last.empty() ? false : m_anchor_last.back();
            // The continuation may match the parent's later children: restore the
            // enclosing pattern's anchor while it runs.
            if (!m_anchor_last.empty()) {
                m_anchor_last.pop_back();
            }
            const bool done = next(captures);
            m_anchor_last.push_back(anchor);
            return done;
        }
        const PatternNode& pattern = patterns[p];
        // A further repetition of a '*' or '+' child may also be absent.
        const bool optional = repetition || pattern.quantifier == PatternNode::Quantifier::optional
                              || pattern.quantifier == PatternNode::Quantifier::zero_or_more;
        const bool repeats = pattern.quantifier == PatternNode::Quantifier::zero_or_more
                             || pattern.quantifier == PatternNode::Quantifier::one_or_more;
        // An anchored child may only be the next named child (or the next child at all,
        // for an anonymous token); comments in between are passed over.
        std::size_t last = children.size();
        if (pattern.anchored_before) {
            std::size_t first = c;
            while (first < children.size()
                   && passed_over_by_anchor(pattern, children[first].node)) {
                ++first;
            }
            last = std::min(children.size(), first + 1);
        }
        // Quantifiers are greedy, as in tree-sitter: once an optional child is there,
        // the match does not fall back to leaving it out when a predicate fails.
        bool present = false;
        for (std::size_t i = c; i < last; ++i) {
            if (!can_stand_for(pattern, children[i])) {
                continue;
            }
            const int quantified = optional || repeats ? 1 : 0;
            m_under_quantifier += quantified;
            const bool done = node(pattern, children[i].node, captures, [&](Captures& inner) {
                present = true;
                // Either another repetition follows, or this was the last one.
                if (repeats
                    && sequence(patterns, p, children, i + 1, inner, next, /*repetition=*/true)) {
                    return true;
                }
                return sequence(patterns, p + 1, children, i + 1, inner, next);
            });
            m_under_quantifier -= quantified;
            if (done) {
                return true;
            }
        }
        return optional && !present && sequence(patterns, p + 1, children, c, captures, next);
    }

    const MatchContext& m_context;
    const Query& m_query;
    int m_pattern;
    int m_under_quantifier = 0;      ///< how many optional or repeated children enclose the match
    std::vector<bool> m_anchor_last; ///< per nesting level of named patterns being matched
};

const RE2& cached_regex(const std::string& pattern)
{
    thread_local std::unordered_map<std::string, std::unique_ptr<RE2>> cache;
    auto& slot = cache[pattern];
    if (!slot) {
        slot = std::make_unique<RE2>(pattern, RE2::Quiet);
    }
    return *slot;
}

std::vector<std::string>
argument_texts(const Predicate& predicate, const Captures& captures, const MatchContext& context)
{
    std::vector<std::string> texts;
    for (std::size_t i = 1; i < predicate.arguments.size(); ++i) {
        const auto& argument = predicate.arguments[i];
        if (argument.is_capture) {
            const auto node = captures.first(argument.capture);
            texts.emplace_back(node ? std::string(context.text(*node)) : std::string());
        } else {
            texts.push_back(argument.text);
        }
    }
    return texts;
}

// The arguments of a call: the node itself when it is an argument list, else the
// child in its `arguments` field.
TSNode argument_list_of(TSNode node)
{
    if (std::strcmp(ts_node_type(node), "argument_list") == 0
        || std::strcmp(ts_node_type(node), "arguments") == 0) {
        return node;
    }
    return ts_node_child_by_field_name(node, "arguments", 9);
}

// Whether a call's argument list passes an argument that one of the names stands for: a
// keyword (Python's `name=value`), a position counted among the plain positional
// arguments from 1, '*' a sequence spread into positions, '**' a mapping spread into
// keywords. Comments and punctuation are not arguments.
bool passes_argument(TSNode call,
                     const std::vector<std::string>& names,
                     const MatchContext& context)
{
    const TSNode arguments = argument_list_of(call);
    if (ts_node_is_null(arguments)) {
        return false;
    }
    const auto named = [&](std::string_view name) {
        return std::find(names.begin(), names.end(), name) != names.end();
    };
    int position = 0;
    for (const Child& child : cached_children(arguments)) {
        if (!ts_node_is_named(child.node)) {
            continue;
        }
        const std::string_view type = ts_node_type(child.node);
        if (type == "comment") {
            continue;
        }
        if (type == "keyword_argument") {
            const TSNode key = ts_node_child_by_field_name(child.node, "name", 4);
            if (!ts_node_is_null(key) && named(context.text(key))) {
                return true;
            }
        } else if (type == "dictionary_splat") {
            if (named("**")) {
                return true;
            }
        } else if (type == "list_splat" || type == "spread_element") {
            if (named("*")) {
                return true;
            }
        } else if (named(std::to_string(++position))) {
            return true;
        }
    }
    return false;
}

// The predicates on the literal value of an expression.
bool holds_on_value(const std::string& name, TSNode node, const MatchContext& context)
{
    const auto truth = context.literal_truth(node);
    if (name == "truthy?" || name == "falsy?") {
        return truth && *truth == (name == "truthy?");
    }
    // not-truthy? and not-falsy?: a value that is not a literal passes both.
    return !truth || *truth != (name == "not-truthy?");
}

// The predicates on the qualified name of an expression; one with no name (a local
// definition, a value computed at run time) fails the positive ones and passes the
// negated ones.
bool holds_on_name(const std::string& name,
                   TSNode node,
                   const std::vector<std::string>& values,
                   const RE2* regex,
                   const MatchContext& context)
{
    const bool negated = name.starts_with("not-");
    const auto qualified = context.qualified_name(node);
    if (!qualified) {
        return negated;
    }
    bool found = false;
    if (name.ends_with("match?")) {
        found = RE2::PartialMatch(*qualified, regex != nullptr ? *regex : cached_regex(values[0]));
    } else {
        found = std::find(values.begin(), values.end(), *qualified) != values.end();
    }
    return found != negated;
}

bool holds_on_text(const std::string& name,
                   std::string_view subject,
                   const std::vector<std::string>& values,
                   const RE2* regex)
{
    if (name == "eq?") {
        return subject == values[0];
    }
    if (name == "not-eq?") {
        return subject != values[0];
    }
    const re2::StringPiece piece(subject.data(), subject.size());
    if (name == "match?" || name == "not-match?") {
        const RE2& compiled = regex != nullptr ? *regex : cached_regex(values[0]);
        return RE2::PartialMatch(piece, compiled) == (name == "match?");
    }
    const bool listed = std::find(values.begin(), values.end(), subject) != values.end();
    return name == "any-of?" ? listed : !listed; // not-any-of?
}

// A predicate on a capture that bound nothing (an optional part that was absent)
// holds, as in tree-sitter.
bool holds(const Predicate& predicate, const Captures& captures, const MatchContext& context)
{
    const auto node = captures.first(predicate.arguments[0].capture);
    if (!node) {
        return true;
    }
    const std::string& name = predicate.name;
    if (name.ends_with("truthy?") || name.ends_with("falsy?")) {
        return holds_on_value(name, *node, context);
    }
    const std::vector<std::string> values = argument_texts(predicate, captures, context);
    if (name.ends_with("has-argument?")) {
        return passes_argument(*node, values, context) == (name == "has-argument?");
    }
    if (name.find("qname-") != std::string::npos) {
        return holds_on_name(name, *node, values, predicate.regex.get(), context);
    }
    return holds_on_text(name, context.text(*node), values, predicate.regex.get());
}

void collect_root_symbols(const PatternNode& pattern, std::vector<TSSymbol>& out, bool& any)
{
    if (pattern.kind == PatternNode::Kind::alternation) {
        for (const auto& option : pattern.children) {
            collect_root_symbols(option, out, any);
        }
    } else if (pattern.kind == PatternNode::Kind::any || pattern.symbol == 0) {
        any = true;
    } else {
        out.push_back(pattern.symbol);
    }
}

} // namespace

std::optional<TSNode> Captures::first(int capture) const
{
    for (const auto& [index, node] : bound) {
        if (index == capture) {
            return node;
        }
    }
    return std::nullopt;
}

void forget_tree()
{
    clear_children_cache();
    forget_enclosing();
    forget_constants();
}

bool match_at(const Query& query,
              TSNode node,
              const MatchContext& context,
              FunctionRef<bool(const Captures&)> on_match,
              int only_pattern)
{
    if (core::interrupted()) {
        return false;
    }
    if (t_children_cached > k_children_cache_limit) {
        clear_children_cache();
    }
    if (query.code) {
        return match_code(*query.code, only_pattern, node, context, on_match);
    }
    bool matched = false;
    thread_local Captures captures;
    for (std::size_t index = 0; index < query.patterns.size(); ++index) {
        if (only_pattern >= 0 && static_cast<std::size_t>(only_pattern) != index) {
            continue;
        }
        Matcher matcher(context, query, static_cast<int>(index));
        const PatternNode& pattern = query.patterns[index];
        captures.bound.clear();
        const bool stop = matcher.node(pattern, node, captures, [&](Captures& found) {
            for (const auto& predicate : query.predicates) {
                if (!holds(predicate, found, context)) {
                    return false;
                }
            }
            for (const auto& predicate : query.pattern_predicates) {
                if (predicate.pattern == static_cast<int>(index)
                    && !holds(predicate, found, context)) {
                    return false;
                }
            }
            matched = true;
            return !on_match(found);
        });
        if (stop) {
            break;
        }
    }
    return matched;
}

bool always_binds(const PatternNode& pattern, int capture)
{
    if (std::find(pattern.captures.begin(), pattern.captures.end(), capture)
        != pattern.captures.end()) {
        return true;
    }
    if (pattern.kind == PatternNode::Kind::alternation) {
        return !pattern.children.empty()
               && std::all_of(
                   pattern.children.begin(),
                   pattern.children.end(),
                   [&](const PatternNode& option) { return always_binds(option, capture); });
    }
    return std::any_of(
        pattern.children.begin(), pattern.children.end(), [&](const PatternNode& child) {
            return child.quantifier == PatternNode::Quantifier::one && always_binds(child, capture);
        });
}

std::vector<TSSymbol> root_symbols(const PatternNode& pattern)
{
    std::vector<TSSymbol> symbols;
    bool any = false;
    collect_root_symbols(pattern, symbols, any);
    if (any) {
        return {};
    }
    std::sort(symbols.begin(), symbols.end());
    symbols.erase(std::unique(symbols.begin(), symbols.end()), symbols.end());
    return symbols;
}

} // namespace aiops::rules
