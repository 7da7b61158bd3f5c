#include "core/log.hpp"
#include "git/repository.hpp"
#include "git/repository_handle.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <queue>
#include <unordered_set>

namespace aiops::git {

namespace {

/// Owns one libgit2 object and frees it with the matching function.
template <typename T, void (*Free)(T*)> struct Owned
{
    T* ptr = nullptr;

    Owned() = default;
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;

    ~Owned() { Free(ptr); }
};

using OwnedCommit = Owned<git_commit, git_commit_free>;
using OwnedTree = Owned<git_tree, git_tree_free>;
using OwnedEntry = Owned<git_tree_entry, git_tree_entry_free>;
using OwnedObject = Owned<git_object, git_object_free>;
using OwnedBlob = Owned<git_blob, git_blob_free>;
using OwnedDiff = Owned<git_diff, git_diff_free>;

std::string oid_text(const git_oid& oid)
{
    char text[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(text, sizeof text, &oid);
    return text;
}

struct OidHash
{
    std::size_t operator()(const git_oid& oid) const
    {
        std::size_t value = 0;
        std::memcpy(&value, oid.id, sizeof value);
        return value;
    }
};

struct OidEqual
{
    bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b) != 0; }
};

/// The blob id of a file in a tree, or nullopt when the tree has no such file.
std::optional<git_oid> entry_at(git_tree* tree, const std::string& path)
{
    OwnedEntry entry;
    if (git_tree_entry_bypath(&entry.ptr, tree, path.c_str()) != 0) {
        return std::nullopt;
    }
    if (git_tree_entry_type(entry.ptr) != GIT_OBJECT_BLOB) {
        return std::nullopt;
    }
    return *git_tree_entry_id(entry.ptr);
}

bool same_entry(const std::optional<git_oid>& a, const std::optional<git_oid>& b)
{
    if (a.has_value() != b.has_value()) {
        return false;
    }
    return !a || git_oid_equal(&*a, &*b) != 0;
}

CommitInfo describe(git_commit* commit)
{
    CommitInfo info;
    info.id = oid_text(*git_commit_id(commit));
    info.time = static_cast<std::int64_t>(git_commit_time(commit));
    info.time_offset = git_commit_time_offset(commit);
    const git_signature* author = git_commit_author(commit);
    info.author_name = author != nullptr && author->name != nullptr ? author->name : "";
    const char* summary = git_commit_summary(commit);
    info.subject = summary != nullptr ? summary : "";
    return info;
}

/// The commits at the edge of a shallow clone, from the repository's 'shallow' file.
std::unordered_set<git_oid, OidHash, OidEqual> shallow_edges(git_repository* repo)
{
    std::unordered_set<git_oid, OidHash, OidEqual> edges;
    std::ifstream in(std::string(git_repository_commondir(repo)) + "shallow");
    std::string line;
    while (std::getline(in, line)) {
        git_oid oid;
        if (line.size() >= GIT_OID_HEXSZ
            && git_oid_fromstrn(&oid, line.c_str(), GIT_OID_HEXSZ) == 0) {
            edges.insert(oid);
        }
    }
    return edges;
}

/// The path a file had in the parent tree, when the commit renamed it; rename detection
/// runs only here, on the one commit that made the path appear.
std::optional<std::string>
renamed_from(git_repository* repo, git_tree* parent, git_tree* tree, const std::string& path)
{
    OwnedDiff diff;
    if (git_diff_tree_to_tree(&diff.ptr, repo, parent, tree, nullptr) != 0) {
        return std::nullopt;
    }
    git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
    find.flags = GIT_DIFF_FIND_RENAMES;
    if (git_diff_find_similar(diff.ptr, &find) != 0) {
        return std::nullopt;
    }
    const std::size_t count = git_diff_num_deltas(diff.ptr);
    for (std::size_t i = 0; i < count; ++i) {
        const git_diff_delta* delta = git_diff_get_delta(diff.ptr, i);
        if (delta->status == GIT_DELTA_RENAMED && path == delta->new_file.path) {
            return std::string(delta->old_file.path);
        }
    }
    return std::nullopt;
}

std::string blob_text(git_repository* repo, const git_oid& id)
{
    OwnedBlob blob;
    if (git_blob_lookup(&blob.ptr, repo, &id) != 0) {
        return {};
    }
    const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.ptr));
    return std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.ptr)));
}

/// The commit objects of a walk, newest committer time first, each visited once.
class CommitQueue
{
public:
    explicit CommitQueue(git_repository* repo) : m_repo(repo) {}

    void push(const git_oid& id)
    {
        if (!m_seen.insert(id).second) {
            return;
        }
        git_commit* commit = nullptr;
        if (git_commit_lookup(&commit, m_repo, &id) == 0) {
            m_queue.push(commit);
        }
    }

    bool empty() const { return m_queue.empty(); }

    /// The newest commit; the caller frees it.
    git_commit* pop()
    {
        git_commit* commit = m_queue.top();
        m_queue.pop();
        return commit;
    }

    ~CommitQueue()
    {
        while (!m_queue.empty()) {
            git_commit_free(pop());
        }
    }

private:
    struct Older
    {
        bool operator()(git_commit* a, git_commit* b) const
        {
            return git_commit_time(a) < git_commit_time(b);
        }
    };

    git_repository* m_repo;
    std::priority_queue<git_commit*, std::vector<git_commit*>, Older> m_queue;
    std::unordered_set<git_oid, OidHash, OidEqual> m_seen;
};

} // namespace

