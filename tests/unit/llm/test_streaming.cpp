#include "llm/model_client.hpp"
#include "llm/sse.hpp"
#include "llm_test_support.hpp"
#include "printers.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace llm = aiops::llm;
namespace test = aiops::test;

namespace {

std::vector<llm::SseEvent> parse_all(const std::vector<std::string>& pieces)
{
    std::vector<llm::SseEvent> events;
    llm::SseParser parser([&](const llm::SseEvent& event) {
        events.push_back(event);
        return true;
    });
    for (const auto& piece : pieces) {
        parser.feed(piece);
    }
    return events;
}

// A stream body cut into pieces of `size` bytes, so events straddle pieces.
std::vector<std::string> split(const std::string& body, std::size_t size)
{
    std::vector<std::string> pieces;
    for (std::size_t at = 0; at < body.size(); at += size) {
        pieces.push_back(body.substr(at, size));
    }
    return pieces;
}

test::MockReply stream_reply(const std::string& body, bool cut_off = false)
{
    test::MockReply reply;
    reply.content_type = "text/event-stream";
    reply.pieces = split(body, 7);
    reply.cut_off = cut_off;
    return reply;
}

const std::string k_openai_stream =
    ": keep-alive\n\n"
    "data: "
    "{\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini-2024-07-"
    "18\","
    "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}],"
    "\"usage\":null}\n\n"
    "data: "
    "{\"id\":\"chatcmpl-s1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_"
    "reason\":null}],\"usage\":null}\n\n"
    "data: "
    "{\"id\":\"chatcmpl-s1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_"
    "reason\":\"stop\"}],\"usage\":null}\n\n"
    "data: "
    "{\"id\":\"chatcmpl-s1\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":"
    "2,"
    "\"prompt_tokens_details\":{\"cached_tokens\":3}}}\n\n";

const std::string k_anthropic_stream =
    "event: message_start\r\n"
    "data: "
    "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_s1\",\"model\":\"claude-sonnet-4-"
    "20250514\","
    "\"content\":[],\"usage\":{\"input_tokens\":25,\"cache_read_input_tokens\":5,\"output_tokens\":"
    "1}}}\r\n\r\n"
    "event: content_block_start\r\n"
    "data: "
    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":"
    "\"\"}}\r\n\r\n"
    "event: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\n"
    "event: content_block_delta\r\n"
    "data: "
    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
    "\"Bon\"}}\r\n\r\n"
    "event: content_block_delta\r\n"
    "data: "
    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
    "\"jour\"}}\r\n\r\n"
    "event: content_block_stop\r\ndata: {\"type\":\"content_block_stop\",\"index\":0}\r\n\r\n"
    "event: message_delta\r\n"
    "data: "
    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},"
    "\"usage\":{\"output_tokens\":12}}\r\n\r\n";

// Two tool calls whose arguments come in fragments, the second call's first fragment
// before the first call's last one.
const std::string k_openai_tool_stream =
    R"(data: {"id":"chatcmpl-t2","model":"gpt-4o-2024-08-06","choices":[{"index":0,)"
    R"("delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_A1",)"
    R"("type":"function","function":{"name":"get_weather","arguments":""}}]}}]})"
    "\n\n"
    R"(data: {"id":"chatcmpl-t2","choices":[{"index":0,"delta":{"tool_calls":[)"
    R"({"index":0,"function":{"arguments":"{\"city\":"}}]}}]})"
    "\n\n"
    R"(data: {"id":"chatcmpl-t2","choices":[{"index":0,"delta":{"tool_calls":[)"
    R"({"index":1,"id":"call_B2","type":"function",)"
    R"("function":{"name":"get_time","arguments":"{\"tz\""}}]}}]})"
    "\n\n"
    R"(data: {"id":"chatcmpl-t2","choices":[{"index":0,"delta":{"tool_calls":[)"
    R"({"index":0,"function":{"arguments":" \"Oslo\"}"}},)"
    R"({"index":1,"function":{"arguments":": \"UTC\"}"}}]}}]})"
    "\n\n"
    R"(data: {"id":"chatcmpl-t2","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})"
    "\n\n"
    "data: [DONE]\n\n";

std::string anthropic_event(const std::string& name, const std::string& data)
{
    return "event: " + name + "\ndata: " + data + "\n\n";
}

