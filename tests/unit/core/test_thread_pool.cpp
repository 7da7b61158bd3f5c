#include "core/thread_pool.hpp"
#include "printers.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace core = aiops::core;

namespace {

// How often parallel_for called its body with each index.
std::vector<int> calls_per_index(std::size_t count, unsigned jobs)
{
    std::vector<std::atomic<int>> calls(count);
    core::parallel_for(count, jobs, [&](std::size_t i) { ++calls[i]; });
    std::vector<int> plain;
    for (const auto& value : calls) {
        plain.push_back(value.load());
    }
    return plain;
}

} // namespace

TEST_SUITE("core")
{
    TEST_CASE("core::parallel_for")
    {
        SUBCASE("every index runs exactly once on one thread")
        {
            CHECK(calls_per_index(1000, 1) == std::vector<int>(1000, 1));
        }

        SUBCASE("every index runs exactly once on four threads")
        {
            CHECK(calls_per_index(1000, 4) == std::vector<int>(1000, 1));
        }

        SUBCASE("more jobs than indexes")
        {
            CHECK(calls_per_index(3, 8) == std::vector<int>(3, 1));
        }

        SUBCASE("zero jobs means one")
        {
            CHECK(calls_per_index(5, 0) == std::vector<int>(5, 1));
        }

        SUBCASE("one job hands out the indexes in order")
        {
            std::vector<std::size_t> seen;
            core::parallel_for(5, 1, [&](std::size_t i) { seen.push_back(i); });
            CHECK(seen == std::vector<std::size_t>{0, 1, 2, 3, 4});
        }

        SUBCASE("no indexes, no calls")
        {
            int calls = 0;
            core::parallel_for(0, 4, [&](std::size_t) { ++calls; });
            CHECK(calls == 0);
        }

        SUBCASE("an exception thrown by a call is rethrown")
        {
            const auto throw_at_seven = [](std::size_t i) {
                if (i == 7) {
                    throw std::runtime_error("index 7 failed");
                }
            };
            CHECK_THROWS_WITH_AS(
                core::parallel_for(20, 1, throw_at_seven), "index 7 failed", std::runtime_error);
            CHECK_THROWS_WITH_AS(
                core::parallel_for(20, 4, throw_at_seven), "index 7 failed", std::runtime_error);
        }
    }

    TEST_CASE("core::ThreadPool")
    {
        SUBCASE("there is always at least one worker")
        {
            CHECK(core::ThreadPool(0).size() == 1);
            CHECK(core::ThreadPool(3).size() == 3);
        }

        SUBCASE("wait returns once every task has run")
        {
            core::ThreadPool pool(3);
            std::atomic<int> done{0};
            for (int i = 0; i < 200; ++i) {
                pool.submit([&] { ++done; });
            }
            pool.wait();
            CHECK(done.load() == 200);
        }

        SUBCASE("wait rethrows a task's exception once, and the pool keeps working")
        {
            core::ThreadPool pool(2);
            std::atomic<int> done{0};
            pool.submit([] { throw std::logic_error("task failed"); });
            for (int i = 0; i < 10; ++i) {
                pool.submit([&] { ++done; });
            }
            CHECK_THROWS_WITH_AS(pool.wait(), "task failed", std::logic_error);
            CHECK(done.load() == 10);

            pool.submit([&] { ++done; });
            CHECK_NOTHROW(pool.wait());
            CHECK(done.load() == 11);
        }

        SUBCASE("wait with nothing queued returns at once")
        {
            core::ThreadPool pool(2);
            CHECK_NOTHROW(pool.wait());
        }
    }

    TEST_CASE("core::hardware_threads")
    {
        CHECK(core::hardware_threads() >= 1);
    }
}
