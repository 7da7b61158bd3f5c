#include "core/log.hpp"
#include "git/repository.hpp"
#include "git/repository_handle.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace aiops::git {

namespace {

std::string environment(const char* name)
{
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
}

/// The identity git would use for one role: the role's environment variables first
/// (GIT_AUTHOR_NAME, ...), then user.name and user.email from the configuration.
core::Result<git_signature*> identity(git_repository* repo, const std::string& role)
{
    const Libgit2Library& lib = libgit2();
    std::string name = environment(("GIT_" + role + "_NAME").c_str());
    std::string email = environment(("GIT_" + role + "_EMAIL").c_str());
    git_config* config = nullptr;
    if (lib.git_repository_config_snapshot(&config, repo) == 0) {
        const char* value = nullptr;
        if (name.empty() && lib.git_config_get_string(&value, config, "user.name") == 0) {
            name = value;
        }
        if (email.empty() && lib.git_config_get_string(&value, config, "user.email") == 0) {
            email = value;
        }
        lib.git_config_free(config);
    }
    if (name.empty() || email.empty()) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format("git: no identity to commit with: set user.name and user.email ('git "
                        "config --global user.name \"Your Name\"' and 'git config --global "
                        "user.email you@example.com', or without --global for this repository "
                        "only) or GIT_{0}_NAME and GIT_{0}_EMAIL",
                        role));
    }
    git_signature* signature = nullptr;
    if (lib.git_signature_now(&signature, name.c_str(), email.c_str()) != 0) {
        return core::Error(
            core::ErrorCode::usage,
            fmt::format(
                "git: the identity '{} <{}>' is not valid: {}", name, email, last_error_text()));
    }
    return signature;
}

core::Error git_failure(const std::string& what)
{
    return core::Error(core::ErrorCode::io, fmt::format("git: {}: {}", what, last_error_text()));
}

} // namespace

core::Result<std::string> Repository::commit_identity() const
{
    const Libgit2Library& lib = libgit2();
    git_repository* repo = m_handle->repo;
    auto author = identity(repo, "AUTHOR");
    if (!author) {
        return author.error();
    }
    std::string shown = fmt::format("{} <{}>", (*author)->name, (*author)->email);
    lib.git_signature_free(*author);
    auto committer = identity(repo, "COMMITTER");
    if (!committer) {
        return committer.error();
    }
    lib.git_signature_free(*committer);
    return shown;
}

core::Result<std::string> Repository::commit_file(const std::string& path,
                                                  const std::string& message)
{
    const Libgit2Library& lib = libgit2();
    git_repository* repo = m_handle->repo;
    auto author = identity(repo, "AUTHOR");
    if (!author) {
        return author.error();
    }
    auto committer = identity(repo, "COMMITTER");
    if (!committer) {
        lib.git_signature_free(*author);
        return committer.error();
    }
    const auto free_signatures = [&] {
        lib.git_signature_free(*author);
        lib.git_signature_free(*committer);
    };

    git_oid blob_id;
    const std::string full_path = (m_work_tree / path).string();
    if (lib.git_blob_create_from_disk(&blob_id, repo, full_path.c_str()) != 0) {
        free_signatures();
        return git_failure(fmt::format("cannot store '{}'", path));
    }

    // The commit's tree is HEAD's tree with this one file replaced, built in an index of
    // its own, so whatever else is staged stays out of the commit.
    git_commit* parent = nullptr;
    git_oid head_id;
    const bool has_head = lib.git_reference_name_to_id(&head_id, repo, "HEAD") == 0;
    git_index* scratch = nullptr;
    lib.git_index_new(&scratch);
    if (has_head) {
        git_tree* head_tree = nullptr;
        if (lib.git_commit_lookup(&parent, repo, &head_id) != 0
            || lib.git_commit_tree(&head_tree, parent) != 0
            || lib.git_index_read_tree(scratch, head_tree) != 0) {
            lib.git_tree_free(head_tree);
            lib.git_index_free(scratch);
            lib.git_commit_free(parent);
            free_signatures();
            return git_failure("cannot read HEAD");
        }
        lib.git_tree_free(head_tree);
    }
    git_index_entry entry = {};
    entry.mode = GIT_FILEMODE_BLOB;
    entry.id = blob_id;
    entry.path = path.c_str();
    git_oid tree_id;
    const bool staged = lib.git_index_add(scratch, &entry) == 0
                        && lib.git_index_write_tree_to(&tree_id, scratch, repo) == 0;
    lib.git_index_free(scratch);
    git_tree* tree = nullptr;
    git_oid commit_id;
    const git_commit* parents[] = {parent};
    const bool committed = staged && lib.git_tree_lookup(&tree, repo, &tree_id) == 0
                           && lib.git_commit_create(&commit_id,
                                                    repo,
                                                    "HEAD",
                                                    *author,
                                                    *committer,
                                                    nullptr,
                                                    message.c_str(),
                                                    tree,
                                                    has_head ? 1 : 0,
                                                    parents)
                                  == 0;
    lib.git_tree_free(tree);
    lib.git_commit_free(parent);
    free_signatures();
    if (!committed) {
        return git_failure(fmt::format("cannot commit '{}'", path));
    }

    // The repository's own index learns the file too, so the work tree shows it clean.
    git_index* index = nullptr;
    if (lib.git_repository_index(&index, repo) == 0) {
        if (lib.git_index_add_bypath(index, path.c_str()) != 0 || lib.git_index_write(index) != 0) {
            core::log::warn(
                "git: committed '{}' but could not stage it: {}", path, last_error_text());
        }
        lib.git_index_free(index);
    }
    char text[GIT_OID_HEXSZ + 1] = {};
    lib.git_oid_tostr(text, sizeof text, &commit_id);
    core::log::debug("git: committed '{}' as {}", path, text);
    return std::string(text);
}

} // namespace aiops::git
