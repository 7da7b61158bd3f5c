#include "core/interrupt.hpp"
#include "core/log.hpp"
#include "core/utf8.hpp"
#include "git/objects.hpp"
#include "git/repository.hpp"
#include "git/repository_handle.hpp"

#include <fmt/format.h>

#include <iconv.h>
#include <strings.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <queue>
#include <unordered_map>
#include <unordered_set>

namespace aiops::git {

namespace {

/// How many commits a walk handles between two looks at the interrupt flag.
constexpr std::size_t k_interrupt_check_interval = 256;

core::Error interrupted_error()
{
    return core::Error(core::ErrorCode::interrupted, "interrupted");
}

/// Text in another encoding converted to UTF-8 with iconv; nullopt when iconv does not
/// know the encoding or the text is not valid in it.
std::optional<std::string> convert_to_utf8(std::string_view text, const char* encoding)
{
    iconv_t converter = iconv_open("UTF-8", encoding);
    if (converter == reinterpret_cast<iconv_t>(-1)) {
        return std::nullopt;
    }
    // Any code point takes at most four bytes of UTF-8, and at least one byte in.
    std::string out(text.size() * 4, '\0');
    char* in = const_cast<char*>(text.data());
    std::size_t in_left = text.size();
    char* to = out.data();
    std::size_t out_left = out.size();
    const std::size_t result = iconv(converter, &in, &in_left, &to, &out_left);
    iconv_close(converter);
    if (result == static_cast<std::size_t>(-1)) {
        return std::nullopt;
    }
    out.resize(out.size() - out_left);
    return out;
}

/// A text of a commit as UTF-8: commits may name their encoding in a header (git commit
/// with i18n.commitEncoding), which git log converts from; without one it is UTF-8.
std::string commit_text(const char* text, const char* encoding)
{
    const std::string_view raw = text != nullptr ? text : "";
    if (encoding != nullptr && strcasecmp(encoding, "UTF-8") != 0
        && strcasecmp(encoding, "UTF8") != 0) {
        if (auto converted = convert_to_utf8(raw, encoding)) {
            return core::to_valid_utf8(*converted);
        }
    }
    return core::to_valid_utf8(raw);
}

CommitInfo describe(git_commit* commit)
{
    const Libgit2Library& lib = libgit2();
    CommitInfo info;
    info.id = oid_text(*lib.git_commit_id(commit));
    const char* encoding = lib.git_commit_message_encoding(commit);
    if (const git_signature* author = lib.git_commit_author(commit); author != nullptr) {
        info.author_name = commit_text(author->name, encoding);
        info.author_time = static_cast<std::int64_t>(author->when.time);
        info.author_time_offset = author->when.offset;
    }
    info.subject = commit_text(lib.git_commit_summary(commit), encoding);
    return info;
}

/// The commits at the edge of a shallow clone, from the repository's 'shallow' file.
std::unordered_set<git_oid, OidHash, OidEqual> shallow_edges(git_repository* repo)
{
    const Libgit2Library& lib = libgit2();
    std::unordered_set<git_oid, OidHash, OidEqual> edges;
    std::ifstream in(std::string(lib.git_repository_commondir(repo)) + "shallow");
    std::string line;
    while (std::getline(in, line)) {
        git_oid oid;
        if (line.size() >= GIT_OID_HEXSZ
            && lib.git_oid_fromstrn(&oid, line.c_str(), GIT_OID_HEXSZ) == 0) {
            edges.insert(oid);
        }
    }
    return edges;
}

/// The other end of a rename of `path` between two trees: the path a file had in the
/// parent when the commit renamed it to `path` (`to_path` false), or the path it was
/// renamed to when `path` disappeared (`to_path` true). Rename detection runs only on
/// the commits that made a path appear or disappear.
std::optional<std::string> rename_partner(
    git_repository* repo, git_tree* parent, git_tree* tree, const std::string& path, bool to_path)
{
    const Libgit2Library& lib = libgit2();
    OwnedDiff diff;
    if (lib.git_diff_tree_to_tree(&diff.ptr, repo, parent, tree, nullptr) != 0) {
        return std::nullopt;
    }
    git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
    find.flags = GIT_DIFF_FIND_RENAMES;
    if (lib.git_diff_find_similar(diff.ptr, &find) != 0) {
        return std::nullopt;
    }
    const std::size_t count = lib.git_diff_num_deltas(diff.ptr);
    for (std::size_t i = 0; i < count; ++i) {
        const git_diff_delta* delta = lib.git_diff_get_delta(diff.ptr, i);
        if (delta->status != GIT_DELTA_RENAMED) {
            continue;
        }
        if (!to_path && path == delta->new_file.path) {
            return std::string(delta->old_file.path);
        }
        if (to_path && path == delta->old_file.path) {
            return std::string(delta->new_file.path);
        }
    }
    return std::nullopt;
}

/// The files a walk follows as one commit has them: each file's path there, by the
/// file's index, and the deepest folder that holds them all, which lets a commit that
/// left that folder alone be passed over with two lookups.
struct TrackedPaths
{
    std::vector<std::string> paths;
    std::string folder; ///< "" for the root

