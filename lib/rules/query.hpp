#pragma once

#include "core/error.hpp"
#include "source/language.hpp"

#include <tree_sitter/api.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace re2 {
class RE2;
}

namespace aiops::rules {

struct CodePattern;

/// A position in a query's text (1-based line, 1-based column in bytes).
struct QueryPosition
{
    int line = 1;
    int column = 1;
};

/// A query error: where in the query's text and what is wrong.
struct QueryError
{
    QueryPosition position;
    std::string message;
};

/// An argument of a predicate: a capture or a string.
struct PredicateArgument
{
    bool is_capture = false;
    int capture = -1; ///< index into Query::capture_names
    std::string text;
};

/// A predicate such as (#eq? @name "x"), checked once a pattern has matched.
struct Predicate
{
    std::string name; ///< without '#', e.g. "eq?"
    std::vector<PredicateArgument> arguments;
    QueryPosition position;
    /// The top-level pattern the predicate is written inside (in its parentheses or in
    /// a group with it), which it alone applies to; -1 for a predicate written at the
    /// top level, which applies to every pattern.
    int pattern = -1;
    /// For #match?, #not-match? and their qname- forms with a literal pattern: the
    /// pattern, compiled once when the query is.
    std::shared_ptr<const re2::RE2> regex;
};

/// One node of a compiled pattern.
struct PatternNode
{
    enum class Kind
    {
        named,       ///< (type ...) or (_ ...)
        anonymous,   ///< "text"
        any,         ///< _ : any node, named or not
        alternation, ///< [ ... ]
    };
    enum class Quantifier
    {
        one,
        optional,
        zero_or_more,
        one_or_more,
    };

    Kind kind = Kind::named;
    Quantifier quantifier = Quantifier::one;
    TSSymbol symbol = 0; ///< 0 for "any named node" ((_)); the symbol otherwise
    std::string type;    ///< the type or anonymous text as written
    TSFieldId field = 0; ///< the field this node must stand in, 0 for none
    std::vector<int> captures;
    std::vector<PatternNode> children;     ///< for named nodes and alternations
    std::vector<TSFieldId> negated_fields; ///< !field: the node must not have it
    /// An anchor ('.') before this child: it must be the first named child, or the
    /// named child right after the previous child pattern's match. Comments (extra
    /// nodes) do not count, unless this pattern names their type.
    bool anchored_before = false;
    /// An anchor after the last child pattern: its match must be the last named child,
    /// comments aside.
    bool anchored_last = false;
};

/// A compiled query: one or more top-level patterns (any of which may match) and the
/// predicates over their captures. Compiled against one language's grammar: node
/// types and fields are checked and resolved to ids.
struct Query
{
    source::Language language = source::Language::python;
    std::vector<PatternNode> patterns;
    /// The predicates written at the top level: every pattern's matches must meet them.
    std::vector<Predicate> predicates;
    /// The predicates written inside a pattern: only that pattern's matches must meet
    /// them (Predicate::pattern says which). They are kept apart so that what reads
    /// `predicates` to rule nodes out early never applies one to the wrong pattern.
    std::vector<Predicate> pattern_predicates;
    std::vector<std::string> capture_names;
    /// Set for a pattern rule: the code pattern that decides a match. Each top-level
    /// pattern is then a childless node of the kind one alternative starts at, which
    /// only says where the code pattern is tried.
    std::shared_ptr<const CodePattern> code;

    /// The index of a capture by name (without '@'), or -1.
    int capture_index(std::string_view name) const;
};

/// The predicates a query may use: #eq? #not-eq? #match? #not-match? #any-of?
/// #not-any-of? (text), #qname-eq? #qname-any-of? #qname-match? and their #not-
/// forms (the qualified name of an expression, through the file's imports), #truthy?
/// #falsy? #not-truthy? #not-falsy? (the literal value), #has-argument?
/// #not-has-argument? (the arguments of a call, read from its tree).
const std::vector<std::string>& known_predicates();

/// Parses and compiles a query for a language. Fails with the position in the query's
/// text and a message: unbalanced parentheses, unknown node types and fields (with a
/// suggestion), unknown predicates, predicates with the wrong arguments, invalid
/// regular expressions.
std::variant<Query, QueryError> compile_query(std::string_view text, source::Language language);

} // namespace aiops::rules
