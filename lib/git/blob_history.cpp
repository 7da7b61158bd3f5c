#include "git/blob_history.hpp"

#include "core/log.hpp"
#include "git/libgit2_library.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <unordered_set>

namespace aiops::git {

namespace {

std::string last_error_text()
{
    const git_error* error = libgit2().git_error_last();
    return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

std::string hex(const git_oid* id)
{
    char text[GIT_OID_HEXSZ + 1] = {};
    libgit2().git_oid_tostr(text, sizeof text, id);
    return text;
}

/// Owns a libgit2 object and frees it with its own function of Libgit2Library.
template <typename T, void (*Libgit2Library::*Free)(T*)> struct Owned
{
    T* object = nullptr;

    Owned() = default;
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;

    ~Owned() { (libgit2().*Free)(object); }
};

using OwnedTree = Owned<git_tree, &Libgit2Library::git_tree_free>;
using OwnedCommit = Owned<git_commit, &Libgit2Library::git_commit_free>;
using OwnedDiff = Owned<git_diff, &Libgit2Library::git_diff_free>;
using OwnedEntry = Owned<git_tree_entry, &Libgit2Library::git_tree_entry_free>;

// Submodule commits and symbolic links hold no file text of this repository.
bool holds_text(git_filemode_t mode)
{
    return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/// The blob at a path of a tree, or nullopt.
std::optional<git_oid> blob_at(git_tree* tree, const char* path)
{
    const Libgit2Library& lib = libgit2();
    OwnedEntry entry;
    if (lib.git_tree_entry_bypath(&entry.object, tree, path) != 0
        || !holds_text(lib.git_tree_entry_filemode(entry.object))) {
        return std::nullopt;
    }
    return *lib.git_tree_entry_id(entry.object);
}

/// Lists the blobs that commits introduce, each blob once, at the paths wanted.
class BlobCollector
{
public:
    BlobCollector(git_repository* repo, HistoryListing& listing, const PathFilter& wanted)
        : m_repo(repo), m_listing(listing), m_wanted(wanted)
    {}

    /// Every file of a tree: the commit has no parent to compare with.
    core::Result<bool>
    add_tree(const git_tree* tree, const std::string& prefix, const std::string& commit)
    {
        const Libgit2Library& lib = libgit2();
        const std::size_t count = lib.git_tree_entrycount(tree);
        for (std::size_t i = 0; i < count; ++i) {
            const git_tree_entry* entry = lib.git_tree_entry_byindex(tree, i);
            const git_oid* id = lib.git_tree_entry_id(entry);
            const std::string path = prefix + lib.git_tree_entry_name(entry);
            if (lib.git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
                OwnedTree subtree;
                if (lib.git_tree_lookup(&subtree.object, m_repo, id) != 0) {
                    return core::Error(core::ErrorCode::io,
                                       fmt::format("git: cannot read the tree of '{}': {}",
                                                   path,
                                                   last_error_text()));
                }
                if (auto added = add_tree(subtree.object, path + "/", commit); !added) {
                    return added;
                }
            } else if (holds_text(lib.git_tree_entry_filemode(entry))) {
                add(path, *id, commit, {});
            }
        }
        return true;
    }

    /// The files a commit's diff to its parents adds or changes; of a merge, those that
    /// differ from every parent.
    core::Result<bool>
    add_changes(git_tree* tree, const std::vector<git_tree*>& parents, const std::string& commit)
    {
        const Libgit2Library& lib = libgit2();
        OwnedDiff diff;
        if (lib.git_diff_tree_to_tree(&diff.object, m_repo, parents.front(), tree, nullptr) != 0) {
            return core::Error(core::ErrorCode::io,
                               fmt::format("git: cannot compare commit {} with its parent: {}",
                                           commit,
                                           last_error_text()));
        }
        const std::size_t count = lib.git_diff_num_deltas(diff.object);
        for (std::size_t i = 0; i < count; ++i) {
            const git_diff_delta* delta = lib.git_diff_get_delta(diff.object, i);
            if (delta->status == GIT_DELTA_DELETED
                || !holds_text(static_cast<git_filemode_t>(delta->new_file.mode))) {
                continue;
            }
            const char* path = delta->new_file.path;
            std::vector<git_oid> earlier;
            if (holds_text(static_cast<git_filemode_t>(delta->old_file.mode))
                && delta->status != GIT_DELTA_ADDED) {
                earlier.push_back(delta->old_file.id);
            }
            bool from_a_parent = false;
            for (std::size_t p = 1; p < parents.size() && !from_a_parent; ++p) {
                const auto there = blob_at(parents[p], path);
                from_a_parent = there && lib.git_oid_equal(&*there, &delta->new_file.id) != 0;
                if (there && !from_a_parent) {
                    earlier.push_back(*there);
                }
            }
            if (!from_a_parent) {
                add(path, delta->new_file.id, commit, earlier);
            }
        }
        return true;
    }

private:
    void add(const std::string& path,
             const git_oid& id,
             const std::string& commit,
             const std::vector<git_oid>& earlier)
    {
        const Libgit2Library& lib = libgit2();
        if (!m_wanted(path)) {
            return;
        }
        std::string blob = hex(&id);
        if (!m_seen_blobs.insert(blob).second) {
            return;
        }
        git_odb* odb = nullptr;
        std::size_t size = 0;
        if (lib.git_repository_odb(&odb, m_repo) == 0) {
            git_object_t object_type = GIT_OBJECT_BLOB;
            lib.git_odb_read_header(&size, &object_type, odb, &id);
            lib.git_odb_free(odb);
        }
        HistoryBlob& listed = m_listing.blobs.emplace_back();
        listed.path = path;
        listed.blob_id = std::move(blob);
        listed.commit_id = commit;
        listed.size = size;
        for (const git_oid& version : earlier) {
            listed.earlier_blob_ids.push_back(hex(&version));
        }
    }

    git_repository* m_repo;
    HistoryListing& m_listing;
    const PathFilter& m_wanted;
    std::unordered_set<std::string> m_seen_blobs;
};

// The commits a shallow clone was cut at: git lists them, one a line, in the file
// 'shallow' of the repository folder (libgit2 has no public call for them).
std::vector<std::string> shallow_commits(git_repository* repo)
{
    std::vector<std::string> commits;
    std::ifstream file(std::filesystem::path(libgit2().git_repository_path(repo)) / "shallow");
    std::string line;
    while (std::getline(file, line)) {
        if (line.size() == GIT_OID_HEXSZ) {
            commits.push_back(line);
        }
    }
    return commits;
}

/// The commits reachable from some commits and not from others. Parents that are
/// missing (the cut of a shallow clone) end the walk there instead of failing it.
class CommitWalk
{
public:
    struct Commit
    {
        git_oid id;
        git_time_t time;
        std::size_t order; ///< when it was found: children before parents
    };

    explicit CommitWalk(git_repository* repo) : m_repo(repo) {}

    void hide_ancestors_of(const git_oid* start) { walk(start, m_hidden, nullptr); }

    void add_ancestors_of(const git_oid* start) { walk(start, m_added, &m_commits); }

    const std::string& error() const { return m_error; }

    /// By commit time, oldest first; of two at the same time, the parent first.
    std::vector<git_oid> oldest_first() const
    {
        std::vector<Commit> commits = m_commits;
        std::sort(commits.begin(), commits.end(), [](const Commit& a, const Commit& b) {
            return a.time != b.time ? a.time < b.time : a.order > b.order;
        });
        std::vector<git_oid> ids;
        ids.reserve(commits.size());
        for (const Commit& commit : commits) {
            ids.push_back(commit.id);
        }
        return ids;
    }

private:
    void walk(const git_oid* start, std::unordered_set<std::string>& seen, std::vector<Commit>* out)
    {
        const Libgit2Library& lib = libgit2();
        std::vector<git_oid> pending{*start};
        while (!pending.empty()) {
            const git_oid id = pending.back();
            pending.pop_back();
            const std::string key = hex(&id);
            if (m_hidden.count(key) != 0 || !seen.insert(key).second) {
                continue;
            }
            OwnedCommit commit;
            if (lib.git_commit_lookup(&commit.object, m_repo, &id) != 0) {
                // A parent a shallow clone did not fetch; the start itself must exist.
                if (out != nullptr && out->empty() && lib.git_oid_equal(&id, start)) {
                    m_error = fmt::format("cannot read commit {}: {}", key, last_error_text());
                }
                continue;
            }
            if (out != nullptr) {
                out->push_back({id, lib.git_commit_time(commit.object), out->size()});
            }
            const unsigned parents = lib.git_commit_parentcount(commit.object);
            for (unsigned i = 0; i < parents; ++i) {
                pending.push_back(*lib.git_commit_parent_id(commit.object, i));
            }
        }
    }

    git_repository* m_repo;
    std::unordered_set<std::string> m_hidden;
    std::unordered_set<std::string> m_added;
    std::vector<Commit> m_commits;
    std::string m_error;
};

} // namespace

struct History::Handle
{
    git_repository* repo = nullptr;

    ~Handle() { libgit2().git_repository_free(repo); }
};

History::History(std::unique_ptr<Handle> handle, std::filesystem::path root)
    : m_handle(std::move(handle)), m_root(std::move(root))
{}

History::~History() = default;
History::History(History&&) noexcept = default;
History& History::operator=(History&&) noexcept = default;

core::Result<History> History::open(const std::filesystem::path& path)
{
    const auto loaded = loaded_libgit2();
    if (!loaded) {
        return loaded.error();
    }
    const Libgit2Library& lib = **loaded;
    auto handle = std::make_unique<Handle>();
    const std::string start = path.string();
    if (lib.git_repository_open_ext(&handle->repo, start.c_str(), 0, nullptr) != 0) {
        if (lib.git_error_last() != nullptr
            && lib.git_error_last()->klass == GIT_ERROR_REPOSITORY) {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("--history: '{}' is not in a git repository", start));
        }
        return core::Error(
            core::ErrorCode::io,
            fmt::format("git: cannot open the repository of '{}': {}", start, last_error_text()));
    }
    const char* work_tree = lib.git_repository_workdir(handle->repo);
    std::string root = work_tree != nullptr ? work_tree : lib.git_repository_path(handle->repo);
    while (root.size() > 1 && root.back() == '/') {
        root.pop_back();
    }
    return History(std::move(handle), root);
}

namespace {

// The commit a revision names: a tag is followed to the commit it points at.
core::Result<git_oid> peeled_commit(git_object* object, const std::string& shown)
{
    const Libgit2Library& lib = libgit2();
    git_object* commit = nullptr;
    if (lib.git_object_peel(&commit, object, GIT_OBJECT_COMMIT) != 0) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("--history '{}': names no commit", shown));
    }
    const git_oid id = *lib.git_object_id(commit);
    lib.git_object_free(commit);
    return id;
}

// The trees of a commit's parents that the repository holds; none for a root commit
// or one at the edge of a shallow clone.
// The caller frees them.
std::vector<git_tree*> parent_trees(git_commit* commit, bool shallow_edge)
{
    const Libgit2Library& lib = libgit2();
    std::vector<git_tree*> trees;
    const unsigned count = shallow_edge ? 0 : lib.git_commit_parentcount(commit);
    for (unsigned i = 0; i < count; ++i) {
        OwnedCommit parent;
        git_tree* tree = nullptr;
        if (lib.git_commit_parent(&parent.object, commit, i) == 0
            && lib.git_commit_tree(&tree, parent.object) == 0) {
            trees.push_back(tree);
        }
    }
    return trees;
}

} // namespace