    explicit TrackedPaths(std::vector<std::string> files) : paths(std::move(files))
    {
        folder = paths.empty() ? std::string() : parent_of(paths.front());
        for (const auto& path : paths) {
            while (!folder.empty() && !path.starts_with(folder + "/")) {
                folder = parent_of(folder);
            }
        }
    }

    static std::string parent_of(const std::string& path)
    {
        const std::size_t slash = path.rfind('/');
        return slash == std::string::npos ? std::string() : path.substr(0, slash);
    }
};

using SharedPaths = std::shared_ptr<const TrackedPaths>;

/// One commit of a walk.
struct WalkNode
{
    git_oid id;
    git_time_t time = 0;
    std::vector<std::size_t> parents; ///< indexes of the parents the walk follows
    /// A shallow clone's edge, or a commit whose first parent is missing: history
    /// stops here.
    bool cut = false;
    bool first_parent = false; ///< on HEAD's first-parent chain
    std::size_t waiting_children = 0;
    SharedPaths paths;
    bool paths_from_chain = false; ///< given by its child on the first-parent chain
};

/// The walk behind Repository::histories_of: first every commit reachable from HEAD
/// with its parents, then each commit after all its children (newest committer time
/// first among those ready), so that the path a file has in a commit is known from the
/// commits after it.
class PathHistoryWalk
{
public:
    PathHistoryWalk(git_repository* repo, const std::vector<std::string>& paths)
        : m_repo(repo), m_initial(std::make_shared<TrackedPaths>(paths)), m_histories(paths.size())
    {}

    core::Result<std::vector<FileHistory>> run(const git_oid& head)
    {
        if (auto collected = collect(head); !collected) {
            return collected.error();
        }
        if (auto walked = walk(); !walked) {
            return walked.error();
        }
        return std::move(m_histories);
    }

    std::size_t commits() const { return m_nodes.size(); }

private:
    std::size_t node_of(const git_oid& id)
    {
        const auto [it, fresh] = m_index.emplace(id, m_nodes.size());
        if (fresh) {
            m_nodes.push_back({});
            m_nodes.back().id = id;
        }
        return it->second;
    }

