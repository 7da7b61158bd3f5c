#pragma once

#include "core/error.hpp"
#include "prompt/registry.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace aiops::prompt {

/// The subcommands of `aiops prompt`.
enum class PromptAction
{
    list,
    show,
    versions,
    diff,
    render,
    register_file,
    lock,
    verify,
    lint,
};

/// Everything one `aiops prompt` run needs, as plain values.
struct PromptCommandOptions
{
    PromptAction action = PromptAction::list;
    RegistryOptions registry;
    bool json = false;                      ///< one JSON document on standard output
    std::vector<std::string> targets;       ///< references or names, by action
    std::vector<std::string> variables;     ///< render: NAME=VALUE
    std::optional<std::string> values_file; ///< render: --vars FILE, or a mapping '{...}'
    std::optional<std::string> source_file; ///< register: --file F
    bool commit = false;                    ///< register: also commit
};

/// Runs one `aiops prompt` subcommand, writing its result to `out`; warnings go to the
/// log. Returns the exit code (0, or 1 when verify or lint fails); fails with the
/// Error whose code gives 2 (usage, input) or 3 (I/O, git).
core::Result<int> run_prompt_command(const PromptCommandOptions& options, std::ostream& out);

} // namespace aiops::prompt
