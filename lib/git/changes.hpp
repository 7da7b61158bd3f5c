#pragma once

#include "core/error.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace aiops::git {

/// Lines [first, last] of a file, 1-based.
struct LineRange
{
    int first = 1;
    int last = 1;
};

/// A file of the work tree that differs from a base, and what changed in it (in the
/// work tree's lines).
struct ChangedFile
{
    std::vector<LineRange> lines; ///< added or changed lines
    /// Where lines of the base were removed: the work-tree line after which they stood
    /// (0: before the first line).
    std::vector<int> deletions;
    std::optional<std::string> renamed_from; ///< the path at the base, when renamed
    bool added = false;                      ///< not in the base at all (new or untracked)

    /// Whether lines first..last hold an added or changed line, or a removal between
    /// two of them.
    bool touches(int first, int last) const;
};

/// What changed since a base commit, by work-tree path ('/'-separated, relative to the
/// work tree).
struct Changes
{
    std::filesystem::path work_tree;
    std::string base;     ///< the base commit's id
    std::string base_ref; ///< as the user named it
    std::map<std::string, ChangedFile> files;
    std::set<std::string> deleted; ///< paths (at the base) of files deleted since

    /// Whether a line of a work-tree path was added or changed.
    bool changed(const std::string& path, int line) const;
};

/// The changes between the merge base of `ref` and HEAD, and the work tree with its
/// staged and unstaged edits; renames are followed, so a moved file counts only for
/// the lines that changed. Untracked files (not ignored) count as added. In a shallow
/// clone the merge base is looked for among the commits that are there. Fails with
/// ErrorCode::usage when `ref` names nothing or the base is not in the repository, and
/// then says how to fetch it or deepen a shallow clone; with ErrorCode::internal when
/// libgit2 cannot be loaded.
core::Result<Changes> changes_since(const std::filesystem::path& inside, const std::string& ref);

/// The index of a repository: what the next commit will hold.
class StagedFiles
{
public:
    /// Reads the index of the repository holding `inside`. Fails with ErrorCode::usage
    /// outside a git work tree, and ErrorCode::internal when libgit2 cannot be loaded.
    static core::Result<StagedFiles> read(const std::filesystem::path& inside);

    /// The work tree's root folder.
    const std::filesystem::path& work_tree() const { return m_work_tree; }

    /// The paths whose staged version differs from HEAD's (added, modified, renamed; not
    /// deleted). Before the first commit, every staged path.
    const std::set<std::string>& changed() const { return m_changed; }

    /// Whether the index holds a file at a work-tree path.
    bool contains(const std::string& path) const { return m_blobs.count(path) != 0; }

    /// The names of the files and folders directly in a folder of the index ("" for the
    /// top), sorted.
    std::vector<std::string> names_in(const std::string& folder) const;

    /// A file as the index holds it; nullopt when it holds none at that path.
    core::Result<std::optional<std::string>> content(const std::string& path) const;

private:
    struct Handle; // the open repository
    StagedFiles() = default;

    std::shared_ptr<const Handle> m_handle;
    std::filesystem::path m_work_tree;
    std::map<std::string, std::string> m_blobs; ///< blob id by path
    std::set<std::string> m_changed;
};

} // namespace aiops::git
