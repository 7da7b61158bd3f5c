#pragma once

#include "rules/matcher.hpp"
#include "source/syntax_tree.hpp"

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace aiops::scan {

/// What names mean in one Python file: the modules and objects its imports bind, and
/// the names it defines itself. Rules then match qualified names, so `sp.Popen` after
/// `import subprocess as sp` is "subprocess.Popen", while a local `def Popen` is not.
class PythonNames : public rules::MatchContext
{
public:
    /// Reads the imports and definitions at module level (including those inside
    /// module-level if, try and with blocks).
    explicit PythonNames(const source::SyntaxTree& tree);

    /// Records an import statement met further down (inside a function, say); the
    /// names it binds hold for the rest of the file.
    void add_import(TSNode statement);

    std::string_view text(TSNode node) const override { return m_tree.node_text(node); }

    std::optional<std::string> qualified_name(TSNode node) const override;
    std::optional<bool> literal_truth(TSNode node) const override;

    /// Whether a node is an import statement add_import understands.
    static bool is_import(TSNode node);

private:
    void scan_block(TSNode block, int depth);
    void bind(const std::string& name, std::string target);

    std::optional<std::string> resolve(TSNode node) const;

    const source::SyntaxTree& m_tree;
    // The grammar's ids of what resolve reads, looked up once rather than by name.
    TSSymbol m_identifier = 0;
    TSSymbol m_attribute = 0;
    TSFieldId m_object_field = 0;
    TSFieldId m_attribute_field = 0;
    /// Names already resolved, by node: the callee index and the predicates ask for
    /// the same node. Emptied when an import changes what names mean.
    mutable std::unordered_map<const void*, std::optional<std::string>> m_resolved;
    std::unordered_map<std::string, std::string> m_bound;
    std::unordered_set<std::string> m_local;
};

} // namespace aiops::scan
