#include "git/repository.hpp"

#include "core/log.hpp"
#include "git/repository_handle.hpp"

#include <git2.h>

#include <algorithm>
#include <chrono>

namespace aiops::git {

namespace {

bool under_folder(const std::string& path, const std::string& folder)
{
    if (folder.empty()) {
        return true;
    }
    return path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0
           && path[folder.size()] == '/';
}

/// The work tree a git folder belongs to, as safe.directory names it: '/r' for
/// '/r/.git/'; the folder itself for any other layout.
std::string work_tree_of(std::string git_dir)
{
    while (git_dir.size() > 1 && git_dir.back() == '/') {
        git_dir.pop_back();
    }
    if (git_dir.ends_with("/.git")) {
        git_dir.resize(git_dir.size() - 5);
    }
    return git_dir;
}

} // namespace

std::string last_error_text()
{
    const git_error* error = libgit2().git_error_last();
    return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

Repository::Repository(std::unique_ptr<Handle> handle, std::filesystem::path work_tree)
    : m_handle(std::move(handle)), m_work_tree(std::move(work_tree))
{}

Repository::~Repository() = default;
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;

core::Result<std::optional<Repository>> Repository::discover(const std::filesystem::path& path)
{
    const auto loaded = loaded_libgit2();
    if (!loaded) {
        return loaded.error();
    }
    const Libgit2Library& lib = **loaded;
    git_buf found = {};
    const std::string start = path.string();
    if (lib.git_repository_discover(&found, start.c_str(), /*across_fs=*/1, nullptr) != 0) {
        lib.git_buf_dispose(&found);
        return std::optional<Repository>();
    }
    auto handle = std::make_unique<Handle>();
    const int status = lib.git_repository_open(&handle->repo, found.ptr);
    const std::string git_dir = found.ptr;
    lib.git_buf_dispose(&found);
    if (status != 0) {
        const std::string why = last_error_text();
        // libgit2 words a repository owned by another user as a missing config value.
        if (why.find("safe.directory") != std::string::npos) {
            return core::Error(core::ErrorCode::io,
                               "git: the repository at '" + git_dir
                                   + "' belongs to another user, so git will not read it; run "
                                     "'git config --global --add safe.directory "
                                   + work_tree_of(git_dir) + "' or run as its owner");
        }
        return core::Error(core::ErrorCode::io,
                           "git: cannot open the repository at '" + git_dir + "': " + why);
    }
    const char* work_dir = lib.git_repository_workdir(handle->repo);
    if (work_dir == nullptr) {
        return std::optional<Repository>();
    }
    std::string root = work_dir;
    while (root.size() > 1 && root.back() == '/') {
        root.pop_back();
    }
    core::log::debug("git: opened the repository at '{}'", root);
    return std::optional<Repository>(Repository(std::move(handle), root));
}

bool Repository::is_ignored(const std::string& path) const
{
    int ignored = 0;
    return libgit2().git_ignore_path_is_ignored(&ignored, m_handle->repo, path.c_str()) == 0
           && ignored != 0;
}

core::Result<std::vector<WorkTreeFile>> Repository::files_under(const std::string& folder) const
{
    const Libgit2Library& lib = libgit2();
    const auto started = std::chrono::steady_clock::now();
    std::vector<WorkTreeFile> files;

    git_index* index = nullptr;
    if (lib.git_repository_index(&index, m_handle->repo) != 0) {
        return core::Error(core::ErrorCode::io, "git: cannot read the index: " + last_error_text());
    }
    const std::size_t count = lib.git_index_entrycount(index);
    for (std::size_t i = 0; i < count; ++i) {
        const git_index_entry* entry = lib.git_index_get_byindex(index, i);
        if (entry == nullptr || entry->mode == GIT_FILEMODE_COMMIT) {
            continue;
        }
        std::string path = entry->path;
        if (!under_folder(path, folder)) {
            continue;
        }
        // Conflicted files have one entry per stage; keep the path once.
        if (!files.empty() && files.back().path == path) {
            continue;
        }
        files.push_back({std::move(path), /*tracked=*/true});
    }
    lib.git_index_free(index);

    git_status_options options = GIT_STATUS_OPTIONS_INIT;
    options.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
    options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS
                    | GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    git_status_list* status = nullptr;
    if (lib.git_status_list_new(&status, m_handle->repo, &options) != 0) {
        return core::Error(core::ErrorCode::io,
                           "git: cannot list the work tree's status: " + last_error_text());
    }
    std::vector<std::string> deleted;
    const std::size_t changes = lib.git_status_list_entrycount(status);
    for (std::size_t i = 0; i < changes; ++i) {
        const git_status_entry* entry = lib.git_status_byindex(status, i);
        if (entry == nullptr || entry->index_to_workdir == nullptr) {
            continue;
        }
        if ((entry->status & GIT_STATUS_WT_NEW) != 0) {
            std::string path = entry->index_to_workdir->new_file.path;
            if (under_folder(path, folder)) {
                files.push_back({std::move(path), /*tracked=*/false});
            }
        } else if ((entry->status & GIT_STATUS_WT_DELETED) != 0) {
            deleted.emplace_back(entry->index_to_workdir->old_file.path);
        }
    }
    lib.git_status_list_free(status);

    std::sort(deleted.begin(), deleted.end());
    std::erase_if(files, [&](const WorkTreeFile& file) {
        return file.tracked && std::binary_search(deleted.begin(), deleted.end(), file.path);
    });
    std::sort(
        files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    core::log::debug(
        "git: listed {} files under '{}' in {} ms", files.size(), folder, elapsed.count());
    return files;
}

} // namespace aiops::git
