#pragma once

#include "behave/model_caller.hpp"
#include "behave/statistics.hpp"
#include "behave/suite.hpp"
#include "core/error.hpp"
#include "source/workspace.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace aiops::behave {

/// Everything `aiops behave` takes besides the suites.
struct BehaveOptions
{
    std::optional<std::size_t> trials; ///< overrides every case's trial count
    std::optional<double> threshold;   ///< overrides every case's threshold
    std::optional<double> confidence;  ///< gate on the Wilson lower bound at this level
    bool early_stop = false;
    bool sequential = false;
    std::size_t max_trials = 200;        ///< the sequential test's ceiling
    double sequential_confidence = 0.95; ///< the sequential test's 1 - alpha (= 1 - beta)
    unsigned jobs = 0; ///< trials at once; 0: all cores, or the model layer's limit for prompts
    std::optional<double> max_cost; ///< USD budget for the whole run
    std::optional<source::Shard> shard;
    std::size_t failing_outputs_kept = 3; ///< failing trials each case keeps for reports
};

/// One trial that failed, as reports show it.
struct FailedTrial
{
    int trial = 0;
    std::string output;
    std::vector<std::string> messages;
};

/// How the sequential test ended for a case.
enum class SequentialOutcome
{
    not_used,
    pass,
    fail,
    undecided, ///< reached max-trials; the fixed gate judged the trials run
};

/// Everything measured about one case.
struct CaseResult
{
    std::string id;
    std::string kind; ///< "command" or "prompt"
    Position position;
    std::string source_line; ///< the suite file's line the case starts on
    std::size_t trials_planned = 0;
    std::size_t trials_run = 0;
    std::size_t passes = 0;
    double pass_rate = 0.0;
    Interval wilson; ///< 95%
    double consistency = 0.0;
    std::size_t distinct_outputs = 0;
    double latency_p50_ms = 0.0;
    double latency_p95_ms = 0.0;
    long long tokens = 0;
    double cost_usd = 0.0;
    GateRule gate;
    /// All-pass trials that show the threshold with the gate's bound (see trials_needed);
    /// set when more than ran.
    std::optional<std::size_t> trials_needed;
    bool threshold_unprovable = false; ///< threshold 1: no number of trials shows it
    std::size_t trials_saved = 0;      ///< by --early-stop or --sequential
    SequentialOutcome sequential = SequentialOutcome::not_used;
    bool passed = false;
    std::vector<std::string> reasons; ///< why it failed
    std::vector<FailedTrial> failed_trials;
};

/// One suite's results.
struct SuiteResult
{
    std::string path; ///< '/'-separated, as reports show it
    std::string name;
    std::vector<CaseResult> cases;
};

/// A whole run.
struct BehaveReport
{
    std::vector<SuiteResult> suites;
    std::vector<std::string> command_line;
    std::string start_time_utc;
    std::string end_time_utc;
    double elapsed_seconds = 0.0;
    bool budget_exceeded = false;
    std::string budget_message;
    std::size_t cases_skipped_by_shard = 0;
};

/// Runs the cases of the suites (in the shard) and judges each. Prompt cases go through
/// `caller`; without one, a suite with prompt cases fails with ErrorCode::internal before
/// any trial runs. Fails with ErrorCode::io when a command cannot be started,
/// ErrorCode::usage for contradictory options, and ErrorCode::interrupted.
core::Result<BehaveReport>
run_behave(const std::vector<Suite>& suites, const BehaveOptions& options, ModelCaller* caller);

/// 0 when every case passed, 1 when one failed or the budget was exceeded.
core::ExitCode behave_exit_code(const BehaveReport& report);

} // namespace aiops::behave