    /// Finds every commit reachable from HEAD, its parents and how many children wait
    /// before it, and marks HEAD's first-parent chain.
    core::Result<bool> collect(const git_oid& head)
    {
        const Libgit2Library& lib = libgit2();
        git_odb* odb = nullptr;
        if (lib.git_repository_odb(&odb, m_repo) != 0) {
            return core::Error(core::ErrorCode::io,
                               "git: cannot open the object database: " + last_error_text());
        }
        const std::unique_ptr<git_odb, void (*)(git_odb*)> owned_odb(odb, lib.git_odb_free);
        const auto edges = shallow_edges(m_repo);
        std::queue<std::size_t> pending;
        pending.push(node_of(head));
        for (std::size_t read = 1; !pending.empty(); ++read) {
            if (read % k_interrupt_check_interval == 0 && core::interrupted()) {
                return interrupted_error();
            }
            const std::size_t index = pending.front();
            pending.pop();
            OwnedCommit commit;
            const git_oid id = m_nodes[index].id;
            if (lib.git_commit_lookup(&commit.ptr, m_repo, &id) != 0) {
                return core::Error(
                    core::ErrorCode::io,
                    fmt::format("git: cannot read commit {}: {}", oid_text(id), last_error_text()));
            }
            m_nodes[index].time = lib.git_commit_time(commit.ptr);
            const unsigned count = lib.git_commit_parentcount(commit.ptr);
            if (edges.count(id) != 0
                || (count > 0
                    && lib.git_odb_exists(odb, lib.git_commit_parent_id(commit.ptr, 0)) == 0)) {
                m_nodes[index].cut = true;
                continue;
            }
            for (unsigned i = 0; i < count; ++i) {
                const git_oid* parent_id = lib.git_commit_parent_id(commit.ptr, i);
                if (lib.git_odb_exists(odb, parent_id) == 0) {
                    continue;
                }
                const bool fresh = m_index.count(*parent_id) == 0;
                const std::size_t parent = node_of(*parent_id);
                m_nodes[index].parents.push_back(parent);
                ++m_nodes[parent].waiting_children;
                if (fresh) {
                    pending.push(parent);
                }
            }
        }
        for (std::size_t at = 0;;) {
            m_nodes[at].first_parent = true;
            if (m_nodes[at].parents.empty()) {
                break;
            }
            at = m_nodes[at].parents.front();
        }
        return true;
    }

    core::Result<bool> walk()
    {
        const auto newer = [this](std::size_t a, std::size_t b) {
            return m_nodes[a].time < m_nodes[b].time;
        };
        std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(newer)> ready(newer);
        m_nodes.front().paths = m_initial;
        ready.push(0);
        std::size_t visited = 0;
        while (!ready.empty()) {
            if (++visited % k_interrupt_check_interval == 0 && core::interrupted()) {
                return interrupted_error();
            }
            const std::size_t index = ready.top();
            ready.pop();
            if (auto visited_commit = visit(index); !visited_commit) {
                return visited_commit.error();
            }
            for (const std::size_t parent : m_nodes[index].parents) {
                if (--m_nodes[parent].waiting_children == 0) {
                    ready.push(parent);
                }
            }
        }
        return true;
    }

    core::Result<bool> visit(std::size_t index)
    {
        const Libgit2Library& lib = libgit2();
        const WalkNode& node = m_nodes[index];
        OwnedCommit commit;
        OwnedTree tree;
        if (lib.git_commit_lookup(&commit.ptr, m_repo, &node.id) != 0
            || lib.git_commit_tree(&tree.ptr, commit.ptr) != 0) {
            return core::Error(core::ErrorCode::io,
                               "git: cannot read a commit's tree: " + last_error_text());
        }
        if (node.parents.empty()) {
            record_start(node, commit.ptr, tree.ptr);
            return true;
        }
        OwnedTree first_tree;
        if (auto read = tree_of(node.parents.front(), first_tree); !read) {
            return read.error();
        }
        const TrackedPaths& tracked = *node.paths;
        const auto changed = changed_paths(first_tree.ptr, tree.ptr, tracked.folder);
        std::vector<std::string> renamed_paths;
        for (std::size_t file = 0; file < tracked.paths.size() && !changed.empty(); ++file) {
            const std::string& path = tracked.paths[file];
            if (changed.count(path) == 0) {
                continue;
            }
            const auto here = entry_at(tree.ptr, path);
            const auto before = entry_at(first_tree.ptr, path);
            if (same_entry(here, before)
                || (!node.first_parent && same_as_other_parent(node, here, path))) {
                continue;
            }
            FileChange change;
            change.commit = describe(commit.ptr);
            change.path = path;
            change.first_parent = node.first_parent;
            if (!here) {
                change.kind = ChangeKind::deleted;
                change.renamed_to =
                    rename_partner(m_repo, first_tree.ptr, tree.ptr, path, /*to_path=*/true)
                        .value_or("");
            } else {
                change.content = blob_text(m_repo, *here);
                if (!before) {
                    change.kind = ChangeKind::added;
                    if (auto old_path = rename_partner(
                            m_repo, first_tree.ptr, tree.ptr, path, /*to_path=*/false)) {
                        change.kind = ChangeKind::renamed;
                        change.previous_path = *old_path;
                        if (renamed_paths.empty()) {
                            renamed_paths = tracked.paths;
                        }
                        renamed_paths[file] = *old_path;
                    }
                }
            }
            m_histories[file].changes.push_back(std::move(change));
        }
        return pass_paths_on(index, std::move(renamed_paths));
    }

