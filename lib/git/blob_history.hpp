#pragma once

#include "core/error.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct git_oid;

namespace aiops::git {

/// One version of a file that a commit of a range of history introduced: each blob
/// once, named by the oldest commit that introduced it, at the path it has there.
struct HistoryBlob
{
    std::string path;      ///< in the repository, '/'-separated
    std::string blob_id;   ///< 40 hex digits
    std::string commit_id; ///< 40 hex digits
    std::size_t size = 0;
    /// The versions the file had at the same path in the commit's parents (blob ids):
    /// lines they hold were not added by this commit. Empty for a new file.
    std::vector<std::string> earlier_blob_ids;
};

/// The file versions of a range of history.
struct HistoryListing
{
    std::vector<HistoryBlob> blobs; ///< oldest commit first
    std::size_t commits = 0;
    /// In a shallow clone, the commits of the range whose parents are missing: history
    /// stops there.
    std::vector<std::string> shallow_boundary;
};

/// Which paths of the repository to list.
using PathFilter = std::function<bool(const std::string& path)>;

/// Reads the history of the repository that holds a folder.
class History
{
public:
    ~History();
    History(History&&) noexcept;
    History& operator=(History&&) noexcept;

    /// Opens the repository holding `path`. Fails with ErrorCode::usage when there is
    /// none, ErrorCode::io when it cannot be opened, and ErrorCode::internal when
    /// libgit2 cannot be loaded.
    static core::Result<History> open(const std::filesystem::path& path);

    /// The work tree's root folder (or the repository folder when bare).
    const std::filesystem::path& root() const { return m_root; }

    /// Every blob that the commits of a range introduced, at the paths the filter
    /// wants: "A..B" (commits in B, not in A), one revision (it and its ancestors), or
    /// "" for HEAD and its ancestors. Tags name the commits they point at. A commit
    /// introduces the files its diff to its parents adds or changes (a merge, those no
    /// parent has as it has them); a root commit, or one whose parents a shallow clone
    /// lacks, introduces all its files. Fails with ErrorCode::usage for a revision that
    /// does not resolve to a commit, or a repository without commits.
    core::Result<HistoryListing> list(const std::string& range, const PathFilter& wanted) const;

    /// The bytes of a blob. Not safe to call from several threads at once.
    core::Result<std::string> read_blob(const std::string& blob_id) const;

private:
    struct Handle;
    History(std::unique_ptr<Handle> handle, std::filesystem::path root);

    /// The blobs the commits (oldest first) introduced.
    core::Result<HistoryListing> list_commits(const std::vector<git_oid>& commits,
                                              const PathFilter& wanted,
                                              const std::string& shown) const;

    std::unique_ptr<Handle> m_handle;
    std::filesystem::path m_root;
};

} // namespace aiops::git
