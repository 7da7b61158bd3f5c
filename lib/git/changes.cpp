#include "git/changes.hpp"

#include "git/libgit2_library.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>
#include <string_view>

namespace aiops::git {

namespace {

std::string last_error_text()
{
    const git_error* error = libgit2().git_error_last();
    return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

template <typename T, void (*Libgit2Library::*Free)(T*)> struct Freer
{
    void operator()(T* object) const { (libgit2().*Free)(object); }
};

template <typename T, void (*Libgit2Library::*Free)(T*)>
using Ptr = std::unique_ptr<T, Freer<T, Free>>;
using RepositoryPtr = Ptr<git_repository, &Libgit2Library::git_repository_free>;
using ObjectPtr = Ptr<git_object, &Libgit2Library::git_object_free>;
using CommitPtr = Ptr<git_commit, &Libgit2Library::git_commit_free>;
using TreePtr = Ptr<git_tree, &Libgit2Library::git_tree_free>;
using DiffPtr = Ptr<git_diff, &Libgit2Library::git_diff_free>;
using IndexPtr = Ptr<git_index, &Libgit2Library::git_index_free>;
using BlobPtr = Ptr<git_blob, &Libgit2Library::git_blob_free>;

core::Error git_error(const std::string& what)
{
    return core::Error(core::ErrorCode::io, fmt::format("git: {}: {}", what, last_error_text()));
}

core::Result<RepositoryPtr> open_repository(const std::filesystem::path& inside)
{
    const auto loaded = loaded_libgit2();
    if (!loaded) {
        return loaded.error();
    }
    const Libgit2Library& lib = **loaded;
    git_repository* raw = nullptr;
    const std::string start = inside.string();
    if (lib.git_repository_open_ext(&raw, start.c_str(), 0, nullptr) != 0) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format("'{}' is not inside a git work tree: {}", start, last_error_text()));
    }
    RepositoryPtr repository(raw);
    if (lib.git_repository_is_bare(raw) != 0) {
        return core::Error(core::ErrorCode::usage, "a bare repository has no work tree to compare");
    }
    return repository;
}

core::Result<CommitPtr> commit_of(git_repository* repository, const std::string& name)
{
    const Libgit2Library& lib = libgit2();
    git_object* raw = nullptr;
    if (lib.git_revparse_single(&raw, repository, name.c_str()) != 0) {
        return core::Error(core::ErrorCode::usage, last_error_text());
    }
    ObjectPtr object(raw);
    git_object* peeled = nullptr;
    if (lib.git_object_peel(&peeled, raw, GIT_OBJECT_COMMIT) != 0) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}' does not name a commit", name));
    }
    return CommitPtr(reinterpret_cast<git_commit*>(peeled));
}

std::string oid_text(const git_oid& oid)
{
    char text[GIT_OID_HEXSZ + 1] = {};
    libgit2().git_oid_tostr(text, sizeof text, &oid);
    return text;
}

void add_line(std::vector<LineRange>& ranges, int line)
{
    if (!ranges.empty() && ranges.back().last + 1 >= line) {
        ranges.back().last = std::max(ranges.back().last, line);
        return;
    }
    ranges.push_back({line, line});
}

// Renames are found among tracked and untracked files alike, so that a moved file
// counts only for what changed in it.
core::Result<bool> find_renames(git_diff* diff)
{
    git_diff_find_options options = GIT_DIFF_FIND_OPTIONS_INIT;
    options.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_FOR_UNTRACKED;
    if (libgit2().git_diff_find_similar(diff, &options) != 0) {
        return git_error("cannot find renamed files");
    }
    return true;
}

// ---- Where the base is, and how to fetch it -------------------------------------

/// A ref as fetch hints need it: the remote it comes from and the branch there.
struct FetchTarget
{
    std::string remote;           ///< "" when the repository has no remote to name
    std::string branch;           ///< "" when the ref is no branch name (HEAD~1, an id, a range)
    bool remote_tracking = false; ///< named as REMOTE/BRANCH
};

