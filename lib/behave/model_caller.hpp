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
    std::chrono::milliseconds timeout{60000};
};

/// What one model call returned.
struct ModelReply
{
    std::string text;
    double latency_ms = 0.0;
    long long input_tokens = 0;
    long long output_tokens = 0;
    double cost_usd = 0.0;
    bool cache_hit = false;
    bool truncated = false; ///< the model stopped at max_tokens (finish_reason length)
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

    /// How many calls may run at once within the provider's limits.
    virtual unsigned concurrency_limit() const = 0;
};

} // namespace aiops::behave
