#pragma once

#include "rules/matcher.hpp"

#include <tree_sitter/api.h>

namespace aiops::rules {

/// Whether two runs of sibling nodes (first to last, each) are the same code as a
/// repeated metavariable compares it: the same tokens, with comments left out, a
/// string's quotes not compared and the parentheses around an expression dropped.
/// Reading stops at the first token that differs.
bool same_tokens(
    TSNode first_a, TSNode last_a, TSNode first_b, TSNode last_b, const MatchContext& context);

} // namespace aiops::rules
