#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace aiops::core {

/// Progress of a long run on the terminal: "scan: 1200/5000 files, 850 files/s, 5 s
/// left", redrawn at most a few times a second on standard error. Shown only when
/// standard error is a terminal, the CI variable is unset, the log is not quiet and
/// the run has lasted a second; CI logs and pipes never see it. Safe to tick from
/// several threads.
class Progress
{
public:
    /// `what` names the run ("scan"), `unit` what is counted ("files").
    Progress(std::string what, std::string unit, std::size_t total);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    /// One more item done.
    void tick();

    /// Whether progress goes to this process's standard error at all.
    static bool wanted();

private:
    void draw(std::size_t done, std::chrono::steady_clock::time_point now);

    std::string m_what;
    std::string m_unit;
    std::size_t m_total;
    bool m_enabled;
    std::chrono::steady_clock::time_point m_start;
    std::atomic<std::size_t> m_done{0};
    std::atomic<std::int64_t> m_next_draw_ms{0};
    std::mutex m_draw;
    bool m_drawn = false;
};

} // namespace aiops::core
