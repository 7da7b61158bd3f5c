#pragma once

#include "core/severity.hpp"

#include <optional>
#include <string>
#include <vector>

namespace aiops::core {

/// A range in a file. Lines are 1-based; columns are 1-based and count Unicode code
/// points; end_column is the column just after the last character (SARIF's convention).
struct Location
{
    std::string path; ///< relative to the workspace root, '/'-separated
    int start_line = 1;
    int start_column = 1;
    int end_line = 1;
    int end_column = 1;
};

/// Why a finding does not count against the gate.
struct Suppression
{
    enum class Kind
    {
        in_source, ///< a comment in the code ("aiops: ignore[...]", "# nosec")
        baseline,  ///< listed in the baseline file
    };

    Kind kind = Kind::in_source;
    std::string justification;
};

/// One problem a check found.
struct Finding
{
    std::string rule_id;
    Severity severity = Severity::medium;
    std::string message;
    Location location;
    /// The source lines the finding spans (at most a few), without the final newline.
    std::string snippet;
    /// How many code points the snippet's first line is shorter than the source before
    /// the start column, where a secret earlier on the line is shown redacted; the
    /// snippet's own columns are the location's columns minus this.
    int snippet_shift = 0;
    std::vector<std::string> tags;
    /// Content-anchored identity: see compute_fingerprints.
    std::string fingerprint;
    /// GitHub's primaryLocationLineHash for the start line ("hex:occurrence").
    std::string line_hash;
    /// Set when the finding is suppressed: it is still reported, but does not fail the gate.
    std::optional<Suppression> suppression;
    /// The commit (40 hex digits) whose file version holds the finding, for a scan of
    /// git history; empty for a scan of files.
    std::string commit;
};

/// Orders findings by path, position, then rule id, so output never depends on timing.
bool finding_order(const Finding& a, const Finding& b);

/// Fills Finding::fingerprint for the findings of one file: the SHA-256 of the rule id,
/// the path, the white-space-normalised snippet, and the number of earlier findings of the
/// file with the same three. The result is stable when unrelated lines move.
void compute_fingerprints(std::vector<Finding>& findings_of_one_file);

/// The same with the block that holds each finding (contexts[i] for findings[i]) in the
/// hash, and the occurrence counted among the findings with the same text in that
/// block: a second identical line added to one function is the new finding, not the
/// one in the next function.
void compute_fingerprints(std::vector<Finding>& findings_of_one_file,
                          const std::vector<std::string>& contexts);

} // namespace aiops::core
