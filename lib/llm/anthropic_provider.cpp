#include "llm/provider.hpp"
#include "llm/wire.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace aiops::llm {

namespace {

using nlohmann::json;

constexpr std::string_view k_name = "anthropic";

// Anthropic has no JSON mode; the system prompt asks for one instead.
constexpr std::string_view k_json_instruction =
    "Reply with a single JSON object and nothing else: no prose, no code fences.";

FinishReason map_stop_reason(std::string_view reason)
{
    if (reason == "end_turn" || reason == "stop_sequence") {
        return FinishReason::stop;
    }
    if (reason == "max_tokens" || reason == "model_context_window_exceeded") {
        return FinishReason::length;
    }
    if (reason == "refusal") {
        return FinishReason::content_filter;
    }
    if (reason == "tool_use") {
        return FinishReason::tool_calls;
    }
    return FinishReason::other;
}

// Anthropic reports the uncached input apart from cache reads and writes; Usage counts
// them all as input and keeps the reads and writes as its parts. The writes may come split
// by lifetime in cache_creation; without the split they are all five-minute writes.
void read_usage(const json& usage, Usage& out)
{
    if (!usage.is_object()) {
        return;
    }
    if (usage.contains("input_tokens")) {
        const std::int64_t cache_read = wire::integer_at(usage, "cache_read_input_tokens");
        std::int64_t cache_write = wire::integer_at(usage, "cache_creation_input_tokens");
        std::int64_t cache_write_1h = 0;
        if (usage.contains("cache_creation") && usage["cache_creation"].is_object()) {
            const json& split = usage["cache_creation"];
            cache_write_1h = wire::integer_at(split, "ephemeral_1h_input_tokens");
            cache_write = std::max(
                cache_write, wire::integer_at(split, "ephemeral_5m_input_tokens") + cache_write_1h);
        }
        out.input_tokens = wire::integer_at(usage, "input_tokens") + cache_read + cache_write;
        out.cached_input_tokens = cache_read;
        out.cache_write_input_tokens = cache_write;
        out.cache_write_1h_input_tokens = cache_write_1h;
    }
    if (usage.contains("output_tokens")) {
        out.output_tokens = wire::integer_at(usage, "output_tokens");
    }
}

// A tool_use block's input is a JSON object; it is kept as compact JSON text, as a stream
// gives it once its fragments are joined and parsed.
ToolCall tool_call_of(const json& block)
{
    ToolCall call;
    call.id = wire::string_at(block, "id");
    call.name = wire::string_at(block, "name");
    call.arguments = block.contains("input") ? block["input"].dump() : "{}";
    return call;
}

void set_stop_reason(Reply& reply, std::string reason)
{
    reply.finish_reason = map_stop_reason(reason);
    reply.raw_finish_reason = std::move(reason);
}

class AnthropicStreamDecoder : public wire::ReplyStreamDecoder
{
public:
    AnthropicStreamDecoder()
        : ReplyStreamDecoder("anthropic's stream ended before its 'message_stop' event",
                             "request-id")
    {}

    bool on_event(const SseEvent& event) override
    {
        const json data = json::parse(event.data, nullptr, false);
        if (data.is_discarded()) {
            m_failure = make_failure(FailureKind::malformed_reply,
                                     "anthropic sent a stream event that is not JSON");
            return false;
        }
        const std::string type = event.event.empty() ? wire::string_at(data, "type") : event.event;
        if (type == "error") {
            m_failure = wire::provider_failure(
                wire::find_error_object(data).value_or(wire::ErrorObject{"an error event", ""}),
                k_name,
                200);
            return false;
        }
        if (type == "message_start" && data.contains("message")) {
            const json& message = data["message"];
            m_reply.model = wire::string_at(message, "model");
            m_body_id = wire::string_at(message, "id");
            if (message.contains("usage")) {
                read_usage(message["usage"], m_reply.usage);
            }
        } else if (type == "content_block_start" && data.contains("content_block")) {
            start_block(data);
        } else if (type == "content_block_delta" && data.contains("delta")) {
            add_delta(data);
        } else if (type == "content_block_stop") {
            return stop_block(data);
        } else if (type == "message_delta") {
            if (data.contains("delta")) {
                set_stop_reason(m_reply, wire::string_at(data["delta"], "stop_reason"));
            }
            if (data.contains("usage")) {
                read_usage(data["usage"], m_reply.usage);
            }
        } else if (type == "message_stop") {
            m_done = true;
            return false;
        }
        return true;
    }

private:
    // A tool_use block starts with its id and name (and an empty input); its input then
    // arrives as input_json_delta fragments of one JSON text.
    void start_block(const json& data)
    {
        const json& block = data["content_block"];
        if (wire::string_at(block, "type") != "tool_use") {
            return;
        }
        m_tool_blocks[wire::integer_at(data, "index")] = {m_reply.tool_calls.size(), ""};
        m_reply.tool_calls.push_back(tool_call_of(block));
    }

