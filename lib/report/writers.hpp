#pragma once

#include "report/report.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace aiops::report {

/// How the text writer colours its output.
struct TextStyle
{
    bool color = false;
};

/// `path:line:col: severity: message [rule]`, the source line and a caret under the
/// range, then skipped files and notices, then a one-line summary.
std::string write_text(const Report& report, const TextStyle& style);

/// The JSON report (schemas/report.schema.json).
nlohmann::ordered_json to_json(const Report& report);

/// A SARIF 2.1.0 log with one run.
nlohmann::ordered_json to_sarif(const Report& report);

/// GitHub Actions workflow commands, one annotation per finding.
std::string write_github(const Report& report);

/// A path as a URI reference: every byte but unreserved characters and '/' is
/// percent-encoded (UTF-8 bytes included), so spaces and non-ASCII names stay valid.
std::string percent_encode_path(std::string_view path);

/// Escapes a workflow command's message (%, CR, LF) or, with `property`, a property
/// value (also ':' and ',').
std::string escape_workflow_command(std::string_view text, bool property);

} // namespace aiops::report
