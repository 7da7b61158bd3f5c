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
    std::optional<std::string> commit; ///< the newest commit that changed the file to this
                                       ///< content; none when it is not committed as it is
    std::optional<int> version;        ///< that commit's version number, when it has one
};

/// prompts.lock: the prompts CI and production use, sorted by name.
struct LockFile
{
    std::vector<LockEntry> prompts;
};

/// The prompts of the working folder with their hashes and nothing else: what verify
/// compares, read without the history. Fails when a prompt does not load, and as
/// interrupted when an interrupt is requested.
core::Result<LockFile> working_lock(const Registry& registry);

/// The lock `aiops prompt lock` writes: per prompt its hash and, when HEAD holds it as
/// it is, the newest commit that changed it to that content and that commit's version
/// number, from one walk of the history for all prompts. A shallow clone cannot number
/// versions nor always name the commit: there they are counted from the existing lock's
/// entry for the prompt, when that entry's commit (or, at the clone's oldest commit, its
/// content) is in the clone; otherwise it fails as a usage error naming 'git fetch
/// --unshallow', since anything written then would differ from a full clone's lock.
core::Result<LockFile> lock_to_write(const Registry& registry);

/// The lock's text: JSON with sorted keys, two-space indent and a final newline, the
/// same bytes for the same prompts.
std::string lock_to_text(const LockFile& lock);

/// Reads prompts.lock; a missing file is a usage error, a malformed one an input error
/// 'file:line:column: what is wrong': bad JSON, a key given twice or not known, a name
/// that is not a prompt name, a hash that is not 'sha256:' and 64 hex digits, a commit
/// that is not a commit id, a version that is not a whole number above 0. An entry
/// without 'version' (as older locks wrote them) has none.
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
