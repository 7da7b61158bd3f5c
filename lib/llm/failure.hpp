#pragma once

#include "core/error.hpp"
#include "llm/model.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace aiops::llm {

/// Why a model call failed.
enum class FailureKind
{
    connection,      ///< no connection, or it broke before a whole reply arrived
    timeout,         ///< the connect or total timeout passed
    tls,             ///< the certificate failed verification, or no TLS; never retried
    http_status,     ///< the server answered with an error status
    provider_error,  ///< the reply carries an error object (also inside a 200 or a stream)
    malformed_reply, ///< the body is not the JSON the provider sends (HTML page, cut-off JSON)
    reply_too_large, ///< the body passed the size cap
    offline_miss,    ///< offline, and the cache has no reply for the request
    budget_exceeded, ///< the run's spend reached, or could reach, the budget
    cache,           ///< the cache backend failed
    configuration,   ///< a bad setting: unknown provider, missing key variable, bad cache spec
    interrupted,     ///< an interrupt (SIGINT, SIGTERM) stopped the call; never retried
    deadline,        ///< the call's own time limit (CallOptions::timeout) passed; never retried
};

/// The name of a kind, as it appears in logs and metrics ("http_status", ...).
std::string_view to_string(FailureKind kind);

/// A failed call with what a caller needs to decide what to do next. The message never
/// holds an API key (see redact).
struct Failure
{
    FailureKind kind = FailureKind::connection;
    std::string message;
    int http_status = 0;       ///< 0 when no status was received
    std::string provider_code; ///< the error's code or type from the body ("insufficient_quota")
    /// The wait a server asked for (retry-after-ms or retry-after), when it asked.
    std::optional<std::chrono::milliseconds> retry_after;
    /// The server's x-should-retry header, when it sent one.
    std::optional<bool> should_retry;
    double spent_usd = 0; ///< for budget_exceeded: what the run had spent
    /// For budget_exceeded by a call that was made: its reply (paid for, and cached) and
    /// what it cost, so the caller can count it and keep it.
    std::optional<Reply> reply;
    double cost_usd = 0;

    /// The error a command reports: configuration problems are usage errors (exit 2), an
    /// interrupt is ErrorCode::interrupted (exit 130), everything else could-not-finish
    /// (exit 3). A command maps budget_exceeded (and deadline) to its gate (exit 1) itself.
    core::Error to_error() const;
};

/// A value or the Failure that prevented it.
template <typename T> class [[nodiscard]] Outcome
{
public:
    Outcome(T value) : m_state(std::move(value)) {}

    Outcome(Failure failure) : m_state(std::move(failure)) {}

    bool ok() const { return m_state.index() == 0; }

    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_state); }

    const T& value() const& { return std::get<0>(m_state); }

    T&& value() && { return std::get<0>(std::move(m_state)); }

    const Failure& failure() const { return std::get<1>(m_state); }

    Failure& failure() { return std::get<1>(m_state); }

    T* operator->() { return &value(); }

    const T* operator->() const { return &value(); }

    T& operator*() & { return value(); }

    const T& operator*() const& { return value(); }

private:
    std::variant<T, Failure> m_state;
};

/// A Failure of a kind with a message.
inline Failure make_failure(FailureKind kind, std::string message)
{
    Failure failure;
    failure.kind = kind;
    failure.message = std::move(message);
    return failure;
}

/// The text with every occurrence of the secret replaced by "[REDACTED]"; an empty secret
/// changes nothing.
std::string redact(std::string_view text, std::string_view secret);

} // namespace aiops::llm
