#pragma once

#include "report/report.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace aiops::report {

/// How the text writer colours its output.
struct TextStyle
{
    bool color = false;
};

/// `path:line:col: severity: message [rule]`, the source line and a caret under the
/// range, then skipped files and notices, then a one-line summary.
std::string write_text(const Report& report, const TextStyle& style);

/// The JSON report (schemas/report.schema.json), indented by two spaces; a suppressed
/// finding says why in "suppressed", the others carry null there. Bytes that are not
/// UTF-8 (in a file name, say) become U+FFFD.
std::string write_json(const Report& report);

/// A SARIF 2.1.0 log with one run; a suppressed finding stays, with a `suppressions` entry.
nlohmann::ordered_json to_sarif(const Report& report);

/// GitHub Actions workflow commands, one annotation per finding.
std::string write_github(const Report& report);

/// A GitLab SAST report (security report schema 15.2.1) for `artifacts:reports:sast`: one
/// vulnerability per finding that is not suppressed, its id a UUID drawn from the finding's
/// fingerprint, its identifiers the rule id first, then the rule's CWE and OWASP ids.
nlohmann::ordered_json to_gitlab_sast(const Report& report);

/// A GitLab Code Quality report for `artifacts:reports:codequality`: an array with one
/// entry per finding that is not suppressed, keyed by a fingerprint unique in the array.
nlohmann::ordered_json to_gitlab_codequality(const Report& report);

/// A JUnit XML report: one test suite for the run, a test case per rule and file with a
/// <failure> per finding that is not suppressed, a test case with an <error> per file that
/// could not be checked, and a passing test case when no finding is left. Text that XML
/// 1.0 cannot hold is dropped.
std::string write_junit(const Report& report);

/// Text for an XML 1.0 attribute value (`attribute`) or element content: markup
/// characters and, in attributes, line breaks and tabs as references; characters XML 1.0
/// cannot hold (control bytes, U+FFFE, U+FFFF) left out; invalid UTF-8 as U+FFFD.
std::string xml_text(std::string_view text, bool attribute = true);

/// How much the Markdown summary may hold.
struct MarkdownLimits
{
    std::size_t max_rows = 50;
    std::size_t max_bytes = 1024 * 1024; ///< GitHub's cap on a step summary
};

/// A Markdown summary for GitHub's job summary: a heading, a line of counts and the
/// gate's verdict, then a table of the findings that are not suppressed, most severe
/// first, cut to the limits, and a line counting the rows left out.
std::string write_markdown(const Report& report, const MarkdownLimits& limits = {});

/// A path as a URI reference: every byte but unreserved characters and '/' is
/// percent-encoded (UTF-8 bytes included), so spaces and non-ASCII names stay valid.
std::string percent_encode_path(std::string_view path);

/// Escapes a workflow command's message (%, CR, LF) or, with `property`, a property
/// value (also ':' and ',').
std::string escape_workflow_command(std::string_view text, bool property);

} // namespace aiops::report
