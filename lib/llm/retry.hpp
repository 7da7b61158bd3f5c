#pragma once

#include "llm/failure.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace aiops::llm {

/// Waits for a while; tests pass one that only records the wait.
using Sleeper = std::function<void(std::chrono::milliseconds)>;

/// A Sleeper that really sleeps, and wakes early on an interrupt (core::interrupted).
Sleeper real_sleeper();

/// When and how long to wait before trying a failed call again.
struct RetryPolicy
{
    int max_attempts = 3; ///< attempts in all, the first included
    std::chrono::milliseconds base_delay{500};
    std::chrono::milliseconds max_delay{8'000};
    /// A server's retry-after is honoured up to this; a longer one falls back to backoff.
    std::chrono::milliseconds max_retry_after{60'000};

    /// Whether a failure may be retried at all: x-should-retry wins when sent; otherwise
    /// connection errors, timeouts, 408, 409, 429, 5xx and 529 are, except a 429 whose code
    /// says the quota is exhausted (insufficient_quota). Never 400, 401, 403, 404.
    static bool is_retryable(const Failure& failure);

    /// The reason a failure is retried, for the log line: "HTTP 429 rate_limit_exceeded", or
    /// the kind and the message for a failure without a status ("timeout (POST ...)").
    static std::string reason(const Failure& failure);

    /// The wait before attempt `attempt + 1` (attempt counts from 1): the server's
    /// retry-after when it sent one above zero and within max_retry_after (a date in the
    /// past counts as zero), otherwise full jitter over
    /// min(max_delay, base_delay * 2^(attempt-1)). `unit_random` is uniform in [0, 1).
    std::chrono::milliseconds delay(const Failure& failure, int attempt, double unit_random) const;
};

} // namespace aiops::llm
