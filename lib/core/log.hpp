#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace aiops::core::log {

/// Verbosity levels, from the quietest.
enum class Level
{
    error,
    warn,
    info,
    debug,
    trace,
};

/// Sets the most verbose level that is written (default: warn).
void set_level(Level level);
Level level();

/// Whether a message at this level would be written.
inline bool enabled(Level at)
{
    return static_cast<int>(at) <= static_cast<int>(level());
}

/// A function that hides secrets in a text before it is written.
using Redactor = std::string (*)(std::string_view);

/// Sets the function every message passes through before it is written (none by
/// default): a value quoted in an error may be a key.
void set_redactor(Redactor redactor);

/// Writes one line to stderr: "aiops: error: ...", "aiops: warning: ...", or with a
/// timestamp from debug up. Lines from several threads never interleave.
void write(Level at, std::string_view message);

/// Shows a one-line status on the terminal in place of the previous one (for progress);
/// the next message or clear_status erases it. Only for a terminal: see core::Progress.
void show_status(std::string_view status);
void clear_status();

template <typename... Args> void error(fmt::format_string<Args...> format, Args&&... args)
{
    write(Level::error, fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args> void warn(fmt::format_string<Args...> format, Args&&... args)
{
    if (enabled(Level::warn)) {
        write(Level::warn, fmt::format(format, std::forward<Args>(args)...));
    }
}

template <typename... Args> void info(fmt::format_string<Args...> format, Args&&... args)
{
    if (enabled(Level::info)) {
        write(Level::info, fmt::format(format, std::forward<Args>(args)...));
    }
}

template <typename... Args> void debug(fmt::format_string<Args...> format, Args&&... args)
{
    if (enabled(Level::debug)) {
        write(Level::debug, fmt::format(format, std::forward<Args>(args)...));
    }
}

template <typename... Args> void trace(fmt::format_string<Args...> format, Args&&... args)
{
    if (enabled(Level::trace)) {
        write(Level::trace, fmt::format(format, std::forward<Args>(args)...));
    }
}

} // namespace aiops::core::log
