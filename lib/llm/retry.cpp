#include "llm/retry.hpp"

#include "core/interrupt.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <thread>

namespace aiops::llm {

Sleeper real_sleeper()
{
    // In slices, so an interrupt does not wait out a long retry-after.
    return [](std::chrono::milliseconds wait) {
        const auto until = std::chrono::steady_clock::now() + wait;
        while (!core::interrupted()) {
            const auto left = until - std::chrono::steady_clock::now();
            if (left <= std::chrono::steady_clock::duration::zero()) {
                return;
            }
            std::this_thread::sleep_for(
                std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(50)));
        }
    };
}

bool RetryPolicy::is_retryable(const Failure& failure)
{
    switch (failure.kind) {
    case FailureKind::connection:
    case FailureKind::timeout:
        return failure.should_retry.value_or(true);
    case FailureKind::http_status:
    case FailureKind::provider_error:
        break;
    default:
        return false;
    }
    if (failure.should_retry) {
        return *failure.should_retry;
    }
    const int status = failure.http_status;
    if (status == 429) {
        return failure.provider_code != "insufficient_quota";
    }
    return status == 408 || status == 409 || status >= 500;
}

std::string RetryPolicy::reason(const Failure& failure)
{
    if (failure.http_status >= 400) {
        return failure.provider_code.empty()
                   ? fmt::format("HTTP {}", failure.http_status)
                   : fmt::format("HTTP {} {}", failure.http_status, failure.provider_code);
    }
    return fmt::format("{} ({})", to_string(failure.kind), failure.message);
}

std::chrono::milliseconds
RetryPolicy::delay(const Failure& failure, int attempt, double unit_random) const
{
    if (failure.retry_after && failure.retry_after->count() > 0
        && *failure.retry_after <= max_retry_after) {
        return *failure.retry_after;
    }
    const double exponent = std::min(std::max(attempt - 1, 0), 30);
    const double ceiling =
        std::min(static_cast<double>(max_delay.count()),
                 static_cast<double>(base_delay.count()) * std::pow(2.0, exponent));
    return std::chrono::milliseconds(static_cast<std::int64_t>(ceiling * unit_random));
}

} // namespace aiops::llm
