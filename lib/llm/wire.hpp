#pragma once

// What the provider translations share: reading error objects and numbers out of JSON.

#include "llm/failure.hpp"
#include "llm/http_client.hpp"

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

/// A member as an integer (0 when missing or not a number).
std::int64_t integer_at(const nlohmann::json& object, std::string_view key);

/// A member as a string ("" when missing or not a string).
std::string string_at(const nlohmann::json& object, std::string_view key);

/// The Failure for a body that is not the provider's JSON: an HTML page or cut-off text.
Failure
malformed_body(const HttpResponse& response, std::string_view provider_name, std::string_view what);

/// Whether a body is an HTML page.
bool looks_like_html(const HttpResponse& response);

} // namespace aiops::llm::wire
