#pragma once

#include "scan/engine.hpp"

#include <optional>
#include <string>
#include <vector>

namespace aiops::scan {

/// A suppression comment: `aiops: ignore[rule-id, B602] reason`, `aiops: ignore reason`
/// (every rule), or Bandit's `# nosec` and `# nosec B602, B607`.
struct SuppressionComment
{
    std::size_t row = 0;          ///< 0-based row of the comment's last line
    std::vector<std::string> ids; ///< empty: every rule
    std::string justification;
    bool alone = false; ///< on a line of its own: it also covers the next line
    bool used = false;
    /// Read from a comment; false for a marker in a file without a grammar that no
    /// comment token leads, which may be text and so is not reported when unused.
    bool in_comment = true;
};

/// The suppression a comment's text holds, if any.
std::optional<SuppressionComment> parse_suppression(const Comment& comment);

/// Whether a suppression names this rule (by id or alias, case-insensitively for
/// aliases), or names none and so covers every rule.
bool covers(const SuppressionComment& suppression, const rules::Rule& rule);

} // namespace aiops::scan
