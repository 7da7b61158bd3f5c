#pragma once

#include "llm/budget.hpp"
#include "llm/failure.hpp"
#include "llm/http_client.hpp"
#include "llm/model.hpp"
#include "llm/prices.hpp"
#include "llm/provider.hpp"
#include "llm/rate_limit.hpp"
#include "llm/response_cache.hpp"
#include "llm/retry.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace aiops::llm {

/// What one call did, for metrics: one record per call to complete().
struct CallRecord
{
    std::string provider;
    std::string model;             ///< the model asked for
    std::string status;            ///< "ok", "cache_hit", or the failure kind ("http_status", ...)
    double latency_seconds = 0;    ///< the whole call, retries and waits included
    bool reached_provider = false; ///< false for cache hits and calls refused before sending
    Usage usage;
    double cost_usd = 0;
};

/// Receives a record after every call; called from the calling thread.
using CallObserver = std::function<void(const CallRecord&)>;

/// Everything a ModelClient is configured with. One client serves one provider.
struct ModelClientOptions
{
    ProviderConfig provider;
    HttpOptions http;
    RetryPolicy retry;
    RateLimits limits;
    /// A limiter shared with other clients of the same provider; when null, the client
    /// makes one of its own from `limits`.
    std::shared_ptr<RateLimiter> limiter;
    /// Where replies are cached; null for none. Shared, so several clients can use one.
    std::shared_ptr<ResponseCache> cache;
    bool offline = false;           ///< serve only from the cache; a miss is an error
    std::shared_ptr<Budget> budget; ///< null for no cap (costs are still counted)
    PriceTable prices = PriceTable::builtin();
    Sleeper sleeper;                ///< default: really sleeps
    std::function<double()> random; ///< uniform in [0, 1) for jitter; default: a PRNG
    CallObserver observer;          ///< default: none
};

/// Per-call settings.
struct CallOptions
{
    int trial = 0;       ///< part of the cache key, so repeated trials are separate entries
    bool stream = false; ///< read the reply as server-sent events
    /// Bounds the whole call, its retries and their waits included: each attempt gets
    /// what is left (at most the HTTP total timeout), and a call past it fails with
    /// deadline. Unset: only the HTTP timeouts and the retry policy bound it.
    std::optional<std::chrono::milliseconds> timeout{};
};

/// A successful call.
struct Completion
{
    Reply reply;
    std::string cache_key;
    bool cache_hit = false;
    double cost_usd = 0;                      ///< what this call spent: 0 for cache hits
    bool cost_known = false;                  ///< whether the price table had the model
    int attempts = 0;                         ///< HTTP requests made (0 for a cache hit)
    std::chrono::duration<double> latency{0}; ///< this call's
    /// For a cache hit, the latency of the call that got the reply (nullopt in entries
    /// written before it was recorded); for a live call, its own latency.
    std::optional<double> recorded_latency_ms;
    /// For a cache hit, the cost of the call that got the reply (from its usage at
    /// today's prices in entries written before it was recorded); for a live call, its
    /// own cost. nullopt when the model has no price.
    std::optional<double> recorded_cost_usd;
};

/// Calls one provider's model with caching, retries, rate limits, cost and budget, from
/// any number of threads at once. The API key is read from the environment variable the
/// provider config names, when the client is made; it is sent in the auth header and
/// appears in no message, log line, cache entry or record.
class ModelClient
{
public:
    explicit ModelClient(ModelClientOptions options);
    ~ModelClient();
    ModelClient(const ModelClient&) = delete;
    ModelClient& operator=(const ModelClient&) = delete;

    /// One call. The cache is asked first; offline, a miss fails with offline_miss naming
    /// the key and the request. Otherwise the provider is called, retried per the retry
    /// policy, within the rate limits, the call's timeout and the budget. A reply that
    /// takes the spend past the budget is cached and then reported as budget_exceeded,
    /// carrying the reply and its cost.
    /// Failures are never cached; the cache keeps each reply with the call's latency and
    /// cost. A reply cut off by max_tokens is a success with finish_reason length. An
    /// interrupt stops the call at once and is never retried (interrupted).
    Outcome<Completion> complete(const Request& request, const CallOptions& call = {});

    /// Fails with configuration when the variable holding the key has a control
    /// character in it (a line break would end the header the key is sent in); the key is
    /// not shown. A key that is not set is no failure here: a run served from the cache
    /// needs none.
    Outcome<bool> check_api_key() const;

    const ModelClientOptions& options() const { return m_options; }

private:
    /// The end of a call with a timeout, and the timeout, for messages.
    struct CallLimit
    {
        std::chrono::steady_clock::time_point deadline;
        std::chrono::milliseconds timeout;
    };

    using Deadline = std::optional<CallLimit>;

    /// A hit, a cache failure that must end the call (offline), or nullopt to go on.
    std::optional<Outcome<Completion>> from_cache(const std::string& key, const Request& request);
    Outcome<Reply>
    call_with_retries(const Request& request, bool stream, const Deadline& deadline, int& attempts);
    Outcome<Reply>
    attempt(const Request& request, bool stream, std::optional<std::chrono::milliseconds> timeout);
    Outcome<Completion> call_provider(const Request& request,
                                      const CallOptions& call,
                                      const Deadline& deadline,
                                      const std::string& key);
    void store(const std::string& key, const std::string& canonical, const Completion& completion);

    ModelClientOptions m_options;
    std::unique_ptr<Provider> m_provider;
    HttpClient m_http;
    std::shared_ptr<RateLimiter> m_limiter;
    std::optional<std::string> m_api_key; ///< nullopt: the named variable is not set
};

} // namespace aiops::llm
