#pragma once

// What the provider translations share: reading error objects and numbers out of JSON,
// and the state of a reply that streams in.

#include "llm/failure.hpp"
#include "llm/http_client.hpp"
#include "llm/provider.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aiops::llm::wire {

/// An error object found in a reply: {"error":{...}}, {"error":"..."}, vLLM's flat
/// {"object":"error",...} or Anthropic's {"type":"error","error":{...}}.
struct ErrorObject
{
    std::string message;
    std::string code; ///< the code when it is a string, else the type
};

std::optional<ErrorObject> find_error_object(const nlohmann::json& document);

/// A Failure of kind provider_error for an error object, naming the provider.
Failure provider_failure(const ErrorObject& error, std::string_view provider_name, long status);

/// The address of an endpoint under a base URL: `path` goes after the base's own path
/// (one '/' between them), before its query; a fragment is left out, as it is never sent.
/// "http://h/v1?x=1" and "/chat/completions" give "http://h/v1/chat/completions?x=1".
std::string endpoint_url(std::string_view base_url, std::string_view path);

/// A member as an integer (0 when missing or not a number).
std::int64_t integer_at(const nlohmann::json& object, std::string_view key);

/// A member as a string ("" when missing or not a string).
std::string string_at(const nlohmann::json& object, std::string_view key);

/// The Failure for a body that is not the provider's JSON: an HTML page or cut-off text.
Failure
malformed_body(const HttpResponse& response, std::string_view provider_name, std::string_view what);

/// Whether a body is an HTML page.
bool looks_like_html(const HttpResponse& response);

/// What a provider's stream decoder keeps while a reply streams in, and how the stream
/// ends: with the first failure it met, as unfinished when the final event never came,
/// or with the reply and the request id from `id_header` (else the body's id).
class ReplyStreamDecoder : public StreamDecoder
{
public:
    Outcome<Reply> finish(const HttpResponse& response) override
    {
        if (m_failure) {
            return *m_failure;
        }
        if (!m_done) {
            return make_failure(FailureKind::connection, m_unfinished);
        }
        m_reply.request_id = response.header(m_id_header).value_or(m_body_id);
        return m_reply;
    }

protected:
    ReplyStreamDecoder(std::string unfinished, std::string id_header)
        : m_unfinished(std::move(unfinished)), m_id_header(std::move(id_header))
    {}

    Reply m_reply;
    std::string m_body_id;
    std::optional<Failure> m_failure;
    bool m_done = false;

private:
    std::string m_unfinished; ///< the message for a stream without its final event
    std::string m_id_header;
};

} // namespace aiops::llm::wire
