#pragma once

#include "core/error.hpp"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace aiops::git {

/// One version of a file in a range of history: each blob once, named by the oldest
/// commit of the range whose tree holds it, at the path it has there.
struct HistoryBlob
{
    std::string path;      ///< in the repository, '/'-separated
    std::string blob_id;   ///< 40 hex digits
    std::string commit_id; ///< 40 hex digits
    std::size_t size = 0;
};

/// The file versions of a range of history.
struct HistoryListing
{
    std::vector<HistoryBlob> blobs; ///< oldest commit first
    std::size_t commits = 0;
    /// In a shallow clone, the commits whose parents are missing: history stops there.
    std::vector<std::string> shallow_boundary;
};

/// Reads the history of the repository that holds a folder.
class History
{
public:
    ~History();
    History(History&&) noexcept;
    History& operator=(History&&) noexcept;

    /// Opens the repository holding `path`. Fails with ErrorCode::usage when there is
    /// none, and ErrorCode::io when it cannot be opened.
    static core::Result<History> open(const std::filesystem::path& path);

    /// The work tree's root folder (or the repository folder when bare).
    const std::filesystem::path& root() const { return m_root; }

    /// Every blob reachable from the commits of a range: "A..B" (in B, not in A), one
    /// revision (it and its ancestors), or "" for HEAD and its ancestors. Blobs larger
    /// than max_size are listed with their size but not read later. Fails with
    /// ErrorCode::usage for a revision that does not resolve.
    core::Result<HistoryListing> list(const std::string& range) const;

    /// The bytes of a blob. Not safe to call from several threads at once.
    core::Result<std::string> read_blob(const std::string& blob_id) const;

private:
    struct Handle;
    History(std::unique_ptr<Handle> handle, std::filesystem::path root);

    std::unique_ptr<Handle> m_handle;
    std::filesystem::path m_root;
};

} // namespace aiops::git