// Whether a ref as the user wrote it can be fetched by name: not a revision expression
// (HEAD~1, a range, an option-like '-x') and not a commit id.
bool is_branch_name(const std::string& name)
{
    const bool commit_id = name.size() >= 4 && std::all_of(name.begin(), name.end(), [](char c) {
                               return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                           });
    if (name.empty() || name.front() == '-' || name == "HEAD" || commit_id
        || name.find('@') != std::string::npos) {
        return false;
    }
    int valid = 0;
    const std::string full = "refs/heads/" + name;
    return libgit2().git_reference_name_is_valid(&valid, full.c_str()) == 0 && valid != 0;
}

// The remote hints name: 'origin' when there is one, else the only remote.
std::string default_remote(git_repository* repo)
{
    const Libgit2Library& lib = libgit2();
    git_strarray names = {};
    if (lib.git_remote_list(&names, repo) != 0) {
        return {};
    }
    std::string chosen;
    for (std::size_t i = 0; i < names.count; ++i) {
        if (std::string_view(names.strings[i]) == "origin") {
            chosen = "origin";
        }
    }
    if (chosen.empty() && names.count == 1) {
        chosen = names.strings[0];
    }
    lib.git_strarray_dispose(&names);
    return chosen;
}

FetchTarget fetch_target(git_repository* repo, const std::string& ref)
{
    const Libgit2Library& lib = libgit2();
    // 'origin/main' is fetched as 'main' from 'origin'.
    if (const auto slash = ref.find('/'); slash != std::string::npos && slash > 0) {
        git_remote* remote = nullptr;
        if (lib.git_remote_lookup(&remote, repo, ref.substr(0, slash).c_str()) == 0) {
            lib.git_remote_free(remote);
            const std::string branch = ref.substr(slash + 1);
            return {ref.substr(0, slash), is_branch_name(branch) ? branch : "", true};
        }
    }
    return {default_remote(repo), is_branch_name(ref) ? ref : "", false};
}

// A fetch that creates the remote-tracking ref as well: in a single-branch clone,
// 'git fetch origin main' only fills FETCH_HEAD.
std::string fetch_command(const FetchTarget& target, bool deepen)
{
    std::string command = deepen ? "git fetch --deepen=100" : "git fetch";
    if (!target.remote.empty()) {
        command += " " + target.remote;
        if (!target.branch.empty()) {
            command += fmt::format(" {0}:refs/remotes/{1}/{0}", target.branch, target.remote);
        }
    }
    return command;
}

/// What to say when `ref` names no commit here; "" when no fetch would help.
std::string missing_ref_hint(const std::string& ref, const FetchTarget& target, bool shallow)
{
    if (ref.find("..") != std::string::npos) {
        return "; --diff takes the base alone, such as origin/main, not a range";
    }
    if (target.remote.empty() || (target.branch.empty() && !shallow) || ref.starts_with('-')) {
        return {};
    }
    if (target.branch.empty()) {
        return fmt::format("; this is a shallow clone: fetch more history with '{}' (or 'git "
                           "fetch --unshallow {}')",
                           fetch_command(target, /*deepen=*/true),
                           target.remote);
    }
    std::string hint = fmt::format("; fetch it first: '{}'", fetch_command(target, shallow));
    if (!target.remote_tracking) {
        hint += fmt::format(", then use --diff {}/{}", target.remote, target.branch);
    }
    return hint;
}

std::string missing_base_hint(const FetchTarget& target)
{
    const std::string unshallow = target.remote.empty() ? std::string("git fetch --unshallow")
                                                        : "git fetch --unshallow " + target.remote;
    return fmt::format("fetch more history with '{}' (or '{}')",
                       fetch_command(target, /*deepen=*/true),
                       unshallow);
}

// ---- The merge base in a shallow clone ------------------------------------------

/// The parents of a commit that are in the repository: a shallow clone's edge commits
/// name parents it does not hold.
std::vector<CommitPtr> present_parents(git_commit* commit)
{
    const Libgit2Library& lib = libgit2();
    std::vector<CommitPtr> parents;
    const unsigned count = lib.git_commit_parentcount(commit);
    for (unsigned i = 0; i < count; ++i) {
        git_commit* parent = nullptr;
        if (lib.git_commit_parent(&parent, commit, i) == 0) {
            parents.emplace_back(parent);
        }
    }
    return parents;
}

