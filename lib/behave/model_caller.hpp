#pragma once

#include "behave/suite.hpp"
#include "core/error.hpp"

#include <optional>
#include <string>
#include <vector>

namespace aiops::behave {

/// What a prompt case asks the model for, once defaults are applied.
struct ModelRequest
{
    std::string case_id;
    std::string prompt_name; ///< registry prompt; empty for inline messages
    std::string prompt_version;
    std::vector<Message> messages; ///< inline messages, not yet rendered
    std::map<std::string, std::string> variables;
    std::string provider;
    std::string model;
    std::optional<double> temperature;
    std::optional<int> max_tokens;
    /// Bounds the whole call, retries and their waits included; unset, the model layer's
    /// own timeouts do.
    std::optional<std::chrono::milliseconds> timeout;
};

/// What one model call returned.
struct ModelReply
{
    std::string text;
    double latency_ms = 0.0; ///< this call's
    long long input_tokens = 0;
    long long output_tokens = 0;
    double cost_usd = 0.0;  ///< what this call spent: 0 for a cache hit
    bool cost_known = true; ///< false: the model has no price, and cost_usd says nothing
    bool cache_hit = false;
    /// For a cache hit, the latency and cost of the call that got the reply, recorded with
    /// it; a replay is judged by them, so it gives the verdicts the live run gave. Unset
    /// for a live call, and in entries written before they were recorded.
    std::optional<double> recorded_latency_ms;
    std::optional<double> recorded_cost_usd;
    bool truncated = false; ///< the model stopped at max_tokens (finish_reason length)
    bool filtered = false;  ///< a content filter or a refusal ended the reply
    bool timed_out = false; ///< the request's timeout passed before a reply came
};

/// The model layer as behave sees it: renders the prompt, calls the provider (or the
/// cache) and reports usage. The trial index belongs in the cache key, so a recorded run
/// replays each trial's own answer and a live run never collapses trials into one.
class ModelCaller
{
public:
    virtual ~ModelCaller() = default;

    /// Makes one call; fails with ErrorCode::internal for a provider failure after
    /// retries or an offline cache miss (exit 3).
    virtual core::Result<ModelReply> call(const ModelRequest& request, int trial) = 0;

    /// The most one call may cost, from the prompt's tokens, max_tokens and the price
    /// table; nullopt when it cannot be bounded. Checked against --max-cost before the run.
    virtual std::optional<double> worst_case_cost(const ModelRequest& request) = 0;

    /// Whether the request can be made at all: a known provider, a model, messages that
    /// render. Checked for every prompt case before the first trial of the run; fails
    /// with ErrorCode::usage or ErrorCode::input. Callers that cannot tell accept all.
    virtual core::Result<bool> check(const ModelRequest& request)
    {
        (void)request;
        return true;
    }

    /// Whether a trial's call may reach the provider, and so cost money: false when the
    /// run is offline or the cache already holds the trial's reply. Callers that cannot
    /// tell say true.
    virtual bool may_call_provider(const ModelRequest& request, int trial)
    {
        (void)request;
        (void)trial;
        return true;
    }

    /// How many calls may run at once within the provider's limits.
    virtual unsigned concurrency_limit() const = 0;
};

} // namespace aiops::behave
