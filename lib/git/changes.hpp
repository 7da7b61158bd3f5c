#pragma once

#include "core/error.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aiops::git {

/// Lines [first, last] of a file, 1-based.
struct LineRange
{
    int first = 1;
    int last = 1;
};

/// A file of the work tree that differs from a base, and its added or changed lines
/// (in the work tree's version).
struct ChangedFile
{
    std::vector<LineRange> lines;
    std::optional<std::string> renamed_from; ///< the path at the base, when renamed
};

/// What changed since a base commit, by work-tree path ('/'-separated, relative to the
/// work tree). Deleted files are not listed: nothing in them can be checked.
struct Changes
{
    std::filesystem::path work_tree;
    std::string base;     ///< the base commit's id
    std::string base_ref; ///< as the user named it
    std::map<std::string, ChangedFile> files;

    /// Whether a line of a work-tree path was added or changed.
    bool changed(const std::string& path, int line) const;
};

/// The changes between the merge base of `ref` and HEAD, and the work tree with its
/// staged and unstaged edits; renames are followed, so a moved file counts only for
/// the lines that changed. Untracked files (not ignored) count as added. Fails with
/// ErrorCode::usage when `ref` names nothing, and says how to fetch it or deepen a
/// shallow clone when the base is not in the repository.
core::Result<Changes> changes_since(const std::filesystem::path& inside, const std::string& ref);

/// A file as the index holds it.
struct StagedFile
{
    std::string path; ///< relative to the work tree
    std::string content;
};

/// The files whose index version differs from HEAD's (added, modified, renamed; not
/// deleted), with the index's content: what the next commit will hold.
core::Result<std::vector<StagedFile>> staged_files(const std::filesystem::path& inside);

} // namespace aiops::git
