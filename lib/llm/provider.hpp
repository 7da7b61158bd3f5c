#pragma once

#include "llm/failure.hpp"
#include "llm/http_client.hpp"
#include "llm/model.hpp"
#include "llm/sse.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace aiops::llm {

/// The wire protocols aiops speaks.
enum class ProviderKind
{
    openai,    ///< Chat Completions: OpenAI and compatible servers (Ollama, vLLM, ...)
    anthropic, ///< Messages API
};

/// Parses "openai" or "anthropic".
std::optional<ProviderKind> parse_provider_kind(std::string_view name);

std::string_view to_string(ProviderKind kind);

/// Where and how to reach a provider. The key itself is never stored here: only the name
/// of the environment variable that holds it.
struct ProviderConfig
{
    ProviderKind kind = ProviderKind::openai;
    /// Without a trailing slash. OpenAI-style: ".../v1" (the client adds /chat/completions);
    /// Anthropic: the host (the client adds /v1/messages).
    std::string base_url;
    /// The variable holding the API key; empty for servers that need none (a local Ollama).
    std::string api_key_env;
    /// Azure OpenAI: the api-version query parameter. When set, the key goes in an
    /// `api-key` header instead of `Authorization: Bearer`.
    std::optional<std::string> api_version;
    /// OpenAI-style only: the body field for the token limit. Default: max_completion_tokens
    /// for the o-series and gpt-5 models, max_tokens (which compatible servers know) else.
    std::optional<std::string> max_tokens_field;
};

/// The defaults of a kind: api.openai.com/v1 and OPENAI_API_KEY, or api.anthropic.com
/// and ANTHROPIC_API_KEY.
ProviderConfig default_provider_config(ProviderKind kind);

/// Reads one streamed reply event by event.
class StreamDecoder
{
public:
    virtual ~StreamDecoder() = default;

    /// Takes one event; false when the stream is over or failed (see finish).
    virtual bool on_event(const SseEvent& event) = 0;

    /// The reply once the stream ended. Fails with provider_error when an error event
    /// came, and with connection when the stream ended before its final event.
    virtual Outcome<Reply> finish(const HttpResponse& response) = 0;
};

/// Translates between the internal request and reply models and one provider's wire
/// format.
class Provider
{
public:
    virtual ~Provider() = default;

    /// The HTTP request for a call; the key is put into the auth header only.
    virtual HttpRequest
    build_request(const Request& request, bool stream, std::string_view api_key) const = 0;

    /// Reads a 2xx reply. Fails with provider_error when the body is an error object and
    /// malformed_reply when it is not the expected JSON.
    virtual Outcome<Reply> parse_reply(const HttpResponse& response) const = 0;

    /// A decoder for one streamed reply.
    virtual std::unique_ptr<StreamDecoder> stream_decoder() const = 0;

    const ProviderConfig& config() const { return m_config; }

protected:
    explicit Provider(ProviderConfig config) : m_config(std::move(config)) {}

    ProviderConfig m_config;
};

std::unique_ptr<Provider> make_provider(const ProviderConfig& config);

/// The Failure an error reply stands for (status 4xx/5xx, or an error object in any
/// reply): reads both error envelopes ({"error":{...}} and vLLM's flat
/// {"object":"error",...}), recognises HTML error pages, and takes the retry-after-ms,
/// retry-after (seconds or an HTTP date) and x-should-retry headers.
Failure failure_from_response(const HttpResponse& response, std::string_view provider_name);

} // namespace aiops::llm
