#include "core/log.hpp"
#include "llm/model_client.hpp"
#include "llm_test_support.hpp"
#include "metrics/llm_metrics.hpp"
#include "printers.hpp"

#include <doctest/doctest.h>

#include <filesystem>

namespace llm = aiops::llm;
namespace test = aiops::test;

TEST_SUITE("llm")
{
    TEST_CASE("llm::ModelClient never shows the API key")
    {
        test::MockModelServer server;
        test::RecordedSleeps sleeps;
        aiops::metrics::LlmMetrics metrics;
        auto options = test::mock_options(server, llm::ProviderKind::openai, sleeps);
        options.cache = std::make_shared<llm::DirectoryCache>("cache");
        options.observer = metrics.observer();
        options.retry.max_attempts = 2;
        const std::string key = test::k_fake_key;
        // Providers echo a rejected key back in their messages; the client must not.
        const std::string echo =
            R"({"error":{"message":"Incorrect API key provided: )" + key
            + R"(. You can find your API key at the dashboard.","code":"invalid_api_key"}})";
        server.script(
            {test::error_reply(500, echo),
             test::error_reply(401, echo),
             test::openai_reply("fine"),
             test::error_reply(200, R"({"error":{"message":"bad key )" + key + R"("}})")});

        aiops::core::log::set_level(aiops::core::log::Level::trace);
        std::string logged;
        std::vector<std::string> messages;
        {
            test::StderrCapture capture;
            llm::ModelClient client(options);
            auto rejected = client.complete(test::simple_request("gpt-4o-mini", "one"));
            REQUIRE_FALSE(rejected.ok());
            messages.push_back(rejected.failure().message);
            messages.push_back(rejected.failure().to_error().what());
            auto fine = client.complete(test::simple_request("gpt-4o-mini", "two"));
            REQUIRE(fine.ok());
            auto in_body = client.complete(test::simple_request("gpt-4o-mini", "three"));
            REQUIRE_FALSE(in_body.ok());
            messages.push_back(in_body.failure().message);
            logged = capture.text();
        }
        aiops::core::log::set_level(aiops::core::log::Level::warn);

        // The key did go out, in the header only, so the checks below can fail.
        const auto received = server.requests();
        REQUIRE(received.size() == 4);
        CHECK(received[0].headers.at("authorization") == "Bearer " + key);
        CHECK(received[0].body.find(key) == std::string::npos);

        CHECK(messages[0].find("[REDACTED]") != std::string::npos);
        for (const auto& message : messages) {
            CHECK_MESSAGE(message.find(key) == std::string::npos, message);
            CHECK(message.find("FAKE") == std::string::npos);
        }
        CHECK_FALSE(logged.empty());
        CHECK(logged.find(key) == std::string::npos);
        const std::string cache_files = test::read_tree("cache");
        CHECK(cache_files.find("fine") != std::string::npos);
        CHECK(cache_files.find(key) == std::string::npos);
        CHECK(metrics.exposition().find(key) == std::string::npos);
        REQUIRE(metrics.write_file("metrics.prom").ok());
        // Nothing written anywhere in the scratch folder (logs, cache, metrics) holds it.
        CHECK(test::read_tree(".").find(key) == std::string::npos);
    }
}
