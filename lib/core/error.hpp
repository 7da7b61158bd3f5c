#pragma once

#include <exception>
#include <string>
#include <utility>
#include <variant>

namespace aiops::core {

/// The process exit codes, the same for every command.
enum class ExitCode
{
    success = 0,     ///< done, and the gate passed
    gate_failed = 1, ///< done, and the gate failed
    usage = 2,       ///< bad flag or malformed input
    failure = 3,     ///< could not finish: I/O, git, network or internal error
    interrupted = 130,
};

/// What kind of failure an Error reports; each kind maps to one exit code.
enum class ErrorCode
{
    usage,       ///< a bad flag or argument
    input,       ///< a malformed input file (reported as file:line:column)
    io,          ///< a file could not be read or written
    internal,    ///< a dependency failed or an invariant broke
    interrupted, ///< the user asked the run to stop
};

/// The exit code a failure of this kind ends the process with.
ExitCode exit_code_for(ErrorCode code);

/// An expected failure: travels as a value inside Result, or is thrown when a command
/// cannot go on (main catches it and maps its code to the exit code).
class Error : public std::exception
{
public:
    Error(ErrorCode code, std::string message) : m_code(code), m_message(std::move(message)) {}

    ErrorCode code() const { return m_code; }

    const std::string& message() const { return m_message; }

    const char* what() const noexcept override { return m_message.c_str(); }

private:
    ErrorCode m_code;
    std::string m_message;
};

/// A value or the Error that prevented it.
template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_state(std::move(value)) {}

    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }

    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_state); }

    const T& value() const& { return std::get<0>(m_state); }

    T&& value() && { return std::get<0>(std::move(m_state)); }

    const Error& error() const { return std::get<1>(m_state); }

    T* operator->() { return &value(); }

    const T* operator->() const { return &value(); }

    T& operator*() & { return value(); }

    const T& operator*() const& { return value(); }

    /// The value, or throws the error.
    T take() &&
    {
        if (!ok()) {
            throw std::get<1>(std::move(m_state));
        }
        return std::get<0>(std::move(m_state));
    }

private:
    std::variant<T, Error> m_state;
};

} // namespace aiops::core
