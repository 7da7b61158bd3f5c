#pragma once

#include "core/error.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aiops::git {

/// A file of a work tree as git sees it.
struct WorkTreeFile
{
    std::string path;     ///< relative to the work tree, '/'-separated
    bool tracked = false; ///< in the index (otherwise untracked and not ignored)
};

/// A commit as a history shows it. Texts are UTF-8: converted from the encoding the
/// commit names (as git log does), with any byte that is still not UTF-8 replaced.
struct CommitInfo
{
    std::string id;               ///< 40 hex digits
    std::int64_t author_time = 0; ///< when it was authored, seconds since the epoch
    int author_time_offset = 0;   ///< the author's offset from UTC, in minutes
    std::string author_name;
    std::string subject; ///< the first line of the message
};

/// How a commit changed a file.
enum class ChangeKind
{
    added,
    modified,
    renamed, ///< moved from previous_path, maybe edited too
    deleted,
};

/// One commit that changed a file, and the file's content after it.
struct FileChange
{
    CommitInfo commit;
    ChangeKind kind = ChangeKind::modified;
    std::string path;          ///< the file's path after the commit (before it, for deleted)
    std::string previous_path; ///< for renamed
    std::string renamed_to;    ///< for deleted: where the commit moved the file, if it did
    std::string content;       ///< the file after the commit; empty for deleted
    /// The commit is the edge of a shallow clone: the file is as it was there, but the
    /// commit that made it so may be older and is not in the repository.
    bool at_shallow_edge = false;
    /// The commit is on HEAD's first-parent chain (HEAD, its first parent, that one's
    /// first parent, ...), where it changed the file against its first parent; otherwise
    /// it was made on a branch that a merge brought in, and changed the file against
    /// every parent.
    bool first_parent = true;
};

/// The commits that changed one file, following renames.
struct FileHistory
{
    std::vector<FileChange> changes; ///< newest first
    /// The walk met the edge of a shallow clone while the file existed, so older
    /// changes are not in this repository.
    bool truncated = false;
};

/// An open repository with a work tree (bare repositories are not opened).
class Repository
{
public:
    ~Repository();
    Repository(Repository&&) noexcept;
    Repository& operator=(Repository&&) noexcept;

    /// The repository whose work tree holds `path`, found by walking up; nullopt when
    /// there is none. Fails when a repository is there but cannot be opened (for example
    /// one owned by another user that safe.directory does not allow), and with
    /// ErrorCode::internal when libgit2 cannot be loaded (see libgit2_library.hpp).
    static core::Result<std::optional<Repository>> discover(const std::filesystem::path& path);

    /// The work tree's root folder, absolute and without a trailing separator.
    const std::filesystem::path& work_tree() const { return m_work_tree; }

    /// The tracked files plus the untracked files that git does not ignore, under a
    /// folder of the work tree ("" for all), sorted by path. Submodules are left out,
    /// and so are tracked files deleted from the work tree.
    core::Result<std::vector<WorkTreeFile>> files_under(const std::string& folder) const;

    /// Whether git ignores a path of the work tree (relative, '/'-separated; a folder ends
    /// with '/').
    bool is_ignored(const std::string& path) const;

    /// The commits reachable from HEAD that changed a file (a work-tree path), newest
    /// first, following renames. A commit on HEAD's first-parent chain counts when the
    /// file differs from its first parent (so a merge that brings a change counts);
    /// any other commit, made on a merged branch, when it differs from every parent.
    /// Empty when HEAD has no commits yet. Fails as interrupted when an interrupt is
    /// requested during the walk.
    core::Result<FileHistory> history_of(const std::string& path) const;

    /// history_of for several files at once, in one walk of the commits; the result
    /// holds one history per path, in the same order.
    core::Result<std::vector<FileHistory>>
    histories_of(const std::vector<std::string>& paths) const;

    /// A file's content at a commit (any revision git understands: an abbreviated id,
    /// a branch, HEAD~2); nullopt when the file is not in that commit. Fails when the
    /// revision names no commit.
    core::Result<std::optional<std::string>> file_at(const std::string& revision,
                                                     const std::string& path) const;

    /// The full id of the commit a revision names.
    core::Result<std::string> resolve_commit(const std::string& revision) const;

    /// Whether this is a shallow clone.
    bool is_shallow() const;

    /// HEAD's commit id, or nullopt before the first commit.
    std::optional<std::string> head_commit() const;

    /// Whether HEAD names a commit rather than a branch.
    bool head_detached() const;

    /// Commits one file of the work tree as it is on disk, on top of HEAD, and stages it;
    /// nothing else that is staged goes into the commit. The author and committer come
    /// from GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL (and the GIT_COMMITTER_ pair) or else from
    /// user.name and user.email; fails when neither gives an identity. Returns the id.
    core::Result<std::string> commit_file(const std::string& path, const std::string& message);

    /// The author commit_file would use, as "Name <email>", after checking that the
    /// committer is known too; fails as commit_file does when there is no identity, so
    /// a caller can refuse before it changes anything.
    core::Result<std::string> commit_identity() const;

private:
    struct Handle;
    Repository(std::unique_ptr<Handle> handle, std::filesystem::path work_tree);

    std::unique_ptr<Handle> m_handle;
    std::filesystem::path m_work_tree;
};

} // namespace aiops::git
