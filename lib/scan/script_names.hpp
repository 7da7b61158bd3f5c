#pragma once

#include "rules/matcher.hpp"
#include "source/syntax_tree.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace aiops::scan {

/// What names mean in one JavaScript or TypeScript file: the modules and members its
/// imports and require calls bind, and the names it defines itself. After
/// `const cp = require('child_process')`, `cp.exec` is "child_process.exec"; after
/// `const { exec } = require('child_process')` or
/// `import { exec as run } from 'node:child_process'`, so is `exec` (or `run`). So is
/// `require('child_process').exec` itself. Inside a function or block, a parameter or
/// local definition of the same name hides the binding, and a local require or
/// `await import(...)` binds its own names.
class ScriptNames : public rules::MatchContext
{
public:
    /// Reads the imports, require calls (`await import(...)` too), assignments of them
    /// and definitions at the top level of the file (including exported ones). Those
    /// inside functions and blocks are read on the first name looked up.
    explicit ScriptNames(const source::SyntaxTree& tree);

    std::string_view text(TSNode node) const override { return m_tree.node_text(node); }

    /// For an identifier or a member expression: the name through the imports. A name
    /// not imported stands for itself, as written: a global such as eval, or a local
    /// variable (a definition in the file undoes an import of the same name). Any
    /// other expression is its own text.
    std::optional<std::string> qualified_name(TSNode node) const override;

    std::optional<bool> literal_truth(TSNode node) const override;

private:
    /// A name declared in a function or block: the bytes of that scope, and what the
    /// name stands for there (nullopt: a local value that hides any import).
    struct Local
    {
        uint32_t start;
        uint32_t end;
        std::optional<std::string> target;
    };

    /// A name a declaration introduces and what it stands for, if an import.
    using Declared = std::pair<TSNode, std::optional<std::string>>;

    void read_statement(TSNode statement);
    void read_import(TSNode statement);
    void bind(TSNode name, std::optional<std::string> target);

    /// The names a variable declarator or assignment introduces, each with the import it
    /// stands for: `const { exec, spawn: run } = require('child_process')`.
    std::vector<Declared> declared_by(TSNode name, TSNode value) const;

    /// What a value names: the module of a `require('m')` or `await import('m')` call
    /// and its members, or an imported name and its members.
    std::optional<std::string> imported_value(TSNode value) const;
    std::optional<std::string> resolve(TSNode node) const;

    /// What an identifier's name is bound to where it stands: by the innermost local
    /// declaration around it, else at the top level; nullopt when it is not an import.
    std::optional<std::string> binding(TSNode identifier) const;
    void read_local_declarations() const;
    void add_local(TSNode name, TSNode scope, std::optional<std::string> target) const;

    const source::SyntaxTree& m_tree;
    mutable std::unordered_map<const void*, std::optional<std::string>> m_resolved;
    std::unordered_map<std::string, std::string> m_bound;
    /// Local declarations of bound names and local imports, by name; read in one walk
    /// of the tree when the file imports anything.
    mutable std::unordered_map<std::string, std::vector<Local>> m_locals;
    mutable bool m_locals_read = false;
    bool m_has_local_imports = false; ///< the text calls require or import beyond the top
};

} // namespace aiops::scan