core::Result<HistoryListing> History::list(const std::string& range, const PathFilter& wanted) const
{
    const Libgit2Library& lib = libgit2();
    git_repository* repo = m_handle->repo;
    const std::string shown = range.empty() ? std::string("HEAD") : range;
    git_revspec spec = {};
    if (lib.git_revparse(&spec, repo, shown.c_str()) != 0) {
        if (lib.git_repository_head_unborn(repo) == 1) {
            return core::Error(
                core::ErrorCode::usage,
                fmt::format("--history '{}': the repository has no commits yet", shown));
        }
        return core::Error(core::ErrorCode::usage,
                           fmt::format("--history '{}': {}", shown, last_error_text()));
    }
    const std::unique_ptr<git_object, void (*)(git_object*)> from(spec.from, lib.git_object_free);
    const std::unique_ptr<git_object, void (*)(git_object*)> to(spec.to, lib.git_object_free);
    if ((spec.flags & GIT_REVSPEC_MERGE_BASE) != 0) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format("--history '{}': name a range as A..B or one revision", shown));
    }
    const bool is_range = (spec.flags & GIT_REVSPEC_RANGE) != 0;
    const auto first = peeled_commit(from.get(), shown);
    if (!first) {
        return first.error();
    }
    CommitWalk walk(repo);
    if (is_range) {
        const auto last = peeled_commit(to.get(), shown);
        if (!last) {
            return last.error();
        }
        walk.hide_ancestors_of(&*first);
        walk.add_ancestors_of(&*last);
    } else {
        walk.add_ancestors_of(&*first);
    }
    if (!walk.error().empty()) {
        return core::Error(core::ErrorCode::io, "git: " + walk.error());
    }
    return list_commits(walk.oldest_first(), wanted, shown);
}