    void add_delta(const json& data)
    {
        const json& delta = data["delta"];
        const std::string kind = wire::string_at(delta, "type");
        if (kind == "text_delta") {
            m_reply.text += wire::string_at(delta, "text");
        } else if (kind == "input_json_delta") {
            const auto block = m_tool_blocks.find(wire::integer_at(data, "index"));
            if (block != m_tool_blocks.end()) {
                block->second.partial_json += wire::string_at(delta, "partial_json");
            }
        }
    }

    // The joined fragments must be one JSON value; no fragments leave the start's input.
    bool stop_block(const json& data)
    {
        const auto block = m_tool_blocks.find(wire::integer_at(data, "index"));
        if (block == m_tool_blocks.end() || block->second.partial_json.empty()) {
            return true;
        }
        ToolCall& call = m_reply.tool_calls[block->second.call];
        const json input = json::parse(block->second.partial_json, nullptr, false);
        if (input.is_discarded()) {
            m_failure = make_failure(
                FailureKind::malformed_reply,
                fmt::format("anthropic streamed input for tool '{}' that is not JSON", call.name));
            return false;
        }
        call.arguments = input.dump();
        m_tool_blocks.erase(block);
        return true;
    }

    struct ToolBlock
    {
        std::size_t call = 0; ///< the position in the reply's tool_calls
        std::string partial_json;
    };

    std::map<std::int64_t, ToolBlock> m_tool_blocks; ///< open tool_use blocks by stream index
};

class AnthropicProvider : public Provider
{
public:
    explicit AnthropicProvider(ProviderConfig config) : Provider(std::move(config)) {}

    HttpRequest
    build_request(const Request& request, bool stream, std::string_view api_key) const override
    {
        HttpRequest http;
        http.url = wire::endpoint_url(m_config.base_url, "/v1/messages");
        http.headers.emplace_back("Content-Type", "application/json");
        http.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
        http.headers.emplace_back("anthropic-version", "2023-06-01");
        if (!api_key.empty()) {
            http.headers.emplace_back("x-api-key", std::string(api_key));
        }
        http.body = body(request, stream).dump();
        return http;
    }

    Outcome<Reply> parse_reply(const HttpResponse& response) const override
    {
        const json document = json::parse(response.body, nullptr, false);
        if (document.is_discarded() || !document.is_object()) {
            return wire::malformed_body(response, k_name, "a message was expected");
        }
        if (auto error = wire::find_error_object(document)) {
            return wire::provider_failure(*error, k_name, response.status);
        }
        if (!document.contains("content") || !document["content"].is_array()) {
            return wire::malformed_body(response, k_name, "the reply has no 'content'");
        }
        Reply reply;
        for (const json& block : document["content"]) {
            const std::string type = wire::string_at(block, "type");
            if (type == "text") {
                reply.text += wire::string_at(block, "text");
            } else if (type == "tool_use") {
                reply.tool_calls.push_back(tool_call_of(block));
            }
        }
        set_stop_reason(reply, wire::string_at(document, "stop_reason"));
        if (document.contains("usage")) {
            read_usage(document["usage"], reply.usage);
        }
        reply.model = wire::string_at(document, "model");
        reply.request_id = response.header("request-id").value_or(wire::string_at(document, "id"));
        return reply;
    }

    std::unique_ptr<StreamDecoder> stream_decoder() const override
    {
        return std::make_unique<AnthropicStreamDecoder>();
    }

private:
    static json body(const Request& request, bool stream)
    {
        std::string system;
        json messages = json::array();
        for (const auto& message : request.messages) {
            if (message.role == Role::system) {
                system += system.empty() ? "" : "\n\n";
                system += message.content;
            } else {
                messages.push_back(
                    {{"role", to_string(message.role)}, {"content", message.content}});
            }
        }
        if (request.json_mode) {
            system += system.empty() ? "" : "\n\n";
            system += k_json_instruction;
        }
        json out = {{"model", request.model},
                    {"max_tokens", request.max_tokens.value_or(k_default_max_tokens)},
                    {"messages", messages}};
        if (!system.empty()) {
            out["system"] = system;
        }
        if (request.temperature) {
            out["temperature"] = *request.temperature;
        }
        if (request.top_p) {
            out["top_p"] = *request.top_p;
        }
        if (!request.stop.empty()) {
            out["stop_sequences"] = request.stop;
        }
        if (stream) {
            out["stream"] = true;
        }
        return out;
    }
};

} // namespace

std::unique_ptr<Provider> make_anthropic_provider(const ProviderConfig& config)
{
    return std::make_unique<AnthropicProvider>(config);
}

} // namespace aiops::llm
