#pragma once

#include "source/syntax_tree.hpp"

#include <vector>

namespace aiops::source {

/// What CPython's compiler rejects in a tree that tree-sitter's Python grammar accepts:
/// Python 2 print and exec statements, decimal literals with leading zeros or an 'L'
/// suffix, misplaced or unknown `from __future__` imports, `return`, `yield`,
/// `await`, `break` and `continue` where they cannot stand, and an annotation's type or
/// a lambda's body that starts on a line after its ':' (`Usage:` over a line of code).
std::vector<SyntaxProblem> find_python_compile_problems(const SyntaxTree& tree);

} // namespace aiops::source