core::Result<HistoryListing> History::list_commits(const std::vector<git_oid>& commits,
                                                   const PathFilter& wanted,
                                                   const std::string& shown) const
{
    const Libgit2Library& lib = libgit2();
    git_repository* repo = m_handle->repo;
    HistoryListing listing;
    std::unordered_set<std::string> shallow;
    if (lib.git_repository_is_shallow(repo) == 1) {
        const auto edges = shallow_commits(repo);
        shallow.insert(edges.begin(), edges.end());
    }
    // Oldest first, so that a blob is named by the first commit that introduced it.
    BlobCollector collector(repo, listing, wanted);
    for (const git_oid& id : commits) {
        const std::string commit_id = hex(&id);
        OwnedCommit commit;
        OwnedTree tree;
        if (lib.git_commit_lookup(&commit.object, repo, &id) != 0
            || lib.git_commit_tree(&tree.object, commit.object) != 0) {
            return core::Error(
                core::ErrorCode::io,
                fmt::format("git: cannot read commit {}: {}", commit_id, last_error_text()));
        }
        ++listing.commits;
        const bool edge = shallow.count(commit_id) != 0;
        if (edge) {
            listing.shallow_boundary.push_back(commit_id);
        }
        const std::vector<git_tree*> parents = parent_trees(commit.object, edge);
        const core::Result<bool> added =
            parents.empty() ? collector.add_tree(tree.object, "", commit_id)
                            : collector.add_changes(tree.object, parents, commit_id);
        for (git_tree* parent : parents) {
            lib.git_tree_free(parent);
        }
        if (!added) {
            return added.error();
        }
    }
    core::log::debug("git history '{}': {} commits, {} file versions",
                     shown,
                     listing.commits,
                     listing.blobs.size());
    return listing;
}

core::Result<std::string> History::read_blob(const std::string& blob_id) const
{
    const Libgit2Library& lib = libgit2();
    git_oid id;
    if (lib.git_oid_fromstr(&id, blob_id.c_str()) != 0) {
        return core::Error(core::ErrorCode::internal, "not a blob id: '" + blob_id + "'");
    }
    git_blob* blob = nullptr;
    if (lib.git_blob_lookup(&blob, m_handle->repo, &id) != 0) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("git: cannot read blob {}: {}", blob_id, last_error_text()));
    }
    std::string bytes(static_cast<const char*>(lib.git_blob_rawcontent(blob)),
                      static_cast<std::size_t>(lib.git_blob_rawsize(blob)));
    lib.git_blob_free(blob);
    return bytes;
}

} // namespace aiops::git