/// The ids of a commit and of every ancestor that is present.
std::set<std::string> present_ancestors(git_repository* repo, const git_oid& start)
{
    const Libgit2Library& lib = libgit2();
    std::set<std::string> seen;
    std::vector<git_oid> pending{start};
    while (!pending.empty()) {
        const git_oid id = pending.back();
        pending.pop_back();
        git_commit* raw = nullptr;
        if (!seen.insert(oid_text(id)).second || lib.git_commit_lookup(&raw, repo, &id) != 0) {
            continue;
        }
        const CommitPtr commit(raw);
        for (const auto& parent : present_parents(raw)) {
            pending.push_back(*lib.git_commit_id(parent.get()));
        }
    }
    return seen;
}

/// The merge base of two commits among the commits a shallow clone holds: libgit2's
/// walk stops with an error at the first parent that is missing, even when the base is
/// there (it reads commits by date, so commits made in the same second reach the edge
/// early). Its result is one of the common ancestors that no other common ancestor
/// descends from; nullopt when there is none here.
std::optional<git_oid>
present_merge_base(git_repository* repo, const git_oid& head, const git_oid& target)
{
    const Libgit2Library& lib = libgit2();
    const std::set<std::string> of_head = present_ancestors(repo, head);
    std::vector<git_oid> common;
    std::set<std::string> seen;
    std::vector<git_oid> pending{target};
    while (!pending.empty()) {
        const git_oid id = pending.back();
        pending.pop_back();
        if (!seen.insert(oid_text(id)).second) {
            continue;
        }
        if (of_head.count(oid_text(id)) != 0) {
            common.push_back(id); // its own ancestors are common too, but not better
            continue;
        }
        git_commit* raw = nullptr;
        if (lib.git_commit_lookup(&raw, repo, &id) != 0) {
            continue;
        }
        const CommitPtr commit(raw);
        for (const auto& parent : present_parents(raw)) {
            pending.push_back(*lib.git_commit_id(parent.get()));
        }
    }
    std::set<std::string> below; // common ancestors of other common ancestors
    for (const auto& id : common) {
        for (const auto& ancestor : present_ancestors(repo, id)) {
            if (ancestor != oid_text(id)) {
                below.insert(ancestor);
            }
        }
    }
    std::erase_if(common, [&](const git_oid& id) { return below.count(oid_text(id)) != 0; });
    if (common.empty()) {
        return std::nullopt;
    }
    std::sort(common.begin(), common.end(), [&lib](const git_oid& a, const git_oid& b) {
        return lib.git_oid_cmp(&a, &b) < 0;
    });
    return common.front();
}

/// The merge base of HEAD and the target; nullopt when they share no history that is
/// in this repository.
core::Result<std::optional<git_oid>>
merge_base(git_repository* repo, const git_oid& head, const git_oid& target, bool shallow)
{
    git_oid base;
    const int found = libgit2().git_merge_base(&base, repo, &target, &head);
    if (found == 0) {
        return std::optional<git_oid>(base);
    }
    if (shallow) {
        return present_merge_base(repo, head, target);
    }
    if (found == GIT_ENOTFOUND) {
        return std::optional<git_oid>();
    }
    return git_error("cannot find the merge base");
}

// ---- The differences ------------------------------------------------------------

int on_changed_file(const git_diff_delta* delta, float /*progress*/, void* payload)
{
    auto& out = *static_cast<Changes*>(payload);
    if (delta->status == GIT_DELTA_DELETED) {
        out.deleted.insert(delta->old_file.path);
        return 0;
    }
    ChangedFile& file = out.files[delta->new_file.path];
    if (delta->status == GIT_DELTA_RENAMED) {
        file.renamed_from = delta->old_file.path;
    }
    file.added = delta->status == GIT_DELTA_ADDED || delta->status == GIT_DELTA_UNTRACKED;
    return 0;
}

