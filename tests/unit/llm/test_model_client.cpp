#include "core/log.hpp"
#include "llm/model_client.hpp"
#include "llm_test_support.hpp"
#include "printers.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <ctime>

namespace llm = aiops::llm;
namespace test = aiops::test;
using std::chrono::milliseconds;

namespace {

using Waits = std::vector<milliseconds>;

std::string http_date_from_now(int seconds)
{
    const std::time_t at = std::time(nullptr) + seconds;
    std::tm parts{};
    gmtime_r(&at, &parts);
    char text[64];
    std::strftime(text, sizeof(text), "%a, %d %b %Y %H:%M:%S GMT", &parts);
    return text;
}

const std::string k_rate_limited =
    R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})";

} // namespace

TEST_SUITE("llm")
{
    TEST_CASE("llm::ModelClient openai")
    {
        test::MockModelServer server;
        test::RecordedSleeps sleeps;
        auto options = test::mock_options(server, llm::ProviderKind::openai, sleeps);

        SUBCASE("a reply carries text, finish reason, usage, request id and snapshot")
        {
            server.script({test::openai_reply("hello", "stop", 120, 7, 100)});
            llm::ModelClient client(options);
            auto request = test::simple_request("gpt-4o-mini");
            request.temperature = 0.2;
            request.max_tokens = 50;
            request.seed = 7;
            request.stop = {"END"};
            request.json_mode = true;
            auto done = client.complete(request);
            REQUIRE(done.ok());
            CHECK(done->reply.text == "hello");
            CHECK(done->reply.finish_reason == llm::FinishReason::stop);
            CHECK(done->reply.usage.input_tokens == 120);
            CHECK(done->reply.usage.output_tokens == 7);
            CHECK(done->reply.usage.cached_input_tokens == 100);
            CHECK(done->reply.request_id == "req-openai-mock");
            CHECK(done->reply.model == "gpt-4o-mini-2024-07-18");
            CHECK(done->attempts == 1);
            CHECK_FALSE(done->cache_hit);
            // 20 uncached at 0.15, 100 cached at 0.075, 7 out at 0.60 per million.
            CHECK(done->cost_known);
            CHECK(done->cost_usd == doctest::Approx((20 * 0.15 + 100 * 0.075 + 7 * 0.6) / 1e6));

            const auto received = server.requests();
            REQUIRE(received.size() == 1);
            CHECK(received[0].method == "POST");
            CHECK(received[0].target == "/v1/chat/completions");
            CHECK(received[0].headers.at("authorization") == "Bearer sk-FAKE-test-key-0000");
            const auto body = nlohmann::json::parse(received[0].body);
            CHECK(body["model"] == "gpt-4o-mini");
            CHECK(body["messages"][0]["role"] == "system");
            CHECK(body["messages"][1]["content"] == "Say hi.");
            CHECK(body["temperature"] == 0.2);
            CHECK(body["max_tokens"] == 50);
            CHECK(body["seed"] == 7);
            CHECK(body["stop"] == nlohmann::json::array({"END"}));
            CHECK(body["response_format"]["type"] == "json_object");
            CHECK_FALSE(body.contains("stream"));
        }

        SUBCASE("reasoning models get max_completion_tokens")
        {
            server.script({test::openai_reply("ok")});
            llm::ModelClient client(options);
            auto request = test::simple_request("o4-mini");
            request.max_tokens = 10;
            REQUIRE(client.complete(request).ok());
            const auto body = nlohmann::json::parse(server.requests()[0].body);
            CHECK(body["max_completion_tokens"] == 10);
            CHECK_FALSE(body.contains("max_tokens"));
        }

        SUBCASE("a length finish is a success the caller can see")
        {
            server.script({test::openai_reply("trunc", "length")});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"));
            REQUIRE(done.ok());
            CHECK(done->reply.finish_reason == llm::FinishReason::length);
        }

        SUBCASE("tool calls are read with their ids, names and argument strings")
        {
            test::MockReply reply;
            reply.body = R"({"id":"chatcmpl-t1","model":"gpt-4o-2024-08-06",
                "choices":[{"index":0,"finish_reason":"tool_calls","message":{
                  "role":"assistant","content":null,"tool_calls":[
                    {"id":"call_A1","type":"function",
                     "function":{"name":"get_weather","arguments":"{\"city\": \"Oslo\"}"}},
                    {"id":"call_B2","type":"function",
                     "function":{"name":"get_time","arguments":"{}"}}]}}],
                "usage":{"prompt_tokens":40,"completion_tokens":18}})";
            server.script({reply});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o"));
            REQUIRE(done.ok());
            CHECK(done->reply.text.empty());
            CHECK(done->reply.finish_reason == llm::FinishReason::tool_calls);
            CHECK(done->reply.raw_finish_reason == "tool_calls");
            REQUIRE(done->reply.tool_calls.size() == 2);
            CHECK(done->reply.tool_calls[0].id == "call_A1");
            CHECK(done->reply.tool_calls[0].name == "get_weather");
            CHECK(done->reply.tool_calls[0].arguments == R"({"city": "Oslo"})");
            CHECK(done->reply.tool_calls[1].id == "call_B2");
            CHECK(done->reply.tool_calls[1].name == "get_time");
            CHECK(done->reply.tool_calls[1].arguments == "{}");
        }

        SUBCASE("a refusal with no content is the reply's text, finished by the filter")
        {
            test::MockReply reply;
            reply.body = R"({"id":"chatcmpl-r1","model":"gpt-4o-mini","choices":[{"index":0,
                "finish_reason":"stop","message":{"role":"assistant","content":null,
                "refusal":"I'm sorry, I can't help with that."}}]})";
            server.script({reply});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"));
            REQUIRE(done.ok());
            CHECK(done->reply.text == "I'm sorry, I can't help with that.");
            CHECK(done->reply.finish_reason == llm::FinishReason::content_filter);
            CHECK(done->reply.raw_finish_reason == "stop");
        }

        SUBCASE("the deprecated function_call finish is a tool call finish")
        {
            server.script({test::openai_reply("", "function_call")});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"));
            REQUIRE(done.ok());
            CHECK(done->reply.finish_reason == llm::FinishReason::tool_calls);
            CHECK(done->reply.raw_finish_reason == "function_call");
            CHECK(done->reply.tool_calls.empty());
        }

        SUBCASE("azure sends api-key and api-version")
        {
            server.script({test::openai_reply("ok")});
            options.provider.base_url = server.url() + "/openai/deployments/gpt4o";
            options.provider.api_version = "2024-10-21";
            llm::ModelClient client(options);
            REQUIRE(client.complete(test::simple_request("gpt-4o")).ok());
            const auto received = server.requests();
            REQUIRE(received.size() == 1);
            CHECK(received[0].target == "/openai/deployments/gpt4o/chat/completions");
            CHECK(received[0].query == "api-version=2024-10-21");
            CHECK(received[0].headers.at("api-key") == test::k_fake_key);
            CHECK(received[0].headers.count("authorization") == 0);
        }

        SUBCASE("a base URL's query stays after the endpoint's path")
        {
            server.script({test::openai_reply("ok"), test::openai_reply("ok")});
            options.provider.base_url = server.url() + "/v1/?x=1#part";
            REQUIRE(llm::ModelClient(options).complete(test::simple_request("gpt-4o")).ok());
            options.provider.api_version = "2024-10-21";
            REQUIRE(llm::ModelClient(options).complete(test::simple_request("gpt-4o")).ok());
            const auto received = server.requests();
            REQUIRE(received.size() == 2);
            CHECK(received[0].target == "/v1/chat/completions");
            CHECK(received[0].query == "x=1");
            CHECK(received[1].target == "/v1/chat/completions");
            // The mock server gives the parameters back sorted by name.
            CHECK(received[1].query == "api-version=2024-10-21&x=1");
        }

        SUBCASE("a server that needs no key gets no auth header")
        {
            server.script({test::openai_reply("ok")});
            options.provider.api_key_env = "";
            llm::ModelClient client(options);
            REQUIRE(client.complete(test::simple_request("llama3")).ok());
            CHECK(server.requests()[0].headers.count("authorization") == 0);
        }

        SUBCASE("a missing key variable fails before anything is sent")
        {
            options.provider.api_key_env = "AIOPS_TEST_UNSET_KEY_VARIABLE";
            ::unsetenv("AIOPS_TEST_UNSET_KEY_VARIABLE");
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"));
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::configuration);
            CHECK(done.failure().message
                  == "the environment variable 'AIOPS_TEST_UNSET_KEY_VARIABLE' that holds the "
                     "openai API key is not set: set it, or name another variable with "
                     "--api-key-env ('' for a server that needs no key)");
            CHECK(done.failure().to_error().code() == aiops::core::ErrorCode::usage);
            CHECK(server.requests().empty());
        }

        SUBCASE("a key variable that is set but empty is named as empty")
        {
            options.provider.api_key_env = "AIOPS_TEST_EMPTY_KEY_VARIABLE";
            ::setenv("AIOPS_TEST_EMPTY_KEY_VARIABLE", "", 1);
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"));
            ::unsetenv("AIOPS_TEST_EMPTY_KEY_VARIABLE");
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().message
                  == "the environment variable 'AIOPS_TEST_EMPTY_KEY_VARIABLE' that holds the "
                     "openai API key is empty: set it, or name another variable with "
                     "--api-key-env ('' for a server that needs no key)");
        }

        SUBCASE("a key given where its variable's name belongs is not shown")
        {
            options.provider.api_key_env = "sk-FAKE-pasted-0000";
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"));
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::configuration);
            CHECK(done.failure().message.find("sk-FAKE-pasted-0000") == std::string::npos);
            CHECK(done.failure().message
                  == "the name given for the variable holding the openai API key is not a "
                     "variable name (is it the key itself? give the name of the variable that "
                     "holds it)");
            CHECK(server.requests().empty());
        }
    }

    TEST_CASE("llm::ModelClient anthropic")
    {
        test::MockModelServer server;
        test::RecordedSleeps sleeps;
        auto options = test::mock_options(server, llm::ProviderKind::anthropic, sleeps);

        SUBCASE("the request has the Messages shape and the reply is read")
        {
            server.script({test::anthropic_reply("bonjour", "end_turn", 30, 9, 200)});
            llm::ModelClient client(options);
            auto request = test::simple_request("claude-sonnet-4-20250514");
            request.temperature = 0.0;
            request.stop = {"###"};
            auto done = client.complete(request);
            REQUIRE(done.ok());
            CHECK(done->reply.text == "bonjour");
            CHECK(done->reply.finish_reason == llm::FinishReason::stop);
            CHECK(done->reply.raw_finish_reason == "end_turn");
            CHECK(done->reply.usage.input_tokens == 230);
            CHECK(done->reply.usage.cached_input_tokens == 200);
            CHECK(done->reply.usage.output_tokens == 9);
            CHECK(done->reply.request_id == "req-anthropic-mock");
            CHECK(done->reply.model == "claude-sonnet-4-20250514");
            CHECK(done->cost_usd == doctest::Approx((30 * 3.0 + 200 * 0.3 + 9 * 15.0) / 1e6));

            const auto received = server.requests();
            REQUIRE(received.size() == 1);
            CHECK(received[0].target == "/v1/messages");
            CHECK(received[0].headers.at("x-api-key") == test::k_fake_key);
            CHECK(received[0].headers.at("anthropic-version") == "2023-06-01");
            const auto body = nlohmann::json::parse(received[0].body);
            CHECK(body["system"] == "You are terse.");
            CHECK(body["messages"].size() == 1);
            CHECK(body["messages"][0]["role"] == "user");
            CHECK(body["max_tokens"] == llm::k_default_max_tokens);
            CHECK(body["temperature"] == 0);
            CHECK(body["stop_sequences"] == nlohmann::json::array({"###"}));
        }

        SUBCASE("tool_use blocks become tool calls with their input as JSON text")
        {
            test::MockReply reply;
            reply.body = R"({"id":"msg_t1","type":"message","role":"assistant",
                "model":"claude-sonnet-4-20250514","stop_reason":"tool_use",
                "content":[{"type":"text","text":"Let me look."},
                  {"type":"tool_use","id":"toolu_01","name":"get_weather",
                   "input":{"city":"Oslo","days":3}},
                  {"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}],
                "usage":{"input_tokens":50,"output_tokens":20}})";
            server.script({reply});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("claude-sonnet-4-20250514"));
            REQUIRE(done.ok());
            CHECK(done->reply.text == "Let me look.");
            CHECK(done->reply.finish_reason == llm::FinishReason::tool_calls);
            REQUIRE(done->reply.tool_calls.size() == 2);
            CHECK(done->reply.tool_calls[0].id == "toolu_01");
            CHECK(done->reply.tool_calls[0].name == "get_weather");
            CHECK(done->reply.tool_calls[0].arguments == R"({"city":"Oslo","days":3})");
            CHECK(done->reply.tool_calls[1].id == "toolu_02");
            CHECK(done->reply.tool_calls[1].arguments == "{}");
        }

        SUBCASE("cache writes and reads are parts of input, priced at their own rates")
        {
            test::MockReply reply;
            reply.body = R"({"id":"msg_c1","type":"message","model":"claude-sonnet-4-20250514",
                "stop_reason":"end_turn","content":[{"type":"text","text":"ok"}],
                "usage":{"input_tokens":1000,"output_tokens":100,
                  "cache_read_input_tokens":20000,"cache_creation_input_tokens":5000,
                  "cache_creation":{"ephemeral_5m_input_tokens":3000,
                                    "ephemeral_1h_input_tokens":2000}}})";
            server.script({reply});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("claude-sonnet-4-20250514"));
            REQUIRE(done.ok());
            CHECK(done->reply.usage.input_tokens == 26'000);
            CHECK(done->reply.usage.cached_input_tokens == 20'000);
            CHECK(done->reply.usage.cache_write_input_tokens == 5'000);
            CHECK(done->reply.usage.cache_write_1h_input_tokens == 2'000);
            CHECK(done->reply.usage.output_tokens == 100);
            // 1000 x $3 + 20000 x $0.30 + 3000 x $3.75 + 2000 x $6 + 100 x $15, per million.
            CHECK(done->cost_usd == doctest::Approx(0.03375).epsilon(1e-12));
        }

        SUBCASE("cache writes without the split by lifetime are five-minute writes")
        {
            test::MockReply reply;
            reply.body = R"({"id":"msg_c2","type":"message","model":"claude-3-5-haiku-20241022",
                "stop_reason":"end_turn","content":[{"type":"text","text":"ok"}],
                "usage":{"input_tokens":10,"output_tokens":10,
                  "cache_read_input_tokens":0,"cache_creation_input_tokens":4000}})";
            server.script({reply});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("claude-3-5-haiku-20241022"));
            REQUIRE(done.ok());
            CHECK(done->reply.usage.input_tokens == 4010);
            CHECK(done->reply.usage.cache_write_input_tokens == 4000);
            CHECK(done->reply.usage.cache_write_1h_input_tokens == 0);
            // 10 x $0.80 + 4000 x $1.00 + 10 x $4.00, per million.
            CHECK(done->cost_usd == doctest::Approx(0.004048).epsilon(1e-12));
        }

        SUBCASE("a base URL with /v1 gets a 404 and the hint that anthropic's is the host")
        {
            server.script({test::error_reply(404, "Not Found")});
            options.provider.base_url = server.url() + "/v1";
            options.retry.max_attempts = 1;
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("claude-3-5-haiku-latest"));
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().message
                  == "anthropic answered HTTP 404: 'Not Found'; nothing answers at '" + server.url()
                         + "/v1/v1/messages': check the base URL '" + server.url()
                         + "/v1' (for anthropic it is the host, without /v1)");
            CHECK(server.requests().at(0).target == "/v1/v1/messages");
        }

        SUBCASE("JSON mode asks for it in the system prompt; seed is not sent")
        {
            server.script({test::anthropic_reply("{}")});
            llm::ModelClient client(options);
            auto request = test::simple_request("claude-3-5-haiku-latest");
            request.json_mode = true;
            request.seed = 3;
            REQUIRE(client.complete(request).ok());
            const auto body = nlohmann::json::parse(server.requests()[0].body);
            CHECK(body["system"].get<std::string>().starts_with(
                "You are terse.\n\nReply with a single JSON object"));
            CHECK_FALSE(body.contains("seed"));
        }

        SUBCASE("stop reasons are normalised")
        {
            const std::vector<std::pair<std::string, llm::FinishReason>> cases = {
                {"end_turn", llm::FinishReason::stop},
                {"stop_sequence", llm::FinishReason::stop},
                {"max_tokens", llm::FinishReason::length},
                {"refusal", llm::FinishReason::content_filter},
                {"tool_use", llm::FinishReason::tool_calls},
                {"pause_turn", llm::FinishReason::other}};
            for (const auto& [raw, expected] : cases) {
                server.script({test::anthropic_reply("x", raw)});
                llm::ModelClient client(options);
                auto done = client.complete(test::simple_request("claude-3-5-haiku-latest"));
                REQUIRE(done.ok());
                CHECK_MESSAGE(done->reply.finish_reason == expected, raw);
            }
        }
    }

    TEST_CASE("llm::ModelClient retries")
    {
        test::MockModelServer server;
        test::RecordedSleeps sleeps;
        auto options = test::mock_options(server, llm::ProviderKind::openai, sleeps);
        options.retry.max_attempts = 3;
        options.retry.base_delay = milliseconds(500);
        options.retry.max_delay = milliseconds(8'000);
        const auto run = [&] {
            llm::ModelClient client(options);
            return client.complete(test::simple_request("gpt-4o-mini"));
        };

        SUBCASE("429 with retry-after-ms waits that long")
        {
            server.script({test::error_reply(429, k_rate_limited, {{"retry-after-ms", "250"}}),
                           test::openai_reply("ok")});
            auto done = run();
            REQUIRE(done.ok());
            CHECK(done->attempts == 2);
            CHECK(*sleeps.waits == Waits{milliseconds(250)});
        }

        SUBCASE("429 with retry-after in seconds")
        {
            server.script({test::error_reply(429, k_rate_limited, {{"retry-after", "2"}}),
                           test::openai_reply("ok")});
            REQUIRE(run().ok());
            CHECK(*sleeps.waits == Waits{milliseconds(2'000)});
        }

        SUBCASE("429 with retry-after as an HTTP date")
        {
            server.script(
                {test::error_reply(429, k_rate_limited, {{"retry-after", http_date_from_now(30)}}),
                 test::openai_reply("ok")});
            REQUIRE(run().ok());
            REQUIRE(sleeps.waits->size() == 1);
            CHECK(sleeps.waits->at(0) >= milliseconds(28'000));
            CHECK(sleeps.waits->at(0) <= milliseconds(30'000));
        }

        SUBCASE("a retry-after past the limit falls back to backoff")
        {
            server.script({test::error_reply(429, k_rate_limited, {{"retry-after", "3600"}}),
                           test::openai_reply("ok")});
            REQUIRE(run().ok());
            CHECK(*sleeps.waits == Waits{milliseconds(250)});
        }

        SUBCASE("500 then success backs off with jitter")
        {
            server.script({test::error_reply(500, R"({"error":{"message":"boom"}})"),
                           test::openai_reply("ok")});
            auto done = run();
            REQUIRE(done.ok());
            CHECK(done->attempts == 2);
            CHECK(*sleeps.waits == Waits{milliseconds(250)});
        }

        SUBCASE("529 overloaded is retried")
        {
            server.script(
                {test::error_reply(
                     529,
                     R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"),
                 test::openai_reply("ok")});
            REQUIRE(run().ok());
            CHECK(server.requests().size() == 2);
        }

        SUBCASE("408 and 409 are retried")
        {
            server.script({test::error_reply(408, "{}"),
                           test::error_reply(409, "{}"),
                           test::openai_reply("ok")});
            auto done = run();
            REQUIRE(done.ok());
            CHECK(done->attempts == 3);
            CHECK(*sleeps.waits == Waits{milliseconds(250), milliseconds(500)});
        }

        SUBCASE("attempts run out and the last failure is reported")
        {
            server.script({test::error_reply(503, R"({"error":{"message":"unavailable"}})")});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::http_status);
            CHECK(done.failure().http_status == 503);
            CHECK(done.failure().message
                  == "openai answered HTTP 503: unavailable (gave up after 3 attempts)");
            CHECK(server.requests().size() == 3);
            CHECK(sleeps.waits->size() == 2);
        }

        SUBCASE("400, 401, 403 and 404 are never retried")
        {
            for (const int status : {400, 401, 403, 404}) {
                server.script({test::error_reply(status, R"({"error":{"message":"no"}})"),
                               test::openai_reply("ok")});
                auto done = run();
                REQUIRE_FALSE(done.ok());
                CHECK(done.failure().http_status == status);
            }
            CHECK(server.requests().size() == 4);
            CHECK(sleeps.waits->empty());
        }

        SUBCASE("a 404 that is no provider error points at the base URL")
        {
            server.script({test::error_reply(404, "404 page not found")});
            options.provider.base_url = server.url();
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().message
                  == "openai answered HTTP 404: '404 page not found'; nothing answers at '"
                         + server.url() + "/chat/completions': check the base URL '" + server.url()
                         + "' (OpenAI-compatible servers usually end it in /v1)");
            CHECK(server.requests().size() == 1);
        }

        SUBCASE("a user and password in the base URL stay out of the messages")
        {
            server.script({test::error_reply(404, "404 page not found")});
            const std::string address = "127.0.0.1:" + std::to_string(server.port());
            options.provider.base_url = "http://ada:sk-FAKE-pw@" + address;
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().message
                  == "openai answered HTTP 404: '404 page not found'; nothing answers at "
                     "'http://***@"
                         + address + "/chat/completions': check the base URL 'http://***@" + address
                         + "' (OpenAI-compatible servers usually end it in /v1)");
            options.provider.base_url =
                "http://ada:sk-FAKE-pw@127.0.0.1:" + std::to_string(test::free_loopback_port());
            options.retry.max_attempts = 1;
            auto refused = run();
            REQUIRE_FALSE(refused.ok());
            CHECK(refused.failure().message.find("sk-FAKE") == std::string::npos);
            CHECK(refused.failure().message.find("ada") == std::string::npos);
        }

        SUBCASE("a 404 with the provider's error object is left as the provider said it")
        {
            server.script({test::error_reply(
                404,
                R"({"error":{"message":"The model 'gpt-9' does not exist","code":"model_not_found"}})")});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().message.find("does not exist") != std::string::npos);
            CHECK(done.failure().message.find("base URL") == std::string::npos);
        }

        SUBCASE("a 429 for an exhausted quota is not retried")
        {
            server.script(
                {test::error_reply(
                     429,
                     R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}})"),
                 test::openai_reply("ok")});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().provider_code == "insufficient_quota");
            CHECK(server.requests().size() == 1);
        }

        SUBCASE("x-should-retry: false wins over a 500")
        {
            server.script({test::error_reply(500, "{}", {{"x-should-retry", "false"}}),
                           test::openai_reply("ok")});
            REQUIRE_FALSE(run().ok());
            CHECK(server.requests().size() == 1);
        }

        SUBCASE("x-should-retry: true wins over a 400")
        {
            server.script({test::error_reply(400, "{}", {{"x-should-retry", "true"}}),
                           test::openai_reply("ok")});
            REQUIRE(run().ok());
            CHECK(server.requests().size() == 2);
        }

        SUBCASE("each retry is logged at info with its reason")
        {
            server.script({test::error_reply(429, k_rate_limited, {{"retry-after-ms", "5"}}),
                           test::openai_reply("ok")});
            aiops::core::log::set_level(aiops::core::log::Level::info);
            std::string logged;
            {
                test::StderrCapture capture;
                REQUIRE(run().ok());
                logged = capture.text();
            }
            aiops::core::log::set_level(aiops::core::log::Level::warn);
            CHECK(logged.find("aiops: info: openai:gpt-4o-mini: retrying after HTTP 429 "
                              "rate_limit_exceeded (attempt 1 of 3), waiting 5 ms")
                  != std::string::npos);
        }

        SUBCASE("a refused connection is retried and then reported")
        {
            const int closed_port = test::free_loopback_port();
            options.provider.base_url = "http://127.0.0.1:" + std::to_string(closed_port) + "/v1";
            aiops::core::log::set_level(aiops::core::log::Level::info);
            std::string logged;
            llm::Failure failure;
            {
                test::StderrCapture capture;
                auto done = run();
                REQUIRE_FALSE(done.ok());
                failure = done.failure();
                logged = capture.text();
            }
            aiops::core::log::set_level(aiops::core::log::Level::warn);
            CHECK(failure.kind == llm::FailureKind::connection);
            CHECK(failure.message.starts_with("POST 127.0.0.1:" + std::to_string(closed_port)
                                              + " failed: "));
            CHECK(failure.message.ends_with(" (gave up after 3 attempts)"));
            CHECK(sleeps.waits->size() == 2);
            // The log says what failed, not only that something did.
            CHECK(logged.find("retrying after connection (POST 127.0.0.1:"
                              + std::to_string(closed_port) + " failed: ")
                  != std::string::npos);
        }
    }

    TEST_CASE("llm::ModelClient bad replies")
    {
        test::MockModelServer server;
        test::RecordedSleeps sleeps;
        auto options = test::mock_options(server, llm::ProviderKind::openai, sleeps);
        options.retry.max_attempts = 1;
        const auto run = [&] {
            llm::ModelClient client(options);
            return client.complete(test::simple_request("gpt-4o-mini"));
        };

        SUBCASE("a slow reply past the total timeout")
        {
            options.http.total_timeout = milliseconds(150);
            auto slow = test::openai_reply("late");
            slow.delay = milliseconds(500);
            server.script({slow});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::timeout);
            CHECK(llm::RetryPolicy::is_retryable(done.failure()));
        }

        SUBCASE("vLLM's flat error envelope")
        {
            server.script({test::error_reply(
                400,
                R"({"object":"error","message":"max_tokens is too large","type":"BadRequestError","param":null,"code":400})")});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::http_status);
            CHECK(done.failure().provider_code == "400");
            CHECK(done.failure().message.find("max_tokens is too large") != std::string::npos);
        }

        SUBCASE("vLLM's nested error envelope")
        {
            server.script({test::error_reply(
                400,
                R"({"error":{"message":"model 'x' does not exist","type":"NotFoundError","param":null,"code":404}})")});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().provider_code == "404");
            CHECK(done.failure().message.find("model 'x' does not exist") != std::string::npos);
        }

        SUBCASE("an error object inside a 200 reply")
        {
            server.script({test::error_reply(
                200, R"({"error":{"message":"upstream failed","code":"bad_gateway"}})")});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::provider_error);
            CHECK(done.failure().http_status == 200);
            CHECK(done.failure().message.find("upstream failed") != std::string::npos);
        }

        SUBCASE("a proxy's HTML 502 page")
        {
            auto page = test::error_reply(
                502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");
            page.content_type = "text/html";
            server.script({page});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::http_status);
            CHECK(done.failure().http_status == 502);
            CHECK(done.failure().message.find("HTML page") != std::string::npos);
            CHECK(llm::RetryPolicy::is_retryable(done.failure()));
        }

        SUBCASE("an HTML page with status 200")
        {
            auto page = test::error_reply(200, "<!DOCTYPE html><html><body>login</body></html>");
            page.content_type = "text/html";
            server.script({page});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::malformed_reply);
            CHECK(done.failure().message
                  == "openai sent an HTML page instead of JSON with HTTP 200: a chat completion "
                     "was expected; is the base URL '"
                         + server.url() + "/v1' the API's address, and not a web page's?");
        }

        SUBCASE("a cut-off JSON body")
        {
            server.script({test::error_reply(200, R"({"id":"x","choices":[{"message":{"cont)")});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::malformed_reply);
            CHECK(done.failure().message.find("cut off") != std::string::npos);
        }

        SUBCASE("a connection dropped before the body is complete")
        {
            auto reply = test::openai_reply("whole");
            reply.body = reply.body.substr(0, 40);
            reply.cut_off = true;
            server.script({reply});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::connection);
            const std::string host = server.url().substr(std::string("http://").size());
            CHECK(done.failure().message.starts_with(
                "the connection to '" + host + "' closed before the whole reply arrived ("));
        }

        SUBCASE("a body past the size cap")
        {
            options.http.max_body_bytes = 1'000;
            server.script({test::openai_reply(std::string(5'000, 'x'))});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::reply_too_large);
            CHECK_FALSE(llm::RetryPolicy::is_retryable(done.failure()));
        }

        SUBCASE("a reply without choices")
        {
            server.script({test::error_reply(200, R"({"id":"x","object":"chat.completion"})")});
            auto done = run();
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::malformed_reply);
        }
    }
}
