#include "behave/assertion.hpp"
#include "behave/behave.hpp"
#include "behave/process.hpp"
#include "core/interrupt.hpp"
#include "core/strings.hpp"
#include "core/thread_pool.hpp"
#include "llm/provider.hpp"
#include "report/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

namespace aiops::behave {

namespace {

using namespace std::chrono_literals;

/// One trial's output and verdict.
struct TrialRecord
{
    TrialOutput output;
    std::optional<core::Error> error; ///< the trial could not run at all
    bool passed = false;
    bool judged = true;     ///< false: the output is not whole, and only the messages count
    double spent_usd = 0.0; ///< what the trial's call spent: 0 for a cache hit
    std::vector<std::string> messages;
    std::string normalised;
};

/// What a case runs with once flags, the case and the suite's defaults are merged.
struct CasePlan
{
    const Case* spec = nullptr;
    std::size_t trials = 0;
    GateRule gate;
    Normalisation normalisation = Normalisation::whitespace;
    std::optional<std::chrono::milliseconds> timeout; ///< unset: the kind's own default
    std::size_t max_output = k_default_max_output;
    std::optional<SequentialTest> sequential;
    ModelRequest request; ///< prompt cases
    std::string where;    ///< "suite:line:column" of the case, for errors
};

/// The provider a model name starts with ("openai" in "openai:gpt-4o"), or nullopt when
/// what comes before its first ':' names no provider (Ollama's "llama3:8b").
std::optional<std::string> provider_prefix(const std::string& model)
{
    const std::size_t colon = model.find(':');
    if (colon == std::string::npos) {
        return std::nullopt;
    }
    std::string prefix = model.substr(0, colon);
    if (!llm::parse_provider_kind(prefix)) {
        return std::nullopt;
    }
    return prefix;
}

/// Sets the request's provider and model. A model named "provider:model" goes to that
/// provider, whatever the suite's default provider says; a provider set beside it, on
/// the same level (the case, or the suite's defaults), that names another is an error.
void resolve_model(CasePlan& plan, const PromptCase& prompt, const SuiteDefaults& defaults)
{
    const bool own_model = !prompt.model.empty();
    const std::string& model = own_model ? prompt.model : defaults.model;
    const std::string& beside = own_model ? prompt.provider : defaults.provider;
    const auto prefix = provider_prefix(model);
    if (prefix && !beside.empty() && beside != *prefix) {
        throw core::Error(core::ErrorCode::input,
                          fmt::format("{}: case '{}': the provider '{}' and the model '{}' name "
                                      "different providers: drop one",
                                      plan.where,
                                      plan.spec->id,
                                      beside,
                                      model));
    }
    if (prefix) {
        if (!prompt.provider.empty() && prompt.provider != *prefix) {
            throw core::Error(core::ErrorCode::input,
                              fmt::format("{}: case '{}': its provider '{}' and the suite's model "
                                          "'{}' name different providers: give the case a model",
                                          plan.where,
                                          plan.spec->id,
                                          prompt.provider,
                                          model));
        }
        plan.request.provider = *prefix;
        plan.request.model = model.substr(prefix->size() + 1);
        return;
    }
    plan.request.provider = prompt.provider.empty() ? defaults.provider : prompt.provider;
    plan.request.model = model;
}

CasePlan plan_case(const Suite& suite, const Case& spec, const BehaveOptions& options)
{
    CasePlan plan;
    plan.spec = &spec;
    plan.where =
        fmt::format("{}:{}:{}", suite.display_path, spec.position.line, spec.position.column);
    plan.trials = options.trials.value_or(spec.trials.value_or(suite.defaults.trials));
    plan.gate.threshold =
        options.threshold.value_or(spec.threshold.value_or(suite.defaults.threshold));
    plan.gate.confidence = options.confidence;
    plan.gate.consistency_min = spec.consistency_min;
    plan.normalisation = spec.normalisation.value_or(suite.defaults.normalisation);
    plan.timeout = spec.timeout ? spec.timeout : suite.defaults.timeout;
    plan.max_output = spec.max_output.value_or(suite.defaults.max_output);
    if (options.sequential) {
        if (plan.gate.threshold <= 0.0 || plan.gate.threshold >= 1.0) {
            throw core::Error(
                core::ErrorCode::usage,
                fmt::format(
                    "--sequential needs a threshold strictly between 0 and 1; case '{}' has {}",
                    spec.id,
                    plan.gate.threshold));
        }
        plan.sequential =
            SequentialTest::around(plan.gate.threshold, options.sequential_confidence);
        plan.trials = options.max_trials;
    }
    if (spec.prompt) {
        const PromptCase& prompt = *spec.prompt;
        plan.request.case_id = spec.id;
        plan.request.prompt_name = prompt.prompt_name;
        plan.request.prompt_version = prompt.prompt_version;
        plan.request.messages = prompt.messages;
        plan.request.variables = prompt.variables;
        resolve_model(plan, prompt, suite.defaults);
        plan.request.temperature =
            prompt.temperature ? prompt.temperature : suite.defaults.temperature;
        plan.request.max_tokens = prompt.max_tokens;
        plan.request.timeout = plan.timeout;
    }
    return plan;
}

TrialRecord run_command_trial(const CasePlan& plan, int trial)
{
    const CommandCase& command = *plan.spec->command;
    ProcessSpec spec;
    spec.argv = command.argv;
    spec.stdin_text = command.stdin_text;
    spec.env = command.env;
    spec.env["AIOPS_TRIAL"] = std::to_string(trial);
    spec.env["AIOPS_CASE"] = plan.spec->id;
    spec.working_folder = command.working_folder;
    spec.timeout = plan.timeout.value_or(k_default_command_timeout);
    spec.max_output_bytes = plan.max_output;
    TrialRecord record;
    auto result = run_process(spec);
    if (!result) {
        record.error = core::Error(
            result.error().code(),
            fmt::format("{}: case '{}': {}", plan.where, plan.spec->id, result.error().message()));
        return record;
    }
    record.output.output = std::move(result->stdout_text);
    record.output.stderr_text = std::move(result->stderr_text);
    record.output.exit_code = result->exit_code;
    record.output.latency_ms = result->latency_ms;
    if (!result->over_cap.empty()) {
        // A verdict on part of the output could pass a not-contains the rest would fail.
        record.messages.push_back(fmt::format(
            "its {} passed the cap of {} bytes, so the trial fails without judging a part of "
            "it; raise 'max-output' in the case or the suite's defaults",
            result->over_cap,
            plan.max_output));
        record.judged = false;
    } else if (result->timed_out) {
        record.messages.push_back(fmt::format("timed out after {} ms", spec.timeout.count()));
    } else if (result->signal != 0) {
        record.messages.push_back(fmt::format("killed by signal {}", result->signal));
    }
    return record;
}

TrialRecord run_prompt_trial(const CasePlan& plan, int trial, ModelCaller& caller)
{
    TrialRecord record;
    auto reply = caller.call(plan.request, trial);
    if (!reply) {
        record.error = core::Error(reply.error().code(),
                                   fmt::format("{}: case '{}', trial {}: {}",
                                               plan.where,
                                               plan.spec->id,
                                               trial,
                                               reply.error().message()));
        return record;
    }
    record.output.output = std::move(reply->text);
    record.output.tokens = reply->input_tokens + reply->output_tokens;
    record.spent_usd = reply->cost_usd;
    // A replay is judged by what the recorded call measured, so that it gives the verdicts
    // the live run gave.
    if (reply->cache_hit) {
        record.output.latency_ms = reply->recorded_latency_ms.value_or(reply->latency_ms);
        record.output.latency_known = reply->recorded_latency_ms.has_value();
        record.output.cost_usd = reply->recorded_cost_usd.value_or(0.0);
        record.output.cost_known = reply->recorded_cost_usd.has_value();
    } else {
        record.output.latency_ms = reply->latency_ms;
        record.output.cost_usd = reply->cost_usd;
        record.output.cost_known = reply->cost_known;
    }
    // A cut-off, filtered or late reply is not the model's answer, even when the
    // assertions pass on it.
    if (reply->timed_out) {
        record.messages.push_back(fmt::format("no reply within the timeout of {} ms",
                                              plan.request.timeout.value_or(0ms).count()));
        record.judged = false;
    } else if (reply->truncated) {
        record.messages.emplace_back(
            "the reply was cut off at max_tokens (finish_reason 'length')");
    } else if (reply->filtered) {
        record.messages.emplace_back("the reply was stopped by a content filter or refused "
                                     "(finish_reason 'content_filter')");
    }
    return record;
}

void judge_trial(const CasePlan& plan, TrialRecord& record)
{
    for (const auto& assertion : plan.spec->assertions) {
        if (!record.judged) {
            break;
        }
        AssertionOutcome outcome = check_assertion(assertion, record.output);
        if (!outcome.passed) {
            record.messages.push_back(std::move(outcome.message));
        }
    }
    record.passed = record.messages.empty();
    record.normalised = normalise_output(record.output.output, plan.normalisation);
}

/// Collects a case's trials in index order and says when to stop.
class CaseTally
{
public:
    explicit CaseTally(const CasePlan& plan) : m_plan(plan) {}

