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
    std::size_t max_output_bytes = 1024 * 1024; ///< per stream; the rest is read and dropped
};

/// How a child process ended.
struct ProcessResult
{
    int exit_code = -1; ///< -1 when it was killed by a signal
    int signal = 0;     ///< the signal that ended it, 0 if none
    bool timed_out = false;
    bool output_truncated = false;
    std::string stdout_text;
    std::string stderr_text;
    double latency_ms = 0.0;
};

/// Runs a child process in its own process group, feeds it stdin, collects its output
/// up to the cap and waits for it; on timeout the whole group is killed. Fails with
/// ErrorCode::io when the program cannot be started (not found, not executable, no such
/// working folder).
core::Result<ProcessResult> run_process(const ProcessSpec& spec);

} // namespace aiops::behave
