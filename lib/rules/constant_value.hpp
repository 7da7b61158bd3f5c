#pragma once

#include "rules/matcher.hpp"

#include <tree_sitter/api.h>

namespace aiops::rules {

/// Whether an expression's value is written in the source: a literal (a string
/// without interpolation, a number, a boolean, null), a parenthesised, concatenated
/// or listed group of them (`'a' + 'b'`, `new String[] {"ls", "-la"}`), or a name the
/// file defines once as one: a top-level `const` in JavaScript and TypeScript, a
/// `const` in Go, a `final` variable in Java, a module-level name assigned once in
/// Python. What the file defines is read once per tree and kept until
/// forget_constants(); shadowing by a local of the same name is not seen.
bool is_constant(TSNode node, const MatchContext& context);

/// Drops what is_constant remembered about the tree this thread read last.
void forget_constants();

} // namespace aiops::rules