    /// Counts one more trial; returns true when the case should stop.
    bool add(TrialRecord record, int trial, std::size_t kept_failures)
    {
        ++m_run;
        m_passes += record.passed ? 1 : 0;
        m_latencies.push_back(record.output.latency_ms);
        m_tokens += record.output.tokens;
        m_cost += record.output.cost_usd;
        m_mode = std::max(m_mode, ++m_outputs[record.normalised]);
        if (!record.passed && m_failures.size() < kept_failures) {
            m_failures.push_back(
                {trial, core::quote_for_message(record.output.output, 2000), record.messages});
        }
        if (m_plan.sequential) {
            m_sequential_decision = m_plan.sequential->decide(m_passes, m_run);
            m_decided = m_sequential_decision != Decision::open;
        } else if (m_stop_early) {
            m_decided = decide_early(m_plan.gate, {m_plan.trials, m_run, m_passes, m_mode})
                        != Decision::open;
        }
        return m_decided;
    }

    /// Counts the call of a trial that ran alongside the one that settled the verdict:
    /// made and paid for, so in the tokens and cost, though not in the statistics.
    void add_uncounted(const TrialRecord& record)
    {
        m_tokens += record.output.tokens;
        m_cost += record.output.cost_usd;
    }

    void stop_early(bool enabled) { m_stop_early = enabled; }

