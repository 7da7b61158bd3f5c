#include "llm/model.hpp"

namespace aiops::llm {

std::string_view to_string(Role role)
{
    switch (role) {
    case Role::system:
        return "system";
    case Role::user:
        return "user";
    case Role::assistant:
        return "assistant";
    }
    return "user";
}

std::string_view to_string(FinishReason reason)
{
    switch (reason) {
    case FinishReason::stop:
        return "stop";
    case FinishReason::length:
        return "length";
    case FinishReason::content_filter:
        return "content_filter";
    case FinishReason::tool_calls:
        return "tool_calls";
    case FinishReason::other:
        return "other";
    }
    return "other";
}

FinishReason parse_finish_reason(std::string_view name)
{
    for (const auto reason : {FinishReason::stop,
                              FinishReason::length,
                              FinishReason::content_filter,
                              FinishReason::tool_calls}) {
        if (name == to_string(reason)) {
            return reason;
        }
    }
    return FinishReason::other;
}

} // namespace aiops::llm
