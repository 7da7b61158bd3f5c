#pragma once

// Private to lib/git: small helpers over libgit2 objects, shared by the files that read
// commits and trees. They call the loaded libgit2, so they are used only once a repository
// is open.

#include "git/libgit2_library.hpp"

#include <git2.h>

#include <cstring>
#include <optional>
#include <string>

namespace aiops::git {

/// Owns one libgit2 object and frees it with the matching function of Libgit2Library.
template <typename T, void (*Libgit2Library::*Free)(T*)> struct Owned
{
    T* ptr = nullptr;

    Owned() = default;
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;

    ~Owned() { (libgit2().*Free)(ptr); }
};

using OwnedCommit = Owned<git_commit, &Libgit2Library::git_commit_free>;
using OwnedTree = Owned<git_tree, &Libgit2Library::git_tree_free>;
using OwnedEntry = Owned<git_tree_entry, &Libgit2Library::git_tree_entry_free>;
using OwnedObject = Owned<git_object, &Libgit2Library::git_object_free>;
using OwnedBlob = Owned<git_blob, &Libgit2Library::git_blob_free>;
using OwnedDiff = Owned<git_diff, &Libgit2Library::git_diff_free>;

inline std::string oid_text(const git_oid& oid)
{
    char text[GIT_OID_HEXSZ + 1] = {};
    libgit2().git_oid_tostr(text, sizeof text, &oid);
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
    bool operator()(const git_oid& a, const git_oid& b) const
    {
        return libgit2().git_oid_equal(&a, &b) != 0;
    }
};

/// The id of the object of type `type` at a path of a tree, or nullopt when the tree
/// has none there.
inline std::optional<git_oid> object_at(git_tree* tree, const std::string& path, git_object_t type)
{
    const Libgit2Library& lib = libgit2();
    OwnedEntry entry;
    if (tree == nullptr || lib.git_tree_entry_bypath(&entry.ptr, tree, path.c_str()) != 0) {
        return std::nullopt;
    }
    if (lib.git_tree_entry_type(entry.ptr) != type) {
        return std::nullopt;
    }
    return *lib.git_tree_entry_id(entry.ptr);
}

/// The blob id of a file in a tree, or nullopt when the tree has no such file.
inline std::optional<git_oid> entry_at(git_tree* tree, const std::string& path)
{
    return object_at(tree, path, GIT_OBJECT_BLOB);
}

inline bool same_entry(const std::optional<git_oid>& a, const std::optional<git_oid>& b)
{
    if (a.has_value() != b.has_value()) {
        return false;
    }
    return !a || libgit2().git_oid_equal(&*a, &*b) != 0;
}

inline std::string blob_text(git_repository* repo, const git_oid& id)
{
    const Libgit2Library& lib = libgit2();
    OwnedBlob blob;
    if (lib.git_blob_lookup(&blob.ptr, repo, &id) != 0) {
        return {};
    }
    const auto* data = static_cast<const char*>(lib.git_blob_rawcontent(blob.ptr));
    return std::string(data, static_cast<std::size_t>(lib.git_blob_rawsize(blob.ptr)));
}

} // namespace aiops::git