    CaseResult finish(const Case& spec) const;

    /// Whether the pass rate meets the gate (or the sequential test passed); adds the
    /// reason when it does not.
    bool judge_rate(CaseResult& result) const;

private:
    const CasePlan& m_plan;
    bool m_stop_early = false;
    bool m_decided = false; ///< the run stopped because its verdict was settled
    std::size_t m_run = 0;
    std::size_t m_passes = 0;
    std::size_t m_mode = 0;
    std::map<std::string, std::size_t> m_outputs;
    std::vector<double> m_latencies;
    long long m_tokens = 0;
    double m_cost = 0.0;
    std::vector<FailedTrial> m_failures;
    Decision m_sequential_decision = Decision::open;
};

CaseResult CaseTally::finish(const Case& spec) const
{
    CaseResult result;
    result.id = spec.id;
    result.kind = spec.command ? "command" : "prompt";
    result.position = spec.position;
    result.source_line = spec.source_line;
    result.trials_planned = m_plan.trials;
    result.trials_run = m_run;
    result.passes = m_passes;
    result.pass_rate =
        m_run == 0 ? 0.0 : static_cast<double>(m_passes) / static_cast<double>(m_run);
    result.wilson = wilson_interval(m_passes, m_run, 0.95);
    result.consistency =
        m_run == 0 ? 0.0 : static_cast<double>(m_mode) / static_cast<double>(m_run);
    result.distinct_outputs = m_outputs.size();
    result.latency_p50_ms = percentile(m_latencies, 0.50);
    result.latency_p95_ms = percentile(m_latencies, 0.95);
    result.tokens = m_tokens;
    result.cost_usd = m_cost;
    result.gate = m_plan.gate;
    // Trials a budget stop left unrun were not saved: the verdict was not settled.
    result.trials_saved = m_decided ? m_plan.trials - m_run : 0;
    result.failed_trials = m_failures;
    const auto needed = trials_needed(m_plan.gate);
    result.threshold_unprovable = !needed.has_value();
    if (needed && *needed > m_run) {
        result.trials_needed = needed;
    }

    const bool rate_ok = judge_rate(result);
    bool consistent = true;
    if (m_plan.gate.consistency_min && result.consistency < *m_plan.gate.consistency_min - 1e-9) {
        consistent = false;
        result.reasons.push_back(
            fmt::format("consistency {:.3f} ({} distinct outputs) is under consistency.min {:.4g}",
                        result.consistency,
                        result.distinct_outputs,
                        *m_plan.gate.consistency_min));
    }
    if (m_run == 0) {
        result.reasons.emplace_back("no trial ran");
    }
    result.passed = rate_ok && consistent && m_run > 0;
    return result;
}

bool CaseTally::judge_rate(CaseResult& result) const
{
    bool rate_ok = pass_rate_meets(m_plan.gate, m_passes, m_run);
    if (m_plan.sequential) {
        const SequentialTest& test = *m_plan.sequential;
        result.sequential = m_sequential_decision == Decision::pass ? SequentialOutcome::pass
                            : m_sequential_decision == Decision::fail
                                ? SequentialOutcome::fail
                                : SequentialOutcome::undecided;
        if (m_sequential_decision != Decision::open) {
            rate_ok = m_sequential_decision == Decision::pass;
        }
        if (!rate_ok) {
            result.reasons.push_back(
                m_sequential_decision == Decision::fail
                    ? fmt::format("the sequential test (SPRT of p={:.4g} against p={:.4g}, "
                                  "alpha={:.3g}, beta={:.3g}) "
                                  "decided the pass rate is under {:.4g} after {} trials",
                                  test.p0(),
                                  test.p1(),
                                  test.alpha(),
                                  test.beta(),
                                  m_plan.gate.threshold,
                                  m_run)
                    : fmt::format("the sequential test was undecided after {} trials, and pass "
                                  "rate {}/{} does not "
                                  "meet the threshold {:.4g}",
                                  m_run,
                                  m_passes,
                                  m_run,
                                  m_plan.gate.threshold));
        }
    } else if (!rate_ok) {
        if (m_plan.gate.confidence) {
            result.reasons.push_back(
                fmt::format("the {:.0f}% Wilson lower bound of the pass rate, {:.3f} ({}/{}), is "
                            "under the threshold {:.4g}",
                            *m_plan.gate.confidence * 100,
                            wilson_interval(m_passes, m_run, *m_plan.gate.confidence).lower,
                            m_passes,
                            m_run,
                            m_plan.gate.threshold));
        } else {
            result.reasons.push_back(
                fmt::format("pass rate {:.3f} ({}/{}) is under the threshold {:.4g}",
                            result.pass_rate,
                            m_passes,
                            m_run,
                            m_plan.gate.threshold));
        }
    }
    return rate_ok;
}

class BehaveRun
{
public:
    BehaveRun(const BehaveOptions& options, ModelCaller* caller)
        : m_options(options), m_caller(caller)
    {}

