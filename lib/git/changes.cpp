#include "git/changes.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace aiops::git {

namespace {

std::string last_error_text()
{
    const git_error* error = git_error_last();
    return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

template <typename T, void (*Free)(T*)> struct Freer
{
    void operator()(T* object) const { Free(object); }
};

using RepositoryPtr = std::unique_ptr<git_repository, Freer<git_repository, git_repository_free>>;
using ObjectPtr = std::unique_ptr<git_object, Freer<git_object, git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, Freer<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Freer<git_tree, git_tree_free>>;
using DiffPtr = std::unique_ptr<git_diff, Freer<git_diff, git_diff_free>>;
using IndexPtr = std::unique_ptr<git_index, Freer<git_index, git_index_free>>;
using BlobPtr = std::unique_ptr<git_blob, Freer<git_blob, git_blob_free>>;

core::Error git_error(const std::string& what)
{
    return core::Error(core::ErrorCode::io, fmt::format("git: {}: {}", what, last_error_text()));
}

core::Result<RepositoryPtr> open_repository(const std::filesystem::path& inside)
{
    static std::once_flag once;
    std::call_once(once, [] { git_libgit2_init(); });
    git_repository* raw = nullptr;
    const std::string start = inside.string();
    if (git_repository_open_ext(&raw, start.c_str(), 0, nullptr) != 0) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format("'{}' is not inside a git work tree: {}", start, last_error_text()));
    }
    RepositoryPtr repository(raw);
    if (git_repository_is_bare(raw) != 0) {
        return core::Error(core::ErrorCode::usage, "a bare repository has no work tree to compare");
    }
    return repository;
}

core::Result<CommitPtr> commit_of(git_repository* repository, const std::string& name)
{
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, repository, name.c_str()) != 0) {
        return core::Error(core::ErrorCode::usage, last_error_text());
    }
    ObjectPtr object(raw);
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, raw, GIT_OBJECT_COMMIT) != 0) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("'{}' does not name a commit", name));
    }
    return CommitPtr(reinterpret_cast<git_commit*>(peeled));
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
    if (git_diff_find_similar(diff, &options) != 0) {
        return git_error("cannot find renamed files");
    }
    return true;
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

