#include "llm/budget.hpp"
#include "llm/model_client.hpp"
#include "llm/prices.hpp"
#include "llm_test_support.hpp"
#include "printers.hpp"

#include <doctest/doctest.h>

namespace llm = aiops::llm;
namespace test = aiops::test;

TEST_SUITE("llm")
{
    TEST_CASE("llm::PriceTable")
    {
        const auto& table = llm::PriceTable::builtin();

        SUBCASE("the built-in table has its date and both providers")
        {
            CHECK(table.as_of() == "2025-08-01");
            CHECK(table.size() >= 10);
            const auto mini = table.find("openai", "gpt-4o-mini");
            REQUIRE(mini.has_value());
            CHECK(mini->input == 0.15);
            CHECK(mini->cached_input == 0.075);
            CHECK(mini->output == 0.6);
            CHECK(table.find("anthropic", "claude-sonnet-4").has_value());
        }

        SUBCASE("a snapshot finds its model by the longest prefix ending at a dash")
        {
            CHECK(table.find("openai", "gpt-4o-mini-2024-07-18")->input == 0.15);
            CHECK(table.find("openai", "gpt-4o-2024-08-06")->input == 2.5);
            CHECK(table.find("openai", "o3-mini")->input == 1.1);
            CHECK(table.find("anthropic", "claude-sonnet-4-20250514")->output == 15.0);
            CHECK_FALSE(table.find("openai", "gpt-4o1").has_value());
            CHECK_FALSE(table.find("anthropic", "gpt-4o").has_value());
            CHECK_FALSE(table.find("openai", "llama3").has_value());
        }

        SUBCASE("overrides replace and add entries")
        {
            llm::PriceTable copy = table;
            copy.set("openai:gpt-4o-mini", {.input = 1, .cached_input = 0.5, .output = 2});
            copy.set("openai:llama3", {});
            CHECK(copy.find("openai", "gpt-4o-mini")->input == 1);
            CHECK(copy.find("openai", "llama3").has_value());
            CHECK(table.find("openai", "gpt-4o-mini")->input == 0.15);
        }

        SUBCASE("a table from JSON; a bad one is a configuration failure")
        {
            auto parsed = llm::PriceTable::from_json(
                R"({"prices_as_of":"2026-01-01","models":{"openai:m":{"input":1,"output":3}}})");
            REQUIRE(parsed.ok());
            CHECK(parsed->as_of() == "2026-01-01");
            CHECK(parsed->find("openai", "m")->cached_input == 1);
            auto bad = llm::PriceTable::from_json(R"({"models":{"openai:m":{"input":"1"}}})");
            REQUIRE_FALSE(bad.ok());
            CHECK(bad.failure().kind == llm::FailureKind::configuration);
        }

        SUBCASE("cost prices cached input apart without counting it twice")
        {
            const llm::ModelPrice price{.input = 2.0, .cached_input = 0.5, .output = 8.0};
            CHECK(llm::cost_usd(price, {1'000'000, 0, 0}) == doctest::Approx(2.0));
            CHECK(llm::cost_usd(price, {1'000'000, 500'000, 400'000})
                  == doctest::Approx(0.6 * 2.0 + 0.4 * 0.5 + 0.5 * 8.0));
        }

        SUBCASE("cost prices cache reads and both lifetimes of cache writes apart")
        {
            const llm::ModelPrice price{.input = 3.0,
                                        .cached_input = 0.3,
                                        .output = 15.0,
                                        .cache_write = 3.75,
                                        .cache_write_1h = 6.0};
            llm::Usage usage;
            usage.input_tokens = 1'000'000;
            usage.cached_input_tokens = 400'000;
            usage.cache_write_input_tokens = 300'000;
            usage.cache_write_1h_input_tokens = 100'000;
            usage.output_tokens = 10'000;
            // 0.3M uncached x 3 + 0.4M x 0.3 + 0.2M x 3.75 + 0.1M x 6 + 0.01M x 15.
            CHECK(llm::cost_usd(price, usage) == doctest::Approx(2.52).epsilon(1e-12));
        }

        SUBCASE("parts that add up to more than the input are cut to what is left")
        {
            const llm::ModelPrice price{
                .input = 1.0, .cached_input = 0.1, .output = 0, .cache_write = 2.0};
            llm::Usage usage;
            usage.input_tokens = 1'000'000;
            usage.cached_input_tokens = 800'000;
            usage.cache_write_input_tokens = 800'000;
            // 0.8M read at 0.1, then only 0.2M are left to be writes at 2.0.
            CHECK(llm::cost_usd(price, usage) == doctest::Approx(0.48).epsilon(1e-12));
        }

        SUBCASE("the built-in Anthropic prices carry cache-write rates")
        {
            const auto sonnet = llm::PriceTable::builtin().find("anthropic", "claude-sonnet-4-5");
            REQUIRE(sonnet);
            CHECK(sonnet->input == 3.0);
            CHECK(sonnet->cached_input == 0.3);
            CHECK(sonnet->cache_write == 3.75);
            CHECK(sonnet->cache_write_1h == 6.0);
            const auto mini = llm::PriceTable::builtin().find("openai", "gpt-4o-mini");
            REQUIRE(mini);
            CHECK(mini->cache_write == 0.15);
            CHECK(mini->cache_write_1h == 0.15);
        }

        SUBCASE("cache-write rates default to input, and the 1h rate to the 5m one")
        {
            auto parsed = llm::PriceTable::from_json(
                R"({"models":{"anthropic:a":{"input":2,"cache_write":2.5,"output":4},
                              "anthropic:b":{"input":2,"output":4}}})");
            REQUIRE(parsed.ok());
            CHECK(parsed->find("anthropic", "a")->cache_write_1h == 2.5);
            CHECK(parsed->find("anthropic", "b")->cache_write == 2);
            CHECK(parsed->find("anthropic", "b")->cache_write_1h == 2);
            auto bad = llm::PriceTable::from_json(
                R"({"models":{"anthropic:a":{"input":2,"cache_write":"2.5","output":4}}})");
            REQUIRE_FALSE(bad.ok());
            CHECK(bad.failure().message
                  == R"(bad price table: 'anthropic:a': "cache_write" must be a number)");
        }
    }

    TEST_CASE("llm::Budget")
    {
        llm::PriceTable prices;
        prices.set("openai:m", {.input = 1.0, .cached_input = 0.5, .output = 2.0});

        SUBCASE("the worst case counts the estimated prompt and max_tokens")
        {
            llm::PlannedCall call{llm::ProviderKind::openai, test::simple_request("m", "x")};
            call.request.max_tokens = 1'000;
            // "You are terse." is 14 bytes: 5 tokens; "x": 1; framing 4 each plus 3.
            CHECK(llm::estimate_prompt_tokens(call.request) == 5 + 1 + 4 + 4 + 3);
            CHECK(*llm::worst_case_cost_usd(call, prices)
                  == doctest::Approx((17 * 1.0 + 1'000 * 2.0) / 1e6));
            call.request.max_tokens.reset();
            CHECK(*llm::worst_case_cost_usd(call, prices)
                  == doctest::Approx((17 * 1.0 + llm::k_default_max_tokens * 2.0) / 1e6));
        }

        SUBCASE("a plan that could exceed the budget is refused")
        {
            llm::PlannedCall call{llm::ProviderKind::openai, test::simple_request("m")};
            call.request.max_tokens = 1'000;
            llm::Budget budget(0.01);
            CHECK(budget.check_plan(std::vector<llm::PlannedCall>(4, call), prices).ok());
            auto refused = budget.check_plan(std::vector<llm::PlannedCall>(5, call), prices);
            REQUIRE_FALSE(refused.ok());
            CHECK(refused.failure().kind == llm::FailureKind::budget_exceeded);
            CHECK(refused.failure().message.find("5 calls") != std::string::npos);
        }

        SUBCASE("a model without a price cannot be budgeted")
        {
            llm::Budget budget(1.0);
            auto refused = budget.check_plan(
                {llm::PlannedCall{llm::ProviderKind::openai, test::simple_request("unknown")}},
                prices);
            REQUIRE_FALSE(refused.ok());
            CHECK(refused.failure().kind == llm::FailureKind::configuration);
        }

        SUBCASE("spend past the cap fails with what was spent")
        {
            llm::Budget budget(1.0);
            CHECK(budget.record(0.6).ok());
            CHECK(budget.admit().ok());
            auto over = budget.record(0.5);
            REQUIRE_FALSE(over.ok());
            CHECK(over.failure().spent_usd == doctest::Approx(1.1));
            REQUIRE_FALSE(budget.admit().ok());
            CHECK(budget.admit().failure().kind == llm::FailureKind::budget_exceeded);
        }
    }

    TEST_CASE("llm::ModelClient with a budget")
    {
        test::MockModelServer server;
        test::RecordedSleeps sleeps;
        auto options = test::mock_options(server, llm::ProviderKind::openai, sleeps);
        options.cache = std::make_shared<llm::DirectoryCache>("cache");
        // 10 input and 5 output tokens a call at these prices cost $0.000020.
        options.prices.set("openai:gpt-4o-mini",
                           {.input = 1.0, .cached_input = 1.0, .output = 2.0});
        options.budget = std::make_shared<llm::Budget>(0.00005);
        server.script({test::openai_reply("a"), test::openai_reply("b"), test::openai_reply("c")});
        llm::ModelClient client(options);

        CHECK(client.complete(test::simple_request("gpt-4o-mini", "1")).ok());
        CHECK(client.complete(test::simple_request("gpt-4o-mini", "2")).ok());
        auto crossing = client.complete(test::simple_request("gpt-4o-mini", "3"));
        REQUIRE_FALSE(crossing.ok());
        CHECK(crossing.failure().kind == llm::FailureKind::budget_exceeded);
        CHECK(crossing.failure().spent_usd == doctest::Approx(0.00006));
        // The call that crossed the cap was made: the caller gets what it bought.
        REQUIRE(crossing.failure().reply.has_value());
        CHECK(crossing.failure().reply->text == "c");
        CHECK(crossing.failure().reply->usage.input_tokens == 10);
        CHECK(crossing.failure().cost_usd == doctest::Approx(0.00002));
        auto refused = client.complete(test::simple_request("gpt-4o-mini", "4"));
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.failure().kind == llm::FailureKind::budget_exceeded);
        CHECK_FALSE(refused.failure().reply.has_value());
        CHECK(server.requests().size() == 3);
        // The paid-for reply that crossed the cap is kept, so a re-run does not pay again.
        auto replay = client.complete(test::simple_request("gpt-4o-mini", "3"));
        REQUIRE(replay.ok());
        CHECK(replay->cache_hit);
        CHECK(options.budget->spent_usd() == doctest::Approx(0.00006));
    }
}
