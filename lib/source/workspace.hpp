#pragma once

#include "core/error.hpp"
#include "core/finding.hpp"
#include "git/changes.hpp"
#include "git/repository.hpp"
#include "report/report.hpp"
#include "source/language.hpp"
#include "source/source_file.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
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

/// What WalkOptions::default_excludes leaves out, as gitignore patterns.
const std::vector<std::string>& default_exclude_patterns();

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
    /// index); see Workspace::diff.
    std::optional<std::string> diff_ref;
    /// Read files from the index rather than the work tree: each file named in `paths`
    /// as the index holds it, and of the files found in folders those whose staged
    /// version differs from HEAD's.
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
    /// Where to read it from (a path). A string rather than a std::filesystem::path,
    /// which keeps a list of its components: thousands of files would hold a copy of
    /// every folder name of their paths.
    std::string location;
    /// nullopt: no extension says, so the file's shebang decides once it is read.
    std::optional<Language> language;
    /// Named on the command line rather than found in a folder.
    bool named = false;
    /// The bytes to check instead of the file on disk: the index's version (--staged),
    /// or the base's when a run compares with its --diff base.
    std::optional<std::string> content;
};

/// Where checks read the files they consult besides those they check (dependency
/// manifests): the file system, or under --staged the index.
class FileView
{
public:
    virtual ~FileView() = default;

    /// The names in a folder, sorted; empty when it cannot be listed.
    virtual std::vector<std::string> names_in(const std::filesystem::path& folder) const = 0;

    /// Whether a regular file is there.
    virtual bool is_file(const std::filesystem::path& file) const = 0;

    /// A file's bytes; fails with ErrorCode::io when it cannot be read.
    virtual core::Result<std::string> read(const std::filesystem::path& file) const = 0;
};

/// The file system as it is.
std::shared_ptr<const FileView> disk_view();

/// How a file of the workspace differs from the --diff base.
struct FileDiff
{
    git::ChangedFile change;
    /// Where the base holds the file (a work-tree path); nullopt when it is new since.
    std::optional<std::string> base_path;
};

/// What --diff compares with.
struct DiffBase
{
    std::string ref;    ///< as the user named it
    std::string commit; ///< the merge base's id
    std::filesystem::path work_tree;
    /// Every file changed since the base (checked or not: a spec, a manifest), by
    /// report path.
    std::map<std::string, FileDiff> changed;
    std::set<std::string> deleted; ///< report paths of the files deleted since the base
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
    /// Files the walk found that the shard, --diff or --staged left out: not checked in
    /// this run, but there (checks that judge the project as a whole read them).
    std::vector<WorkspaceFile> unselected;
    /// With a diff ref: the base and what changed since.
    std::optional<DiffBase> diff;
    /// Where to read the files a check consults besides the checked ones.
    std::shared_ptr<const FileView> view = disk_view();
};

/// Lists the files to check. Fails with ErrorCode::usage for a path that does not
/// exist, and ErrorCode::io when a folder or the repository cannot be read.
core::Result<Workspace> walk_workspace(const WalkOptions& options);

/// The bytes of a file: its `content` when the walk set it, else the file on disk (of a
/// binary one, with BinaryFiles::read_start, only the start that shows it).
core::Result<std::string> read_workspace_file(const WorkspaceFile& file,
                                              BinaryFiles binary = BinaryFiles::read_whole);

/// The files of a workspace as its --diff base holds them.
class BaseVersions
{
public:
    /// Opens the repository of a workspace that has a diff base.
    static core::Result<BaseVersions> open(const Workspace& workspace);

    /// A workspace file as the base holds it (following a rename), with its report
    /// path and language: nullopt when the file is new since the base.
    core::Result<std::optional<WorkspaceFile>> base_of(const WorkspaceFile& file) const;

    /// A file deleted since the base (by report path), as the base holds it.
    core::Result<std::optional<WorkspaceFile>> deleted_file(const std::string& path) const;

    /// A file at the base by its work-tree path; nullopt when it is not there.
    core::Result<std::optional<std::string>> read(const std::string& work_tree_path) const;

    /// The work-tree path of a place on disk; nullopt outside the work tree.
    std::optional<std::string> work_tree_path(const std::filesystem::path& location) const;

private:
    explicit BaseVersions(const Workspace& workspace) : m_workspace(&workspace) {}

    const Workspace* m_workspace;
    std::shared_ptr<git::Repository> m_repository;
};

/// The fingerprints of the findings at the --diff base, by report path.
using BaseFingerprints = std::map<std::string, std::set<std::string>>;

/// Whether a finding's lines hold an added or changed line, or a removal between two of
/// them (always false without a diff base).
bool touches_change(const Workspace& workspace, const core::Finding& finding);

/// The report paths of the findings that touch no change: only the base can tell
/// whether they are new.
std::set<std::string> paths_of_untouched_findings(const Workspace& workspace,
                                                  const std::vector<core::Finding>& findings);

/// With a diff base, keeps only the new findings: those that touch a change, and those
/// whose fingerprint is not among the base's findings of the same file. So a change
/// that breaks a file is reported wherever the breakage shows, and an old finding on
/// lines the change did not touch is not.
void keep_new_findings(const Workspace& workspace,
                       std::vector<core::Finding>& findings,
                       const BaseFingerprints& base);

/// Whether the bytes of a JavaScript or TypeScript file look minified (long lines).
bool looks_minified(std::string_view text);

} // namespace aiops::source
