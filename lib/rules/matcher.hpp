#pragma once

#include "rules/query.hpp"

#include <tree_sitter/api.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

    /// The one qualified name a bare name (`Popen`, not `sp.Popen`) can resolve to
    /// anywhere in the file as far as its imports are read so far: what an import bound
    /// it to, or itself. Nullopt when the context cannot tell without the place.
    virtual std::optional<std::string> bare_name_target(std::string_view /*name*/) const
    {
        return std::nullopt;
    }
};

/// The nodes a match bound, by capture index.
struct Captures
{
    std::vector<std::pair<int, TSNode>> bound;

    /// The first node bound to a capture, if any.
    std::optional<TSNode> first(int capture) const;
};

/// A non-owning reference to a callable, for callbacks that live on the caller's
/// stack while the call runs: unlike std::function it never allocates.
template <typename Signature> class FunctionRef;

template <typename Result, typename... Arguments> class FunctionRef<Result(Arguments...)>
{
public:
    template <typename Callable>
    FunctionRef(const Callable& callable) // NOLINT: converts implicitly, like std::function
        : m_object(&callable), m_call([](const void* object, Arguments... arguments) -> Result {
              return (*static_cast<const Callable*>(object))(std::forward<Arguments>(arguments)...);
          })
    {}

    Result operator()(Arguments... arguments) const
    {
        return m_call(m_object, std::forward<Arguments>(arguments)...);
    }

private:
    const void* m_object;
    Result (*m_call)(const void*, Arguments...);
};

/// Tries the query's patterns (or only the one numbered `only_pattern`) against one
/// node (the root of a candidate match) and calls on_match with the captures of each
/// match whose predicates hold; on_match returns false to stop looking for more.
/// Returns whether anything matched.
bool match_at(const Query& query,
              TSNode node,
              const MatchContext& context,
              FunctionRef<bool(const Captures&)> on_match,
              int only_pattern = -1);

/// Drops what matching remembered about the tree this thread matched last; call it
/// before matching another tree, and before the last one is deleted.
void forget_tree();

/// Whether every match of the pattern binds the capture: it stands on a node that is
/// not under a quantifier, or on every option of an alternation.
bool always_binds(const PatternNode& pattern, int capture);

/// The grammar symbols a match of one top-level pattern can start at; empty when any
/// node can (a wildcard), which forces a check at every node.
std::vector<TSSymbol> root_symbols(const PatternNode& pattern);

} // namespace aiops::rules
