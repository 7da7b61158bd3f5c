#pragma once

#include "core/error.hpp"
#include "prompt/registry.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace aiops::prompt {

/// What prompts.lock records for one prompt.
struct LockEntry
{
    std::string name;
    std::string hash;                  ///< the identity verify compares
    std::optional<std::string> commit; ///< the commit of the version with this content
    std::optional<int> version;        ///< its number, when the history numbers it
};

/// prompts.lock: the prompts CI and production use, sorted by name.
struct LockFile
{
    std::vector<LockEntry> prompts;
};

/// The state of every prompt in the working folder, as lock would write it. Fails when
/// a prompt does not load.
core::Result<LockFile> current_lock(const Registry& registry);

/// The lock's text: JSON with sorted keys, two-space indent and a final newline, the
/// same bytes for the same prompts.
std::string lock_to_text(const LockFile& lock);

/// Reads prompts.lock; a missing file is a usage error, a malformed one an input error.
core::Result<LockFile> read_lock(const std::filesystem::path& file);

/// How a prompt differs from the lock.
enum class LockDifferenceKind
{
    changed, ///< its hash differs
    added,   ///< it is not in the lock
    removed, ///< the lock has it, the working folder does not
};

struct LockDifference
{
    std::string name;
    LockDifferenceKind kind = LockDifferenceKind::changed;
    std::string locked_hash;  ///< empty for added
    std::string current_hash; ///< empty for removed
};

/// The prompts whose hash differs from the lock, sorted by name. Commits and version
/// numbers are not compared: the same content committed again is the same prompt.
std::vector<LockDifference> compare_locks(const LockFile& locked, const LockFile& current);

std::string_view difference_kind_name(LockDifferenceKind kind);

} // namespace aiops::prompt
