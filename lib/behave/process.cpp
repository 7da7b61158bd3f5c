#include "behave/process.hpp"

#include "core/interrupt.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

extern char** environ;

namespace aiops::behave {

namespace {

/// A pipe whose ends close themselves.
struct Pipe
{
    int read_end = -1;
    int write_end = -1;

    Pipe() = default;
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;

    ~Pipe()
    {
        close_read();
        close_write();
    }

    bool open()
    {
        std::array<int, 2> ends{};
        // O_CLOEXEC: children spawned by other threads at the same time must not inherit it.
        if (pipe2(ends.data(), O_CLOEXEC) != 0) {
            return false;
        }
        read_end = ends[0];
        write_end = ends[1];
        return true;
    }

    void close_read()
    {
        if (read_end >= 0) {
            ::close(read_end);
            read_end = -1;
        }
    }

    void close_write()
    {
        if (write_end >= 0) {
            ::close(write_end);
            write_end = -1;
        }
    }
};

std::vector<std::string> child_environment(const std::map<std::string, std::string>& overrides)
{
    std::vector<std::string> out;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const auto name = std::string(text.substr(0, text.find('=')));
        if (overrides.count(name) == 0) {
            out.emplace_back(text);
        }
    }
    for (const auto& [name, value] : overrides) {
        out.push_back(name + "=" + value);
    }
    return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings)
{
    std::vector<char*> out;
    for (auto& text : strings) {
        out.push_back(text.data());
    }
    out.push_back(nullptr);
    return out;
}

/// Starts the child; returns its pid or the errno that stopped it.
std::pair<pid_t, int> spawn(const ProcessSpec& spec, Pipe& input, Pipe& output, Pipe& errors)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, input.read_end, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, output.write_end, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, errors.write_end, STDERR_FILENO);
    if (!spec.working_folder.empty()) {
        posix_spawn_file_actions_addchdir_np(&actions, spec.working_folder.c_str());
    }
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(
        &attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attributes, 0);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigdefault(&attributes, &defaults);

    std::vector<std::string> arguments = spec.argv;
    std::vector<std::string> environment = child_environment(spec.env);
    auto argv = pointers(arguments);
    auto envp = pointers(environment);
    pid_t pid = -1;
    const int status = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return {status == 0 ? pid : -1, status};
}

using Clock = std::chrono::steady_clock;

// After the child exits, output that a process outside its group (a daemon it started)
// still holds open is read for this long, then left: the child's own output is in the
// pipe by then, since a writer cannot exit with more unread than the pipe holds.
constexpr auto k_read_after_exit = std::chrono::milliseconds(100);

// The longest one wait for output lasts, so an interrupt or an exit is seen promptly.
constexpr long long k_wait_slice_ms = 50;

