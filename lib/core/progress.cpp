#include "core/progress.hpp"

#include "core/log.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace aiops::core {

namespace {

// Nothing is drawn for a run shorter than this, and redraws are this far apart.
constexpr std::int64_t k_first_draw_ms = 1000;
constexpr std::int64_t k_redraw_ms = 250;

std::string duration_text(double seconds)
{
    if (seconds < 60) {
        return fmt::format("{:.0f} s", seconds);
    }
    const auto minutes = static_cast<long>(seconds / 60);
    return fmt::format("{} min {:02} s", minutes, static_cast<long>(seconds) % 60);
}

} // namespace

Progress::Progress(std::string what, std::string unit, std::size_t total)
    : m_what(std::move(what)), m_unit(std::move(unit)), m_total(total), m_enabled(wanted()),
      m_start(std::chrono::steady_clock::now()), m_next_draw_ms(k_first_draw_ms)
{}

Progress::~Progress()
{
    if (m_drawn) {
        log::clear_status();
    }
}

bool Progress::wanted()
{
    const char* ci = std::getenv("CI");
    const char* term = std::getenv("TERM");
    return ::isatty(STDERR_FILENO) == 1 && (ci == nullptr || *ci == '\0')
           && (term == nullptr || std::strcmp(term, "dumb") != 0) && log::enabled(log::Level::warn);
}

void Progress::tick()
{
    const std::size_t done = m_done.fetch_add(1, std::memory_order_relaxed) + 1;
    if (!m_enabled) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    const auto elapsed_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - m_start).count();
    if (elapsed_ms < m_next_draw_ms.load(std::memory_order_relaxed)) {
        return;
    }
    // One thread draws; the others go on with their work.
    std::unique_lock<std::mutex> lock(m_draw, std::try_to_lock);
    if (!lock.owns_lock()) {
        return;
    }
    m_next_draw_ms.store(elapsed_ms + k_redraw_ms, std::memory_order_relaxed);
    draw(done, now);
}

void Progress::draw(std::size_t done, std::chrono::steady_clock::time_point now)
{
    const double seconds = std::chrono::duration<double>(now - m_start).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    std::string status =
        fmt::format("{}: {}/{} {}, {:.0f} {}/s", m_what, done, m_total, m_unit, rate, m_unit);
    if (rate > 0 && done < m_total) {
        status +=
            fmt::format(", {} left", duration_text(static_cast<double>(m_total - done) / rate));
    }
    log::show_status(status);
    m_drawn = true;
}

} // namespace aiops::core
