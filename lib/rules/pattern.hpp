#pragma once

#include "rules/matcher.hpp"
#include "source/language.hpp"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace re2 {
class RE2;
}

namespace aiops::rules {

/// One node of a code pattern, taken from the tree of the snippet it was written as.
/// Only named children and anonymous children that stand in a field (operators such
/// as `+` or `==`) are kept: punctuation, keywords, comments and layout are ignored.
struct CodeNode
{
    enum class Kind
    {
        node,         ///< a node of the grammar, compared by kind and children
        name,         ///< a dotted name, compared by the qualified name it resolves to
        metavariable, ///< $X: any one node; equal text where the name repeats
        sequence,     ///< $...X: any run of siblings, possibly empty
        wildcard,     ///< $_: any one node, bound to nothing
    };

    Kind kind = Kind::node;
    TSSymbol symbol = 0;
    TSFieldId field = 0;
    bool named = true;
    std::string text; ///< of a leaf; for a name, the qualified name it must resolve to
    int capture = -1; ///< for metavariables and sequences: index into the capture names
    std::vector<CodeNode> children;
    /// Keywords among the unnamed children outside a field (`async`, `static`), which a
    /// target must hold too, in this order; others may stand between them.
    std::vector<TSSymbol> keywords;
};

/// A condition on the text or kind of a metavariable (`where:` in a rule).
struct MetavariableCondition
{
    int capture = -1;
    std::shared_ptr<const re2::RE2> regex;     ///< the text must hold a match
    std::shared_ptr<const re2::RE2> not_regex; ///< the text must hold none
    /// When checks_kind is set, the node's kind is one of these (which may be none in a
    /// language that has none of the kinds the rule names).
    std::vector<TSSymbol> kinds;
    bool checks_kind = false;
    /// When set, whether the value must be a constant (see is_constant) or must not.
    std::optional<bool> constant;
    /// When not empty, the qualified name the node resolves to (through the file's
    /// imports) is one of these.
    std::vector<std::string> qualified_names;
};

/// A pattern with the operators that narrow it alone: an item of `any` or `all`.
struct CodeClause
{
    CodeNode pattern;
    std::vector<CodeNode> not_patterns;
    std::vector<CodeNode> inside;
    std::vector<CodeNode> not_inside;
};

/// The matcher of a pattern rule for one language. A node matches when one of the
/// alternatives matches it; then every clause of `all` must match it too, no pattern
/// of `not_patterns` may, some ancestor must match each pattern of `inside`, no
/// ancestor may match a pattern of `not_inside`, and every condition must hold. A
/// clause narrows its own pattern the same way. The metavariables the alternative
/// bound keep their values in all of these, and those an `inside` pattern binds join
/// them, for the conditions and the message.
struct CodePattern
{
    std::vector<CodeClause> alternatives;
    std::vector<CodeClause> all;
    std::vector<CodeNode> not_patterns;
    std::vector<CodeNode> inside;
    std::vector<CodeNode> not_inside;
    std::vector<MetavariableCondition> conditions;
    /// For each alternative, the captures its matches give a value: those of the
    /// alternative, of `all` and of `inside`. One that only `pattern-not` or
    /// `not-inside` names is never bound.
    std::vector<std::vector<int>> bound_by_alternative;

    /// Whether some match can bind the capture.
    bool can_bind(int capture) const
    {
        return std::any_of(bound_by_alternative.begin(),
                           bound_by_alternative.end(),
                           [&](const std::vector<int>& bound) { return binds(bound, capture); });
    }

    /// Whether every match binds the capture, whichever alternative it comes from.
    bool always_binds(int capture) const
    {
        return std::all_of(bound_by_alternative.begin(),
                           bound_by_alternative.end(),
                           [&](const std::vector<int>& bound) { return binds(bound, capture); });
    }

private:
    static bool binds(const std::vector<int>& bound, int capture)
    {
        return std::find(bound.begin(), bound.end(), capture) != bound.end();
    }
};

/// Why a snippet is not a pattern: the byte offset in the snippet and a message.
struct PatternError
{
    std::size_t offset = 0;
    std::string message;
};

/// Parses a snippet with the language's grammar and turns it into a pattern. A snippet
/// that is one expression matches that expression wherever it stands. Metavariables
/// are added to `capture_names` (without '$') when new. Fails when the snippet does
/// not parse, or holds more than one statement.
std::variant<CodeNode, PatternError> compile_code_pattern(std::string_view snippet,
                                                          source::Language language,
                                                          std::vector<std::string>& capture_names);

/// The grammar symbols a match of the pattern can start at: its root's kind, or for a
/// name the kinds names are written in (identifiers, attributes, member expressions);
/// empty when any node can start one (a lone metavariable).
std::vector<TSSymbol> code_root_symbols(const CodeNode& pattern, source::Language language);

/// Drops what `inside` and `not-inside` remembered about the tree this thread matched
/// last (forget_tree does it too).
void forget_enclosing();

/// Tries one alternative of the pattern (or all, for -1) at a node and calls on_match
/// with the metavariables of each match; on_match returns false to stop looking.
/// A `$...X` binds the first node of its run. Returns whether anything matched.
bool match_code(const CodePattern& pattern,
                int alternative,
                TSNode node,
                const MatchContext& context,
                FunctionRef<bool(const Captures&)> on_match);

} // namespace aiops::rules