// A descriptor that polls readable once the process has exited (a pidfd); -1 where the
// kernel has none. Called through syscall(): glibc 2.36's <sys/pidfd.h> cannot be
// included from C++.
int open_exit_signal(pid_t pid)
{
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

/// One running child: feeds its stdin, reads its output, notices its exit, its timeout,
/// an output past the cap and an interrupt.
class ChildRun
{
public:
    ChildRun(const ProcessSpec& spec, pid_t pid, Pipe& input, Pipe& output, Pipe& errors)
        : m_spec(spec), m_pid(pid), m_input(input), m_output(output), m_errors(errors),
          m_stdin_text(spec.stdin_text.value_or("")), m_started(Clock::now()),
          m_deadline(m_started + spec.timeout), m_exit_signal(open_exit_signal(pid))
    {
        if (m_stdin_text.empty()) {
            m_input.close_write();
        } else {
            fcntl(m_input.write_end, F_SETFL, O_NONBLOCK);
        }
    }

    ~ChildRun()
    {
        if (m_exit_signal >= 0) {
            ::close(m_exit_signal);
        }
    }

    ChildRun(const ChildRun&) = delete;
    ChildRun& operator=(const ChildRun&) = delete;

    core::Result<ProcessResult> wait()
    {
        while (!finished()) {
            if (core::interrupted()) {
                stop_group();
                return core::Error(core::ErrorCode::interrupted, "interrupted");
            }
            exchange();
        }
        if (!m_exited) {
            stop_group(); // timed out, or an output passed its cap
        }
        // What the child left running in its group would outlive the trial.
        ::kill(-m_pid, SIGKILL);
        m_result.latency_ms =
            std::chrono::duration<double, std::milli>(m_ended - m_started).count();
        if (WIFEXITED(m_status)) {
            m_result.exit_code = WEXITSTATUS(m_status);
        } else if (WIFSIGNALED(m_status)) {
            m_result.signal = WTERMSIG(m_status);
        }
        return std::move(m_result);
    }

private:
    bool finished()
    {
        const auto now = Clock::now();
        reap(WNOHANG);
        if (!m_result.over_cap.empty()) {
            return true;
        }
        if (m_exited) {
            const bool pipes_open = m_output.read_end >= 0 || m_errors.read_end >= 0;
            return !pipes_open || now >= m_ended + k_read_after_exit;
        }
        if (now >= m_deadline) {
            m_result.timed_out = true;
            return true;
        }
        return false;
    }

    // One wait for the pipes or the child's exit, then whatever the pipes are ready for.
    // Without the exit in the wait, a child that closed its output while it exits would
    // cost a whole slice: the pipes close a moment before the child can be reaped.
    void exchange()
    {
        std::array<pollfd, 4> watched{};
        watched[0] = {m_output.read_end, POLLIN, 0};
        watched[1] = {m_errors.read_end, POLLIN, 0};
        watched[2] = {m_input.write_end, POLLOUT, 0};
        watched[3] = {m_exited ? -1 : m_exit_signal, POLLIN, 0};
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline - Clock::now())
                .count();
        const long long wait_ms = std::clamp<long long>(left + 1, 1, k_wait_slice_ms);
        if (poll(watched.data(), watched.size(), static_cast<int>(wait_ms)) < 0) {
            return; // EINTR: the loop looks at the interrupt flag
        }
        feed(watched[2].revents);
        read_into(m_output, watched[0].revents, m_result.stdout_text, "standard output");
        read_into(m_errors, watched[1].revents, m_result.stderr_text, "standard error");
    }

    void feed(short revents)
    {
        if (m_input.write_end < 0 || (revents & (POLLOUT | POLLERR | POLLHUP)) == 0) {
            return;
        }
        const ssize_t count = ::write(
            m_input.write_end, m_stdin_text.data() + m_written, m_stdin_text.size() - m_written);
        if (count > 0) {
            m_written += static_cast<std::size_t>(count);
        }
        if ((count < 0 && errno != EAGAIN) || m_written >= m_stdin_text.size()) {
            m_input.close_write();
        }
    }

    void read_into(Pipe& pipe, short revents, std::string& target, const char* stream)
    {
        if (pipe.read_end < 0 || (revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
            return;
        }
        const ssize_t count = ::read(pipe.read_end, m_buffer.data(), m_buffer.size());
        if (count == 0 || (count < 0 && errno != EINTR && errno != EAGAIN)) {
            pipe.close_read();
            return;
        }
        if (count < 0) {
            return;
        }
        const std::size_t cap = m_spec.max_output_bytes;
        const std::size_t room = target.size() < cap ? cap - target.size() : 0;
        const auto size = static_cast<std::size_t>(count);
        target.append(m_buffer.data(), std::min(size, room));
        if (size > room) {
            m_result.over_cap = stream;
        }
    }

    // Waits for the child (flags 0) or only looks (WNOHANG).
    void reap(int flags)
    {
        if (m_exited) {
            return;
        }
        pid_t done = 0;
        while ((done = waitpid(m_pid, &m_status, flags)) < 0 && errno == EINTR) {
        }
        if (done == m_pid) {
            m_exited = true;
            m_ended = Clock::now();
        }
    }

    void stop_group()
    {
        ::kill(-m_pid, SIGKILL);
        reap(0);
    }

    const ProcessSpec& m_spec;
    pid_t m_pid;
    Pipe& m_input;
    Pipe& m_output;
    Pipe& m_errors;
    std::string m_stdin_text;
    std::size_t m_written = 0;
    Clock::time_point m_started;
    Clock::time_point m_deadline;
    Clock::time_point m_ended;
    bool m_exited = false;
    int m_status = 0;
    /// Readable once the child has exited (a pidfd); -1 where the kernel has none, and
    /// then the slices of the wait notice the exit.
    int m_exit_signal = -1;
    ProcessResult m_result;
    std::array<char, 65536> m_buffer{};
};

} // namespace

core::Result<ProcessResult> run_process(const ProcessSpec& spec)
{
    if (spec.argv.empty()) {
        return core::Error(core::ErrorCode::usage, "no program to run");
    }
    // A child that exits without reading all its input must not end this process with
    // SIGPIPE: the write fails with EPIPE instead. Children get the default back.
    static std::once_flag ignore_broken_pipes;
    std::call_once(ignore_broken_pipes, [] { std::signal(SIGPIPE, SIG_IGN); });
    std::error_code folder_error;
    if (!spec.working_folder.empty()
        && !std::filesystem::is_directory(spec.working_folder, folder_error)) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("cannot run '{}': the working folder '{}' is not a folder",
                                       spec.argv[0],
                                       spec.working_folder.string()));
    }
    Pipe input;
    Pipe output;
    Pipe errors;
    if (!input.open() || !output.open() || !errors.open()) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("cannot make a pipe: {}", std::strerror(errno)));
    }
    const auto [pid, spawn_error] = spawn(spec, input, output, errors);
    if (pid < 0) {
        return core::Error(
            core::ErrorCode::io,
            fmt::format("cannot run '{}': {}", spec.argv[0], std::strerror(spawn_error)));
    }
    input.close_read();
    output.close_write();
    errors.close_write();
    return ChildRun(spec, pid, input, output, errors).wait();
}

} // namespace aiops::behave