    /// A commit without parents to compare with: a root commit adds the files it has; the
    /// edge of a shallow clone shows them as they were there.
    void record_start(const WalkNode& node, git_commit* commit, git_tree* tree)
    {
        for (std::size_t file = 0; file < node.paths->paths.size(); ++file) {
            const std::string& path = node.paths->paths[file];
            const auto here = entry_at(tree, path);
            if (!here) {
                continue;
            }
            FileChange change;
            change.commit = describe(commit);
            change.path = path;
            change.kind = ChangeKind::added;
            change.content = blob_text(m_repo, *here);
            change.first_parent = node.first_parent;
            if (node.cut) {
                change.at_shallow_edge = true;
                m_histories[file].truncated = true;
            }
            m_histories[file].changes.push_back(std::move(change));
        }
    }

    core::Result<bool> tree_of(std::size_t index, OwnedTree& tree) const
    {
        const Libgit2Library& lib = libgit2();
        OwnedCommit commit;
        if (lib.git_commit_lookup(&commit.ptr, m_repo, &m_nodes[index].id) != 0
            || lib.git_commit_tree(&tree.ptr, commit.ptr) != 0) {
            return core::Error(core::ErrorCode::io,
                               "git: cannot read a commit's tree: " + last_error_text());
        }
        return true;
    }

    /// Whether a parent other than the first has the file as the commit has it.
    bool same_as_other_parent(const WalkNode& node,
                              const std::optional<git_oid>& here,
                              const std::string& path) const
    {
        for (std::size_t i = 1; i < node.parents.size(); ++i) {
            OwnedTree tree;
            if (tree_of(node.parents[i], tree) && same_entry(here, entry_at(tree.ptr, path))) {
                return true;
            }
        }
        return false;
    }

    /// The paths of the files under `folder` that differ between two trees, as full
    /// paths; empty at once when the folder is the same in both.
    std::unordered_set<std::string>
    changed_paths(git_tree* before, git_tree* after, const std::string& folder) const
    {
        const Libgit2Library& lib = libgit2();
        std::unordered_set<std::string> changed;
        OwnedTree folder_before;
        OwnedTree folder_after;
        git_tree* old_side = before;
        git_tree* new_side = after;
        if (!folder.empty()) {
            const auto old_id = object_at(before, folder, GIT_OBJECT_TREE);
            const auto new_id = object_at(after, folder, GIT_OBJECT_TREE);
            if (same_entry(old_id, new_id)) {
                return changed;
            }
            old_side = old_id && lib.git_tree_lookup(&folder_before.ptr, m_repo, &*old_id) == 0
                           ? folder_before.ptr
                           : nullptr;
            new_side = new_id && lib.git_tree_lookup(&folder_after.ptr, m_repo, &*new_id) == 0
                           ? folder_after.ptr
                           : nullptr;
        } else if (lib.git_oid_equal(lib.git_tree_id(before), lib.git_tree_id(after)) != 0) {
            return changed;
        }
        OwnedDiff diff;
        if (lib.git_diff_tree_to_tree(&diff.ptr, m_repo, old_side, new_side, nullptr) != 0) {
            return changed;
        }
        const std::string prefix = folder.empty() ? std::string() : folder + "/";
        const std::size_t count = lib.git_diff_num_deltas(diff.ptr);
        for (std::size_t i = 0; i < count; ++i) {
            const git_diff_delta* delta = lib.git_diff_get_delta(diff.ptr, i);
            changed.insert(prefix + delta->old_file.path);
            changed.insert(prefix + delta->new_file.path);
        }
        return changed;
    }

