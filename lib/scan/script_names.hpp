#pragma once

#include "rules/matcher.hpp"
#include "source/syntax_tree.hpp"

#include <optional>
#include <string>
#include <unordered_map>

namespace aiops::scan {

/// What names mean in one JavaScript or TypeScript file: the modules and members its
/// imports and require calls bind, and the names it defines itself. After
/// `const cp = require('child_process')`, `cp.exec` is "child_process.exec"; after
/// `const { exec } = require('child_process')` or
/// `import { exec as run } from 'node:child_process'`, so is `exec` (or `run`).
class ScriptNames : public rules::MatchContext
{
public:
    /// Reads the imports, require calls and definitions at the top level of the file
    /// (including exported ones). Names bound inside functions are not seen.
    explicit ScriptNames(const source::SyntaxTree& tree);

    std::string_view text(TSNode node) const override { return m_tree.node_text(node); }

    /// For an identifier or a member expression: the name through the imports. A name
    /// not imported stands for itself, as written: a global such as eval, or a local
    /// variable (a definition in the file undoes an import of the same name). Any
    /// other expression is its own text.
    std::optional<std::string> qualified_name(TSNode node) const override;

    std::optional<bool> literal_truth(TSNode node) const override;

private:
    void read_statement(TSNode statement);
    void read_import(TSNode statement);
    void read_declarator(TSNode declarator);
    void bind(TSNode name, std::string target);
    void define(TSNode name);

    /// The module a `require('m')` call (or `require('m').member`) names, if it is one.
    std::optional<std::string> required_module(TSNode value) const;
    std::optional<std::string> resolve(TSNode node) const;

    const source::SyntaxTree& m_tree;
    mutable std::unordered_map<const void*, std::optional<std::string>> m_resolved;
    std::unordered_map<std::string, std::string> m_bound;
};

} // namespace aiops::scan