const std::string k_anthropic_tool_stream =
    anthropic_event("message_start",
                    R"({"type":"message_start","message":{"id":"msg_t2",)"
                    R"("model":"claude-sonnet-4-20250514","content":[],)"
                    R"("usage":{"input_tokens":40,"cache_creation_input_tokens":1000,)"
                    R"("cache_read_input_tokens":0,"output_tokens":1}}})")
    + anthropic_event("content_block_start",
                      R"({"type":"content_block_start","index":0,)"
                      R"("content_block":{"type":"text","text":""}})")
    + anthropic_event("content_block_delta",
                      R"({"type":"content_block_delta","index":0,)"
                      R"("delta":{"type":"text_delta","text":"Checking."}})")
    + anthropic_event("content_block_stop", R"({"type":"content_block_stop","index":0})")
    + anthropic_event("content_block_start",
                      R"({"type":"content_block_start","index":1,"content_block":)"
                      R"({"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}})")
    + anthropic_event("content_block_delta",
                      R"({"type":"content_block_delta","index":1,)"
                      R"("delta":{"type":"input_json_delta","partial_json":""}})")
    + anthropic_event("content_block_delta",
                      R"({"type":"content_block_delta","index":1,)"
                      R"("delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Os"}})")
    + anthropic_event("content_block_delta",
                      R"({"type":"content_block_delta","index":1,)"
                      R"("delta":{"type":"input_json_delta","partial_json":"lo\", \"days\": 3}"}})")
    + anthropic_event("content_block_stop", R"({"type":"content_block_stop","index":1})")
    + anthropic_event("content_block_start",
                      R"({"type":"content_block_start","index":2,"content_block":)"
                      R"({"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}})")
    + anthropic_event("content_block_stop", R"({"type":"content_block_stop","index":2})")
    + anthropic_event("message_delta",
                      R"({"type":"message_delta","delta":{"stop_reason":"tool_use"},)"
                      R"("usage":{"output_tokens":30}})")
    + anthropic_event("message_stop", R"({"type":"message_stop"})");

} // namespace

