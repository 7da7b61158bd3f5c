#pragma once

#include "core/error.hpp"
#include "git/repository.hpp"
#include "prompt/prompt.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aiops::prompt {

/// The suffix of prompt files under prompts/.
inline constexpr std::string_view k_prompt_suffix = ".prompt.yaml";

/// One version of a prompt: a commit that changed its file.
struct PromptVersion
{
    /// 1 for the oldest: the versions are counted along HEAD's first-parent chain, so
    /// that merging a branch never renumbers a version. Nullopt for a commit made on a
    /// merged branch (the merge that brought its change is numbered), for a deletion,
    /// and when a shallow clone hides the start of the history, so that counting from
    /// the oldest visible commit would give wrong numbers.
    std::optional<int> number;
    git::CommitInfo commit;
    git::ChangeKind kind = git::ChangeKind::modified;
    std::string path;             ///< the file's path in the repository at that commit
    std::string previous_path;    ///< for a rename
    std::string renamed_to;       ///< for a deletion that moved the file elsewhere
    std::string hash;             ///< empty when deleted or when the file did not load
    std::string problem;          ///< why the file did not load at that commit
    std::string text;             ///< the file at that commit
    bool at_shallow_edge = false; ///< as of a shallow clone's oldest commit (see FileChange)
    bool first_parent = true;     ///< on HEAD's first-parent chain (see FileChange)
};

/// Where a prompt's history comes from.
enum class HistoryState
{
    complete,   ///< every commit is here; versions are numbered from v1
    truncated,  ///< a shallow clone: the oldest versions are missing, numbers are unavailable
    no_commits, ///< a git repository without commits yet
    no_git,     ///< not inside git: only the working copy exists
};

/// The versions of one prompt.
struct PromptHistory
{
    HistoryState state = HistoryState::no_git;
    std::vector<PromptVersion> versions; ///< oldest first; deletions included, unnumbered

    /// The newest version on HEAD's first-parent chain that is not a deletion: what
    /// HEAD holds, unless HEAD deleted the file. Nullptr when there is none.
    const PromptVersion* latest() const;
};

/// A prompt at one version, resolved from a reference such as 'name@3'.
struct ResolvedPrompt
{
    std::string reference; ///< as given
    Prompt prompt;
    std::string hash;
    bool working = false;      ///< the working copy, not a commit
    std::optional<int> number; ///< the version number, when known
    std::optional<std::string> commit;
    std::string label; ///< "v3", "working", or the short commit
    std::string text;  ///< the file's text
};

/// A reference split into its prompt name and its version part.
struct PromptReference
{
    std::string name;
    std::string version; ///< empty, "working", "3", "v3", "sha256:PREFIX", "commit:REV" or
                         ///< a git revision
};

/// Splits 'name@version'; fails as a usage error when the name is not a prompt name.
core::Result<PromptReference> parse_reference(const std::string& reference);

/// Which registry to open.
struct RegistryOptions
{
    /// The folder that holds prompts/ and prompts.lock; when unset it is found from
    /// `start` (see find_registry_root).
    std::optional<std::filesystem::path> root;
    std::filesystem::path start = ".";
};

/// The folder holding prompts/, found by walking up from `start` to the git work tree's
/// root (or to the file system's root outside git). Fails as a usage error when there is
/// none.
core::Result<std::filesystem::path> find_registry_root(const std::filesystem::path& start);

/// The prompts of one folder and their history in git.
class Registry
{
public:
    /// Opens the registry; the git repository around it, when there is one, is opened
    /// too, and failing to open it (another user's repository) is an I/O error.
    static core::Result<Registry> open(const RegistryOptions& options);

    const std::filesystem::path& root() const { return m_root; }

    std::filesystem::path prompts_folder() const { return m_root / "prompts"; }

    std::filesystem::path lock_file() const { return m_root / "prompts.lock"; }

    /// The file a prompt lives in (it may not exist).
    std::filesystem::path file_of(const std::string& name) const;

    /// The git repository, or nullptr outside git.
    const git::Repository* repository() const { return m_repository.get(); }

    git::Repository* repository() { return m_repository.get(); }

    /// The names of the prompts in the working folder, sorted.
    core::Result<std::vector<std::string>> names() const;

    /// Loads a prompt's working copy; fails when there is none or it is malformed.
    core::Result<Prompt> load_working(const std::string& name) const;

    /// The prompt's versions in git.
    core::Result<PromptHistory> history(const std::string& name) const;

    /// The versions of several prompts, read in one walk of the history (see history);
    /// one history per name, in the same order.
    core::Result<std::vector<PromptHistory>> histories(const std::vector<std::string>& names) const;

    /// Resolves a reference:
    /// - 'name' or 'name@working': the working copy;
    /// - 'name@sha256:PREFIX': the version with that content;
    /// - 'name@commit:REV': the prompt at any git revision (a full or abbreviated
    ///   commit id, a branch or tag, HEAD, HEAD~1, ...);
    /// - 'name@3' or 'name@v3' (up to six digits): always version 3, even when a tag
    ///   or an all-digit abbreviated commit has that name ('name@commit:v3' reaches
    ///   those); seven digits or more are a commit;
    /// - 'name@REV' for anything else: a git revision.
    /// An unknown version is a usage error; one the history cannot number (a shallow
    /// clone) says so and names 'git fetch --unshallow'.
    core::Result<ResolvedPrompt> resolve(const std::string& reference) const;

    /// The path of a prompt's file relative to the work tree, '/'-separated.
    std::string repository_path(const std::string& name) const;

private:
    Registry(std::filesystem::path root, std::unique_ptr<git::Repository> repository);

    core::Result<ResolvedPrompt> resolve_number(const std::string& reference,
                                                const std::string& name,
                                                int number,
                                                const PromptHistory& history) const;
    core::Result<ResolvedPrompt> resolve_hash(const std::string& reference,
                                              const std::string& name,
                                              const PromptHistory& history) const;
    /// The prompt at a commit (a full id), whether or not that commit changed it.
    core::Result<ResolvedPrompt> resolve_commit_of(const std::string& reference,
                                                   const std::string& name,
                                                   const std::string& commit,
                                                   const PromptHistory& history) const;

    std::filesystem::path m_root;
    std::unique_ptr<git::Repository> m_repository;
};

/// A resolved prompt rendered with values, for commands that send prompts to a model.
struct RenderedPrompt
{
    ResolvedPrompt source;
    std::vector<std::pair<std::string, std::string>> messages; ///< role, content
    std::vector<std::string> warnings;
};

/// Resolves a reference in the registry and renders it (see render_prompt).
core::Result<RenderedPrompt> render_reference(const Registry& registry,
                                              const std::string& reference,
                                              const std::map<std::string, nlohmann::json>& values,
                                              std::string_view missing_hint = {});

/// A version's short label: "v3", or the commit's first 7 digits when unnumbered.
std::string version_label(const PromptVersion& version);

} // namespace aiops::prompt
