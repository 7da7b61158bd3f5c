#pragma once

#include "core/error.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aiops::behave {

/// A child process to run without a shell.
struct ProcessSpec
{
    std::vector<std::string> argv;         ///< argv[0] is looked up in PATH unless it holds a '/'
    std::optional<std::string> stdin_text; ///< nullopt: standard input is empty
    std::map<std::string, std::string>
        env;                              ///< added to (or replacing in) this process's environment
    std::filesystem::path working_folder; ///< empty: this process's
    std::chrono::milliseconds timeout{60000};
    /// Per stream. Past it the output is not whole, so the child's process group is killed
    /// and the result says which stream passed the cap.
    std::size_t max_output_bytes = 8 * 1024 * 1024;
};

/// How a child process ended.
struct ProcessResult
{
    int exit_code = -1; ///< -1 when it was killed by a signal
    int signal = 0;     ///< the signal that ended it, 0 if none
    bool timed_out = false;
    /// "standard output" or "standard error" when that stream passed max_output_bytes:
    /// the text holds only its first max_output_bytes, and the child was killed.
    std::string over_cap;
    std::string stdout_text;
    std::string stderr_text;
    double latency_ms = 0.0;
};

/// Runs a child process in its own process group, feeds it stdin, collects its output
/// and waits for it. On timeout, or when an output passes its cap, the whole group is
/// killed. When the child exits, what it left in its group is killed, and output still
/// held open by a process outside the group (a daemon) is read for a moment, not waited
/// for. Fails with ErrorCode::io when the program cannot be started (not found, not
/// executable, no such working folder), and with ErrorCode::interrupted, the group
/// killed, as soon as core::interrupted() is raised.
core::Result<ProcessResult> run_process(const ProcessSpec& spec);

} // namespace aiops::behave
