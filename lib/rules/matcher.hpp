#pragma once

#include "rules/query.hpp"

#include <tree_sitter/api.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::rules {

/// What predicates need to know about the file being matched.
class MatchContext
{
public:
    virtual ~MatchContext() = default;

    /// The source text a node covers.
    virtual std::string_view text(TSNode node) const = 0;

    /// The qualified name an expression refers to through the file's imports
    /// ("subprocess.Popen" for `sp.Popen` after `import subprocess as sp`), or nullopt
    /// when it names something local or cannot be resolved.
    virtual std::optional<std::string> qualified_name(TSNode node) const = 0;

    /// The truth value of a literal expression (True, 1, "x", None, 0, ...), or nullopt
    /// when the expression is not a literal.
    virtual std::optional<bool> literal_truth(TSNode node) const = 0;
};

/// The nodes a match bound, by capture index.
struct Captures
{
    std::vector<std::pair<int, TSNode>> bound;

    /// The first node bound to a capture, if any.
    std::optional<TSNode> first(int capture) const;
};

/// Tries the query's patterns against one node (the root of a candidate match) and
/// calls on_match with the captures of each match whose predicates hold; on_match
/// returns false to stop looking for more. Returns whether anything matched.
bool match_at(const Query& query,
              TSNode node,
              const MatchContext& context,
              const std::function<bool(const Captures&)>& on_match);

/// Drops what matching remembered about the tree this thread matched last; call it
/// before matching another tree, and before the last one is deleted.
void forget_tree();

/// The grammar symbols a match of the query can start at; empty when any node can
/// (a top-level wildcard), which forces a check at every node.
std::vector<TSSymbol> root_symbols(const Query& query);

} // namespace aiops::rules
