#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::llm {

/// Who wrote a message.
enum class Role
{
    system,
    user,
    assistant,
};

std::string_view to_string(Role role);

struct Message
{
    Role role = Role::user;
    std::string content;
};

/// One request to a model, the same for every provider.
struct Request
{
    std::string model; ///< the provider's model name ("gpt-4o-mini", "claude-sonnet-4-5")
    std::vector<Message> messages;
    std::optional<double> temperature;
    std::optional<double> top_p;
    std::optional<std::int64_t> max_tokens;
    std::vector<std::string> stop;
    std::optional<std::int64_t> seed; ///< best effort; Anthropic has none and ignores it
    bool json_mode = false;           ///< ask for a JSON object as the reply
};

/// The max_tokens sent (and assumed by the budget check) when a request names none:
/// Anthropic requires one.
inline constexpr std::int64_t k_default_max_tokens = 4096;

/// Why the model stopped, normalised across providers.
enum class FinishReason
{
    stop,           ///< a natural end or a stop sequence
    length,         ///< the max_tokens limit (the reply is truncated)
    content_filter, ///< a filter or a refusal
    tool_calls,     ///< the model asks to call tools
    other,          ///< anything else, or none reported
};

std::string_view to_string(FinishReason reason);

/// Parses the names to_string gives; anything else is `other`.
FinishReason parse_finish_reason(std::string_view name);

/// Tokens of one call. input counts every prompt token: those read from the provider's
/// prompt cache and those written to it are parts of input, priced at their own rates.
struct Usage
{
    std::int64_t input_tokens = 0;
    std::int64_t output_tokens = 0;
    std::int64_t cached_input_tokens = 0;      ///< read from the prompt cache
    std::int64_t cache_write_input_tokens = 0; ///< written to the prompt cache, every lifetime
    /// The part of the cache writes kept for an hour (Anthropic's 1h lifetime); the rest is
    /// kept for five minutes.
    std::int64_t cache_write_1h_input_tokens = 0;
};

/// A tool the model asks the caller to run.
struct ToolCall
{
    std::string id;        ///< the provider's id for the call ("call_...", "toolu_...")
    std::string name;      ///< the tool's name
    std::string arguments; ///< the arguments as JSON text, as the model wrote them
};

/// A model's reply.
struct Reply
{
    std::string text;
    std::vector<ToolCall> tool_calls; ///< in the order the model wrote them
    FinishReason finish_reason = FinishReason::other;
    std::string raw_finish_reason; ///< as the provider named it ("end_turn")
    Usage usage;
    std::string request_id; ///< the provider's id for the call (header, else body id)
    std::string model;      ///< the snapshot that answered, as the provider reports it
};

} // namespace aiops::llm
