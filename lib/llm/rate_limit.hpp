#pragma once

#include "llm/retry.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace aiops::llm {

/// The limits of one provider, shared by every thread that calls it.
struct RateLimits
{
    int max_concurrent = 8;      ///< calls in flight at once; 0 for no cap
    int requests_per_minute = 0; ///< 0 for no limit
};

/// Holds back calls past a concurrency cap and a requests-per-minute rate. The rate is a
/// token bucket of requests_per_minute tokens refilled evenly over a minute, so a burst
/// of a full minute's requests may start at once and the rest follow at the steady rate.
class RateLimiter
{
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    /// The clock and sleeper default to real ones; tests pass fakes.
    explicit RateLimiter(RateLimits limits, Clock clock = {}, Sleeper sleeper = {});

    /// A permit to make one call; the concurrency slot is given back when it is destroyed.
    class Permit
    {
    public:
        explicit Permit(RateLimiter* owner) : m_owner(owner) {}

        ~Permit();

        Permit(Permit&& other) noexcept : m_owner(other.m_owner) { other.m_owner = nullptr; }

        Permit(const Permit&) = delete;
        Permit& operator=(const Permit&) = delete;
        Permit& operator=(Permit&&) = delete;

    private:
        RateLimiter* m_owner;
    };

    /// Waits until a call may start.
    Permit acquire();

    /// Calls in flight now.
    int in_flight() const;

private:
    void release();
    void take_rate_token();

    RateLimits m_limits;
    Clock m_clock;
    Sleeper m_sleeper;
    mutable std::mutex m_mutex;
    std::condition_variable m_slot_free;
    int m_in_flight = 0;
    double m_tokens = 0;
    std::chrono::steady_clock::time_point m_refilled;
};

} // namespace aiops::llm
