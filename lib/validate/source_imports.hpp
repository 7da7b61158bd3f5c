#pragma once

#include "source/syntax_tree.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace aiops::validate {

// The imports of a parsed file, found by walking its tree once. Each names the module
// as written and the byte range to report.

/// One import of a file.
struct Import
{
    std::string_view module; ///< as written, dotted for Python
    std::size_t start_byte = 0;
    std::size_t end_byte = 0;
    /// Python: inside try/except ImportError (or `with assertRaises(ImportError)`);
    /// JavaScript: a require() or import() inside try/catch. The code goes on without
    /// the module.
    bool guarded = false;
    bool version_guarded = false; ///< Python: inside an `if` on sys.version_info
    bool type_only = false;       ///< TypeScript: `import type`, or in a .d.ts file
    /// Python: the `from ... import` statement, whose names may be modules of a
    /// namespace package ("from google.cloud import storage").
    TSNode from_statement{};
};

/// A Python file's `import` and `from ... import` statements, anywhere in the file
/// (relative imports are left out: they name the project's own modules), and
/// `__import__` / `importlib.import_module` calls with a literal name.
std::vector<Import> python_imports(const source::SyntaxTree& tree);

/// The names a Python `from m import a, b` imports from m ("a", "b"); empty for other
/// imports.
std::vector<std::string_view> from_import_names(const source::SyntaxTree& tree,
                                                const Import& found);

/// A JavaScript or TypeScript file's imports; with declarations_only (a .d.ts file)
/// every one is type-only.
std::vector<Import> script_imports(const source::SyntaxTree& tree, bool declarations_only);

/// A Go file's import paths.
std::vector<Import> go_imports(const source::SyntaxTree& tree);

/// A Java file's imported names.
std::vector<Import> java_imports(const source::SyntaxTree& tree);

} // namespace aiops::validate