    /// Gives the parents the paths the files have there: the first parent the paths
    /// before this commit's renames; another parent of a merge the path it has, which is
    /// the new one when that branch made the rename.
    core::Result<bool> pass_paths_on(std::size_t index, std::vector<std::string> renamed_paths)
    {
        const WalkNode& node = m_nodes[index];
        const SharedPaths for_first =
            renamed_paths.empty() ? node.paths
                                  : std::make_shared<TrackedPaths>(std::move(renamed_paths));
        give_paths(node.parents.front(), for_first, node.first_parent);
        for (std::size_t i = 1; i < node.parents.size(); ++i) {
            SharedPaths paths = node.paths;
            if (for_first != node.paths) {
                OwnedTree parent_tree;
                if (auto read = tree_of(node.parents[i], parent_tree); !read) {
                    return read.error();
                }
                std::vector<std::string> chosen = node.paths->paths;
                for (std::size_t file = 0; file < chosen.size(); ++file) {
                    if (!entry_at(parent_tree.ptr, chosen[file])) {
                        chosen[file] = for_first->paths[file];
                    }
                }
                paths = std::make_shared<TrackedPaths>(std::move(chosen));
            }
            give_paths(node.parents[i], paths, /*from_chain=*/false);
        }
        return true;
    }

    /// The first child to reach a commit names its paths, except that the child on the
    /// first-parent chain always does, so that numbered versions follow that chain.
    void give_paths(std::size_t parent, const SharedPaths& paths, bool from_chain)
    {
        WalkNode& node = m_nodes[parent];
        if (!node.paths || (from_chain && !node.paths_from_chain)) {
            node.paths = paths;
            node.paths_from_chain = from_chain;
        }
    }

    git_repository* m_repo;
    SharedPaths m_initial;
    std::vector<FileHistory> m_histories;
    std::vector<WalkNode> m_nodes;
    std::unordered_map<git_oid, std::size_t, OidHash, OidEqual> m_index;
};

} // namespace

core::Result<FileHistory> Repository::history_of(const std::string& path) const
{
    auto histories = histories_of({path});
    if (!histories) {
        return histories.error();
    }
    return std::move(histories->front());
}

core::Result<std::vector<FileHistory>>
Repository::histories_of(const std::vector<std::string>& paths) const
{
    const auto started = std::chrono::steady_clock::now();
    git_oid head;
    if (paths.empty() || libgit2().git_reference_name_to_id(&head, m_handle->repo, "HEAD") != 0) {
        return std::vector<FileHistory>(paths.size());
    }
    PathHistoryWalk walk(m_handle->repo, paths);
    auto histories = walk.run(head);
    if (!histories) {
        return histories.error();
    }
    std::size_t changes = 0;
    for (const auto& history : *histories) {
        changes += history.changes.size();
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    core::log::debug("git: history of {} file{} ('{}'{}): {} changes in {} commits, {} ms",
                     paths.size(),
                     paths.size() == 1 ? "" : "s",
                     paths.front(),
                     paths.size() == 1 ? "" : ", ...",
                     changes,
                     walk.commits(),
                     elapsed.count());
    return histories;
}

} // namespace aiops::git
