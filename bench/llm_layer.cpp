// Times the model layer against the tests' mock model server on 127.0.0.1, which
// answers at once: calls per second through ModelClient with the cache off (one thread,
// then several), and the time of a hit from the directory cache and from Redis (a
// redis-server started on a free loopback port). Usage: aiops_llm_layer [CALLS]
#include "llm/mock_server.hpp"
#include "llm/model_client.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

namespace {

using namespace aiops;
using Clock = std::chrono::steady_clock;

llm::ModelClientOptions options_for(const test::MockModelServer& server)
{
    llm::ModelClientOptions options;
    options.provider.base_url = server.url() + "/v1";
    options.provider.api_key_env = "";
    options.limits.max_concurrent = 0;
    return options;
}

llm::Request request_number(int i)
{
    llm::Request request;
    request.model = "gpt-4o-mini";
    request.temperature = 0;
    request.messages = {{llm::Role::system, "You write Python."},
                        {llm::Role::user, fmt::format("Write function number {}.", i)}};
    return request;
}

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Calls per second over `calls` live calls on `threads` threads.
double live_rate(const test::MockModelServer& server, int calls, int threads)
{
    llm::ModelClient client(options_for(server));
    std::vector<std::thread> workers;
    const auto start = Clock::now();
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            for (int i = t; i < calls; i += threads) {
                if (!client.complete(request_number(i)).ok()) {
                    std::fputs("aiops_llm_layer: a live call failed\n", stderr);
                    std::exit(3);
                }
            }
        });
    }
    for (auto& worker : workers) {
        worker.join();
    }
    return calls / seconds_since(start);
}

// Microseconds per complete() that the cache answers, after one call has filled it.
double hit_micros(const test::MockModelServer& server,
                  std::shared_ptr<llm::ResponseCache> cache,
                  int calls)
{
    auto options = options_for(server);
    options.cache = std::move(cache);
    llm::ModelClient client(options);
    const auto request = request_number(-1);
    if (!client.complete(request).ok()) {
        std::fputs("aiops_llm_layer: the call that fills the cache failed\n", stderr);
        std::exit(3);
    }
    const auto start = Clock::now();
    for (int i = 0; i < calls; ++i) {
        auto hit = client.complete(request);
        if (!hit.ok() || !hit->cache_hit) {
            std::fputs("aiops_llm_layer: expected a cache hit\n", stderr);
            std::exit(3);
        }
    }
    return seconds_since(start) * 1e6 / calls;
}

} // namespace

int main(int argc, char** argv)
{
    const int calls = argc > 1 ? std::atoi(argv[1]) : 2000;
    test::MockModelServer server;
    server.script({test::openai_reply("def f():\n    return 1\n")});

    fmt::print("live calls, cache off, 1 thread:  {:8.0f} calls/s\n", live_rate(server, calls, 1));
    fmt::print("live calls, cache off, 4 threads: {:8.0f} calls/s\n", live_rate(server, calls, 4));

    // The cache and the server log go to a scratch folder, removed at the end.
    const auto original = std::filesystem::current_path();
    const std::filesystem::path folder =
        std::filesystem::temp_directory_path() / fmt::format("aiops-llm-bench-{}", ::getpid());
    std::filesystem::create_directories(folder);
    std::filesystem::current_path(folder);
    const auto finish = [&](int status) {
        std::filesystem::current_path(original);
        std::filesystem::remove_all(folder);
        return status;
    };
    auto directory = std::make_shared<llm::DirectoryCache>("cache");
    fmt::print("directory cache hit:              {:8.1f} us/call\n",
               hit_micros(server, directory, calls));

    try {
        const auto redis = test::start_redis();
        auto cache = llm::open_cache(fmt::format("redis://127.0.0.1:{}/0", redis->port())).value();
        fmt::print(
            "redis cache hit:                  {:8.1f} us/call\n",
            hit_micros(server, std::shared_ptr<llm::ResponseCache>(std::move(cache)), calls));
    } catch (const std::exception& error) {
        std::fprintf(stderr, "aiops_llm_layer: %s\n", error.what());
        return finish(3);
    }
    return finish(0);
}
