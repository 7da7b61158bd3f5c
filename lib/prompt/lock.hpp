#pragma once

#include "core/error.hpp"
#include "prompt/registry.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace aiops::prompt {

/// What prompts.lock records for one prompt. Nothing in it depends on how much history
/// a clone has: version numbers, which a shallow clone cannot give, are left out.
struct LockEntry
{
    std::string name;
    std::string hash;                  ///< the identity verify compares
    std::optional<std::string> commit; ///< the newest commit that changed the file to this
                                       ///< content; none when it is not committed as it is
    /// The content is that of a shallow clone's oldest commit, which may not be the one
    /// that made it: the commit is not known here.
    bool commit_unknown = false;
};

/// prompts.lock: the prompts CI and production use, sorted by name.
struct LockFile
{
    std::vector<LockEntry> prompts;
};

/// The state of every prompt in the working folder, as lock would write it, except that
/// entries whose commit a shallow clone hides say commit_unknown. Fails when a prompt
/// does not load.
core::Result<LockFile> current_lock(const Registry& registry);

/// The lock `aiops prompt lock` writes: current_lock, with each commit a shallow clone
/// hides taken from the existing lock when it holds the same content. Fails as a usage
/// error naming 'git fetch --unshallow' when the existing lock does not, since any commit
/// written then would differ from a full clone's.
core::Result<LockFile> lock_to_write(const Registry& registry);

/// The lock's text: JSON with sorted keys, two-space indent and a final newline, the
/// same bytes for the same prompts.
std::string lock_to_text(const LockFile& lock);

/// Reads prompts.lock; a missing file is a usage error, a malformed one (bad JSON, a key
/// given twice, a wrong field) an input error 'file:line:column: what is wrong'. A
/// 'version' field, which older locks wrote, is ignored.
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
