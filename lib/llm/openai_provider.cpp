#include "llm/provider.hpp"
#include "llm/wire.hpp"

#include <fmt/format.h>

#include <map>
#include <vector>

namespace aiops::llm {

namespace {

using nlohmann::json;

constexpr std::string_view k_name = "openai";

// Reasoning models reject max_tokens and take max_completion_tokens.
std::string max_tokens_field(const ProviderConfig& config, const std::string& model)
{
    if (config.max_tokens_field) {
        return *config.max_tokens_field;
    }
    for (const std::string_view prefix : {"o1", "o3", "o4", "gpt-5"}) {
        if (model.starts_with(prefix)) {
            return "max_completion_tokens";
        }
    }
    return "max_tokens";
}

void read_usage(const json& usage, Usage& out)
{
    if (!usage.is_object()) {
        return;
    }
    out.input_tokens = wire::integer_at(usage, "prompt_tokens");
    out.output_tokens = wire::integer_at(usage, "completion_tokens");
    if (usage.contains("prompt_tokens_details")) {
        out.cached_input_tokens = wire::integer_at(usage["prompt_tokens_details"], "cached_tokens");
    }
}

// The deprecated single function_call names the same thing as tool_calls.
void set_finish_reason(Reply& reply, std::string reason)
{
    reply.finish_reason =
        reason == "function_call" ? FinishReason::tool_calls : parse_finish_reason(reason);
    reply.raw_finish_reason = std::move(reason);
}

// A refusal comes in message.refusal with no content (and finish_reason "stop"): it is
// the reply's text, and a refusal is what content_filter stands for.
void read_refusal(const json& message, Reply& reply)
{
    std::string refusal = wire::string_at(message, "refusal");
    if (refusal.empty()) {
        return;
    }
    if (reply.text.empty()) {
        reply.text = std::move(refusal);
    }
    reply.finish_reason = FinishReason::content_filter;
}

// message.tool_calls: [{id, type, function: {name, arguments}}], arguments a JSON string.
std::vector<ToolCall> read_tool_calls(const json& message)
{
    std::vector<ToolCall> calls;
    if (!message.contains("tool_calls") || !message["tool_calls"].is_array()) {
        return calls;
    }
    for (const json& call : message["tool_calls"]) {
        if (!call.is_object()) {
            continue;
        }
        ToolCall out;
        out.id = wire::string_at(call, "id");
        if (call.contains("function")) {
            out.name = wire::string_at(call["function"], "name");
            out.arguments = wire::string_at(call["function"], "arguments");
        }
        calls.push_back(std::move(out));
    }
    return calls;
}

std::string request_id(const HttpResponse& response, const json& body)
{
    if (const auto id = response.header("x-request-id")) {
        return *id;
    }
    return wire::string_at(body, "id");
}

class OpenAiStreamDecoder : public wire::ReplyStreamDecoder
{
public:
    OpenAiStreamDecoder()
        : ReplyStreamDecoder("openai's stream ended before its final 'data: [DONE]' event",
                             "x-request-id")
    {}

    bool on_event(const SseEvent& event) override
    {
        if (event.data == "[DONE]") {
            m_done = true;
            return false;
        }
        json chunk = json::parse(event.data, nullptr, false);
        if (chunk.is_discarded()) {
            m_failure = make_failure(FailureKind::malformed_reply,
                                     "openai sent a stream event that is not JSON");
            return false;
        }
        if (auto error = wire::find_error_object(chunk); error || event.event == "error") {
            m_failure = wire::provider_failure(
                error.value_or(wire::ErrorObject{"an error event", ""}), k_name, 200);
            return false;
        }
        if (m_reply.model.empty()) {
            m_reply.model = wire::string_at(chunk, "model");
            m_body_id = wire::string_at(chunk, "id");
        }
        if (chunk.contains("choices") && chunk["choices"].is_array() && !chunk["choices"].empty()) {
            const json& choice = chunk["choices"][0];
            if (choice.contains("delta") && choice["delta"].is_object()) {
                m_reply.text += wire::string_at(choice["delta"], "content");
                m_refusal += wire::string_at(choice["delta"], "refusal");
                add_tool_call_deltas(choice["delta"]);
            }
            if (std::string reason = wire::string_at(choice, "finish_reason"); !reason.empty()) {
                set_finish_reason(m_reply, std::move(reason));
                read_refusal({{"refusal", m_refusal}}, m_reply);
            }
        }
        if (chunk.contains("usage")) {
            read_usage(chunk["usage"], m_reply.usage);
        }
        return true;
    }

private:
    // delta.tool_calls: [{index, id?, function: {name?, arguments?}}]. The first delta of a
    // call brings its id and name; the arguments come in fragments, each naming its call
    // by index, to be joined in order.
    void add_tool_call_deltas(const json& delta)
    {
        if (!delta.contains("tool_calls") || !delta["tool_calls"].is_array()) {
            return;
        }
        for (const json& fragment : delta["tool_calls"]) {
            if (!fragment.is_object()) {
                continue;
            }
            ToolCall& call = call_for(fragment);
            if (std::string id = wire::string_at(fragment, "id"); !id.empty()) {
                call.id = std::move(id);
            }
            if (fragment.contains("function") && fragment["function"].is_object()) {
                // Only the first fragment names the call; some servers repeat it.
                if (call.name.empty()) {
                    call.name = wire::string_at(fragment["function"], "name");
                }
                call.arguments += wire::string_at(fragment["function"], "arguments");
            }
        }
    }