// With no context lines, a hunk that adds nothing removed lines after its new_start.
int on_hunk(const git_diff_delta* delta, const git_diff_hunk* hunk, void* payload)
{
    if (delta->status != GIT_DELTA_DELETED && hunk->new_lines == 0 && hunk->old_lines > 0) {
        auto& out = *static_cast<Changes*>(payload);
        out.files[delta->new_file.path].deletions.push_back(hunk->new_start);
    }
    return 0;
}

int on_line(const git_diff_delta* delta,
            const git_diff_hunk* /*hunk*/,
            const git_diff_line* line,
            void* payload)
{
    if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0) {
        auto& out = *static_cast<Changes*>(payload);
        add_line(out.files[delta->new_file.path].lines, line->new_lineno);
    }
    return 0;
}

core::Result<Changes>
changes_to_work_tree(git_repository* repo, const git_oid& base, const std::string& ref)
{
    const Libgit2Library& lib = libgit2();
    git_commit* raw_base = nullptr;
    if (lib.git_commit_lookup(&raw_base, repo, &base) != 0) {
        return git_error("cannot read the merge base");
    }
    const CommitPtr base_commit(raw_base);
    git_tree* raw_tree = nullptr;
    if (lib.git_commit_tree(&raw_tree, raw_base) != 0) {
        return git_error("cannot read the merge base's tree");
    }
    const TreePtr base_tree(raw_tree);

    git_diff_options options = GIT_DIFF_OPTIONS_INIT;
    options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS
                    | GIT_DIFF_SHOW_UNTRACKED_CONTENT;
    options.context_lines = 0;
    git_diff* raw_diff = nullptr;
    if (lib.git_diff_tree_to_workdir_with_index(&raw_diff, repo, raw_tree, &options) != 0) {
        return git_error("cannot compare the work tree with the merge base");
    }
    const DiffPtr diff(raw_diff);
    if (auto renamed = find_renames(raw_diff); !renamed) {
        return renamed.error();
    }
    Changes changes;
    changes.work_tree = lib.git_repository_workdir(repo);
    changes.base = oid_text(base);
    changes.base_ref = ref;
    if (lib.git_diff_foreach(raw_diff, on_changed_file, nullptr, on_hunk, on_line, &changes) != 0) {
        return git_error("cannot read the differences");
    }
    return changes;
}

} // namespace

bool Changes::changed(const std::string& path, int line) const
{
    const auto found = files.find(path);
    if (found == files.end()) {
        return false;
    }
    return std::any_of(found->second.lines.begin(), found->second.lines.end(), [&](const auto& r) {
        return line >= r.first && line <= r.last;
    });
}

bool ChangedFile::touches(int first, int last) const
{
    const bool changed_line = std::any_of(lines.begin(), lines.end(), [&](const auto& range) {
        return range.first <= last && range.last >= first;
    });
    return changed_line || std::any_of(deletions.begin(), deletions.end(), [&](int after) {
               return after >= first && after < last;
           });
}

core::Result<Changes> changes_since(const std::filesystem::path& inside, const std::string& ref)
{
    const Libgit2Library& lib = libgit2();
    auto repository = open_repository(inside);
    if (!repository) {
        return repository.error();
    }
    git_repository* repo = repository->get();
    auto head = commit_of(repo, "HEAD");
    if (!head) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format("--diff: HEAD is not a commit yet ({})", head.error().message()));
    }
    const bool shallow = lib.git_repository_is_shallow(repo) == 1;
    const FetchTarget fetch = fetch_target(repo, ref);
    auto target = commit_of(repo, ref);
    if (!target) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("--diff '{}': not a commit in this repository ({}){}",
                                       ref,
                                       target.error().message(),
                                       missing_ref_hint(ref, fetch, shallow)));
    }
    auto base = merge_base(
        repo, *lib.git_commit_id(head->get()), *lib.git_commit_id(target->get()), shallow);
    if (!base) {
        return base.error();
    }
    if (!*base) {
        return core::Error(
            core::ErrorCode::usage,
            shallow ? fmt::format("--diff '{}': its merge base with HEAD is not in this shallow "
                                  "clone; {}",
                                  ref,
                                  missing_base_hint(fetch))
                    : fmt::format("--diff '{}': it has no history in common with HEAD", ref));
    }
    return changes_to_work_tree(repo, **base, ref);
}

