#pragma once

#include "core/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace aiops::report {

/// The report formats that shards of a CI matrix can be merged in.
enum class ReportKind
{
    sarif,
    gitlab_sast,
    gitlab_codequality,
    junit,
};

std::string_view to_string(ReportKind kind);

/// One report to merge: its text and the name errors give it.
struct ReportInput
{
    std::string name;
    std::string text;
};

/// The merged document and its format.
struct MergedReport
{
    ReportKind kind = ReportKind::sarif;
    std::string text;
};

/// Merges reports of one format, as shards of one run write them, into one.
///
/// - SARIF: one run per tool and category; rules are listed once and results are
///   re-indexed to them; a result that two inputs hold (same rule, place and
///   fingerprints) is kept once; results are sorted by place; invocations are kept; the
///   25,000-result cap of GitHub is applied again, most severe first.
/// - GitLab SAST: vulnerabilities once each by id; the scan spans all inputs and fails
///   when one did.
/// - GitLab Code Quality: issues once each by fingerprint.
/// - JUnit: the test cases of same-named suites together, counts recomputed.
///
/// The format is read from the documents. Fails with ErrorCode::input, naming the
/// input ("a.sarif:3:7: ..."), for a malformed document, a format that is none of
/// these, or inputs of different formats or of different commands.
core::Result<MergedReport> merge_reports(const std::vector<ReportInput>& inputs);

} // namespace aiops::report