    // Some compatible servers send whole calls without an index: a new id then starts a
    // new call, and a fragment without either continues the last one.
    ToolCall& call_for(const json& fragment)
    {
        if (fragment.contains("index") && fragment["index"].is_number_integer()) {
            const auto index = fragment["index"].get<std::int64_t>();
            auto [slot, added] = m_call_at_index.try_emplace(index, m_reply.tool_calls.size());
            if (added) {
                m_reply.tool_calls.emplace_back();
            }
            return m_reply.tool_calls[slot->second];
        }
        const std::string id = wire::string_at(fragment, "id");
        if (m_reply.tool_calls.empty() || (!id.empty() && m_reply.tool_calls.back().id != id)) {
            m_reply.tool_calls.emplace_back();
        }
        return m_reply.tool_calls.back();
    }

    std::map<std::int64_t, std::size_t> m_call_at_index; ///< the stream's index to tool_calls
    std::string m_refusal;                               ///< delta.refusal fragments, joined
};

class OpenAiProvider : public Provider
{
public:
    explicit OpenAiProvider(ProviderConfig config) : Provider(std::move(config)) {}

    HttpRequest
    build_request(const Request& request, bool stream, std::string_view api_key) const override
    {
        HttpRequest http;
        http.url = wire::endpoint_url(m_config.base_url, "/chat/completions");
        if (m_config.api_version) {
            const char joint = http.url.find('?') == std::string::npos ? '?' : '&';
            http.url += joint + ("api-version=" + url_encode(*m_config.api_version));
        }
        http.headers.emplace_back("Content-Type", "application/json");
        http.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
        if (!api_key.empty()) {
            if (m_config.api_version) {
                http.headers.emplace_back("api-key", std::string(api_key));
            } else {
                http.headers.emplace_back("Authorization", fmt::format("Bearer {}", api_key));
            }
        }
        http.body = body(request, stream).dump();
        return http;
    }

    Outcome<Reply> parse_reply(const HttpResponse& response) const override
    {
        const json document = json::parse(response.body, nullptr, false);
        if (document.is_discarded() || !document.is_object()) {
            return wire::malformed_body(response, k_name, "a chat completion was expected");
        }
        if (auto error = wire::find_error_object(document)) {
            return wire::provider_failure(*error, k_name, response.status);
        }
        if (!document.contains("choices") || !document["choices"].is_array()
            || document["choices"].empty() || !document["choices"][0].is_object()) {
            return wire::malformed_body(response, k_name, "the reply has no 'choices'");
        }
        const json& choice = document["choices"][0];
        Reply reply;
        if (choice.contains("message") && choice["message"].is_object()) {
            reply.text = wire::string_at(choice["message"], "content");
            reply.tool_calls = read_tool_calls(choice["message"]);
        }
        set_finish_reason(reply, wire::string_at(choice, "finish_reason"));
        if (choice.contains("message") && choice["message"].is_object()) {
            read_refusal(choice["message"], reply);
        }
        if (document.contains("usage")) {
            read_usage(document["usage"], reply.usage);
        }
        reply.model = wire::string_at(document, "model");
        reply.request_id = request_id(response, document);
        return reply;
    }

    std::unique_ptr<StreamDecoder> stream_decoder() const override
    {
        return std::make_unique<OpenAiStreamDecoder>();
    }

private:
    json body(const Request& request, bool stream) const
    {
        json messages = json::array();
        for (const auto& message : request.messages) {
            messages.push_back({{"role", to_string(message.role)}, {"content", message.content}});
        }
        json out = {{"model", request.model}, {"messages", messages}};
        if (request.temperature) {
            out["temperature"] = *request.temperature;
        }
        if (request.top_p) {
            out["top_p"] = *request.top_p;
        }
        if (request.max_tokens) {
            out[max_tokens_field(m_config, request.model)] = *request.max_tokens;
        }
        if (!request.stop.empty()) {
            out["stop"] = request.stop;
        }
        if (request.seed) {
            out["seed"] = *request.seed;
        }
        if (request.json_mode) {
            out["response_format"] = {{"type", "json_object"}};
        }
        if (stream) {
            out["stream"] = true;
            out["stream_options"] = {{"include_usage", true}};
        }
        return out;
    }
};

} // namespace

std::unique_ptr<Provider> make_openai_provider(const ProviderConfig& config)
{
    return std::make_unique<OpenAiProvider>(config);
}

} // namespace aiops::llm