    core::Result<BehaveReport> run(const std::vector<Suite>& suites)
    {
        const auto started = std::chrono::steady_clock::now();
        BehaveReport report;
        report.start_time_utc = report::utc_now();
        std::vector<std::vector<CasePlan>> plans;
        for (const Suite& suite : suites) {
            auto& suite_plans = plans.emplace_back();
            for (const Case& spec : suite.cases) {
                if (m_options.shard
                    && !source::in_shard(suite.display_path + "#" + spec.id, *m_options.shard)) {
                    ++report.cases_skipped_by_shard;
                    continue;
                }
                if (spec.prompt && m_caller == nullptr) {
                    return core::Error(
                        core::ErrorCode::internal,
                        fmt::format(
                            "{}:{}:{}: case '{}' is a prompt case, which needs a model caller, and "
                            "none was given",
                            suite.display_path,
                            spec.position.line,
                            spec.position.column,
                            spec.id));
                }
                suite_plans.push_back(plan_case(suite, spec, m_options));
            }
        }
        if (auto requests = check_requests(plans); !requests) {
            return requests.error();
        }
        if (auto budget = check_budget(plans); !budget) {
            return budget.error();
        }
        for (std::size_t s = 0; s < suites.size(); ++s) {
            SuiteResult& suite_result = report.suites.emplace_back();
            suite_result.path = suites[s].display_path;
            suite_result.name = suites[s].name;
            for (const CasePlan& plan : plans[s]) {
                if (m_budget_exceeded) {
                    break;
                }
                auto result = run_case(plan);
                if (!result) {
                    return result.error();
                }
                suite_result.cases.push_back(std::move(result).take());
            }
        }
        report.budget_exceeded = m_budget_exceeded;
        report.budget_message = m_budget_message;
        report.end_time_utc = report::utc_now();
        report.elapsed_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return report;
    }

private:
    // A case that cannot call its model at all is a suite error, found before any call.
    core::Result<bool> check_requests(const std::vector<std::vector<CasePlan>>& plans)
    {
        for (const auto& suite_plans : plans) {
            for (const CasePlan& plan : suite_plans) {
                if (!plan.spec->prompt) {
                    continue;
                }
                if (auto checked = m_caller->check(plan.request); !checked) {
                    return core::Error(checked.error().code(),
                                       fmt::format("{}: case '{}': {}",
                                                   plan.where,
                                                   plan.spec->id,
                                                   checked.error().message()));
                }
            }
        }
        return true;
    }

