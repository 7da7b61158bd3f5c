#include "llm/rate_limit.hpp"
#include "llm/retry.hpp"
#include "printers.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace llm = aiops::llm;
using std::chrono::milliseconds;

TEST_SUITE("llm")
{
    TEST_CASE("llm::RetryPolicy::delay")
    {
        llm::RetryPolicy policy;
        policy.base_delay = milliseconds(500);
        policy.max_delay = milliseconds(3'000);
        llm::Failure failure = llm::make_failure(llm::FailureKind::http_status, "x");
        failure.http_status = 503;

        SUBCASE("full jitter over a doubling ceiling with a cap")
        {
            CHECK(policy.delay(failure, 1, 0.999).count() == 499);
            CHECK(policy.delay(failure, 2, 0.5) == milliseconds(500));
            CHECK(policy.delay(failure, 3, 0.5) == milliseconds(1'000));
            CHECK(policy.delay(failure, 4, 0.5) == milliseconds(1'500));
            CHECK(policy.delay(failure, 40, 0.5) == milliseconds(1'500));
            CHECK(policy.delay(failure, 3, 0.0) == milliseconds(0));
        }

        SUBCASE("the server's wait wins within the limit")
        {
            failure.retry_after = milliseconds(7'000);
            CHECK(policy.delay(failure, 1, 0.5) == milliseconds(7'000));
            failure.retry_after = milliseconds(61'000);
            CHECK(policy.delay(failure, 1, 0.5) == milliseconds(250));
            failure.retry_after = milliseconds(0);
            CHECK(policy.delay(failure, 2, 0.5) == milliseconds(500));
        }
    }

    TEST_CASE("llm::RetryPolicy::is_retryable")
    {
        const auto status = [](int code, std::string provider_code = "") {
            llm::Failure failure = llm::make_failure(llm::FailureKind::http_status, "x");
            failure.http_status = code;
            failure.provider_code = std::move(provider_code);
            return llm::RetryPolicy::is_retryable(failure);
        };
        for (const int code : {408, 409, 429, 500, 502, 503, 504, 529}) {
            CHECK_MESSAGE(status(code), code);
        }
        for (const int code : {400, 401, 403, 404, 413, 422}) {
            CHECK_FALSE_MESSAGE(status(code), code);
        }
        CHECK_FALSE(status(429, "insufficient_quota"));
        CHECK(llm::RetryPolicy::is_retryable(llm::make_failure(llm::FailureKind::connection, "x")));
        CHECK_FALSE(llm::RetryPolicy::is_retryable(
            llm::make_failure(llm::FailureKind::malformed_reply, "x")));
        CHECK_FALSE(
            llm::RetryPolicy::is_retryable(llm::make_failure(llm::FailureKind::offline_miss, "x")));
    }

    TEST_CASE("llm::RateLimiter")
    {
        SUBCASE("requests per minute: a burst, then the steady rate")
        {
            auto now = std::chrono::steady_clock::time_point();
            std::vector<milliseconds> waits;
            llm::RateLimiter limiter(
                {0, 60},
                [&] { return now; },
                [&](milliseconds wait) {
                    waits.push_back(wait);
                    now += wait;
                });
            for (int i = 0; i < 60; ++i) {
                auto permit = limiter.acquire();
            }
            CHECK(waits.empty());
            const auto before = now;
            for (int i = 0; i < 3; ++i) {
                auto permit = limiter.acquire();
            }
            // One request a second once the burst is spent.
            CHECK(now - before >= milliseconds(3'000));
            CHECK(now - before <= milliseconds(3'010));
        }

        SUBCASE("the concurrency cap holds across threads")
        {
            llm::RateLimiter limiter({2, 0});
            std::atomic<int> inside{0};
            std::atomic<int> most{0};
            std::vector<std::thread> threads;
            for (int t = 0; t < 6; ++t) {
                threads.emplace_back([&] {
                    for (int i = 0; i < 5; ++i) {
                        auto permit = limiter.acquire();
                        const int now_inside = ++inside;
                        int seen = most.load();
                        while (now_inside > seen && !most.compare_exchange_weak(seen, now_inside)) {
                        }
                        std::this_thread::sleep_for(milliseconds(2));
                        --inside;
                    }
                });
            }
            for (auto& thread : threads) {
                thread.join();
            }
            CHECK(most.load() == 2);
            CHECK(limiter.in_flight() == 0);
        }
    }
}
