#include "llm/client_setup.hpp"
#include "llm/model_client.hpp"
#include "llm/response_cache.hpp"
#include "llm_test_support.hpp"
#include "printers.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

namespace llm = aiops::llm;
namespace test = aiops::test;
namespace fs = std::filesystem;

namespace {

llm::ProviderConfig openai_at(const std::string& url)
{
    llm::ProviderConfig config;
    config.kind = llm::ProviderKind::openai;
    config.base_url = url;
    return config;
}

llm::Reply sample_reply(const std::string& text)
{
    llm::Reply reply;
    reply.text = text;
    reply.finish_reason = llm::FinishReason::stop;
    reply.raw_finish_reason = "stop";
    reply.usage = {12, 4, 2};
    reply.request_id = "req-1";
    reply.model = "gpt-4o-mini-2024-07-18";
    return reply;
}

std::unique_ptr<llm::ResponseCache> open_or_fail(const std::string& spec,
                                                 const llm::CacheOptions& options = {})
{
    auto cache = llm::open_cache(spec, options);
    REQUIRE_MESSAGE(cache.ok(), spec);
    return std::move(cache).value();
}

} // namespace

TEST_SUITE("llm")
{
    TEST_CASE("llm::canonical_request")
    {
        const auto provider = openai_at("http://127.0.0.1:9/v1");
        auto request = test::simple_request("gpt-4o-mini");

        SUBCASE("keys are sorted, whole numbers are integers, unset parameters are left out")
        {
            request.temperature = 1.0;
            request.top_p = 0.9;
            CHECK(
                llm::canonical_request(provider, request, 2)
                == R"({"base_url":"http://127.0.0.1:9/v1","messages":[{"content":"You are terse.","role":"system"},)"
                   R"({"content":"Say hi.","role":"user"}],"model":"gpt-4o-mini","provider":"openai",)"
                   R"("temperature":1,"top_p":0.9,"trial":2})");
        }

        SUBCASE("a user and password in the base URL are not written into the entry")
        {
            const std::string text = llm::canonical_request(
                openai_at("http://user:sk-FAKE-secret@127.0.0.1:9/v1"), request, 0);
            CHECK(text.starts_with(R"({"base_url":"http://***@127.0.0.1:9/v1",)"));
            CHECK(text.find("sk-FAKE-secret") == std::string::npos);
        }

        SUBCASE("the same request built differently gives the same key")
        {
            llm::Request other;
            other.top_p = 0.5;
            other.messages.push_back({llm::Role::system, "You are terse."});
            other.model = "gpt-4o-mini";
            other.temperature = 0.7;
            other.messages.push_back({llm::Role::user, "Say hi."});
            request.temperature = 0.70;
            request.top_p = 0.50;
            CHECK(llm::cache_key(provider, request, 0) == llm::cache_key(provider, other, 0));
            request.temperature = 2;
            other.temperature = 2.0;
            CHECK(llm::cache_key(provider, request, 0) == llm::cache_key(provider, other, 0));
        }

        SUBCASE("every field and the trial change the key")
        {
            const std::string base = llm::cache_key(provider, request, 0);
            CHECK(base.size() == 64);
            CHECK(llm::cache_key(provider, request, 1) != base);
            CHECK(llm::cache_key(openai_at("http://127.0.0.1:8/v1"), request, 0) != base);
            auto anthropic = provider;
            anthropic.kind = llm::ProviderKind::anthropic;
            CHECK(llm::cache_key(anthropic, request, 0) != base);
            const auto changed = [&](auto edit) {
                auto copy = request;
                edit(copy);
                return llm::cache_key(provider, copy, 0) != base;
            };
            CHECK(changed([](llm::Request& r) { r.model = "gpt-4o"; }));
            CHECK(changed([](llm::Request& r) { r.messages[1].content = "Say hello."; }));
            CHECK(changed([](llm::Request& r) { r.messages[1].role = llm::Role::assistant; }));
            CHECK(changed([](llm::Request& r) { r.temperature = 0.0; }));
            CHECK(changed([](llm::Request& r) { r.top_p = 1.0; }));
            CHECK(changed([](llm::Request& r) { r.max_tokens = 10; }));
            CHECK(changed([](llm::Request& r) { r.stop = {"x"}; }));
            CHECK(changed([](llm::Request& r) { r.seed = 1; }));
            CHECK(changed([](llm::Request& r) { r.json_mode = true; }));
        }
    }

    TEST_CASE("llm::open_cache")
    {
        CHECK(open_or_fail("off")->describe() == "off");
        CHECK(open_or_fail("dir:")->describe() == "dir:.aiops/cache");
        CHECK(open_or_fail("dir:some/where")->describe() == "dir:some/where");
        CHECK(open_or_fail("redis://127.0.0.1:6390/3")->describe() == "redis://127.0.0.1:6390/3");
        CHECK(open_or_fail("redis://127.0.0.1")->describe() == "redis://127.0.0.1:6379/0");
        for (const std::string bad : {"disk:x",
                                      "redis://",
                                      "redis://h:0/1",
                                      "redis://h:99999",
                                      "redis://h:1/x",
                                      "redis://:pw@h:1"}) {
            auto cache = llm::open_cache(bad);
            REQUIRE_FALSE(cache.ok());
            CHECK(cache.failure().kind == llm::FailureKind::configuration);
        }
        SUBCASE("a password in a redis URL is not shown")
        {
            auto cache = llm::open_cache("redis://:sk-FAKE-redispass@127.0.0.1:1/0");
            REQUIRE_FALSE(cache.ok());
            CHECK(cache.failure().message
                  == "bad cache spec 'redis://***@127.0.0.1:1/0': passwords in the URL are not "
                     "supported (expected redis://HOST:PORT/DB)");
            llm::ConnectionSettings settings;
            settings.cache = "redis://:sk-FAKE-redispass@127.0.0.1:1/0";
            auto opened = llm::open_settings_cache(settings);
            REQUIRE_FALSE(opened.ok());
            CHECK(opened.error().message().find("sk-FAKE") == std::string::npos);
            CHECK(opened.error().message().starts_with("--cache 'redis://***@127.0.0.1:1/0': "));
        }
    }

    TEST_CASE("llm::DirectoryCache")
    {
        llm::DirectoryCache cache("cache");
        const std::string key(64, 'a');

        SUBCASE("a miss, then the stored reply as it was")
        {
            auto missing = cache.get(key);
            REQUIRE(missing.ok());
            CHECK_FALSE(missing->has_value());
            REQUIRE(cache.put(key, R"({"model":"m"})", sample_reply("hi")).ok());
            auto found = cache.get(key);
            REQUIRE(found.ok());
            REQUIRE(found->has_value());
            CHECK((*found)->reply.text == "hi");
            CHECK((*found)->reply.usage.input_tokens == 12);
            CHECK((*found)->reply.usage.cached_input_tokens == 2);
            CHECK((*found)->reply.model == "gpt-4o-mini-2024-07-18");
            const std::string file = test::read_tree("cache");
            CHECK(file.find("\n  \"key\": \"" + key + "\"") != std::string::npos);
            CHECK(std::distance(fs::directory_iterator("cache"), fs::directory_iterator()) == 1);
        }

        SUBCASE("tool calls and cache writes come back as they were stored")
        {
            llm::Reply reply = sample_reply("");
            reply.finish_reason = llm::FinishReason::tool_calls;
            reply.raw_finish_reason = "tool_use";
            reply.tool_calls = {{"toolu_01", "get_weather", R"({"city":"Oslo"})"},
                                {"toolu_02", "get_time", "{}"}};
            reply.usage.cache_write_input_tokens = 5;
            reply.usage.cache_write_1h_input_tokens = 3;
            REQUIRE(cache.put(key, R"({"model":"m"})", reply).ok());
            auto found = cache.get(key);
            REQUIRE(found.ok());
            REQUIRE(found->has_value());
            const llm::Reply& back = (*found)->reply;
            CHECK(back.finish_reason == llm::FinishReason::tool_calls);
            CHECK(back.raw_finish_reason == "tool_use");
            REQUIRE(back.tool_calls.size() == 2);
            CHECK(back.tool_calls[0].id == "toolu_01");
            CHECK(back.tool_calls[0].name == "get_weather");
            CHECK(back.tool_calls[0].arguments == R"({"city":"Oslo"})");
            CHECK(back.tool_calls[1].id == "toolu_02");
            CHECK(back.tool_calls[1].name == "get_time");
            CHECK(back.tool_calls[1].arguments == "{}");
            CHECK(back.usage.cache_write_input_tokens == 5);
            CHECK(back.usage.cache_write_1h_input_tokens == 3);
        }

        SUBCASE("a reply without tool calls or cache writes is stored without those fields")
        {
            REQUIRE(cache.put(key, R"({"model":"m"})", sample_reply("hi")).ok());
            const std::string file = test::read_tree("cache");
            CHECK(file.find("tool_calls") == std::string::npos);
            CHECK(file.find("cache_write") == std::string::npos);
        }

        SUBCASE("a file that is no entry is a cache failure")
        {
            test::write_file(cache.path_of(key), "not json");
            auto found = cache.get(key);
            REQUIRE_FALSE(found.ok());
            CHECK(found.failure().kind == llm::FailureKind::cache);
        }

        SUBCASE("processes and threads writing one key never expose a partial file")
        {
            // Subcases share the test's folder: start without the entries of the others
            // (one of them is corrupt on purpose).
            fs::remove_all("cache");
            std::vector<pid_t> children;
            for (int child = 0; child < 3; ++child) {
                const pid_t pid = ::fork();
                if (pid == 0) {
                    llm::DirectoryCache own("cache");
                    for (int i = 0; i < 40; ++i) {
                        (void)own.put(key, "{}", sample_reply(std::string(2'000, 'a' + child)));
                    }
                    ::_exit(0);
                }
                children.push_back(pid);
            }
            std::atomic<int> failures{0};
            std::mutex reason_mutex;
            std::string reason;
            std::vector<std::thread> readers;
            for (int t = 0; t < 3; ++t) {
                readers.emplace_back([&] {
                    for (int i = 0; i < 60; ++i) {
                        auto found = cache.get(key);
                        if (!found.ok()
                            || (found->has_value() && (*found)->reply.text.size() != 2'000)) {
                            ++failures;
                            const std::lock_guard<std::mutex> lock(reason_mutex);
                            reason = found.ok() ? fmt::format("a reply of {} bytes",
                                                              (*found)->reply.text.size())
                                                : found.failure().message;
                        }
                        (void)cache.put(key, "{}", sample_reply(std::string(2'000, 'z')));
                    }
                });
            }
            for (auto& reader : readers) {
                reader.join();
            }
            for (const pid_t pid : children) {
                int status = 0;
                ::waitpid(pid, &status, 0);
                CHECK(WIFEXITED(status));
            }
            CAPTURE(reason);
            CHECK(failures == 0);
            CHECK(std::distance(fs::directory_iterator("cache"), fs::directory_iterator()) == 1);
        }
    }

    TEST_CASE("llm::ModelClient with a cache")
    {
        // Subcases share the test case's scratch folder; each starts with no cache.
        fs::remove_all(".aiops");
        test::MockModelServer server;
        test::RecordedSleeps sleeps;
        auto options = test::mock_options(server, llm::ProviderKind::openai, sleeps);
        options.retry.max_attempts = 1;
        options.cache = std::shared_ptr<llm::ResponseCache>(open_or_fail("dir:.aiops/cache"));
        const auto request = test::simple_request("gpt-4o-mini");

        SUBCASE("the second call is a hit and reaches no server")
        {
            server.script({test::openai_reply("cached text")});
            llm::ModelClient client(options);
            auto first = client.complete(request);
            REQUIRE(first.ok());
            CHECK_FALSE(first->cache_hit);
            auto second = client.complete(request);
            REQUIRE(second.ok());
            CHECK(second->cache_hit);
            CHECK(second->reply.text == "cached text");
            CHECK(second->cost_usd == 0);
            CHECK(second->cache_key == first->cache_key);
            CHECK(server.requests().size() == 1);
        }

        SUBCASE("an entry keeps the call's latency and cost, and a hit gives them back")
        {
            // 10 prompt and 5 completion tokens of gpt-4o-mini at $0.15 and $0.60 a million.
            const double cost = 10 * 0.15 / 1e6 + 5 * 0.60 / 1e6;
            auto slow = test::openai_reply("cached text");
            slow.delay = std::chrono::milliseconds(150);
            server.script({slow});
            llm::ModelClient client(options);
            auto first = client.complete(request);
            REQUIRE(first.ok());
            CHECK(first->recorded_cost_usd == doctest::Approx(cost));
            REQUIRE(first->recorded_latency_ms.has_value());
            CHECK(*first->recorded_latency_ms >= 150.0);
            const auto entry = llm::cache_entry_from_json(test::read_tree(".aiops/cache"));
            REQUIRE(entry.has_value());
            CHECK(entry->latency_ms == first->recorded_latency_ms);
            CHECK(entry->cost_usd == doctest::Approx(cost));
            auto second = client.complete(request);
            REQUIRE(second.ok());
            CHECK(second->cache_hit);
            CHECK(second->cost_usd == 0);
            CHECK(second->recorded_cost_usd == doctest::Approx(cost));
            CHECK(second->recorded_latency_ms == first->recorded_latency_ms);
        }

        SUBCASE("an entry written before latency and cost were kept prices its usage")
        {
            const std::string key = llm::cache_key(options.provider, request, 0);
            llm::DirectoryCache cache(".aiops/cache");
            REQUIRE(cache.put(key, "{}", sample_reply("old")).ok());
            CHECK(test::read_tree(".aiops/cache").find("recorded") == std::string::npos);
            llm::ModelClient client(options);
            auto hit = client.complete(request);
            REQUIRE(hit.ok());
            CHECK(hit->cache_hit);
            CHECK_FALSE(hit->recorded_latency_ms.has_value());
            // 12 input tokens, 2 of them cached, and 4 output tokens.
            CHECK(hit->recorded_cost_usd
                  == doctest::Approx(10 * 0.15 / 1e6 + 2 * 0.075 / 1e6 + 4 * 0.60 / 1e6));
            CHECK(server.requests().empty());
        }

        SUBCASE("trials are separate entries")
        {
            server.script({test::openai_reply("one"), test::openai_reply("two")});
            llm::ModelClient client(options);
            llm::CallOptions trial;
            REQUIRE(client.complete(request, trial).ok());
            trial.trial = 1;
            auto second = client.complete(request, trial);
            REQUIRE(second.ok());
            CHECK(second->reply.text == "two");
            CHECK(server.requests().size() == 2);
        }

        SUBCASE("errors are never cached")
        {
            server.script({test::error_reply(400, R"({"error":{"message":"bad"}})"),
                           test::openai_reply("fine")});
            llm::ModelClient client(options);
            REQUIRE_FALSE(client.complete(request).ok());
            CHECK_FALSE(fs::exists(".aiops/cache"));
            auto second = client.complete(request);
            REQUIRE(second.ok());
            CHECK(second->reply.text == "fine");
            CHECK(server.requests().size() == 2);
        }

        SUBCASE("offline serves hits and names the key of a miss")
        {
            server.script({test::openai_reply("recorded")});
            {
                llm::ModelClient recorder(options);
                REQUIRE(recorder.complete(request).ok());
            }
            options.offline = true;
            llm::ModelClient offline(options);
            auto hit = offline.complete(request);
            REQUIRE(hit.ok());
            CHECK(hit->reply.text == "recorded");

            auto other = test::simple_request("gpt-4o-mini", "Something never recorded");
            auto miss = offline.complete(other);
            REQUIRE_FALSE(miss.ok());
            CHECK(miss.failure().kind == llm::FailureKind::offline_miss);
            const std::string key = llm::cache_key(options.provider, other, 0);
            CHECK(miss.failure().message.find(key) != std::string::npos);
            CHECK(miss.failure().message.find("openai:gpt-4o-mini, 2 message(s), trial 0, last "
                                              "message 'Something never recorded'")
                  != std::string::npos);
            CHECK(miss.failure().to_error().code() == aiops::core::ErrorCode::internal);
            CHECK(aiops::core::exit_code_for(miss.failure().to_error().code())
                  == aiops::core::ExitCode::failure);
            CHECK(server.requests().size() == 1);
        }

        SUBCASE("offline with no cache at all misses")
        {
            options.cache = nullptr;
            options.offline = true;
            llm::ModelClient offline(options);
            auto miss = offline.complete(request);
            REQUIRE_FALSE(miss.ok());
            CHECK(miss.failure().kind == llm::FailureKind::offline_miss);
            CHECK(server.requests().empty());
        }
    }

    TEST_CASE("llm::RedisCache")
    {
        const auto redis = test::start_redis();
        const std::string spec = "redis://127.0.0.1:" + std::to_string(redis->port()) + "/1";
        const std::string key(64, 'b');

        SUBCASE("a miss, a hit, and expiry after the TTL")
        {
            llm::CacheOptions options;
            options.redis_ttl = std::chrono::milliseconds(150);
            auto cache = open_or_fail(spec, options);
            auto missing = cache->get(key);
            REQUIRE(missing.ok());
            CHECK_FALSE(missing->has_value());
            REQUIRE(cache->put(key, "{}", sample_reply("from redis")).ok());
            auto found = cache->get(key);
            REQUIRE(found.ok());
            REQUIRE(found->has_value());
            CHECK((*found)->reply.text == "from redis");
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            auto expired = cache->get(key);
            REQUIRE(expired.ok());
            CHECK_FALSE(expired->has_value());
        }

        SUBCASE("the database number separates entries")
        {
            auto one = open_or_fail(spec);
            auto two = open_or_fail("redis://127.0.0.1:" + std::to_string(redis->port()) + "/2");
            REQUIRE(one->put(key, "{}", sample_reply("db1")).ok());
            auto other = two->get(key);
            REQUIRE(other.ok());
            CHECK_FALSE(other->has_value());
        }

        SUBCASE("many threads at once")
        {
            auto cache = open_or_fail(spec);
            std::atomic<int> failures{0};
            std::vector<std::thread> threads;
            for (int t = 0; t < 8; ++t) {
                threads.emplace_back([&, t] {
                    for (int i = 0; i < 40; ++i) {
                        const std::string own =
                            std::string(60, 'c') + std::to_string(1000 + t * 40 + i);
                        if (!cache->put(own, "{}", sample_reply(own)).ok()) {
                            ++failures;
                        }
                        auto found = cache->get(own);
                        if (!found.ok() || !found->has_value() || (*found)->reply.text != own) {
                            ++failures;
                        }
                    }
                });
            }
            for (auto& thread : threads) {
                thread.join();
            }
            CHECK(failures == 0);
        }

        SUBCASE("two clients share replies through it")
        {
            test::MockModelServer server;
            test::RecordedSleeps sleeps;
            auto options = test::mock_options(server, llm::ProviderKind::openai, sleeps);
            server.script({test::openai_reply("shared")});
            options.cache = std::shared_ptr<llm::ResponseCache>(open_or_fail(spec));
            llm::ModelClient first(options);
            REQUIRE(first.complete(test::simple_request("gpt-4o-mini")).ok());
            options.cache = std::shared_ptr<llm::ResponseCache>(open_or_fail(spec));
            llm::ModelClient second(options);
            auto hit = second.complete(test::simple_request("gpt-4o-mini"));
            REQUIRE(hit.ok());
            CHECK(hit->cache_hit);
            CHECK(server.requests().size() == 1);
        }
    }

    TEST_CASE("test::ServerProcess names the package of a missing server")
    {
        CHECK_THROWS_WITH_AS(
            test::ServerProcess("aiops-no-such-server", "aiops-no-such-package", {}, 1),
            "'aiops-no-such-server' not found: install the Debian package 'aiops-no-such-package' "
            "(scripts/install-deps does)",
            std::runtime_error);
    }

    TEST_CASE("llm::RedisCache unreachable")
    {
        const int closed = test::free_loopback_port();
        llm::CacheOptions options;
        options.redis_timeout = std::chrono::milliseconds(300);
        auto cache = open_or_fail("redis://127.0.0.1:" + std::to_string(closed) + "/0", options);
        auto found = cache->get(std::string(64, 'd'));
        REQUIRE_FALSE(found.ok());
        CHECK(found.failure().kind == llm::FailureKind::cache);
        CHECK(found.failure().message.find("cannot connect") != std::string::npos);
    }
}
