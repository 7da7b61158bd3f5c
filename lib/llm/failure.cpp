#include "llm/failure.hpp"

namespace aiops::llm {

std::string_view to_string(FailureKind kind)
{
    switch (kind) {
    case FailureKind::connection:
        return "connection";
    case FailureKind::timeout:
        return "timeout";
    case FailureKind::tls:
        return "tls";
    case FailureKind::http_status:
        return "http_status";
    case FailureKind::provider_error:
        return "provider_error";
    case FailureKind::malformed_reply:
        return "malformed_reply";
    case FailureKind::reply_too_large:
        return "reply_too_large";
    case FailureKind::offline_miss:
        return "offline_miss";
    case FailureKind::budget_exceeded:
        return "budget_exceeded";
    case FailureKind::cache:
        return "cache";
    case FailureKind::configuration:
        return "configuration";
    case FailureKind::interrupted:
        return "interrupted";
    case FailureKind::deadline:
        return "deadline";
    }
    return "unknown";
}

core::Error Failure::to_error() const
{
    const auto code = kind == FailureKind::configuration ? core::ErrorCode::usage
                      : kind == FailureKind::interrupted ? core::ErrorCode::interrupted
                                                         : core::ErrorCode::internal;
    return core::Error(code, message);
}

std::string redact(std::string_view text, std::string_view secret)
{
    if (secret.empty()) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    std::size_t from = 0;
    while (true) {
        const std::size_t at = text.find(secret, from);
        if (at == std::string_view::npos) {
            out.append(text.substr(from));
            return out;
        }
        out.append(text.substr(from, at - from));
        out.append("[REDACTED]");
        from = at + secret.size();
    }
}

} // namespace aiops::llm
