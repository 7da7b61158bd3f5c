#pragma once

#include "behave/behave.hpp"
#include "metrics/llm_metrics.hpp"
#include "report/report.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace aiops::behave {

/// A table of the cases (trials, passes, pass rate and its 95% interval, consistency,
/// distinct outputs, p50/p95 latency, verdict), each failing case's reasons and first
/// failing outputs, the trials a threshold needs when fewer ran, then a summary line.
std::string write_behave_text(const BehaveReport& report, bool color);

/// The JSON report (schemas/behave-report.schema.json).
nlohmann::ordered_json behave_to_json(const BehaveReport& report);

/// JUnit XML: a test suite per suite, a test case per case with its statistics as
/// properties and, when it failed, the reasons and failing outputs in the failure text.
std::string write_behave_junit(const BehaveReport& report);

/// A Markdown summary for a CI job page: the verdict, then a table of the cases.
std::string write_behave_markdown(const BehaveReport& report);

/// The run as a findings report, for the SARIF writer: one finding per failed case, on
/// the case's line of its suite file.
report::Report behave_to_findings(const BehaveReport& report);

/// The Prometheus text exposition of behave_pass_ratio{suite,case} (the suite's name, or
/// its path when it has none), followed by the model calls' llm_* families when `calls`
/// is given.
std::string behave_metrics(const BehaveReport& report, const metrics::LlmMetrics* calls);

} // namespace aiops::behave
