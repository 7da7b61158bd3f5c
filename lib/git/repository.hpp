#pragma once

#include "core/error.hpp"

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

/// An open repository with a work tree (bare repositories are not opened).
class Repository
{
public:
    ~Repository();
    Repository(Repository&&) noexcept;
    Repository& operator=(Repository&&) noexcept;

    /// The repository whose work tree holds `path`, found by walking up; nullopt when
    /// there is none. Fails when a repository is there but cannot be opened (for example
    /// one owned by another user that safe.directory does not allow).
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

private:
    struct Handle;
    Repository(std::unique_ptr<Handle> handle, std::filesystem::path work_tree);

    std::unique_ptr<Handle> m_handle;
    std::filesystem::path m_work_tree;
};

} // namespace aiops::git
