#include "llm/rate_limit.hpp"

#include <algorithm>

namespace aiops::llm {

RateLimiter::RateLimiter(RateLimits limits, Clock clock, Sleeper sleeper)
    : m_limits(limits),
      m_clock(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })),
      m_sleeper(sleeper ? std::move(sleeper) : real_sleeper()),
      m_tokens(limits.requests_per_minute), m_refilled(m_clock())
{}

RateLimiter::Permit::~Permit()
{
    if (m_owner != nullptr) {
        m_owner->release();
    }
}

RateLimiter::Permit RateLimiter::acquire()
{
    // The rate token comes first, so a call waiting for its turn holds no slot.
    take_rate_token();
    if (m_limits.max_concurrent > 0) {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_slot_free.wait(lock, [&] { return m_in_flight < m_limits.max_concurrent; });
        ++m_in_flight;
    } else {
        const std::lock_guard<std::mutex> lock(m_mutex);
        ++m_in_flight;
    }
    return Permit(this);
}

int RateLimiter::in_flight() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_in_flight;
}

void RateLimiter::release()
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        --m_in_flight;
    }
    m_slot_free.notify_one();
}

void RateLimiter::take_rate_token()
{
    if (m_limits.requests_per_minute <= 0) {
        return;
    }
    const double per_ms = m_limits.requests_per_minute / 60'000.0;
    while (true) {
        std::chrono::milliseconds wait{0};
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            const auto now = m_clock();
            const double elapsed_ms =
                std::chrono::duration<double, std::milli>(now - m_refilled).count();
            m_tokens = std::min<double>(m_limits.requests_per_minute,
                                        m_tokens + std::max(0.0, elapsed_ms) * per_ms);
            m_refilled = now;
            if (m_tokens >= 1.0) {
                m_tokens -= 1.0;
                return;
            }
            wait =
                std::chrono::milliseconds(static_cast<std::int64_t>((1.0 - m_tokens) / per_ms) + 1);
        }
        m_sleeper(wait);
    }
}

} // namespace aiops::llm