struct StagedFiles::Handle
{
    RepositoryPtr repository;
};

core::Result<StagedFiles> StagedFiles::read(const std::filesystem::path& inside)
{
    const Libgit2Library& lib = libgit2();
    auto repository = open_repository(inside);
    if (!repository) {
        return repository.error();
    }
    git_repository* repo = repository->get();
    TreePtr head_tree;
    if (auto head = commit_of(repo, "HEAD")) {
        git_tree* raw = nullptr;
        if (lib.git_commit_tree(&raw, head->get()) != 0) {
            return git_error("cannot read HEAD's tree");
        }
        head_tree.reset(raw);
    } // else a repository without commits yet: everything staged is new.
    git_index* raw_index = nullptr;
    if (lib.git_repository_index(&raw_index, repo) != 0) {
        return git_error("cannot read the index");
    }
    const IndexPtr index(raw_index);
    git_diff_options options = GIT_DIFF_OPTIONS_INIT;
    git_diff* raw_diff = nullptr;
    if (lib.git_diff_tree_to_index(&raw_diff, repo, head_tree.get(), raw_index, &options) != 0) {
        return git_error("cannot compare the index with HEAD");
    }
    const DiffPtr diff(raw_diff);
    if (auto renamed = find_renames(raw_diff); !renamed) {
        return renamed.error();
    }
    StagedFiles staged;
    const std::size_t count = lib.git_diff_num_deltas(raw_diff);
    for (std::size_t i = 0; i < count; ++i) {
        const git_diff_delta* delta = lib.git_diff_get_delta(raw_diff, i);
        if (delta->status != GIT_DELTA_DELETED) {
            staged.m_changed.insert(delta->new_file.path);
        }
    }
    // A conflicted file has no version a commit could take; a submodule is no file.
    const std::size_t entries = lib.git_index_entrycount(raw_index);
    for (std::size_t i = 0; i < entries; ++i) {
        const git_index_entry* entry = lib.git_index_get_byindex(raw_index, i);
        if (entry != nullptr && lib.git_index_entry_stage(entry) == 0
            && entry->mode != GIT_FILEMODE_COMMIT) {
            staged.m_blobs.emplace(entry->path, oid_text(entry->id));
        }
    }
    std::string work_tree = lib.git_repository_workdir(repo);
    while (work_tree.size() > 1 && work_tree.back() == '/') {
        work_tree.pop_back();
    }
    staged.m_work_tree = work_tree;
    auto handle = std::make_shared<Handle>();
    handle->repository = std::move(*repository);
    staged.m_handle = std::move(handle);
    return staged;
}

std::vector<std::string> StagedFiles::names_in(const std::string& folder) const
{
    const std::string prefix = folder.empty() ? std::string() : folder + "/";
    std::vector<std::string> names;
    for (auto it = m_blobs.lower_bound(prefix);
         it != m_blobs.end() && it->first.compare(0, prefix.size(), prefix) == 0;
         ++it) {
        const std::string rest = it->first.substr(prefix.size());
        std::string name = rest.substr(0, rest.find('/'));
        if (names.empty() || names.back() != name) {
            names.push_back(std::move(name));
        }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

core::Result<std::optional<std::string>> StagedFiles::content(const std::string& path) const
{
    const Libgit2Library& lib = libgit2();
    const auto found = m_blobs.find(path);
    if (found == m_blobs.end()) {
        return std::optional<std::string>();
    }
    git_oid id;
    lib.git_oid_fromstr(&id, found->second.c_str());
    git_blob* raw_blob = nullptr;
    if (lib.git_blob_lookup(&raw_blob, m_handle->repository.get(), &id) != 0) {
        return git_error(fmt::format("cannot read the staged '{}'", path));
    }
    const BlobPtr blob(raw_blob);
    const auto* bytes = static_cast<const char*>(lib.git_blob_rawcontent(raw_blob));
    return std::optional<std::string>(
        std::string(bytes, static_cast<std::size_t>(lib.git_blob_rawsize(raw_blob))));
}

} // namespace aiops::git
