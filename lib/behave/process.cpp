#include "behave/process.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

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

void append_capped(
    std::string& target, const char* data, std::size_t size, std::size_t cap, bool& truncated)
{
    const std::size_t room = target.size() < cap ? cap - target.size() : 0;
    if (size > room) {
        truncated = true;
    }
    target.append(data, std::min(size, room));
}

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
    Pipe input;
    Pipe output;
    Pipe errors;
    if (!input.open() || !output.open() || !errors.open()) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("cannot make a pipe: {}", std::strerror(errno)));
    }
    const auto started = std::chrono::steady_clock::now();
    const auto [pid, spawn_error] = spawn(spec, input, output, errors);
    if (pid < 0) {
        return core::Error(
            core::ErrorCode::io,
            fmt::format("cannot run '{}': {}", spec.argv[0], std::strerror(spawn_error)));
    }
    input.close_read();
    output.close_write();
    errors.close_write();

    ProcessResult result;
    const std::string stdin_text = spec.stdin_text.value_or("");
    std::size_t written = 0;
    if (stdin_text.empty()) {
        input.close_write();
    } else {
        fcntl(input.write_end, F_SETFL, O_NONBLOCK);
    }
    const auto deadline = started + spec.timeout;
    std::array<char, 65536> buffer{};
    while (output.read_end >= 0 || errors.read_end >= 0) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            result.timed_out = true;
            break;
        }
        std::array<pollfd, 3> watched{};
        watched[0] = {output.read_end, POLLIN, 0};
        watched[1] = {errors.read_end, POLLIN, 0};
        watched[2] = {input.write_end, POLLOUT, 0};
        const auto wait_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
        const int ready = poll(watched.data(),
                               watched.size(),
                               static_cast<int>(std::min<long long>(wait_ms + 1, 1000)));
        if (ready < 0 && errno != EINTR) {
            break;
        }
        if (input.write_end >= 0 && (watched[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
            const ssize_t count =
                ::write(input.write_end, stdin_text.data() + written, stdin_text.size() - written);
            if (count > 0) {
                written += static_cast<std::size_t>(count);
            }
            if ((count < 0 && errno != EAGAIN) || written >= stdin_text.size()) {
                input.close_write();
            }
        }
        const auto drain = [&](Pipe& pipe, short revents, std::string& target) {
            if (pipe.read_end < 0 || (revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
                return;
            }
            const ssize_t count = ::read(pipe.read_end, buffer.data(), buffer.size());
            if (count > 0) {
                append_capped(target,
                              buffer.data(),
                              static_cast<std::size_t>(count),
                              spec.max_output_bytes,
                              result.output_truncated);
            } else if (count == 0 || errno != EINTR) {
                pipe.close_read();
            }
        };
        drain(output, watched[0].revents, result.stdout_text);
        drain(errors, watched[1].revents, result.stderr_text);
    }
    if (result.timed_out) {
        ::kill(-pid, SIGKILL);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    // Grandchildren left behind in the group would hold the run's pipes; they go too.
    if (result.timed_out) {
        ::kill(-pid, SIGKILL);
    }
    result.latency_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    return result;
}

} // namespace aiops::behave
