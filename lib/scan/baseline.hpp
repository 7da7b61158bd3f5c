#pragma once

#include "core/error.hpp"
#include "core/finding.hpp"

#include <set>
#include <string>
#include <vector>

namespace aiops::scan {

/// The fingerprints of the findings a codebase already had when its baseline was
/// written; those findings are then reported as suppressed, and only new ones gate.
struct Baseline
{
    std::set<std::string> fingerprints;
};

/// Reads a baseline file (schemas/baseline.schema.json). Fails with ErrorCode::io when
/// it cannot be read and ErrorCode::input when it is malformed.
core::Result<Baseline> read_baseline(const std::string& path);

/// The baseline of the findings that are not suppressed in the source: their
/// fingerprints, as JSON text.
std::string baseline_text(const std::vector<core::Finding>& findings);

/// Writes baseline_text(findings) to a file, atomically.
core::Result<bool> write_baseline(const std::string& path,
                                  const std::vector<core::Finding>& findings);

/// Marks the findings the baseline lists as suppressed (kind baseline).
void apply_baseline(const Baseline& baseline, std::vector<core::Finding>& findings);

} // namespace aiops::scan
