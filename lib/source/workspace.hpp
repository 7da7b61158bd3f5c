#pragma once

#include "core/error.hpp"
#include "core/finding.hpp"
#include "git/changes.hpp"
#include "report/report.hpp"
#include "source/language.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiops::source {

/// One of N parts of a run, for CI matrices: shard `index` (1-based) of `count`.
struct Shard
{
    unsigned index = 1;
    unsigned count = 1;
};

/// Reads "I/N" (1 <= I <= N); nullopt for anything else.
std::optional<Shard> parse_shard(std::string_view text);

/// Whether a path belongs to a shard. A path's shard depends on the path alone, so a
/// file stays in its shard when others are added or removed.
bool in_shard(std::string_view path, const Shard& shard);

/// What to walk and what to leave out.
struct WalkOptions
{
    /// Files and folders to check; empty means the working folder.
    std::vector<std::filesystem::path> paths;
    /// The folder report paths are relative to. Default: the work tree of the git
    /// repository holding the working folder, else the working folder.
    std::optional<std::filesystem::path> root;
    /// Leave out .git, node_modules, vendor, dist, build, .venv, __pycache__ and
    /// minified files.
    bool default_excludes = true;
    /// More patterns to leave out, in gitignore syntax, relative to the root.
    std::vector<std::string> excludes;
    /// Files larger than this are skipped.
    std::uint64_t max_file_size = 1024 * 1024;
    /// The language of the files named on the command line (overrides detection).
    std::optional<Language> forced_language;
    /// Whether to ask git which files belong to a work tree.
    bool use_git = true;
    /// Only the files (and skipped files) of this shard.
    std::optional<Shard> shard;
    /// Only the files changed since the merge base of this ref and HEAD (work tree and
    /// index); see Workspace::changed_lines.
    std::optional<std::string> diff_ref;
    /// Only the staged files, read from the index rather than the work tree.
    bool staged = false;
    /// Also list files of no supported language (their language stays nullopt), for
    /// checks that read any text; otherwise they are only counted as unsupported.
    bool include_other_files = false;
};

/// A file to check.
struct WorkspaceFile
{
    /// How reports name it: relative to the root ('/'-separated), or absolute when
    /// it lies outside the root.
    std::string path;
    /// Where to read it from.
    std::filesystem::path location;
    /// nullopt: no extension says, so the file's shebang decides once it is read.
    std::optional<Language> language;
    /// Named on the command line rather than found in a folder.
    bool named = false;
    /// The index's version of the file, read instead of the work tree's (--staged).
    std::optional<std::string> staged_content;
};

/// A file that was found but is not checked, and why (the report's own type).
using SkippedFile = report::SkippedFile;

/// The files of one run.
struct Workspace
{
    std::filesystem::path root;
    bool git = false;                 ///< the file list came from git
    std::vector<WorkspaceFile> files; ///< sorted by path, each once
    std::vector<SkippedFile> skipped; ///< sorted by path
    /// Folders that could not be read: the run could not check them, so it must not
    /// pass as if it had.
    std::vector<SkippedFile> unreadable;
    std::size_t unsupported_files = 0; ///< files of no supported language, not read
    /// With a diff ref: the added or changed lines of each file, by report path.
    std::optional<std::map<std::string, std::vector<git::LineRange>>> changed_lines;
};

/// Lists the files to check. Fails with ErrorCode::usage for a path that does not
/// exist, and ErrorCode::io when a folder or the repository cannot be read.
core::Result<Workspace> walk_workspace(const WalkOptions& options);

/// The bytes of a file: the staged version when the walk read the index, else the
/// file on disk.
core::Result<std::string> read_workspace_file(const WorkspaceFile& file);

/// With a diff ref, leaves only the findings on added or changed lines.
void keep_findings_on_changed_lines(const Workspace& workspace,
                                    std::vector<core::Finding>& findings);

/// Whether the bytes of a JavaScript or TypeScript file look minified (long lines).
bool looks_minified(std::string_view text);

} // namespace aiops::source
