#pragma once

#include "scan/engine.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::scan {

/// A suppression comment: `aiops: ignore[rule-id, B602] reason`, `aiops: ignore reason`
/// (every rule), or Bandit's `# nosec` and `# nosec B602, B607`.
struct SuppressionComment
{
    std::size_t row = 0;          ///< 0-based row of the comment's last line
    std::vector<std::string> ids; ///< empty: every rule
    std::string justification;
    /// Alone on its line (nothing but white space before and after it): it also covers
    /// the next line.
    bool alone = false;
    std::vector<bool> id_used;  ///< for each of ids, whether it suppressed a finding
    bool used = false;          ///< whether it suppressed any finding
    std::size_t start_byte = 0; ///< of the comment, where an unused one is reported
    std::size_t end_byte = 0;
};

/// What a comment holds: no marker, a suppression, or a marker written wrong, which
/// suppresses nothing and says what is wrong.
struct CommentMarker
{
    std::optional<SuppressionComment> suppression;
    std::string problem; ///< non-empty for a malformed marker
};

/// Reads the marker of a comment. A marker counts at the start of the comment, after
/// its opening token (`#`, `//`, `/*`, `<!--`, ...), or after a later `#` or `//` that
/// starts another note (`# noqa: E501  # nosec B602`), never inside prose ("do not
/// add a nosec here"). `nosec` and `ignore` must be whole words. `aiops: ignored`,
/// `aiops: ignore-next-line`, `aiops: ignore[]` and an unclosed `aiops: ignore[` are
/// malformed.
CommentMarker read_marker(const Comment& comment);

/// Whether a suppression names this rule (by id or alias, case-insensitively for
/// aliases), or names none and so covers every rule. Marks what it used.
bool covers(SuppressionComment& suppression, const rules::Rule& rule);

/// The markers of a file read without a grammar, as comments: each marker that follows
/// a comment token ('#', '//', ';', '--', '/*' or '<!--' after white space or at the
/// start of its line; in prose files only '<!--'), from that token to the end of its
/// line. Other text that says "nosec" is not a comment.
std::vector<Comment> marker_comments(std::string_view text, std::string_view path);

/// A marker written wrong: where its comment is, and what is wrong.
struct MalformedMarker
{
    std::size_t start_byte = 0;
    std::size_t end_byte = 0;
    std::string problem;
};

/// The suppressions of one file, found by the row a finding is on.
class FileSuppressions
{
public:
    /// Reads the markers of the file's comments, which come in source order.
    FileSuppressions(const std::vector<Comment>& comments, std::string_view text);

    /// The suppression of a finding of the rule on rows row..last_row (0-based) of a
    /// statement that starts on statement_row: a comment on any of the finding's rows (as
    /// Bandit takes a `# nosec` on the `shell=True` line of a call written over several
    /// lines) or on the statement's first row, or one alone on the row just above the
    /// finding or the statement. Marks it used; null when none covers the rule.
    const SuppressionComment*
    find(std::size_t row, std::size_t last_row, std::size_t statement_row, const rules::Rule& rule);

    const std::vector<SuppressionComment>& suppressions() const { return m_suppressions; }

    const std::vector<MalformedMarker>& malformed() const { return m_malformed; }

private:
    SuppressionComment* on_row(std::size_t row, bool alone_only, const rules::Rule& rule);

    std::vector<SuppressionComment> m_suppressions; ///< by row
    std::vector<MalformedMarker> m_malformed;
};

} // namespace aiops::scan