TEST_SUITE("llm")
{
    TEST_CASE("llm::SseParser")
    {
        SUBCASE("events split across pieces, comments skipped")
        {
            const auto events =
                parse_all({"da", "ta: one\n", "\n: note\n\nevent: x\nda", "ta: two\n\n"});
            REQUIRE(events.size() == 2);
            CHECK(events[0].data == "one");
            CHECK(events[0].event.empty());
            CHECK(events[1].event == "x");
            CHECK(events[1].data == "two");
        }

        SUBCASE("multi-line data is joined with line feeds; CR and CRLF end lines")
        {
            const auto events =
                parse_all({"data: a\r\ndata: b\rdata:c\r", "\n\r\nid: 7\ndata\n\n"});
            REQUIRE(events.size() == 2);
            CHECK(events[0].data == "a\nb\nc");
            CHECK(events[1].data.empty());
            CHECK(events[1].id == "7");
        }

        SUBCASE("an event without data is not emitted; an unfinished one is pending")
        {
            std::vector<llm::SseEvent> events;
            llm::SseParser parser([&](const llm::SseEvent& event) {
                events.push_back(event);
                return true;
            });
            parser.feed("event: ping\n\ndata: half");
            CHECK(events.empty());
            CHECK(parser.has_partial_event());
        }

        SUBCASE("the handler stops parsing")
        {
            int seen = 0;
            llm::SseParser parser([&](const llm::SseEvent&) { return ++seen < 1; });
            CHECK_FALSE(parser.feed("data: 1\n\ndata: 2\n\n"));
            CHECK(seen == 1);
        }
    }

    TEST_CASE("llm::ModelClient openai streaming")
    {
        test::MockModelServer server;
        test::RecordedSleeps sleeps;
        auto options = test::mock_options(server, llm::ProviderKind::openai, sleeps);
        options.retry.max_attempts = 1;
        llm::CallOptions call;
        call.stream = true;

        SUBCASE("chunks are joined into one reply")
        {
            server.script({stream_reply(k_openai_stream + "data: [DONE]\n\n")});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"), call);
            REQUIRE(done.ok());
            CHECK(done->reply.text == "Hello");
            CHECK(done->reply.finish_reason == llm::FinishReason::stop);
            CHECK(done->reply.usage.input_tokens == 11);
            CHECK(done->reply.usage.output_tokens == 2);
            CHECK(done->reply.usage.cached_input_tokens == 3);
            CHECK(done->reply.model == "gpt-4o-mini-2024-07-18");
            CHECK(done->reply.request_id == "chatcmpl-s1");
            const auto body = nlohmann::json::parse(server.requests()[0].body);
            CHECK(body["stream"] == true);
            CHECK(body["stream_options"]["include_usage"] == true);
            CHECK(server.requests()[0].headers.at("accept") == "text/event-stream");
        }

        SUBCASE("refusal fragments are joined into the text, finished by the filter")
        {
            server.script({stream_reply(
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"I can't \"}}]}\n\n"
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"help.\"}}]}\n\n"
                "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                "data: [DONE]\n\n")});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"), call);
            REQUIRE(done.ok());
            CHECK(done->reply.text == "I can't help.");
            CHECK(done->reply.finish_reason == llm::FinishReason::content_filter);
        }

        SUBCASE("tool call fragments are joined by index")
        {
            server.script({stream_reply(k_openai_tool_stream)});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o"), call);
            REQUIRE(done.ok());
            CHECK(done->reply.text.empty());
            CHECK(done->reply.finish_reason == llm::FinishReason::tool_calls);
            REQUIRE(done->reply.tool_calls.size() == 2);
            CHECK(done->reply.tool_calls[0].id == "call_A1");
            CHECK(done->reply.tool_calls[0].name == "get_weather");
            CHECK(done->reply.tool_calls[0].arguments == R"({"city": "Oslo"})");
            CHECK(done->reply.tool_calls[1].id == "call_B2");
            CHECK(done->reply.tool_calls[1].name == "get_time");
            CHECK(done->reply.tool_calls[1].arguments == R"({"tz": "UTC"})");
        }

        SUBCASE("whole tool calls without an index are kept apart by their ids")
        {
            const std::string stream =
                R"(data: {"id":"chatcmpl-t3","model":"llama3.1","choices":[{"index":0,"delta":)"
                R"({"role":"assistant","tool_calls":[)"
                R"({"id":"call_1","type":"function","function":{"name":"a","arguments":"{}"}},)"
                R"({"id":"call_2","type":"function","function":{"name":"b","arguments":"{\"x\":1}"}}]}}]})"
                "\n\n"
                R"(data: {"id":"chatcmpl-t3","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})"
                "\n\ndata: [DONE]\n\n";
            server.script({stream_reply(stream)});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("llama3.1"), call);
            REQUIRE(done.ok());
            REQUIRE(done->reply.tool_calls.size() == 2);
            CHECK(done->reply.tool_calls[0].id == "call_1");
            CHECK(done->reply.tool_calls[0].name == "a");
            CHECK(done->reply.tool_calls[0].arguments == "{}");
            CHECK(done->reply.tool_calls[1].id == "call_2");
            CHECK(done->reply.tool_calls[1].name == "b");
            CHECK(done->reply.tool_calls[1].arguments == R"({"x":1})");
        }

        SUBCASE("a stream without data: [DONE] is an error, not a partial reply")
        {
            server.script({stream_reply(k_openai_stream)});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"), call);
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::connection);
            CHECK(done.failure().message.find("[DONE]") != std::string::npos);
        }

        SUBCASE("a stream whose connection drops")
        {
            server.script({stream_reply(k_openai_stream, /*cut_off=*/true)});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"), call);
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::connection);
        }

        SUBCASE("an error in the middle of the stream")
        {
            server.script(
                {stream_reply(k_openai_stream.substr(
                                  0,
                                  k_openai_stream.find("data: "
                                                       "{\"id\":\"chatcmpl-s1\",\"choices\":[{"
                                                       "\"index\":0,\"delta\":{\"content\":\"lo"))
                              + "data: {\"error\":{\"message\":\"The server had an "
                                "error\",\"type\":\"server_error\"}}\n\n")});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"), call);
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::provider_error);
            CHECK(done.failure().message.find("The server had an error") != std::string::npos);
        }

        SUBCASE("an error status before the stream starts")
        {
            server.script({test::error_reply(
                429, R"({"error":{"message":"slow down","code":"rate_limit_exceeded"}})")});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("gpt-4o-mini"), call);
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().http_status == 429);
            CHECK(done.failure().message.find("slow down") != std::string::npos);
        }
    }

    TEST_CASE("llm::ModelClient anthropic streaming")
    {
        test::MockModelServer server;
        test::RecordedSleeps sleeps;
        auto options = test::mock_options(server, llm::ProviderKind::anthropic, sleeps);
        options.retry.max_attempts = 2;
        llm::CallOptions call;
        call.stream = true;
        const std::string stop = "event: message_stop\r\ndata: {\"type\":\"message_stop\"}\r\n\r\n";

        SUBCASE("named events build the reply")
        {
            server.script({stream_reply(k_anthropic_stream + stop)});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("claude-sonnet-4-20250514"), call);
            REQUIRE(done.ok());
            CHECK(done->reply.text == "Bonjour");
            CHECK(done->reply.finish_reason == llm::FinishReason::length);
            CHECK(done->reply.usage.input_tokens == 30);
            CHECK(done->reply.usage.cached_input_tokens == 5);
            CHECK(done->reply.usage.output_tokens == 12);
            CHECK(done->reply.request_id == "msg_s1");
            CHECK(done->attempts == 1);
        }

        SUBCASE("tool_use blocks and their input_json_delta fragments become tool calls")
        {
            server.script({stream_reply(k_anthropic_tool_stream)});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("claude-sonnet-4-20250514"), call);
            REQUIRE(done.ok());
            CHECK(done->reply.text == "Checking.");
            CHECK(done->reply.finish_reason == llm::FinishReason::tool_calls);
            CHECK(done->reply.raw_finish_reason == "tool_use");
            REQUIRE(done->reply.tool_calls.size() == 2);
            CHECK(done->reply.tool_calls[0].id == "toolu_01");
            CHECK(done->reply.tool_calls[0].name == "get_weather");
            CHECK(done->reply.tool_calls[0].arguments == R"({"city":"Oslo","days":3})");
            CHECK(done->reply.tool_calls[1].id == "toolu_02");
            CHECK(done->reply.tool_calls[1].arguments == "{}");
            CHECK(done->reply.usage.input_tokens == 1040);
            CHECK(done->reply.usage.cache_write_input_tokens == 1000);
            CHECK(done->reply.usage.output_tokens == 30);
            // 40 x $3 + 1000 x $3.75 + 30 x $15, per million.
            CHECK(done->cost_usd == doctest::Approx(0.00432).epsilon(1e-12));
        }

        SUBCASE("tool input that does not join into JSON is a malformed reply")
        {
            options.retry.max_attempts = 1;
            std::string broken = k_anthropic_tool_stream;
            const std::string tail = R"(lo\", \"days\": 3})";
            broken.replace(broken.find(tail), tail.size(), R"(lo\", \"days\": )");
            server.script({stream_reply(broken)});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("claude-sonnet-4-20250514"), call);
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::malformed_reply);
            CHECK(done.failure().message
                  == "anthropic streamed input for tool 'get_weather' that is not JSON");
        }

        SUBCASE("a stream without message_stop is an error")
        {
            options.retry.max_attempts = 1;
            server.script({stream_reply(k_anthropic_stream)});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("claude-sonnet-4-20250514"), call);
            REQUIRE_FALSE(done.ok());
            CHECK(done.failure().kind == llm::FailureKind::connection);
            CHECK(done.failure().message.find("message_stop") != std::string::npos);
        }

        SUBCASE("an overloaded error event mid-stream is reported, and retried")
        {
            const std::string before_second_delta = k_anthropic_stream.substr(
                0, k_anthropic_stream.rfind("event: content_block_delta"));
            const std::string error =
                "event: error\r\ndata: "
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                "\"message\":\"Overloaded\"}}\r\n\r\n";
            server.script({stream_reply(before_second_delta + error),
                           stream_reply(k_anthropic_stream + stop)});
            llm::ModelClient client(options);
            auto done = client.complete(test::simple_request("claude-sonnet-4-20250514"), call);
            REQUIRE(done.ok());
            CHECK(done->attempts == 2);
            CHECK(done->reply.text == "Bonjour");

            options.retry.max_attempts = 1;
            server.script({stream_reply(error)});
            llm::ModelClient once(options);
            auto failed = once.complete(test::simple_request("claude-sonnet-4-20250514"), call);
            REQUIRE_FALSE(failed.ok());
            CHECK(failed.failure().kind == llm::FailureKind::provider_error);
            CHECK(failed.failure().provider_code == "overloaded_error");
            CHECK(failed.failure().message.find("Overloaded") != std::string::npos);
        }
    }
}
