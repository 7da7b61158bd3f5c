#pragma once

#include "core/error.hpp"
#include "report/report.hpp"
#include "source/language.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace aiops::source {

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
};

/// Lists the files to check. Fails with ErrorCode::usage for a path that does not
/// exist, and ErrorCode::io when a folder or the repository cannot be read.
core::Result<Workspace> walk_workspace(const WalkOptions& options);

/// Whether the bytes of a JavaScript or TypeScript file look minified (long lines).
bool looks_minified(std::string_view text);

} // namespace aiops::source
