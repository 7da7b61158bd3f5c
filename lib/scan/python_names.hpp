#pragma once

#include "rules/matcher.hpp"
#include "source/syntax_tree.hpp"

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace aiops::scan {

/// What names mean in one Python file: the modules and objects its imports bind, and
/// the names it defines itself. Rules then match qualified names, so `sp.Popen` after
/// `import subprocess as sp` is "subprocess.Popen", while a local `def Popen` is not.
/// A name that a function binds (a parameter, an assignment, a nested def or class)
/// is local to that function, and one a class body binds to that body, as Python
/// scopes them: there it is not the module's import or the builtin.
class PythonNames : public rules::MatchContext
{
public:
    /// Reads the imports and definitions at module level (including those inside
    /// module-level if, try and with blocks), and the names each function and class
    /// binds.
    explicit PythonNames(const source::SyntaxTree& tree);

    /// Records an import statement met further down (inside a function, say); the
    /// names it binds hold for the rest of the file.
    void add_import(TSNode statement);

    std::string_view text(TSNode node) const override { return m_tree.node_text(node); }

    std::optional<std::string> qualified_name(TSNode node) const override;
    std::optional<bool> literal_truth(TSNode node) const override;

    std::optional<std::string> bare_name_target(std::string_view name) const override;

    /// Whether a node is an import statement add_import understands.
    static bool is_import(TSNode node);

private:
    /// The body of a function or class: the bytes it covers. The names it binds are
    /// in m_bindings.
    struct Scope
    {
        std::size_t begin = 0;
        std::size_t end = 0;
        int parent = -1; ///< the enclosing scope, -1 for the module
        bool is_class = false;
        /// Declared `global` or `nonlocal` there: bound elsewhere, so not local.
        std::vector<std::string_view> declared_elsewhere;
    };

    /// A name a function or class binds (a view of the file's text), and the scope.
    struct Binding
    {
        std::string_view name;
        int scope;
        auto operator<=>(const Binding&) const = default;
    };

    void scan_block(TSNode block, int depth);
    void bind(const std::string& name, std::string target);

    // The scopes are collected when a name is first resolved: many files resolve none.
    void collect_all_scopes() const;
    void collect_scopes(TSNode block, int scope) const;
    void enter_definition(TSNode definition, int scope) const;
    void bind_targets(TSNode target, int scope) const;
    void bind_in_scope(TSNode name, int scope) const;
    bool is_local_in_scope(std::string_view name, std::size_t byte) const;

    std::optional<std::string> resolve(TSNode node) const;
    /// What a bare name stands for at its place: an import, a builtin, or nothing (local).
    std::optional<std::string> resolve_name(TSNode identifier) const;

    const source::SyntaxTree& m_tree;
    /// Names already resolved, by node: the callee index and the predicates ask for
    /// the same node. Emptied when an import changes what names mean.
    mutable std::unordered_map<const void*, std::optional<std::string>> m_resolved;
    std::unordered_map<std::string, std::string> m_bound;
    std::unordered_set<std::string> m_local;
    mutable bool m_scopes_collected = false;
    mutable std::vector<Scope> m_scopes; ///< in the order they start
    /// Every name some function or class binds, sorted by name and scope once they are
    /// all collected: any other name is decided at module level without looking for the
    /// scopes around it.
    mutable std::vector<Binding> m_bindings;
};

} // namespace aiops::scan
