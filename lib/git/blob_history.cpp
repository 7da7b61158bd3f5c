#include "git/blob_history.hpp"

#include "core/log.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <unordered_set>

namespace aiops::git {

namespace {

void ensure_initialised()
{
    static std::once_flag once;
    std::call_once(once, [] { git_libgit2_init(); });
}

std::string last_error_text()
{
    const git_error* error = git_error_last();
    return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

std::string hex(const git_oid* id)
{
    char text[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(text, sizeof text, id);
    return text;
}

/// Owns a libgit2 object and frees it with its own function.
template <typename T, void (*Free)(T*)> struct Owned
{
    T* object = nullptr;

    Owned() = default;
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;

    ~Owned() { Free(object); }
};

using OwnedTree = Owned<git_tree, git_tree_free>;
using OwnedCommit = Owned<git_commit, git_commit_free>;

/// Collects the blobs of commit trees, each blob and each subtree once: a subtree
/// already seen holds only blobs already seen.
class BlobCollector
{
public:
    BlobCollector(git_repository* repo, HistoryListing& listing) : m_repo(repo), m_listing(listing)
    {}

    core::Result<bool>
    add_tree(const git_tree* tree, const std::string& prefix, const std::string& commit)
    {
        const std::size_t count = git_tree_entrycount(tree);
        for (std::size_t i = 0; i < count; ++i) {
            const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
            const git_oid* id = git_tree_entry_id(entry);
            const std::string path = prefix + git_tree_entry_name(entry);
            const git_object_t type = git_tree_entry_type(entry);
            if (type == GIT_OBJECT_TREE) {
                if (!m_seen_trees.insert(hex(id)).second) {
                    continue;
                }
                OwnedTree subtree;
                if (git_tree_lookup(&subtree.object, m_repo, id) != 0) {
                    return core::Error(core::ErrorCode::io,
                                       fmt::format("git: cannot read the tree of '{}': {}",
                                                   path,
                                                   last_error_text()));
                }
                if (auto added = add_tree(subtree.object, path + "/", commit); !added) {
                    return added;
                }
                continue;
            }
            // Submodule commits and symbolic links hold no file text of this repository.
            if (type != GIT_OBJECT_BLOB || git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK) {
                continue;
            }
            std::string blob = hex(id);
            if (!m_seen_blobs.insert(blob).second) {
                continue;
            }
            git_odb* odb = nullptr;
            std::size_t size = 0;
            if (git_repository_odb(&odb, m_repo) == 0) {
                git_object_t object_type = GIT_OBJECT_BLOB;
                git_odb_read_header(&size, &object_type, odb, id);
                git_odb_free(odb);
            }
            m_listing.blobs.push_back({path, std::move(blob), commit, size});
        }
        return true;
    }

private:
    git_repository* m_repo;
    HistoryListing& m_listing;
    std::unordered_set<std::string> m_seen_trees;
    std::unordered_set<std::string> m_seen_blobs;
};

// The commits a shallow clone was cut at: git lists them, one a line, in the file
// 'shallow' of the repository folder (libgit2 has no public call for them).
std::vector<std::string> shallow_commits(git_repository* repo)
{
    std::vector<std::string> commits;
    std::ifstream file(std::filesystem::path(git_repository_path(repo)) / "shallow");
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
    std::vector<Commit> oldest_first() const
    {
        std::vector<Commit> commits = m_commits;
        std::sort(commits.begin(), commits.end(), [](const Commit& a, const Commit& b) {
            return a.time != b.time ? a.time < b.time : a.order > b.order;
        });
        return commits;
    }

private:
    void walk(const git_oid* start, std::unordered_set<std::string>& seen, std::vector<Commit>* out)
    {
        std::vector<git_oid> pending{*start};
        while (!pending.empty()) {
            const git_oid id = pending.back();
            pending.pop_back();
            const std::string key = hex(&id);
            if (m_hidden.count(key) != 0 || !seen.insert(key).second) {
                continue;
            }
            OwnedCommit commit;
            if (git_commit_lookup(&commit.object, m_repo, &id) != 0) {
                // A parent a shallow clone did not fetch; the start itself must exist.
                if (out != nullptr && out->empty() && git_oid_equal(&id, start)) {
                    m_error = fmt::format("cannot read commit {}: {}", key, last_error_text());
                }
                continue;
            }
            if (out != nullptr) {
                out->push_back({id, git_commit_time(commit.object), out->size()});
            }
            const unsigned parents = git_commit_parentcount(commit.object);
            for (unsigned i = 0; i < parents; ++i) {
                pending.push_back(*git_commit_parent_id(commit.object, i));
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

    ~Handle() { git_repository_free(repo); }
};

History::History(std::unique_ptr<Handle> handle, std::filesystem::path root)
    : m_handle(std::move(handle)), m_root(std::move(root))
{}

History::~History() = default;
History::History(History&&) noexcept = default;
History& History::operator=(History&&) noexcept = default;

core::Result<History> History::open(const std::filesystem::path& path)
{
    ensure_initialised();
    auto handle = std::make_unique<Handle>();
    const std::string start = path.string();
    if (git_repository_open_ext(&handle->repo, start.c_str(), 0, nullptr) != 0) {
        if (git_error_last() != nullptr && git_error_last()->klass == GIT_ERROR_REPOSITORY) {
            return core::Error(core::ErrorCode::usage,
                               fmt::format("--history: '{}' is not in a git repository", start));
        }
        return core::Error(
            core::ErrorCode::io,
            fmt::format("git: cannot open the repository of '{}': {}", start, last_error_text()));
    }
    const char* work_tree = git_repository_workdir(handle->repo);
    std::string root = work_tree != nullptr ? work_tree : git_repository_path(handle->repo);
    while (root.size() > 1 && root.back() == '/') {
        root.pop_back();
    }
    return History(std::move(handle), root);
}

core::Result<HistoryListing> History::list(const std::string& range) const
{
    git_repository* repo = m_handle->repo;
    const std::string shown = range.empty() ? std::string("HEAD") : range;
    git_revspec spec = {};
    if (git_revparse(&spec, repo, shown.c_str()) != 0) {
        return core::Error(core::ErrorCode::usage,
                           fmt::format("--history '{}': {}", shown, last_error_text()));
    }
    const std::unique_ptr<git_object, void (*)(git_object*)> from(spec.from, git_object_free);
    const std::unique_ptr<git_object, void (*)(git_object*)> to(spec.to, git_object_free);
    if ((spec.flags & GIT_REVSPEC_MERGE_BASE) != 0) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format("--history '{}': name a range as A..B or one revision", shown));
    }
    HistoryListing listing;
    if (git_repository_is_shallow(repo) == 1) {
        listing.shallow_boundary = shallow_commits(repo);
    }
    CommitWalk walk(repo);
    if ((spec.flags & GIT_REVSPEC_RANGE) != 0) {
        walk.hide_ancestors_of(git_object_id(spec.from));
        walk.add_ancestors_of(git_object_id(spec.to));
    } else {
        walk.add_ancestors_of(git_object_id(spec.from));
    }
    if (!walk.error().empty()) {
        return core::Error(core::ErrorCode::io, "git: " + walk.error());
    }

    // Oldest first, so that a blob is named by the first commit that has it.
    BlobCollector collector(repo, listing);
    for (const auto& commit : walk.oldest_first()) {
        OwnedCommit object;
        OwnedTree tree;
        if (git_commit_lookup(&object.object, repo, &commit.id) != 0
            || git_commit_tree(&tree.object, object.object) != 0) {
            return core::Error(
                core::ErrorCode::io,
                fmt::format("git: cannot read commit {}: {}", hex(&commit.id), last_error_text()));
        }
        ++listing.commits;
        if (auto added = collector.add_tree(tree.object, "", hex(&commit.id)); !added) {
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
    git_oid id;
    if (git_oid_fromstr(&id, blob_id.c_str()) != 0) {
        return core::Error(core::ErrorCode::internal, "not a blob id: '" + blob_id + "'");
    }
    git_blob* blob = nullptr;
    if (git_blob_lookup(&blob, m_handle->repo, &id) != 0) {
        return core::Error(core::ErrorCode::io,
                           fmt::format("git: cannot read blob {}: {}", blob_id, last_error_text()));
    }
    std::string bytes(static_cast<const char*>(git_blob_rawcontent(blob)),
                      static_cast<std::size_t>(git_blob_rawsize(blob)));
    git_blob_free(blob);
    return bytes;
}

} // namespace aiops::git