    // Only calls that can reach the provider can cost anything: an offline run, or trials
    // the cache already holds, are free.
    core::Result<bool> check_budget(const std::vector<std::vector<CasePlan>>& plans)
    {
        if (!m_options.max_cost) {
            return true;
        }
        double worst = 0.0;
        for (const auto& suite_plans : plans) {
            for (const CasePlan& plan : suite_plans) {
                const std::size_t calls = calls_to_pay_for(plan);
                if (calls == 0) {
                    continue;
                }
                const auto per_call = m_caller->worst_case_cost(plan.request);
                if (!per_call) {
                    return core::Error(
                        core::ErrorCode::usage,
                        fmt::format("{}: case '{}': --max-cost cannot bound the cost of model "
                                    "'{}', which has no price (give one with --prices)",
                                    plan.where,
                                    plan.spec->id,
                                    plan.request.model));
                }
                worst += *per_call * static_cast<double>(calls);
            }
        }
        if (worst > *m_options.max_cost) {
            m_budget_exceeded = true;
            m_budget_message = fmt::format(
                "the run may cost up to ${:.4f}, more than --max-cost ${:.4f}: nothing was run",
                worst,
                *m_options.max_cost);
        }
        return true;
    }

    std::size_t calls_to_pay_for(const CasePlan& plan) const
    {
        if (!plan.spec->prompt) {
            return 0;
        }
        std::size_t calls = 0;
        for (std::size_t trial = 0; trial < plan.trials; ++trial) {
            calls += m_caller->may_call_provider(plan.request, static_cast<int>(trial)) ? 1 : 0;
        }
        return calls;
    }

    // The worst the trials [first, first + count) can cost: the cached ones nothing.
    double worst_cost_of(const CasePlan& plan, std::size_t first, std::size_t count) const
    {
        const double per_call = m_caller->worst_case_cost(plan.request).value_or(0.0);
        double worst = 0.0;
        for (std::size_t i = 0; i < count; ++i) {
            if (m_caller->may_call_provider(plan.request, static_cast<int>(first + i))) {
                worst += per_call;
            }
        }
        return worst;
    }