bool Repository::is_shallow() const
{
    return git_repository_is_shallow(m_handle->repo) == 1;
}

std::optional<std::string> Repository::head_commit() const
{
    git_oid oid;
    if (git_reference_name_to_id(&oid, m_handle->repo, "HEAD") != 0) {
        return std::nullopt;
    }
    return oid_text(oid);
}

bool Repository::head_detached() const
{
    return git_repository_head_detached(m_handle->repo) == 1;
}

core::Result<std::string> Repository::resolve_commit(const std::string& revision) const
{
    OwnedObject object;
    if (git_revparse_single(&object.ptr, m_handle->repo, revision.c_str()) != 0) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format("git: '{}' names no commit: {}", revision, last_error_text()));
    }
    OwnedObject commit;
    if (git_object_peel(&commit.ptr, object.ptr, GIT_OBJECT_COMMIT) != 0) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("git: '{}' names no commit", revision));
    }
    return oid_text(*git_object_id(commit.ptr));
}

core::Result<std::optional<std::string>> Repository::file_at(const std::string& revision,
                                                             const std::string& path) const
{
    auto id = resolve_commit(revision);
    if (!id) {
        return id.error();
    }
    git_oid oid;
    git_oid_fromstr(&oid, id->c_str());
    OwnedCommit commit;
    OwnedTree tree;
    if (git_commit_lookup(&commit.ptr, m_handle->repo, &oid) != 0
        || git_commit_tree(&tree.ptr, commit.ptr) != 0) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("git: cannot read commit {}: {}", *id, last_error_text()));
    }
    const auto entry = entry_at(tree.ptr, path);
    if (!entry) {
        return std::optional<std::string>();
    }
    return std::optional<std::string>(blob_text(m_handle->repo, *entry));
}

core::Result<FileHistory> Repository::history_of(const std::string& path) const
{
    const auto started = std::chrono::steady_clock::now();
    git_repository* repo = m_handle->repo;
    FileHistory history;
    git_oid head;
    if (git_reference_name_to_id(&head, repo, "HEAD") != 0) {
        return history;
    }
    const auto edges = shallow_edges(repo);
    CommitQueue queue(repo);
    queue.push(head);
    std::string current = path;
    std::size_t visited = 0;
    while (!queue.empty()) {
        OwnedCommit commit;
        commit.ptr = queue.pop();
        ++visited;
        OwnedTree tree;
        if (git_commit_tree(&tree.ptr, commit.ptr) != 0) {
            return core::Error(core::ErrorCode::io,
                               "git: cannot read a commit's tree: " + last_error_text());
        }
        const auto here = entry_at(tree.ptr, current);
        const bool edge = edges.count(*git_commit_id(commit.ptr)) != 0;
        const unsigned parent_count = edge ? 0 : git_commit_parentcount(commit.ptr);

        // The first parent's tree decides what changed; a merge is a change only when
        // no parent has the file as this commit has it.
        std::vector<OwnedCommit> parents(parent_count);
        std::optional<git_oid> before;
        OwnedTree first_parent_tree;
        bool missing_parent = edge;
        bool same_as_a_parent = false;
        for (unsigned i = 0; i < parent_count; ++i) {
            if (git_commit_parent(&parents[i].ptr, commit.ptr, i) != 0) {
                missing_parent = true;
                continue;
            }
            OwnedTree parent_tree;
            if (git_commit_tree(&parent_tree.ptr, parents[i].ptr) != 0) {
                missing_parent = true;
                continue;
            }
            const auto there = entry_at(parent_tree.ptr, current);
            if (i == 0) {
                before = there;
                first_parent_tree.ptr = parent_tree.ptr;
                parent_tree.ptr = nullptr;
            }
            same_as_a_parent = same_as_a_parent || same_entry(here, there);
        }
        for (auto& parent : parents) {
            if (parent.ptr != nullptr) {
                queue.push(*git_commit_id(parent.ptr));
            }
        }

        if (missing_parent && first_parent_tree.ptr == nullptr) {
            // The edge of the clone: what came before this commit is not here, but the
            // file as it is here is still a version.
            if (here) {
                history.truncated = true;
                FileChange change;
                change.commit = describe(commit.ptr);
                change.path = current;
                change.content = blob_text(repo, *here);
                change.at_shallow_edge = true;
                history.changes.push_back(std::move(change));
            }
            continue;
        }
        // A root commit without the file did not touch it.
        if (same_as_a_parent || (!here && !before)) {
            continue;
        }
        FileChange change;
        change.commit = describe(commit.ptr);
        change.path = current;
        if (!here) {
            change.kind = ChangeKind::deleted;
        } else {
            change.content = blob_text(repo, *here);
            if (!before) {
                change.kind = ChangeKind::added;
                if (auto old_path = renamed_from(repo, first_parent_tree.ptr, tree.ptr, current)) {
                    change.kind = ChangeKind::renamed;
                    change.previous_path = *old_path;
                    current = *old_path;
                }
            }
        }
        history.changes.push_back(std::move(change));
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    core::log::debug("git: history of '{}': {} changes in {} commits, {} ms{}",
                     path,
                     history.changes.size(),
                     visited,
                     elapsed.count(),
                     history.truncated ? " (cut by a shallow clone)" : "");
    return history;
}

} // namespace aiops::git
