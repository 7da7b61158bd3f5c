#include "git/objects.hpp"
#include "git/repository.hpp"
#include "git/repository_handle.hpp"

#include <fmt/format.h>

namespace aiops::git {

bool Repository::is_shallow() const
{
    return libgit2().git_repository_is_shallow(m_handle->repo) == 1;
}

std::optional<std::string> Repository::head_commit() const
{
    git_oid oid;
    if (libgit2().git_reference_name_to_id(&oid, m_handle->repo, "HEAD") != 0) {
        return std::nullopt;
    }
    return oid_text(oid);
}

bool Repository::head_detached() const
{
    return libgit2().git_repository_head_detached(m_handle->repo) == 1;
}

core::Result<std::string> Repository::resolve_commit(const std::string& revision) const
{
    const Libgit2Library& lib = libgit2();
    OwnedObject object;
    if (lib.git_revparse_single(&object.ptr, m_handle->repo, revision.c_str()) != 0) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format("git: '{}' names no commit: {}", revision, last_error_text()));
    }
    OwnedObject commit;
    if (lib.git_object_peel(&commit.ptr, object.ptr, GIT_OBJECT_COMMIT) != 0) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("git: '{}' names no commit", revision));
    }
    return oid_text(*lib.git_object_id(commit.ptr));
}

core::Result<std::optional<std::string>> Repository::file_at(const std::string& revision,
                                                             const std::string& path) const
{
    const Libgit2Library& lib = libgit2();
    auto id = resolve_commit(revision);
    if (!id) {
        return id.error();
    }
    git_oid oid;
    lib.git_oid_fromstr(&oid, id->c_str());
    OwnedCommit commit;
    OwnedTree tree;
    if (lib.git_commit_lookup(&commit.ptr, m_handle->repo, &oid) != 0
        || lib.git_commit_tree(&tree.ptr, commit.ptr) != 0) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("git: cannot read commit {}: {}", *id, last_error_text()));
    }
    const auto entry = entry_at(tree.ptr, path);
    if (!entry) {
        return std::optional<std::string>();
    }
    return std::optional<std::string>(blob_text(m_handle->repo, *entry));
}

} // namespace aiops::git