    // A prompt trial waits on the network, not a core: without --jobs, as many run at
    // once as the model layer lets be in flight.
    unsigned concurrency(const CasePlan& plan) const
    {
        if (plan.spec->prompt) {
            const unsigned limit = std::max(1U, m_caller->concurrency_limit());
            return m_options.jobs == 0 ? limit : std::min(m_options.jobs, limit);
        }
        return std::max(1U, m_options.jobs == 0 ? core::hardware_threads() : m_options.jobs);
    }

    core::Result<CaseResult> run_case(const CasePlan& plan)
    {
        CaseTally tally(plan);
        tally.stop_early(m_options.early_stop);
        const std::size_t batch = concurrency(plan);
        std::size_t next = 0;
        bool stopped = false;
        while (next < plan.trials && !stopped) {
            if (core::interrupted()) {
                return core::Error(core::ErrorCode::interrupted, "interrupted");
            }
            const std::size_t count = affordable_trials(plan, next, batch);
            if (count == 0) {
                break;
            }
            std::vector<TrialRecord> records(count);
            core::parallel_for(count, static_cast<unsigned>(count), [&](std::size_t i) {
                const int trial = static_cast<int>(next + i);
                records[i] = plan.spec->command ? run_command_trial(plan, trial)
                                                : run_prompt_trial(plan, trial, *m_caller);
                if (!records[i].error) {
                    judge_trial(plan, records[i]);
                }
            });
            // An interrupt is what the run reports, whatever its killed trials met.
            if (core::interrupted()) {
                return core::Error(core::ErrorCode::interrupted, "interrupted");
            }
            // Trials count in index order, and a stop ignores the rest of the batch, so
            // the verdict does not depend on --jobs; their calls were still paid for.
            for (std::size_t i = 0; i < count; ++i) {
                m_spent += records[i].spent_usd;
                if (stopped) {
                    tally.add_uncounted(records[i]);
                    continue;
                }
                if (records[i].error) {
                    return *records[i].error;
                }
                stopped = tally.add(std::move(records[i]),
                                    static_cast<int>(next + i),
                                    m_options.failing_outputs_kept);
            }
            next += count;
            if (m_options.max_cost && m_spent > *m_options.max_cost) {
                m_budget_exceeded = true;
                m_budget_message = fmt::format(
                    "spent ${:.4f}, more than --max-cost ${:.4f}: the run stopped in case '{}'",
                    m_spent,
                    *m_options.max_cost,
                    plan.spec->id);
                break;
            }
        }
        return tally.finish(*plan.spec);
    }

    // Only as many trials as the budget can still pay for at their worst case; 0 ends the
    // run with the budget exceeded.
    std::size_t affordable_trials(const CasePlan& plan, std::size_t next, std::size_t batch)
    {
        std::size_t count = std::min(batch, plan.trials - next);
        if (!m_options.max_cost || !plan.spec->prompt) {
            return count;
        }
        while (count > 0 && m_spent + worst_cost_of(plan, next, count) > *m_options.max_cost) {
            --count;
        }
        if (count == 0) {
            m_budget_exceeded = true;
            m_budget_message = fmt::format(
                "spent ${:.4f}; one more call may cost ${:.4f}, over --max-cost ${:.4f}: the run "
                "stopped in case '{}'",
                m_spent,
                worst_cost_of(plan, next, 1),
                *m_options.max_cost,
                plan.spec->id);
        }
        return count;
    }

    const BehaveOptions& m_options;
    ModelCaller* m_caller;
    double m_spent = 0.0;
    bool m_budget_exceeded = false;
    std::string m_budget_message;
};

} // namespace

core::Result<BehaveReport>
run_behave(const std::vector<Suite>& suites, const BehaveOptions& options, ModelCaller* caller)
{
    try {
        return BehaveRun(options, caller).run(suites);
    } catch (const core::Error& error) {
        return error;
    }
}

core::ExitCode behave_exit_code(const BehaveReport& report)
{
    if (report.budget_exceeded) {
        return core::ExitCode::gate_failed;
    }
    for (const auto& suite : report.suites) {
        for (const auto& result : suite.cases) {
            if (!result.passed) {
                return core::ExitCode::gate_failed;
            }
        }
    }
    return core::ExitCode::success;
}

} // namespace aiops::behave