core::Result<Changes> changes_since(const std::filesystem::path& inside, const std::string& ref)
{
    auto repository = open_repository(inside);
    if (!repository) {
        return repository.error();
    }
    git_repository* repo = repository->get();
    const bool shallow = git_repository_is_shallow(repo) == 1;
    // 'origin/main' is fetched as 'main' from 'origin'.
    std::string remote = "origin";
    std::string branch = ref;
    if (const auto slash = ref.find('/'); slash != std::string::npos && slash > 0) {
        git_remote* found_remote = nullptr;
        if (git_remote_lookup(&found_remote, repo, ref.substr(0, slash).c_str()) == 0) {
            remote = ref.substr(0, slash);
            branch = ref.substr(slash + 1);
            git_remote_free(found_remote);
        }
    }
    const std::string fetch_hint =
        shallow ? fmt::format("this is a shallow clone: fetch more history with 'git fetch "
                              "--deepen=100 {0} {1}' (or 'git fetch --unshallow {0}')",
                              remote,
                              branch)
                : fmt::format("fetch it first, for example 'git fetch {} {}'", remote, branch);
    auto target = commit_of(repo, ref);
    if (!target) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("--diff '{}': not a commit in this repository ({}); {}",
                                       ref,
                                       target.error().message(),
                                       fetch_hint));
    }
    auto head = commit_of(repo, "HEAD");
    if (!head) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format("--diff: HEAD is not a commit yet ({})", head.error().message()));
    }
    git_oid base;
    const int found =
        git_merge_base(&base, repo, git_commit_id(target->get()), git_commit_id(head->get()));
    // In a shallow clone the walk to the merge base can run into a commit that is not
    // there: the base is as missing as when no base exists.
    if (found == GIT_ENOTFOUND || (found != 0 && shallow)) {
        return core::Error(
            core::ErrorCode::usage,
            shallow ? fmt::format("--diff '{}': its merge base with HEAD is not in this shallow "
                                  "clone; {}",
                                  ref,
                                  fetch_hint)
                    : fmt::format("--diff '{}': it has no history in common with HEAD", ref));
    }
    if (found != 0) {
        return git_error("cannot find the merge base of '" + ref + "' and HEAD");
    }
    git_commit* raw_base = nullptr;
    if (git_commit_lookup(&raw_base, repo, &base) != 0) {
        return git_error("cannot read the merge base");
    }
    const CommitPtr base_commit(raw_base);
    git_tree* raw_tree = nullptr;
    if (git_commit_tree(&raw_tree, raw_base) != 0) {
        return git_error("cannot read the merge base's tree");
    }
    const TreePtr base_tree(raw_tree);

    git_diff_options options = GIT_DIFF_OPTIONS_INIT;
    options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS
                    | GIT_DIFF_SHOW_UNTRACKED_CONTENT;
    options.context_lines = 0;
    git_diff* raw_diff = nullptr;
    if (git_diff_tree_to_workdir_with_index(&raw_diff, repo, raw_tree, &options) != 0) {
        return git_error("cannot compare the work tree with the merge base");
    }
    const DiffPtr diff(raw_diff);
    if (auto renamed = find_renames(raw_diff); !renamed) {
        return renamed.error();
    }

    Changes changes;
    changes.work_tree = git_repository_workdir(repo);
    char id[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(id, sizeof id, &base);
    changes.base = id;
    changes.base_ref = ref;
    const auto on_file = [](const git_diff_delta* delta, float, void* payload) -> int {
        auto& out = *static_cast<Changes*>(payload);
        if (delta->status == GIT_DELTA_DELETED) {
            return 0;
        }
        ChangedFile& file = out.files[delta->new_file.path];
        if (delta->status == GIT_DELTA_RENAMED) {
            file.renamed_from = delta->old_file.path;
        }
        return 0;
    };
    const auto on_line = [](const git_diff_delta* delta,
                            const git_diff_hunk*,
                            const git_diff_line* line,
                            void* payload) -> int {
        if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0) {
            auto& out = *static_cast<Changes*>(payload);
            add_line(out.files[delta->new_file.path].lines, line->new_lineno);
        }
        return 0;
    };
    if (git_diff_foreach(raw_diff, on_file, nullptr, nullptr, on_line, &changes) != 0) {
        return git_error("cannot read the differences");
    }
    return changes;
}

core::Result<std::vector<StagedFile>> staged_files(const std::filesystem::path& inside)
{
    auto repository = open_repository(inside);
    if (!repository) {
        return repository.error();
    }
    git_repository* repo = repository->get();
    TreePtr head_tree;
    if (auto head = commit_of(repo, "HEAD")) {
        git_tree* raw = nullptr;
        if (git_commit_tree(&raw, head->get()) != 0) {
            return git_error("cannot read HEAD's tree");
        }
        head_tree.reset(raw);
    } // else a repository without commits yet: everything staged is new.
    git_index* raw_index = nullptr;
    if (git_repository_index(&raw_index, repo) != 0) {
        return git_error("cannot read the index");
    }
    const IndexPtr index(raw_index);
    git_diff_options options = GIT_DIFF_OPTIONS_INIT;
    git_diff* raw_diff = nullptr;
    if (git_diff_tree_to_index(&raw_diff, repo, head_tree.get(), raw_index, &options) != 0) {
        return git_error("cannot compare the index with HEAD");
    }
    const DiffPtr diff(raw_diff);
    if (auto renamed = find_renames(raw_diff); !renamed) {
        return renamed.error();
    }
    std::vector<StagedFile> files;
    const std::size_t count = git_diff_num_deltas(raw_diff);
    for (std::size_t i = 0; i < count; ++i) {
        const git_diff_delta* delta = git_diff_get_delta(raw_diff, i);
        if (delta->status == GIT_DELTA_DELETED) {
            continue;
        }
        git_blob* raw_blob = nullptr;
        if (git_blob_lookup(&raw_blob, repo, &delta->new_file.id) != 0) {
            return git_error(fmt::format("cannot read the staged '{}'", delta->new_file.path));
        }
        const BlobPtr blob(raw_blob);
        const auto* bytes = static_cast<const char*>(git_blob_rawcontent(raw_blob));
        files.push_back({delta->new_file.path,
                         std::string(bytes, static_cast<std::size_t>(git_blob_rawsize(raw_blob)))});
    }
    std::sort(
        files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return files;
}

} // namespace aiops::git
