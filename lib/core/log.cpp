#include "core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace aiops::core::log {

namespace {

std::atomic<Level> g_level{Level::warn};
std::atomic<Redactor> g_redactor{nullptr};
std::mutex g_write_mutex;
bool g_status_shown = false; ///< a status line is on the terminal; guarded by g_write_mutex

// Erases the status line, so that a message does not run into it.
void clear_status_locked()
{
    if (g_status_shown) {
        std::fputs("\r\x1b[K", stderr);
        g_status_shown = false;
    }
}

std::string_view label(Level at)
{
    switch (at) {
    case Level::error:
        return "error";
    case Level::warn:
        return "warning";
    case Level::info:
        return "info";
    case Level::debug:
        return "debug";
    case Level::trace:
        return "trace";
    }
    return "log";
}

std::string timestamp()
{
    const auto now = std::chrono::system_clock::now();
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count()
        % 1000;
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    return fmt::format(
        "{:02}:{:02}:{:02}.{:03} ", parts.tm_hour, parts.tm_min, parts.tm_sec, millis);
}

} // namespace

void set_level(Level at)
{
    g_level.store(at);
}

Level level()
{
    return g_level.load(std::memory_order_relaxed);
}

void set_redactor(Redactor redactor)
{
    g_redactor.store(redactor);
}

void write(Level at, std::string_view message)
{
    // A message logged while the redactor runs (it may load rules) is written as it is.
    thread_local bool redacting = false;
    std::string redacted;
    if (const Redactor redact = g_redactor.load(); redact != nullptr && !redacting) {
        redacting = true;
        redacted = redact(message);
        redacting = false;
        message = redacted;
    }
    std::string line = level() >= Level::debug ? timestamp() : std::string();
    line += fmt::format("aiops: {}: {}\n", label(at), message);
    const std::lock_guard<std::mutex> lock(g_write_mutex);
    clear_status_locked();
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

void show_status(std::string_view status)
{
    const std::lock_guard<std::mutex> lock(g_write_mutex);
    std::fputs("\r", stderr);
    std::fwrite(status.data(), 1, status.size(), stderr);
    std::fputs("\x1b[K", stderr);
    std::fflush(stderr);
    g_status_shown = true;
}

void clear_status()
{
    const std::lock_guard<std::mutex> lock(g_write_mutex);
    clear_status_locked();
    std::fflush(stderr);
}

} // namespace aiops::core::log
